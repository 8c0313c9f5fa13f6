#!/bin/bash
# Runs one fuzz target briefly, as CTest does: first every committed
# regression input and corpus file once, then DISTILL_FUZZ_SECONDS (default 5)
# of fuzzing. The corpus is copied to a temp dir so that the run never writes
# into the source tree. Any crash, sanitizer report, leak, timeout or
# uncaught foreign exception fails the test.
# usage: run-fuzz.sh FUZZER CORPUS_DIR [REGRESSIONS_DIR]
set -euo pipefail
fuzzer=$1 corpus=$2 regressions=${3:-}
seconds=${DISTILL_FUZZ_SECONDS:-5}
[ -x "$fuzzer" ] || { echo "no fuzzer at $fuzzer" >&2; exit 1; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/distill-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp -R "$corpus/." "$work/corpus/"
flags=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/")
# fuzz/dict/<name>.dict, when present, seeds mutations with format keywords.
dict=$(dirname "$0")/dict/$(basename "$corpus").dict
[ -f "$dict" ] && flags+=(-dict="$dict")

if [ -n "$regressions" ] && [ -d "$regressions" ]; then
  mapfile -t inputs < <(find "$regressions" -type f ! -name '*.md' | sort)
  if [ "${#inputs[@]}" -gt 0 ]; then
    echo "replaying ${#inputs[@]} regression input(s)"
    "$fuzzer" "${flags[@]}" "${inputs[@]}"
  fi
fi

cd "$work"
if ! "$fuzzer" "${flags[@]}" -max_total_time="$seconds" -print_final_stats=1 "$work/corpus"; then
  for f in "$work"/artifacts/*; do
    [ -e "$f" ] || continue
    echo "finding: $(basename "$f") (base64 below; save it under fuzz/regressions/)" >&2
    base64 -w0 "$f" >&2
    echo >&2
  done
  exit 1
fi
