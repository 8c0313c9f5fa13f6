#!/usr/bin/env bash
# Merged /usr (merged-usr: true) built from the Debian 13 fixture repository
# (real trixie .debs): base-files' /bin, /sbin, /lib (and /lib64) links
# survive, a package shipping /lib/x and /bin/x lands in /usr, the user's
# own file at /bin/tool lands at /usr/bin/tool, no layer of the image has
# anything under those names, and a definition that would put a directory
# at /lib fails with one line naming its file:line, leaving no output.
. "$(dirname "$0")/lib.sh"
need umoci skopeo jq tar dpkg-deb gpg
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"

# def FILE MERGED [EXTRA]: the test definition, EXTRA appended as YAML.
def() {
  cat >"$1" <<YAML
name: merged-usr-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [trixie], keyring: "$D13/keyring.gpg"}
resolve: false
merged-usr: $2
packages: [base-files, distill-usrmerge-probe, libc6]
files:
  - {dest: /bin/tool, content: "tool\n", mode: "0755"}
YAML
  if [[ -n ${3:-} ]]; then printf '%s\n' "$3" >>"$1"; fi
}

# layer_members OCI_DIR: "TYPE PATH -> TARGET" of every member of every
# layer, as tar lists them (no leading ./).
layer_members() {
  local dir=$1 manifest digest
  manifest=$(jq -r '.manifests[0].digest' "$dir/index.json")
  for digest in $(jq -r '.layers[].digest' "$dir/blobs/sha256/${manifest#sha256:}"); do
    tar -tvzf "$dir/blobs/sha256/${digest#sha256:}" | awk '{
      type = substr($1, 1, 1); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print type " " $0 }'
  done
}

log "build with merged-usr: true (amd64)"
def "$T/on.yaml" true
"$DISTILL" build "$T/on.yaml" --arch amd64 -o "$T/on" -t latest >/dev/null
skopeo inspect "oci:$T/on:latest" >"$T/inspect.json" || die "skopeo cannot inspect the image"
assert_eq "$(jq -r '.Architecture' "$T/inspect.json")" "amd64" "skopeo architecture"
assert_eq "$(jq -r '.Layers | length' "$T/inspect.json")" "4" "layers (3 packages + generated files)"

log "no layer has anything under /bin, /sbin, /lib*; the links are exactly usr/NAME"
members=$(layer_members "$T/on")
under=$(grep -E '^. (bin|sbin|lib|lib32|lib64|libx32)/' <<<"$members" || true)
[[ -z $under ]] || die "layer members under a merged-/usr name: $under"
tops=$(grep -E '^. (bin|sbin|lib|lib32|lib64|libx32)( |$)' <<<"$members" | sort)
assert_eq "$tops" "$(printf '%s\n' 'l bin -> usr/bin' 'l lib -> usr/lib' 'l lib64 -> usr/lib64' 'l sbin -> usr/sbin')" "top-level merged names"

log "unpacked with umoci: links, the probe's files and the user's file are in /usr"
umoci unpack --rootless --image "$T/on:latest" "$T/u" >/dev/null
R="$T/u/rootfs"
for name in bin sbin lib lib64; do
  [[ -L $R/$name ]] || die "/$name is not a symlink"
  assert_eq "$(readlink "$R/$name")" "usr/$name" "/$name link"
done
[[ -f $R/usr/lib/distill-probe/x && ! -L $R/usr/lib/distill-probe/x ]] ||
  die "the probe's /lib/distill-probe/x is not a real file at /usr/lib/distill-probe/x"
assert_eq "$(cat "$R/usr/lib/distill-probe/x")" "probe library" "probe file content"
[[ -f $R/usr/bin/distill-probe ]] || die "the probe's /bin/distill-probe is not at /usr/bin"
assert_eq "$(cat "$R/usr/bin/tool")" "tool" "user file /bin/tool at /usr/bin/tool"
assert_eq "$(stat -c %a "$R/usr/bin/tool")" "755" "mode of /usr/bin/tool"
# Reached through the link, as a program in the container would.
assert_eq "$(cat "$R/lib/distill-probe/x")" "probe library" "probe file through /lib"
[[ -e $R/lib64/ld-linux-x86-64.so.2 ]] || die "the loader is not reachable at /lib64"
# status.d keeps the .deb's md5sums verbatim (the unmoved paths), as the reference does.
grep -q '  lib/distill-probe/x$' "$R/var/lib/dpkg/status.d/distill-usrmerge-probe.md5sums" ||
  die "md5sums changed: $(cat "$R/var/lib/dpkg/status.d/distill-usrmerge-probe.md5sums")"

