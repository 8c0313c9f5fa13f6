#!/usr/bin/env bash
# A mirror that accepts and never answers, and one that sends headers and
# half a .deb and then stalls, fail the build (no hang) with a message that
# names the URL and the --timeout in force. `timeout 120` turns a regression
# into a failure instead of a hung test.
. "$(dirname "$0")/common.bash"
need timeout

# bounded_fail OUTVAR ARGS...: the build must fail by itself before 120 s.
bounded_fail() {
  local -n _o=$1
  shift
  local rc=0
  _o=$(timeout 120 "$DISTILL" build "$@" 2>&1) || rc=$?
  [[ $rc -ne 124 ]] || die "build still running after 120 s: $*"
  [[ $rc -ne 0 ]] || die "build succeeded against a hanging mirror: $*"
}

log "a server that accepts and never answers"
start_http "$FAM/repo" hang
fault_definition "$T/hang.yaml" static "http://127.0.0.1:$HTTP_PORT"
bounded_fail out "$T/hang.yaml" -o "$T/out/hang" --timeout 1 --cache-dir "$T/cache-hang"
log "$out"
assert_contains "$out" "http://127.0.0.1:$HTTP_PORT/dists/bookworm/InRelease"
assert_contains "$out" "timed out"
assert_contains "$out" "stall limit 1 s"
[[ ! -e $T/out/hang ]] || die "a failed build left an output"

log "a server that stalls in the middle of a .deb"
start_http "$FAM/repo" stall "$T/stall.log"
fault_definition "$T/stall.yaml" static "http://127.0.0.1:$HTTP_PORT"
bounded_fail out "$T/stall.yaml" -o "$T/out/stall" --timeout 1 --cache-dir "$T/cache-stall"
log "$out"
assert_contains "$out" "http://127.0.0.1:$HTTP_PORT/pool/"
assert_contains "$out" ".deb"
assert_contains "$out" "stall limit 1 s"
grep -q "GET /pool/" "$T/stall.log" || die "no .deb was requested: $(cat "$T/stall.log")"
[[ ! -e $T/out/stall ]] || die "a failed build left an output"
[[ -z $(ls -A "$T/cache-stall/tmp") ]] || die "partial downloads left: $(ls "$T/cache-stall/tmp")"
[[ -z $(temps_in "$T/out") ]] || die "temp entries left beside -o: $(temps_in "$T/out")"

log "--timeout is documented and checked"
assert_contains "$("$DISTILL" build --help)" "--timeout"
expect_fail out "$DISTILL" build "$T/stall.yaml" -o "$T/out/x" --timeout 0
assert_contains "$out" "--timeout"
echo "hanging_mirror: ok"
