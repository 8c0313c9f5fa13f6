#!/bin/bash
# Times `distill inspect` on a large image, warm (page cache hot), and
# reports peak memory. The image is made with umoci from generated files:
# three layers, ~260 MB uncompressed, half incompressible.
#
#   bench/inspect.sh [DISTILL] [WORKDIR] [REF]
#
# With REF (e.g. oci:out/java17, built by `distill build java17`), that image
# is measured instead of the generated one.
set -euo pipefail
DISTILL=${1:-${DISTILL:-distill}}
W=${2:-/tmp/distill-bench-inspect}
REF=${3:-}
mkdir -p "$W"
if [[ -z $REF && ! -f $W/.complete ]]; then
  rm -rf "$W"
  mkdir -p "$W"
  umoci init --layout "$W/layout" >/dev/null
  umoci new --image "$W/layout:big" >/dev/null
  umoci unpack --image "$W/layout:big" "$W/bundle" >/dev/null
  r="$W/bundle/rootfs"
  for layer in 1 2 3; do
    mkdir -p "$r/data$layer/small"
    # a few large files (random and text) plus many small ones
    head -c 40M /dev/urandom >"$r/data$layer/random.bin"
    head -c 45M < <(yes "distill inspect benchmark line $layer") >"$r/data$layer/text.txt"
    for i in $(seq 1 2000); do printf 'file %d of layer %d\n' "$i" "$layer" >"$r/data$layer/small/f$i"; done
    umoci repack --image "$W/layout:big" "$W/bundle" >/dev/null
    rm -rf "$W/bundle"
    umoci unpack --image "$W/layout:big" "$W/bundle" >/dev/null
    r="$W/bundle/rootfs"
  done
  rm -rf "$W/bundle"
  touch "$W/.complete"
fi
ref=${REF:-"oci:$W/layout:big"}
"$DISTILL" inspect "$ref" --json >"$W/report.json"  # warm the page cache
python3 - "$W/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"image: {len(r['layers'])} layers, {r['size']['compressed']/2**20:.0f} MiB compressed, "
      f"{r['size']['uncompressed']/2**20:.0f} MiB uncompressed, {r['files']['total']} entries")
PY
best=""
for i in 1 2 3 4 5; do
  s=$(date +%s.%N)
  "$DISTILL" inspect "$ref" --json >/dev/null
  e=$(date +%s.%N)
  t=$(echo "$e - $s" | bc)
  echo "run $i: ${t}s"
  if [[ -z $best ]] || (($(echo "$t < $best" | bc))); then best=$t; fi
done
echo "best: ${best}s"
if [[ -x /usr/bin/time ]]; then
  /usr/bin/time -f "peak RSS: %M KiB" "$DISTILL" inspect "$ref" --json >/dev/null
fi
# diff exits 1 when the images differ, as diff(1) does.
"$DISTILL" diff scratch "$ref" --json >/dev/null || [[ $? == 1 ]]
s=$(date +%s.%N); "$DISTILL" diff scratch "$ref" --json >/dev/null || [[ $? == 1 ]]; e=$(date +%s.%N)
echo "diff scratch (digests every file): $(echo "$e - $s" | bc)s"
