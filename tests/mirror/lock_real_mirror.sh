#!/usr/bin/env bash
# Real-mirror check (label "mirror"): lock base-files netbase tzdata libc6
# libssl3 for amd64 and arm64 from the host's apt sources; every pinned
# SHA-256 must equal the hash of the file the mirror serves. Fails fast and
# clearly when the mirror cannot be reached.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
need jq curl
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
cat >"$T/def.yaml" <<'YAML'
name: lock-check
resolve: false
packages: [base-files, netbase, tzdata, libc6, libssl3]
YAML
if ! out=$(timeout 240 "$DISTILL" lock "$T/def.yaml" --arch amd64,arm64 -o "$T/lock" 2>&1); then
  die "distill lock against the host's mirror failed (is the mirror reachable?): $out"
fi
for arch in amd64 arm64; do
  names=$(jq -r --arg a "$arch" '.packages[$a] | map(.name) | join(" ")' "$T/lock")
  assert_eq "$names" "base-files libc6 libssl3 netbase tzdata" "$arch packages"
  while read -r url sha; do
    got=$(curl -fsS --max-time 120 "$url" | sha256sum | cut -d' ' -f1)
    assert_eq "$got" "$sha" "sha256 of $url"
  done < <(jq -r --arg a "$arch" '.packages[$a][] | "\(.repo_uri)/\(.filename) \(.sha256)"' "$T/lock")
done
echo "lock_real_mirror: ok"
