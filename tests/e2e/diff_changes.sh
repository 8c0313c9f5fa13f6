#!/bin/bash
# Issue 18: `distill diff` reports every kind of change (content, mode, owner,
# mtime, link target, packages, config) and exits as diff(1) does: 0 for the
# same image, 1 for different ones, 2 on error; --quiet prints nothing.
# The changed images are made by umoci (unpack, change, repack) from a small
# image distill built.
. "$(dirname "$0")/lib.sh"
need umoci jq
make_tmpdir T
cd "$T"

cat >img.yaml <<'EOF'
files:
  - {dest: /etc/app.conf, content: "port=8080\n"}
  - {dest: /usr/bin/tool, content: "#!/bin/true\n", mode: "0755"}
  - {dest: /var/lib/dpkg/status.d/hello, content: "Package: hello\nVersion: 1.0-1\nArchitecture: all\n"}
  - {dest: /var/lib/dpkg/status.d/gone, content: "Package: gone\nVersion: 3\nArchitecture: all\n"}
symlinks: [{path: /usr/bin/t, target: tool}]
EOF
"$DISTILL" -q build img.yaml -o a >/dev/null
"$DISTILL" -q build img.yaml -o a2 >/dev/null
"$DISTILL" -q build img.yaml --format docker-archive -o a.tar >/dev/null

# rc CMD...: runs CMD, prints its exit status (stdout and stderr to files).
rc() {
  set +e
  "$@" >"$T/out" 2>"$T/err"
  echo $?
  set -e
}

log "identical images: exit 0, and no output with --quiet"
assert_eq "$(rc "$DISTILL" diff oci:a:latest oci:a2:latest)" 0 "exit status for identical images"
assert_contains "$(cat out)" "(identical manifests)"
assert_eq "$(rc "$DISTILL" diff --quiet oci:a:latest oci:a2:latest)" 0 "--quiet, identical"
assert_eq "$(cat out err)" "" "--quiet output"
# The same image as a docker-archive: other manifest, same content.
assert_eq "$(rc "$DISTILL" diff oci:a:latest docker-archive:a.tar)" 0 "exit status, same content"
assert_contains "$(cat out)" "(same files, packages and config; the manifests differ only in how layers are stored)"

# variant TAG CMD...: unpacks a:latest, runs CMD (a string) in the rootfs, repacks as TAG.
cp -a a L
variant() {
  local tag=$1
  rm -rf bundle
  umoci unpack --image L:latest bundle >/dev/null
  (cd bundle/rootfs && eval "$2")
  umoci repack --no-history --image "L:$tag" bundle 2>>umoci.log
  # The same creation time for every variant, so only the change shows.
  umoci config --no-history --image "L:$tag" --tag "$tag" --created 1970-01-01T00:00:00Z 2>>umoci.log
}
# base: repacked by umoci without a change. distill's config already has the
# epoch as created and a history entry per layer, so the content is the same.
variant base true
assert_eq "$(rc "$DISTILL" diff oci:a:latest oci:L:base)" 0 "exit status, repacked unchanged"
assert_contains "$(cat out)" "(same files, packages and config"
# Only the creation time differs: exit 1, the field is named.
umoci config --no-history --image L:base --tag when --created 2000-01-01T00:00:00Z 2>>umoci.log
assert_eq "$(rc "$DISTILL" diff oci:L:base oci:L:when)" 1 "exit status, only created differs"
assert_contains "$(cat out)" 'created: "1970-01-01T00:00:00Z" -> "2000-01-01T00:00:00Z"'
assert_contains "$(cat out)" "Files: 0 added, 0 removed, 0 changed"
# files_section TAG: the "Files:" section of `diff base TAG`; checks the exit status is 1.
files_section() {
  assert_eq "$(rc "$DISTILL" diff oci:L:base "oci:L:$1")" 1 "exit status for $1"
  sed -n '/^Files:/,$p' out
}

log "only an mtime differs (the digests differ): exit 1, the file is listed"
variant mtime 'touch -h -d @1700000000 etc/app.conf'
assert_eq "$(files_section mtime)" "Files: 0 added, 0 removed, 1 changed
  ~ /etc/app.conf  (mtime 1970-01-01T00:00:00Z -> 2023-11-14T22:13:20Z)" "mtime change"
