#!/usr/bin/env bash
# `distill build --sbom DIR`: SPDX 2.3 and CycloneDX 1.6 per platform of the
# built image, with what only the build knows: each .deb's SHA-256 from the
# signed Packages index and the URL it was downloaded from, the upstream:
# tarball and the files: content as components with their hashes, the
# creation time from SOURCE_DATE_EPOCH, byte-identical on a second build.
# Validated against the SPDX 2.3 JSON Schema (python3-jsonschema) and the
# CycloneDX library's strict validator.
. "$(dirname "$0")/lib.sh"
need jq tar
SCHEMA=${DISTILL_SPDX_SCHEMA:-"$DISTILL_SRC/../shared/schemas/spdx-2.3-schema.json"}
[[ -f $SCHEMA ]] || skip "no SPDX 2.3 JSON Schema at $SCHEMA"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
  die "python3-jsonschema is not installed: run scripts/install-deps.sh"
TOOLS=${DISTILL_TOOLS:-/opt/distill-tools}
[[ -d $TOOLS/node_modules/@cyclonedx/cyclonedx-library ]] ||
  die "the CycloneDX validator is not in $TOOLS: run scripts/install-deps.sh"
make_tmpdir T
serve_family_fixture
REPO_URL="http://127.0.0.1:$HTTP_PORT"
mkdir -p "$T/www/rt/bin"
echo "runtime" >"$T/www/rt/bin/tool"
tar -C "$T/www" --owner=0 --group=0 --mtime=@0 -czf "$T/www/rt.tgz" rt
TGZ_SHA=$(sha256sum "$T/www/rt.tgz" | cut -d' ' -f1)
start_http "$T/www"
TGZ_URL="http://127.0.0.1:$HTTP_PORT/rt.tgz"
export XDG_CACHE_HOME="$T/cache"
export SOURCE_DATE_EPOCH=1700000000
mkdir -p "$T/appdir/lib"
echo "server" >"$T/appdir/server"
echo "helper" >"$T/appdir/lib/helper.txt"
cat >"$T/img.yaml" <<YAML
from: $DISTILL_SRC/images/static-debian12.yaml
name: withfiles
repositories:
  - {uri: "$REPO_URL", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
files:
  - {dest: /etc/app.conf, content: "key = value\n"}
upstream:
  - {url: "$TGZ_URL", sha256: $TGZ_SHA, dest: /opt}
app:
  - {src: "$T/appdir", dest: /srv/app}
YAML

log "build --sbom writes both formats for the platform"
"$DISTILL" -q build "$T/img.yaml" --arch amd64 -o "$T/out1" --sbom "$T/sbom1" --provenance "$T/prov1.json" >/dev/null
assert_eq "$(cd "$T/sbom1" && ls)" "$(printf 'amd64.cdx.json\namd64.spdx.json')" "files in the --sbom directory"
S="$T/sbom1/amd64.spdx.json" C="$T/sbom1/amd64.cdx.json"
/usr/bin/python3 "$FIXTURES/validate-spdx.py" "$SCHEMA" "$S" >/dev/null || die "SPDX does not validate against $SCHEMA"
node "$FIXTURES/validate-cyclonedx.js" "$TOOLS" 1.6 "$C" >/dev/null || die "CycloneDX does not validate (strict, 1.6)"
assert_eq "$(jq -r .creationInfo.created "$S")" "2023-11-14T22:13:20Z" "SPDX created"
assert_eq "$(jq -r .metadata.timestamp "$C")" "2023-11-14T22:13:20Z" "CycloneDX timestamp"
digest=$(jq -r '.manifests[0].digest' "$T/out1/index.json")
assert_eq "$(jq -r '.packages[0].versionInfo' "$S")" "$digest" "the SBOM describes the built image"

log "each .deb: the SHA-256 and the pool URL of the signed index"
PKGS="$FAM/repo/dists/bookworm/main/binary-amd64/Packages"
field() { awk -v p="$1" -v f="$2:" '/^Package:/ {n = $2} n == p && $1 == f {print $2; exit}' "$PKGS"; }
n=0
for name in $(jq -r '.packages[] | select(.primaryPackagePurpose == "LIBRARY") | .name' "$S"); do
  assert_eq "$(jq -r --arg n "$name" '.packages[] | select(.name == $n) | .checksums[0].checksumValue' "$S")" \
    "$(field "$name" SHA256)" "$name SPDX checksum"
  assert_eq "$(jq -r --arg n "$name" '.packages[] | select(.name == $n) | .downloadLocation' "$S")" \
    "$REPO_URL/$(field "$name" Filename)" "$name download location"
  assert_eq "$(jq -r --arg n "$name" '.components[] | select(.name == $n) | .hashes[0].content' "$C")" \
    "$(field "$name" SHA256)" "$name CycloneDX hash"
  n=$((n + 1))
done
((n >= 3)) || die "only $n Debian packages in the SBOM"
bad=$(jq -r '.components[] | select(.type == "library") | .purl | select(test("^pkg:deb/debian/[^@]+@[^?]+\\?arch=[a-z0-9]+&distro=debian-12") | not)' "$C")
assert_eq "$bad" "" "purls without arch and distro=debian-12"

log "the upstream: tarball, the files: file and each app: file are components with hashes"
assert_eq "$(jq -r '.packages[] | select(.primaryPackagePurpose == "ARCHIVE") | "\(.name) \(.downloadLocation) \(.checksums[0].algorithm) \(.checksums[0].checksumValue)"' "$S")" \
  "rt.tgz $TGZ_URL SHA256 $TGZ_SHA" "SPDX upstream package"
conf_sha=$(printf 'key = value\n' | sha256sum | cut -d' ' -f1)
# static's own files: (nsswitch.conf) first, then this definition's, then
# every file of the app: directory, in path order.
sha() { sha256sum "$1" | cut -d' ' -f1; }
assert_eq "$(jq -r '.packages[] | select(.primaryPackagePurpose == "FILE") | "\(.name) \(.checksums[0].checksumValue)"' "$S")" \
  "/etc/nsswitch.conf $(sha "$DISTILL_SRC/images/files/nsswitch.conf")
/etc/app.conf $conf_sha
/srv/app/lib/helper.txt $(sha "$T/appdir/lib/helper.txt")
/srv/app/server $(sha "$T/appdir/server")" "SPDX file packages"
assert_eq "$(jq -r '.components[] | select(.type == "file") | "\(.name) \(.hashes[0].content)"' "$C" | tail -1)" \
  "/srv/app/server $(sha "$T/appdir/server")" "CycloneDX file component"
assert_eq "$(jq -r '.components[] | select(.type == "application") | "\(.name) \(.hashes[0].content)"' "$C")" \
  "rt.tgz $TGZ_SHA" "CycloneDX upstream component"
contains=$(jq -r '.relationships[] | select(.relationshipType == "CONTAINS") | .relatedSpdxElement' "$S")
assert_contains "$contains" "SPDXRef-File-3--2Fetc-2Fapp.conf" "CONTAINS targets"
assert_contains "$contains" "SPDXRef-Upstream-1-rt.tgz" "CONTAINS targets"

log "a second build gives byte-identical SBOMs; distill sbom on the image gives the image's facts"
"$DISTILL" -q build "$T/img.yaml" --arch amd64 -o "$T/out2" --sbom "$T/sbom2" --provenance "$T/prov2.json" >/dev/null
cmp "$S" "$T/sbom2/amd64.spdx.json" || die "the SPDX of two builds differ"
cmp "$C" "$T/sbom2/amd64.cdx.json" || die "the CycloneDX of two builds differ"
cmp "$T/prov1.json" "$T/prov2.json" || die "the provenance of two builds differ"
plain=$("$DISTILL" sbom "$T/out1" --source image)
assert_eq "$(jq -r '[.packages[] | select(.primaryPackagePurpose == "LIBRARY") | .name] | join(" ")' <<<"$plain")" \
  "$(jq -r '[.packages[] | select(.primaryPackagePurpose == "LIBRARY") | .name] | join(" ")' "$S")" "packages of sbom REF"

log "provenance: an in-toto Statement v1 with a SLSA v1 predicate"
P="$T/prov1.json"
assert_eq "$(jq -r '"\(._type) \(.predicateType)"' "$P")" "https://in-toto.io/Statement/v1 https://slsa.dev/provenance/v1" "statement types"
assert_eq "$(jq -r '.subject[0] | "\(.name) sha256:\(.digest.sha256)"' "$P")" "withfiles $digest" "subject"
assert_eq "$(jq -r '.predicate.buildDefinition.externalParameters.definition.digest.sha256' "$P")" \
  "$(sha256sum "$T/img.yaml" | cut -d' ' -f1)" "definition digest"
assert_eq "$(jq -r '.predicate.buildDefinition.externalParameters.definition.content' "$P")" "$(cat "$T/img.yaml")" "definition content"
assert_eq "$(jq -r '.predicate.buildDefinition.externalParameters.flags | "\(.arch) \(."source-date-epoch") \(.compression)"' "$P")" \
  "amd64 1700000000 gzip" "flags"
assert_eq "$(jq -r '.predicate.runDetails.builder.version.distill' "$P")" "$("$DISTILL" --version | grep -o '[0-9][0-9.]*' | head -1)" "distill version"
rd() { jq -r '.predicate.buildDefinition.resolvedDependencies[] | "\(.uri) \(.digest.sha256)"' "$P"; }
for name in $(jq -r '.packages[] | select(.primaryPackagePurpose == "LIBRARY") | .name' "$S"); do
  grep -qx "$REPO_URL/$(field "$name" Filename) $(field "$name" SHA256)" <<<"$(rd)" || die "$name .deb not in the resolved dependencies: $(rd)"
done
grep -qx "$TGZ_URL $TGZ_SHA" <<<"$(rd)" || die "the tarball is not in the resolved dependencies"
grep -qx "$REPO_URL/dists/bookworm/InRelease $(sha256sum "$FAM/repo/dists/bookworm/InRelease" | cut -d' ' -f1)" <<<"$(rd)" ||
  die "the InRelease is not in the resolved dependencies: $(rd)"
[[ -n $(jq -r '.predicate.buildDefinition.resolvedDependencies[] | select(.name == "InRelease") | .annotations.date' "$P") ]] ||
  die "the InRelease has no date"
grep -q "^file://$DISTILL_SRC/images/static-debian12.yaml " <<<"$(rd)" || die "the parent definition is not recorded: $(rd)"

log "with --lock, the statement carries the lock; the InRelease comes from it"
"$DISTILL" -q lock "$T/img.yaml" --arch amd64 -o "$T/img.lock" >/dev/null
"$DISTILL" -q build "$T/img.yaml" --lock "$T/img.lock" --offline -o "$T/out3" --provenance "$T/prov3.json" >/dev/null
assert_eq "$(jq -r '.predicate.buildDefinition.externalParameters.lockfile.digest.sha256' "$T/prov3.json")" \
  "$(sha256sum "$T/img.lock" | cut -d' ' -f1)" "lockfile digest"
assert_eq "$(jq -r '.predicate.buildDefinition.resolvedDependencies[] | select(.name == "InRelease") | .digest.sha256' "$T/prov3.json")" \
  "$(sha256sum "$FAM/repo/dists/bookworm/InRelease" | cut -d' ' -f1)" "InRelease from the lock"
echo "sbom_build: ok"
