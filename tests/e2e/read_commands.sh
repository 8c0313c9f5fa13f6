#!/usr/bin/env bash
# The crane-like read commands (issue 18): `distill ls`, `manifest`, `config`
# and `digest` on OCI layouts, archives and a real registry on 127.0.0.1.
# Bytes are compared with what skopeo reads (inspect --raw, --config --raw)
# and digests with skopeo's and with sha256sum of the manifest bytes.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"
make_tmpdir T
SK=(skopeo inspect --tls-verify=false)

make_def "$T/app.yaml" read
"$DISTILL" -q build "$T/app.yaml" -o "$T/one" -t v1 -t v2 >/dev/null
"$DISTILL" -q build "$T/app.yaml" --arch amd64,arm64 -o "$T/idx" -t multi >/dev/null

log "an OCI layout with one image: bytes as skopeo reads them"
"$DISTILL" manifest "oci:$T/one:v1" >"$T/m"
"${SK[@]}" --raw "oci:$T/one:v1" >"$T/m.sk"
cmp "$T/m" "$T/m.sk" || die "manifest differs from skopeo inspect --raw"
"$DISTILL" config "oci:$T/one:v1" >"$T/c"
"${SK[@]}" --config --raw "oci:$T/one:v1" >"$T/c.sk"
cmp "$T/c" "$T/c.sk" || die "config differs from skopeo inspect --config --raw"
D=$("$DISTILL" digest "oci:$T/one:v1")
assert_eq "$D" "$(digest_of <"$T/m")" "digest = sha256 of the manifest bytes"
assert_eq "$D" "$("${SK[@]}" --format '{{.Digest}}' "oci:$T/one:v1")" "digest as skopeo says"
assert_eq "$("$DISTILL" ls "oci:$T/one")" $'v1\nv2' "ls of a layout"
assert_eq "$("$DISTILL" ls "$T/one" --json | jq -c .)" '["v1","v2"]' "ls --json"

log "an index: the raw index, --platform picks an image"
"$DISTILL" manifest "oci:$T/idx:multi" >"$T/i"
"${SK[@]}" --raw "oci:$T/idx:multi" >"$T/i.sk"
cmp "$T/i" "$T/i.sk" || die "index differs from skopeo inspect --raw"
I=$("$DISTILL" digest "oci:$T/idx:multi")
assert_eq "$I" "$(digest_of <"$T/i")" "index digest"
ARM=$(jq -r '.manifests[] | select(.platform.architecture=="arm64") | .digest' "$T/i")
assert_eq "$("$DISTILL" digest "oci:$T/idx:multi" --platform linux/arm64)" "$ARM" "digest --platform"
"$DISTILL" manifest "oci:$T/idx:multi" --platform linux/arm64 >"$T/ma"
assert_eq "$(digest_of <"$T/ma")" "$ARM" "manifest --platform is the arm64 manifest"
"$DISTILL" config "oci:$T/idx:multi" --platform linux/arm64/v8 >"$T/ca"
"${SK[@]}" --override-arch arm64 --config --raw "oci:$T/idx:multi" >"$T/ca.sk"
cmp "$T/ca" "$T/ca.sk" || die "config --platform differs from skopeo's arm64 config"
assert_eq "$(jq -r .architecture "$T/ca")" arm64 "config --platform architecture"
expect_fail out "$DISTILL" config "oci:$T/idx:multi" --platform linux/s390x
assert_eq "$out" "distill: error: no image for platform linux/s390x in the index" "unknown platform"
expect_fail out "$DISTILL" digest "oci:$T/one:v1" --platform linux/arm64
assert_contains "$out" "is a single image for linux/amd64, not linux/arm64" "single image mismatch"

log "archives: oci-archive and docker-archive"
"$DISTILL" -q copy "oci:$T/one:v1" "oci-archive:$T/a.tar:t1" >/dev/null
assert_eq "$("$DISTILL" ls "oci-archive:$T/a.tar")" t1 "ls of an oci-archive"
"$DISTILL" manifest "oci-archive:$T/a.tar:t1" | cmp - "$T/m" || die "oci-archive manifest"
"$DISTILL" -q copy "oci:$T/one:v1" "docker-archive:$T/d.tar:app:3" >/dev/null
assert_eq "$("$DISTILL" ls "docker-archive:$T/d.tar")" app:3 "ls of a docker-archive"
"$DISTILL" config "docker-archive:$T/d.tar" | cmp - "$T/c" || die "docker-archive config"

log "a registry: tags, raw bytes and digests against skopeo"
start_registry reg "$T"
R=127.0.0.1:$REG_PORT
"$DISTILL" -q copy "oci:$T/idx:multi" "docker://$R/t/app:1" --insecure >/dev/null
"$DISTILL" -q copy "oci:$T/one:v1" "docker://$R/t/app:2" --insecure >/dev/null
assert_eq "$("$DISTILL" ls "docker://$R/t/app" --insecure | sort)" $'1\n2' "ls of a repository"
for ref in "docker://$R/t/app:1" "docker://$R/t/app:2"; do
  "$DISTILL" manifest "$ref" --insecure >"$T/rm"
  "${SK[@]}" --raw "$ref" >"$T/rm.sk"
  cmp "$T/rm" "$T/rm.sk" || die "$ref: manifest differs from skopeo"
  assert_eq "$("$DISTILL" digest "$ref" --insecure)" "$(digest_of <"$T/rm")" "$ref digest"
done
assert_eq "$("$DISTILL" digest "docker://$R/t/app:1" --insecure)" "$I" "registry index digest"
assert_eq "$("$DISTILL" digest "docker://$R/t/app:2" --insecure)" \
  "$("${SK[@]}" --format '{{.Digest}}' "docker://$R/t/app:2")" "digest as skopeo says"
"$DISTILL" config "docker://$R/t/app:1" --insecure --platform linux/arm64 >"$T/rc"
cmp "$T/rc" "$T/ca" || die "registry config --platform"
"$DISTILL" config "docker://$R/t/app:2" --insecure >"$T/rc2"
"${SK[@]}" --config --raw "docker://$R/t/app:2" >"$T/rc2.sk"
cmp "$T/rc2" "$T/rc2.sk" || die "registry config differs from skopeo"
expect_fail out "$DISTILL" ls "docker://$R/nope/none" --insecure
assert_contains "$out" "not found" "ls of a missing repository"
echo PASS
