#!/usr/bin/env bash
# OCI layouts (issue 18): directories and files get the umask's modes (the
# stage made by mkdtemp is renamed into place), a layout written again keeps
# only the blobs some tag reaches (blob count stable over rebuilds), and
# `distill gc` removes unreachable blobs other tools left, after which
# skopeo still reads every tag.
. "$(dirname "$0")/lib.sh"
need skopeo jq
make_tmpdir T
nblobs() { find "$1/blobs/sha256" -type f | wc -l; }
# The blobs index.json reaches (single-image entries), counted by jq, not distill.
nreach() {
  local m
  for m in $(jq -r '.manifests[].digest' "$1/index.json"); do
    echo "$m"
    jq -r '.config.digest, .layers[].digest' "$1/blobs/sha256/${m#sha256:}"
  done | sort -u | wc -l
}
def() {
  cat >"$T/app.yaml" <<YAML
name: gctest
directories:
  - {path: /tmp, mode: "1777"}
files:
  - {dest: /etc/motd, content: "build $1\n"}
config:
  env: ["STAGE=$1"]
YAML
}

log "modes under umask 022"
umask 022
def keep
"$DISTILL" -q build "$T/app.yaml" -o "$T/lay" -t keep >/dev/null
for d in "$T/lay" "$T/lay/blobs" "$T/lay/blobs/sha256"; do
  assert_eq "$(stat -c %a "$d")" 755 "mode of ${d#"$T"/}"
done
assert_eq "$(stat -c %a "$T/lay/index.json")" 644 "mode of index.json"
assert_eq "$(stat -c %a "$T/lay/oci-layout")" 644 "mode of oci-layout"
assert_eq "$(find "$T/lay/blobs/sha256" -type f ! -perm 644 | wc -l)" 0 "blobs not 0644"
KEEP=$(nblobs "$T/lay")

log "three rebuilds of one tag with a changed definition: the count stays"
def 1
"$DISTILL" -q build "$T/app.yaml" -o "$T/lay" -t rebuilt >/dev/null
N=$(nblobs "$T/lay")
[[ $N -gt $KEEP ]] || die "a second tag added no blobs ($N)"
for i in 2 3 4; do
  def "$i"
  "$DISTILL" -q build "$T/app.yaml" -o "$T/lay" -t rebuilt >/dev/null
  assert_eq "$(nblobs "$T/lay")" "$N" "blob count after rebuild $i"
  assert_eq "$(nreach "$T/lay")" "$N" "every blob is reachable after rebuild $i"
  assert_eq "$(skopeo inspect --config --raw "oci:$T/lay:rebuilt" | jq -r '.config.Env[] | select(startswith("STAGE="))')" \
    "STAGE=$i" "config of rebuild $i"
done
assert_eq "$(skopeo inspect --config --raw "oci:$T/lay:keep" | jq -r '.config.Env[] | select(startswith("STAGE="))')" \
  "STAGE=keep" "the other tag survives the rebuilds"
assert_eq "$(stat -c %a "$T/lay")" 755 "mode after a rewrite"

log "umask 027 gives 0750"
(umask 027 && "$DISTILL" -q build "$T/app.yaml" -o "$T/lay027" >/dev/null)
assert_eq "$(stat -c %a "$T/lay027")" 750 "layout mode under umask 027"

log "distill gc: blobs another tool left unreachable"
skopeo copy -q "oci:$T/lay:keep" "oci:$T/lay:extra"
def extra
"$DISTILL" -q build "$T/app.yaml" -o "$T/other" -t x >/dev/null
skopeo copy -q "oci:$T/other:x" "oci:$T/lay:x"
BEFORE=$(nblobs "$T/lay")
# What skopeo added for x, less what other tags share, goes with x's entry.
jq '.manifests |= map(select(.annotations["org.opencontainers.image.ref.name"] != "x"))' \
  "$T/lay/index.json" >"$T/idx" && cp "$T/idx" "$T/lay/index.json"
G=$((BEFORE - $(nreach "$T/lay")))
[[ $G -ge 2 ]] || die "dropping x left only $G unreachable blobs"
out=$("$DISTILL" gc "$T/lay" --dry-run)
assert_contains "$out" "would free $G unreachable blobs" "gc --dry-run"
assert_eq "$(nblobs "$T/lay")" "$BEFORE" "blob count after --dry-run"
j=$("$DISTILL" gc "oci:$T/lay" --json)
assert_eq "$(jq -r .blobs <<<"$j")" "$G" "blobs freed"
assert_eq "$(jq -r '.removed | length' <<<"$j")" "$G" "removed list"
[[ $(jq -r .bytes <<<"$j") -gt 0 ]] || die "no bytes freed: $j"
assert_eq "$(nblobs "$T/lay")" "$((BEFORE - G))" "blob count after gc"
assert_eq "$(nblobs "$T/lay")" "$(nreach "$T/lay")" "only reachable blobs are left"
for t in keep extra rebuilt; do
  skopeo inspect "oci:$T/lay:$t" >/dev/null || die "skopeo cannot read tag $t after gc"
done
skopeo copy -q "oci:$T/lay:rebuilt" "oci:$T/check:r" || die "skopeo copy after gc"
assert_eq "$("$DISTILL" gc "$T/lay")" "freed 0 unreachable blobs, 0 B" "second gc"

log "gc refuses when a reachable manifest is missing"
M=$(jq -r '.manifests[0].digest' "$T/lay/index.json")
rm "$T/lay/blobs/sha256/${M#sha256:}"
expect_fail out "$DISTILL" gc "$T/lay"
assert_contains "$out" "that index.json reaches is missing; not collecting" "gc on a broken layout"
expect_fail out "$DISTILL" gc "$T/app.yaml"
assert_contains "$out" "is not an OCI image layout directory" "gc of a file"
echo PASS
