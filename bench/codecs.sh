#!/usr/bin/env bash
# Prints the deflate comparison of the README ("Layer compression"): builds
# the family's images uncompressed from the host's mirror (amd64) and runs
# build/bench/codec_table on all their layer tars together, which compresses
# the corpus with zlib, libdeflate (in distill's 4 MiB members), ISA-L and zstd
# as linked libraries, one thread each, best of three.
#
#   bench/codecs.sh [BUILD_DIR] [IMAGES...]     (default: build, the whole family)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(realpath "${1:-$ROOT/build}")
shift || true
IMAGES=${*:-"static base cc python3 java21"}
[[ -x $B/bench/codec_table ]] || { echo "codecs.sh: build $B/bench/codec_table first (libisal-dev)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/distill-codecs.XXXXXX")
trap 'rm -rf "$W"' EXIT
for img in $IMAGES; do
  "$B/distill" -q build "$img" --compression none -o "$W/$img" >/dev/null
done
# Each distinct layer once (images share their base layers).
for img in $IMAGES; do
  m=$(jq -r '.manifests[0].digest | sub("sha256:"; "")' "$W/$img/index.json")
  jq -r --arg d "$W/$img/blobs/sha256/" '.layers[].digest | $d + sub("sha256:"; "")' \
    "$W/$img/blobs/sha256/$m"
done | awk -F/ '!seen[$NF]++' | xargs "$B/bench/codec_table" | sed "1s/^/Images: $IMAGES. /"
