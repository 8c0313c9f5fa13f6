#!/usr/bin/env bash
# ld-so-cache: true from the Debian 13 fixture repository (real trixie .debs):
# a python3.13 image (cc's packages plus the reference's 25) and an image
# with a library in a custom ld.so.conf.d directory. The cache distill
# writes must list the same entries in the same order as the host's own
# ldconfig run on the unpacked root, and the images must use it at run time:
# ctypes.util.find_library finds libssl.so.3, and a program linked to the
# custom library runs without an rpath. Then the Debian 12 cc image from the
# bookworm fixture, whose libc6 is the host's, gives byte-identical output.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci skopeo jq tar dpkg-deb gpg runc gcc
[[ $(id -u) == 0 ]] || skip "runc and ldconfig -r need root"
LDCONFIG=/sbin/ldconfig
[[ -x $LDCONFIG ]] || skip "no host ldconfig"
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"

# entries FILE: "soname => path" of every cache entry, in cache order, as
# glibc's own reader (ldconfig -p) prints them.
entries() {
  "$LDCONFIG" -p -C "$1" | awk '/^\t/ { print $1 " => " $NF }'
}

# compare_with_ldconfig LAYOUT TAG: leaves $T/NAME.{distill,host}[.txt] (NAME:
# the layout's base name) and prints the entry count. Unpacks the image, runs the host's
# ldconfig on the root, and compares its cache with the one distill wrote.
compare_with_ldconfig() {
  local layout=$1 tag=$2 name
  name=$(basename "$layout")
  local root="$T/unpack-$name"
  umoci unpack --image "$layout:$tag" "$root" >/dev/null
  local R="$root/rootfs"
  [[ -f $R/etc/ld.so.cache ]] || die "$name: no /etc/ld.so.cache in the image"
  cp "$R/etc/ld.so.cache" "$T/$name.distill"
  rm "$R/etc/ld.so.cache"
  # -r chroots into the root first; -C is inside it. -X: no links changed.
  "$LDCONFIG" -X -r "$R" -C /etc/ld.so.cache.host || die "$name: host ldconfig failed"
  entries "$T/$name.distill" >"$T/$name.distill.txt"
  entries "$R/etc/ld.so.cache.host" >"$T/$name.host.txt"
  [[ -s $T/$name.host.txt ]] || die "$name: host ldconfig listed nothing"
  diff -u "$T/$name.host.txt" "$T/$name.distill.txt" >&2 ||
    die "$name: distill's cache lists other entries than ldconfig's"
  cp "$R/etc/ld.so.cache.host" "$T/$name.host"
  wc -l <"$T/$name.distill.txt"
}

# layer_entries LAYOUT TAG: "MODE OWNER DATE PATH" of the last layer's members.
last_layer() {
  local dir=$1 tag=$2 manifest digest
  manifest=$(jq -r --arg t "$tag" '.manifests[] | select(.annotations."org.opencontainers.image.ref.name" == $t) | .digest' "$dir/index.json")
  digest=$(jq -r '.layers[-1].digest' "$dir/blobs/sha256/${manifest#sha256:}")
  tar --numeric-owner --full-time -tvzf "$dir/blobs/sha256/${digest#sha256:}" |
    awk '{ print $1, $2, $4 " " $5, $6 }'
}

REPO="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [trixie], keyring: \"$D13/keyring.gpg\"}"
# The shipped python3-debian13 (cc-debian13 + the reference's packages,
# ld-so-cache: true), pointed at the fixture.
printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/python3-debian13.yaml" "$REPO" >"$T/python3.yaml"

log "python3.13 (Debian 13, amd64) with ld-so-cache: true"
"$DISTILL" build "$T/python3.yaml" --arch amd64 -o "$T/py" -t latest >/dev/null
assert_eq "$(last_layer "$T/py" latest)" "-rw-r--r-- 0/0 1970-01-01 00:00:00 etc/ld.so.cache" \
  "the cache layer: one entry, 0644 root, mtime 0"
n=$(compare_with_ldconfig "$T/py" latest)
log "python3: $n entries, same order as the host's ldconfig"
assert_eq "$n" "52" "python3 cache entries (the reference amd64 cache has 52)"
grep -qx 'libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3' "$T/py.distill.txt" ||
  die "python3: libssl.so.3 is not listed at /lib/x86_64-linux-gnu"
libc_bin=$(dpkg-deb --field "$(ls "$D13"/repo/pool/main/l/libc-bin/libc-bin_*_amd64.deb)" Version)
assert_contains "$(strings "$T/py.distill")" \
  "ldconfig (Debian GLIBC $libc_bin) stable release version 2.41" "generator string"

