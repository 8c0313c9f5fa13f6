#!/usr/bin/env bash
# --mirror replaces only the main archive, --security-mirror only the security
# archive (each served by its own server on 127.0.0.1), and --snapshot reads
# both from a snapshot service's <base>/archive/debian{,-security}/<ts>/ at the
# timestamp asked for, recorded in the lockfile and used by build --lock.
. "$(dirname "$0")/lib.sh"
need gpg gpgv dpkg-deb jq python3
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"

# main: hello and libgreet1 1.0-1 in bookworm; security: a fixed libgreet1.
make_repo "$T/main" "bookworm/hello=1.0-1/amd64/libgreet1 (>= 1.0)" "bookworm/libgreet1=1.0-1/amd64"
make_repo "$T/sec" "bookworm-security/libgreet1=1.0-1+deb12u1/amd64"
start_http "$T/main/repo" serve "$T/main.log"
MAIN="http://127.0.0.1:$HTTP_PORT"
start_http "$T/sec/repo" serve "$T/sec.log"
SEC="http://127.0.0.1:$HTTP_PORT"

# The definition names where the archives "usually" are (nothing listens on
# port 9); the flags must move each suite to the right server.
def() {
  cat >"$1" <<YAML
name: sources-test
packages: [hello]
repositories:
  - {uri: "http://127.0.0.1:9/debian", suites: [bookworm], keyring: "$2"}
  - {uri: "${4:-http://127.0.0.1:9/debian-security}", suites: [bookworm-security], keyring: "$3"}
YAML
}
def "$T/t.yaml" "$T/main/keyring.gpg" "$T/sec/keyring.gpg"

log "--mirror + --security-mirror: each archive from its own server"
"$DISTILL" lock "$T/t.yaml" -o "$T/a.lock" --arch amd64 --mirror "$MAIN/" --security-mirror "$SEC"
pkg() { jq -r --arg n "$2" '.packages.amd64[] | select(.name == $n) | "\(.version) \(.suite) \(.repo_uri)"' "$1"; }
assert_eq "$(pkg "$T/a.lock" hello)" "1.0-1 bookworm $MAIN" "hello"
assert_eq "$(pkg "$T/a.lock" libgreet1)" "1.0-1+deb12u1 bookworm-security $SEC" "libgreet1"
assert_eq "$(jq -r '[.releases[] | "\(.suite) \(.repo_uri)"] | sort | join(",")' "$T/a.lock")" \
  "bookworm $MAIN,bookworm-security $SEC" "releases"
grep -q "GET /dists/bookworm/InRelease" "$T/main.log" || die "main server not asked: $(cat "$T/main.log")"
grep -q "bookworm-security" "$T/main.log" && die "security suite asked of the main mirror: $(cat "$T/main.log")"
grep -q "GET /dists/bookworm-security/InRelease" "$T/sec.log" || die "security server not asked"
grep -q "GET /dists/bookworm/" "$T/sec.log" && die "main suite asked of the security mirror"
[[ $(jq 'has("snapshot")' "$T/a.lock") == false ]] || die "a live lock records a snapshot"

log "--mirror alone keeps the configured security archive"
def "$T/t2.yaml" "$T/main/keyring.gpg" "$T/sec/keyring.gpg" "$SEC"
"$DISTILL" lock "$T/t2.yaml" -o "$T/b.lock" --arch amd64 --mirror "$MAIN"
assert_eq "$(pkg "$T/b.lock" libgreet1)" "1.0-1+deb12u1 bookworm-security $SEC" "libgreet1 (--mirror only)"

log "a missing suite names the suite, the URI and what set it"
expect_fail out "$DISTILL" lock "$T/t.yaml" -o "$T/c.lock" --arch amd64 --mirror "$MAIN" --security-mirror "$MAIN"
assert_contains "$out" "suite bookworm-security not found at $MAIN/ (set by --security-mirror)"
expect_fail out "$DISTILL" lock "$T/t2.yaml" -o "$T/c.lock" --arch amd64 --mirror "$SEC"
assert_contains "$out" "suite bookworm not found at $SEC/ (set by --mirror)"
[[ ! -e $T/c.lock ]] || die "a failed lock wrote a lockfile"

log "the definition's mirror: and security-mirror: keys work the same way"
{ cat "$T/t.yaml"; echo "mirror: \"$MAIN\""; echo "security-mirror: \"$SEC/nosuch\""; } >"$T/k.yaml"
expect_fail out "$DISTILL" lock "$T/k.yaml" -o "$T/c.lock" --arch amd64
assert_contains "$out" "suite bookworm-security not found at $SEC/nosuch/ (set by security-mirror: in $T/k.yaml)"
"$DISTILL" lock "$T/k.yaml" -o "$T/k.lock" --arch amd64 --security-mirror "$SEC"
assert_eq "$(pkg "$T/k.lock" libgreet1)" "1.0-1+deb12u1 bookworm-security $SEC" "libgreet1 (keys)"