assert_contains "$(cat out)" "(1 difference)"
assert_eq "$(rc "$DISTILL" diff -q oci:L:base oci:L:mtime)" 1 "--quiet, different"
assert_eq "$(cat out err)" "" "--quiet output when different"
"$DISTILL" diff --json oci:L:base oci:L:mtime >d.json || [[ $? == 1 ]] || die "diff --json failed"
assert_eq "$(jq -c '[.differences, .identical, .files.changed[0].changes, .files.changed[0].b.mtime]' d.json)" \
  '[1,false,["mtime"],1700000000]' "JSON of an mtime change"

log "mode, owner and link target"
variant meta 'chmod 0700 usr/bin/tool; chown -h 1000:1001 etc/app.conf; touch -h -d @0 etc/app.conf
ln -sfn /bin/other usr/bin/t; touch -h -d @0 usr/bin/t usr/bin'
assert_eq "$(files_section meta)" "Files: 0 added, 0 removed, 3 changed
  ~ /etc/app.conf  (owner 0:0 -> 1000:1001)
  ~ /usr/bin/t  (link tool -> /bin/other)
  ~ /usr/bin/tool  (mode 0755 -> 0700)" "metadata changes"

log "content: same size (by digest) and another size"
variant content 'printf "port=9090\n" >etc/app.conf; printf "#!/bin/false\n" >usr/bin/tool
touch -h -d @0 etc/app.conf usr/bin/tool'
conf_a=$(printf 'port=8080\n' | sha256sum | cut -c1-12)
conf_b=$(printf 'port=9090\n' | sha256sum | cut -c1-12)
assert_eq "$(files_section content)" "Files: 0 added, 0 removed, 2 changed
  ~ /etc/app.conf  (content sha256:$conf_a -> sha256:$conf_b (same size))
  ~ /usr/bin/tool  (content 12 B -> 13 B)" "content changes"

log "packages: status.d records added, removed, upgraded"
variant pkgs 'printf "Package: hello\nVersion: 1.0-2\nArchitecture: all\n" >var/lib/dpkg/status.d/hello
printf "Package: extra\nVersion: 0.1\nArchitecture: all\n" >var/lib/dpkg/status.d/extra
rm var/lib/dpkg/status.d/gone'
[[ $(rc "$DISTILL" diff oci:L:base oci:L:pkgs) == 1 ]] || die "exit status for packages: $(cat err)"
assert_eq "$(sed -n '/^Packages:/,/^$/p' out)" "Packages: 1 added, 1 removed, 1 upgraded, 0 downgraded
  + extra 0.1
  - gone 3
  ^ hello 1.0-1 -> 1.0-2" "package changes"

log "config: user, env, entrypoint, cmd, workdir, labels, exposed ports"
umoci config --no-history --image L:base --tag cfg \
  --config.user 1000 --config.env FOO=1 --config.entrypoint /usr/bin/tool --config.cmd serve \
  --config.workingdir /srv --config.label org.example.a=b --config.exposedports 8080/tcp
assert_eq "$(rc "$DISTILL" diff oci:L:base oci:L:cfg)" 1 "exit status for config"
assert_eq "$(sed -n '/^Config:/,/^$/p' out)" 'Config: 7 changed
  cmd: [] -> ["serve"]
  entrypoint: [] -> ["/usr/bin/tool"]
  env: + "FOO=1"
  exposed_ports: + "8080/tcp"
  labels: + org.example.a="b"
  user: "" -> "1000"
  workdir: "" -> "/srv"' "config changes"
assert_contains "$(cat out)" "Files: 0 added, 0 removed, 0 changed"

log "errors exit 2, as diff(1)"
assert_eq "$(rc "$DISTILL" diff oci:a:latest oci:no-such-dir:latest)" 2 "exit status of an error"
assert_contains "$(cat err)" "distill: error: "
assert_eq "$(rc "$DISTILL" diff -q oci:a:latest)" 2 "exit status of a usage error"
echo "PASS"
