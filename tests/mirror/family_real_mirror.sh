#!/usr/bin/env bash
# Real-mirror check (label "mirror"): every family image built from the
# host's Debian 12 mirror runs real programs under runc; the arm64 image has
# the right index entry and arm64 ELF files, and its busybox runs under qemu.
# Every build names the host's own archives with --mirror/--security-mirror.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
. "$(dirname "$(readlink -f "$0")")/lib.sh"
need umoci runc jq gcc g++ skopeo openssl
host_mirrors
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
compile_programs
IMG="$DISTILL_SRC/images"
build() {
  timeout 600 "$DISTILL" -q build "$@" "${MIRROR_FLAGS[@]}" >/dev/null || die "distill build $* failed (mirror reachable?)"
}

log "static"
build "$(app "$IMG/static-debian12.yaml" "$T/static_facts")" -o "$T/static"
out=$(run_image "$T/static" latest)
assert_contains "$out" "nonroot uid=65532"
assert_contains "$out" "new_york hour=8 zone=EDT"
n=$(sed -n 's/^certificates=//p' <<<"$out")
(( n > 100 )) || die "only $n certificates in the bundle"

log "base"
build "$(app "$IMG/base-debian12.yaml" "$T/ssl_bundle")" -o "$T/base"
assert_contains "$(run_image "$T/base" latest)" "trusted=$n"

log "cc"
build "$(app "$IMG/cc-debian12.yaml" "$T/cxx_runtime")" -o "$T/cc"
assert_eq "$(run_image "$T/cc" latest)" "threads_total=2002000 etc_entries_positive=1" "cc output"

log "base-nossl:nonroot"
build "$(app "$IMG/base-nossl-debian12.yaml" "$T/whoami"):nonroot" -o "$T/nr"
assert_eq "$(run_image "$T/nr" nonroot)" "uid=65532 home=/home/nonroot cwd=/home/nonroot" "nonroot"

log "static:debug"
build static-debian12:debug -o "$T/dbg"
assert_contains "$(run_image "$T/dbg" debug /busybox/sh -c 'echo debug-ok')" "debug-ok"

log "python3"
build python3-debian12 -o "$T/py"
# /etc/ld.so.cache (ld-so-cache: true) makes find_library work by soname.
# Debian 12's python3 has no ldconfig binary (the reference installs only
# libc-bin's files it needs), so ctypes.util.find_library finds nothing
# there; dlopen by soname goes through /etc/ld.so.cache.
assert_contains "$(run_image "$T/py" latest /usr/bin/python3 -c 'import ssl, sqlite3, json, zoneinfo, ctypes; ctypes.CDLL("libssl.so.3"); zoneinfo.ZoneInfo("Europe/Kyiv"); print("py-ok")')" "py-ok"
build python3-debian12:nonroot -o "$T/pynr"
assert_eq "$(run_image "$T/pynr" nonroot /usr/bin/python3 -c 'import os; print(os.getuid(), os.getcwd())')" \
  "65532 /home/nonroot" "python3-debian12:nonroot"
rm -rf "$T/pynr"

# The reference's python3 package list: cc's plus these 24, nothing resolved.
rm -rf "$T/pyroot" && umoci unpack --image "$T/py:latest" "$T/pyroot" >/dev/null
got=$(ls "$T/pyroot/rootfs/var/lib/dpkg/status.d" | grep -v '\.md5sums$' | sort | tr '\n' ' ')
want=$(printf '%s\n' base-files ca-certificates media-types netbase tzdata libc6 libssl3 gcc-12-base \
  libgomp1 libstdc++6 libgcc-s1 libbz2-1.0 libdb5.3 libexpat1 liblzma5 libsqlite3-0 libuuid1 \
  libncursesw6 libtinfo6 python3-distutils zlib1g libcom-err2 libcrypt1 libgssapi-krb5-2 libk5crypto3 \
  libkeyutils1 libkrb5-3 libkrb5support0 libnsl2 libreadline8 libtirpc3 libffi8 \
  libpython3.11-minimal libpython3.11-stdlib python3.11-minimal | sort | tr '\n' ' ')
