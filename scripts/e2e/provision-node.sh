#!/usr/bin/env bash
# Provision what the Node.js e2e suite needs on a fresh Debian machine, as root, cached in CACHE_DIR.
#   scripts/e2e/provision-node.sh CACHE_DIR
# Steps (each skipped when its output is already in the cache, each timed):
#   1. common.sh: Debian tools, the cache's own container storage, a test CA and server certificate
#   2. a Debian trixie rootfs with nodejs (Node.js 20, the version trixie ships); npm added by apt
#   3. stand-in images: the builder (nodejs, npm, a shell) and a distroless-like runtime (nodejs and
#      its libraries only: no shell, no npm, no apt or dpkg; user 65532, ENTRYPOINT node)
#   4. the CA-bundle image (FROM scratch + the CA under /certs/)
# The packages come from the public npm registry through the suite's own TLS mirror, not from here.
# Local image names: localhost/e2e/{node-builder,node-runtime,ca-bundle}:<KEY>.
set -euo pipefail

CACHE=${1:?usage: provision-node.sh CACHE_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$HERE/common.sh"
KEY=$(cat "$HERE/common.sh" "$HERE/provision-node.sh" | sha256sum | cut -c1-12)
e2e_setup "$CACHE" "$KEY"

BASE=$CACHE/rootfs-base
if [ ! -s "$CACHE/builder.tar" ] || [ ! -s "$CACHE/runtime.tar" ]; then
  debootstrap_base "$BASE" nodejs,ca-certificates
fi

if [ ! -s "$CACHE/builder.tar" ]; then
  # npm's Debian dependencies use alternatives that debootstrap cannot resolve: apt installs them.
  step "builder rootfs (nodejs + npm, installed with apt in a chroot)"
  B=$CACHE/rootfs-builder
  rm -rf --one-file-system "$B" && cp -a "$BASE" "$B" && rm -f "$B/.complete"
  mount -t proc proc "$B/proc"
  trap 'umount "$B/proc" 2>/dev/null || true' EXIT
  { chroot "$B" apt-get update -q && chroot "$B" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends npm; } > "$CACHE/builder-apt.log" 2>&1 \
    || { tail -20 "$CACHE/builder-apt.log" >&2; exit 1; }
  umount "$B/proc"; trap - EXIT
  rm -rf "$B"/var/lib/apt/lists/* "$B"/var/cache/apt/*.bin "$B"/var/cache/apt/archives/*.deb
  tar -C "$B" -cf "$CACHE/builder.tar.tmp" . && mv "$CACHE/builder.tar.tmp" "$CACHE/builder.tar"
  rm -rf --one-file-system "$B"
  done_step
fi

if [ ! -s "$CACHE/runtime.tar" ]; then
  step "distroless-like runtime rootfs (nodejs only: no shell, no npm, no package manager)"
  R=$CACHE/rootfs-runtime
  rm -rf --one-file-system "$R" && cp -a "$BASE" "$R" && rm -f "$R/.complete"
  rm -rf "$R"/usr/bin/apt* "$R"/usr/lib/apt "$R"/etc/apt "$R"/var/lib/apt "$R"/var/cache/apt \
    "$R"/usr/bin/dpkg* "$R"/var/lib/dpkg "$R"/etc/dpkg "$R"/usr/share/dpkg "$R"/usr/lib/dpkg \
    "$R"/usr/bin/perl* "$R"/usr/share/perl* "$R"/usr/lib/x86_64-linux-gnu/perl* \
    "$R"/usr/bin/sh "$R"/usr/bin/dash "$R"/usr/bin/bash "$R"/usr/bin/rbash \
    "$R"/bin/sh "$R"/bin/dash "$R"/bin/bash \
    "$R"/usr/bin/corepack "$R"/usr/share/nodejs/corepack "$R"/usr/lib/node_modules/corepack
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> "$R/etc/passwd"
  echo 'nonroot:x:65532:' >> "$R/etc/group"
  mkdir -p "$R/home/nonroot" && chown 65532:65532 "$R/home/nonroot"
  for f in sh bash dash apt dpkg npm npx corepack; do
    [ ! -e "$R/usr/bin/$f" ] || { echo "provision: $f still in the runtime rootfs" >&2; exit 1; }
  done
  [ -x "$R/usr/bin/node" ] || { echo "provision: no /usr/bin/node in the runtime rootfs" >&2; exit 1; }
  tar -C "$R" -cf "$CACHE/runtime.tar.tmp" . && mv "$CACHE/runtime.tar.tmp" "$CACHE/runtime.tar"
  rm -rf --one-file-system "$R"
  done_step
fi
rm -rf --one-file-system "$BASE"

ENV_PATH='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
import_image "localhost/e2e/node-builder:$KEY" "$CACHE/builder.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' 'CMD ["/bin/bash"]'
# Like distroless nodejs: node is the entrypoint, so CMD names the script and node is PID 1.
import_image "localhost/e2e/node-runtime:$KEY" "$CACHE/runtime.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' \
  'USER 65532:65532' 'WORKDIR /home/nonroot' 'ENTRYPOINT ["/usr/bin/node"]'
ca_bundle_image "localhost/e2e/ca-bundle:$KEY"

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
