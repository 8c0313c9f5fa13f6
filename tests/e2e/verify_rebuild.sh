#!/usr/bin/env bash
# `distill verify REF --rebuild DEFINITION --lock LOCK`: a family image built
# from a lock rebuilds to the same digest (with the image's own created time
# and compression); an image with one layer changed through umoci names that
# layer and its first differing file, exactly.
. "$(dirname "$0")/lib.sh"
need umoci jq
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"
cat >"$T/base-nossl.yaml" <<YAML
from: $DISTILL_SRC/images/base-nossl-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
"$DISTILL" -q lock "$T/base-nossl.yaml" --arch amd64 -o "$T/base-nossl.lock" >/dev/null
"$DISTILL" -q build "$T/base-nossl.yaml" --lock "$T/base-nossl.lock" --source-date-epoch 1700000000 \
  -o "$T/out" -t latest >/dev/null
digest=$(jq -r '.manifests[0].digest' "$T/out/index.json")

log "another epoch: the first package layer's status.d directory differs"
expect_fail out "$DISTILL" verify "$T/out" --rebuild "$T/base-nossl.yaml" --lock "$T/base-nossl.lock" --offline
first=$(jq -r '.layers[0].digest' "$T/out/blobs/sha256/${digest#sha256:}")
assert_contains "$out" "layer 0 ($first != sha256:"
assert_contains "$out" "), package base-files "
assert_contains "$out" "file /var/lib/dpkg/status.d: mtime 1700000000 != 0"

export SOURCE_DATE_EPOCH=1700000000
log "the image rebuilds to its own digest"
out=$("$DISTILL" verify "$T/out" --rebuild "$T/base-nossl.yaml" --lock "$T/base-nossl.lock" --offline 2>"$T/err") ||
  die "verify --rebuild failed: $out $(cat "$T/err")"
assert_eq "$out" "" "stdout of a clean rebuild"
assert_contains "$(cat "$T/err")" "is identical ($digest)"

log "one layer changed through umoci: the first differing layer and file"
cp -a "$T/out" "$T/t"
umoci unpack --image "$T/t:latest" "$T/b" >/dev/null
printf 'x' >>"$T/b/rootfs/etc/passwd"
umoci repack --image "$T/t:latest" "$T/b" >/dev/null
set +e
out=$("$DISTILL" verify "oci:$T/t:latest" --rebuild "$T/base-nossl.yaml" --lock "$T/base-nossl.lock" --offline 2>"$T/err")
rc=$?
set -e
assert_eq "$rc" "1" "exit status of a differing rebuild"
n=$(jq '.layers | length' "$T/out/blobs/sha256/${digest#sha256:}")
new=$(jq -r '.manifests[0].digest' "$T/t/index.json")
last=$(jq -r '.layers[-1].digest' "$T/t/blobs/sha256/${new#sha256:}")
assert_eq "$out" "layer $n ($last != absent)
only in the image" "findings of an added layer"
assert_contains "$(tail -1 "$T/err")" "the rebuild of $T/base-nossl.yaml differs ($new != $digest)"

log "a layer replaced in place names its first differing member"
cp -a "$T/out" "$T/r"
m=$(jq -r '.manifests[0].digest' "$T/r/index.json")
M="$T/r/blobs/sha256/${m#sha256:}"
C="$T/r/blobs/sha256/$(jq -r '.config.digest' "$M" | cut -d: -f2)"
# The last layer (generated files, mtime = the epoch), rewritten with one
# byte more in its first file, member order and metadata kept.
idx=$(( $(jq '.layers | length' "$M") - 1 ))
old=$(jq -r ".layers[$idx].digest" "$M" | cut -d: -f2)
mkdir "$T/x" && tar -C "$T/x" -xzf "$T/r/blobs/sha256/$old"
first=$(tar -tzf "$T/r/blobs/sha256/$old" | grep -v '/$' | head -1)
printf 'x' >>"$T/x/$first"
tar -C "$T/x" --numeric-owner --owner=0 --group=0 --mtime=@1700000000 --no-recursion \
  -cf "$T/layer.tar" $(tar -tzf "$T/r/blobs/sha256/$old")
gzip -n "$T/layer.tar"
newl=$(sha256sum "$T/layer.tar.gz" | cut -d' ' -f1)
diffid=$(gzip -dc "$T/layer.tar.gz" | sha256sum | cut -d' ' -f1)
cp "$T/layer.tar.gz" "$T/r/blobs/sha256/$newl"
jq -c ".rootfs.diff_ids[$idx] = \"sha256:$diffid\"" "$C" >"$T/config.json"
cfg=$(sha256sum "$T/config.json" | cut -d' ' -f1)
cp "$T/config.json" "$T/r/blobs/sha256/$cfg"
jq -c ".layers[$idx].digest = \"sha256:$newl\" | .layers[$idx].size = $(stat -c %s "$T/layer.tar.gz") |
  .config.digest = \"sha256:$cfg\" | .config.size = $(stat -c %s "$T/config.json")" "$M" >"$T/manifest.json"
man=$(sha256sum "$T/manifest.json" | cut -d' ' -f1)
cp "$T/manifest.json" "$T/r/blobs/sha256/$man"
jq ".manifests[0].digest = \"sha256:$man\" | .manifests[0].size = $(stat -c %s "$T/manifest.json")" "$T/r/index.json" >"$T/index.json"
cp "$T/index.json" "$T/r/index.json"
expect_fail out "$DISTILL" verify "$T/r" --rebuild "$T/base-nossl.yaml" --lock "$T/base-nossl.lock" --offline
assert_contains "$out" "layer $idx (sha256:$newl != sha256:$old)"
assert_contains "$out" "file /$first: size"

log "--rebuild without --lock is a one-line error"
expect_fail out "$DISTILL" verify "$T/out" --rebuild "$T/base-nossl.yaml"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the error"
assert_contains "$out" "--rebuild needs --lock LOCK"
echo "verify_rebuild: ok"
