#!/bin/bash
# Issue 2: identical inputs give a bit-identical image, whatever the working
# directory, for OCI layouts (gzip and zstd) and docker-archives; one changed
# byte in one file changes the manifest digest.
. "$(dirname "$0")/lib.sh"
make_tmpdir T

mkdir -p "$T/def/files" "$T/elsewhere"
printf 'hello from distill\n' >"$T/def/files/greeting.txt"
printf '#!/bin/sh\necho hi\n' >"$T/def/files/tool"
chmod 755 "$T/def/files/tool"
cat >"$T/def/image.yaml" <<'YAML'
name: repro
files:
  - {dest: /etc/greeting.txt, src: files/greeting.txt}
  - {dest: /usr/bin/tool, src: files/tool}
  - {dest: /etc/inline, content: "inline\n", mode: "0600", uid: 65532, gid: 65532}
directories:
  - {path: /tmp, mode: "1777"}
  - /var/empty
symlinks:
  - {path: /bin, target: usr/bin}
users:
  - {name: nonroot, uid: 65532, home-mode: "0700"}
groups:
  - {name: nonroot, gid: 65532}
config:
  user: "65532"
  workdir: /home/nonroot
  env: [A=1]
  entrypoint: [/usr/bin/tool]
  labels: {org.example: x}
  exposed-ports: ["8080"]
  stop-signal: SIGTERM
# The tool is a /bin/sh script in an image without a shell: fine here, the
# test is about bytes, not about running it.
checks: {entrypoint: false}
YAML

# build NAME [ARGS...]: builds from $T/def by a relative path; prints the digest.
build() {
  local out=$1
  shift
  (cd "$T/def" && "$DISTILL" -q build image.yaml -o "$T/$out" "$@") || die "build $out failed"
}
manifest_digest() { jq -r '.manifests[0].digest' "$T/$1/index.json"; }

for comp in gzip zstd; do
  log "OCI layout, $comp"
  d1=$(build "oci-$comp-1" --compression "$comp")
  d2=$(build "oci-$comp-2" --compression "$comp")
  # Another working directory, and the definition given by absolute path.
  d3=$(cd "$T/elsewhere" && "$DISTILL" -q build "$T/def/image.yaml" -o "$T/oci-$comp-3" \
    --compression "$comp") || die "build from elsewhere failed"
  [[ $d1 == sha256:* ]] || die "build printed no digest: '$d1'"
  assert_eq "$d2" "$d1" "second build ($comp)"
  assert_eq "$d3" "$d1" "build from another directory ($comp)"
  assert_eq "$(manifest_digest "oci-$comp-1")" "$d1" "index.json digest ($comp)"
  diff -r "$T/oci-$comp-1" "$T/oci-$comp-2" >/dev/null || die "layouts differ ($comp)"
  diff -r "$T/oci-$comp-1" "$T/oci-$comp-3" >/dev/null || die "layouts differ across cwd ($comp)"
  eval "digest_$comp=\$d1"
done
[[ $digest_gzip != "$digest_zstd" ]] || die "gzip and zstd gave the same digest"
mt=$(jq -r '.layers[0].mediaType' "$T/oci-zstd-1/blobs/sha256/${digest_zstd#sha256:}")
assert_eq "$mt" "application/vnd.oci.image.layer.v1.tar+zstd" "zstd layer media type"

log "SOURCE_DATE_EPOCH matters and is honoured"
e1=$(build oci-epoch-1 --source-date-epoch 1700000000)
e2=$(cd "$T/def" && SOURCE_DATE_EPOCH=1700000000 "$DISTILL" -q build image.yaml -o "$T/oci-epoch-2")
assert_eq "$e2" "$e1" "SOURCE_DATE_EPOCH env vs flag"
[[ $e1 != "$digest_gzip" ]] || die "mtime did not change the digest"

log "docker-archive"
a1=$(build a1.tar --format docker-archive -t repro:1)
a2=$(cd "$T/elsewhere" && "$DISTILL" -q build "$T/def/image.yaml" --format docker-archive \
  -t repro:1 -o "$T/a2.tar") || die "docker-archive build from elsewhere failed"
assert_eq "$a2" "$a1" "docker-archive digest"
cmp "$T/a1.tar" "$T/a2.tar" || die "docker-archive files differ"

log "config: created: sets the config's time and its history's; the layers stay"
config_of() { jq -r '.config.digest' "$T/$1/blobs/sha256/$(manifest_digest "$1" | cut -d: -f2)" | cut -d: -f2; }
cat >"$T/def/dated.yaml" <<'YAML'
from: image.yaml
config: {created: "2024-05-06T07:08:09Z"}
YAML
(cd "$T/def" && "$DISTILL" -q build dated.yaml -o "$T/oci-dated") >/dev/null || die "dated build failed"
base_cfg="$T/oci-gzip-1/blobs/sha256/$(config_of oci-gzip-1)"
dated_cfg="$T/oci-dated/blobs/sha256/$(config_of oci-dated)"
times='[.created, ([.history[].created] | unique)]'
assert_eq "$(jq -c "$times" "$base_cfg")" '["1970-01-01T00:00:00Z",["1970-01-01T00:00:00Z"]]' \
  "default created"
assert_eq "$(jq -c "$times" "$dated_cfg")" '["2024-05-06T07:08:09Z",["2024-05-06T07:08:09Z"]]' \
  "created from config: created:"
assert_eq "$(jq -c '[.history[].created_by]' "$dated_cfg")" \
  '["generated files: /bin, /etc/greeting.txt, /etc/group, /etc/inline, /etc/passwd, /home/nonroot, /tmp, /usr/bin/tool, /var/empty"]' \
  "history of the one generated layer"
assert_eq "$(jq -c '.rootfs' "$dated_cfg")" "$(jq -c '.rootfs' "$base_cfg")" "layers of the dated image"

log "one changed byte changes the digest"
printf 'hello from distilL\n' >"$T/def/files/greeting.txt"
c1=$(build oci-changed --compression gzip)
[[ $c1 != "$digest_gzip" ]] || die "changing one byte did not change the digest"
c2=$(build a3.tar --format docker-archive -t repro:1)
[[ $c2 != "$a1" ]] || die "changing one byte did not change the docker-archive digest"
cmp -s "$T/a1.tar" "$T/a3.tar" && die "docker-archive bytes unchanged after an edit"

log "an executable bit alone changes the digest (default mode 0755 vs 0644)"
printf 'hello from distill\n' >"$T/def/files/greeting.txt"
assert_eq "$(build oci-back --compression gzip)" "$digest_gzip" "restored file"
chmod 755 "$T/def/files/greeting.txt"
m1=$(build oci-mode --compression gzip)
[[ $m1 != "$digest_gzip" ]] || die "making the source executable did not change the digest"
echo "PASS"
