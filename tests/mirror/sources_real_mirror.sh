#!/usr/bin/env bash
# Real-mirror check (label "mirror"): `--mirror` set to the host's own main
# archive URI (read here from /etc/apt/sources.list.d/*.sources, never written
# down) replaces only the main archive, so `distill lock static` still works:
# the security suites keep the host's security source. `static` is
# static-debian13, so this also checks that the host's Debian lines are
# renamed to trixie's suites (whatever release the host runs).
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
need jq awk
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
# The URI of the first deb822 stanza whose suites are not *-security.
main=$(awk 'BEGIN { RS = ""; FS = "\n" }
  { uri = ""; sec = 0
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^URIs:/) { uri = $i; sub(/^URIs:[ \t]*/, "", uri); sub(/[ \t].*/, "", uri) }
      if ($i ~ /^Suites:.*-security/) sec = 1
    }
    if (uri != "" && !sec) { print uri; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[[ -n $main ]] || skip "no deb822 main-archive source in /etc/apt/sources.list.d"
if ! out=$(timeout 240 "$DISTILL" lock static --arch amd64 --mirror "$main" -o "$T/lock" 2>&1); then
  die "distill lock static --mirror <host main archive> failed: $out"
fi
suites=$(jq -r '[.releases[].suite] | unique | join(" ")' "$T/lock")
assert_eq "$suites" "trixie trixie-security trixie-updates" "suites locked with --mirror"
for r in $(jq -r '.releases[] | select(.suite | endswith("-security") | not) | .repo_uri' "$T/lock"); do
  assert_eq "$r" "${main%/}" "main-archive release URI"
done
echo "sources_real_mirror: ok"
