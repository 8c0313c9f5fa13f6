#!/usr/bin/env bash
# The Debian 13 base family (static, base-nossl, base, cc -debian13) built
# from a signed trixie repository of real trixie packages on 127.0.0.1, and
# checked against ../shared/spec/reference-images-debian13.md: package sets
# and their layer order (§1.3), os-release, passwd and group bytes (§2),
# tzdata-legacy, base-files' merged-/usr symlinks (§1.2), the index
# platforms of all six architectures (§8), and programs run under runc.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc g++ skopeo dpkg-deb dpkg-scanpackages gpg
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"
REPO=$D13_REPO

# defs/NAME.yaml: the shipped Debian 13 definition, pointed at the fixture.
mkdir -p "$T/defs"
for name in static base-nossl base cc; do
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$name-debian13.yaml" "$REPO" >"$T/defs/$name.yaml"
done
compile_programs

log "the bare names are the Debian 13 images; distill images says so"
imgs=$("$DISTILL" images --json)
for name in static base-nossl base cc; do
  assert_eq "$(jq -r --arg n "$name-debian13" '.[] | select(.name == $n) | "\(.release) \(.aliases | join(",")) \(.architectures | join(","))"' <<<"$imgs")" \
    "debian13 $name amd64,arm64,armhf,s390x,ppc64el,riscv64" "distill images: $name-debian13"
done
assert_eq "$(jq -r '.[] | select(.name == "java17-debian12") | .aliases | join(",")' <<<"$imgs")" "java17" "java17 alias"
assert_eq "$(jq -r '.[] | select(.name == "static-debian12") | .aliases | length' <<<"$imgs")" "0" "static-debian12 has no alias"

log "build the family (amd64)"
for name in static base-nossl base cc; do
  "$DISTILL" build "$T/defs/$name.yaml" --arch amd64 -o "$T/out/$name" -t latest >/dev/null
done

# layer_packages LAYOUT TAG: per layer, the packages its status.d records
# name ("-" for a layer without one), space separated, in layer order.
layer_packages() {
  local layout=$1 d out=""
  for d in $(skopeo inspect --raw "oci:$layout:$2" | jq -r '.layers[].digest'); do
    local names
    names=$(tar -tzf "$layout/blobs/sha256/${d#sha256:}" | sed -n 's|^\./||; s|^var/lib/dpkg/status\.d/\([^/.]\+\)$|\1|p' | sort | tr '\n' ',')
    out+="${names%,}"
    [[ -z $names ]] && out+="-"
    out+=" "
  done
  echo "${out% }"
}
STATIC="base-files netbase tzdata tzdata-legacy media-types"
# The seven generated layers (rootfs, passwd, home, group, tmp, nsswitch,
# os_release) carry no status.d record; the CA bundle's layer does.
GEN="- - - - - - -"
log "package layers in the reference's order, then the generated layers and the CA bundle (§1.3)"
assert_eq "$(layer_packages "$T/out/static" latest)" "$STATIC $GEN ca-certificates" "static-debian13 layers"
assert_eq "$(layer_packages "$T/out/base-nossl" latest)" "$STATIC libc6 $GEN ca-certificates" "base-nossl-debian13 layers"
assert_eq "$(layer_packages "$T/out/base" latest)" "$STATIC libc6 libssl3t64 libzstd1 zlib1g $GEN ca-certificates" "base-debian13 layers"
assert_eq "$(layer_packages "$T/out/cc" latest)" \
  "$STATIC libc6 libssl3t64 libzstd1 zlib1g libgomp1 libstdc++6 libgcc-s1 gcc-14-base $GEN ca-certificates" "cc-debian13 layers"
for n in static:13 base-nossl:14 base:17 cc:21; do
  assert_eq "$(skopeo inspect --raw "oci:$T/out/${n%%:*}:latest" | jq '.layers | length')" "${n#*:}" "${n%%:*}-debian13 layer count"
done

# layer_entries LAYOUT TAG N: layer N's (1-based) members, one
# "type+mode uid/gid mtime name" a line, in tar order.
layer_entries() {
  local d
  d=$(skopeo inspect --raw "oci:$1:$2" | jq -r ".layers[$(($3 - 1))].digest")
  tar --numeric-owner --utc --full-time -tvzf "$1/blobs/sha256/${d#sha256:}" | awk '{print $1, $2, $4 "T" $5, $6}'
}
log "the generated layers' members: names, modes, owners, mtimes (§2.1, §2.2, §4.4)"
E0="1970-01-01T00:00:00"
assert_eq "$(layer_entries "$T/out/static" latest 6)" "drwxr-xr-x 0/0 $E0 ./" "rootfs layer"
assert_eq "$(layer_entries "$T/out/static" latest 7)" \
  "drwxr-xr-x 0/0 $E0 ./etc/
-rw-r--r-- 0/0 $E0 ./etc/passwd" "passwd layer"
assert_eq "$(layer_entries "$T/out/static" latest 8)" \
  "drwxr-xr-x 0/0 $E0 ./home/
