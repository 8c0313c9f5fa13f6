#!/bin/bash
# oci-archive:FILE[:TAG] (a tar of an OCI layout, as skopeo, podman and
# buildah write it) in both directions against skopeo: distill writes one
# (build --format oci-archive, copy), skopeo inspects and copies it with the
# same digests; distill reads what skopeo wrote (inspect, extract, copy back);
# broken archives fail with one-line errors.
. "$(dirname "$0")/lib.sh"
need skopeo jq tar
make_tmpdir T
digest_of() { echo "sha256:$(sha256sum | cut -d' ' -f1)"; }

cat >"$T/app.yaml" <<'YAML'
name: archtest
directories:
  - {path: /tmp, mode: "1777"}
files:
  - {dest: /etc/motd, content: "hello from an oci-archive\n"}
config:
  env: ["STAGE=oci-archive"]
YAML

D=$("$DISTILL" -q build "$T/app.yaml" -o "$T/oci" 2>/dev/null) || die "build to oci failed"

log "build --format oci-archive: the same image, readable by skopeo"
got=$("$DISTILL" -q build "$T/app.yaml" --format oci-archive -o "$T/built.tar" -t v1 2>/dev/null)
assert_eq "$got" "$D" "digest printed by build --format oci-archive"
assert_eq "$(skopeo inspect "oci-archive:$T/built.tar:v1" | jq -r .Digest)" "$D" "skopeo inspect digest"
assert_eq "$(skopeo inspect --raw "oci-archive:$T/built.tar:v1" | digest_of)" "$D" "raw manifest digest"
skopeo copy -q "oci-archive:$T/built.tar:v1" "oci:$T/sk1:x" || die "skopeo copy of our oci-archive failed"
assert_eq "$(jq -r '.manifests[0].digest' "$T/sk1/index.json")" "$D" "digest after skopeo copy"
[[ -z $(find "$T" -maxdepth 1 -name '.*.tmp-*') ]] || die "build left temp entries: $(ls -a "$T")"

log "copy oci -> oci-archive (no tag: latest), skopeo reads it"
got=$("$DISTILL" copy "oci:$T/oci" "oci-archive:$T/copied.tar")
assert_eq "$got" "$D" "digest printed by copy"
assert_eq "$(skopeo inspect "oci-archive:$T/copied.tar:latest" | jq -r .Digest)" "$D" "skopeo inspect of copy"
skopeo copy -q "oci-archive:$T/copied.tar" "docker-archive:$T/sk.docker.tar:a:1" \
  || die "skopeo copy oci-archive -> docker-archive failed"

log "an index: build --arch amd64,arm64 --format oci-archive"
I=$("$DISTILL" -q build "$T/app.yaml" --arch amd64,arm64 --format oci-archive -o "$T/index.tar" \
  2>/dev/null) || die "index build failed"
assert_eq "$(skopeo inspect --raw "oci-archive:$T/index.tar" | digest_of)" "$I" "raw index digest"
skopeo copy -q --all "oci-archive:$T/index.tar" "oci:$T/skidx:y" || die "skopeo copy --all failed"
assert_eq "$(jq -r '.manifests[0].digest' "$T/skidx/index.json")" "$I" "index digest after skopeo copy"
assert_eq "$("$DISTILL" copy "oci-archive:$T/index.tar" "oci:$T/idx2")" "$I" "distill reads the index back"

log "distill reads what skopeo wrote"
skopeo copy -q "oci:$T/oci:latest" "oci-archive:$T/skopeo.tar:t1" || die "skopeo copy to oci-archive failed"
assert_eq "$("$DISTILL" inspect "oci-archive:$T/skopeo.tar:t1" --json | jq -r .digest)" "$D" \
  "inspect of skopeo's oci-archive"
assert_eq "$("$DISTILL" inspect "$T/skopeo.tar" --json | jq -r .digest)" "$D" "a bare path is sniffed"
"$DISTILL" -q extract "oci-archive:$T/skopeo.tar" /etc/motd -o "$T/x" 2>/dev/null
assert_eq "$(cat "$T/x/etc/motd")" "hello from an oci-archive" "extracted file"
assert_eq "$("$DISTILL" copy "oci-archive:$T/skopeo.tar:t1" "oci:$T/back")" "$D" "copy back to oci"
assert_eq "$(jq -r '.manifests[0].digest' "$T/back/index.json")" "$D" "digest in the copied layout"
expect_fail out "$DISTILL" inspect "oci-archive:$T/skopeo.tar:nope"
assert_eq "$out" "distill: error: $T/skopeo.tar: no image tagged 'nope' (tags: t1)" "unknown tag"

log "broken archives: one-line errors"
head -c 3000 "$T/skopeo.tar" >"$T/truncated.tar"
expect_fail out "$DISTILL" inspect "oci-archive:$T/truncated.tar"
want="^distill: error: $T/truncated.tar is not a readable oci-archive: cannot read data of "
want+="blobs/sha256/[0-9a-f]{64}: truncated \\(the data ends early\\): Truncated input file "
want+="\\(needed [0-9]+ bytes, only [0-9]+ available\\)$"
[[ $out =~ $want ]] || die "truncated archive: unexpected message: $out"
head -c 20000 /dev/urandom >"$T/garbage.tar"
expect_fail out "$DISTILL" inspect "oci-archive:$T/garbage.tar"
assert_eq "$out" \
  "distill: error: $T/garbage.tar is not a readable oci-archive: Unrecognized archive format" "garbage"
mkdir "$T/noindex"
tar -C "$T/back" -cf "$T/noindex.tar" oci-layout blobs
expect_fail out "$DISTILL" inspect "oci-archive:$T/noindex.tar"
assert_eq "$out" "distill: error: $T/noindex.tar is not an oci-archive: no index.json" "missing index.json"
expect_fail out "$DISTILL" copy "oci:$T/oci" "oci-archive:$T/app.yaml"
assert_eq "$out" "distill: error: $T/app.yaml exists and is not an oci-archive; refusing to overwrite it" \
  "overwriting another file"
assert_contains "$(cat "$T/app.yaml")" "name: archtest" "the refused file is intact"
log "ok"
