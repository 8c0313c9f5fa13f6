#!/usr/bin/env bash
# distill lock pins the family's packages; build --lock --offline on a warm
# cache works with no network at all (a fresh network namespace), gives the
# same digest as a resolving build, and fails clearly on a cold cache.
. "$(dirname "$0")/lib.sh"
need unshare jq
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"
cat >"$T/base.yaml" <<YAML
from: $DISTILL_SRC/images/base-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML

"$DISTILL" lock "$T/base.yaml" -o "$T/base.lock"
assert_eq "$(jq -r '.packages.amd64 | map(.name) | join(" ")' "$T/base.lock")" \
  "base-files ca-certificates libc6 libssl3 media-types netbase tzdata" "locked packages"
# Every pinned hash is the hash of the file the repository serves.
while read -r file sha; do
  got=$(sha256sum "$FAM/repo/$file" | cut -d' ' -f1)
  assert_eq "$got" "$sha" "sha256 of $file"
done < <(jq -r '.packages.amd64[] | "\(.filename) \(.sha256)"' "$T/base.lock")
[[ $(jq -r '.releases[0].inrelease_sha256' "$T/base.lock") == \
   $(sha256sum "$FAM/repo/dists/bookworm/InRelease" | cut -d' ' -f1) ]] || die "InRelease hash not pinned"

resolved=$("$DISTILL" -q build "$T/base.yaml" -o "$T/out/resolved")
locked=$(unshare -n "$DISTILL" -q build "$T/base.yaml" --lock "$T/base.lock" --offline -o "$T/out/locked")
assert_eq "$locked" "$resolved" "digest of the locked offline build"

log "cold cache + offline fails naming what is missing"
export XDG_CACHE_HOME="$T/cold"
expect_fail out unshare -n "$DISTILL" build "$T/base.yaml" --lock "$T/base.lock" --offline -o "$T/out/cold"
assert_contains "$out" "offline"
[[ ! -e $T/out/cold ]] || die "a failed build left an output"

log "lock --update reports a new version"
export XDG_CACHE_HOME="$T/cache"
jq '.packages.amd64 |= map(if .name == "libssl3" then .version = "3.0.0-1" else . end)' \
  "$T/base.lock" >"$T/old.lock"
out=$("$DISTILL" lock "$T/base.yaml" -o "$T/old.lock" --update)
assert_contains "$out" "libssl3 3.0.0-1 -> "
echo "lock_offline: ok"
