#!/usr/bin/env bash
# Measures distill on this machine and writes docs/PERFORMANCE.md (generated:
# never edit that file by hand, run this again).
#
#   bench/performance.sh [DISTILL] [OUT.md]     (defaults: build/distill, docs/PERFORMANCE.md)
#
# Every figure is the median of RUNS (default 3) runs of one command, timed by
# /usr/bin/time (wall seconds and peak RSS). It uses the host's apt sources
# (the real mirror), a docker-registry on 127.0.0.1, skopeo, mmdebstrap and
# libdeflate-gzip; it needs root for mmdebstrap (or fakeroot). What it measures:
#   - per image: cold (a fresh --cache-dir), warm without and with a lock,
#     and a no-change rebuild (the same build into the existing output);
#   - the floor for the same .debs: `xz -d`, libdeflate-gzip -6 (the
#     compressor and level of distill's default) and sha256sum of both the tar
#     and the gzip, two .debs at a time;
#   - `mmdebstrap --variant=extract` of the same packages + the same compressor;
#   - `distill copy` to and from the registry against `skopeo copy`;
#   - `distill inspect` of the largest image.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DISTILL=$(realpath "${1:-$ROOT/build/distill}")
OUT=${2:-$ROOT/docs/PERFORMANCE.md}
RUNS=${RUNS:-3}
IMAGES=${IMAGES:-"static base cc python3 java21"}
for t in jq skopeo docker-registry mmdebstrap libdeflate-gzip xz sha256sum /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "performance.sh: needs $t" >&2; exit 1; }
done
W=$(mktemp -d "${TMPDIR:-/tmp}/distill-perf.XXXXXX")
REG_PID=""
cleanup() {
  if [[ -n $REG_PID ]]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  rm -rf "$W"
}
trap cleanup EXIT
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# measure NAME CMD...: runs CMD $RUNS times; records median wall s and RSS MB.
declare -A WALL RSS
measure() {
  local name=$1 i
  shift
  : >"$W/times"
  for ((i = 0; i < RUNS; i++)); do
    [[ -n ${BEFORE_RUN:-} ]] && eval "$BEFORE_RUN"
    /usr/bin/time -f '%e %M' -o "$W/t1" "$@" >/dev/null 2>"$W/err" ||
      { cat "$W/err" >&2; echo "performance.sh: '$*' failed" >&2; exit 1; }
    tail -1 "$W/t1" >>"$W/times"
  done
  WALL[$name]=$(cut -d' ' -f1 "$W/times" | sort -g | sed -n "$(((RUNS + 1) / 2))p")
  RSS[$name]=$(cut -d' ' -f2 "$W/times" | sort -g | sed -n "$(((RUNS + 1) / 2))p" |
    awk '{printf "%.0f", $1 / 1024}')
  echo "  $name: ${WALL[$name]} s, ${RSS[$name]} MB" >&2
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# The floor's work on one .deb: xz -d, sha256 of the tar, compress, sha256.
cat >"$W/floor1.sh" <<'SH'
#!/bin/sh
set -e
m=$(ar t "$1" | grep '^data\.tar')
case $m in
  *.xz) dec="xz -dc" ;; *.zst) dec="zstd -dc" ;; *.gz) dec="gzip -dc" ;; *) dec=cat ;;
esac
t=$(mktemp "$2/floor.XXXXXX")
ar p "$1" "$m" | $dec | tee "$t" | sha256sum >/dev/null
libdeflate-gzip -6 -c "$t" | sha256sum >/dev/null
rm -f "$t"
SH
chmod +x "$W/floor1.sh"

