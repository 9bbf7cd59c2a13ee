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
MIRROR=${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
# The managers and gate tools, in the versions trixie ships, plus what their metadata needs on
# platforms and extras that the lock tools resolve (colorama: win32 markers; httpx, zstandard:
# pbs-installer's extras that poetry asks for; cffi: cryptography's metadata).
TOOL_PACKAGES=(pipenv python3-poetry python3-poetry-plugin-export python3-pytest black python3-mypy
  bandit python3-pytest-bdd python3-pytest-mock python3-colorama python3-httpx python3-zstandard
  python3-cffi)
APT_PACKAGES=(buildah podman runc docker-registry debootstrap openssl)

[ "$(id -u)" = 0 ] || { echo "provision: must run as root (apt-get, debootstrap, buildah)" >&2; exit 1; }

step_start=0
step() { step_start=$(date +%s); echo "provision: $*"; }
done_step() { echo "provision:   done in $(( $(date +%s) - step_start )) s"; }

KEY=$(cat "$HERE/provision.sh" "$HERE/repack-wheels.py" | sha256sum | cut -c1-12)
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
# One provisioning at a time per cache: a second run waits instead of wiping the first one's work.
exec 9> "$CACHE.lock"
flock 9
if [ "$(cat "$CACHE/key" 2>/dev/null || true)" != "$KEY" ]; then
  echo "provision: cache key changed (or new cache): rebuilding $CACHE"
  # Overlay mounts of a previous run's storage must go before the files under them.
  findmnt -rn -o TARGET | grep "^$CACHE/" | sort -r | xargs -r -n1 umount -l || true
  find "$CACHE" -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system {} +
fi
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' \
  "$CACHE/storage" "/run/chs-e2e-$(echo "$CACHE" | sha256sum | cut -c1-8)" > "$CACHE/storage.conf"
export CONTAINERS_STORAGE_CONF=$CACHE/storage.conf

# 1. Debian tools (CI starts without them).
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  done_step
fi

# 2. Test CA and server certificate.
PKI=$CACHE/pki
if [ ! -s "$PKI/server.crt" ]; then
  step "test CA and server certificate"
  rm -rf "$PKI" && mkdir -p "$PKI"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=create-hardened-service e2e test CA" \
    -keyout "$PKI/ca.key" -out "$PKI/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$PKI/server.key" -out "$PKI/server.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$PKI/server.ext"
  openssl x509 -req -in "$PKI/server.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -extfile "$PKI/server.ext" -out "$PKI/server.crt" 2>/dev/null
  done_step
fi

# 3. Trixie rootfs -> builder and runtime root filesystems (tarballs in the cache).
BASE=$CACHE/rootfs-base
if [ ! -s "$CACHE/builder.tar" ] || [ ! -s "$CACHE/runtime.tar" ] || [ ! -s "$CACHE/index/wheels.json" ]; then
  if [ ! -f "$BASE/.complete" ]; then
    step "debootstrap $SUITE (python3, venv, pip, ca-certificates)"
    rm -rf --one-file-system "$BASE"
    debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
      "$SUITE" "$BASE" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 \
      || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
    touch "$BASE/.complete"
    done_step
  fi
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
import_image() { # NAME TAR CHANGES...
  local name=$1 tar=$2; shift 2
  if ! podman image exists "$name" 2>/dev/null; then
    step "import $name"
    local changes=()
    for c in "$@"; do changes+=(--change "$c"); done
    podman import "${changes[@]}" "$tar" "$name" >/dev/null
    done_step
  fi
}
ENV_PATH='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
import_image "localhost/e2e/python-builder:$KEY" "$CACHE/builder.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' 'CMD ["/bin/bash"]'
import_image "localhost/e2e/python-runtime:$KEY" "$CACHE/runtime.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' \
  'USER 65532:65532' 'WORKDIR /home/nonroot' 'ENTRYPOINT ["/usr/bin/python3.13"]'
if ! podman image exists "localhost/e2e/ca-bundle:$KEY" 2>/dev/null; then
  step "CA-bundle image"
  ctr=$(buildah from scratch)
  buildah copy "$ctr" "$PKI/ca.crt" /certs/e2e-test-ca.crt >/dev/null
  buildah commit --quiet "$ctr" "localhost/e2e/ca-bundle:$KEY" >/dev/null
  buildah rm "$ctr" >/dev/null
  done_step
fi

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