drwx------ 65532/65532 $E0 ./home/nonroot/
drwx------ 0/0 $E0 ./root/" "home layer"
assert_eq "$(layer_entries "$T/out/static" latest 9)" \
  "drwxr-xr-x 0/0 $E0 ./etc/
-rw-r--r-- 0/0 $E0 ./etc/group" "group layer"
assert_eq "$(layer_entries "$T/out/static" latest 10)" "drwxrwxrwt 0/0 $E0 ./tmp/" "tmp layer"
assert_eq "$(layer_entries "$T/out/static" latest 11)" "-rw-r--r-- 0/0 2017-12-31T12:12:42 etc/nsswitch.conf" "nsswitch layer"
assert_eq "$(layer_entries "$T/out/static" latest 12)" \
  "drwxr-xr-x 0/0 $E0 ./usr/
drwxr-xr-x 0/0 $E0 ./usr/lib/
-r-xr-xr-x 0/0 $E0 ./usr/lib/os-release" "os_release layer"
assert_contains "$(layer_entries "$T/out/static" latest 13)" "etc/ssl/certs/ca-certificates.crt"
assert_eq "$(skopeo inspect --config "oci:$T/out/static:latest" | jq -r '[.history[5:12][].created_by] | join("|")')" \
  "rootfs /|passwd /etc/passwd|home /home, /home/nonroot, /root|group /etc/group|tmp /tmp|nsswitch /etc/nsswitch.conf|os-release /usr/lib/os-release" \
  "history of the generated layers"

log "generated files (cc-debian13 rootfs)"
umoci unpack --image "$T/out/cc:latest" "$T/u" >/dev/null
R="$T/u/rootfs"
check() { # PATH MODE UID GID SHA256
  assert_eq "$(stat -c '%a %u %g' "$R$1")" "$2 $3 $4" "mode/owner of $1"
  assert_eq "$(sha256sum <"$R$1" | cut -d' ' -f1)" "$5" "bytes of $1"
}
check /usr/lib/os-release 555 0 0 b4d56a90bdd55b9d5b9b4acabfe748f559e505e340d2d93097937e11ee423cc1
check /etc/passwd 644 0 0 9003b1335e3ec8e426dbc715130569e08a708ee220c9c0d4ca6a0b730879607d
check /etc/group 644 0 0 190fcde0dc1f210f81c2977e4c9df5e97c5d712dd2300d573e36d24f57d77c67
grep -qx 'VERSION="Debian GNU/Linux 13 (trixie)"' "$R/usr/lib/os-release" || die "os-release VERSION line"
assert_eq "$(readlink "$R/etc/os-release")" "../usr/lib/os-release" "/etc/os-release link from base-files"
assert_eq "$(stat -c %a "$R/tmp")" "1777" "/tmp mode"
[[ -f $R/usr/share/zoneinfo/Europe/Kiev ]] || die "no Europe/Kiev: tzdata-legacy missing"
[[ -f $R/var/lib/dpkg/status.d/tzdata-legacy ]] || die "no status.d record for tzdata-legacy"
log "merged /usr: base-files' symlinks stay symlinks"
for l in bin:usr/bin sbin:usr/sbin lib:usr/lib lib64:usr/lib64; do
  [[ -L $R/${l%%:*} ]] || die "/${l%%:*} is not a symlink"
  assert_eq "$(readlink "$R/${l%%:*}")" "${l#*:}" "/${l%%:*} target"
done
[[ -e $R/lib64/ld-linux-x86-64.so.2 ]] || die "the loader is not reachable through /lib64"
[[ ! -e $R/usr/lib/x86_64-linux-gnu/ossl-modules/legacy.so ]] || die "openssl-provider-legacy must be absent"

