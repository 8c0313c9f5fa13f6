#!/usr/bin/env bash
# SBOMs of the family images sbom_family.sh and sbom_debian13.sh do not
# build, without a runtime from elsewhere: Debian 12 python3 and java17 (the
# golden repository of tests/fixtures/make-golden-repo.sh, the only bookworm
# fixture that has their packages), static:debug (the bookworm family
# fixture's real busybox-static), and Debian 13 base, cc, python3 and
# static:debug (the trixie fixture repository). amd64, uncompressed layers.
# For each (sbom_lib.sh's check): `build --sbom` output validates against the
# SPDX 2.3 JSON Schema (python3-jsonschema) and the CycloneDX library's strict
# 1.6 validator, the SBOM's packages are exactly the image's status.d records
# and exactly what the Trivy build bundled with cdxgen lists on the unpacked
# rootfs (offline), purls carry the release's distro, and the one
# operating-system component is the image's /etc/debian_version. :debug
# images list busybox-static as a component of its own with its .deb's hash.
# The Java and Node.js images are sbom_java.sh and sbom_nodejs.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sbom_lib.sh"
golden_fixture
start_http "$G/repo"
GOLDEN_REPO="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [bookworm], keyring: \"$G/keyring.gpg\"}"
serve_family_fixture
FAMILY_REPO="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [bookworm], keyring: \"$FAM/keyring.gpg\"}"
serve_debian13_fixture

for name in python3 java17; do
  check "$name-debian12" "$(def "$name-debian12" "$GOLDEN_REPO")" debian-12
done
check static-debian12-debug "$(def static-debian12 "$FAMILY_REPO"):debug" debian-12
busybox_listed static-debian12:debug "$FAM/repo/pool" debian-12

for name in base cc python3; do
  check "$name-debian13" "$(def "$name-debian13" "$D13_REPO")" debian-13
done
check static-debian13-debug "$(def static-debian13 "$D13_REPO"):debug" debian-13
busybox_listed static-debian13:debug "$D13/repo/pool" debian-13

echo "sbom_runtimes: ok"
