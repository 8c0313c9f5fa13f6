#!/usr/bin/env bash
# Real-mirror check (label "mirror"): the Debian 13 base family built from
# the host's own mirror (its Debian apt lines renamed to trixie's suites),
# programs run under runc, and the architectures this mirror serves .debs
# for (amd64, arm64, armhf, riscv64) in one index, each arch's libc run
# under qemu-user. armhf and riscv64 come from the main suite alone
# (--suites trixie), as on a mirror whose updates/security indices lag for
# them. s390x has no .debs here: the build fails naming the file. Every
# build and lock names the host's own archives with --mirror/--security-mirror.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
. "$(dirname "$(readlink -f "$0")")/lib.sh"
need umoci runc jq gcc g++ skopeo qemu-aarch64-static qemu-arm-static qemu-riscv64-static
host_mirrors
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
compile_programs
IMG="$DISTILL_SRC/images"
build() {
  timeout 600 "$DISTILL" -q build "$@" "${MIRROR_FLAGS[@]}" >/dev/null || die "distill build $* failed (mirror reachable?)"
}

log "base (= base-debian13) locks from the host's sources, renamed to trixie"
"$DISTILL" lock base --arch amd64 "${MIRROR_FLAGS[@]}" -o "$T/base.lock" >/dev/null 2>&1 || die "lock base failed"
assert_eq "$(jq -r '[.releases[].suite] | unique | join(" ")' "$T/base.lock")" \
  "trixie trixie-security trixie-updates" "suites of base"
assert_eq "$(jq -r '.packages.amd64[] | select(.name == "libssl3t64") | .name' "$T/base.lock")" "libssl3t64" "libssl3t64 locked"

log "static-debian13: passwd, a legacy zone name, the CA bundle"
build "$(app "$IMG/static-debian13.yaml" "$T/static_facts")" --arch amd64 -o "$T/static"
out=$(run_image "$T/static" latest)
assert_contains "$out" "nonroot uid=65532"
assert_contains "$out" "kiev hour=15 zone=EEST"
n=$(sed -n 's/^certificates=//p' <<<"$out")
((n > 100)) || die "only $n certificates in the bundle"

log "base-debian13: libssl3t64 loads the bundle"
build "$(app "$IMG/base-debian13.yaml" "$T/ssl_bundle")" --arch amd64 -o "$T/base"
out=$(run_image "$T/base" latest)
assert_contains "$out" "openssl=OpenSSL 3.5"
assert_contains "$out" "trusted=$n"
rm -rf "$T/u" && umoci unpack --image "$T/base:latest" "$T/u" >/dev/null
grep -qx 'VERSION_ID="13"' "$T/u/rootfs/usr/lib/os-release" || die "os-release is not Debian 13's"
assert_eq "$(readlink "$T/u/rootfs/lib")" "usr/lib" "/lib link from base-files"

log "cc-debian13: C++"
build "$(app "$IMG/cc-debian13.yaml" "$T/cxx_runtime")" --arch amd64 -o "$T/cc"
assert_eq "$(run_image "$T/cc" latest)" "threads_total=2002000 etc_entries_positive=1" "cc output"

log "base-nossl-debian13:nonroot, static-debian13:debug"
build "$(app "$IMG/base-nossl-debian13.yaml" "$T/whoami"):nonroot" --arch amd64 -o "$T/nr"
assert_eq "$(run_image "$T/nr" nonroot)" "uid=65532 home=/home/nonroot cwd=/home/nonroot" "nonroot"
build static-debian13:debug --arch amd64 -o "$T/dbg"
assert_contains "$(run_image "$T/dbg" debug /busybox/sh -c 'echo debug-ok')" "debug-ok"

log "python3-debian13: the standard library, ctypes through ld.so.cache, :nonroot"
build python3-debian13 --arch amd64 --compression none -o "$T/py"
# One line: run_image passes each line of its arguments as one argument.
PY='import ssl, sqlite3, json, zoneinfo, ctypes, ctypes.util, os; print(ssl.OPENSSL_VERSION.split()[0], zoneinfo.ZoneInfo("Europe/Kyiv").key, ctypes.util.find_library("ssl"), os.getuid())'
assert_eq "$(run_image "$T/py" latest /usr/bin/python3 -c "$PY")" "OpenSSL Europe/Kyiv libssl.so.3 0" "python3-debian13"
build python3-debian13:nonroot --arch amd64 --compression none -o "$T/py"
assert_eq "$(run_image "$T/py" nonroot /usr/bin/python3 -c 'import os; print(os.getuid(), os.getcwd())')" \
  "65532 /home/nonroot" "python3-debian13:nonroot"

log "base-debian13 for amd64,arm64 (every suite) and armhf,riscv64 (--suites trixie)"
build base-debian13 --arch amd64,arm64 -o "$T/multi" -t full
build base-debian13 --arch armhf,riscv64 --suites trixie -o "$T/multi" -t main
"$DISTILL" lock base-debian13 --arch armhf --suites trixie "${MIRROR_FLAGS[@]}" -o "$T/main.lock" >/dev/null 2>&1 || die "lock --suites trixie failed"
assert_eq "$(jq -r '[.releases[].suite] | join(" ")' "$T/main.lock")" "trixie" "suites read with --suites trixie"
assert_eq "$(skopeo inspect --raw "oci:$T/multi:full" | jq -r '[.manifests[].platform | .architecture + (if .variant then "/" + .variant else "" end)] | join(" ")')" \
  "amd64 arm64/v8" "full index platforms"
assert_eq "$(skopeo inspect --raw "oci:$T/multi:main" | jq -r '[.manifests[].platform | .architecture + (if .variant then "/" + .variant else "" end)] | join(" ")')" \
  "arm/v7 riscv64" "main-suite index platforms"
declare -A Q=([arm64]="full arm64 v8 aarch64-linux-gnu qemu-aarch64-static"
  [armhf]="main arm v7 arm-linux-gnueabihf qemu-arm-static"
  [riscv64]="main riscv64 - riscv64-linux-gnu qemu-riscv64-static")
for arch in arm64 armhf riscv64; do
  read -r tag oarch variant triplet qemu <<<"${Q[$arch]}"
  [[ $variant == - ]] && variant=
  rm -rf "$T/one" "$T/u"
  skopeo --override-os linux --override-arch "$oarch" ${variant:+--override-variant "$variant"} \
    copy -q "oci:$T/multi:$tag" "oci:$T/one:x"
  umoci unpack --image "$T/one:x" "$T/u" >/dev/null
  out=$("$qemu" -L "$T/u/rootfs" "$T/u/rootfs/usr/lib/$triplet/libc.so.6")
  assert_contains "$out" "GNU C Library (Debian GLIBC 2.41" "$arch libc.so.6 under $qemu"
  log "$arch: ${out%%$'\n'*}"
done

log "s390x: this mirror serves no s390x .debs, and the error says which file"
expect_fail out timeout 600 "$DISTILL" -q build static-debian13 --arch s390x "${MIRROR_FLAGS[@]}" -o "$T/s390x"
assert_contains "$out" "base-files_"
assert_contains "$out" "_s390x.deb"
[[ ! -e $T/s390x ]] || die "a failed build left $T/s390x"
echo "debian13_real_mirror: ok"
