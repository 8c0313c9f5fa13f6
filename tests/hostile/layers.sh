#!/usr/bin/env bash
# Hostile image layers and image JSON in inspect, diff and extract: each
# case is an OCI layout written by make-hostile-image.py. Rejections are one
# exact line naming the blob and the member; what is not an error in a
# foreign image (absolute names, device nodes, setuid files) is handled
# safely; extract never writes outside -o.
. "$(dirname "$0")/../e2e/lib.sh"
need python3
make_tmpdir T
MK="python3 $FIXTURES/make-hostile-image.py"

# nothing_escaped: no file appeared next to the outputs.
nothing_escaped() {
  [[ ! -e $T/escape && ! -e $T/a/escape && -z $(find "$T" -name escaped -o -name pwned) ]] ||
    die "$1: something was written outside -o"
}

# rejected CASE EXPECTED-LINE CMD...: CMD fails with exactly that line.
rejected() {
  local c=$1 want=$2 out
  shift 2
  log "$c: $1"
  expect_fail out "$DISTILL" "$@"
  assert_eq "$out" "distill: error: $want" "error for $c ($1)"
  nothing_escaped "$c"
}

mkdir -p "$T/a/b"

log "the good image extracts (so failures below are about the damage)"
$MK "$T/good" good >/dev/null
"$DISTILL" -q extract "oci:$T/good:latest" / -o "$T/good-out"
assert_eq "$(cat "$T/good-out/etc/hello")" hello

log "an absolute member name lands inside -o, never at the host path"
$MK "$T/abs" absolute "$T/escape" >/dev/null
"$DISTILL" -q extract "oci:$T/abs:latest" / -o "$T/a/b/abs-out"
assert_eq "$(cat "$T/a/b/abs-out$T/escape")" escaped
[[ ! -e $T/escape ]] || die "extract honoured an absolute member name"

d=$($MK "$T/hd" hardlink-dotdot)
rejected hardlink-dotdot "layer $d: hardlink evil target path '../../escape' contains '..'" \
  extract "oci:$T/hd:latest" / -o "$T/a/b/hd-out"
rejected hardlink-dotdot "layer $d: hardlink evil target path '../../escape' contains '..'" \
  inspect "oci:$T/hd:latest"

log "hardlinks to absolute paths resolve inside the image, never to the host"
echo "host secret" >"$T/secret"
$MK "$T/ha" hardlink-abs "$T/secret" >/dev/null
expect_fail out "$DISTILL" extract "oci:$T/ha:latest" / -o "$T/ha-out"
assert_eq "$out" "distill: error: layer 0 has no file data for $T/secret"
[[ -z $(grep -rl "host secret" "$T/ha-out" 2>/dev/null) ]] || die "extract copied a host file"
log "a failed extract leaves nothing in -o: gone if it made -o, as it was if not"
[[ ! -e $T/ha-out ]] || die "the failed extract left $T/ha-out behind: $(find "$T/ha-out")"
mkdir -p "$T/ha-mine/etc"
echo mine >"$T/ha-mine/notes"
expect_fail out "$DISTILL" extract "oci:$T/ha:latest" / -o "$T/ha-mine"
assert_eq "$out" "distill: error: layer 0 has no file data for $T/secret"
assert_eq "$(cd "$T/ha-mine" && find . | sort | tr '\n' ' ')" ". ./etc ./notes " \
  "what a failed extract left in an existing -o"
"$DISTILL" -q extract "oci:$T/ha:latest" /h -o "$T/ha-out2"
assert_eq "$(cat "$T/ha-out2/h")" hello

log "device nodes are skipped by extract, with a warning"
$MK "$T/dev" device >/dev/null
out=$("$DISTILL" extract "oci:$T/dev:latest" / -o "$T/dev-out" 2>&1)
assert_contains "$out" "skipped /dev/null2 (device or fifo)"
[[ ! -e $T/dev-out/dev/null2 ]] || die "extract created a device node"

log "setuid bits are not extracted"
$MK "$T/su" setuid >/dev/null
"$DISTILL" -q extract "oci:$T/su:latest" /su -o "$T/su-out"
assert_eq "$(stat -c %a "$T/su-out/su")" 755

d=$($MK "$T/bh" bomb-header)
rejected bomb-header \
  "layer $d: member huge declares 1099511627776 bytes, over the 1 GiB per-file limit (raise it with --max-file-size SIZE)" \
  extract "oci:$T/bh:latest" / -o "$T/a/b/bh-out"
[[ ! -e $T/a/b/bh-out/huge ]] || die "extract began writing the bomb"

d=$($MK "$T/bz" bomb-zeros)
rejected bomb-zeros \
  "layer $d: member zeros declares 67108864 bytes, over the 16 MiB per-file limit (raise it with --max-file-size SIZE)" \
  inspect "oci:$T/bz:latest" --max-file-size 16M
# etc/, etc/hello (6 bytes), zeros: 3 headers of 512 bytes.
rejected bomb-zeros \
  "layer $d: members up to zeros add up to 67110406 bytes, over the 32 MiB per-layer limit (raise it with --max-layer-size SIZE)" \
  extract "oci:$T/bz:latest" / -o "$T/a/b/bz-out" --max-layer-size 32M
[[ ! -e $T/a/b/bz-out/zeros ]] || die "extract began writing the bomb"
"$DISTILL" -q extract "oci:$T/bz:latest" /zeros -o "$T/bz-ok" --max-file-size 64M
assert_eq "$(stat -c %s "$T/bz-ok/zeros")" 67108864

$MK "$T/two" two-layers >/dev/null
# Layer 1: etc/ (512), etc/hello (6 + 512), a (600 KiB + 512); layer 2: b (600 KiB + 512).
rejected two-layers \
  "the image's 2 layers add up to 1230854 bytes, over the 1 MiB per-image limit (raise it with --max-image-size SIZE)" \
  extract "oci:$T/two:latest" / -o "$T/a/b/two-out" --max-image-size 1M
[[ ! -e $T/a/b/two-out/a ]] || die "extract wrote before checking the image size"

d=$($MK "$T/dup" dup-types)
rejected dup-types "layer $d: member x/ is a directory but an earlier member with the same path is a file" \
  inspect "oci:$T/dup:latest"
rejected dup-types "layer $d: member x/ is a directory but an earlier member with the same path is a file" \
  diff scratch "oci:$T/dup:latest"

d=$($MK "$T/nu" non-utf8)
rejected non-utf8 "layer $d: member name 'caf\\xe9' is not valid UTF-8" \
  extract "oci:$T/nu:latest" / -o "$T/a/b/nu-out"

d=$($MK "$T/tr" truncated)
rejected truncated "layer 0 ($d): gzip data is truncated" \
  inspect "oci:$T/tr:latest"

$MK "$T/jd" json-dotdot >/dev/null
expect_fail out "$DISTILL" inspect "oci:$T/jd:latest"
[[ $out =~ ^"distill: error: manifest sha256:"[0-9a-f]{64}" layers[0] digest: 'sha256:../../../../escape' is not a sha256 digest"$ ]] ||
  die "json-dotdot: unexpected error: $out"
nothing_escaped json-dotdot
$MK "$T/jh" json-huge >/dev/null
expect_fail out "$DISTILL" inspect "oci:$T/jh:latest"
[[ $out =~ ^"distill: error: $T/jh: blob sha256:"[0-9a-f]{64}" is too large for JSON"$ ]] ||
  die "json-huge: unexpected error: $out"
echo PASS
