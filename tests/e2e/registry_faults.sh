#!/usr/bin/env bash
# Faults between distill and a registry, injected by a proxy on 127.0.0.1:
# a blob served with wrong content is rejected by name; a dropped upload and
# a 503 are retried; the registry killed mid-push leaves no manifest, and the
# next run completes.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"

make_tmpdir T
start_registry reg "$T"
REG1=$REG_PID
UP=$REG_PORT
R=127.0.0.1:$UP
make_def "$T/app.yaml" faults
"$DISTILL" build "$T/app.yaml" -o "$T/out" -t latest >/dev/null
D=$(jq -r '.manifests[0].digest' "$T/out/index.json")
LAYER=$(jq -r '.layers[0].digest' "$T/out/blobs/sha256/${D#sha256:}")
"$DISTILL" copy "oci:$T/out" "docker://$R/good/app:1" --insecure >/dev/null

log "a corrupted blob is rejected by name"
start_py corrupt registry_proxy.py --upstream "$UP" --digest "$LAYER" --log "$T/corrupt.log" corrupt
P=127.0.0.1:$PY_PORT
expect_fail out "$DISTILL" copy "docker://$P/good/app:1" "oci:$T/corrupt" --insecure
assert_contains "$out" "blob $LAYER of $P/good/app is corrupt"
grep -q CORRUPTED "$T/corrupt.log" || die "the proxy did not corrupt anything"
[[ ! -e $T/corrupt ]] || die "a rejected pull left $T/corrupt behind"

log "a dropped upload and a 503 are retried"
start_py flaky registry_proxy.py --upstream "$UP" --log "$T/flaky.log" flaky
got=$("$DISTILL" copy "oci:$T/out" "docker://127.0.0.1:$PY_PORT/flaky/app:1" --insecure)
assert_eq "$got" "$D" "digest pushed through the flaky proxy"
grep -q "DROPPED" "$T/flaky.log" || die "no upload was dropped"
grep -q "^PUT /v2/flaky/app/manifests/latest\|^PUT /v2/flaky/app/manifests/1 503" "$T/flaky.log" ||
  die "no manifest PUT got a 503"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/flaky/app:1" | digest_of)" "$D" \
  "digest after retries"

log "a chunk dropped on its way resumes from the registry's Range, not from byte 0"
start_py dropchunk registry_proxy.py --upstream "$UP" --log "$T/chunk.log" dropchunk
got=$("$DISTILL" copy "oci:$T/out" "docker://127.0.0.1:$PY_PORT/resumed/app:1" --insecure \
  --chunk-size 256 2>"$T/chunk.err")
assert_eq "$got" "$D" "digest pushed through the chunk-dropping proxy"
grep -q "^PATCH .* DROPPED" "$T/chunk.log" || die "no chunk was dropped"
grep -qE "^GET /v2/resumed/app/blobs/uploads/[^ ]+ 204" "$T/chunk.log" || die "no upload status asked"
assert_contains "$(cat "$T/chunk.err")" "resuming the upload of blob"
# Resumed, not restarted: one upload started per blob sent.
posts=$(count_log "$T/chunk.log" "^POST /v2/resumed/app/blobs/uploads/ 202")
puts=$(count_log "$T/chunk.log" "^PUT /v2/resumed/app/blobs/uploads/[^ ]+ 201")
assert_eq "$posts" "$puts" "uploads started = uploads completed"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/resumed/app:1" | digest_of)" "$D" \
  "digest after the resumed upload"
"$DISTILL" copy "docker://$R/resumed/app:1" "oci:$T/resumed" --insecure >/dev/null

log "registry killed mid-push: no manifest, the next run completes"
echo "$REG1" >"$T/reg.pid"
start_py kill registry_proxy.py --upstream "$UP" --registry-pid-file "$T/reg.pid" \
  --log "$T/kill.log" kill
K=127.0.0.1:$PY_PORT
expect_fail out "$DISTILL" copy "oci:$T/out" "docker://$K/killed/app:1" --insecure --chunk-size 64
assert_contains "$out" "killed/app"
wait "$REG1" 2>/dev/null || true
# Same storage, same port, as an operator restarting it would.
start_registry reg "$T" "" "$UP"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://$R/v2/killed/app/manifests/1")
assert_eq "$code" "404" "manifest visible after the failed push"
got=$("$DISTILL" copy "oci:$T/out" "docker://$K/killed/app:1" --insecure --chunk-size 64)
assert_eq "$got" "$D" "digest of the completed push"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/killed/app:1" | digest_of)" "$D" \
  "digest seen by skopeo after the restart"
"$DISTILL" copy "docker://$R/killed/app:1" "oci:$T/killed" --insecure >/dev/null
log "ok"
