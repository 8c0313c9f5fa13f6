#!/usr/bin/env bash
# --platform (issue 18): `build --platform os/arch[/variant],...` builds the
# Debian architectures those platforms map to (the same image as --arch);
# `copy --platform` copies only that platform's manifest out of an index;
# unknown platforms fail with a message listing the known ones.
. "$(dirname "$0")/lib.sh"
need skopeo jq
make_tmpdir T
cat >"$T/app.yaml" <<'YAML'
name: platformtest
directories:
  - {path: /tmp, mode: "1777"}
files:
  - {dest: /etc/motd, content: "platforms\n"}
YAML
platforms() {
  local idx
  idx=$(jq -r '.manifests[0].digest' "$1/index.json")
  jq -r '[.manifests[].platform | [.os, .architecture, .variant // empty] | join("/")] | join(",")' \
    "$1/blobs/sha256/${idx#sha256:}"
}

log "build --platform: every Debian mapping"
P=linux/amd64,linux/arm64/v8,linux/arm/v7,linux/s390x,linux/ppc64le,linux/riscv64
A=$("$DISTILL" -q build "$T/app.yaml" --platform "$P" -o "$T/p")
assert_eq "$(platforms "$T/p")" "$P" "platforms of the index"
B=$("$DISTILL" -q build "$T/app.yaml" --arch amd64,arm64,armhf,s390x,ppc64el,riscv64 -o "$T/a")
assert_eq "$A" "$B" "--platform builds what --arch builds"
C=$("$DISTILL" -q build "$T/app.yaml" --platform linux/arm64 -o "$T/one")
assert_eq "$(skopeo inspect --config --raw "oci:$T/one" | jq -r '.architecture + "/" + .variant')" \
  "arm64/v8" "linux/arm64 without a variant"

log "unknown platforms and conflicting flags"
expect_fail out "$DISTILL" build "$T/app.yaml" --platform linux/mips -o "$T/x"
assert_contains "$out" "distill: error: unknown platform 'linux/mips' (known: linux/amd64, linux/arm64/v8, linux/arm/v7," "linux/mips"
expect_fail out "$DISTILL" build "$T/app.yaml" --platform windows/amd64 -o "$T/x"
assert_contains "$out" "unknown platform 'windows/amd64' (Debian images are linux/...;" "windows"
expect_fail out "$DISTILL" build "$T/app.yaml" --platform linux/arm/v6 -o "$T/x"
assert_contains "$out" "unknown platform 'linux/arm/v6'" "arm/v6"
expect_fail out "$DISTILL" build "$T/app.yaml" --platform linux/amd64 --arch amd64 -o "$T/x"
assert_contains "$out" "excludes" "--platform with --arch"
[[ ! -e $T/x ]] || die "a refused build left an output"

log "copy --platform: only that platform's manifest"
ARM=$(jq -r '.manifests[] | select(.platform.architecture=="arm" and .platform.variant=="v7") | .digest' \
  "$T/p/blobs/sha256/$(jq -r '.manifests[0].digest' "$T/p/index.json" | cut -d: -f2)")
got=$("$DISTILL" copy "oci:$T/p" "oci:$T/armhf" --platform linux/arm/v7)
assert_eq "$got" "$ARM" "digest printed by copy --platform"
assert_eq "$(jq -r '.manifests[0].digest' "$T/armhf/index.json")" "$ARM" "the copied manifest"
assert_eq "$(jq -r '.manifests[0].mediaType' "$T/armhf/index.json")" \
  application/vnd.oci.image.manifest.v1+json "an image, not an index"
assert_eq "$(skopeo inspect --raw "oci:$T/armhf" | sha256sum | cut -d' ' -f1)" "${ARM#sha256:}" \
  "skopeo reads the copied manifest"
expect_fail out "$DISTILL" copy "oci:$T/p" "oci:$T/y" --platform linux/mips64le
assert_eq "$out" "distill: error: no image for platform linux/mips64le in the index" "absent platform"
expect_fail out "$DISTILL" copy "oci:$T/one" "oci:$T/y" --platform linux/amd64
assert_contains "$out" "is a single image for linux/arm64/v8, not linux/amd64" "single image"
[[ ! -e $T/y ]] || die "a refused copy left an output"
echo PASS