assert_eq "$got" "$want" "python3 packages"
# Its /etc/ld.so.cache (ld-so-cache: true) lists what the host's ldconfig
# lists for the same root, in the same order (ldconfig -p reads both).
R="$T/pyroot/rootfs"
[[ -f $R/etc/ld.so.cache ]] || die "python3-debian12 has no /etc/ld.so.cache"
cp "$R/etc/ld.so.cache" "$T/py.distill.cache" && rm "$R/etc/ld.so.cache"
/sbin/ldconfig -X -r "$R" -C /etc/ld.so.cache.host || die "host ldconfig failed on python3-debian12"
ld_entries() { /sbin/ldconfig -p -C "$1" | awk '/^\t/ { print $1 " => " $NF }'; }
ld_entries "$T/py.distill.cache" >"$T/py.distill.txt"
ld_entries "$R/etc/ld.so.cache.host" >"$T/py.host.txt"
[[ -s $T/py.host.txt ]] || die "host ldconfig listed nothing for python3-debian12"
diff -u "$T/py.host.txt" "$T/py.distill.txt" >&2 || die "python3-debian12: distill's ld.so.cache differs from ldconfig's"
rm -rf "$T/pyroot"

log "java17"
build java17-debian12 -o "$T/java"
out=$(run_image "$T/java" latest /usr/bin/java -version 2>&1)
assert_contains "$out" 'openjdk version "17.'
arch=$(dpkg --print-architecture)
jvm=/usr/lib/jvm/java-17-openjdk-$arch
assert_contains "$(run_image "$T/java" latest "$jvm/bin/java" -version 2>&1)" 'openjdk version "17.'
rm -rf "$T/jroot" && umoci unpack --image "$T/java:latest" "$T/jroot" >/dev/null
R="$T/jroot/rootfs"
# The reference's java17 package list: base-nossl's, the 19 java-base
# libraries, the JRE, and libc-bin for the C.utf8 locale layer.
got=$(ls "$R/var/lib/dpkg/status.d" | grep -v '\.md5sums$' | sort | tr '\n' ' ')
want=$(printf '%s\n' base-files ca-certificates media-types netbase tzdata libc6 zlib1g \
  libjpeg62-turbo liblcms2-2 libfreetype6 fonts-dejavu-core fontconfig-config libexpat1 \
  libfontconfig1 libuuid1 libbrotli1 libcrypt1 libstdc++6 libgcc-s1 gcc-12-base libpng16-16 \
  libharfbuzz0b libgraphite2-3 libpcre2-8-0 libglib2.0-0 openjdk-17-jre-headless libc-bin |
  sort | tr '\n' ' ')
assert_eq "$got" "$want" "java17 packages"
[[ -f $R/usr/lib/locale/C.utf8/LC_CTYPE ]] || die "no C.utf8 locale in java17"
assert_file "$R/usr/share/doc/libc-bin/copyright"
[[ ! -e $R/usr/bin/ldd && ! -e $R/sbin/ldconfig ]] || die "libc-bin was installed whole"
# JAVA_VERSION comes from the JRE's Debian version, cut at the '+'.
deb_version=$(sed -n 's/^Version: //p' "$R/var/lib/dpkg/status.d/openjdk-17-jre-headless")
cfg=$(skopeo inspect --config "oci:$T/java:latest")
assert_contains "$(jq -r '.config.Env[]' <<<"$cfg")" "JAVA_VERSION=${deb_version%%+*}"
assert_contains "$out" "openjdk version \"${deb_version%%+*}\""
assert_eq "$(jq -c .config.Entrypoint <<<"$cfg")" '["/usr/bin/java","-jar"]' "java17 entrypoint"
# /usr/bin/java sits in the JRE's layer, not in a generated one.
jre_layers=0
for l in $(jq -r '.layers[].digest' "$T/java/blobs/sha256/$(jq -r '.manifests[0].digest' "$T/java/index.json" | cut -d: -f2)"); do
  list=$(tar -tzf "$T/java/blobs/sha256/${l#sha256:}")
  if grep -qx 'usr/bin/java' <<<"$list"; then
    grep -q "^usr/lib/jvm/java-17-openjdk-$arch/bin/java\$" <<<"$list" && jre_layers=$((jre_layers + 1))
  fi
