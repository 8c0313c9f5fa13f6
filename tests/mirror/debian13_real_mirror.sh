#!/usr/bin/env bash
# Real-mirror check (label "mirror"): the bare names build Debian 13 from the
# host's own apt sources, whatever release the host runs (its Debian lines
# are renamed to trixie's suites). base runs a libssl program under runc;
# static for armhf and riscv64 comes from trixie main only (--suites trixie),
# as this machine's mirror serves those arches' updates indices stale.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
need umoci runc jq gcc skopeo
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
compile_programs
build() { timeout 600 "$DISTILL" -q build "$@" >/dev/null || die "distill build $* failed (mirror reachable?)"; }

log "base (= base-debian13) from the host's sources, renamed to trixie"
"$DISTILL" lock base --arch amd64 -o "$T/base.lock" >/dev/null 2>&1 || die "lock base failed"
assert_eq "$(jq -r '[.releases[].suite] | unique | join(" ")' "$T/base.lock")" \
  "trixie trixie-security trixie-updates" "suites of base"
assert_eq "$(jq -r '.packages.amd64[] | select(.name == "libssl3t64") | .name' "$T/base.lock")" "libssl3t64" "libssl3t64 locked"
build "$(app "$DISTILL_SRC/images/base-debian13.yaml" "$T/ssl_bundle")" --arch amd64 -o "$T/base"
out=$(run_image "$T/base" latest)
assert_contains "$out" "openssl=OpenSSL 3.5"
rm -rf "$T/u" && umoci unpack --image "$T/base:latest" "$T/u" >/dev/null
grep -qx 'VERSION_ID="13"' "$T/u/rootfs/usr/lib/os-release" || die "os-release is not Debian 13's"
assert_eq "$(readlink "$T/u/rootfs/lib")" "usr/lib" "/lib link from base-files"

log "static for armhf and riscv64 from trixie main only"
build static --arch armhf,riscv64 --suites trixie -o "$T/static" -t latest
assert_eq "$(skopeo inspect --raw "oci:$T/static:latest" | jq -r '[.manifests[].platform | .architecture + (if .variant then "/" + .variant else "" end)] | join(" ")')" \
  "arm/v7 riscv64" "index platforms"
echo "debian13_real_mirror: ok"
