#!/usr/bin/env bash
# SBOMs and provenance attached as OCI referrers (image-spec 1.1 artifact
# manifests: artifactType, the empty config, the document as the one layer,
# subject = the image). Against Debian 12's docker-registry, which has no
# referrers API (GET .../referrers/ is a 404), so the tag schema's index
# `sha256-<hex>` carries them; in an OCI layout, untagged index.json entries
# that skopeo and umoci step over. `distill sbom` returns the attached
# document byte for byte and says where it found it; `distill attach` on an
# existing image; `inspect` lists what is attached.
. "$(dirname "$0")/lib.sh"
. "$FIXTURES/registry.sh"
need umoci curl

make_tmpdir T
start_registry reg "$T"
R=127.0.0.1:$REG_PORT
export SOURCE_DATE_EPOCH=1700000000
EMPTY=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
make_def "$T/app.yaml" one

log "build --push --sbom --provenance: the tag schema, on a registry without the referrers API"
"$DISTILL" -q build "$T/app.yaml" --arch amd64 -o "$T/out" --sbom "$T/sbom" \
  --provenance "$T/prov.json" --push "docker://$R/t/app:1" --push-insecure >/dev/null
IMG=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' "$T/out/index.json")
[[ $IMG == sha256:* ]] || die "no image tagged latest in the layout"
assert_eq "$(skopeo inspect --tls-verify=false --raw "docker://$R/t/app:1" | digest_of)" "$IMG" "pushed image digest"
assert_eq "$(curl -s -o /dev/null -w '%{http_code}' "http://$R/v2/t/app/referrers/$IMG")" "404" \
  "docker-registry's answer to the referrers API"
TAG="sha256-${IMG#sha256:}"
raw=$(skopeo inspect --tls-verify=false --raw "docker://$R/t/app:$TAG")
assert_eq "$(jq -r .mediaType <<<"$raw")" "application/vnd.oci.image.index.v1+json" "tag schema index type"
assert_eq "$(jq -r '[.manifests[].artifactType] | join(" ")' <<<"$raw")" \
  "application/spdx+json application/vnd.cyclonedx+json application/vnd.in-toto+json" "artifact types listed"
for d in $(jq -r '.manifests[].digest' <<<"$raw"); do
  m=$(skopeo inspect --tls-verify=false --raw "docker://$R/t/app@$d")
  assert_eq "$(printf '%s' "$m" | digest_of)" "$d" "artifact manifest digest"
  assert_eq "$(jq -r '"\(.subject.digest) \(.config.mediaType) \(.config.digest) \(.layers | length)"' <<<"$m")" \
    "$IMG application/vnd.oci.empty.v1+json $EMPTY 1" "artifact manifest $d"
  assert_eq "$(jq -r '.artifactType == .layers[0].mediaType' <<<"$m")" "true" "layer type of $d"
done
prov_layer=$(skopeo inspect --tls-verify=false --raw "docker://$R/t/app@$(jq -r '.manifests[2].digest' <<<"$raw")" | jq -r '.layers[0].digest')
curl -sf "http://$R/v2/t/app/blobs/$prov_layer" | cmp - "$T/prov.json" || die "the provenance blob is not the file"

log "distill sbom docker:// returns the attached SBOMs byte for byte"
"$DISTILL" sbom "docker://$R/t/app:1" --insecure >"$T/got.spdx.json" 2>"$T/err"
cmp "$T/got.spdx.json" "$T/sbom/amd64.spdx.json" || die "sbom docker:// is not the attached SPDX"
assert_contains "$(cat "$T/err")" "(tag $TAG)" "sbom's stderr"
"$DISTILL" sbom "docker://$R/t/app:1" --insecure --format cyclonedx-json -o "$T/got.cdx.json" 2>/dev/null
cmp "$T/got.cdx.json" "$T/sbom/amd64.cdx.json" || die "sbom docker:// is not the attached CycloneDX"
"$DISTILL" sbom "docker://$R/t/app:1" --insecure --source image >"$T/files.spdx.json" 2>"$T/err"
assert_not_contains "$(cat "$T/err")" "attached" "--source image stderr"
assert_eq "$(jq -r '[.packages[] | select(.primaryPackagePurpose == "FILE")] | length' "$T/files.spdx.json")" "0" \
  "files: components read from the image's files"

log "the OCI layout keeps them in index.json; skopeo and umoci still read it"
assert_eq "$(jq -r '[.manifests[] | select(.artifactType) | .annotations["org.opencontainers.image.ref.name"] // "none"] | join(" ")' "$T/out/index.json")" \
  "none none none" "untagged artifact entries"
"$DISTILL" sbom "$T/out" >"$T/lay.spdx.json" 2>"$T/err"
cmp "$T/lay.spdx.json" "$T/sbom/amd64.spdx.json" || die "sbom of the layout is not the attached SPDX"
assert_contains "$(cat "$T/err")" "(index.json)" "sbom's stderr for the layout"
assert_eq "$(skopeo inspect "oci:$T/out:latest" | jq -r .Digest)" "$IMG" "skopeo reads the tagged image"
skopeo copy -q "oci:$T/out:latest" "oci:$T/copied:x" || die "skopeo cannot copy from the layout"
assert_eq "$(umoci ls --layout "$T/out")" "latest" "umoci's tags"
umoci unpack --rootless --image "$T/out:latest" "$T/bundle" >/dev/null 2>&1 || die "umoci cannot unpack the layout"
assert_eq "$(cat "$T/bundle/rootfs/etc/motd")" "hello from distill" "file unpacked by umoci"
j=$("$DISTILL" inspect "$T/out" --json)
assert_eq "$(jq -r '[.attached[] | "\(.artifact_type) \(.source) \(.subject == "'"$IMG"'")"] | join(",")' <<<"$j")" \
  "application/spdx+json index.json true,application/vnd.cyclonedx+json index.json true,application/vnd.in-toto+json index.json true" \
  "inspect --json attached"