log "static-debian13: a static program reads passwd, a legacy zone name and the CA bundle"
# What the bundle must hold: every certificate trixie's ca-certificates ships.
dpkg-deb -x "$(ls "$D13"/repo/pool/main/c/ca-certificates/*.deb | head -1)" "$T/ca"
certs=$(cat "$T"/ca/usr/share/ca-certificates/*/*.crt | grep -c -- '-----BEGIN CERTIFICATE-----')
"$DISTILL" build "$(app "$T/defs/static.yaml" "$T/static_facts")" --arch amd64 -o "$T/out/app-static" >/dev/null
out=$(run_image "$T/out/app-static" latest)
assert_contains "$out" "nonroot uid=65532"
assert_contains "$out" "new_york hour=8 zone=EDT"
assert_contains "$out" "kiev hour=15 zone=EEST"
assert_contains "$out" "certificates=$certs"
((certs > 100)) || die "only $certs certificates in trixie's ca-certificates"

log "base-debian13: a dynamic program loads the CA bundle through libssl3t64"
"$DISTILL" build "$(app "$T/defs/base.yaml" "$T/ssl_bundle")" --arch amd64 -o "$T/out/app-base" >/dev/null
out=$(run_image "$T/out/app-base" latest)
assert_contains "$out" "openssl=OpenSSL 3.5"
assert_contains "$out" "trusted=$certs"

log "cc-debian13: a C++ program with iostream, threads and std::filesystem"
"$DISTILL" build "$(app "$T/defs/cc.yaml" "$T/cxx_runtime")" --arch amd64 -o "$T/out/app-cc" >/dev/null
assert_eq "$(run_image "$T/out/app-cc" latest)" "threads_total=2002000 etc_entries_positive=1" "cc program output"

log ":nonroot runs as 65532, :debug runs /busybox/sh -c"
"$DISTILL" build "$(app "$T/defs/base-nossl.yaml" "$T/whoami"):nonroot" --arch amd64 -o "$T/out/app-nr" >/dev/null
assert_eq "$(run_image "$T/out/app-nr" nonroot)" "uid=65532 home=/home/nonroot cwd=/home/nonroot" "nonroot identity"
"$DISTILL" build "$T/defs/static.yaml:debug" --arch amd64 -o "$T/out/static" >/dev/null
assert_eq "$(layer_packages "$T/out/static" debug | wc -w)" "14" "static-debian13:debug layer count"
assert_eq "$(layer_packages "$T/out/static" debug)" "$STATIC $GEN ca-certificates -" "static-debian13:debug: busybox is layer 14"
out=$(run_image "$T/out/static" debug /busybox/sh -c 'echo shell-ok; [ -L /bin ] && echo bin-link')
assert_contains "$out" "shell-ok"
assert_contains "$out" "bin-link"

log "--arch all: the six published architectures in one index"
"$DISTILL" build "$T/defs/base.yaml" --arch all -o "$T/out/all" -t latest >/dev/null
assert_eq "$(skopeo inspect --raw "oci:$T/out/all:latest" | jq -r '[.manifests[].platform | .architecture + (if .variant then "/" + .variant else "" end)] | join(" ")')" \
  "amd64 arm64/v8 arm/v7 s390x ppc64le riscv64" "index platforms"

log "suites: and --suites read only those suites; an unknown one is a clear error"
"$DISTILL" lock "$T/defs/static.yaml" --arch riscv64 --suites trixie -o "$T/s.lock" >/dev/null 2>&1 ||
  die "lock --suites trixie failed"
assert_eq "$(jq -r '[.releases[].suite] | join(" ")' "$T/s.lock")" "trixie" "suites read with --suites trixie"
expect_fail out "$DISTILL" build "$T/defs/static.yaml" --arch amd64 --suites trixie,trixie-backports -o "$T/bad"
assert_contains "$out" "--suites: no repository has suite 'trixie-backports' (the repositories have: trixie, trixie-updates, trixie-security)"
printf 'from: %s\nsuites: [bookworm]\n' "$T/defs/static.yaml" >"$T/defs/bookworm-suite.yaml"
expect_fail out "$DISTILL" build "$T/defs/bookworm-suite.yaml" --arch amd64 -o "$T/bad"
assert_contains "$out" "suites: at $T/defs/bookworm-suite.yaml:2: no repository has suite 'bookworm'"
[[ ! -e $T/bad ]] || die "a failed build left $T/bad"

log "a stale trixie-updates index for armhf is an error naming the file; --suites trixie builds armhf"
# A copy of the repository (hard links; the changed files are new inodes)
# whose armhf trixie-updates indices no longer match the signed Release.
cp -al "$D13/repo" "$T/stale"
for f in "$T"/stale/dists/trixie-updates/main/binary-armhf/Packages*; do
  rm "$f" && echo "Package: stale" >"$f"
done
start_http "$T/stale"
STALE="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [trixie, trixie-updates, trixie-security], keyring: \"$D13/keyring.gpg\"}"
printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/static-debian13.yaml" "$STALE" >"$T/defs/stale.yaml"
# A fresh cache: the cache is by hash, so the good index fetched above would be used.
expect_fail out env XDG_CACHE_HOME="$T/cache-stale" "$DISTILL" build "$T/defs/stale.yaml" --arch armhf -o "$T/bad"
assert_contains "$out" "/dists/trixie-updates/main/binary-armhf/Packages"
assert_contains "$out" "hash mismatch"
XDG_CACHE_HOME="$T/cache-stale" "$DISTILL" build "$T/defs/stale.yaml" --arch armhf --suites trixie -o "$T/out/armhf" -t latest >/dev/null
assert_eq "$(skopeo inspect --config "oci:$T/out/armhf:latest" | jq -r '.architecture + "/" + .variant')" \
  "arm/v7" "armhf config from trixie main only"

log "a user's definition with release: debian13 gets Debian 13's os-release"
cat >"$T/defs/mine.yaml" <<YAML
release: debian13
packages: [base-files]
resolve: false
repositories: [$REPO]
os-release: {PRETTY_NAME: Mine, VERSION_ID: ~}
YAML
"$DISTILL" build "$T/defs/mine.yaml" --arch amd64 -o "$T/out/mine" -t latest >/dev/null
rm -rf "$T/um" && umoci unpack --image "$T/out/mine:latest" "$T/um" >/dev/null
assert_eq "$(cat "$T/um/rootfs/usr/lib/os-release")" \
  "$(printf '%s\n' 'PRETTY_NAME="Mine"' 'VERSION_ID="13"' 'VERSION="Debian GNU/Linux 13 (trixie)"')" "user os-release"
echo "debian13_family: ok"
