#!/usr/bin/env bash
# SIGKILL at random points of a build leaves -o holding the complete old
# image or the complete new one, never a mix: for an OCI layout replaced by
# a new image, a docker-archive file, and a tag added to an existing layout.
# Killed builds leave locked-temp leftovers; the next build removes them
# (and keeps a temp dir some live process still holds).
. "$(dirname "$0")/common.bash"
need flock
KILLS=${FAULT_KILLS:-12}
start_http "$FAM/repo"
fault_definition "$T/static.yaml" static "http://127.0.0.1:$HTTP_PORT"
build() { "$DISTILL" -q build "$T/static.yaml" "$@"; }

# References built without interference. Old and new differ in every layer
# (the epoch is the mtime of status.d records and generated files).
old=$(build -o "$T/ref/old" --source-date-epoch 1)
t0=$(now_ms)
new=$(build -o "$T/ref/new" --source-date-epoch 2)
span=$(($(now_ms) - t0))
[[ $old != "$new" ]] || die "old and new images have the same digest"
assert_eq "$(check_oci "$T/ref/old")" "latest $old" "reference old layout"
assert_eq "$(check_oci "$T/ref/new")" "latest $new" "reference new layout"
build --format docker-archive -o "$T/ref/old.tar" --source-date-epoch 1 >/dev/null
build --format docker-archive -o "$T/ref/new.tar" --source-date-epoch 2 >/dev/null
check_archive "$T/ref/old.tar" >/dev/null
check_archive "$T/ref/new.tar" >/dev/null
old_tar=$(sha256sum <"$T/ref/old.tar")
new_tar=$(sha256sum <"$T/ref/new.tar")
log "a warm build takes ${span} ms; killing $KILLS times at random points within it"

# kill_at_random OUT ARGS...: runs `build ARGS` and SIGKILLs it after a
# random delay in [0, span]; prints "killed" or "finished".
kill_at_random() {
  local ms=$(((RANDOM * 32768 + RANDOM) % (span + 1))) pid
  # exec: $! must be distill itself, not a subshell that outlives the kill.
  (exec "$DISTILL" -q build "$T/static.yaml" "$@" >/dev/null 2>&1) &
  pid=$!
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  if kill -KILL "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    echo killed
  else
    wait "$pid" || die "an unkilled build failed"
    echo finished
  fi
}

# loop NAME CHECK...: KILLS rounds of "restore old, start the new build,
# kill it, run CHECK"; counts which state each round left.
declare -A seen
loop() {
  local name=$1 i how state
  shift
  seen=()
  for ((i = 1; i <= KILLS; i++)); do
    "$@"
  done
  local summary="" k
  for k in "${!seen[@]}"; do summary+=" $k=${seen[$k]}"; done
  log "$name:$summary"
}
count() { seen[$1]=$((${seen[$1]:-0} + 1)); }

log "OCI layout replaced by a new image"
oci_round() {
  rm -rf "$T/out/img"
  cp -a "$T/ref/old" "$T/out/img"
  how=$(kill_at_random -o "$T/out/img" --source-date-epoch 2)
  state=$(check_oci "$T/out/img") || die "round $i ($how): $T/out/img is not a complete layout"
  case $state in
    "latest $old") count "$how-old" ;;
    "latest $new") count "$how-new" ;;
    *) die "round $i ($how): layout holds '$state', neither old ($old) nor new ($new)" ;;
  esac
  count "leftovers-$(temps_in "$T/out" | wc -l)"
}
mkdir -p "$T/out"
loop oci oci_round

log "a tag added to an existing layout"
tag_round() {
  rm -rf "$T/out/img"
  cp -a "$T/ref/old" "$T/out/img"
  how=$(kill_at_random -o "$T/out/img" --source-date-epoch 2 -t extra)
  state=$(check_oci "$T/out/img") || die "round $i ($how): $T/out/img is not a complete layout"
  case $state in
    "latest $old") count "$how-old" ;;
    "extra $new"$'\n'"latest $old") count "$how-new" ;;
    *) die "round $i ($how): layout holds '$state', expected latest=$old [+ extra=$new]" ;;
  esac
  count "leftovers-$(temps_in "$T/out" | wc -l)"
}
loop tag tag_round

log "docker-archive replaced by a new one"
archive_round() {
  cp "$T/ref/old.tar" "$T/out/img.tar"
  how=$(kill_at_random --format docker-archive -o "$T/out/img.tar" --source-date-epoch 2)
  check_archive "$T/out/img.tar" >/dev/null || die "round $i ($how): img.tar is not complete"
  case $(sha256sum <"$T/out/img.tar") in
    "$old_tar") count "$how-old" ;;
    "$new_tar") count "$how-new" ;;
    *) die "round $i ($how): img.tar is neither the old nor the new archive" ;;
  esac
  count "leftovers-$(temps_in "$T/out" | wc -l)"
}
loop docker-archive archive_round

log "the next build removes stale temps and keeps one that is in use"
# Stand-ins for crash leftovers, beside -o and in TMPDIR, plus one whose
# owner is alive (holds the lock) and must survive.
mkdir -p "$T/out/.img.tmp-AAAAAA/blobs" "$TMPDIR/.distill-gpgv.tmp-BBBBBB" "$T/out/.img.tmp-LIVE00"
touch "$T/out/.img.tmp-AAAAAA/blobs/partial"
start_bg holder flock "$T/out/.img.tmp-LIVE00" sleep 600
for ((i = 0; i < 100; i++)); do
  flock -n "$T/out/.img.tmp-LIVE00" true || break
  sleep 0.05
done
# The last tag round may have finished (extra=new): start from the old image.
rm -rf "$T/out/img"
cp -a "$T/ref/old" "$T/out/img"
assert_eq "$(build -o "$T/out/img" --source-date-epoch 2)" "$new" "digest after the kills"
assert_eq "$(check_oci "$T/out/img")" "latest $new" "final layout"
assert_eq "$(build --format docker-archive -o "$T/out/img.tar" --source-date-epoch 2)" "$new" \
  "docker-archive digest after the kills"
assert_eq "$(sha256sum <"$T/out/img.tar")" "$new_tar" "final docker-archive"
assert_eq "$(temps_in "$T/out")" ".img.tmp-LIVE00" "temp entries beside -o after a clean build"
assert_eq "$(temps_in "$TMPDIR")" "" "temp entries in TMPDIR after a clean build"
echo "kill_loop: ok"
