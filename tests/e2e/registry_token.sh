#!/usr/bin/env bash
# Bearer tokens: the registry's own token auth (auth.token with a self-made
# signing certificate) and a token endpoint run by the test that checks a
# password and signs RS256 JWTs. distill fetches tokens from the challenge's
# realm, caches them per scope, and reports refused credentials clearly.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"

make_tmpdir T
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=distill token signer" \
  -keyout "$T/token.key" -out "$T/token.pem" 2>/dev/null
start_py token registry_token.py --key "$T/token.key" --cert "$T/token.pem" \
  --issuer distill-test-issuer --service distill-test --user 'bob:t0ken-Pass' --log "$T/token.log"
TOKEN_PORT=$PY_PORT
start_registry tok "$T" "auth:
  token:
    realm: http://127.0.0.1:$TOKEN_PORT/token
    service: distill-test
    issuer: distill-test-issuer
    rootcertbundle: $T/token.pem"
R=127.0.0.1:$REG_PORT
export HOME=$T/home XDG_RUNTIME_DIR=$T/run
unset REGISTRY_AUTH_FILE DOCKER_CONFIG

make_def "$T/app.yaml" token
"$DISTILL" build "$T/app.yaml" --arch amd64,arm64 -o "$T/out" -t latest >/dev/null
D=$(jq -r '.manifests[0].digest' "$T/out/index.json")

log "push and pull with a bearer token"
got=$("$DISTILL" -v copy "oci:$T/out" "docker://$R/tok/app:1" --insecure \
  --creds 'bob:t0ken-Pass' 2>"$T/v.err")
assert_eq "$got" "$D" "digest pushed with a token"
# One token for the push scope serves every blob and manifest request.
assert_eq "$(count_log "$T/token.log" '^token repository:tok/app:pull,push user=bob$')" "1" \
  "token requests for the push scope"
if grep -qF 't0ken-Pass' "$T/v.err"; then die "--verbose shows the password"; fi
if grep -q 'Bearer ey' "$T/v.err"; then die "--verbose shows the token"; fi
assert_eq "$(skopeo inspect --tls-verify=false --creds 'bob:t0ken-Pass' --raw \
  "docker://$R/tok/app:1" | digest_of)" "$D" "digest seen by skopeo"
before=$(count_log "$T/token.log" '^token repository:tok/app:pull user=bob$')
got=$("$DISTILL" copy "docker://$R/tok/app:1" "oci:$T/pulled" --insecure --creds 'bob:t0ken-Pass')
assert_eq "$got" "$D" "digest pulled with a token"
assert_eq "$(count_log "$T/token.log" '^token repository:tok/app:pull user=bob$')" "$((before + 1))" \
  "token requests for the pull scope"

log "refused credentials"
expect_fail out "$DISTILL" copy "docker://$R/tok/app:1" "oci:$T/bad" --insecure --creds 'bob:wrong'
assert_contains "$out" "refused the credentials (user 'bob' from --creds)"
assert_not_contains "$out" "wrong"
expect_fail out "$DISTILL" copy "docker://$R/tok/app:1" "oci:$T/bad" --insecure
assert_contains "$out" "requires credentials"
log "ok"
