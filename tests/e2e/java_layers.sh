#!/usr/bin/env bash
# The java images' part-of-package layers, hermetic: a definition with
# ca-bundle's java-keystore, extract: and config.version-env built from the
# fixture repository (this machine's packages, repacked). The keystore is
# read by real Java clients (keytool, KeyStore) and checked against the PEM
# bundle of the same image; the extract layer holds only what was asked.
. "$(dirname "$0")/lib.sh"
need umoci jq keytool java openssl skopeo
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"

cat >"$T/java.yaml" <<YAML
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
resolve: false
packages: [base-files]
ca-bundle:
  path: /etc/ssl/certs/ca-certificates.crt
  java-keystore: /etc/ssl/certs/java/cacerts
extract:
  - package: tzdata
    paths: [/usr/share/zoneinfo/Europe, /usr/share/doc/tzdata/copyright]
config:
  version-env:
    - {name: TZDATA_VERSION, package: tzdata}
YAML

log "build and unpack"
"$DISTILL" build "$T/java.yaml" -o "$T/out" >/dev/null
umoci unpack --image "$T/out:latest" "$T/u" >/dev/null
R="$T/u/rootfs"
assert_file "$R/etc/ssl/certs/java/cacerts"
assert_eq "$(stat -c %a "$R/etc/ssl/certs/java/cacerts")" "555" "cacerts mode"

log "keytool and Java's KeyStore read the keystore; it matches the PEM bundle"
pem_count=$(grep -c -- '-----BEGIN CERTIFICATE-----' "$R/etc/ssl/certs/ca-certificates.crt")
(( pem_count > 100 )) || die "only $pem_count certificates in the PEM bundle"
# Certificates with the same subject share one alias, as in the reference.
distinct=$(csplit -s -z -f "$T/cert-" "$R/etc/ssl/certs/ca-certificates.crt" '/-----BEGIN CERTIFICATE-----/' '{*}' &&
  for f in "$T"/cert-*; do openssl x509 -in "$f" -noout -subject -nameopt RFC2253; done | sort -u | wc -l)
out=$(keytool -list -keystore "$R/etc/ssl/certs/java/cacerts" -storepass changeit)
assert_contains "$out" "Your keystore contains $distinct entries"
out=$(keytool -list -keystore "$R/etc/ssl/certs/java/cacerts" -storepass wrongpass 2>&1) &&
  die "keytool accepted a wrong password"
assert_contains "$out" "password was incorrect"
out=$(java "$FIXTURES/programs/CheckKeystore.java" "$R/etc/ssl/certs/java/cacerts" changeit \
  "$R/etc/ssl/certs/ca-certificates.crt")
assert_eq "$out" "entries=$distinct subjects=$distinct" "CheckKeystore"

log "extract: only the asked-for paths of tzdata, with its status.d record"
assert_file "$R/usr/share/zoneinfo/Europe/Paris"
assert_file "$R/usr/share/doc/tzdata/copyright"
[[ ! -e $R/usr/share/zoneinfo/UTC ]] || die "extract took /usr/share/zoneinfo/UTC"
[[ ! -e $R/usr/share/zoneinfo/America ]] || die "extract took /usr/share/zoneinfo/America"
cmp "$R/usr/share/zoneinfo/Europe/Paris" /usr/share/zoneinfo/Europe/Paris ||
  die "Europe/Paris differs from the package's"
assert_contains "$(cat "$R/var/lib/dpkg/status.d/tzdata")" "Package: tzdata"

log "version-env: TZDATA_VERSION is tzdata's upstream version"
v=$(dpkg-query -W -f='${Version}' tzdata)
env=$(skopeo inspect --config "oci:$T/out:latest" | jq -r '.config.Env[]')
assert_contains "$env" "TZDATA_VERSION=${v%-*}"

log "the keystore layer is reproducible"
"$DISTILL" build "$T/java.yaml" -o "$T/out2" >/dev/null
assert_eq "$(jq -r '.manifests[0].digest' "$T/out2/index.json")" \
  "$(jq -r '.manifests[0].digest' "$T/out/index.json")" "digest of a second build"
echo "java_layers: ok"
