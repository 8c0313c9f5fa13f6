#!/bin/bash
# Issue 18: mistyped commands, flags and image names get a "did you mean";
# `distill help [CMD]` prints what `distill [CMD] --help` prints.
. "$(dirname "$0")/lib.sh"
make_tmpdir T
cd "$T"

# usage WANT_RC WANT_FIRST_LINE ARGS...: runs distill ARGS, checks the exit
# status and the first line of stderr, and that stdout is empty.
usage() {
  local want_rc=$1 want=$2 rc
  shift 2
  set +e
  "$DISTILL" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  set -e
  assert_eq "$rc" "$want_rc" "exit status of distill $*"
  assert_eq "$(head -1 "$T/err")" "$want" "message of distill $*"
  assert_eq "$(cat "$T/out")" "" "stdout of distill $*"
}

log "commands"
usage 2 "distill: unknown command 'buidl'; did you mean 'build'?" buidl static -o x
usage 2 "distill: unknown command 'inspcet'; did you mean 'inspect'?" -q inspcet x
usage 2 "distill: unknown command 'xyzzy'" xyzzy
[[ ! -e x ]] || die "a mistyped command wrote something"

log "flags, against the command's own and the global ones"
usage 2 "distill: unknown option '--fromat' for 'distill build'; did you mean '--format'?" \
  build static -o x --fromat oci
usage 2 "distill: unknown option '--jsno' for 'distill inspect'; did you mean '--json'?" \
  inspect --jsno x
usage 2 "distill: unknown option '--verbsoe' for 'distill diff'; did you mean '--verbose'?" \
  diff a b --verbsoe
usage 2 "distill: unknown option '--frobnicate' for 'distill copy'" copy a b --frobnicate=1

log "image names"
usage 1 "distill: error: unknown image 'statc'; did you mean 'static'? (\`distill images\` lists them; a path to a .yaml file also works)" \
  build statc -o x
usage 1 "distill: error: unknown image 'bsae'; did you mean 'base'? (\`distill images\` lists them; a path to a .yaml file also works)" \
  build bsae:nonroot -o x
usage 1 "distill: error: unknown image 'nothing-like-it' (\`distill images\` lists them; a path to a .yaml file also works)" \
  build nothing-like-it -o x

log "distill help [CMD]"
main=$("$DISTILL" --help)
assert_eq "$("$DISTILL" help)" "$main" "distill help"
assert_contains "$main" "distill help build"
for cmd in build images copy inspect diff extract lock; do
  want=$("$DISTILL" "$cmd" --help)
  assert_eq "$("$DISTILL" help "$cmd")" "$want" "distill help $cmd"
  assert_eq "$("$DISTILL" -q help "$cmd")" "$want" "distill -q help $cmd"
done
usage 2 "distill: unknown command 'buidl'; did you mean 'build'?" help buidl
echo "PASS"
