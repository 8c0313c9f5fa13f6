#!/usr/bin/env bash
# SBOMs of java-base, java21 and java25 (Debian 13, Debian's own OpenJDK
# .debs from the trixie fixture repository, amd64): sbom_lib.sh's check
# (SPDX 2.3 schema, CycloneDX 1.6 strict, status.d and Trivy's offline
# rootfs scan list exactly the SBOM's packages, distro=debian-13). Apart
# from sbom_runtimes.sh so ctest runs the two in parallel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sbom_lib.sh"
serve_debian13_fixture
for name in java-base java21 java25; do
  check "$name-debian13" "$(def "$name-debian13" "$D13_REPO")" debian-13
done
echo "sbom_java: ok"
