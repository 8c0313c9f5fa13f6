#!/bin/bash
# Issue 2: `distill --help` and per-command help read like a man page.
. "$(dirname "$0")/lib.sh"

main=$("$DISTILL" --help) || die "distill --help failed"
for section in EXAMPLES "EXIT STATUS" "IMAGE REFERENCES" ENVIRONMENT; do
  grep -q "^$section\$" <<<"$main" || die "distill --help lacks a $section section: $main"
done
assert_contains "$main" "build" "distill --help subcommands"

build=$("$DISTILL" build --help) || die "distill build --help failed"
for section in EXAMPLES "EXIT STATUS"; do
  grep -q "^$section\$" <<<"$build" || die "distill build --help lacks $section: $build"
done
for flag in --output --format --tag --source-date-epoch --compression; do
  assert_contains "$build" "$flag" "distill build --help"
done
assert_contains "$build" "distill build " "build examples"
# Help goes to stdout with exit 0; an unknown command is a usage error (2).
set +e
"$DISTILL" no-such-command >/dev/null 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "exit status of an unknown command"
echo "PASS"
