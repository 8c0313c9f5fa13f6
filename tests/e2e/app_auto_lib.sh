# Helpers of the app_auto_* tests (sourced after lib.sh, family_lib.sh and
# make_tmpdir T): the signed bookworm fixture served on 127.0.0.1 with the
# family's debian12 ladder pointed at it, one cache for the script, and
#   auto_build TAG ARGS...  build --from auto --release debian12 ARGS into
#                           $T/img:TAG (stderr, the --from auto lines, in $T/TAG.log)
#   choice TAG              the line naming the base and the packages added
#   added TAG BASE          the packages the image has beyond the family
#                           image BASE (distill diff; dies on any other change)
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"
family_defs "$FAM/keyring.gpg" static base-nossl base cc

auto_build() {
  local tag=$1
  shift
  "$DISTILL" build --from auto --release debian12 --arch amd64 "$@" -o "$T/img" -t "$tag" \
    2>"$T/$tag.log" >/dev/null || die "build $tag failed: $(cat "$T/$tag.log")"
}
choice() { grep -F -- "--from auto: " "$T/$1.log" | grep -F " is an ELF file: " || true; }
added() {
  local tag=$1 base=$2 j
  [[ -d $T/bases && -n $(jq -r --arg t "$base" \
    '.manifests[] | select(.annotations."org.opencontainers.image.ref.name" == $t) | .digest' \
    "$T/bases/index.json") ]] ||
    "$DISTILL" build "$base" --arch amd64 -o "$T/bases" -t "$base" >/dev/null 2>&1
  j=$("$DISTILL" diff "oci:$T/bases:$base" "oci:$T/img:$tag" --json)
  assert_eq "$(jq -c '.packages | [.removed, .upgraded, .downgraded]' <<<"$j")" "[[],[],[]]" \
    "$tag: packages of $base removed or changed"
  jq -r '[.packages.added[].name] | join(" ")' <<<"$j"
}
