#!/bin/bash
# Issue 2: bad input gets a one-line error and a non-zero exit, never a crash,
# and the output path is left as it was, with no temp leftovers beside it.
. "$(dirname "$0")/lib.sh"
make_tmpdir T
cd "$T"

printf 'data\n' >src.txt
good='files:
  - {dest: /etc/x, src: src.txt}'

# snapshot PATH: a listing of the parent dir plus the content of PATH.
snapshot() {
  (ls -A "$(dirname "$1")"; if [[ -d $1 ]]; then find "$1" -printf '%P %s %m\n' | sort
   elif [[ -e $1 ]]; then sha256sum <"$1"; fi) 2>&1
}

# fails NAME EXPECT YAML [BUILD ARGS...]: the build must exit 1 with one line
# on stderr that contains EXPECT, and leave OUT and its directory unchanged.
fails() {
  local name=$1 expect=$2 yaml=$3 out err rc before after
  shift 3
  printf '%s\n' "$yaml" >"$name.yaml"
  out=${OUT:-$T/out-$name}
  before=$(snapshot "$out")
  set +e
  err=$("$DISTILL" -q build "$name.yaml" -o "$out" "$@" 2>&1 >/dev/null)
  rc=$?
  set -e
  [[ $rc == 1 ]] || die "$name: expected exit 1, got $rc: $err"
  [[ $(wc -l <<<"$err") == 1 ]] || die "$name: error is not one line: $err"
  assert_contains "$err" "distill: error: " "$name"
  assert_contains "$err" "$expect" "$name"
  after=$(snapshot "$out")
  [[ $before == "$after" ]] || die "$name: output or its directory changed: $before // $after"
  compgen -G "$(dirname "$out")/.*.tmp-*" >/dev/null && die "$name: temp files left: $(ls -A "$(dirname "$out")")"
  log "ok $name: $err"
}

fails missing-src "$T/missing-src.yaml:2" 'files:
  - {dest: /etc/x, src: no-such-file}'
fails escape "$T/escape.yaml:2" 'files:
  - {dest: ../x, content: a}'
fails escape-abs "must not contain '..'" 'files:
  - {dest: /etc/../../x, content: a}'
fails bad-mode "mode '0999'" 'files:
  - {dest: /x, content: a, mode: "0999"}'
fails duplicate "duplicate path /etc/x" 'files:
  - {dest: /etc/x, content: a}
  - {dest: /etc/x, src: src.txt}'
fails dup-dir "/etc/x/y is inside /etc/x" 'files:
  - {dest: /etc/x, content: a}
  - {dest: /etc/x/y, content: b}'
fails unknown-key "$T/unknown-key.yaml:3: unknown key 'mdoe'" 'files:
  - dest: /x
    mdoe: "0644"
    content: a'
fails unknown-top "$T/unknown-top.yaml:2: unknown key 'config_'" 'name: x
config_: {}'
fails yaml-syntax "$T/yaml-syntax.yaml:" 'files: [ {dest: /x'
fails empty "empty image" 'name: nothing'

log "OUT exists and is not an image"
mkdir -p notimage && echo keep >notimage/precious.txt
OUT=$T/notimage fails not-layout "not an OCI image layout" "$good"
[[ $(cat notimage/precious.txt) == keep ]] || die "precious.txt changed"
echo "my notes" >notes.txt
OUT=$T/notes.txt fails not-archive "not a docker-archive" "$good" --format docker-archive
OUT=$T/notes.txt fails file-as-layout "not a directory" "$good"
mkdir -p adir
OUT=$T/adir fails dir-as-archive "is a directory" "$good" --format docker-archive

log "a failing build keeps the previous image intact"
printf '%s\n' "$good" >good.yaml
d=$("$DISTILL" -q build good.yaml -o "$T/img" -t one 2>/dev/null) || die "good build failed"
"$DISTILL" -q build good.yaml --format docker-archive -o "$T/img.tar" >/dev/null 2>&1 || die "good archive build failed"
OUT=$T/img fails broken-over-layout "no-such-file" 'files:
  - {dest: /x, src: no-such-file}' -t two
OUT=$T/img.tar fails broken-over-archive "no-such-file" 'files:
  - {dest: /x, src: no-such-file}' --format docker-archive
assert_eq "$(jq -r '.manifests | length' img/index.json)" 1 "tags after failed build"
assert_eq "$(jq -r ".manifests[0].digest" img/index.json)" "$d" "old image after failed build"

log "usage errors exit 2"
set +e
"$DISTILL" build good.yaml >/dev/null 2>&1; rc=$?
set -e
assert_eq "$rc" 2 "missing -o"
set +e
"$DISTILL" build good.yaml -o x --format tarball >/dev/null 2>&1; rc=$?
set -e
assert_eq "$rc" 2 "bad --format"
echo "PASS"
