#!/usr/bin/env bash
# Progress and verbosity (issue 18 item 5), on a pseudo-terminal from
# script(1): on a terminal one live display, redrawn in place (cursor up,
# erase), with a row for the downloads and for each layer being written;
# TERM=dumb gets plain lines, one per finished task, without \r or escape
# codes; piped stderr gets no progress at all (-v: the plain lines); -q
# prints nothing but the result (the digest), on a terminal too.
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg script
make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo"

cat >"$T/app.yaml" <<YAML
name: progress-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [stable], keyring: "$T/fx/keyring.gpg"}
architectures: [amd64]
packages: [hello]
YAML
# on_tty NAME TERM ARGS...: runs distill ARGS on a pty with TERM set and an
# empty cache (so the packages are downloaded); its output is in $T/NAME.
on_tty() {
  local name=$1 term=$2
  shift 2
  rm -rf "$T/cache"
  XDG_CACHE_HOME="$T/cache" TERM=$term script -qfec "$DISTILL $* -o $T/out/$name" /dev/null \
    >"$T/$name" </dev/null || die "$name: distill failed: $(cat "$T/$name")"
}
ESC=$'\e'
CR=$'\r'

log "a terminal: one live display with downloads and layers, redrawn in place"
on_tty live xterm build "$T/app.yaml"
live=$(cat "$T/live")
assert_contains "$live" "${ESC}[J" "live display (erase below)"
assert_contains "$live" "${ESC}[1A" "live display (cursor up over the rows drawn)"
assert_contains "$live" "Downloading" "download row"
assert_contains "$live" "layer 2/3 package greet-data 1.0-1" "layer row"
assert_contains "$live" "${ESC}[Jlayers  " "the row of all layers, redrawn"
digest=$(jq -r '.manifests[0].digest' "$T/out/live/index.json")
assert_eq "$(tail -1 <<<"$live" | tr -d '\r')" "$digest" "last line: the digest"

log "TERM=dumb: plain lines, no \\r redraws, no escape codes"
on_tty dumb dumb build "$T/app.yaml"
# The pty turns each \n into \r\n: any other \r is a redraw.
dumb=$(sed 's/\r$//' "$T/dumb")
assert_not_contains "$dumb" "$CR" "TERM=dumb output"
assert_not_contains "$dumb" "$ESC" "TERM=dumb output"
grep -Eqx 'Downloading: [0-9.]+ [KMG]?i?B in [0-9.]+ s( \([0-9.]+ [KMG]?i?B/s\))?' <<<"$dumb" \
  || die "no plain download line: $dumb"
for l in "layer 1/3 package hello 1.0-1" "layer 2/3 package greet-data 1.0-1" "layer 3/3 package libgreet1 1.0-1" layers; do
  grep -Eqx "$l: [0-9.]+ [KMG]?i?B in [0-9.]+ s( \([0-9.]+ [KMG]?i?B/s\))?" <<<"$dumb" \
    || die "no plain line for '$l': $dumb"
done
assert_eq "$(tail -1 <<<"$dumb")" "$digest" "TERM=dumb: last line"

log "-q on a terminal: nothing but the digest"
on_tty quiet xterm -q build "$T/app.yaml"
assert_eq "$(tr -d '\r' <"$T/quiet")" "$digest" "-q on a terminal"
on_tty quiet-after xterm build "$T/app.yaml" -q
assert_eq "$(tr -d '\r' <"$T/quiet-after")" "$digest" "build ... -q on a terminal"

log "piped: no progress on stderr (the digest alone on stdout); -v: the plain lines"
export XDG_CACHE_HOME="$T/cache-piped"
out=$("$DISTILL" build "$T/app.yaml" -o "$T/out/piped" 2>"$T/piped.err")
assert_eq "$out" "$digest" "piped stdout"
err=$(cat "$T/piped.err")
assert_not_contains "$err" "layer 1/" "piped stderr"
assert_not_contains "$err" "Downloading" "piped stderr"
assert_not_contains "$err" "$ESC" "piped stderr"
assert_not_contains "$err" "$CR" "piped stderr"
rm -rf "$T/cache-piped"
"$DISTILL" build "$T/app.yaml" -o "$T/out/verbose" -v 2>"$T/verbose.err" >/dev/null
grep -Eq '^layer 3/3 package libgreet1 1.0-1: [0-9.]+ [KMG]?i?B in ' "$T/verbose.err" \
  || die "-v piped: no layer line: $(cat "$T/verbose.err")"
grep -q '^Downloading: ' "$T/verbose.err" || die "-v piped: no download line: $(cat "$T/verbose.err")"
assert_not_contains "$(cat "$T/verbose.err")" "$ESC" "-v piped stderr"

log "-q and -v on every command"
for cmd in "images" "inspect $T/out/piped" "sbom $T/out/piped" "verify $T/out/piped" \
  "digest oci:$T/out/piped" "ls oci:$T/out/piped" "gc $T/out/piped --dry-run"; do
  "$DISTILL" $cmd -q >/dev/null 2>"$T/q.err" || die "distill $cmd -q failed: $(cat "$T/q.err")"
  assert_eq "$(cat "$T/q.err")" "" "stderr of distill $cmd -q"
  "$DISTILL" $cmd -v >/dev/null 2>&1 || die "distill $cmd -v failed"
done
echo PASS
