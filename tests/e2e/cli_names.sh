#!/bin/bash
# Issue 18: -t/--tag values and docker:// references follow the OCI
# distribution grammar; a bad one is refused before anything is written,
# with a message naming the character. Good tags are read back by skopeo.
. "$(dirname "$0")/lib.sh"
need skopeo jq
make_tmpdir T
cd "$T"
printf 'files:\n  - {dest: /etc/x, content: "x\\n"}\n' >x.yaml
TAG_RULE="a tag is 1-128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"
REPO_RULE="repository path components are lowercase letters and digits joined by '.', '_', '__' or '-'"

# fails WANT_RC WANT ARGS...: distill ARGS exits WANT_RC; the first line of stderr is WANT.
fails() {
  local want_rc=$1 want=$2 rc
  shift 2
  set +e
  "$DISTILL" "$@" >/dev/null 2>"$T/err"
  rc=$?
  set -e
  assert_eq "$rc" "$want_rc" "exit status of distill $*"
  assert_eq "$(head -1 "$T/err")" "$want" "message of distill $*"
}

log "-t on build"
fails 2 "distill: --tag 'bad tag!': ' ' (a space) at position 4 is not allowed; $TAG_RULE" \
  build x.yaml -o out -t 'bad tag!'
[[ ! -e out ]] || die "a bad tag wrote the layout"
fails 2 "distill: --tag '.hidden': '.' at position 1 is not allowed; $TAG_RULE" build x.yaml -o out -t .hidden
fails 2 "distill: --tag 'App:1': 'A' at position 1 is not allowed; $REPO_RULE" \
  build x.yaml --format docker-archive -o out.tar -t App:1
fails 2 "distill: --tag 'app:v 1': ' ' (a space) at position 6 is not allowed; $TAG_RULE" \
  build x.yaml --format docker-archive -o out.tar -t 'app:v 1'
long=$(printf 'a%.0s' {1..129})
fails 2 "distill: --tag '$long': the tag is 129 characters long; at most 128 are allowed" \
  build x.yaml -o out -t "$long"
[[ ! -e out && ! -e out.tar ]] || die "a bad tag wrote output"

log "good tags are written and skopeo reads them"
"$DISTILL" -q build x.yaml -o out -t v1.0_rc-1 -t latest >/dev/null
skopeo inspect --raw oci:out:v1.0_rc-1 >/dev/null
"$DISTILL" -q build x.yaml --format docker-archive -o out.tar -t 127.0.0.1:5000/org/app:1.0 >/dev/null
assert_eq "$(tar -xOf out.tar manifest.json | jq -r '.[0].RepoTags[0]')" "127.0.0.1:5000/org/app:1.0" "RepoTags"
skopeo inspect --raw docker-archive:out.tar:127.0.0.1:5000/org/app:1.0 >/dev/null

log "-t on copy, and docker:// references"
fails 2 "distill: --tag 'x#y': '#' at position 2 is not allowed; $TAG_RULE" copy oci:out:latest oci:copy -t 'x#y'
[[ ! -e copy ]] || die "a bad tag wrote the copy"
fails 1 "distill: error: bad registry reference 'docker://127.0.0.1:9/app:bad!tag': tag 'bad!tag': '!' at position 4 is not allowed; $TAG_RULE (expected [HOST[:PORT]/]REPO[:TAG][@sha256:DIGEST])" \
  copy oci:out:latest 'docker://127.0.0.1:9/app:bad!tag' --insecure
echo "PASS"
