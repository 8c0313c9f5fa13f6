#!/usr/bin/env bash
# A full disk (a small tmpfs) as the output's parent, and separately as the
# cache, fails the build with one clear error line naming the path and "No
# space left on device", and leaves no temp entries on the full filesystem.
. "$(dirname "$0")/common.bash"
start_http "$FAM/repo"
fault_definition "$T/static.yaml" static "http://127.0.0.1:$HTTP_PORT"

mkdir -p "$T/small"
mount -t tmpfs -o size=256k tmpfs "$T/small" 2>/dev/null || skip "cannot mount a tmpfs here"
on_exit "umount -l '$T/small'"
# Warm the cache elsewhere first, so the output case fails on the output.
"$DISTILL" -q build "$T/static.yaml" -o "$T/warm" >/dev/null

# full_build WHAT ARGS...: the build must fail with exactly one line that
# says why and names a path on the tmpfs; nothing may be left behind.
full_build() {
  local what=$1 out lines
  shift
  expect_fail out "$DISTILL" -q build "$T/static.yaml" "$@"
  lines=$(grep -c . <<<"$out")
  assert_eq "$lines" 1 "$what: number of error lines ($out)"
  assert_contains "$out" "No space left on device" "$what: error"
  assert_contains "$out" "$T/small/" "$what: error"
  log "$what: $out"
  [[ -z $(find "$T/small" -name '.*.tmp-*') ]] || die "$what: temp entries left: $(find "$T/small")"
}

log "OCI layout on a full filesystem"
full_build oci -o "$T/small/img"
[[ ! -e $T/small/img ]] || die "a failed build left $T/small/img"

log "docker-archive on a full filesystem"
full_build docker-archive --format docker-archive -o "$T/small/img.tar"
[[ ! -e $T/small/img.tar ]] || die "a failed build left $T/small/img.tar"

log "an existing layout on a full filesystem is kept as it was"
# A small image (no packages) fits; replacing it with static does not.
cat >"$T/tiny.yaml" <<'YAML'
files:
  - {dest: /etc/hello, content: "hi\n"}
YAML
tiny=$("$DISTILL" -q build "$T/tiny.yaml" -o "$T/small/img")
full_build "existing layout" -o "$T/small/img"
assert_eq "$(check_oci "$T/small/img")" "latest $tiny" "layout after the failed build"
rm -rf "$T/small/img"

log "package cache on a full filesystem"
full_build cache -o "$T/out/img" --cache-dir "$T/small/cache"
[[ ! -e $T/out/img ]] || die "a failed build left $T/out/img"
[[ -z $(find "$T/small/cache/tmp" -type f) ]] || die "partial downloads left: $(ls "$T/small/cache/tmp")"
[[ -z $(temps_in "$T/out") ]] || die "temp entries left beside -o: $(temps_in "$T/out")"
echo "full_disk: ok"