log "--snapshot picks the archives as they were at the timestamp"
T1=20260101T000000Z T2=20260818T205150Z
make_repo "$T/m2" "bookworm/hello=2.0-1/amd64/libgreet1 (>= 1.0)" "bookworm/libgreet1=1.0-1/amd64"
make_repo "$T/s2" "bookworm-security/libgreet1=1.0-1+deb12u2/amd64"
S="$T/snap"
mkdir -p "$S/archive/debian" "$S/archive/debian-security"
cp -r "$T/main/repo" "$S/archive/debian/$T1"
cp -r "$T/m2/repo" "$S/archive/debian/$T2"
cp -r "$T/sec/repo" "$S/archive/debian-security/$T1"
cp -r "$T/s2/repo" "$S/archive/debian-security/$T2"
# One keyring list per archive that trusts both timestamps' keys.
def "$T/s.yaml" "$T/main/keyring.gpg,$T/m2/keyring.gpg" "$T/sec/keyring.gpg,$T/s2/keyring.gpg"
start_http "$S" serve "$T/snap.log"
SNAP="http://127.0.0.1:$HTTP_PORT"

expect_fail out "$DISTILL" lock "$T/s.yaml" -o "$T/s1.lock" --arch amd64 --snapshot "$T1"
assert_contains "$out" "DISTILL_SNAPSHOT_URI"
expect_fail out "$DISTILL" lock "$T/s.yaml" -o "$T/s1.lock" --snapshot 2026-01-01 --snapshot-uri "$SNAP"
assert_contains "$out" "YYYYMMDDTHHMMSSZ"

"$DISTILL" lock "$T/s.yaml" -o "$T/s1.lock" --arch amd64 --snapshot "$T1" --snapshot-uri "$SNAP"
DISTILL_SNAPSHOT_URI="$SNAP/" "$DISTILL" lock "$T/s.yaml" -o "$T/s2.lock" --arch amd64 --snapshot "$T2"
assert_eq "$(pkg "$T/s1.lock" hello)" "1.0-1 bookworm $SNAP/archive/debian/$T1" "hello at $T1"
assert_eq "$(pkg "$T/s1.lock" libgreet1)" \
  "1.0-1+deb12u1 bookworm-security $SNAP/archive/debian-security/$T1" "libgreet1 at $T1"
assert_eq "$(pkg "$T/s2.lock" hello)" "2.0-1 bookworm $SNAP/archive/debian/$T2" "hello at $T2"
assert_eq "$(pkg "$T/s2.lock" libgreet1)" \
  "1.0-1+deb12u2 bookworm-security $SNAP/archive/debian-security/$T2" "libgreet1 at $T2"
assert_eq "$(jq -r .snapshot "$T/s1.lock")" "$T1" "snapshot recorded in the lock"
assert_eq "$(jq -r .snapshot "$T/s2.lock")" "$T2" "snapshot recorded in the lock"

log "the snapshot in the definition, and build --lock from the snapshot lock"
{ cat "$T/s.yaml"; echo "snapshot: $T2"; } >"$T/s2.yaml"
DISTILL_SNAPSHOT_URI="$SNAP" "$DISTILL" lock "$T/s2.yaml" -o "$T/d2.lock" --arch amd64
assert_eq "$(pkg "$T/d2.lock" hello)" "2.0-1 bookworm $SNAP/archive/debian/$T2" "hello (snapshot: key)"
: >"$T/snap.log"
"$DISTILL" -q build "$T/s.yaml" --lock "$T/s1.lock" --arch amd64 -o "$T/out1" >/dev/null
grep -q "GET /archive/debian/$T1/pool/main/h/hello/hello_1.0-1_amd64.deb" "$T/snap.log" ||
  die "build --lock did not fetch hello from the $T1 snapshot: $(cat "$T/snap.log")"
grep -q "GET /archive/debian/$T2/" "$T/snap.log" && die "build --lock read the $T2 snapshot"
expect_fail out "$DISTILL" build "$T/s.yaml" --lock "$T/s1.lock" --snapshot "$T2" --snapshot-uri "$SNAP" -o "$T/out2"
assert_contains "$out" "locked at snapshot $T1, not at snapshot $T2"
echo "sources_mirrors: ok"
