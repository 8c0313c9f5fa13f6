#!/usr/bin/env bash
# copy checks every layer's bytes against its digest as they stream: a
# corrupted blob in a source layout (same size, one byte changed) fails the
# copy to every kind of destination with a one-line error naming the blob,
# and nothing is written.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"

make_tmpdir T
make_def "$T/app.yaml" verify
"$DISTILL" -q build "$T/app.yaml" -o "$T/out" --compression none >/dev/null 2>&1
M=$(jq -r '.manifests[0].digest' "$T/out/index.json")
L=$(jq -r '.layers[0].digest' "$T/out/blobs/sha256/${M#sha256:}")
blob=$T/out/blobs/sha256/${L#sha256:}
size=$(stat -c %s "$blob")
# Change one byte in the middle of the (uncompressed) tar data.
printf 'Z' | dd of="$blob" bs=1 seek=$((size / 2)) conv=notrunc status=none
assert_eq "$(stat -c %s "$blob")" "$size" "size after corruption"

start_registry plain "$T"
R=127.0.0.1:$REG_PORT
for dst in "oci:$T/c1" "oci-archive:$T/c2.tar" "docker-archive:$T/c3.tar" \
  "docker://$R/verify/app:1"; do
  log "copy to $dst"
  expect_fail out "$DISTILL" copy "oci:$T/out" "$dst" --insecure
  assert_eq "$(wc -l <<<"$out")" "1" "lines of the error for $dst"
  assert_contains "$out" "distill: error: "
  assert_contains "$out" "$L"
  assert_contains "$out" "corrupt"
done
[[ ! -e $T/c1 && ! -e $T/c2.tar && ! -e $T/c3.tar ]] || die "a failed copy left output"
expect_fail out skopeo inspect --tls-verify=false "docker://$R/verify/app:1"
assert_contains "$out" "manifest unknown" "the registry has no manifest"
log "ok"