log "python3: ctypes.util.find_library and the stdlib's C modules in runc"
out=$(run_image "$T/py" latest /usr/bin/python3 -c 'import ctypes.util; print(ctypes.util.find_library("ssl"))')
assert_eq "$out" "libssl.so.3" "find_library(\"ssl\")"
out=$(run_image "$T/py" latest /usr/bin/python3 -c 'import ssl, sqlite3, json, zoneinfo, ctypes; print(ssl.OPENSSL_VERSION.split()[0], ctypes.CDLL("libz.so.1").zlibVersion() != 0)')
assert_eq "$out" "OpenSSL True" "imports and dlopen by soname"
out=$(run_image "$T/py" latest /usr/bin/python -c 'import sys, os; print(sys.version.split()[0], os.environ["LANG"], os.path.exists("/bin/sh"))')
assert_eq "$out" "3.13.5 C.UTF-8 False" "python3-debian13: /usr/bin/python, LANG, no shell"
assert_eq "$(skopeo inspect --config "oci:$T/py:latest" | jq -c .config.Entrypoint)" '["/usr/bin/python3.13"]' "entrypoint"
"$DISTILL" build "$T/python3.yaml:nonroot" --arch amd64 -o "$T/py" >/dev/null
assert_eq "$(run_image "$T/py" nonroot /usr/bin/python3 -c 'import os; print(os.getuid(), os.getcwd())')" "65532 /home/nonroot" "python3-debian13:nonroot"

log "a library in a custom ld.so.conf.d directory"
printf 'int distill_probe(void) { return 42; }\n' >"$T/probe.c"
gcc -shared -fPIC -Wl,-soname,libdistillprobe.so.1 -o "$T/libdistillprobe.so.1" "$T/probe.c"
ln -sf libdistillprobe.so.1 "$T/libdistillprobe.so"
printf '#include <stdio.h>\nint distill_probe(void);\nint main(void) { printf("%%d\\n", distill_probe()); return 0; }\n' >"$T/main.c"
gcc -o "$T/probe-main" "$T/main.c" -L"$T" -ldistillprobe
cat >"$T/custom.yaml" <<YAML
name: custom-ld-cache-test
repositories: [$REPO]
resolve: false
merged-usr: true
ld-so-cache: true
packages: [base-files, libc6]
files:
  - {dest: /etc/ld.so.conf, content: "include /etc/ld.so.conf.d/*.conf\n"}
  - {dest: /etc/ld.so.conf.d/distill.conf, content: "/opt/distill/lib\n"}
  - {dest: /opt/distill/lib/libdistillprobe.so.1, src: "$T/libdistillprobe.so.1", mode: "0755"}
  - {dest: /app/probe-main, src: "$T/probe-main", mode: "0755"}
config:
  entrypoint: [/app/probe-main]
YAML
"$DISTILL" build "$T/custom.yaml" --arch amd64 -o "$T/custom" -t latest >/dev/null
compare_with_ldconfig "$T/custom" latest >/dev/null
grep -qx 'libdistillprobe.so.1 => /opt/distill/lib/libdistillprobe.so.1' "$T/custom.distill.txt" ||
  die "the custom directory's library is not in the cache: $(cat "$T/custom.distill.txt")"
assert_eq "$(run_image "$T/custom" latest)" "42" "program linked to the custom library"

log "without libc the key is refused naming its line"
cat >"$T/nolibc.yaml" <<YAML
name: nolibc
repositories: [$REPO]
resolve: false
merged-usr: true
ld-so-cache: true
packages: [base-files]
YAML
expect_fail err "$DISTILL" build "$T/nolibc.yaml" --arch amd64 -o "$T/nolibc" -t latest
assert_contains "$err" "nolibc.yaml:5: ld-so-cache:" "error"
assert_contains "$err" "neither libc-bin nor libc6" "error"
[[ ! -e $T/nolibc ]] || die "a failed build left $T/nolibc"

log "Debian 12 cc (bookworm fixture, the host's libc6): the same bytes as the host's ldconfig"
serve_family_fixture
cat >"$T/cc12.yaml" <<YAML
name: cc12-ld-cache-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
resolve: false
ld-so-cache: true
packages: [base-files, libc6, libssl3, libgomp1, libstdc++6, libgcc-s1, gcc-12-base]
YAML
"$DISTILL" build "$T/cc12.yaml" --arch amd64 -o "$T/cc12" -t latest >/dev/null
n=$(compare_with_ldconfig "$T/cc12" latest)
log "Debian 12 cc: $n entries"
cmp "$T/cc12.host" "$T/cc12.distill" || die "Debian 12: the cache bytes differ from the host's ldconfig"
grep -Eq '^libstdc\+\+\.so\.6 => (/usr)?/lib/x86_64-linux-gnu/libstdc\+\+\.so\.6$' "$T/cc12.distill.txt" ||
  die "Debian 12: libstdc++.so.6 not listed: $(cat "$T/cc12.distill.txt")"
log "ok"
