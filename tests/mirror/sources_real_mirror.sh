#!/usr/bin/env bash
# Real-mirror check (label "mirror"): `--mirror` set to the host's own main
# archive URI (read here from the host's apt sources by lib.sh's
# host_mirrors, never written down) replaces only the main archive, so
# `distill lock static` still works: the security suites keep the host's
# security source. `static` is static-debian13, so this also checks that the
# host's Debian lines are renamed to trixie's suites (whatever release the
# host runs).
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/lib.sh"
need jq awk
host_mirrors
main=$HOST_MIRROR
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
if ! out=$(timeout 240 "$DISTILL" lock static --arch amd64 --mirror "$main" -o "$T/lock" 2>&1); then
  die "distill lock static --mirror <host main archive> failed: $out"
fi
suites=$(jq -r '[.releases[].suite] | unique | join(" ")' "$T/lock")
assert_eq "$suites" "trixie trixie-security trixie-updates" "suites locked with --mirror"
for r in $(jq -r '.releases[] | select(.suite | endswith("-security") | not) | .repo_uri' "$T/lock"); do
  assert_eq "$r" "${main%/}" "main-archive release URI"
done
if [[ -n $HOST_SECURITY_MIRROR ]]; then
  assert_eq "$(jq -r '.releases[] | select(.suite | endswith("-security")) | .repo_uri' "$T/lock")" \
    "$HOST_SECURITY_MIRROR" "security release URI (the host's, untouched by --mirror)"
fi
echo "sources_real_mirror: ok"
