#!/usr/bin/env bash
# inspect, diff and extract read from an htpasswd-protected TLS registry with
# the same registry flags as copy: --creds, --authfile (and
# REGISTRY_AUTH_FILE), --ca-cert; a wrong password is a one-line error, and
# --timeout bounds a registry that never answers.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"
need htpasswd

make_tmpdir T
make_ca "$T"
htpasswd -Bbn alice 's3cret-Pa55' >"$T/htpasswd"
REG_TLS_CERT=$T/server.pem REG_TLS_KEY=$T/server.key start_registry tls "$T" "auth:
  htpasswd:
    realm: distill-test
    path: $T/htpasswd"
R=127.0.0.1:$REG_PORT
make_def "$T/app.yaml" readauth
D=$("$DISTILL" -q build "$T/app.yaml" -o "$T/out" 2>/dev/null)
export HOME=$T/home XDG_RUNTIME_DIR=$T/run
unset REGISTRY_AUTH_FILE DOCKER_CONFIG
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
CREDS=(--creds 'alice:s3cret-Pa55' --ca-cert "$T/ca.pem")
got=$("$DISTILL" copy "oci:$T/out" "docker://$R/r/app:1" "${CREDS[@]}")
assert_eq "$got" "$D" "pushed digest"

log "--creds: inspect, diff, extract"
assert_eq "$("$DISTILL" inspect "docker://$R/r/app:1" "${CREDS[@]}" --json | jq -r .digest)" "$D" \
  "inspect digest"
d=$("$DISTILL" diff "oci:$T/out" "docker://$R/r/app:1" "${CREDS[@]}" --json)
assert_eq "$(jq -c '[.files.added, .files.removed, .files.changed] | map(length)' <<<"$d")" \
  "[0,0,0]" "diff of the image with itself"
# diff exits 1 for images that differ, as diff(1) does.
d=$("$DISTILL" diff scratch "docker://$R/r/app:1" "${CREDS[@]}" --json) || [[ $? == 1 ]] ||
  die "diff from scratch failed"
assert_contains "$(jq -r '.files.added[].path' <<<"$d")" "/etc/motd" "diff from scratch"
"$DISTILL" -q extract "docker://$R/r/app:1" /etc/motd -o "$T/x1" "${CREDS[@]}"
assert_eq "$(cat "$T/x1/etc/motd")" "hello from distill" "extracted with --creds"

log "auth files: --authfile and REGISTRY_AUTH_FILE"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$R" "$(printf 'alice:s3cret-Pa55' | base64)" >"$T/auth.json"
assert_eq "$("$DISTILL" inspect "docker://$R/r/app:1" --authfile "$T/auth.json" \
  --ca-cert "$T/ca.pem" --json | jq -r .digest)" "$D" "inspect with --authfile"
"$DISTILL" -q extract "docker://$R/r/app:1" /etc/motd -o "$T/x2" --authfile "$T/auth.json" \
  --ca-cert "$T/ca.pem"
assert_eq "$(cat "$T/x2/etc/motd")" "hello from distill" "extracted with --authfile"
d=$(REGISTRY_AUTH_FILE=$T/auth.json "$DISTILL" diff "docker://$R/r/app:1" "oci:$T/out" \
  --ca-cert "$T/ca.pem" --json)
assert_eq "$(jq -c '.files.added | length' <<<"$d")" "0" "diff with REGISTRY_AUTH_FILE"

log "a wrong password is one line"
expect_fail out "$DISTILL" inspect "docker://$R/r/app:1" --creds 'alice:wrong' --ca-cert "$T/ca.pem"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the error"
assert_contains "$out" "distill: error: "
assert_contains "$out" "authentication failed with user 'alice' from --creds"
assert_not_contains "$out" "wrong"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$R" "$(printf 'alice:nope' | base64)" >"$T/bad.json"
expect_fail out "$DISTILL" extract "docker://$R/r/app:1" /etc/motd -o "$T/x3" \
  --authfile "$T/bad.json" --ca-cert "$T/ca.pem"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the error"
assert_contains "$out" "user 'alice' from $T/bad.json"
[[ ! -e $T/x3/etc/motd ]] || die "a failed extract wrote files"
expect_fail out "$DISTILL" inspect "docker://$R/r/app:1" --authfile "$T/missing.json"
assert_eq "$out" "distill: error: --authfile $T/missing.json: no such file" "missing auth file"

log "--timeout bounds a registry that never answers"
make_tmpdir H
start_http "$H" hang
start=$SECONDS
expect_fail out "$DISTILL" inspect "docker://127.0.0.1:$HTTP_PORT/x/app:1" --insecure --timeout 1
(( SECONDS - start < 30 )) || die "--timeout 1 took $((SECONDS - start)) s"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the timeout error"
assert_contains "$out" "127.0.0.1:$HTTP_PORT"
log "ok"
