#!/usr/bin/env bash
# Fails, naming the files, when a git-tracked C++ file differs from what
# clang-format (with the repository's .clang-format) makes of it. Fix with:
#   git ls-files '*.cpp' '*.h' | xargs clang-format -i
# Usage: check-format.sh [CLANG_FORMAT]; exit 77 (skipped) outside a git checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${1:-clang-format}
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "not a git checkout: nothing to list the C++ files from" >&2
  exit 77
fi
mapfile -t files < <(git ls-files -- '*.cpp' '*.h')
if ((${#files[@]} == 0)); then
  echo "no tracked C++ files found" >&2
  exit 1
fi
"$clang_format" --dry-run -Werror "${files[@]}"
echo "${#files[@]} files formatted as .clang-format says"
