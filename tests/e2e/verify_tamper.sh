#!/usr/bin/env bash
# `distill verify`: the hermetic family images verify clean against their
# md5sums records; images tampered with by umoci (a file changed in a new
# layer, a file removed by a whiteout, a file added in a package directory,
# all through `umoci repack`) give exact finding lines and exit 1.
. "$(dirname "$0")/lib.sh"
need umoci jq
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"
mkdir -p "$T/defs"
for name in static base-nossl base cc; do
  cat >"$T/defs/$name.yaml" <<YAML
from: $DISTILL_SRC/images/$name-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
  "$DISTILL" build "$T/defs/$name.yaml" -o "$T/out/$name" -t latest >/dev/null
  log "$name verifies clean"
  start=$(date +%s%N)
  out=$("$DISTILL" verify "$T/out/$name" 2>"$T/err") || die "$name: verify failed: $out $(cat "$T/err")"
  log "$name: $(tail -1 "$T/err") in $(( ($(date +%s%N) - start) / 1000000 )) ms"
  assert_eq "$out" "" "$name findings"
  assert_contains "$(cat "$T/err")" "no differences"
done
# The reference's ways, which are not findings: ca-certificates ships only
# its bundle, and the image has its own os-release.
json=$("$DISTILL" verify "$T/out/base" --json)
assert_eq "$(jq -c .findings <<<"$json")" "[]" "base JSON findings"
(( $(jq '.not_installed["ca-certificates"]' <<<"$json") > 100 )) || die "ca-certificates' unshipped files not counted: $json"
assert_eq "$(jq -c .customized <<<"$json")" '[{"package":"base-files","path":"/usr/lib/os-release"}]' "customized"
(( $(jq .files_verified <<<"$json") > 500 )) || die "too few files verified: $json"

log "tamper with base through umoci: change, delete (whiteout) and add"
cp -a "$T/out/base" "$T/tampered"
B="$T/bundle"
umoci unpack --image "$T/tampered:latest" "$B" >/dev/null
R="$B/rootfs"
printf 'x' >>"$R/usr/lib/x86_64-linux-gnu/libssl.so.3"
rm "$R/usr/share/zoneinfo/America/New_York"
printf 'not from a package\n' >"$R/usr/lib/x86_64-linux-gnu/libextra.so.1"
umoci repack --image "$T/tampered:latest" "$B" >/dev/null
# Findings on stdout, sorted by path, exactly; the summary is the one-line error.
set +e
stdout=$("$DISTILL" verify "$T/tampered" 2>"$T/err")
rc=$?
set -e
assert_eq "$rc" "1" "exit status with findings"
assert_eq "$stdout" "unowned /usr/lib/x86_64-linux-gnu/libextra.so.1 (directory of package libssl3)
modified /usr/lib/x86_64-linux-gnu/libssl.so.3 (package libssl3)
missing /usr/share/zoneinfo/America/New_York (package tzdata)" "findings of the tampered image"
assert_eq "$(tail -1 "$T/err")" \
  "distill: error: $T/tampered: 3 of $(jq .files_verified <<<"$json") package files differ from their md5sums records" \
  "summary of the tampered image"
json=$("$DISTILL" verify "oci:$T/tampered:latest" --json 2>/dev/null || true)
assert_eq "$(jq -c '[.findings[] | [.kind, .path, .package]]' <<<"$json")" \
  '[["unowned","/usr/lib/x86_64-linux-gnu/libextra.so.1","libssl3"],["modified","/usr/lib/x86_64-linux-gnu/libssl.so.3","libssl3"],["missing","/usr/share/zoneinfo/America/New_York","tzdata"]]' \
  "JSON findings"

log "a package file replaced by a symlink is modified"
umoci unpack --image "$T/tampered:latest" "$T/b2" >/dev/null
rm "$T/b2/rootfs/usr/lib/x86_64-linux-gnu/libextra.so.1"
rm "$T/b2/rootfs/usr/share/zoneinfo/Europe/Paris"
ln -s Berlin "$T/b2/rootfs/usr/share/zoneinfo/Europe/Paris"
umoci repack --image "$T/tampered:latest" "$T/b2" >/dev/null
expect_fail out "$DISTILL" verify "$T/tampered"
assert_contains "$out" "modified /usr/share/zoneinfo/Europe/Paris (package tzdata, now a symlink)"
assert_not_contains "$out" "libextra.so.1"

log "an image without a dpkg database is an error, not a clean result"
expect_fail out "$DISTILL" verify scratch
assert_eq "$(wc -l <<<"$out")" "1" "lines of the no-database error"
assert_contains "$out" "has no dpkg database"
echo "verify_tamper: ok"
