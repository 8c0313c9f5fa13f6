#!/usr/bin/env bash
# A fleet of builders shares one caching proxy: Debian's apt-cacher-ng on
# 127.0.0.1 in front of the signed fixture repository. distill builds through
# it via http_proxy; a second builder with an empty cache then builds the same
# image and gets every .deb from the proxy's cache, none from the origin.
. "$(dirname "$0")/lib.sh"
need jq
[[ -x /usr/sbin/apt-cacher-ng ]] || skip "apt-cacher-ng not installed"
make_tmpdir T
FAM="${DISTILL_BUILD:-$T}/test-fixtures/family"
bash "$FIXTURES/make-family-repo.sh" "$FAM"
# Both ports below 32768: apt-cacher-ng keeps ports in a signed 16-bit int.
START_HTTP_ARGS=(--low-port)
start_http "$FAM/repo" serve "$T/origin.log"
ORIGIN_PID=$LAST_PID


ACNG_PORT=
for _ in $(seq 50); do
  p=$((10000 + RANDOM % 20000))
  if port_is_free "$p"; then ACNG_PORT=$p; break; fi
done
[[ -n $ACNG_PORT ]] || die "no free port below 32768"
mkdir -p "$T/acng/conf" "$T/acng/cache" "$T/acng/log"
cat >"$T/acng/conf/acng.conf" <<CONF
CacheDir: $T/acng/cache
LogDir: $T/acng/log
SupportDir: /usr/lib/apt-cacher-ng
Port: $ACNG_PORT
BindAddress: 127.0.0.1
SocketPath: $T/acng/socket
ForeGround: 1
ExThreshold: 4
# The origin listens on a random port; acng allows only port 80 unless told.
AllowUserPorts: 0
CONF
start_bg acng /usr/sbin/apt-cacher-ng -c "$T/acng/conf"
wait_for_port "$ACNG_PORT"

cat >"$T/base.yaml" <<YAML
from: $DISTILL_SRC/images/base-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML

log "builder 1: cold cache, through the proxy"
export http_proxy="http://127.0.0.1:$ACNG_PORT" no_proxy=""
d1=$(XDG_CACHE_HOME="$T/cache1" "$DISTILL" -q build "$T/base.yaml" -o "$T/out1")
# apt-cacher-ng logs one line per file it delivered (flushed asynchronously).
acng_lines() { grep -c "$1" "$T/acng/log/apt-cacher.log" 2>/dev/null || true; }
for _ in $(seq 100); do (( $(acng_lines libc6_) >= 1 )) && break; sleep 0.05; done
acng_log=$(cat "$T/acng/log/apt-cacher.log" 2>/dev/null || true)
assert_contains "$acng_log" "libc6_" "apt-cacher-ng transfer log"
assert_contains "$acng_log" "InRelease" "apt-cacher-ng transfer log"
debs=$(find "$T/acng/cache" -name '*.deb' | wc -l)
(( debs >= 7 )) || die "apt-cacher-ng cached $debs .debs, expected the 7 of base"
grep -q "GET /dists/bookworm/InRelease" "$T/origin.log" || die "origin never asked for InRelease"

log "builder 2: empty cache, .debs come from the proxy, not the origin"
origin_debs() { grep -c '\.deb' "$T/origin.log" || true; }
before=$(origin_debs)
(( before >= 7 )) || die "origin served $before .debs to builder 1, expected 7"
d2=$(XDG_CACHE_HOME="$T/cache2" "$DISTILL" -q build "$T/base.yaml" -o "$T/out2")
assert_eq "$d2" "$d1" "digest of the second builder"
assert_eq "$(origin_debs)" "$before" ".debs the origin served after builder 2"
for _ in $(seq 100); do (( $(acng_lines libc6_) >= 2 )) && break; sleep 0.05; done
served=$(acng_lines libc6_)
(( served >= 2 )) || die "apt-cacher-ng delivered libc6 $served times, expected 2 (one per builder)"

log "without the proxy, a stopped origin is named in the error"
kill "$ORIGIN_PID"
wait "$ORIGIN_PID" 2>/dev/null || true
unset http_proxy
expect_fail out env XDG_CACHE_HOME="$T/cache3" "$DISTILL" build "$T/base.yaml" -o "$T/out3"
assert_contains "$out" "127.0.0.1:$HTTP_PORT"
[[ ! -e $T/out3 ]] || die "a failed build left an output"
echo "apt_cacher_proxy: ok"
