#!/bin/bash
# Issue 2: real clients accept what distill writes. skopeo inspects and copies
# the OCI layout and the docker-archive (copying a docker-archive checks layers
# against diff_ids); umoci unpacks it and runc runs a static program that
# reports its uid and working directory.
. "$(dirname "$0")/lib.sh"
need skopeo umoci runc jq gcc
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T

cat >"$T/hello.c" <<'C'
#include <stdio.h>
#include <unistd.h>
int main(int argc, char** argv) {
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) return 3;
  printf("hello uid=%d gid=%d cwd=%s arg=%s\n", (int)getuid(), (int)getgid(), cwd,
         argc > 1 ? argv[1] : "-");
  return 0;
}
C
gcc -static -O2 -o "$T/hello" "$T/hello.c" || die "gcc -static failed"
"$T/hello" | grep -q "^hello uid=" || die "test program does not run on the host"

cat >"$T/app.yaml" <<'YAML'
name: hello
files:
  - {dest: /usr/bin/hello, src: hello}
users:
  - {name: root, uid: 0, home: /root}
  - {name: nonroot, uid: 65532, gid: 65532, home-mode: "0700"}
groups:
  - {name: root, gid: 0}
  - {name: nonroot, gid: 65532}
directories:
  - {path: /tmp, mode: "1777"}
config:
  user: "65532"
  workdir: /home/nonroot
  entrypoint: [/usr/bin/hello]
  cmd: [from-cmd]
  labels: {org.example.test: foundation}
YAML

digest=$("$DISTILL" -q build "$T/app.yaml" -o "$T/oci" -t hello:1 2>/dev/null) || die "build failed"

log "skopeo inspect (OCI layout)"
info=$(skopeo inspect "oci:$T/oci:hello:1") || die "skopeo inspect oci failed"
assert_eq "$(jq -r .Digest <<<"$info")" "$digest" "skopeo digest"
assert_eq "$(jq -r '.Labels["org.example.test"]' <<<"$info")" "foundation" "label"
assert_eq "$(jq -r '.Layers | length' <<<"$info")" "1" "layer count"
cfg=$(skopeo inspect --config "oci:$T/oci:hello:1") || die "skopeo inspect --config failed"
assert_eq "$(jq -r .config.User <<<"$cfg")" "65532" "config User"
assert_eq "$(jq -r .config.WorkingDir <<<"$cfg")" "/home/nonroot" "config WorkingDir"

log "skopeo copy oci -> oci and oci -> docker-archive"
skopeo copy -q "oci:$T/oci:hello:1" "oci:$T/copy:x" || die "skopeo copy oci->oci failed"
assert_eq "$(jq -r '.manifests[0].digest' "$T/copy/index.json")" "$digest" \
  "digest after skopeo copy (skopeo keeps our manifest bytes)"
skopeo copy -q "oci:$T/oci:hello:1" "docker-archive:$T/skopeo.tar:hello:1" \
  || die "skopeo copy oci->docker-archive failed"

log "distill docker-archive: skopeo inspect and copy (checks diff_ids)"
"$DISTILL" -q build "$T/app.yaml" --format docker-archive -t hello:1 -o "$T/hello.tar" \
  >/dev/null 2>&1 || die "docker-archive build failed"
dinfo=$(skopeo inspect "docker-archive:$T/hello.tar") || die "skopeo inspect docker-archive failed"
# The archive is addressable by the tag we gave (manifest.json RepoTags).
skopeo inspect "docker-archive:$T/hello.tar:hello:1" >/dev/null || die "tag hello:1 not found"
skopeo inspect "docker-archive:$T/hello.tar:other:1" >/dev/null 2>&1 && die "unknown tag accepted"
assert_eq "$(jq -r '.Labels["org.example.test"]' <<<"$dinfo")" "foundation" "docker-archive label"
skopeo copy -q "docker-archive:$T/hello.tar" "oci:$T/from-archive:x" \
  || die "skopeo copy docker-archive->oci failed"
# The layer must be our layer: skopeo recompresses, so compare diff_ids.
ours=$(skopeo inspect --config "oci:$T/oci:hello:1" | jq -c .rootfs.diff_ids)
theirs=$(skopeo inspect --config "oci:$T/from-archive:x" | jq -c .rootfs.diff_ids)
assert_eq "$theirs" "$ours" "diff_ids after docker-archive round trip"

run_image() {  # run_image LAYOUT:TAG NAME -> program output
  local image=$1 name=$2 id
  umoci unpack --image "$image" "$T/bundle-$name" >/dev/null || die "umoci unpack $image failed"
  jq '.process.terminal = false' "$T/bundle-$name/config.json" >"$T/cfg.json"
  mv "$T/cfg.json" "$T/bundle-$name/config.json"
  id="distill-e2e-$$-$name"
  on_exit "runc delete -f '$id' >/dev/null 2>&1"
  (cd "$T/bundle-$name" && timeout 20 runc run "$id" </dev/null) || die "runc run $name failed"
}

log "umoci unpack + runc run (OCI layout built by distill)"
out=$(run_image "$T/oci:hello:1" direct)
assert_eq "$out" "hello uid=65532 gid=65532 cwd=/home/nonroot arg=from-cmd" "program output"
# umoci saw our ownership and modes.
[[ $(stat -c %a "$T/bundle-direct/rootfs/home/nonroot") == 700 ]] || die "home mode not 0700"
[[ $(stat -c %u "$T/bundle-direct/rootfs/home/nonroot") == 65532 ]] || die "home not owned by 65532"
[[ $(stat -c %a "$T/bundle-direct/rootfs/tmp") == 1777 ]] || die "/tmp is not 1777"
cmp "$T/hello" "$T/bundle-direct/rootfs/usr/bin/hello" || die "program bytes differ in the image"

log "umoci unpack + runc run (via distill docker-archive -> skopeo -> oci)"
out=$(run_image "$T/from-archive:x" archive)
assert_eq "$out" "hello uid=65532 gid=65532 cwd=/home/nonroot arg=from-cmd" "output via archive"
echo "PASS"
