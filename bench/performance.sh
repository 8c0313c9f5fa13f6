#!/usr/bin/env bash
# Measures distill on this machine and writes docs/PERFORMANCE.md (generated:
# never edit that file by hand, run this again).
#
#   bench/performance.sh [DISTILL] [OUT.md]     (defaults: build/distill, docs/PERFORMANCE.md)
#
# Every figure is the median of RUNS (default 5) runs of one command, timed by
# /usr/bin/time (wall seconds and peak RSS). It uses the host's apt sources
# (the real mirror), a docker-registry on 127.0.0.1, skopeo, mmdebstrap and
# libdeflate-gzip; it needs root (mmdebstrap, and `unshare -m` to give skopeo
# an empty blob-info cache). Commands compared by a ratio run in interleaved
# rounds, and the ratio is the median of the rounds' ratios. What it measures:
#   - per image: cold (a fresh --cache-dir), every layer built (the layer
#     cache emptied, .debs and indices cached) without and with a lock, warm
#     (layer cache hits) without and with a lock, and a no-change rebuild
#     (the same build into the existing output);
#   - the floor for the same .debs: `xz -d`, libdeflate-gzip -6 (the
#     compressor and level of distill's default) and sha256sum of both the tar
#     and the gzip, two .debs at a time;
#   - the codec work alone (decode, compress, SHA-256) one step after
#     another on one core, whose half is the best any two-core build could do;
#   - `mmdebstrap --variant=extract` of the same packages + the same compressor;
#   - `distill copy` to and from the registry against `skopeo copy`;
#   - `distill inspect` of the largest image;
#   - the Google Benchmark micro-benchmarks (bench_hot_loops beside DISTILL);
# and checks the speed issue's goals against the figures of the same run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DISTILL=$(realpath "${1:-$ROOT/build/distill}")
OUT=${2:-$ROOT/docs/PERFORMANCE.md}
RUNS=${RUNS:-5}
JAVA=${JAVA:-java21}
IMAGES=${IMAGES:-"static base cc python3 $JAVA"}
for t in jq skopeo docker-registry mmdebstrap libdeflate-gzip xz sha256sum openssl unshare /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "performance.sh: needs $t" >&2; exit 1; }
done
[[ $EUID -eq 0 ]] || { echo "performance.sh: run it as root (mmdebstrap, unshare -m)" >&2; exit 1; }
W="" M="" REG_PID=""
cleanup() {
  if [[ -n $REG_PID ]]; then kill "$REG_PID" 2>/dev/null || true; wait "$REG_PID" 2>/dev/null || true; fi
  if [[ -n $W ]]; then rm -rf "$W"; fi
  if [[ -n $M ]]; then rm -rf "$M"; fi
}
# Set before the directories exist, so a failure making the second (no
# /dev/shm) still removes the first.
trap cleanup EXIT
W=$(mktemp -d "${TMPDIR:-/tmp}/distill-perf.XXXXXX")
M=$(mktemp -d /dev/shm/distill-perf.XXXXXX)  # in memory: the work's copies
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# A job is a named command and what to do before each of its runs:
#   job NAME BEFORE CMD...
# run1 NAME times one run (wall seconds and peak RSS) into $W/runs.NAME.
declare -A WALL RSS PRE CMD RATIO
job() {
  local name=$1
  PRE[$name]=$2
  shift 2
  CMD[$name]=$(printf '%q ' "$@")
  : >"$W/runs.$name"
}
run1() {
  local name=$1
  if [[ -n ${PRE[$name]} ]]; then eval "${PRE[$name]}"; fi
  # Earlier runs' writes (a cold run's downloads, outputs just removed) are
  # flushed first, so no run pays for the one before it.
  sync
  eval "/usr/bin/time -f '%e %M' -o \"\$W/t1\" ${CMD[$name]}" >/dev/null 2>"$W/err" ||
    { cat "$W/err" >&2; echo "performance.sh: '${CMD[$name]}' failed" >&2; exit 1; }
  tail -1 "$W/t1" >>"$W/runs.$name"
}
median() { sort -g | sed -n "$(((RUNS + 1) / 2))p"; }
# summarize NAME: the median wall s and RSS MB of NAME's runs.
summarize() {
  local name=$1
  WALL[$name]=$(cut -d' ' -f1 "$W/runs.$name" | median)
  RSS[$name]=$(cut -d' ' -f2 "$W/runs.$name" | median | awk '{printf "%.0f", $1 / 1024}')
  echo "  $name: ${WALL[$name]} s, ${RSS[$name]} MB" >&2
}
# measure NAME BEFORE CMD...: RUNS runs of one command.
measure() {
  local i
  job "$@"
  for ((i = 0; i < RUNS; i++)); do run1 "$1"; done
  summarize "$1"
}
# interleaved NAME...: RUNS rounds, each running every named job once in
# turn. A ratio between them then compares runs made seconds apart: on a
# shared host the speed of the machine drifts over minutes (other guests'
# load), and runs measured minutes apart would compare two machines.
interleaved() {
  local i name
  for ((i = 0; i < RUNS; i++)); do
    for name in "$@"; do run1 "$name"; done
  done
  for name in "$@"; do summarize "$name"; done
}
# round_ratio A B: the median over the rounds of A's wall time over B's in
# the same round (A and B measured by one `interleaved`).
round_ratio() {
  paste -d' ' <(cut -d' ' -f1 "$W/runs.$1") <(cut -d' ' -f1 "$W/runs.$2") |
    awk '{ if ($2 > 0) printf "%.6f\n", $1 / $2 }' | median | awk '{printf "%.2f", $1}'
}
# goal TEXT VALUE LIMIT: a row of the goals table, "yes" when VALUE <= LIMIT.
goal() {
  echo "| $1 | $2 | $3 | $(awk -v v="$2" -v l="$3" 'BEGIN { print (v + 0 <= l + 0) ? "yes" : "**no**" }') |"
}
# The goals of the speed issue, for the images this run measured (cc and
# $JAVA), judged on the strictest column: layers built, not taken from the
# layer cache.
goals() {
  local img=cc j=$JAVA c
  echo "Goals (\"yes\" when the measured figure is within the limit):"
  echo
  echo "| goal | measured | limit | met |"
  echo "|---|---|---|---|"
  if [[ -n ${WALL[cc.built]:-} ]]; then
    goal "cc built, no lock / floor" "${RATIO[$img.built/floor]}" 1.3
    goal "cc built, no lock / mmdebstrap" "${RATIO[$img.built/mmdebstrap]}" 0.2
    goal "cc built, lock / floor" "${RATIO[$img.builtlock/floor]}" 1.0
    goal "cc no-change rebuild (s)" "${WALL[$img.nochange]}" 0.2
    for c in built builtlock warm lock; do goal "cc peak RSS, $c (MB)" "${RSS[$img.$c]}" 64; done
  fi
  if [[ -n ${WALL[$j.built]:-} ]]; then
    goal "$j built, no lock / floor" "${RATIO[$j.built/floor]}" 0.5
    goal "$j built, lock / floor" "${RATIO[$j.builtlock/floor]}" 0.5
    goal "$j no-change rebuild (s)" "${WALL[$j.nochange]}" 0.3
    for c in built builtlock warm lock; do goal "$j peak RSS, $c (MB)" "${RSS[$j.$c]}" 256; done
  fi
  goal "distill copy push / skopeo copy" "${RATIO[copy.push]}" 1.0
  goal "distill copy pull / skopeo copy" "${RATIO[copy.pull]}" 1.0
}
cell() { echo "${WALL[$1.$2]} s, ${RSS[$1.$2]} MB"; }

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
# The codec work itself, one step after another on one core, on copies in
# memory (tmpfs, prepared untimed by work_prep): for each .deb, decode its
# data.tar, SHA-256 of the tar (OpenSSL, as distill: sha256sum has no SHA
# extensions on some CPUs), compress with libdeflate-gzip -6 and SHA-256 of
# that. Half of it is the best a two-core build could do: the work split
# evenly, at no cost for running both cores at once.
cat >"$W/work1.sh" <<'SH'
#!/bin/sh
set -e
read -r dec <"$1.dec"
$dec "$1.data" >/dev/null
openssl dgst -sha256 "$1.tar" >/dev/null
libdeflate-gzip -6 -c "$1.tar" >"$1.gz"
openssl dgst -sha256 "$1.gz" >/dev/null
SH
chmod +x "$W/work1.sh"
# work_prep LIST DIR: each .deb of LIST as DIR/N.data (its data.tar, still
# compressed), N.dec (the command that decodes it) and N.tar (decoded).
work_prep() {
  local n=0 deb m dec
  mkdir -p "$2"
  while read -r deb; do
    n=$((n + 1))
    m=$(ar t "$deb" | grep '^data\.tar')
    case $m in
      *.xz) dec="xz -dc" ;; *.zst) dec="zstd -dc" ;; *.gz) dec="gzip -dc" ;; *) dec="cat" ;;
    esac
    ar p "$deb" "$m" >"$2/$n.data"
    echo "$dec" >"$2/$n.dec"
    $dec "$2/$n.data" >"$2/$n.tar"
    echo "$2/$n"
  done <"$1" >"$2.list"
}

