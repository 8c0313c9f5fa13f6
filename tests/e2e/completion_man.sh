#!/usr/bin/env bash
# Shell completion and the man page (issue 18): generated from distill's own
# help at build time and put by `cmake --install` under share/; the bash
# script loads in bash and completes `distill bu` to build (and options of
# a command), zsh parses its script, and `man -l` renders the page.
. "$(dirname "$0")/lib.sh"
need man bash
make_tmpdir T
[[ -n ${DISTILL_BUILD:-} ]] || skip "DISTILL_BUILD (the build tree) is not set"

log "cmake --install puts them under share/"
cmake --install "$DISTILL_BUILD" --prefix "$T/p" >"$T/install.log" || die "install: $(cat "$T/install.log")"
BASH_C="$T/p/share/bash-completion/completions/distill"
ZSH_C="$T/p/share/zsh/site-functions/_distill"
MAN="$T/p/share/man/man1/distill.1"
for f in "$BASH_C" "$ZSH_C" "$MAN"; do assert_file "$f"; done
cmp "$BASH_C" <("$DISTILL" completion bash) || die "installed bash completion is stale"
cmp "$MAN" <("$DISTILL" man) || die "installed man page is stale"

log "bash: distill bu<TAB> -> build; options of a command; help CMD"
complete_words() {
  # COMP_WORDS as bash would split the line; prints COMPREPLY, one a line.
  bash --norc --noprofile -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _distill; printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_C" "$@"
}
assert_eq "$(complete_words distill bu)" build "distill bu"
assert_eq "$(complete_words distill -q dig)" digest "after a global flag"
got=$(complete_words distill build --form)
assert_eq "$got" --format "distill build --form"
got=$(complete_words distill gc --)
assert_contains "$got" --dry-run "gc options"
assert_eq "$(complete_words distill help man)" $'manifest\nman' "help CMD"
bash --norc --noprofile -c ". '$BASH_C'; complete -p distill" | grep -q -- "-F _distill distill" \
  || die "the bash script registers no completion"

if command -v zsh >/dev/null; then
  log "zsh parses its script"
  zsh -n "$ZSH_C" || die "zsh script does not parse"
fi
grep -q "^'build:Build an image" "$ZSH_C" || grep -q "'build:Build an image" "$ZSH_C" \
  || die "zsh script lacks the build command"

log "man -l renders the page"
out=$(MANWIDTH=100 man -l "$MAN" 2>"$T/man.err") || die "man -l failed: $(cat "$T/man.err")"
assert_contains "$out" "distill - build distroless container images" "NAME section"
for c in build copy inspect ls manifest config digest gc; do
  grep -qE "^ {2,}$c\$" <<<"$out" || die "man page has no $c section"
done
assert_contains "$out" "--platform" "options in the page"
[[ ! -s $T/man.err ]] || die "man warned: $(cat "$T/man.err")"
echo PASS
