# Shared by every language's provision script (sourced, not run):
#   source "$HERE/common.sh"; e2e_setup CACHE_DIR KEY
# e2e_setup: root check, one provisioning at a time per cache, a fresh cache when KEY changes,
# the cache's own container storage (CONTAINERS_STORAGE_CONF), the Debian tools, and a test CA
# with a server certificate for localhost / 127.0.0.1 in CACHE/pki.
# Helpers: step/done_step (timed steps the e2e report reads), debootstrap_base, import_image,
# ca_bundle_image.

MIRROR=${E2E_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
APT_PACKAGES=(buildah podman runc docker-registry debootstrap openssl)

step_start=0
step() { step_start=$(date +%s); echo "provision: $*"; }
done_step() { echo "provision:   done in $(( $(date +%s) - step_start )) s"; }

e2e_setup() { # CACHE KEY
  [ "$(id -u)" = 0 ] || { echo "provision: must run as root (apt-get, debootstrap, buildah)" >&2; exit 1; }
  local key=$2
  mkdir -p "$1"
  CACHE=$(cd "$1" && pwd)
  # One provisioning at a time per cache: a second run waits instead of wiping the first one's work.
  exec 9> "$CACHE.lock"
  flock 9
  if [ "$(cat "$CACHE/key" 2>/dev/null || true)" != "$key" ]; then
    echo "provision: cache key changed (or new cache): rebuilding $CACHE"
    # Overlay mounts of a previous run's storage must go before the files under them.
    findmnt -rn -o TARGET | grep "^$CACHE/" | sort -r | xargs -r -n1 umount -l || true
    find "$CACHE" -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system {} +
  fi
  printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' \
    "$CACHE/storage" "/run/chs-e2e-$(echo "$CACHE" | sha256sum | cut -c1-8)" > "$CACHE/storage.conf"
  export CONTAINERS_STORAGE_CONF=$CACHE/storage.conf

  # Debian tools (CI starts without them).
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    done_step
  fi

  # Test CA and server certificate.
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
}

debootstrap_base() { # DIR PACKAGE,PACKAGE,...   (a minbase trixie rootfs, kept until DIR/.complete is removed)
  local dir=$1 include=$2
  [ -f "$dir/.complete" ] && return 0
  step "debootstrap $SUITE ($include)"
  rm -rf --one-file-system "$dir"
  debootstrap --variant=minbase --include="$include" "$SUITE" "$dir" "$MIRROR" > "$CACHE/debootstrap.log" 2>&1 \
    || { tail -20 "$CACHE/debootstrap.log" >&2; exit 1; }
  touch "$dir/.complete"
  done_step
}

import_image() { # NAME TAR CHANGES...   (re-imported when the cache's container storage lost it)
  local name=$1 tar=$2; shift 2
  if ! podman image exists "$name" 2>/dev/null; then
    step "import $name"
    local changes=() c
    for c in "$@"; do changes+=(--change "$c"); done
    podman import "${changes[@]}" "$tar" "$name" >/dev/null
    done_step
  fi
}

ca_bundle_image() { # NAME   (FROM scratch + the test CA under /certs/)
  local name=$1 ctr
  podman image exists "$name" 2>/dev/null && return 0
  step "CA-bundle image"
  ctr=$(buildah from scratch)
  buildah copy "$ctr" "$PKI/ca.crt" /certs/e2e-test-ca.crt >/dev/null
  buildah commit --quiet "$ctr" "$name" >/dev/null
  buildah rm "$ctr" >/dev/null
  done_step
}