C=$W/cache   # the warm cache
for img in $IMAGES; do
  echo "$img" >&2
  "$DISTILL" -q lock "$img" -o "$W/$img.lock" --cache-dir "$C" >/dev/null 2>&1
  "$DISTILL" -q build "$img" -o "$W/$img.warmup" --cache-dir "$C" >/dev/null
  measure "$img.cold" 'rm -rf "$W/cold"' \
    "$DISTILL" -q build "$img" -o "$W/$img.cold" --cache-dir "$W/cold"
  # The same .debs, from the warm cache, for the floor.
  jq -r '.packages[][] | .sha256' "$W/$img.lock" | sort -u |
    sed "s|^|$C/blobs/sha256/|" >"$W/$img.debs"
  # mmdebstrap of the same packages from the same repositories (the lock's,
  # which come from the host's apt sources); it has no cache and downloads.
  pkgs=$(jq -r '[.packages[][] | .name] | unique | join(",")' "$W/$img.lock")
  suite=$(jq -r '.releases[0].suite' "$W/$img.lock")
  mapfile -t mirrors < <(jq -r '([.packages[][] | .component] | unique | join(" ")) as $c |
    .releases[] | "deb [trusted=yes] \(.repo_uri) \(.suite) \($c)"' "$W/$img.lock")
  # Every layer built (decoded, written, compressed, hashed) from the cached
  # .debs and indices: the layer cache is emptied before the run. A built run
  # leaves the layers cached, so the warm runs after it in the round hit.
  job "$img.built" 'rm -rf "$W/$img.o" "$C/layers"' \
    "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C"
  job "$img.builtlock" 'rm -rf "$W/$img.o" "$C/layers"' \
    "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C" --lock "$W/$img.lock"
  job "$img.warm" 'rm -rf "$W/$img.o"' \
    "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C"
  job "$img.lock" 'rm -rf "$W/$img.o"' \
    "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C" --lock "$W/$img.lock"
  job "$img.floor" "" sh -c "cat '$W/$img.debs' | xargs -P2 -I{} '$W/floor1.sh' {} '$W'"
  work_prep "$W/$img.debs" "$M/$img"
  job "$img.work" "" sh -c "cat '$M/$img.list' | xargs -P1 -I{} '$W/work1.sh' {}"
  job "$img.mmdebstrap" 'rm -rf "$W/mm"' \
    sh -c 'mmdebstrap --quiet --variant=extract --include="$1" "$2" "$3" \
    "$4" >/dev/null 2>&1 && tar -C "$3" -cf - . | libdeflate-gzip -6 -c | sha256sum >/dev/null' \
    sh "$pkgs" "$suite" "$W/mm" "$(printf '%s\n' "${mirrors[@]}")"
  interleaved "$img.built" "$img.builtlock" "$img.warm" "$img.lock" "$img.floor" "$img.work" \
    "$img.mmdebstrap"
  for c in built builtlock warm; do
    RATIO[$img.$c/floor]=$(round_ratio "$img.$c" "$img.floor")
  done
  RATIO[$img.bound/floor]=$(round_ratio "$img.work" "$img.floor" | awk '{printf "%.2f", $1 / 2}')
  rm -rf "${M:?}/$img" "$M/$img.list"
  RATIO[$img.built/mmdebstrap]=$(round_ratio "$img.built" "$img.mmdebstrap")
  "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C" >/dev/null
  measure "$img.nochange" "" "$DISTILL" -q build "$img" -o "$W/$img.o" --cache-dir "$C"
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
# Each push uploads every blob: the registry's storage is emptied first (so
# no blob is there to skip or mount), and skopeo runs with an empty blob-info
# cache of its own (a tmpfs over it, in a mount namespace of its own):
# otherwise it remembers where it pushed each blob before and mounts it from
# there instead of uploading it.
job copy.push 'rm -rf "$W/reg/docker"' \
  "$DISTILL" -q copy "oci:$W/$big.o" "docker://$R/d/img:1" --insecure
job skopeo.push 'rm -rf "$W/reg/docker"' \
  unshare -m sh -c 'mkdir -p /var/lib/containers/cache &&
    mount -t tmpfs none /var/lib/containers/cache &&
    exec skopeo copy -q --dest-tls-verify=false "oci:$0" "docker://$1/s/img:1"' "$W/$big.o" "$R"
interleaved copy.push skopeo.push
"$DISTILL" -q copy "oci:$W/$big.o" "docker://$R/src/img:1" --insecure >/dev/null
job copy.pull 'rm -rf "$W/pull"' \
  "$DISTILL" -q copy "docker://$R/src/img:1" "oci:$W/pull" --insecure
job skopeo.pull 'rm -rf "$W/pull"' \
  skopeo copy -q --src-tls-verify=false "docker://$R/src/img:1" "oci:$W/pull"
interleaved copy.pull skopeo.pull
for d in push pull; do RATIO[copy.$d]=$(round_ratio "copy.$d" "skopeo.$d"); done
measure inspect "" "$DISTILL" inspect "oci:$W/$big.o"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
HOT=$(dirname "$DISTILL")/bench/bench_hot_loops
if [[ -x $HOT ]]; then
  echo "bench_hot_loops" >&2
  "$HOT" --benchmark_format=json --benchmark_min_time=0.5 >"$W/hot.json" 2>/dev/null
fi

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
  if awk -v l="${LOAD_BEFORE%% *}" 'BEGIN { exit !(l < 0.5) }'; then
    echo "(the machine was idle when the run began)."
  else
    echo "(the machine was busy with other work; figures on an idle machine are lower)."
  fi
  echo "Images measured: $IMAGES. Each figure is the median of $RUNS runs: wall seconds, and peak RSS in MB."
  echo
  echo "- **cold**: a fresh \`--cache-dir\` (downloads every .deb and the indices)."
  echo "- **built**: the cache has the indices and .debs but no layers, so every layer"
  echo "  is decoded, written, compressed and hashed; no lock (the index is read)."
  echo "- **built, lock**: the same with \`--lock\` (the index is not read)."
  echo "- **warm**: the cache also has the layers (a layer-cache hit costs no decoding"
  echo "  and no hashing); no lock. **warm, lock**: the same with \`--lock\`."
  echo "- **no change**: the same build again into the existing output, no lock (it"
  echo "  still asks the mirror whether the Release changed: one round trip)."
  echo "- **floor**: the same .debs through \`xz -d\`, \`sha256sum\` of the tar,"
  echo "  \`libdeflate-gzip -6\` (distill's default compressor and level) and \`sha256sum\`,"
  echo "  two .debs at a time."
  echo "- **work, one core**: the codec work alone, one step after another on one"
  echo "  core, on in-memory copies: decode each data.tar, SHA-256 of it (OpenSSL, as"
  echo "  distill), \`libdeflate-gzip -6\` and SHA-256 of that."
  echo "- **mmdebstrap**: \`mmdebstrap --variant=extract\` of the same packages, then"
  echo "  \`tar | libdeflate-gzip -6 | sha256sum\` (it downloads; it has no cache)."
  echo
  echo "| image | cold | built | built, lock | warm | warm, lock | no change | floor | work, one core | mmdebstrap |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for img in $IMAGES; do
    echo "| $img | $(cell "$img" cold) | $(cell "$img" built) | $(cell "$img" builtlock) |" \
      "$(cell "$img" warm) | $(cell "$img" lock) | $(cell "$img" nochange) |" \
      "$(cell "$img" floor) | $(cell "$img" work) | $(cell "$img" mmdebstrap) |"
  done
  echo
  echo "Ratios (wall time): each is the median over the $RUNS rounds of the two runs'"
  echo "ratio in that round. A round runs built, built with a lock, warm, warm with a"
  echo "lock, the floor, the work on one core and mmdebstrap one after another, seconds"
  echo "apart, because this host's speed drifts over minutes (other guests' load) and a"
  echo "ratio of runs made minutes apart would compare two different machines."
  echo
  echo "| image | built / floor | built, lock / floor | built / mmdebstrap | warm / floor | best on two cores / floor |"
  echo "|---|---|---|---|---|---|"
  for img in $IMAGES; do
    echo "| $img | ${RATIO[$img.built/floor]} | ${RATIO[$img.builtlock/floor]} |" \
      "${RATIO[$img.built/mmdebstrap]} | ${RATIO[$img.warm/floor]} | ${RATIO[$img.bound/floor]} |"
  done
  echo
  echo "**best on two cores / floor** is half the work on one core over the floor: what a"
  echo "build would reach if its work split evenly over two cores and running both at once"
  echo "cost nothing. Where two busy cores slow each other, a real build stays above it."
  echo "The work runs four processes per .deb, so for images of many small .debs their"
  echo "start-up weighs in and a build can come in under it; it means most for the Java"
  echo "image, whose JRE is most of the work."
  echo
  goals
  echo
  echo "Registry transfers of the largest image ($big, $(awk '{printf "%.0f", $1 / 1e6}' "$W/$big.size") MB"
  echo "of blobs) with a docker-registry on 127.0.0.1 (push: into an emptied registry each run,"
  echo "so every blob is uploaded; skopeo with an empty blob-info cache):"
  echo
  echo "| transfer | distill copy | skopeo copy | distill / skopeo |"
  echo "|---|---|---|---|"
  for d in push pull; do
    echo "| $d | ${WALL[copy.$d]} s, ${RSS[copy.$d]} MB | ${WALL[skopeo.$d]} s, ${RSS[skopeo.$d]} MB |" \
      "${RATIO[copy.$d]} |"
  done
  echo
  echo "\`distill inspect\` of $big: ${WALL[inspect]} s, ${RSS[inspect]} MB."
  echo
  echo "Micro-benchmarks of the hot loops (tar writing, compression, hashing, index"
  echo "parsing): \`build/bench/bench_hot_loops\` (Google Benchmark, bench/bench_hot_loops.cpp);"
  echo "\`bench/codecs.sh\` prints the table of deflate implementations in the README."
  if [[ -s $W/hot.json ]]; then
    echo
    echo "| benchmark | time | throughput |"
    echo "|---|---|---|"
    jq -r '.benchmarks[] | "| \(.name) | \(.real_time * 100 | round / 100) \(.time_unit) | " +
      (if .bytes_per_second then "\(.bytes_per_second / 1048576 | round) MiB/s" else "-" end) + " |"' \
      "$W/hot.json"
  fi
} >"$OUT"
echo "wrote $OUT" >&2