log "distill attach on an existing image (copied without its referrers)"
"$DISTILL" -q copy "oci:$T/out:latest" "docker://$R/t/other:1" --insecure >/dev/null
expect_fail out "$DISTILL" sbom "docker://$R/t/other:1" --insecure --source attached
assert_contains "$out" "no spdx-json SBOM is attached to docker://$R/t/other:1"
d=$("$DISTILL" -q attach "docker://$R/t/other:1" "$T/sbom/amd64.cdx.json" --insecure)
[[ $d == sha256:* ]] || die "attach printed '$d'"
again=$("$DISTILL" -q attach "docker://$R/t/other:1" "$T/sbom/amd64.cdx.json" --insecure)
assert_eq "$again" "$d" "the same file gives the same artifact"
echo '{"scan": "clean"}' >"$T/scan.json"
expect_fail out "$DISTILL" attach "docker://$R/t/other:1" "$T/scan.json" --insecure
assert_contains "$out" "scan.json is neither SPDX JSON, CycloneDX JSON nor an in-toto statement; name its media type with --artifact-type"
"$DISTILL" -q attach "docker://$R/t/other:1" "$T/scan.json" --insecure --artifact-type application/vnd.example.scan+json >/dev/null
idx=$(skopeo inspect --tls-verify=false --raw "docker://$R/t/other:$TAG")
assert_eq "$(jq -r '[.manifests[] | "\(.artifactType)"] | join(" ")' <<<"$idx")" \
  "application/vnd.cyclonedx+json application/vnd.example.scan+json" "tag index after two attaches (no duplicate)"
assert_eq "$(jq -r '.manifests[0].digest' <<<"$idx")" "$d" "first entry is the attached SBOM"
"$DISTILL" sbom "docker://$R/t/other:1" --insecure --format cyclonedx-json >"$T/other.cdx.json" 2>/dev/null
cmp "$T/other.cdx.json" "$T/sbom/amd64.cdx.json" || die "sbom after attach is not the file"
text=$("$DISTILL" inspect "docker://$R/t/other:1" --insecure)
assert_contains "$text" "Attached (2)" "inspect text"
assert_contains "$text" "application/vnd.example.scan+json" "inspect text"
expect_fail out "$DISTILL" attach "oci-archive:$T/none.tar" "$T/scan.json"
"$DISTILL" -q copy "oci:$T/out:latest" "oci-archive:$T/img.tar" >/dev/null
expect_fail out "$DISTILL" attach "oci-archive:$T/img.tar" "$T/sbom/amd64.cdx.json"
assert_contains "$out" "a oci-archive keeps no attached artifacts"

log "a cosign-style .sbom tag is found too"
"$DISTILL" -q copy "oci:$T/out:latest" "docker://$R/t/cosign:1" --insecure >/dev/null
put_blob() { # FILE: uploads it to t/cosign, prints its digest
  local dg="sha256:$(sha256sum <"$1" | cut -d' ' -f1)" loc
  loc=$(curl -sf -D - -o /dev/null -X POST "http://$R/v2/t/cosign/blobs/uploads/" | tr -d '\r' | awk 'tolower($1) == "location:" {print $2}')
  [[ $loc == http* ]] || loc="http://$R$loc"
  curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" "$loc&digest=$dg" >/dev/null ||
    curl -sf -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" "$loc?digest=$dg" >/dev/null || die "blob upload failed"
  echo "$dg"
}
printf '{}' >"$T/cfg.json"
cfg=$(put_blob "$T/cfg.json")
sb=$(put_blob "$T/sbom/amd64.spdx.json")
jq -cn --arg c "$cfg" --arg l "$sb" --argjson n "$(stat -c %s "$T/sbom/amd64.spdx.json")" \
  '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: 2},
    layers: [{mediaType: "text/spdx+json", digest: $l, size: $n}]}' >"$T/cosign.json"
curl -sf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$T/cosign.json" \
  "http://$R/v2/t/cosign/manifests/$TAG.sbom" >/dev/null || die "pushing the .sbom tag failed"
"$DISTILL" sbom "docker://$R/t/cosign:1" --insecure >"$T/cosign.spdx.json" 2>"$T/err"
cmp "$T/cosign.spdx.json" "$T/sbom/amd64.spdx.json" || die "sbom did not return the .sbom tag's document"
assert_contains "$(cat "$T/err")" "(cosign tag $TAG.sbom)" "sbom's stderr for a cosign tag"

log "a rebuilt image: the old image's artifacts leave the layout"
make_def "$T/app2.yaml" two
"$DISTILL" -q build "$T/app2.yaml" --arch amd64 -o "$T/out" --sbom "$T/sbom2" >/dev/null
IMG2=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' "$T/out/index.json")
[[ $IMG2 != "$IMG" ]] || die "the second build should differ"
assert_eq "$("$DISTILL" inspect "$T/out" --json | jq -r '[.attached[] | .subject] | unique | join(" ")')" "$IMG2" \
  "subjects of what is attached after the rebuild"
assert_eq "$(jq -r '.manifests | length' "$T/out/index.json")" "3" "index.json entries after the rebuild"
[[ ! -e $T/out/blobs/sha256/${IMG#sha256:} ]] || die "the old image is still in the layout"
echo "attach_referrers: ok"
