#!/usr/bin/env bash
# Build-time checks (issue 18 item 6): a config.user missing from the
# image's /etc/passwd, an entrypoint that is not in the image and a #! script
# whose interpreter is not in the image each fail the build with one line
# naming the definition's file:line, leaving no output; checks: {NAME: false}
# turns each off and the same build passes.
. "$(dirname "$0")/lib.sh"
need jq dpkg-deb gpg
make_tmpdir T
make_repo "$T/fx"
start_http "$T/fx/repo"
export XDG_CACHE_HOME="$T/cache"

def() {
  cat >"$1" <<YAML
name: checks-test
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [stable], keyring: "$T/fx/keyring.gpg"}
architectures: [amd64]
packages: [hello]
files:
  - {dest: /app/run.sh, content: "#!/bin/sh\necho hi\n", mode: "0755"}
YAML
  printf '%s\n' "$2" >>"$1"
}

# trips NAME CONFIG MESSAGE: the build fails with exactly MESSAGE (at line
# 9, where CONFIG's key is) and writes nothing; with the check off it passes.
trips() {
  local name=$1 config=$2 message=$3 err
  def "$T/$name.yaml" "config:
$config"
  expect_fail err "$DISTILL" build "$T/$name.yaml" -o "$T/out/$name"
  assert_eq "$err" "distill: error: $T/$name.yaml:9: $message; checks: {$4: false} turns this check off" "$name"
  [[ ! -e $T/out/$name ]] || die "$name: a failed check wrote its output"
  def "$T/$name-off.yaml" "checks: {$4: false}
config:
$config"
  "$DISTILL" -q build "$T/$name-off.yaml" -o "$T/out/$name-off" >/dev/null
  assert_file "$T/out/$name-off/index.json"
}

log "user: bob is not in /etc/passwd"
trips user "  user: bob" \
  "config.user 'bob' has no entry in the image's /etc/passwd, so the container cannot start (add it to users:, or use a numeric uid)" user
log "a group that is not in /etc/group"
trips group '  user: "0:staff"' \
  "config.user's group 'staff' has no entry in the image's /etc/group (add it to groups:, or use a numeric gid)" user
log "an entrypoint that does not exist"
trips missing "  entrypoint: [/app/server]" "config.entrypoint program '/app/server' is not in the image" entrypoint
log "cmd is checked when there is no entrypoint"
trips cmd "  cmd: [server, --port, 80]" "config.cmd program 'server' is not in the image" entrypoint
log "a #!/bin/sh script in an image without a shell"
trips script "  entrypoint: [/app/run.sh]" \
  "config.entrypoint program '/app/run.sh' is a script for /bin/sh, which is not in the image" entrypoint
log "a file that is not executable"
trips noexec "  entrypoint: [/usr/share/doc/hello/README]" \
  "config.entrypoint program '/usr/share/doc/hello/README' is not executable (mode 0644)" entrypoint
log "a workdir that is a file"
trips workdir "  workdir: /app/run.sh" "config.workdir '/app/run.sh' is a file in the image, not a directory" workdir

log "what passes: numeric ids, a missing workdir (the runtime creates it), an existing program"
def "$T/ok.yaml" '  - {dest: /bin/sh, content: "shell\n", mode: "0755"}
config:
  user: "1000:1000"
  workdir: /srv/data
  entrypoint: [/app/run.sh]'
"$DISTILL" -q build "$T/ok.yaml" -o "$T/out/ok" >/dev/null
assert_file "$T/out/ok/index.json"
echo PASS
