#!/usr/bin/env bash
# A registry with TLS (throw-away CA) and htpasswd auth: --ca-cert, the
# per-registry config file, --insecure; right and wrong passwords;
# credentials from --creds, a docker config.json, REGISTRY_AUTH_FILE and a
# docker-credential-* helper; secrets never printed, even with --verbose.
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
make_def "$T/app.yaml" auth
"$DISTILL" build "$T/app.yaml" -o "$T/out" -t latest >/dev/null
D=$(jq -r '.manifests[0].digest' "$T/out/index.json")
# No ambient credentials from the machine running the test.
export HOME=$T/home XDG_RUNTIME_DIR=$T/run
unset REGISTRY_AUTH_FILE DOCKER_CONFIG
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"

log "TLS: unknown CA fails with a hint; --ca-cert and the config file work"
expect_fail out "$DISTILL" copy "oci:$T/out" "docker://$R/a/app:1" --creds 'alice:s3cret-Pa55'
assert_contains "$out" "--ca-cert"
got=$("$DISTILL" copy "oci:$T/out" "docker://$R/a/app:1" --creds 'alice:s3cret-Pa55' \
  --ca-cert "$T/ca.pem")
assert_eq "$got" "$D" "digest pushed over TLS"
printf 'registries:\n  "%s":\n    ca-cert: %s\n' "$R" "$T/ca.pem" >"$T/registries.yaml"
got=$(DISTILL_REGISTRIES_CONFIG=$T/registries.yaml "$DISTILL" copy "docker://$R/a/app:1" \
  "oci:$T/p1" --creds 'alice:s3cret-Pa55')
assert_eq "$got" "$D" "pull with the CA from registries.yaml"
got=$("$DISTILL" copy "docker://$R/a/app:1" "oci:$T/p2" --creds 'alice:s3cret-Pa55' --insecure)
assert_eq "$got" "$D" "pull with --insecure (unverified https)"
assert_eq "$(skopeo inspect --tls-verify=false --creds 'alice:s3cret-Pa55' --raw \
  "docker://$R/a/app:1" | digest_of)" "$D" "digest seen by skopeo"

log "passwords: wrong and missing fail clearly"
expect_fail out "$DISTILL" copy "docker://$R/a/app:1" "oci:$T/bad" --ca-cert "$T/ca.pem" \
  --creds 'alice:wrong'
assert_contains "$out" "authentication failed with user 'alice' from --creds"
assert_contains "$out" "HTTP 401"
expect_fail out "$DISTILL" copy "docker://$R/a/app:1" "oci:$T/bad" --ca-cert "$T/ca.pem"
assert_contains "$out" "requires a user name and password"
[[ ! -e $T/bad ]] || die "failed pull left output"

log "docker config.json auths"
mkdir -p "$HOME/.docker"
printf '{"auths":{"https://%s":{"auth":"%s"}}}' "$R" \
  "$(printf 'alice:s3cret-Pa55' | base64)" >"$HOME/.docker/config.json"
got=$("$DISTILL" -v copy "docker://$R/a/app:1" "oci:$T/p3" --ca-cert "$T/ca.pem" 2>"$T/v.err")
assert_eq "$got" "$D" "pull with config.json"
assert_contains "$(cat "$T/v.err")" "user alice from $HOME/.docker/config.json"
for secret in 's3cret-Pa55' "$(printf 'alice:s3cret-Pa55' | base64)"; do
  if grep -qF -- "$secret" "$T/v.err"; then die "--verbose output shows a secret"; fi
done

log "REGISTRY_AUTH_FILE wins over config.json"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$R" "$(printf 'alice:nope' | base64)" >"$T/auth.json"
expect_fail out env REGISTRY_AUTH_FILE="$T/auth.json" "$DISTILL" copy "docker://$R/a/app:1" \
  "oci:$T/bad" --ca-cert "$T/ca.pem"
assert_contains "$out" "user 'alice' from $T/auth.json"
assert_not_contains "$out" "nope"

log "credential helper (credHelpers and credsStore)"
mkdir -p "$T/bin"
cat >"$T/bin/docker-credential-test" <<SH
#!/bin/sh
[ "\$1" = get ] || exit 2
read server
echo "\$server" >>"$T/helper.log"
if [ "\$server" = "$R" ]; then
  echo '{"ServerURL":"$R","Username":"alice","Secret":"s3cret-Pa55"}'
else
  echo "credentials not found in native keychain"; exit 1
fi
SH
chmod +x "$T/bin/docker-credential-test"
printf '{"credHelpers":{"%s":"test"}}' "$R" >"$HOME/.docker/config.json"
got=$(PATH=$T/bin:$PATH "$DISTILL" -v copy "oci:$T/out" "docker://$R/b/app:1" \
  --ca-cert "$T/ca.pem" 2>"$T/v2.err")
assert_eq "$got" "$D" "push with credHelpers"
assert_eq "$(cat "$T/helper.log")" "$R" "server the helper was asked about"
if grep -qF 's3cret-Pa55' "$T/v2.err"; then die "--verbose output shows the helper's secret"; fi
printf '{"credsStore":"test"}' >"$HOME/.docker/config.json"
got=$(PATH=$T/bin:$PATH "$DISTILL" copy "docker://$R/b/app:1" "oci:$T/p4" --ca-cert "$T/ca.pem")
assert_eq "$got" "$D" "pull with credsStore"
log "ok"
