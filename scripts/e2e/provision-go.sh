#!/usr/bin/env bash
# Provision the Go e2e suite's stand-in images on a fresh Debian machine, as root, cached in CACHE_DIR.
#   scripts/e2e/provision-go.sh CACHE_DIR
# Steps (each skipped when its output is already in the cache, each timed):
#   1-2. common.sh: Debian tools, the test CA and server certificate
#   3. a Debian trixie rootfs with golang-go (Go 1.24), ca-certificates and tzdata
#   4. a golang-like builder (GOPATH=/go, GOTOOLCHAIN=local) and a distroless-static-like runtime:
#      CA bundle, zoneinfo, passwd/group with nonroot 65532, nothing else (no shell, no libc)
#   5. the CA-bundle image
# Local image names: localhost/e2e/{go-builder,go-runtime,ca-bundle}:<KEY> in CACHE_DIR's storage.
set -euo pipefail

CACHE=${1:?usage: provision-go.sh CACHE_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/common.sh"
KEY=$(cat "$HERE/common.sh" "$HERE/provision-go.sh" | sha256sum | cut -c1-12)
e2e_setup "$CACHE" "$KEY"

BASE=$CACHE/rootfs-base
if [ ! -s "$CACHE/builder.tar" ] || [ ! -s "$CACHE/runtime.tar" ]; then
  debootstrap_base "$BASE" golang-go,ca-certificates,tzdata
fi

if [ ! -s "$CACHE/builder.tar" ]; then
  step "golang-like builder rootfs"
  B=$CACHE/rootfs-builder
  rm -rf --one-file-system "$B" && cp -a "$BASE" "$B" && rm -f "$B/.complete"
  # The official golang image's layout: GOPATH /go (world-writable), binaries in /go/bin.
  mkdir -p "$B/go/bin" "$B/go/src" && chmod -R 1777 "$B/go"
  rm -rf "$B"/var/lib/apt/lists/* "$B"/var/cache/apt/*.bin
  tar -C "$B" -cf "$CACHE/builder.tar.tmp" . && mv "$CACHE/builder.tar.tmp" "$CACHE/builder.tar"
  rm -rf --one-file-system "$B"
  done_step
fi

if [ ! -s "$CACHE/runtime.tar" ]; then
  step "distroless-static-like runtime rootfs (CA bundle, zoneinfo, users; no shell, no libc)"
  R=$CACHE/rootfs-runtime
  rm -rf --one-file-system "$R"
  mkdir -p "$R/etc/ssl/certs" "$R/usr/share" "$R/home/nonroot" "$R/root" "$R/tmp"
  cp "$BASE/etc/ssl/certs/ca-certificates.crt" "$R/etc/ssl/certs/"
  cp -a "$BASE/usr/share/zoneinfo" "$R/usr/share/"
  cp "$BASE/etc/os-release" "$R/etc/os-release" 2>/dev/null || cp "$BASE/usr/lib/os-release" "$R/etc/os-release"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$R/etc/group"
  printf 'hosts: files dns\n' > "$R/etc/nsswitch.conf"
  chmod 1777 "$R/tmp" && chmod 700 "$R/root" && chown 65532:65532 "$R/home/nonroot"
  for f in bin/sh usr/bin/sh bin/bash usr/bin/go lib usr/lib; do
    [ ! -e "$R/$f" ] || { echo "provision: $f in the runtime rootfs" >&2; exit 1; }
  done
  tar -C "$R" -cf "$CACHE/runtime.tar.tmp" . && mv "$CACHE/runtime.tar.tmp" "$CACHE/runtime.tar"
  rm -rf --one-file-system "$R"
  done_step
fi
rm -rf --one-file-system "$BASE"

GO_PATH='ENV PATH=/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
import_image "localhost/e2e/go-builder:$KEY" "$CACHE/builder.tar" "$GO_PATH" 'ENV GOPATH=/go' \
  'ENV GOTOOLCHAIN=local' 'ENV LANG=C.UTF-8' 'WORKDIR /go' 'CMD ["/bin/bash"]'
import_image "localhost/e2e/go-runtime:$KEY" "$CACHE/runtime.tar" 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' 'USER 65532:65532' 'WORKDIR /home/nonroot'
ca_bundle_image "localhost/e2e/ca-bundle:$KEY"

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
