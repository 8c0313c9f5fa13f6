#!/usr/bin/env bash
# The family's rules are data (images/common/family.yaml): a definition
# declares a variant of its own and builds it, and a changed copy of the
# rules (found first through $DISTILL_IMAGES) changes what the family
# variants and the layer order are. Hermetic: the fixture repository.
. "$(dirname "$0")/lib.sh"
need skopeo umoci jq
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"
REPO="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [bookworm], keyring: \"$FAM/keyring.gpg\"}"
cfg() { skopeo inspect --config "oci:$1" | jq -c "$2"; }
layers() { skopeo inspect "oci:$1" | jq -c .Layers; }

log "a definition declares :app (uid 1000, /app) and builds it"
cat >"$T/app.yaml" <<YAML
from: $DISTILL_SRC/images/static-debian12.yaml
repositories: [$REPO]
variants:
  app: {user: "1000", workdir: /app}
  app-debug: {include: [app, debug]}
YAML
"$DISTILL" build "$T/app.yaml" -o "$T/out" -t latest >/dev/null
"$DISTILL" build "$T/app.yaml:app" -o "$T/out" >/dev/null
assert_eq "$(cfg "$T/out:app" '[.config.User, .config.WorkingDir]')" '["1000","/app"]' ":app config"
assert_eq "$(layers "$T/out:app")" "$(layers "$T/out:latest")" ":app changes only the config"
"$DISTILL" build "$T/app.yaml:app-debug" -o "$T/out" >/dev/null
assert_eq "$(cfg "$T/out:app-debug" '[.config.User, .config.Entrypoint[0]]')" '["1000","/busybox/sh"]' ":app-debug config"
expect_fail out "$DISTILL" build "$T/app.yaml:ap" -o "$T/bad"
assert_contains "$out" "unknown variant 'ap' for $T/app.yaml (it declares: app, app-debug, debug, debug-nonroot, latest, nonroot"
[[ ! -e $T/bad ]] || die "a failed build left $T/bad"

log "a changed copy of the family rules drives the family variants"
cat >"$T/static.yaml" <<YAML
from: static-debian12
repositories: [$REPO]
YAML
"$DISTILL" build "$T/static.yaml:nonroot" -o "$T/orig" >/dev/null
"$DISTILL" build "$T/static.yaml:debug" -o "$T/orig" >/dev/null
cp -r "$DISTILL_SRC/images" "$T/images"
rules="$T/images/common/family.yaml"
sed -i -e 's|user: "65532"|user: "4242"|' -e 's|busybox: /busybox|busybox: /tools|' \
  -e 's|entrypoint-if-unset: \[/busybox/sh\]|entrypoint-if-unset: [/tools/sh]|' \
  -e 's|path-append: /busybox|path-append: /tools|' "$rules"
grep -q '"4242"' "$rules" && grep -q 'path-append: /tools' "$rules" || die "sed did not change $rules"
DISTILL_IMAGES="$T/images" "$DISTILL" build "$T/static.yaml:nonroot" -o "$T/new" >/dev/null
DISTILL_IMAGES="$T/images" "$DISTILL" build "$T/static.yaml:debug" -o "$T/new" >/dev/null
assert_eq "$(cfg "$T/orig:nonroot" .config.User)" '"65532"' "family nonroot user"
assert_eq "$(cfg "$T/new:nonroot" .config.User)" '"4242"' "changed nonroot user"
assert_eq "$(cfg "$T/new:debug" '[.config.Entrypoint[0], (.config.Env[0] | endswith(":/tools"))]')" \
  '["/tools/sh",true]' "changed debug entrypoint and PATH"
umoci unpack --image "$T/new:debug" "$T/u" >/dev/null
[[ -f $T/u/rootfs/tools/busybox && -L $T/u/rootfs/tools/sh && ! -e $T/u/rootfs/busybox ]] ||
  die "busybox is not in /tools only"
[[ $(skopeo inspect "oci:$T/orig:debug" | jq -r .Digest) != $(skopeo inspect "oci:$T/new:debug" | jq -r .Digest) ]] ||
  die "the changed rules gave the same debug image"

log "the order of part layers is the rules' parts: list"
sed -i 's|^parts: .*|parts: [generated, packages, ca-bundle, extract, java-keystore, busybox]|' "$rules"
DISTILL_IMAGES="$T/images" "$DISTILL" build "$T/static.yaml" -o "$T/reordered" >/dev/null
"$DISTILL" build "$T/static.yaml" -o "$T/orig" -t latest >/dev/null
orig=$(layers "$T/orig:latest")
re=$(layers "$T/reordered:latest")
assert_eq "$(jq -c '.[-1:] + .[:-1]' <<<"$orig")" "$re" "generated layer first"
echo "family_variants: ok"