done
assert_eq "$jre_layers" "1" "layers holding both the JRE and /usr/bin/java"
# The keystore: keytool from the image's own JRE (through the JRE's
# lib/security/cacerts symlink) counts one entry per distinct subject of the
# image's PEM bundle (the reference's tool keys entries by subject).
distinct=$(csplit -s -z -f "$T/jcert-" "$R/etc/ssl/certs/ca-certificates.crt" '/-----BEGIN CERTIFICATE-----/' '{*}' &&
  for f in "$T"/jcert-*; do openssl x509 -in "$f" -noout -subject -nameopt RFC2253; done | sort -u | wc -l)
(( distinct > 100 )) || die "only $distinct subjects in the PEM bundle"
out=$(run_image "$T/java" latest "$jvm/bin/keytool" -list -keystore /etc/ssl/certs/java/cacerts -storepass changeit)
assert_contains "$out" "Your keystore contains $distinct entries"
out=$(run_image "$T/java" latest "$jvm/bin/keytool" -list -cacerts -storepass changeit)
assert_contains "$out" "Your keystore contains $distinct entries"
assert_eq "$(stat -c %a "$R/etc/ssl/certs/java/cacerts")" "555" "cacerts mode"
out=$(run_image "$T/java" latest /usr/bin/java -XshowSettings:properties -version 2>&1)
assert_contains "$out" "sun.jnu.encoding = UTF-8"
rm -rf "$T/jroot"

log "java17:debug"
build java17-debian12:debug -o "$T/java"
assert_contains "$(run_image "$T/java" debug "$jvm/bin/javac" -version 2>&1)" "javac ${deb_version%%+*}"
assert_contains "$(run_image "$T/java" debug /busybox/sh -c 'echo debug-ok')" "debug-ok"
cfg=$(skopeo inspect --config "oci:$T/java:debug")
assert_eq "$(jq -c .config.Entrypoint <<<"$cfg")" '["/usr/bin/java","-jar"]' "java17:debug entrypoint"
assert_contains "$(jq -r '.config.Env[]' <<<"$cfg")" "JAVA_VERSION=${deb_version%%+*}"

log "arm64: index, config and ELF"
build base-debian12:debug --arch amd64,arm64 -o "$T/multi"
raw=$(skopeo inspect --raw "oci:$T/multi:debug")
assert_eq "$(jq -r '.manifests[] | select(.platform.architecture=="arm64") | .platform.variant' <<<"$raw")" "v8" "arm64 variant"
arm=$(jq -r '.manifests[] | select(.platform.architecture=="arm64") | .digest' <<<"$raw")
cfg_digest=$(jq -r .config.digest "$T/multi/blobs/sha256/${arm#sha256:}")
assert_eq "$(jq -r '.architecture + "/" + .variant' "$T/multi/blobs/sha256/${cfg_digest#sha256:}")" "arm64/v8" "arm64 config"
# Unpack the arm64 manifest by giving it a tag of its own.
mkdir -p "$T/arm" && cp -r "$T/multi/blobs" "$T/multi/oci-layout" "$T/arm/"
size=$(stat -c %s "$T/arm/blobs/sha256/${arm#sha256:}")
jq -n --arg d "$arm" --argjson s "$size" '{schemaVersion: 2, manifests: [{mediaType:
  "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
  annotations: {"org.opencontainers.image.ref.name": "arm"}}]}' >"$T/arm/index.json"
umoci unpack --image "$T/arm:arm" "$T/armroot" >/dev/null
machine() { od -An -tu2 -j18 -N2 "$1" | tr -d ' '; }  # ELF e_machine
assert_eq "$(machine "$T/armroot/rootfs/lib/aarch64-linux-gnu/libc.so.6")" "183" "libc.so.6 e_machine (AArch64)"
assert_eq "$(machine "$T/armroot/rootfs/busybox/busybox")" "183" "busybox e_machine (AArch64)"
if command -v qemu-aarch64-static >/dev/null; then
  assert_eq "$(qemu-aarch64-static "$T/armroot/rootfs/busybox/busybox" echo arm64-ok)" "arm64-ok" "busybox under qemu"
fi
echo "family_real_mirror: ok"
