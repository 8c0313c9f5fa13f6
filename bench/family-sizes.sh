#!/usr/bin/env bash
# Builds each family image from the host's Debian mirror and prints its
# size: uncompressed (sum of layer tars) and compressed (sum of blobs), the
# figures the README compares with the reference images.
#   bench/family-sizes.sh [DISTILL] [IMAGES...]
set -euo pipefail
DISTILL=${1:-build/distill}
shift || true
IMAGES=${*:-static-debian12 base-nossl-debian12 base-debian12 cc-debian12 python3-debian12 java17-debian12 static-debian13 base-nossl-debian13 base-debian13 cc-debian13}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
printf '%-20s %8s %14s %12s %8s\n' image layers uncompressed compressed seconds
for img in $IMAGES; do
  start=$(date +%s.%N)
  json=$("$DISTILL" -q build "$img" -o "$OUT/$img" --json)
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  jq -r --arg n "$img" --arg s "$secs" '.images[0] |
    [$n, .layers, (.uncompressed_size / 1048576 * 10 | round / 10 | tostring + " MiB"),
     (.compressed_size / 1048576 * 10 | round / 10 | tostring + " MiB"), ($s | tonumber * 10 | round / 10)] |
    @tsv' <<<"$json" | awk -F'\t' '{printf "%-20s %8s %14s %12s %8s\n", $1, $2, $3, $4, $5}'
done
