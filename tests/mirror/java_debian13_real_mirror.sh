#!/usr/bin/env bash
# Real-mirror check (label "mirror"): java21-debian13 and java25-debian13,
# built from Debian's OpenJDK on the host's mirror (the reference's Temurin
# is not reachable here), run under runc: `java -version`, a class compiled
# here that loads the default trust store and counts its certificates (the
# JRE's cacerts links to the image's JKS), LANG; :nonroot runs as 65532
# (java21, java25, and java-base-debian13 through a small program); javac in
# java21's :debug; and java17-debian13 is refused naming java21. Every build
# names the host's own archives with --mirror/--security-mirror.
. "$(dirname "$(readlink -f "$0")")/../e2e/lib.sh"
. "$(dirname "$(readlink -f "$0")")/../e2e/family_lib.sh"
. "$(dirname "$(readlink -f "$0")")/lib.sh"
need umoci runc jq skopeo javac gcc
host_mirrors
make_tmpdir T
export XDG_CACHE_HOME="$T/cache"
IMG="$DISTILL_SRC/images"
javac --release 11 -d "$T/classes" "$FIXTURES/programs/TrustCount.java"
build() {
  timeout 900 "$DISTILL" -q build "$@" "${MIRROR_FLAGS[@]}" >/dev/null || die "distill build $* failed (mirror reachable?)"
}

log "java-base-debian13:nonroot runs as 65532"
gcc -O2 -o "$T/whoami" "$FIXTURES/programs/whoami.c"
build "$(app "$IMG/java-base-debian13.yaml" "$T/whoami"):nonroot" --arch amd64 -o "$T/jb"
assert_eq "$(run_image "$T/jb" nonroot)" "uid=65532 home=/home/nonroot cwd=/home/nonroot" "java-base-debian13:nonroot"

for v in 21 25; do
  log "java$v-debian13"
  cat >"$T/app$v.yaml" <<YAML
from: $IMG/java$v-debian13.yaml
files:
  - {dest: /app/TrustCount.class, src: "$T/classes/TrustCount.class", mode: "0644"}
YAML
  build "$T/app$v.yaml" --arch amd64 -o "$T/j$v" -t latest
  cfg=$(skopeo inspect --config "oci:$T/j$v:latest")
  assert_eq "$(jq -c .config.Entrypoint <<<"$cfg")" '["/usr/bin/java","-jar"]' "java$v entrypoint"
  jv=$(jq -r '.config.Env[] | select(startswith("JAVA_VERSION=")) | sub("JAVA_VERSION="; "")' <<<"$cfg")
  [[ $jv == "$v".* ]] || die "java$v JAVA_VERSION is '$jv'"
  assert_eq "$(skopeo inspect --raw "oci:$T/j$v:latest" | jq -r '.annotations."com.google.distroless.java.version"')" \
    "$jv" "java$v version annotation"
  java_trust "$T/j$v" latest "$v"
  n=$JAVA_TRUSTED
  rm -rf "$T/u" && umoci unpack --image "$T/j$v:latest" "$T/u" >/dev/null
  assert_eq "$(readlink "$T/u/rootfs/usr/bin/java")" "/usr/lib/jvm/java-$v-openjdk-amd64/bin/java" "java$v /usr/bin/java"
  [[ ! -e $T/u/rootfs/usr/lib/jvm/java-$v-openjdk-amd64/bin/javac ]] || die "java$v: the JRE image has javac"
  [[ -f $T/u/rootfs/usr/lib/x86_64-linux-gnu/libharfbuzz.so.0 ]] || die "java$v: no libharfbuzz (libfontmanager needs it)"
  [[ ! -e $T/u/rootfs/bin/sh ]] || die "java$v has /bin/sh"
  build "$T/app$v.yaml:nonroot" --arch amd64 -o "$T/j$v"
  out=$(run_image "$T/j$v" nonroot /usr/bin/java -cp /app TrustCount)
  assert_contains "$out" "trusted=$n" "java$v:nonroot"
  assert_contains "$out" "user=nonroot uid=65532" "java$v:nonroot runs as 65532"
  # :debug differs only by the JDK and busybox; once (java21) is enough.
  [[ $v == 21 ]] || continue
  build "$T/app$v.yaml:debug" --arch amd64 -o "$T/j$v"
  out=$(run_image "$T/j$v" debug /busybox/sh -c "id -u; /usr/lib/jvm/java-$v-openjdk-amd64/bin/javac -version")
  assert_contains "$out" "javac $v"
done

log "java17-debian13 does not exist, and says what to use"
expect_fail out "$DISTILL" build java17-debian13 "${MIRROR_FLAGS[@]}" -o "$T/j17"
assert_contains "$out" "java17-debian13: Debian 13 has no OpenJDK 17 (trixie ships 21 and 25): use java21-debian13"
echo "java_debian13_real_mirror: ok"
