# Helpers for tests that build family images and run them (source after lib.sh).

# run_image LAYOUT TAG [ARGS...]: umoci unpack + runc run (as root); prints stdout.
# The unpacked bundle is kept per manifest digest for the rest of the test:
# a runtime image is run several times, and unpacking a JRE each time cost
# the real-mirror tests more CPU than building the images did.
run_image() {
  local layout=$1 tag=$2 id="distill-e2e-$$-$RANDOM"
  shift 2
  local digest
  digest=$(jq -r --arg t "$tag" 'first(.manifests[] |
    select(.annotations."org.opencontainers.image.ref.name" == $t) | .digest) // empty' \
    "$layout/index.json") || die "run_image: cannot read $layout/index.json"
  [[ -n $digest ]] || die "run_image: no tag '$tag' in $layout"
  local bundle="$T/bundles/${digest#sha256:}"
  if [[ ! -f $bundle/config.orig.json ]]; then
    rm -rf "$bundle" && mkdir -p "$T/bundles"
    umoci unpack --image "$layout:$tag" "$bundle" >/dev/null || die "umoci unpack $layout:$tag failed"
    mv "$bundle/config.json" "$bundle/config.orig.json"
  fi
  local cfg
  if [[ $# -gt 0 ]]; then
    cfg=$(jq --argjson a "$(printf '%s\n' "$@" | jq -R . | jq -s .)" \
      '.process.terminal=false | .process.args=$a' "$bundle/config.orig.json")
  else
    cfg=$(jq '.process.terminal=false' "$bundle/config.orig.json")
  fi
  echo "$cfg" >"$bundle/config.json"
  (cd "$bundle" && runc run "$id") </dev/null
  local rc=$?
  runc delete -f "$id" >/dev/null 2>&1 || true
  return $rc
}

# java_trust LAYOUT TAG V: runs `java -version` and TrustCount (in /app) in
# the java V image as root; checks the version, UTF-8 and uid 0, and sets
# JAVA_TRUSTED to the number of certificates the default trust store holds.
java_trust() {
  local layout=$1 tag=$2 v=$3 out
  out=$(run_image "$layout" "$tag" /usr/bin/java -version 2>&1)
  assert_contains "$out" "openjdk version \"$v"
  out=$(run_image "$layout" "$tag" /usr/bin/java -cp /app TrustCount)
  assert_contains "$out" "java=$v"
  assert_contains "$out" "encoding=UTF-8"
  assert_contains "$out" "user=root uid=0"
  JAVA_TRUSTED=$(sed -n 's/.* trusted=\([0-9]*\).*/\1/p' <<<"$out")
  ((JAVA_TRUSTED > 100)) || die "java$v trusts only '$JAVA_TRUSTED' certificates: $out"
}

# app BASE_DEF PROGRAM: prints the path of a definition adding PROGRAM at
# /app/prog (entrypoint) on top of BASE_DEF.
app() {
  local def="$T/defs/app-$(basename "$1" .yaml)-$(basename "$2").yaml"
  mkdir -p "$T/defs"
  cat >"$def" <<YAML
from: $1
files:
  - {dest: /app/prog, src: "$2", mode: "0755"}
config:
  entrypoint: [/app/prog]
YAML
  echo "$def"
}

# compile_programs: the test programs of tests/fixtures/programs into $T.
compile_programs() {
  local P="$FIXTURES/programs"
  gcc -static -O2 -o "$T/static_facts" "$P/static_facts.c"
  gcc -O2 -o "$T/ssl_bundle" "$P/ssl_bundle.c" -lssl -lcrypto
  g++ -std=c++17 -O2 -pthread -o "$T/cxx_runtime" "$P/cxx_runtime.cpp"
  gcc -O2 -o "$T/whoami" "$P/whoami.c"
}

# host_cert_count: certificates update-ca-certificates would bundle here.
host_cert_count() {
  cat /usr/share/ca-certificates/*/*.crt | grep -c -- '-----BEGIN CERTIFICATE-----'
}
