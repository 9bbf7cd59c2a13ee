#!/usr/bin/env bash
# Provision everything the e2e suite needs on a fresh Debian machine, as root, cached in CACHE_DIR.
#   scripts/e2e/provision.sh CACHE_DIR
# Steps (each skipped when its output is already in the cache, each timed):
#   1. Debian tools: buildah podman runc docker-registry debootstrap openssl
#   2. a test CA and a server certificate for localhost / 127.0.0.1
#   3. a Debian trixie rootfs (Python 3.13) -> stand-in builder and distroless-like runtime images
#   4. wheels repacked from Debian's packages of the managers and gate tools (the local index)
#   5. the CA-bundle image (FROM scratch + the CA under /certs/)
# The cache is keyed by a hash of this directory's scripts: change them and everything is rebuilt.
# Local image names: localhost/e2e/{python-builder,python-runtime,ca-bundle}:<KEY>, in the suite's
# own container storage (CACHE_DIR/storage via CONTAINERS_STORAGE_CONF): the machine's other images
# are never touched, and the suite can prune its own.
set -euo pipefail

CACHE=${1:?usage: provision.sh CACHE_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The managers and gate tools, in the versions trixie ships, plus what their metadata needs on
# platforms and extras that the lock tools resolve (colorama: win32 markers; httpx, zstandard:
# pbs-installer's extras that poetry asks for; cffi: cryptography's metadata).
TOOL_PACKAGES=(pipenv python3-poetry python3-poetry-plugin-export python3-pytest black python3-mypy
  bandit python3-pytest-bdd python3-pytest-mock python3-colorama python3-httpx python3-zstandard
  python3-cffi)

source "$HERE/common.sh"
KEY=$(cat "$HERE/common.sh" "$HERE/provision.sh" "$HERE/repack-wheels.py" | sha256sum | cut -c1-12)
e2e_setup "$CACHE" "$KEY"

# 3. Trixie rootfs -> builder and runtime root filesystems (tarballs in the cache).
BASE=$CACHE/rootfs-base
if [ ! -s "$CACHE/builder.tar" ] || [ ! -s "$CACHE/runtime.tar" ] || [ ! -s "$CACHE/index/wheels.json" ]; then
  debootstrap_base "$BASE" python3,python3-venv,python3-pip,ca-certificates
fi

if [ ! -s "$CACHE/builder.tar" ]; then
  step "builder rootfs"
  B=$CACHE/rootfs-builder
  rm -rf --one-file-system "$B" && cp -a "$BASE" "$B" && rm -f "$B/.complete"
  # The official python images are not "externally managed" (PEP 668); Debian's Python is.
  rm -f "$B"/usr/lib/python3.*/EXTERNALLY-MANAGED
  rm -rf "$B"/var/lib/apt/lists/* "$B"/var/cache/apt/*.bin
  tar -C "$B" -cf "$CACHE/builder.tar.tmp" . && mv "$CACHE/builder.tar.tmp" "$CACHE/builder.tar"
  rm -rf --one-file-system "$B"
  done_step
fi

if [ ! -s "$CACHE/runtime.tar" ]; then
  step "distroless-like runtime rootfs (no shell, no package manager, no pip)"
  R=$CACHE/rootfs-runtime
  rm -rf --one-file-system "$R" && cp -a "$BASE" "$R" && rm -f "$R/.complete"
  chroot "$R" dpkg --purge --force-depends python3-pip python3-pip-whl python3-setuptools-whl \
    python3-venv python3.13-venv >/dev/null
  rm -rf "$R"/usr/bin/apt* "$R"/usr/lib/apt "$R"/etc/apt "$R"/var/lib/apt "$R"/var/cache/apt \
    "$R"/usr/bin/dpkg* "$R"/var/lib/dpkg "$R"/etc/dpkg "$R"/usr/share/dpkg "$R"/usr/lib/dpkg \
    "$R"/usr/bin/perl* "$R"/usr/share/perl* "$R"/usr/lib/x86_64-linux-gnu/perl* \
    "$R"/usr/bin/sh "$R"/usr/bin/dash "$R"/usr/bin/bash "$R"/usr/bin/rbash \
    "$R"/bin/sh "$R"/bin/dash "$R"/bin/bash "$R"/usr/share/python-wheels
  ln -sf python3.13 "$R/usr/bin/python"
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> "$R/etc/passwd"
  echo 'nonroot:x:65532:' >> "$R/etc/group"
  mkdir -p "$R/home/nonroot" && chown 65532:65532 "$R/home/nonroot"
  for f in sh bash dash apt dpkg pip pip3; do
    [ ! -e "$R/usr/bin/$f" ] || { echo "provision: $f still in runtime rootfs" >&2; exit 1; }
  done
  tar -C "$R" -cf "$CACHE/runtime.tar.tmp" . && mv "$CACHE/runtime.tar.tmp" "$CACHE/runtime.tar"
  rm -rf --one-file-system "$R"
  done_step
fi

# 4. Wheels of the managers and gate tools, repacked from Debian's packages.
if [ ! -s "$CACHE/index/wheels.json" ]; then
  step "install ${TOOL_PACKAGES[*]} into a trixie chroot"
  T=$CACHE/rootfs-tools
  rm -rf --one-file-system "$T" && cp -a "$BASE" "$T"
  mount -t proc proc "$T/proc"
  trap 'umount "$T/proc" 2>/dev/null || true' EXIT
  chroot "$T" apt-get update -q > "$CACHE/tools-apt.log" 2>&1
  chroot "$T" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${TOOL_PACKAGES[@]}" >> "$CACHE/tools-apt.log" 2>&1 || { tail -20 "$CACHE/tools-apt.log" >&2; exit 1; }
  done_step
  step "repack installed distributions into wheels"
  cp "$HERE/repack-wheels.py" "$T/tmp/repack-wheels.py"
  chroot "$T" python3 /tmp/repack-wheels.py /tmp/wheels > "$CACHE/repack.log"
  umount "$T/proc"; trap - EXIT
  rm -rf "$CACHE/index" && mkdir -p "$CACHE/index" && mv "$T"/tmp/wheels/* "$CACHE/index/"
  rm -rf --one-file-system "$T"
  echo "provision:   $(ls "$CACHE/index" | grep -c '\.whl$') wheels"
  done_step
fi
rm -rf --one-file-system "$BASE"

# 5. Local images (re-imported when the machine's container storage lost them).
ENV_PATH='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
import_image "localhost/e2e/python-builder:$KEY" "$CACHE/builder.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' 'CMD ["/bin/bash"]'
import_image "localhost/e2e/python-runtime:$KEY" "$CACHE/runtime.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' \
  'USER 65532:65532' 'WORKDIR /home/nonroot' 'ENTRYPOINT ["/usr/bin/python3.13"]'
ca_bundle_image "localhost/e2e/ca-bundle:$KEY"

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
