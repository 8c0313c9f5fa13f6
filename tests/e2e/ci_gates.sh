#!/usr/bin/env bash
# CI gates (issue 18 item 7): inspect --fail-on warning, --max-size,
# --max-layers and --max-wasted, and a definition's budget: that build
# enforces. Every breach is one line naming the limit, where it was set and
# the measured value; the exit status is 3; a build over budget writes
# nothing. The definition's generated layer overwrites a file of the hello
# package (wasted bytes: the README a container never sees).
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg
make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo"
export XDG_CACHE_HOME="$T/cache"

README="hello 1.0-1 (amd64) from stable"  # what make-apt-repo.sh writes
WASTED=$(( ${#README} + 1 ))
def() {
  cat >"$1" <<YAML
name: gates-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [stable], keyring: "$T/fx/keyring.gpg"}
architectures: [amd64]
packages: [hello]
files:
  - {dest: /usr/share/doc/hello/README, content: "replaced\n"}
YAML
  if [[ -n ${2:-} ]]; then printf '%s\n' "$2" >>"$1"; fi
}

log "build without a budget, then measure it"
def "$T/plain.yaml"
"$DISTILL" -q build "$T/plain.yaml" -o "$T/out/plain" >/dev/null
json=$("$DISTILL" inspect "$T/out/plain" --json)
SIZE=$(jq '.size.uncompressed' <<<"$json")
LAYERS=$(jq '.layers | length' <<<"$json")
assert_eq "$(jq '[.layers[] | .replaced_bytes + .removed_bytes] | add' <<<"$json")" "$WASTED" \
  "bytes hidden by the generated layer"
assert_eq "$(jq -c '.gates' <<<"$json")" "[]" "no gates asked for"
HSIZE=$(awk -v s="$SIZE" 'BEGIN { printf "%.1f", s / 1024 }')

log "inspect: every gate trips, each on its own line, exit 3"
set +e
err=$("$DISTILL" inspect "$T/out/plain" --max-size 1K --max-layers 2 --max-wasted 0 \
  --fail-on warning 2>&1 >/dev/null)
rc=$?
set -e
assert_eq "$rc" 3 "inspect exit status over the gates"
assert_eq "$err" "distill: gate failed: max-size 1 KiB (set by --max-size): the image is $HSIZE KiB ($SIZE bytes) uncompressed
distill: gate failed: max-layers 2 (set by --max-layers): the image has $LAYERS layers
distill: gate failed: max-wasted 0 bytes (set by --max-wasted): later layers hide $WASTED B ($WASTED bytes) of files earlier layers wrote
distill: gate failed: fail-on warning (set by --fail-on): the image has 4 warnings (no-ca-bundle, no-passwd, no-tzdata, no-tmp)" \
  "inspect breaches"

log "inspect: gates at the measured values pass, and --json carries the results"
json=$("$DISTILL" inspect "$T/out/plain" --json --max-size "$SIZE" --max-layers "$LAYERS" \
  --max-wasted "$WASTED")
assert_eq "$(jq -c '[.gates[] | [.gate, .limit, .measured, .passed, .where]]' <<<"$json")" \
  "[[\"max-size\",$SIZE,$SIZE,true,\"--max-size\"],[\"max-layers\",$LAYERS,$LAYERS,true,\"--max-layers\"],[\"max-wasted\",$WASTED,$WASTED,true,\"--max-wasted\"]]" \
  "gate results in --json"
set +e
json=$("$DISTILL" inspect "$T/out/plain" --json --max-wasted $(( WASTED - 1 )))
rc=$?
set -e
assert_eq "$rc" 3 "one byte over --max-wasted"
assert_eq "$(jq -c '[.gates[] | [.gate, .measured, .passed]]' <<<"$json")" \
  "[[\"max-wasted\",$WASTED,false]]" "failed gate in --json"
log "fractional sizes: 0.5K is 512 bytes, 1.5GiB is 1610612736"
json=$("$DISTILL" inspect "$T/out/plain" --json --max-size 1.5GiB --max-wasted 0.5K)
assert_eq "$(jq -c '[.gates[] | [.gate, .limit]]' <<<"$json")" '[["max-size",1610612736],["max-wasted",512]]' \
  "fractional limits"
expect_fail err "$DISTILL" inspect "$T/out/plain" --max-size 1.3K
assert_eq "$err" "distill: error: --max-size '1.3K' is not a whole number of bytes" "1.3K"
expect_fail err "$DISTILL" inspect "$T/out/plain" --fail-on error
assert_contains "$err" "--fail-on" "--fail-on takes only warning"
expect_fail err "$DISTILL" inspect "$T/out/plain" --max-size lots
assert_eq "$err" "distill: error: --max-size must be a positive size such as 512M, 1.5G or 2GiB, not 'lots'" \
  "bad --max-size"

log "build: a budget over every limit fails with each breach and writes nothing"
def "$T/over.yaml" "budget:
  max-size: 1K
  max-layers: 2
  max-wasted: 0"
set +e
err=$("$DISTILL" build "$T/over.yaml" -o "$T/out/over" 2>&1 >/dev/null)
rc=$?
set -e
assert_eq "$rc" 3 "build exit status over budget"
assert_eq "$err" "distill: gate failed: max-size 1 KiB (set by $T/over.yaml:9): the image is $HSIZE KiB ($SIZE bytes) uncompressed
distill: gate failed: max-layers 2 (set by $T/over.yaml:10): the image has $LAYERS layers
distill: gate failed: max-wasted 0 bytes (set by $T/over.yaml:11): later layers hide $WASTED B ($WASTED bytes) of files earlier layers wrote
distill: error: $T/over.yaml: the image is over its budget (3 breaches); no output was written" \
  "build breaches"
[[ ! -e $T/out/over ]] || die "a build over budget wrote $T/out/over"
[[ -z $(find "$T/out" -maxdepth 1 -name '.*') ]] || die "a build over budget left a temp file"

log "build: one limit over (inherited through from:) is the only line"
cat >"$T/child.yaml" <<YAML
from: $T/over.yaml
budget: {max-size: 1M, max-layers: $LAYERS}
YAML
set +e
err=$("$DISTILL" build "$T/child.yaml" -o "$T/out/child" 2>&1 >/dev/null)
rc=$?
set -e
assert_eq "$rc" 3 "child build exit status"
assert_eq "$err" "distill: gate failed: max-wasted 0 bytes (set by $T/over.yaml:11): later layers hide $WASTED B ($WASTED bytes) of files earlier layers wrote
distill: error: $T/child.yaml: the image is over its budget (1 breach); no output was written" \
  "child breach"

log "build: a budget the image fits passes with the same digest as no budget"
def "$T/fits.yaml" "budget: {max-size: $SIZE, max-layers: $LAYERS, max-wasted: $WASTED}"
a=$("$DISTILL" -q build "$T/plain.yaml" -o "$T/out/a")
b=$("$DISTILL" -q build "$T/fits.yaml" -o "$T/out/fits")
assert_eq "$b" "$a" "digest with a budget that fits"
assert_file "$T/out/fits/index.json"

log "budget: bad values name the file:line"
def "$T/bad.yaml" "budget: {max-size: lots}"
err=$("$DISTILL" build "$T/bad.yaml" -o "$T/out/bad" 2>&1 || true)
assert_eq "$err" "distill: error: $T/bad.yaml:8: budget.max-size must be a positive size such as 512M, 1.5G or 2GiB, not 'lots'" "bad size"
def "$T/bad2.yaml" "budget: {max-layer: 3}"
err=$("$DISTILL" build "$T/bad2.yaml" -o "$T/out/bad" 2>&1 || true)
assert_contains "$err" "$T/bad2.yaml:8" "unknown budget key"
assert_contains "$err" "max-layers" "suggestion"

log "--help documents the exit status"
assert_contains "$("$DISTILL" inspect --help)" "3 the image breaks a CI gate" "inspect --help"
assert_contains "$("$DISTILL" build --help)" "3 an image breaks the definition's budget:" "build --help"
echo PASS
