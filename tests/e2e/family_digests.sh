#!/usr/bin/env bash
# The image family's digests are pinned: every family image and variant,
# built from the synthetic repository of tests/fixtures/make-golden-repo.sh
# (fixed bytes, modes and mtimes), must have exactly the manifest (or index)
# digest recorded in tests/fixtures/golden/digests.txt. A refactor that
# changes one byte of any layer, config or manifest fails here, naming the
# image.
#
#   family_digests.sh            build and compare with the table
#   family_digests.sh --record   build and print a new table (stdout)
#
# DISTILL_IMAGES (default $DISTILL_SRC/images) is where the family
# definitions are read, so another commit's definitions can be recorded.
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg openssl flock
RECORD=no
[[ ${1:-} == --record ]] && RECORD=yes
TABLE="$FIXTURES/golden/digests.txt"
export DISTILL_IMAGES=${DISTILL_IMAGES:-$DISTILL_SRC/images}
IMAGES=$DISTILL_IMAGES
# Generated files take their mtime from here; the table is for the default.
unset SOURCE_DATE_EPOCH
make_tmpdir T

golden_fixture
start_http "$G/repo"
export XDG_CACHE_HOME="$T/cache"

mkdir -p "$T/defs" "$T/out"
for name in static base-nossl base cc python3 java17; do
  cat >"$T/defs/$name.yaml" <<YAML
from: $IMAGES/$name-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$G/keyring.gpg"}
YAML
done
# A definition the resolver has to close over (the family resolves nothing).
cat >"$T/defs/resolved.yaml" <<YAML
from: $T/defs/static.yaml
resolve: true
packages: [python3.11-minimal, libgssapi-krb5-2]
YAML

declare -A GOT
LABELS=()
# oci LABEL DEF[:VARIANT] [BUILD-ARGS...]: builds an OCI layout; the digest is
# the one the layout's index.json points at, which must be what build printed.
oci() {
  local label=$1 def=$2 out printed written
  shift 2
  out="$T/out/${#LABELS[@]}"
  printed=$("$DISTILL" build "$T/defs/$def" -o "$out" "$@" 2>"$T/err") ||
    die "build of $label failed: $(cat "$T/err")"
  written=$(jq -r '.manifests[0].digest' "$out/index.json")
  assert_eq "$printed" "$written" "$label: printed digest vs index.json"
  LABELS+=("$label")
  GOT[$label]=$written
}
# archive LABEL DEF [BUILD-ARGS...]: a docker-archive; both the image digest
# build prints and the archive file's own sha256 are pinned.
archive() {
  local label=$1 def=$2 out printed
  shift 2
  out="$T/out/${#LABELS[@]}.tar"
  printed=$("$DISTILL" build "$T/defs/$def" --format docker-archive -o "$out" "$@" 2>"$T/err") ||
    die "build of $label failed: $(cat "$T/err")"
  LABELS+=("$label" "$label/file")
  GOT[$label]=$printed
  GOT[$label/file]="sha256:$(sha256sum <"$out" | cut -d' ' -f1)"
}

log "build the family from the golden repository"
a=(--arch amd64)
oci static static.yaml "${a[@]}"
oci static:nonroot static.yaml:nonroot "${a[@]}"
oci static:debug static.yaml:debug "${a[@]}"
oci static:debug-nonroot static.yaml:debug-nonroot "${a[@]}"
oci base-nossl base-nossl.yaml "${a[@]}"
oci base-nossl:nonroot base-nossl.yaml:nonroot "${a[@]}"
oci base base.yaml "${a[@]}"
oci base:nonroot base.yaml:nonroot "${a[@]}"
oci base:debug base.yaml:debug "${a[@]}"
oci base:debug-nonroot base.yaml:debug-nonroot "${a[@]}"
oci cc cc.yaml "${a[@]}"
oci cc:nonroot cc.yaml:nonroot "${a[@]}"
oci cc:debug cc.yaml:debug "${a[@]}"
oci python3 python3.yaml "${a[@]}"
oci python3:debug python3.yaml:debug "${a[@]}"
oci java17 java17.yaml "${a[@]}"
oci java17:nonroot java17.yaml:nonroot "${a[@]}"
oci java17:debug java17.yaml:debug "${a[@]}"
oci java17:debug-nonroot java17.yaml:debug-nonroot "${a[@]}"
log "two architectures, other layer settings, a lockfile, a resolved definition"
oci "java17 amd64+arm64" java17.yaml --arch amd64,arm64
oci "base:debug amd64+arm64" base.yaml:debug --arch amd64,arm64
oci "static arm64" static.yaml --arch arm64
oci "base-nossl zstd" base-nossl.yaml "${a[@]}" --compression zstd
oci "base-nossl uncompressed" base-nossl.yaml "${a[@]}" --compression none
oci "static epoch 1700000000" static.yaml "${a[@]}" --source-date-epoch 1700000000
"$DISTILL" lock "$T/defs/cc.yaml" --arch amd64 -o "$T/cc.lock" >/dev/null 2>"$T/err" ||
  die "lock of cc failed: $(cat "$T/err")"
oci "cc from a lockfile" cc.yaml "${a[@]}" --lock "$T/cc.lock"
oci resolved resolved.yaml "${a[@]}"
archive "base docker-archive" base.yaml "${a[@]}" -t golden:1

if [[ $RECORD == yes ]]; then
  for label in "${LABELS[@]}"; do printf '%s\t%s\n' "$label" "${GOT[$label]}"; done
  exit 0
fi

log "compare with $TABLE"
declare -A WANT
while IFS=$'\t' read -r label digest; do
  [[ -z $label || $label == \#* ]] && continue
  WANT[$label]=$digest
done <"$TABLE"
bad=0
for label in "${LABELS[@]}"; do
  if [[ -z ${WANT[$label]:-} ]]; then
    echo "FAIL: $label: built ${GOT[$label]}, but the table has no row for it" >&2
    bad=$((bad + 1))
  elif [[ ${WANT[$label]} != "${GOT[$label]}" ]]; then
    echo "FAIL: $label: digest ${GOT[$label]}, recorded ${WANT[$label]}" >&2
    bad=$((bad + 1))
  fi
done
for label in "${!WANT[@]}"; do
  [[ -n ${GOT[$label]:-} ]] || { echo "FAIL: $label: in the table but not built" >&2; bad=$((bad + 1)); }
done
((bad == 0)) || die "$bad of ${#LABELS[@]} digests differ from $TABLE (an intended image change updates the table in the same commit, saying why)"
echo "family_digests: ok (${#LABELS[@]} digests)"