log "arm64: base-files ships no /lib64, and none is made"
"$DISTILL" build "$T/on.yaml" --arch arm64 -o "$T/arm" -t latest >/dev/null
arm_tops=$(layer_members "$T/arm" | grep -E '^. (bin|sbin|lib|lib32|lib64|libx32)( |/|$)' | sort)
assert_eq "$arm_tops" "$(printf '%s\n' 'l bin -> usr/bin' 'l lib -> usr/lib' 'l sbin -> usr/sbin')" "arm64 top-level merged names"

log "merged-usr: false keeps the probe's /bin, which then clashes with base-files' link"
def "$T/off.yaml" false
bf=$(dpkg-deb --field "$(ls "$D13"/repo/pool/main/b/base-files/base-files_*_amd64.deb)" Version)
expect_fail out "$DISTILL" build "$T/off.yaml" --arch amd64 -o "$T/off" -t latest
assert_eq "$out" "distill: error: package distill-usrmerge-probe 1.0: /bin is a directory but package base-files $bf installs it as a symlink" "merged-usr: false"
[[ ! -e $T/off ]] || die "a failed build left $T/off"

log "a directory at /lib fails with the definition's file:line and leaves no output"
def "$T/bad.yaml" true "directories:
  - {path: /lib}"
line=$(grep -n 'path: /lib}' "$T/bad.yaml" | cut -d: -f1)
expect_fail out "$DISTILL" build "$T/bad.yaml" --arch amd64 -o "$T/bad" -t latest
assert_eq "$out" "distill: error: $T/bad.yaml:$line: /lib is a directory, but in a merged-/usr image it must stay the symlink /lib -> usr/lib; put the content under /usr/lib instead" "error for directories: [/lib]"
[[ ! -e $T/bad ]] || die "a failed build left $T/bad"

log "an absolute /lib symlink fails the same way"
def "$T/abs.yaml" true "symlinks:
  - {path: /lib, target: /usr/lib}"
line=$(grep -n 'target: /usr/lib}' "$T/abs.yaml" | cut -d: -f1)
expect_fail out "$DISTILL" build "$T/abs.yaml" --arch amd64 -o "$T/abs" -t latest
assert_eq "$out" "distill: error: $T/abs.yaml:$line: symlink /lib points to /usr/lib, but merged /usr needs exactly usr/lib" "error for symlinks: [/lib -> /usr/lib]"
[[ ! -e $T/abs ]] || die "a failed build left $T/abs"

log "a packages: entry's symlink under /bin names its line"
sed 's|^packages: .*|packages: [base-files, {name: libc6, symlinks: [{path: /bin/ldd, target: /usr/bin/ldd}]}]|' \
  "$T/on.yaml" >"$T/pkgln.yaml"
line=$(grep -n '^packages:' "$T/pkgln.yaml" | cut -d: -f1)
expect_fail out "$DISTILL" build "$T/pkgln.yaml" --arch amd64 -o "$T/pkgln" -t latest
assert_eq "$out" "distill: error: $T/pkgln.yaml:$line: /bin/ldd lies under the merged-/usr symlink /bin; use /usr/bin/ldd instead" "error for a package's symlink"
[[ ! -e $T/pkgln ]] || die "a failed build left $T/pkgln"

log "distill verify reads the moved files through the links (md5sums name /lib/...)"
# The user's /usr/bin/tool is the one finding: a file no package lists in a
# directory of package files, as verify reports for any image.
if "$DISTILL" verify "$T/on" --json >"$T/verify.json"; then die "verify missed the user's file"; fi
assert_eq "$(jq -c '[.findings[] | "\(.kind) \(.path)"]' "$T/verify.json")" '["unowned /usr/bin/tool"]' "verify findings"
assert_eq "$(jq -r '.packages_verified' "$T/verify.json")" "3" "packages verified"

echo "ok"
