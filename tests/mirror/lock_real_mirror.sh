#!/usr/bin/env bash
# Real-mirror check (label "mirror"): lock base-files netbase tzdata libc6
# libssl3 for amd64 and arm64 from the host's apt sources; every pinned
# SHA-256 must equal the hash of the file the mirror serves, and every
# package comes from the host's archives named with --mirror/--security-mirror.
# Fails fast and clearly when the mirror cannot be reached.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/lib.sh"
need jq curl
host_mirrors
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
cat >"$T/def.yaml" <<'YAML'
name: lock-check
resolve: false
packages: [base-files, netbase, tzdata, libc6, libssl3]
YAML
if ! out=$(timeout 240 "$DISTILL" lock "$T/def.yaml" --arch amd64,arm64 "${MIRROR_FLAGS[@]}" -o "$T/lock" 2>&1); then
  die "distill lock against the host's mirror failed (is the mirror reachable?): $out"
fi
# Each suite's release comes from the archive its flag named.
while read -r suite uri; do
  if [[ $suite == *-security ]]; then want=$HOST_SECURITY_MIRROR; else want=$HOST_MIRROR; fi
  assert_eq "$uri" "$want" "$suite release URI"
done < <(jq -r '.releases[] | "\(.suite) \(.repo_uri)"' "$T/lock")
for arch in amd64 arm64; do
  names=$(jq -r --arg a "$arch" '.packages[$a] | map(.name) | join(" ")' "$T/lock")
  assert_eq "$names" "base-files libc6 libssl3 netbase tzdata" "$arch packages"
  while read -r url sha; do
    got=$(curl -fsS --max-time 120 "$url" | sha256sum | cut -d' ' -f1)
    assert_eq "$got" "$sha" "sha256 of $url"
  done < <(jq -r --arg a "$arch" '.packages[$a][] | "\(.repo_uri)/\(.filename) \(.sha256)"' "$T/lock")
done
echo "lock_real_mirror: ok"
