#!/usr/bin/env bash
# A warm build resolves against its cached InRelease files while their
# conditional GETs are in flight (issue 17), and hands nothing on until the
# mirror confirms them: when a Release changed meanwhile, the build runs
# again against the new one (and finds a package only the new index has);
# when the mirror is gone, the build fails naming it after one round of
# retries, as it always did, instead of quietly using the cache.
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg xz
make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo"
HTTP_PID=$LAST_PID
C="$T/cache"

def() {
  cat >"$T/$1.yaml" <<YAML
name: speculation-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [stable, stable-updates], keyring: "$T/fx/keyring.gpg"}
architectures: [amd64]
packages: [$2]
YAML
}
def hello hello
def both "hello, brand-new"
build() { "$DISTILL" -v build "$T/$1.yaml" -o "$T/out/$2" --cache-dir "$C" --json 2>"$T/$2.log"; }

log "cold build: nothing cached, nothing to speculate on"
d1=$(build hello one | jq -r .digest)
assert_not_contains "$(cat "$T/one.log")" "going ahead with the cached copy" "cold build log"

log "warm build: goes ahead with the cached Releases, which the mirror confirms"
assert_eq "$(build hello two | jq -r .digest)" "$d1" "warm digest"
assert_contains "$(cat "$T/two.log")" "stable/InRelease: going ahead with the cached copy" "warm log"
assert_not_contains "$(cat "$T/two.log")" "building again" "warm log"

log "a new package lands in stable-updates"
R="$T/newdeb"
mkdir -p "$R/DEBIAN" "$R/usr/share/doc/brand-new"
printf 'Package: brand-new\nVersion: 1.0-1\nArchitecture: amd64\nMaintainer: distill tests <tests@distill.invalid>\nDescription: a package only the new index has\n' >"$R/DEBIAN/control"
echo "brand new" >"$R/usr/share/doc/brand-new/README"
pool=pool/main/b/brand-new
mkdir -p "$T/fx/repo/$pool"
dpkg-deb --root-owner-group -Zxz --build "$R" "$T/fx/repo/$pool/brand-new_1.0-1_amd64.deb" >/dev/null
bin="$T/fx/repo/dists/stable-updates/main/binary-amd64"
[[ -f $bin/Packages ]] || xz -dkf "$bin/Packages.xz"
{
  echo
  dpkg-deb --field "$T/fx/repo/$pool/brand-new_1.0-1_amd64.deb"
  echo "Filename: $pool/brand-new_1.0-1_amd64.deb"
  echo "Size: $(stat -c %s "$T/fx/repo/$pool/brand-new_1.0-1_amd64.deb")"
  echo "SHA256: $(sha256sum "$T/fx/repo/$pool/brand-new_1.0-1_amd64.deb" | cut -d' ' -f1)"
} >>"$bin/Packages"
xz -kf "$bin/Packages"
[[ ! -f $bin/Packages.gz ]] || gzip -kf "$bin/Packages"
bash "$FIXTURES/make-apt-repo.sh" --resign "$T/fx" stable-updates >&2

log "the speculative attempt cannot find it in the old index; the build runs again"
out=$(build both three) || die "the build after the change failed: $(cat "$T/three.log")"
l=$(cat "$T/three.log")
assert_contains "$l" "stable-updates/InRelease: changed on the mirror (HTTP 200)" "log after the change"
assert_contains "$l" "building again, with the Release files the mirror serves now" "log after the change"
"$DISTILL" -q extract "$T/out/three" /usr/share/doc/brand-new/README -o "$T/files"
assert_eq "$(cat "$T/files/usr/share/doc/brand-new/README")" "brand new" "the package only the new index has"

log "warm again: the new Releases are the cached ones now and are confirmed"
assert_eq "$(build both four | jq -r .digest)" "$(jq -r .digest <<<"$out")" "digest against the new cache"
assert_not_contains "$(cat "$T/four.log")" "building again" "log once the cache caught up"

log "the mirror is gone: the build fails naming it and leaves no output"
kill "$HTTP_PID" 2>/dev/null || true
wait "$HTTP_PID" 2>/dev/null || true
expect_fail _ build both five
l=$(cat "$T/five.log")
assert_not_contains "$l" "building again" "log without the mirror"
assert_contains "$(tail -1 <<<"$l")" "error: http://127.0.0.1:$HTTP_PORT/dists/stable" "error without the mirror"
assert_eq "$(grep -c "retrying http://127.0.0.1:$HTTP_PORT/dists/stable/InRelease in" <<<"$l")" 3 \
  "retries of stable's InRelease (one round, as without speculation)"
[[ ! -e $T/out/five ]] || die "a failed build left $T/out/five behind"

log "without speculation (lock) the dead mirror costs the same one round of retries"
expect_fail _ sh -c '"$1" -v lock "$2" -o "$3" --cache-dir "$4" 2>"$5"' sh "$DISTILL" "$T/both.yaml" \
  "$T/six.lock" "$C" "$T/six.log"
l=$(cat "$T/six.log")
assert_contains "$(tail -1 <<<"$l")" "error: http://127.0.0.1:$HTTP_PORT/dists/stable" "lock without the mirror"
assert_eq "$(grep -c "retrying http://127.0.0.1:$HTTP_PORT/dists/stable/InRelease in" <<<"$l")" 3 \
  "lock's retries of stable's InRelease"
echo PASS
