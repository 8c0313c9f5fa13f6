#!/bin/bash
# Corrupt and hostile images: bad gzip, digest mismatch, missing blob, a
# member escaping the root, symlinks leading out. inspect/diff/extract fail
# with a message naming the blob, and extract never writes outside -o. A
# path with nothing there says so (not "no such docker-archive file").
. "$(dirname "$0")/lib.sh"
need python3
make_tmpdir T
MK="python3 $FIXTURES/make-hostile-layout.py"

log "a good hand-made layout works (so the failures below are about the damage)"
$MK "$T/good" good >/dev/null
"$DISTILL" extract "oci:$T/good:latest" /etc -o "$T/good-out"
assert_eq "$(cat "$T/good-out/etc/hello")" "hello"

log "a path with nothing there is named as such, not as a missing docker-archive"
expect_fail out "$DISTILL" inspect "$T/out/nonexist"
assert_eq "$out" "distill: error: $T/out/nonexist: no such file or directory (an image is an OCI layout directory, an oci-archive or docker-archive file, or docker://HOST/REPO:TAG)" "missing path"
expect_fail out "$DISTILL" inspect "docker-archive:$T/nonexist.tar"
assert_eq "$out" "distill: error: $T/nonexist.tar: no such docker-archive file" "missing docker-archive:"

log "bad gzip"
d=$($MK "$T/gz" bad-gzip)
expect_fail out "$DISTILL" inspect "oci:$T/gz:latest"
assert_contains "$out" "$d"
expect_fail out "$DISTILL" extract "oci:$T/gz:latest" /etc -o "$T/gz-out"
assert_contains "$out" "$d"

log "digest mismatch"
d=$($MK "$T/dm" good)
f="$T/dm/blobs/sha256/${d#sha256:}"
python3 -c "import sys; p=sys.argv[1]; b=bytearray(open(p,'rb').read()); b[-9]^=1; open(p,'wb').write(b)" "$f"
expect_fail out "$DISTILL" inspect "oci:$T/dm:latest"
assert_contains "$out" "$d"
expect_fail out "$DISTILL" diff scratch "oci:$T/dm:latest"
assert_contains "$out" "$d"

log "missing blob"
d=$($MK "$T/mb" good)
rm "$T/mb/blobs/sha256/${d#sha256:}"
expect_fail out "$DISTILL" inspect "oci:$T/mb:latest"
assert_contains "$out" "${d#sha256:}"

log "a member named ../evil"
mkdir -p "$T/dd/inner"
d=$($MK "$T/dd/img" dotdot)
expect_fail out "$DISTILL" inspect "oci:$T/dd/img:latest"
assert_contains "$out" "$d"
assert_contains "$out" "'..'"
expect_fail out "$DISTILL" extract "oci:$T/dd/img:latest" / -o "$T/dd/inner/out"
assert_contains "$out" "$d"
[[ -z $(find "$T/dd" -name evil) ]] || die "extract wrote ../evil"

log "an absolute symlink, then a file through it"
mkdir -p "$T/outside"
$MK "$T/abs" abs-symlink "$T/outside" >/dev/null
expect_fail out "$DISTILL" extract "oci:$T/abs:latest" / -o "$T/abs-out"
assert_contains "$out" "refusing to write"
[[ ! -e $T/outside/pwned ]] || die "extract followed a symlink out of -o"
[[ ! -e $T/abs-out ]] || die "a failed extract must leave nothing: $(find "$T/abs-out")"
# Asking for the path through the link resolves inside the image, where it does not exist.
expect_fail out "$DISTILL" extract "oci:$T/abs:latest" /link/pwned -o "$T/abs-out2"
assert_contains "$out" "not in the image"
[[ ! -e $T/outside/pwned ]] || die "extract followed a symlink out of -o"

log "a relative symlink climbing out, then a file through it"
mkdir -p "$T/rel/a/b"
$MK "$T/rel/img" rel-symlink >/dev/null
expect_fail out "$DISTILL" extract "oci:$T/rel/img:latest" / -o "$T/rel/a/b/out"
assert_contains "$out" "refusing to write"
# The link climbs to / from anywhere under $T.
[[ ! -e /pwned && -z $(find "$T" -name pwned) ]] || die "a file named pwned appeared outside -o"
echo PASS
