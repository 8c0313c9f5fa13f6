#!/bin/bash
# Issue 2: distill reads what other tools wrote (an image made by umoci, a
# docker-archive made by skopeo), and a truncated or garbled layout or tarball
# gets a one-line error and exit 1, never a crash.
. "$(dirname "$0")/lib.sh"
need umoci skopeo jq
"$DISTILL" inspect --help >/dev/null 2>&1 || skip "distill inspect not available"
make_tmpdir T
cd "$T"

log "image made by umoci (init/new/unpack/repack)"
umoci init --layout umoci
umoci new --image umoci:v1
umoci unpack --image umoci:v1 bundle >/dev/null
mkdir -p bundle/rootfs/etc && printf 'made by umoci\n' >bundle/rootfs/etc/hello
umoci repack --image umoci:v1 bundle
umoci config --image umoci:v1 --config.user=65532 --config.workingdir=/etc
want=$(jq -r '.manifests[0].digest' umoci/index.json)
j=$("$DISTILL" inspect --json oci:umoci:v1) || die "distill inspect of a umoci image failed"
assert_eq "$(jq -r .digest <<<"$j")" "$want" "digest of the umoci image"
diff_id=$(skopeo inspect --config oci:umoci:v1 | jq -r '.rootfs.diff_ids[0]')
assert_eq "$(jq -r '.layers[0].diff_id' <<<"$j")" "$diff_id" "diff_id of the umoci layer"
tree=$("$DISTILL" inspect --tree / oci:umoci:v1) || die "distill inspect --tree failed"
assert_contains "$tree" "/etc/hello" "tree of the umoci image"

log "docker-archive made by skopeo copy"
skopeo copy -q oci:umoci:v1 docker-archive:skopeo.tar:umoci/test:v1
j=$("$DISTILL" inspect --json docker-archive:skopeo.tar) || die "distill inspect of a skopeo archive failed"
assert_eq "$(jq -r '.layers[0].diff_id' <<<"$j")" "$diff_id" "diff_id via skopeo archive"
"$DISTILL" inspect --json docker-archive:skopeo.tar:umoci/test:v1 >/dev/null \
  || die "short tag lookup in a skopeo archive failed"

# bad NAME REF EXPECT: exit 1, one line on stderr naming EXPECT.
bad() {
  local err rc
  set +e
  err=$("$DISTILL" inspect "$2" 2>&1 >/dev/null)
  rc=$?
  set -e
  [[ $rc == 1 ]] || die "$1: expected exit 1, got $rc: $err"
  [[ $(wc -l <<<"$err") == 1 ]] || die "$1: error is not one line: $err"
  assert_contains "$err" "$3" "$1"
  log "ok $1: $err"
}

log "truncated and garbled inputs"
cp -a umoci trunc-index && head -c 40 umoci/index.json >trunc-index/index.json
bad truncated-index oci:trunc-index:v1 "index.json"
cp -a umoci no-blob && rm "no-blob/blobs/sha256/${want#sha256:}"
bad missing-manifest oci:no-blob:v1 "missing"
cp -a umoci bad-blob
layer=$(jq -r '.layers[0].digest' "umoci/blobs/sha256/${want#sha256:}")
head -c 60 "umoci/blobs/sha256/${layer#sha256:}" >"bad-blob/blobs/sha256/${layer#sha256:}"
bad truncated-layer oci:bad-blob:v1 "${layer#sha256:}"
head -c 3000 skopeo.tar >cut.tar
bad truncated-archive docker-archive:cut.tar "cut.tar"
printf 'not a tarball\n' >junk.tar
bad garbled-archive docker-archive:junk.tar "junk.tar"
echo "PASS"
