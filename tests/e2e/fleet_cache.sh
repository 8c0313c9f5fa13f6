#!/usr/bin/env bash
# A fleet sharing a registry as its layer cache (issue 17, item 5), with
# Debian 12's docker-registry on 127.0.0.1 and cc-debian12 from the golden
# repository of tests/fixtures/make-golden-repo.sh.
#   Machine A (its own cache dir) locks cc and builds it with --cache-to
#   the registry and a dead --cache-from: the dead one only warns, and the
#   digest is the golden table's.
#   Machine B (a fresh cache dir, the archive's port closed, A's lock)
#   builds with --cache-from: the same digest, not one .deb fetched, and
#   nothing written to the registry. B's second build pushes the image to
#   another repository of that registry: no layer blob is uploaded (they
#   are mounted from the cache repository); the registry's log shows only
#   the config's and the manifest's writes.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"
need jq dpkg-deb gpg openssl flock
unset SOURCE_DATE_EPOCH
make_tmpdir T

golden_fixture
start_http "$G/repo" serve "$T/archive.log"
ARCHIVE_PID=$LAST_PID
ARCHIVE_PORT=$HTTP_PORT
start_registry reg "$T"
R=127.0.0.1:$REG_PORT
CACHE=docker://$R/fleet/cache
DEAD_PORT=$(free_port)
cat >"$T/cc.yaml" <<YAML
from: $DISTILL_SRC/images/cc-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$ARCHIVE_PORT", suites: [bookworm], keyring: "$G/keyring.gpg"}
YAML
GOLDEN=$(awk -F'\t' '$1 == "cc" {print $2}' "$FIXTURES/golden/digests.txt")
[[ -n $GOLDEN ]] || die "no cc row in the golden table"
# writes FROM: the registry's PUT, POST and PATCH requests after log line FROM.
writes() { tail -n +"$(($1 + 1))" "$REG_LOG" | grep -oE '"(PUT|POST|PATCH|DELETE) /v2/[^ "]*' || true; }

log "machine A: --cache-to the registry, a dead --cache-from first"
"$DISTILL" -q lock "$T/cc.yaml" --arch amd64 -o "$T/cc.lock" --cache-dir "$T/a-cache"
A=$("$DISTILL" -q build "$T/cc.yaml" --lock "$T/cc.lock" -o "$T/a" --cache-dir "$T/a-cache" \
  --json --timeout 5 --cache-from "docker://127.0.0.1:$DEAD_PORT/fleet/dead" \
  --cache-to "$CACHE" --cache-insecure 2>"$T/a.err") || die "machine A failed: $(cat "$T/a.err")"
assert_eq "$(jq -r .digest <<<"$A")" "$GOLDEN" "machine A's digest (the golden cc)"
# The exact line (curl's text; only its milliseconds vary), once: the
# store is off after its first failure.
d="127\\.0\\.0\\.1:$DEAD_PORT"
warn="^warning: layer cache $d/fleet/dead: http://$d/v2/: Failed to connect to 127\\.0\\.0\\.1 port"
warn+=" $DEAD_PORT after [0-9]+ ms: Couldn't connect to server \\(after 2 attempts\\); building without it\$"
assert_eq "$(grep -cE "$warn" "$T/a.err")" 1 "the dead cache's one warning in: $(cat "$T/a.err")"
assert_eq "$(grep -c warning "$T/a.err")" 1 "warnings of machine A: $(cat "$T/a.err")"
built=$(jq .work.layer_cache_misses <<<"$A")
((built >= 8)) || die "machine A built $built cached layers: $A"
mappings=$(curl -s "http://$R/v2/fleet/cache/tags/list" |
  jq '[.tags[] | select(startswith("distill-cache-"))] | length')
assert_eq "$mappings" "$built" "cache mappings stored by A"

log "machine B: a fresh cache dir, the archive's port closed, --cache-from"
stop_registry "$ARCHIVE_PID" # the fixture server: stopped the same way
port_is_free "$ARCHIVE_PORT" || die "the archive still listens"
mark=$(wc -l <"$REG_LOG")
B=$("$DISTILL" -q build "$T/cc.yaml" --lock "$T/cc.lock" -o "$T/b" --cache-dir "$T/b-cache" \
  --json --cache-from "$CACHE" --cache-insecure 2>"$T/b.err") ||
  die "machine B failed: $(cat "$T/b.err")"
assert_eq "$(jq -r .digest <<<"$B")" "$GOLDEN" "machine B's digest"
[[ ! -s $T/b.err ]] || die "machine B warned: $(cat "$T/b.err")"
assert_eq "$(jq .work.layer_cache_remote_hits <<<"$B")" "$built" "layers B took from the registry"
assert_eq "$(jq .work.layer_cache_misses <<<"$B")" 0 "layers B built"
assert_eq "$(jq .work.debs_fetched <<<"$B")" 0 ".debs B fetched"
assert_eq "$(jq .work.debs_opened <<<"$B")" 0 ".debs B opened"
assert_eq "$(find "$T/b-cache" -name '*.deb' | wc -l)" 0 ".deb files in B's cache"
assert_eq "$(writes "$mark")" "" "registry writes by B's --cache-from build"
cmp "$T/a/index.json" "$T/b/index.json" || die "A's and B's layouts differ"

log "machine B pushes to another repository: no layer blob uploaded"
mark=$(wc -l <"$REG_LOG")
P=$("$DISTILL" -q build "$T/cc.yaml" --lock "$T/cc.lock" -o "$T/b2" --cache-dir "$T/b-cache" \
  --json --cache-to "$CACHE" --cache-read-only --cache-insecure \
  --push "docker://$R/fleet/cc:1" --push-insecure 2>"$T/p.err") ||
  die "B's push failed: $(cat "$T/p.err")"
assert_eq "$(jq -r .digest <<<"$P")" "$GOLDEN" "digest B pushed"
assert_eq "$(jq .work.layer_cache_hits <<<"$P")" "$built" "B's second build: local hits"
config=$(jq -r .config.digest "$T/b/blobs/sha256/${GOLDEN#sha256:}")
w=$(writes "$mark")
# PUT is the only request that completes a blob upload: two PUTs, the
# config's (its POST tries a mount first, as every push does) and the
# manifest's, so no layer blob was uploaded; each layer is one POST
# ?mount= from the cache repository. No PATCH.
assert_eq "$(grep -c '^"PUT ' <<<"$w")" 2 "PUTs: $w"
assert_eq "$(grep -c "^\"PUT /v2/fleet/cc/blobs/uploads/.*digest=sha256%3A${config#sha256:}\$" <<<"$w")" 1 \
  "the config's upload: $w"
assert_eq "$(grep -c '^"PUT /v2/fleet/cc/manifests/1$' <<<"$w")" 1 "the manifest's PUT: $w"
assert_eq "$(grep -c '^"PATCH ' <<<"$w")" 0 "PATCHes: $w"
for l in $(jq -r '.layers[].digest' "$T/b/blobs/sha256/${GOLDEN#sha256:}"); do
  assert_eq "$(grep -c "^\"POST /v2/fleet/cc/blobs/uploads/?mount=sha256%3A${l#sha256:}&from=fleet%2Fcache\$" <<<"$w")" 1 \
    "the mount of layer $l: $w"
done
assert_eq "$(grep -c '/fleet/cache/' <<<"$w")" 0 "writes to the read-only cache: $w"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/fleet/cc:1" | digest_of)" \
  "$GOLDEN" "digest skopeo reads from the pushed repository"
log "ok"
