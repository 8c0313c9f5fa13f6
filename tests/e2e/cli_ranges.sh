#!/bin/bash
# Issue 18: numeric flags out of range are usage errors (exit 2) with one
# human line naming the flag, the allowed range and the value given; nothing
# is written.
. "$(dirname "$0")/lib.sh"
make_tmpdir T
cd "$T"
printf 'files:\n  - {dest: /etc/x, content: "x\\n"}\n' >x.yaml

# rejected WANT ARGS...: distill ARGS exits 2, stderr's first line is WANT.
rejected() {
  local want=$1 rc
  shift
  set +e
  "$DISTILL" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  set -e
  assert_eq "$rc" 2 "exit status of distill $*"
  assert_eq "$(head -1 "$T/err")" "distill: $want" "message of distill $*"
  [[ ! -e $T/o && ! -e $T/l ]] || die "distill $* wrote output"
}

log "build"
rejected "--compression-level must be between 1 and 9 for gzip (got 42)" build x.yaml -o o --compression-level 42
rejected "--compression-level must be between 1 and 9 for gzip (got 0)" build x.yaml -o o --compression-level 0
rejected "--compression-level must be between 1 and 19 for zstd (got 20)" build x.yaml -o o --compression zstd --compression-level 20
rejected "--compression-level must be between 1 and 19 for zstd (got 20)" build x.yaml -o o --compression-level 20 --compression zstd
rejected "--compression-level does not apply to --compression none (got 3)" build x.yaml -o o --compression none --compression-level 3
rejected "--compression-level must be between 1 and 9 for gzip (got fast)" build x.yaml -o o --compression-level fast
rejected "--timeout must be between 1 and 86400 (got 0)" build x.yaml -o o --timeout 0
rejected "--timeout must be between 1 and 86400 (got -5)" build x.yaml -o o --timeout=-5
rejected "--jobs must be between 1 and 64 (got 0)" build x.yaml -o o -j 0
rejected "--jobs must be between 1 and 64 (got 1000)" build x.yaml -o o --jobs 1000
rejected "--max-file-size must be a positive size such as 512M, 1.5G or 2GiB, not '0'" build x.yaml -o o --max-file-size 0
rejected "--max-layer-size must be a positive size such as 512M, 1.5G or 2GiB, not '12Q'" build x.yaml -o o --max-layer-size 12Q
rejected "--snapshot must be a timestamp YYYYMMDDTHHMMSSZ, e.g. 20260818T205150Z (got 2026-01-01)" build x.yaml -o o --snapshot 2026-01-01

log "lock, copy, inspect"
rejected "--timeout must be between 1 and 86400 (got 0)" lock x.yaml -o l --timeout 0
rejected "--snapshot must be a timestamp YYYYMMDDTHHMMSSZ, e.g. 20260818T205150Z (got 20261301T000000Z)" lock x.yaml -o l --snapshot 20261301T000000Z
rejected "--parallel must be between 1 and 4 (got 9)" copy oci:a oci:o --parallel 9
rejected "--chunk-size must be a whole number of bytes, 0 or more (got -1)" copy oci:a oci:o --chunk-size=-1
rejected "--max-image-size must be a positive size such as 512M, 1.5G or 2GiB, not 'big'" inspect oci:a --max-image-size big

log "values in range still work"
"$DISTILL" -q build x.yaml -o o --compression-level 9 -j 1 --max-file-size 1M >/dev/null
"$DISTILL" -q build x.yaml -o o2 --compression zstd --compression-level 19 --timeout 86400 >/dev/null
assert_eq "$(jq -r '.manifests | length' o/index.json)" 1 "tags in the layout built with in-range flags"
echo "PASS"
