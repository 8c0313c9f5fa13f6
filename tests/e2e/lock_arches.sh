#!/usr/bin/env bash
# Lockfiles keep their architectures (issue 18): `lock --update` without
# --arch re-resolves every architecture the lock has and says per arch what
# changed; `build --lock` builds every locked architecture unless --arch or
# --platform narrows them. A signed two-architecture fixture repository on
# 127.0.0.1.
. "$(dirname "$0")/lib.sh"
need jq skopeo
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
make_repo "$T/r" "bookworm/hello=1.0-1/amd64" "bookworm/hello=1.0-1/arm64" \
  "bookworm/hello-data=2.0-1/all"
start_http "$T/r/repo"
cat >"$T/app.yaml" <<YAML
name: locktest
packages: [hello, hello-data]
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$T/r/keyring.gpg"}
YAML
arches() { jq -r '.packages | keys | join(",")' "$1"; }
platforms() {
  local idx
  idx=$(jq -r '.manifests[0].digest' "$1/index.json")
  jq -r '[.manifests[].platform | [.os, .architecture, .variant // empty] | join("/")] | join(",")' \
    "$1/blobs/sha256/${idx#sha256:}"
}

"$DISTILL" -q lock "$T/app.yaml" --arch amd64,arm64 -o "$T/app.lock"
assert_eq "$(arches "$T/app.lock")" amd64,arm64 "locked architectures"

log "lock --update without --arch keeps both and reports per arch"
jq '.packages.arm64 |= map(if .name == "hello" then .version = "0.9-1" else . end)' \
  "$T/app.lock" >"$T/t" && mv "$T/t" "$T/app.lock"
out=$("$DISTILL" -q lock "$T/app.yaml" -o "$T/app.lock" --update)
assert_eq "$out" $'amd64: no changes\narm64: hello 0.9-1 -> 1.0-1' "update output"
assert_eq "$(arches "$T/app.lock")" amd64,arm64 "architectures after --update"
assert_eq "$(jq -r '.packages.arm64[] | select(.name=="hello") | .version' "$T/app.lock")" 1.0-1 \
  "arm64 re-resolved"
out=$("$DISTILL" -q lock "$T/app.yaml" -o "$T/app.lock" --update)
assert_eq "$out" $'amd64: no changes\narm64: no changes' "a second update"

log "build --lock builds every locked architecture"
"$DISTILL" -q build "$T/app.yaml" --lock "$T/app.lock" -o "$T/both" >/dev/null
assert_eq "$(platforms "$T/both")" linux/amd64,linux/arm64/v8 "index platforms of build --lock"
skopeo inspect --raw "oci:$T/both" >/dev/null || die "skopeo cannot read the index"
"$DISTILL" -q build "$T/app.yaml" --lock "$T/app.lock" --arch arm64 -o "$T/arm" >/dev/null
assert_eq "$(skopeo inspect --config --raw "oci:$T/arm" | jq -r .architecture)" arm64 "--arch narrows"
ARM=$("$DISTILL" -q build "$T/app.yaml" --lock "$T/app.lock" --platform linux/arm64 -o "$T/arm2")
assert_eq "$ARM" "$("$DISTILL" digest "oci:$T/arm")" "--platform narrows the same way"

log "lock --update --arch drops an architecture on purpose, and says so"
out=$("$DISTILL" -q lock "$T/app.yaml" -o "$T/app.lock" --update --arch amd64)
assert_eq "$out" $'amd64: no changes\narm64: dropped (not in --arch)' "narrowing update"
assert_eq "$(arches "$T/app.lock")" amd64 "architectures after --update --arch amd64"
out=$("$DISTILL" -q lock "$T/app.yaml" -o "$T/app.lock" --update --arch amd64,arm64)
assert_eq "$out" $'amd64: no changes\narm64: added (2 packages)' "widening update"
echo PASS
