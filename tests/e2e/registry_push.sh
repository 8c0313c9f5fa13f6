#!/usr/bin/env bash
# distill copy / build --push against a real distribution registry on
# 127.0.0.1 (plain http, so --insecure): a multi-arch index round-trips with
# equal digests (checked with skopeo), shared blobs are not uploaded twice,
# cross-repository mounts, chunked uploads, --platform, Docker schema2 pulls.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"

make_tmpdir T
start_registry reg "$T"
R=127.0.0.1:$REG_PORT
log "registry on $R"

# A two-platform index built by distill (files and directories only).
make_def "$T/app.yaml" one
"$DISTILL" build "$T/app.yaml" --arch amd64,arm64 -o "$T/out" -t latest >/dev/null
INDEX=$(jq -r '.manifests[0].digest' "$T/out/index.json")
AMD=$(jq -r '.manifests[] | select(.platform.architecture=="amd64") | .digest' \
  "$T/out/blobs/sha256/${INDEX#sha256:}")
ARM=$(jq -r '.manifests[] | select(.platform.architecture=="arm64") | .digest' \
  "$T/out/blobs/sha256/${INDEX#sha256:}")
[[ -n $AMD && -n $ARM ]] || die "built index lacks amd64/arm64 entries"

log "push the index"
got=$("$DISTILL" copy "oci:$T/out:latest" "docker://$R/test/app:1" --insecure)
assert_eq "$got" "$INDEX" "digest printed by copy"
raw_digest=$(skopeo inspect --tls-verify=false --raw "docker://$R/test/app:1" | digest_of)
assert_eq "$raw_digest" "$INDEX" "index digest seen by skopeo"
mt=$(skopeo inspect --tls-verify=false --raw "docker://$R/test/app:1" | jq -r .mediaType)
assert_eq "$mt" "application/vnd.oci.image.index.v1+json" "index media type"
arm_seen=$(skopeo inspect --tls-verify=false --raw "docker://$R/test/app@$ARM" | digest_of)
assert_eq "$arm_seen" "$ARM" "arm64 manifest digest seen by skopeo"
arch=$(skopeo inspect --tls-verify=false --override-arch arm64 "docker://$R/test/app:1" |
  jq -r .Architecture)
assert_eq "$arch" "arm64" "architecture skopeo reads for arm64"
# Uploads: every distinct blob once (the two platforms share their layer).
blobs=$(jq -r '.layers[].digest, .config.digest' \
  "$T/out/blobs/sha256/${AMD#sha256:}" "$T/out/blobs/sha256/${ARM#sha256:}" | sort -u | wc -l)
puts=$(count_log "$REG_LOG" '"PUT /v2/test/app/blobs/uploads/[^ ]*digest=')
assert_eq "$puts" "$blobs" "blob uploads for the first push"

log "pull it back into an OCI layout"
got=$("$DISTILL" copy "docker://$R/test/app:1" "oci:$T/pulled" --insecure)
assert_eq "$got" "$INDEX" "digest printed by the pull"
assert_eq "$(jq -r '.manifests[0].digest' "$T/pulled/index.json")" "$INDEX" "pulled index.json"
assert_eq "$(jq -r '.manifests[0].annotations["org.opencontainers.image.ref.name"]' \
  "$T/pulled/index.json")" "latest" "pulled tag"
