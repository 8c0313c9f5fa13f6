#!/bin/bash
# Issue 18: Ctrl-C (SIGINT) or SIGTERM in the middle of a build removes the
# temporary output beside -o (the hidden staging directory and its locked
# temp files) and exits with 130 / 143; the previous output stays intact.
# The build is the cc image from a local repository of real packages, so
# there is time to interrupt it while it downloads and while it writes layers.
. "$(dirname "$0")/lib.sh"
need jq
make_tmpdir T
cd "$T"
serve_family_fixture

cat >cc.yaml <<YAML
from: $DISTILL_SRC/images/cc-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
printf 'files:\n  - {dest: /etc/old, content: "previous\\n"}\n' >old.yaml
mkdir out
old_digest=$("$DISTILL" -q build old.yaml -o out/img)
"$DISTILL" -q build old.yaml --format docker-archive -o out/img.tar >/dev/null

# snapshot: everything in out/ (hidden entries included) with content digests.
snapshot() { (cd out && find . -printf '%P %y %m\n' -type f -exec sha256sum {} + | sort); }
before=$(snapshot)

# interrupt SIG WANT_RC GLOB ARGS...: starts `build cc.yaml ARGS`, waits until
# a path matching GLOB (relative to out/) exists, sends SIG, and checks the
# exit status, the one-line message, and that out/ is exactly as before.
interrupt() {
  local sig=$1 want=$2 glob=$3 pid rc i
  shift 3
  # Warm downloads and indices, but no finished layers: the layer cache
  # would serve every layer before the signal could find one being written.
  rm -rf "$T/cache/layers"
  # Job control: a script's background job would otherwise inherit SIGINT
  # as ignored (and distill keeps an ignored signal ignored).
  set -m
  "$DISTILL" -q build cc.yaml "$@" 2>"$T/err" >/dev/null &
  pid=$!
  set +m
  for ((i = 0; i < 1200; i++)); do
    compgen -G "out/$glob" >/dev/null && break
    kill -0 "$pid" 2>/dev/null || die "$sig: the build ended before reaching out/$glob: $(cat "$T/err")"
    sleep 0.05
  done
  compgen -G "out/$glob" >/dev/null || die "$sig: out/$glob never appeared"
  log "$sig while $(compgen -G "out/$glob" | head -1) exists"
  kill "-$sig" "$pid"
  set +e
  wait "$pid"
  rc=$?
  set -e
  assert_eq "$rc" "$want" "exit status after $sig"
  assert_eq "$(snapshot)" "$before" "out/ after $sig (no temp leftovers, old outputs intact)"
  assert_eq "$(cat "$T/err")" "distill: interrupted by SIG$sig; temporary files removed" "message after $sig"
}

log "SIGINT while the packages download (cold cache): the build's work dir beside -o goes"
interrupt INT 130 '.distill-build.tmp-*' -o out/img --cache-dir "$T/cache-int"

log "SIGINT while layers are written (warm cache)"
"$DISTILL" -q build cc.yaml -o "$T/warm" --cache-dir "$T/cache" >/dev/null
interrupt INT 130 '.distill-build.tmp-*/.layer-*' -o out/img --cache-dir "$T/cache"
interrupt INT 130 '.distill-build.tmp-*/sha256-*' -o out/img --cache-dir "$T/cache" -j 1

log "SIGTERM in a docker-archive build: its work dir and staged file go"
interrupt TERM 143 '.distill-build.tmp-*/.layer-*' --format docker-archive -o out/img.tar --cache-dir "$T/cache"

log "a SIGINT the caller ignores (nohup, a script's cmd &) stays ignored: the build completes"
mkdir ign
"$DISTILL" -q build cc.yaml -o ign/img --cache-dir "$T/cache" >"$T/ign.out" 2>"$T/err" &
pid=$!
until compgen -G 'ign/.distill-build.tmp-*/.layer-*' >/dev/null; do
  kill -0 "$pid" 2>/dev/null || die "the build ended before writing a layer: $(cat "$T/err")"
  sleep 0.05
done
kill -INT "$pid" || die "the build was gone before SIGINT"
wait "$pid" || die "a build with SIGINT ignored failed: $(cat "$T/err")"
assert_eq "$(jq -r '.manifests[0].digest' ign/img/index.json)" "$(cat "$T/ign.out")" "digest of the completed build"

log "the layout still reads, and a build after the interrupts succeeds"
assert_eq "$(jq -r '.manifests[0].digest' out/img/index.json)" "$old_digest" "old image"
"$DISTILL" inspect oci:out/img:latest >/dev/null
new=$("$DISTILL" -q build cc.yaml -o out/img --cache-dir "$T/cache")
assert_eq "$(jq -r '.manifests[0].digest' out/img/index.json)" "$new" "image after a full build"
compgen -G "out/.*tmp-*" >/dev/null && die "temp entries left: $(ls -A out)"
echo "PASS"
