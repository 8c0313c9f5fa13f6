#!/bin/bash
# `-o -` streams a docker-archive or oci-archive to stdout (issue 18): only
# the archive goes to stdout (byte for byte what -o FILE writes), the digest
# and logs to stderr; skopeo (and podman when installed) load the stream; an
# OCI layout or a terminal on stdout is refused before any work.
. "$(dirname "$0")/lib.sh"
need skopeo jq script
make_tmpdir T

cat >"$T/app.yaml" <<'YAML'
name: streamtest
directories:
  - {path: /tmp, mode: "1777"}
files:
  - {dest: /etc/motd, content: "streamed to stdout\n"}
config:
  env: ["STAGE=stream"]
YAML

log "docker-archive to stdout: the same bytes as -o FILE, digest on stderr"
D=$("$DISTILL" -q build "$T/app.yaml" --format docker-archive -o "$T/file.tar" -t s:1)
"$DISTILL" build "$T/app.yaml" --format docker-archive -o - -t s:1 >"$T/stream.tar" 2>"$T/err"
cmp "$T/file.tar" "$T/stream.tar" || die "-o - differs from -o FILE"
assert_contains "$(cat "$T/err")" "$D" "stderr of the streamed build"
tar -tf "$T/stream.tar" >"$T/members"
grep -qx manifest.json "$T/members" || die "stream is not a docker-archive: $(cat "$T/members")"
ls -A "$T" | grep -q '^-$' && die "-o - created a file named '-'"

log "through a pipe, then into skopeo copy docker-archive:/dev/stdin"
# skopeo 1.9 cannot read docker-archive:/dev/stdin from a pipe (it seeks), so
# the pipe ends in cat and skopeo reads the same bytes on a redirected stdin.
"$DISTILL" -q build "$T/app.yaml" --format docker-archive -o - -t s:1 2>/dev/null | cat >"$T/piped.tar"
cmp "$T/file.tar" "$T/piped.tar" || die "the piped stream differs from -o FILE"
skopeo copy -q docker-archive:/dev/stdin "oci:$T/loaded:s1" <"$T/piped.tar" \
  || die "skopeo could not load the stream"
assert_eq "$(skopeo inspect --config --raw "oci:$T/loaded:s1" | jq -r '.config.Env[] | select(startswith("STAGE="))')" STAGE=stream \
  "config of the loaded image"

if command -v podman >/dev/null; then
  log "piped into podman load"
  out=$("$DISTILL" -q build "$T/app.yaml" --format docker-archive -o - -t s:1 \
    | podman --root "$T/storage" --runroot "$T/run" load 2>&1) || die "podman load failed: $out"
  assert_contains "$out" "s:1" "podman load output"
else
  log "podman not installed: the podman load step is not run"
fi

log "oci-archive to stdout, and copy to docker-archive:-"
"$DISTILL" build "$T/app.yaml" --format oci-archive -o - -t v1 >"$T/o.tar" 2>"$T/err2"
O=$(skopeo inspect "oci-archive:$T/o.tar:v1" | jq -r .Digest)
assert_contains "$(cat "$T/err2")" "$O" "stderr of the oci-archive stream"
"$DISTILL" -q build "$T/app.yaml" -o "$T/layout" -t v1 >/dev/null
assert_eq "$O" "$("$DISTILL" -q copy "oci:$T/layout:v1" "oci:$T/l2" 2>/dev/null)" "digest of the layout build"
"$DISTILL" -q copy "oci:$T/layout:v1" docker-archive:- 2>"$T/err3" | cat >"$T/copied.tar"
assert_eq "$(cat "$T/err3")" "$O" "copy prints the digest on stderr"
skopeo copy -q docker-archive:/dev/stdin "oci:$T/fromcopy:x" <"$T/copied.tar" \
  || die "skopeo could not load what copy streamed"
assert_eq "$(skopeo inspect --config --raw "oci:$T/fromcopy:x" | jq -r '.config.Env[] | select(startswith("STAGE="))')" STAGE=stream \
  "config after copy to docker-archive:-"

log "refusals: an OCI layout, a terminal"
expect_fail out "$DISTILL" build "$T/app.yaml" -o - </dev/null
assert_eq "$out" "distill: error: an oci layout is a directory and cannot be streamed to stdout; use --format oci-archive or docker-archive with -o - (or docker-archive:- as a destination)" "layout to stdout"
script -qec "$DISTILL build $T/app.yaml --format docker-archive -o -" /dev/null >"$T/tty" 2>&1 \
  && die "a terminal on stdout was accepted"
grep -q "refusing to write a docker-archive to a terminal; pipe it" "$T/tty" \
  || die "no terminal refusal: $(cat "$T/tty")"
[[ $(wc -c <"$T/tty") -lt 400 ]] || die "archive bytes reached the terminal"
log "a reader that quits: an error, and nothing left behind"
mkdir "$T/cwd"
# More than a pipe holds: an uncompressed 1 MiB file in the docker-archive.
cat >"$T/big.yaml" <<YAML
name: bigstream
files:
  - {dest: /big, content: "$(head -c 1048576 /dev/zero | tr '\0' x)"}
YAML
(cd "$T/cwd" && "$DISTILL" build "$T/big.yaml" --format docker-archive -o - 2>"$T/epipe" \
  | head -c 100 >/dev/null; echo "${PIPESTATUS[0]}" >"$T/rc") || true
assert_eq "$(cat "$T/rc")" 1 "exit status when the reader quits"
assert_contains "$(cat "$T/epipe")" "distill: error: cannot write stdout" "error when the reader quits"
assert_eq "$(ls -A "$T/cwd")" "" "files left in the working directory"
echo "PASS"
