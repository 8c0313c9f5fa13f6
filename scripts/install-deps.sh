#!/bin/sh
# Installs everything distill needs to build and test, from Debian 12's own
# packages. Idempotent: a second run changes nothing.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="cmake g++ make pkg-config ca-certificates
  libarchive-dev zlib1g-dev libzstd-dev libssl-dev libcurl4-openssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  gpg gpgv debian-archive-keyring clang-format strace
  skopeo umoci runc docker-registry jq reprepro dpkg-dev busybox-static apache2-utils
  qemu-user-static binfmt-support mmdebstrap python3 python3-jsonschema apt-cacher-ng
  chromium clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# docker-registry's and apt-cacher-ng's postinst start system services with
# Debian's defaults; tests start their own instances on 127.0.0.1 instead.
for svc in docker-registry apt-cacher-ng; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active -q "$svc" 2>/dev/null; then
    $SUDO systemctl stop "$svc" >/dev/null 2>&1 || true
  fi
done
