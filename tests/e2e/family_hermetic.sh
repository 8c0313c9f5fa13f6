#!/usr/bin/env bash
# The distroless family built from a local signed repository of real Debian
# packages (this machine's, repacked), then checked the way users meet it:
# unpacked with umoci and run with runc, plus a byte-for-byte table of the
# generated files against the reference facts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc g++
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"

# defs/NAME.yaml: the shipped definition, pointed at the fixture repository.
mkdir -p "$T/defs"
for name in static base-nossl base cc; do
  cat >"$T/defs/$name.yaml" <<YAML
from: $DISTILL_SRC/images/$name-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
done

compile_programs
# app_on NAME PROGRAM: a definition adding PROGRAM to the fixture-backed NAME.
app_on() { app "$T/defs/$1.yaml" "$2"; }

log "build the family"
for name in static base-nossl base cc; do
  "$DISTILL" build "$T/defs/$name.yaml" -o "$T/out/$name" -t latest >/dev/null
done
"$DISTILL" build "$T/defs/static.yaml:nonroot" -o "$T/out/static" >/dev/null
"$DISTILL" build "$T/defs/base.yaml:debug" -o "$T/out/base" >/dev/null

log "package lists equal the reference's"
pkgs() {
  rm -rf "$T/u" && umoci unpack --image "$T/out/$1:latest" "$T/u" >/dev/null
  ls "$T/u/rootfs/var/lib/dpkg/status.d" | grep -v '\.md5sums$' | sort | tr '\n' ' '
}
assert_eq "$(pkgs static)" "base-files ca-certificates media-types netbase tzdata " "static packages"
assert_eq "$(pkgs base-nossl)" "base-files ca-certificates libc6 media-types netbase tzdata " "base-nossl packages"
assert_eq "$(pkgs base)" "base-files ca-certificates libc6 libssl3 media-types netbase tzdata " "base packages"
assert_eq "$(pkgs cc)" "base-files ca-certificates gcc-12-base libc6 libgcc-s1 libgomp1 libssl3 libstdc++6 media-types netbase tzdata " "cc packages"

log "generated files equal the reference facts (cc image rootfs in $T/u)"
R="$T/u/rootfs"
check() {  # PATH MODE UID GID [SHA256]
  local got
  got=$(stat -c '%a %u %g' "$R$1")
  assert_eq "$got" "$2 $3 $4" "mode/owner of $1"
  if [[ -n ${5:-} ]]; then assert_eq "$(sha256sum <"$R$1" | cut -d' ' -f1)" "$5" "bytes of $1"; fi
}
passwd_sha=$(printf '%s\n' 'root:x:0:0:root:/root:/sbin/nologin' 'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' | sha256sum | cut -d' ' -f1)
group_sha=$(printf '%s\n' 'root:x:0:' 'nobody:x:65534:' 'tty:x:5:' 'staff:x:50:' 'nonroot:x:65532:' | sha256sum | cut -d' ' -f1)
osr_sha=$(printf '%s\n' 'PRETTY_NAME="Distroless"' 'NAME="Debian GNU/Linux"' 'ID="debian"' 'VERSION_ID="12"' 'VERSION="Debian GNU/Linux 12 (bookworm)"' 'HOME_URL="https://github.com/GoogleContainerTools/distroless"' 'SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"' 'BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"' | sha256sum | cut -d' ' -f1)
check /etc/passwd 644 0 0 "$passwd_sha"
check /etc/group 644 0 0 "$group_sha"
check /usr/lib/os-release 555 0 0 "$osr_sha"
check /etc/nsswitch.conf 644 0 0 "$(sha256sum <"$DISTILL_SRC/images/files/nsswitch.conf" | cut -d' ' -f1)"
check /tmp 1777 0 0
check /root 700 0 0
check /home 755 0 0
check /home/nonroot 700 65532 65532
check /etc/ssl/certs/ca-certificates.crt 555 0 0
assert_eq "$(readlink "$R/etc/os-release")" "../usr/lib/os-release" "/etc/os-release link from base-files"
[[ ! -e $R/etc/shadow && ! -e $R/bin/sh && ! -e $R/sbin/nologin && ! -e $R/etc/localtime ]] ||
  die "the image has a file the reference lacks (shadow, sh, nologin or localtime)"
[[ -f $R/usr/share/doc/libc6/copyright && -f $R/usr/share/zoneinfo/America/New_York && -f $R/etc/services ]] ||
  die "licenses, zoneinfo or /etc/services missing"
grep -q "^Package: libc6$" "$R/var/lib/dpkg/status.d/libc6" || die "status.d/libc6 is not the control file"
! grep -q "^Status:" "$R/var/lib/dpkg/status.d/libc6" || die "status.d must not carry a Status line"

