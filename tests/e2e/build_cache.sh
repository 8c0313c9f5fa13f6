#!/usr/bin/env bash
# The caches (issue 17): a second build with the same cache directory takes
# every package layer from the layer cache and the index from its compact
# form, so it opens no .deb and decodes no index, and gives the same
# digest; `cache stats` counts the entries, `cache prune --max-size`
# removes them, and the build after that opens the .debs again and still
# gives the same digest.
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg
make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo"
C="$T/cache"

cat >"$T/def.yaml" <<YAML
name: cache-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [stable, stable-updates], keyring: "$T/fx/keyring.gpg"}
architectures: [amd64]
packages: [hello]
YAML

build() { "$DISTILL" -q build "$T/def.yaml" -o "$T/out/$1" --cache-dir "$C" --json; }

log "cold build"
first=$(build one)
d1=$(jq -r .digest <<<"$first")
(($(jq .work.debs_opened <<<"$first") >= 2)) || die "the cold build opened no .deb: $first"
(($(jq .work.layer_cache_misses <<<"$first") >= 2)) || die "no layer cache misses: $first"
assert_eq "$(jq .work.indices_decoded <<<"$first")" 2 "indices decoded cold"

log "no-change rebuild"
second=$(build two)
assert_eq "$(jq -r .digest <<<"$second")" "$d1" "rebuild digest"
assert_eq "$(jq .work.debs_opened <<<"$second")" 0 ".debs opened by the rebuild"
# The layer cache is asked before any .deb is fetched: a full hit needs
# neither the .debs nor their hashing.
assert_eq "$(jq .work.debs_fetched <<<"$second")" 0 ".debs fetched by the rebuild"
(($(jq .work.debs_fetched <<<"$first") >= 2)) || die "the cold build fetched no .deb: $first"
assert_eq "$(jq .work.indices_decoded <<<"$second")" 0 "indices decoded by the rebuild"
assert_eq "$(jq .work.layer_cache_misses <<<"$second")" 0 "layer cache misses of the rebuild"
assert_eq "$(jq .work.layer_cache_hits <<<"$second")" "$(jq .work.layer_cache_misses <<<"$first")" "hits"
cmp "$T/out/one/index.json" "$T/out/two/index.json" || die "the two layouts differ"

log "cache stats"
stats=$("$DISTILL" cache stats --cache-dir "$C" --json)
assert_eq "$(jq .layers.entries <<<"$stats")" "$(jq .work.layer_cache_misses <<<"$first")" "layer entries"
assert_eq "$(jq .indices.entries <<<"$stats")" 2 "index entries"
(($(jq .downloads.entries <<<"$stats") >= 4)) || die "downloads not counted: $stats"
text=$("$DISTILL" cache stats --cache-dir "$C")
assert_contains "$text" "layers"

log "cache prune"
total=$(jq .bytes <<<"$stats")
pruned=$("$DISTILL" cache prune --cache-dir "$C" --max-size "$((total / 2))" --json)
(($(jq .entries <<<"$pruned") >= 1)) || die "prune to half removed nothing: $pruned"
left=$(jq .bytes <<<"$("$DISTILL" cache stats --cache-dir "$C" --json)")
((left <= total / 2)) || die "prune left $left bytes, over $((total / 2))"
"$DISTILL" cache prune --cache-dir "$C" --max-size 0 >/dev/null
assert_eq "$(jq .entries <<<"$("$DISTILL" cache stats --cache-dir "$C" --json)")" 0 "entries after prune 0"
expect_fail err "$DISTILL" cache prune --cache-dir "$C" --max-size lots
assert_contains "$err" "--max-size"

log "build after prune"
third=$(build three)
assert_eq "$(jq -r .digest <<<"$third")" "$d1" "digest after prune"
(($(jq .work.debs_opened <<<"$third") >= 2)) || die "the build after prune opened no .deb"
echo PASS
