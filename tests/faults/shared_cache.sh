#!/usr/bin/env bash
# Three builds at once sharing one cold cache directory, into different
# outputs, all succeed with the digests of serial builds, and leave a cache
# whose every entry matches its name.
. "$(dirname "$0")/common.bash"
start_http "$FAM/repo"
fault_definition "$T/static.yaml" static "http://127.0.0.1:$HTTP_PORT"
fault_definition "$T/base.yaml" base "http://127.0.0.1:$HTTP_PORT"

log "serial references"
static=$("$DISTILL" -q build "$T/static.yaml" -o "$T/ref/static" --cache-dir "$T/serial")
base=$("$DISTILL" -q build "$T/base.yaml" -o "$T/ref/base" --cache-dir "$T/serial")

for round in 1 2; do
  log "round $round: three builds at once on a cold cache"
  C="$T/shared$round"
  pids=()
  "$DISTILL" -q build "$T/static.yaml" -o "$T/out/a$round" --cache-dir "$C" >"$T/a.out" 2>"$T/a.err" &
  pids+=($!)
  "$DISTILL" -q build "$T/base.yaml" -o "$T/out/b$round" --cache-dir "$C" >"$T/b.out" 2>"$T/b.err" &
  pids+=($!)
  "$DISTILL" -q build "$T/static.yaml" --format docker-archive -o "$T/out/c$round.tar" \
    --cache-dir "$C" >"$T/c.out" 2>"$T/c.err" &
  pids+=($!)
  for k in 0 1 2; do
    wait "${pids[k]}" || die "concurrent build $k failed: $(cat "$T"/{a,b,c}.err)"
  done
  assert_eq "$(cat "$T/a.out")" "$static" "static digest (concurrent)"
  assert_eq "$(cat "$T/b.out")" "$base" "base digest (concurrent)"
  assert_eq "$(cat "$T/c.out")" "$static" "docker-archive digest (concurrent)"
  assert_eq "$(check_oci "$T/out/a$round")" "latest $static" "layout a"
  assert_eq "$(check_oci "$T/out/b$round")" "latest $base" "layout b"
  check_archive "$T/out/c$round.tar" >/dev/null
  n=0
  for f in "$C"/blobs/sha256/*; do
    assert_eq "$(sha256sum <"$f" | cut -d' ' -f1)" "$(basename "$f")" "cache entry $f"
    n=$((n + 1))
  done
  assert_eq "$n" "$(ls "$T/serial/blobs/sha256" | wc -l)" "number of cache entries"
  assert_eq "$(ls -A "$C/tmp")" "" "downloads left in $C/tmp"
done
echo "shared_cache: ok"