log "config"
cfg=$(skopeo inspect --config "oci:$T/out/cc:latest")
assert_eq "$(jq -r '.config.User' <<<"$cfg")" "0" "User"
assert_eq "$(jq -r '.config.WorkingDir' <<<"$cfg")" "/" "WorkingDir"
assert_eq "$(jq -c '.config.Env' <<<"$cfg")" '["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"]' "Env"
# As the reference (rules_oci 2.x): the epoch, and one history entry per
# layer saying what it is, in layer order.
assert_eq "$(jq -r '.created' <<<"$cfg")" "1970-01-01T00:00:00Z" "created"
assert_eq "$(jq -r '[.history[].created] | unique | join(" ")' <<<"$cfg")" "1970-01-01T00:00:00Z" "history times"
assert_eq "$(jq -r '.history | length' <<<"$cfg")" "$(jq -r '.rootfs.diff_ids | length' <<<"$cfg")" "one history entry per layer"
assert_eq "$(jq -r '[.history[] | select(.empty_layer)] | length' <<<"$cfg")" "0" "no empty_layer entries"
libc6=$(sed -n 's/^Version: //p' "$R/var/lib/dpkg/status.d/libc6")
assert_eq "$(jq -r '.history[0].created_by' <<<"$cfg")" \
  "package base-files $(sed -n 's/^Version: //p' "$R/var/lib/dpkg/status.d/base-files")" "first layer"
jq -r '.history[].created_by' <<<"$cfg" | grep -Fxq "package libc6 $libc6" ||
  die "no history entry 'package libc6 $libc6': $(jq -c .history <<<"$cfg")"
assert_contains "$(jq -r '.history[].created_by' <<<"$cfg")" "CA bundle /etc/ssl/certs/ca-certificates.crt from ca-certificates "
assert_contains "$(jq -r '.history[-1].created_by' <<<"$cfg")" "generated files: /etc/group, /etc/nsswitch.conf, /etc/passwd"

log "root and nonroot share byte-identical layers"
assert_eq "$(skopeo inspect "oci:$T/out/static:nonroot" | jq -c .Layers)" "$(skopeo inspect "oci:$T/out/static:latest" | jq -c .Layers)" "layers of static:nonroot"
assert_eq "$(skopeo inspect --config "oci:$T/out/static:nonroot" | jq -r '.config.User + " " + .config.WorkingDir')" "65532 /home/nonroot" "nonroot config"

log "static: a static program reads passwd, zoneinfo and the CA bundle"
"$DISTILL" build "$(app_on static "$T/static_facts")" -o "$T/out/app-static" >/dev/null
out=$(run_image "$T/out/app-static" latest)
assert_contains "$out" "nonroot uid=65532"
assert_contains "$out" "new_york hour=8 zone=EDT"
n=$(sed -n 's/^certificates=//p' <<<"$out")
want=$(host_cert_count)
assert_eq "$n" "$want" "certificates in the bundle"

log "base: a dynamic program loads the CA bundle through libssl"
"$DISTILL" build "$(app_on base "$T/ssl_bundle")" -o "$T/out/app-base" >/dev/null
out=$(run_image "$T/out/app-base" latest)
assert_contains "$out" "openssl=OpenSSL 3"
assert_contains "$out" "trusted=$want"

log "cc: a C++ program with iostream, threads and std::filesystem"
"$DISTILL" build "$(app_on cc "$T/cxx_runtime")" -o "$T/out/app-cc" >/dev/null
out=$(run_image "$T/out/app-cc" latest)
assert_eq "$out" "threads_total=2002000 etc_entries_positive=1" "cc program output"

log "nonroot: runs as 65532 with HOME /home/nonroot"
"$DISTILL" build "$(app_on base-nossl "$T/whoami"):nonroot" -o "$T/out/app-nr" >/dev/null
out=$(run_image "$T/out/app-nr" nonroot)
assert_eq "$out" "uid=65532 home=/home/nonroot cwd=/home/nonroot" "nonroot identity"

log "debug: /busybox/sh -c works and busybox is not on /bin"
out=$(run_image "$T/out/base" debug /busybox/sh -c 'echo shell-ok; ls /busybox | wc -l; [ -e /bin/sh ] || echo no-bin-sh')
assert_contains "$out" "shell-ok"
assert_contains "$out" "no-bin-sh"
applets=$(sed -n 2p <<<"$out")
(( applets > 200 )) || die "expected over 200 busybox applets, got $applets"
assert_eq "$(skopeo inspect --config "oci:$T/out/base:debug" | jq -c '.config.Entrypoint')" '["/busybox/sh"]' "debug entrypoint"
echo "family_hermetic: ok"
