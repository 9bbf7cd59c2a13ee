#!/usr/bin/env bash
# Provision what the Docker suite (test/e2e/docker.test.ts) needs beyond the buildah suites' caches,
# as root, cached in CACHE_DIR:
#   scripts/e2e/docker.sh CACHE_DIR
# Steps (each skipped when its output is already in the cache, each timed):
#   1-2. common.sh: Debian tools plus docker.io (Docker Engine 20.10 with BuildKit), and the suite's
#        test CA (the run signs a server certificate for its own registry host name with it)
#   3. a Dockerfile frontend image's binary, built offline: Debian bookworm's docker.io source
#      (its vendored BuildKit, the one the engine runs) and Debian's Go, in a bookworm chroot,
#      with scripts/e2e/docker-frontend.go as the entrypoint. Nothing comes from outside Debian.
#   4. images: localhost/e2e/{dockerfile-frontend,ca-bundle}:<KEY> in CACHE_DIR's own storage
# The stand-in builder and runtime images are not made here: the suite takes them from the buildah
# suites' caches (provision.sh, provision-go.sh, provision-node.sh, provision-java.sh).
set -euo pipefail

CACHE=${1:?usage: docker.sh CACHE_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/common.sh"
APT_PACKAGES+=(docker.io)
KEY=$(cat "$HERE/common.sh" "$HERE/docker.sh" "$HERE/docker-frontend.go" | sha256sum | cut -c1-12)
e2e_setup "$CACHE" "$KEY"

FRONTEND=$CACHE/frontend
if [ ! -x "$FRONTEND/dockerfile-frontend" ]; then
  # The engine's own source version, so the frontend speaks the BuildKit the engine runs (v0.8).
  SOURCE_VERSION=$(dpkg-query -W -f '${source:Version}' docker.io)
  step "Dockerfile frontend from Debian's docker.io $SOURCE_VERSION source, built with Debian's Go (bookworm chroot)"
  S=$CACHE/rootfs-frontend
  rm -rf --one-file-system "$S"
  debootstrap --variant=minbase --include=golang-go,dpkg-dev,xz-utils,ca-certificates bookworm "$S" "$MIRROR" \
    > "$CACHE/frontend-debootstrap.log" 2>&1 || { tail -20 "$CACHE/frontend-debootstrap.log" >&2; exit 1; }
  cp /etc/resolv.conf "$S/etc/resolv.conf"
  SECURITY_MIRROR=${E2E_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  printf 'deb-src %s bookworm main\ndeb-src %s bookworm-security main\n' "$MIRROR" "$SECURITY_MIRROR" \
    > "$S/etc/apt/sources.list.d/sources.list"
  LOG=$CACHE/frontend-build.log
  {
    chroot "$S" apt-get update -q
    # apt-get source checks the archive's signatures and the files' hashes, then applies Debian's patches.
    chroot "$S" sh -c "mkdir -p /build && cd /build && apt-get source -q docker.io=$SOURCE_VERSION"
  } > "$LOG" 2>&1 || { tail -20 "$LOG" >&2; exit 1; }
  # The Go libraries Debian builds docker.io against (its golang-* Build-Depends); the rest is vendored.
  DSC=$(ls "$S"/build/docker.io_*.dsc)
  mapfile -t GO_DEPS < <(awk '/^Build-Depends:/{on=1; sub(/^Build-Depends:/, "")} on && /^[A-Z]/ && !/^Build-Depends:/{on=0} on' "$DSC" \
    | tr ',' '\n' | sed 's/([^)]*)//g; s/|.*//; s/^ *//; s/ *$//' | grep '^golang-' | grep -v '^golang-\(any\|go\)$' | sort -u)
  chroot "$S" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${GO_DEPS[@]}" >> "$LOG" 2>&1 \
    || { tail -20 "$LOG" >&2; exit 1; }
  SRC=$(find "$S/build" -mindepth 1 -maxdepth 1 -type d -name 'docker.io-*')
  PKG=$S/gopath/src/github.com/docker/docker
  mkdir -p "$(dirname "$PKG")" && mv "$SRC/engine" "$PKG"
  mkdir -p "$PKG/cmd/chs-dockerfile-frontend" && cp "$HERE/docker-frontend.go" "$PKG/cmd/chs-dockerfile-frontend/main.go"
  # GOPATH mode, as Debian builds the engine: the vendored BuildKit plus Debian's Go libraries.
  chroot "$S" env GOPATH=/gopath:/usr/share/gocode GO111MODULE=off GOPROXY=off CGO_ENABLED=0 GOCACHE=/tmp/go-build HOME=/root \
    sh -c 'cd /gopath/src/github.com/docker/docker && go build -trimpath -ldflags="-s -w" -o /dockerfile-frontend ./cmd/chs-dockerfile-frontend' \
    >> "$LOG" 2>&1 || { tail -20 "$LOG" >&2; exit 1; }
  rm -rf "$FRONTEND" && mkdir -p "$FRONTEND"
  mv "$S/dockerfile-frontend" "$FRONTEND/dockerfile-frontend"
  # vendor.conf: "github.com/moby/buildkit COMMIT # VERSION".
  BUILDKIT=$(grep -m1 '^github.com/moby/buildkit ' "$PKG/vendor.conf" | sed 's/^[^ ]* *\([^ ]*\) *# *\(.*\)$/\2 (\1)/')
  printf "Debian docker.io %s source, vendored BuildKit %s, %s\n" "$SOURCE_VERSION" "$BUILDKIT" "$(chroot "$S" go version)" > "$FRONTEND/built-from.txt"
  rm -rf --one-file-system "$S"
  echo "provision:   $(cat "$FRONTEND/built-from.txt")"
  done_step
fi

# 4. The frontend image (FROM scratch + the binary, as BuildKit runs a gateway frontend) and the
#    CA-bundle image, in the cache's own container storage; the suite pushes both to its registry.
if ! podman image exists "localhost/e2e/dockerfile-frontend:$KEY" 2>/dev/null; then
  step "Dockerfile frontend image"
  ctr=$(buildah from scratch)
  buildah copy "$ctr" "$FRONTEND/dockerfile-frontend" /bin/dockerfile-frontend >/dev/null
  buildah config --entrypoint '["/bin/dockerfile-frontend"]' --label moby.buildkit.frontend.network.none=true \
    --label "org.opencontainers.image.description=Dockerfile frontend: $(cat "$FRONTEND/built-from.txt")" "$ctr"
  buildah commit --quiet "$ctr" "localhost/e2e/dockerfile-frontend:$KEY" >/dev/null
  buildah rm "$ctr" >/dev/null
  done_step
fi
ca_bundle_image "localhost/e2e/ca-bundle:$KEY"

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
