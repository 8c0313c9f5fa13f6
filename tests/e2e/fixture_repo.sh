#!/usr/bin/env bash
# The fixture repository from make-apt-repo.sh is a real signed apt
# repository: apt itself (in a throw-away root) accepts it over HTTP on
# 127.0.0.1, and rejects it once it is signed by a key it does not trust.
. "$(dirname "$0")/lib.sh"
need gpg gpgv dpkg-deb apt-get python3 xz

make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo" serve "$T/requests.log"

# A minimal apt root that trusts only the fixture key.
A="$T/aptroot"
mkdir -p "$A/etc/apt/sources.list.d" "$A/etc/apt/preferences.d" "$A/var/lib/apt/lists/partial" \
  "$A/var/cache/apt/archives/partial" "$A/var/lib/dpkg"
touch "$A/var/lib/dpkg/status"
echo "deb [signed-by=$T/fx/keyring.gpg] http://127.0.0.1:$HTTP_PORT stable main" >"$A/etc/apt/sources.list"
echo "deb [signed-by=$T/fx/keyring.gpg] http://127.0.0.1:$HTTP_PORT stable-updates main" >>"$A/etc/apt/sources.list"
apt_() {
  apt-get -o Dir="$A" -o Dir::State::status="$A/var/lib/dpkg/status" -o APT::Architecture=amd64 \
    -o Debug::NoLocking=1 -o Acquire::Retries=0 -o Acquire::http::Timeout=10 "$@"
}
out=$(apt_ update 2>&1) || die "apt-get update failed: $out"
assert_not_contains "$out" "NO_PUBKEY" "apt-get update"
grep -q "GET /dists/stable/InRelease" "$T/requests.log" || die "apt did not fetch InRelease: $(cat "$T/requests.log")"

sim=$(apt_ install --simulate hello 2>&1) || die "apt-get --simulate failed: $sim"
assert_contains "$sim" "Inst hello (1.1-1" "apt-get install --simulate hello"
assert_contains "$sim" "Inst libgreet1 (1.0-1" "apt-get install --simulate hello"

# Signed by the other key: apt refuses the suite.
bash "$FIXTURES/make-apt-repo.sh" --resign "$T/fx" stable other
rm -rf "$A/var/lib/apt/lists"/*_dists_stable_*
out=$(apt_ update 2>&1 || true)
assert_contains "$out" "NO_PUBKEY" "apt-get update with a foreign signature"

# lib.sh helpers: free_port finds an unused port, wait_for_port sees a listener.
p=$(free_port)
port_is_free "$p" || die "free_port returned a busy port $p"
port_is_free "$HTTP_PORT" && die "port_is_free says the test server's port is free"
echo "ok"