C=$W/cache   # the warm cache
for img in $IMAGES; do
  echo "$img" >&2
  "$DISTILL" -q lock "$img" -o "$W/$img.lock" --cache-dir "$C" >/dev/null 2>&1
  "$DISTILL" -q build "$img" -o "$W/$img.warmup" --cache-dir "$C" >/dev/null
  n=0
  BEFORE_RUN='n=$((n + 1)); rm -rf "$W/cold"'
  measure "$img.cold" "$DISTILL" -q build "$img" -o "$W/$img.cold" --cache-dir "$W/cold"
  BEFORE_RUN='rm -rf "$W/$img.o"'
  measure "$img.warm" "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C"
  measure "$img.lock" "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C" \
    --lock "$W/$img.lock"
  BEFORE_RUN=""
  "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C" >/dev/null
  measure "$img.nochange" "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C"
  # The same .debs, from the warm cache.
  jq -r '.packages[][] | .sha256' "$W/$img.lock" | sort -u |
    sed "s|^|$C/blobs/sha256/|" >"$W/$img.debs"
  measure "$img.floor" sh -c "cat '$W/$img.debs' | xargs -P2 -I{} '$W/floor1.sh' {} '$W'"
  # mmdebstrap of the same packages from the same repositories (the lock's,
  # which come from the host's apt sources); it has no cache and downloads.
  pkgs=$(jq -r '[.packages[][] | .name] | unique | join(",")' "$W/$img.lock")
  suite=$(jq -r '.releases[0].suite' "$W/$img.lock")
  mapfile -t mirrors < <(jq -r '([.packages[][] | .component] | unique | join(" ")) as $c |
    .releases[] | "deb [trusted=yes] \(.repo_uri) \(.suite) \($c)"' "$W/$img.lock")
  BEFORE_RUN='rm -rf "$W/mm"'
  measure "$img.mmdebstrap" sh -c 'mmdebstrap --quiet --variant=extract --include="$1" "$2" "$3" \
    "$4" >/dev/null 2>&1 && tar -C "$3" -cf - . | libdeflate-gzip -6 -c | sha256sum >/dev/null' \
    sh "$pkgs" "$suite" "$W/mm" "$(printf '%s\n' "${mirrors[@]}")"
  BEFORE_RUN=""
  du -sb "$W/$img.o/blobs" | cut -f1 >"$W/$img.size"
done

# Registry transfers of the largest image, and inspect of it.
big=$(for img in $IMAGES; do echo "$(cat "$W/$img.size") $img"; done | sort -n | tail -1 | cut -d' ' -f2)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$W/reg.yml" <<YAML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $W/reg}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$port, secret: bench}
YAML
docker-registry serve "$W/reg.yml" >"$W/reg.log" 2>&1 &
REG_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
R=127.0.0.1:$port
n=0
BEFORE_RUN='n=$((n + 1)); rm -rf "$W/pull"'
measure copy.push "$DISTILL" -q copy "oci:$W/$big.o" "docker://$R/d$RANDOM/img:1" --insecure
measure skopeo.push skopeo copy -q --dest-tls-verify=false "oci:$W/$big.o" \
  "docker://$R/s$RANDOM/img:1"
"$DISTILL" -q copy "oci:$W/$big.o" "docker://$R/src/img:1" --insecure >/dev/null
measure copy.pull "$DISTILL" -q copy "docker://$R/src/img:1" "oci:$W/pull" --insecure
measure skopeo.pull skopeo copy -q --src-tls-verify=false "docker://$R/src/img:1" "oci:$W/pull"
BEFORE_RUN=""
measure inspect "$DISTILL" inspect "oci:$W/$big.o"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "<!-- Generated by bench/performance.sh; do not edit, run it again. -->"
  echo "# Performance"
  echo
  echo "Generated by \`bench/performance.sh\` on $(date -u +%Y-%m-%d) on this machine:"
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1e6}' /proc/meminfo) of memory,"
  echo "distill $("$DISTILL" --version 2>/dev/null | head -1 | awk '{print $NF}'),"
  echo "default layer compressor gzip (libdeflate -6 in 4 MiB members)."
  echo "Load average (1, 5, 15 min) before: $LOAD_BEFORE; after: $LOAD_AFTER"
  echo "(the machine is shared with other builds; figures on an idle machine are lower)."
  echo "Images measured: $IMAGES. Each figure is the median of $RUNS runs: wall seconds, and peak RSS in MB."
  echo
  echo "- **cold**: a fresh \`--cache-dir\` (downloads every .deb and the indices)."
  echo "- **warm**: the cache has the indices and .debs; no lock (the index is read)."
  echo "- **lock**: warm, \`--lock\` (the index is not read)."
  echo "- **no change**: the same build again into the existing output."
  echo "- **floor**: the same .debs through \`xz -d\`, \`sha256sum\` of the tar,"
  echo "  \`libdeflate-gzip -6\` (distill's default compressor and level) and \`sha256sum\`,"
  echo "  two .debs at a time."
  echo "- **mmdebstrap**: \`mmdebstrap --variant=extract\` of the same packages, then"
  echo "  \`tar | libdeflate-gzip -6 | sha256sum\` (it downloads; it has no cache)."
  echo
  echo "| image | cold | warm | lock | no change | floor | mmdebstrap | warm / floor | lock / floor | warm / mmdebstrap |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for img in $IMAGES; do
    cell() { echo "${WALL[$img.$1]} s, ${RSS[$img.$1]} MB"; }
    echo "| $img | $(cell cold) | $(cell warm) | $(cell lock) | $(cell nochange) |" \
      "$(cell floor) | $(cell mmdebstrap) | $(ratio "${WALL[$img.warm]}" "${WALL[$img.floor]}") |" \
      "$(ratio "${WALL[$img.lock]}" "${WALL[$img.floor]}") |" \
      "$(ratio "${WALL[$img.warm]}" "${WALL[$img.mmdebstrap]}") |"
  done
  echo
  echo "Registry transfers of the largest image ($big, $(awk '{printf "%.0f", $1 / 1e6}' "$W/$big.size") MB"
  echo "of blobs) with a docker-registry on 127.0.0.1 (push: into a new repository each run):"
  echo
  echo "| transfer | distill copy | skopeo copy | distill / skopeo |"
  echo "|---|---|---|---|"
  for d in push pull; do
    echo "| $d | ${WALL[copy.$d]} s, ${RSS[copy.$d]} MB | ${WALL[skopeo.$d]} s, ${RSS[skopeo.$d]} MB |" \
      "$(ratio "${WALL[copy.$d]}" "${WALL[skopeo.$d]}") |"
  done
  echo
  echo "\`distill inspect\` of $big: ${WALL[inspect]} s, ${RSS[inspect]} MB."
  echo
  echo "Micro-benchmarks of the hot loops (tar writing, compression, hashing, index"
  echo "parsing) are Google Benchmark programs in bench/ (\`build/bench/bench_hot_loops\`);"
  echo "\`bench/codecs.sh\` prints the table of deflate implementations in the README."
} >"$OUT"
echo "wrote $OUT" >&2
