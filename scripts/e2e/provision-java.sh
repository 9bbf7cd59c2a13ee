#!/usr/bin/env bash
# Provision what the Java e2e suite needs, as root, cached in CACHE_DIR (shared steps: common.sh).
#   scripts/e2e/provision-java.sh CACHE_DIR
# Maven Central cannot be reached here, so Debian trixie stands in for everything:
#   1. a builder rootfs: OpenJDK 21, Maven and the packaged plugins and JUnit (/usr/share/maven-repo)
#   2. that repository, symlinks resolved, as the files of a Maven mirror (served over TLS by the suite)
#   3. a distroless-like runtime rootfs: the OpenJDK 21 JRE only, no shell, no package manager, nonroot
#   4. the CA-bundle image (FROM scratch + the test CA under /certs/)
# Local image names: localhost/e2e/{java-builder,java-runtime,ca-bundle}:<KEY>.
set -euo pipefail

CACHE=${1:?usage: provision-java.sh CACHE_DIR}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The plugins the generated pom.xml pins, JUnit 5, and the JDK Maven runs on.
BUILDER_PACKAGES=(openjdk-21-jdk-headless maven junit5 libsurefire-java libmaven-compiler-plugin-java
  libmaven-jar-plugin-java libmaven-resources-plugin-java libmaven-install-plugin-java
  libmaven-deploy-plugin-java libmaven-clean-plugin-java libmaven-site-plugin-java
  libmaven-dependency-plugin-java libmaven-enforcer-plugin-java)
RUNTIME_PACKAGES=(openjdk-21-jre-headless)

source "$HERE/common.sh"
KEY=$(cat "$HERE/common.sh" "$HERE/provision-java.sh" | sha256sum | cut -c1-12)
e2e_setup "$CACHE" "$KEY"

BASE=$CACHE/rootfs-base
if [ ! -s "$CACHE/builder.tar" ] || [ ! -f "$CACHE/maven-repo/.complete" ] || [ ! -s "$CACHE/runtime.tar" ]; then
  debootstrap_base "$BASE" ca-certificates
fi

# apt-get install into a copy of the base rootfs (OpenJDK's scripts need /proc).
chroot_install() { # DIR LOG PACKAGES...
  local dir=$1 log=$2; shift 2
  rm -rf --one-file-system "$dir" && cp -a "$BASE" "$dir" && rm -f "$dir/.complete"
  mount -t proc proc "$dir/proc"
  trap "umount '$dir/proc' 2>/dev/null || true" EXIT
  chroot "$dir" apt-get update -q > "$log" 2>&1
  chroot "$dir" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >> "$log" 2>&1 \
    || { tail -20 "$log" >&2; exit 1; }
  umount "$dir/proc"; trap - EXIT
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
}

if [ ! -s "$CACHE/builder.tar" ] || [ ! -f "$CACHE/maven-repo/.complete" ]; then
  step "builder rootfs (${BUILDER_PACKAGES[*]})"
  B=$CACHE/rootfs-builder
  chroot_install "$B" "$CACHE/builder-apt.log" "${BUILDER_PACKAGES[@]}"
  done_step
  step "Maven mirror files from the builder's /usr/share/maven-repo"
  rm -rf "$CACHE/maven-repo" && mkdir -p "$CACHE/maven-repo"
  # Debian links the jars to /usr/share/java: copy from inside the rootfs so the links resolve there.
  chroot "$B" tar -C /usr/share/maven-repo -chf - . | tar -C "$CACHE/maven-repo" -xf -
  touch "$CACHE/maven-repo/.complete"
  echo "provision:   $(find "$CACHE/maven-repo" -name '*.jar' | wc -l) jars"
  done_step
  # What the official Maven image has and the stand-in must too: no local repository of its own.
  rm -rf "$B/usr/share/maven-repo" "$B/root/.m2"
  tar -C "$B" -cf "$CACHE/builder.tar.tmp" . && mv "$CACHE/builder.tar.tmp" "$CACHE/builder.tar"
  rm -rf --one-file-system "$B"
fi

if [ ! -s "$CACHE/runtime.tar" ]; then
  step "distroless-like runtime rootfs (${RUNTIME_PACKAGES[*]}; no shell, no package manager)"
  R=$CACHE/rootfs-runtime
  chroot_install "$R" "$CACHE/runtime-apt.log" "${RUNTIME_PACKAGES[@]}"
  rm -rf "$R"/usr/bin/apt* "$R"/usr/lib/apt "$R"/etc/apt "$R"/var/lib/apt "$R"/var/cache/apt \
    "$R"/usr/bin/dpkg* "$R"/var/lib/dpkg "$R"/etc/dpkg "$R"/usr/share/dpkg "$R"/usr/lib/dpkg \
    "$R"/usr/bin/perl* "$R"/usr/share/perl* "$R"/usr/lib/x86_64-linux-gnu/perl* \
    "$R"/usr/bin/sh "$R"/usr/bin/dash "$R"/usr/bin/bash "$R"/usr/bin/rbash \
    "$R"/bin/sh "$R"/bin/dash "$R"/bin/bash
  echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> "$R/etc/passwd"
  echo 'nonroot:x:65532:' >> "$R/etc/group"
  mkdir -p "$R/home/nonroot" && chown 65532:65532 "$R/home/nonroot"
  for f in sh bash dash apt dpkg javac mvn; do
    [ ! -e "$R/usr/bin/$f" ] || { echo "provision: $f still in runtime rootfs" >&2; exit 1; }
  done
  [ -x "$R/usr/bin/java" ] || { echo "provision: no /usr/bin/java in the runtime rootfs" >&2; exit 1; }
  tar -C "$R" -cf "$CACHE/runtime.tar.tmp" . && mv "$CACHE/runtime.tar.tmp" "$CACHE/runtime.tar"
  rm -rf --one-file-system "$R"
  done_step
fi
rm -rf --one-file-system "$BASE"

ENV_PATH='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
JAVA_HOME_ENV='ENV JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64'
import_image "localhost/e2e/java-builder:$KEY" "$CACHE/builder.tar" "$ENV_PATH" "$JAVA_HOME_ENV" 'ENV LANG=C.UTF-8' 'CMD ["/bin/bash"]'
import_image "localhost/e2e/java-runtime:$KEY" "$CACHE/runtime.tar" "$ENV_PATH" 'ENV LANG=C.UTF-8' \
  'USER 65532:65532' 'WORKDIR /home/nonroot' 'ENTRYPOINT ["/usr/bin/java", "-jar"]'
ca_bundle_image "localhost/e2e/ca-bundle:$KEY"

echo "$KEY" > "$CACHE/key"
echo "provision: ready (key $KEY)"