for f in "$T"/pulled/blobs/sha256/*; do
  assert_eq "$(sha256sum <"$f" | cut -d' ' -f1)" "$(basename "$f")" "blob content of $f"
done
# Every blob of the original is there, and skopeo reads the platform image.
for f in "$T"/out/blobs/sha256/*; do assert_file "$T/pulled/blobs/sha256/$(basename "$f")"; done
skopeo inspect "oci:$T/pulled:latest" >/dev/null

log "one platform with --platform"
got=$("$DISTILL" copy "docker://$R/test/app:1" "oci:$T/arm:v1" --platform linux/arm64 --insecure)
assert_eq "$got" "$ARM" "arm64 digest"
assert_eq "$(jq -r '.manifests[0].digest' "$T/arm/index.json")" "$ARM" "arm64 layout entry"
umoci unpack --image "$T/arm:v1" "$T/arm-bundle" >/dev/null 2>&1 ||
  die "umoci cannot unpack the pulled arm64 image"
assert_eq "$(cat "$T/arm-bundle/rootfs/etc/motd")" "hello from distill" "file in pulled image"

log "a second image sharing its layer: no re-upload"
make_def "$T/app2.yaml" two
"$DISTILL" build "$T/app2.yaml" --arch amd64,arm64 -o "$T/out2" -t latest >/dev/null
INDEX2=$(jq -r '.manifests[0].digest' "$T/out2/index.json")
[[ $INDEX2 != "$INDEX" ]] || die "the second image should differ"
LAYER=$(jq -r '.layers[0].digest' "$T/out/blobs/sha256/${AMD#sha256:}")
AMD2=$(jq -r '.manifests[] | select(.platform.architecture=="amd64") | .digest' \
  "$T/out2/blobs/sha256/${INDEX2#sha256:}")
assert_eq "$(jq -r '.layers[0].digest' "$T/out2/blobs/sha256/${AMD2#sha256:}")" "$LAYER" \
  "shared layer"
before=$(count_log "$REG_LOG" '"PUT /v2/test/app/blobs/uploads/')
got=$("$DISTILL" copy "oci:$T/out2:latest" "docker://$R/test/app:2" --insecure)
assert_eq "$got" "$INDEX2" "second push digest"
after=$(count_log "$REG_LOG" '"PUT /v2/test/app/blobs/uploads/')
layer_puts=$(count_log "$REG_LOG" "\"PUT /v2/test/app/blobs/uploads/[^ ]*digest=sha256%3A${LAYER#sha256:}")
assert_eq "$layer_puts" "1" "uploads of the shared layer over both pushes"
# Only the new configs (one per platform) went up.
new_cfgs=$(jq -r '.config.digest' "$T/out2/blobs/sha256/${AMD2#sha256:}" \
  "$T/out2/blobs/sha256/$(jq -r '.manifests[] | select(.platform.architecture=="arm64") | .digest' \
  "$T/out2/blobs/sha256/${INDEX2#sha256:}" | cut -d: -f2)" | sort -u | wc -l)
assert_eq "$((after - before))" "$new_cfgs" "blobs uploaded by the second push"
heads=$(count_log "$REG_LOG" "\"HEAD /v2/test/app/blobs/${LAYER}[^ ]* HTTP/1.1\" 200")
[[ $heads -ge 1 ]] || die "the shared layer was not checked with HEAD"

log "registry to registry: cross-repository mount"
got=$("$DISTILL" copy "docker://$R/test/app:1" "docker://$R/other/app:1" --insecure)
assert_eq "$got" "$INDEX" "digest after copying between repositories"
mounts=$(count_log "$REG_LOG" "\"POST /v2/other/app/blobs/uploads/\\?mount=sha256%3A${LAYER#sha256:}&from=test%2Fapp HTTP/1.1\" 201")
assert_eq "$mounts" "1" "mount of the layer"
assert_eq "$(count_log "$REG_LOG" '"(PUT|PATCH) /v2/other/app/blobs/uploads/')" "0" \
  "uploads into other/app"

log "blobs go up largest first"
# Small layers under a big (incompressible) last one: with one transfer at a
# time, the registry sees the big layer's upload first, whatever the order.
head -c 300000 /dev/urandom >"$T/big.bin"
cat >"$T/big.yaml" <<YAML
name: bigtop
description: small layers, then a big one
parts: [tmp, rootfs, generated]
directories:
  - {path: /tmp, mode: "1777"}
files:
  - {dest: /data/big.bin, src: $T/big.bin}
YAML
"$DISTILL" build "$T/big.yaml" -o "$T/order" -t latest >/dev/null
OM=$(jq -r '.manifests[0].digest' "$T/order/index.json")
mapfile -t OL < <(jq -r '.layers[].digest' "$T/order/blobs/sha256/${OM#sha256:}")
mapfile -t OS < <(jq -r '.layers[].size' "$T/order/blobs/sha256/${OM#sha256:}")
n=${#OL[@]}
[[ $n -ge 2 && ${OS[n - 1]} -gt 100000 && ${OS[0]} -lt 1000 ]] ||
  die "expected small layers under a big one, got sizes ${OS[*]}"
"$DISTILL" copy "oci:$T/order:latest" "docker://$R/order/app:1" --insecure --parallel 1 >/dev/null
first=$(grep -oE '"PUT /v2/order/app/blobs/uploads/[^ ]*digest=sha256%3A[0-9a-f]+' "$REG_LOG" |
  head -1 | sed 's/.*sha256%3A/sha256:/')
assert_eq "$first" "${OL[n - 1]}" "the first blob uploaded (the biggest layer)"
assert_eq "$(count_log "$REG_LOG" '"PUT /v2/order/app/blobs/uploads/[^ ]*digest=')" "$((n + 1))" \
  "blob uploads into order/app (the layers and the config)"

log "build --push, then a chunked upload (PATCH)"
"$DISTILL" build "$T/app.yaml" --arch amd64,arm64 -o "$T/out3" -t latest \
  --push "docker://$R/chunked/app:1" --push-insecure >/dev/null
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/chunked/app:1" | digest_of)" \
  "$INDEX" "digest pushed by build --push"
log "build --push without -o: the same digest, only in the registry, nothing left behind"
mkdir -p "$T/tmp" "$T/cwd"
pushed=$(cd "$T/cwd" && TMPDIR="$T/tmp" "$DISTILL" -q build "$T/app.yaml" --arch amd64,arm64 \
  --push "docker://$R/pushonly/app:1" --push-insecure)
assert_eq "$pushed" "$INDEX" "digest printed by a push-only build"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/pushonly/app:1" | digest_of)" \
  "$INDEX" "digest skopeo reads after a push-only build"
assert_eq "$(find "$T/tmp" "$T/cwd" -mindepth 1)" "" "files left by a push-only build"
expect_fail err "$DISTILL" build "$T/app.yaml"
assert_contains "$err" "distill: build needs somewhere to put the image: -o OUT (a layout, an archive, or - for stdout) or --push docker://HOST/REPO:TAG" "neither -o nor --push"
got=$("$DISTILL" copy "oci:$T/out:latest" "docker://$R/chunked/two:1" --insecure --chunk-size 64)
assert_eq "$got" "$INDEX" "chunked push digest"
patches=$(count_log "$REG_LOG" '"PATCH /v2/chunked/two/blobs/uploads/[^ ]* HTTP/1.1" 202')
[[ $patches -ge 2 ]] || die "expected PATCH chunks, saw $patches"
"$DISTILL" copy "docker://$R/chunked/two:1" "oci:$T/chunked" --insecure >/dev/null
cmp "$T/chunked/blobs/sha256/${LAYER#sha256:}" "$T/out/blobs/sha256/${LAYER#sha256:}" ||
  die "chunked upload changed the layer"

log "Docker schema2 manifests on pull, docker-archive destination"
skopeo copy -q --format v2s2 --dest-tls-verify=false "oci:$T/arm:v1" "docker://$R/docker/app:1"
V2=$(skopeo inspect --tls-verify=false --raw "docker://$R/docker/app:1" | digest_of)
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/docker/app:1" | jq -r .mediaType)" \
  "application/vnd.docker.distribution.manifest.v2+json" "skopeo pushed schema2"
got=$("$DISTILL" copy "docker://$R/docker/app@$V2" "oci:$T/v2" --insecure)
assert_eq "$got" "$V2" "schema2 digest pulled by digest"
"$DISTILL" copy "docker://$R/docker/app:1" "docker-archive:$T/app.tar:app:1" --insecure >/dev/null
skopeo inspect "docker-archive:$T/app.tar" >/dev/null || die "skopeo cannot read the archive"
skopeo copy -q "docker-archive:$T/app.tar" "oci:$T/from-archive:x" ||
  die "layers in the docker-archive do not match their diff_ids"

log "errors: unknown tag, no --insecure for an http registry"
expect_fail out "$DISTILL" copy "docker://$R/test/app:nope" "oci:$T/none" --insecure
assert_contains "$out" "manifest $R/test/app:nope not found"
expect_fail out "$DISTILL" copy "docker://$R/test/app:1" "oci:$T/none"
assert_contains "$out" "cannot reach registry $R over https"
assert_contains "$out" "--insecure"
[[ ! -e $T/none ]] || die "a failed copy left $T/none behind"
log "ok"
