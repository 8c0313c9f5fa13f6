#!/usr/bin/env bash
# --explain (issue 18 item 3): building a user definition that inherits
# static-debian13 (from:) names, for every package and generated file, the
# definition file:line that caused it: /etc/group, os-release and the CA
# bundle come from images/common/static.yaml (not the user's file), a
# package the user asks for names the user's line, a dependency names the
# package (and its Depends:) that pulled it in. The lines are results, so they go to stdout
# before the digest (stderr stays empty with -q); --json has them as
# "explain": [{arch, item, reason}].
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"

cat >"$T/app.yaml" <<YAML
from: $DISTILL_SRC/images/static-debian13.yaml
name: explain-test
repositories: [$D13_REPO]
packages:
  - libc6
YAML
# version NAME: the version of the fixture's amd64 (or all) .deb of NAME.
version() {
  dpkg-deb -f "$(find "$D13/repo" -name "${1}_*_amd64.deb" -o -name "${1}_*_all.deb" | head -1)" Version
}
COMMON="$DISTILL_SRC/images/common/static.yaml"

log "build --explain: the lines on stdout, before the digest"
"$DISTILL" -q build "$T/app.yaml" --arch amd64 --explain -o "$T/out" >"$T/stdout" 2>"$T/stderr"
assert_eq "$(cat "$T/stderr")" "" "stderr of -q build --explain"
out=$(cat "$T/stdout")
digest=$(jq -r '.manifests[0].digest' "$T/out/index.json")
assert_eq "$(tail -1 <<<"$out")" "$digest" "the last line is the digest"
line() { grep -F -x -- "$1" <<<"$out" >/dev/null || die "no line '$1' in: $out"; }
line "amd64: file /etc/group: $COMMON:14 (groups) (layer group)"
line "amd64: file /etc/passwd: $COMMON:10 (users) (layer passwd)"
# The release file is the installed copy beside the program.
line "amd64: file /usr/lib/os-release: $COMMON:27 (os-release), values from release debian13 ($(dirname "$DISTILL")/images/releases/debian13.yaml) (layer os-release)"
line "amd64: file /etc/ssl/certs/ca-certificates.crt: CA bundle from ca-certificates $(version ca-certificates) (ca-bundle at $COMMON:8)"
line "amd64: package libc6 $(version libc6) (trixie): requested at $T/app.yaml:5"
line "amd64: package libgcc-s1 $(version libgcc-s1) (trixie): libc6 Depends: libgcc-s1"
line "amd64: package tzdata $(version tzdata) (trixie): requested at $DISTILL_SRC/images/static-debian13.yaml:$(grep -n '^  - tzdata$' "$DISTILL_SRC/images/static-debian13.yaml" | cut -d: -f1)"
# Every package line names a definition line or the package that pulled it in.
while read -r l; do
  [[ $l == *": requested at "*.yaml:[0-9]* || $l =~ \(trixie\):\ [a-z0-9.+-]+\ (Pre-)?Depends:\  ]] ||
    die "package line without a cause: $l"
done < <(grep '^amd64: package ' <<<"$out")
((n = $(grep -c '^amd64: ' <<<"$out"))) && ((n >= 15)) || die "only $n explain lines: $out"

log "build --explain --json: the same entries under \"explain\""
"$DISTILL" -q build "$T/app.yaml" --arch amd64 --explain --json -o "$T/out" >"$T/json"
assert_eq "$(jq -r '.explain[] | select(.item == "file /etc/group") | "\(.arch) \(.reason)"' "$T/json")" \
  "amd64 $COMMON:14 (groups) (layer group)" "JSON entry of /etc/group"
assert_eq "$(jq -r '.explain | length' "$T/json")" "$n" "JSON entries"
assert_eq "$(jq -r '.digest' "$T/json")" "$digest" "JSON digest"
echo PASS
