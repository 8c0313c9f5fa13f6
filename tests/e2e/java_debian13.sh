#!/usr/bin/env bash
# java21-debian13 and java25-debian13 from the trixie fixture repository
# (Debian's own OpenJDK .debs, signed into a repository on 127.0.0.1), run
# under runc: `java -version`, a class compiled here that loads the default
# trust store (the JRE's cacerts links to the image's JKS) and counts its
# certificates, LANG's encoding, and java25's :nonroot as 65532. The same checks
# against the host's mirror are tests/mirror/java_debian13_real_mirror.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq javac
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"
javac --release 11 -d "$T/classes" "$FIXTURES/programs/TrustCount.java"

for v in 21 25; do
  log "java$v-debian13"
  cat >"$T/app$v.yaml" <<YAML
from: $DISTILL_SRC/images/java$v-debian13.yaml
repositories:
  - $D13_REPO
files:
  - {dest: /app/TrustCount.class, src: "$T/classes/TrustCount.class", mode: "0644"}
YAML
  # Uncompressed layers: the JRE is ~200 MB and its gzip is not under test.
  "$DISTILL" -q build "$T/app$v.yaml" --arch amd64 --compression none -o "$T/j$v" >/dev/null
  java_trust "$T/j$v" latest "$v"
  n=$JAVA_TRUSTED
  # :nonroot differs only in config (tests/image/runtime_images_test.cpp);
  # running one version's is enough here, and the real-mirror test runs both.
  [[ $v == 25 ]] || continue
  "$DISTILL" -q build "$T/app$v.yaml:nonroot" --arch amd64 --compression none -o "$T/j$v" >/dev/null
  out=$(run_image "$T/j$v" nonroot /usr/bin/java -cp /app TrustCount)
  assert_contains "$out" "trusted=$n encoding=UTF-8 user=nonroot uid=65532" "java$v:nonroot"
done
echo "java_debian13: ok"
