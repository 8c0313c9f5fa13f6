#!/usr/bin/env bash
# distill deps against the signed bookworm fixture (real packages, with a
# Contents index): the base and extra packages it picks for programs
# compiled here, agreement with dpkg-shlibdeps on the package names, its
# one-line errors, and "will it run" on an image made to lack a library.
. "$(dirname "$0")/lib.sh"
need gcc g++ jq dpkg-shlibdeps
make_tmpdir T
serve_family_fixture
export XDG_CACHE_HOME="$T/cache"

# The family, pointed at the fixture: DISTILL_IMAGES is searched first.
family_defs "$FAM/keyring.gpg" static base-nossl base cc

cd "$T"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >hello.c
printf '#include <openssl/ssl.h>\nint main(void) { return SSL_library_init() != 1; }\n' >ssl.c
printf '#include <iostream>\nint main() { try { throw 1; } catch (int) { std::cout << "x"; } }\n' >cxx.cpp
printf '#include <sqlite3.h>\n#include <zlib.h>\nint main(void) { return sqlite3_libversion_number() < 0 || !zlibVersion(); }\n' >sq.c
gcc -o hello hello.c
gcc -o ssl ssl.c -lssl -lcrypto
g++ -o cxx cxx.cpp
gcc -o sq sq.c -lsqlite3 -lz

# dpkg-shlibdeps' package names for a program (it needs a debian/control).
mkdir -p debian
printf 'Source: t\n\nPackage: t\nArchitecture: any\n' >debian/control
shlibdeps() {
  dpkg-shlibdeps -O "$1" 2>/dev/null | sed 's/^shlibs:Depends=//' | tr ',' '\n' |
    sed 's/ *(.*//; s/^ *//' | sort -u | tr '\n' ' '
}

check() { # PROGRAM BASE "EXTRA PACKAGES"
  local j
  j=$("$DISTILL" deps "./$1" --release debian12 --json)
  assert_eq "$(jq -r .base <<<"$j")" "$2" "$1: base"
  assert_eq "$(jq -r '[.packages[].name] | join(" ")' <<<"$j")" "$3" "$1: extra packages"
  assert_eq "$(jq -r '.needs | join(" ")' <<<"$j") " "$(shlibdeps "$1")" "$1: dpkg-shlibdeps"
}
log "base and packages per program, as dpkg-shlibdeps names them"
check hello base-nossl-debian12 ""
check ssl base-debian12 ""
check cxx cc-debian12 ""
check sq base-nossl-debian12 "libsqlite3-0 zlib1g"
out=$("$DISTILL" deps ./sq --release debian12)
assert_contains "$out" "libsqlite3-0 3."
assert_contains "$out" "/app/sq needs libsqlite3.so.0 (found /usr/lib/x86_64-linux-gnu/libsqlite3.so.0 in libsqlite3-0)"

log "one-line errors"
echo "just text" >notes.txt
expect_fail out "$DISTILL" deps ./notes.txt --release debian12
assert_eq "$(tail -n1 <<<"$out")" "distill: error: ./notes.txt: not an ELF file and not a recognised script"
cp hello arm && printf '\xb7\x00' | dd of=arm bs=1 seek=18 conv=notrunc 2>/dev/null
expect_fail out "$DISTILL" deps ./arm --release debian12
assert_eq "$(tail -n1 <<<"$out")" "distill: error: ./arm: ELF for aarch64 (64-bit), not amd64"
printf 'int nope(void) { return 0; }\n' >nope.c
gcc -shared -fPIC -Wl,-soname,libnope.so.1 -o libnope.so nope.c
printf 'int nope(void);\nint main(void) { return nope(); }\n' >usenope.c
gcc -o usenope usenope.c -L. -lnope
expect_fail out "$DISTILL" deps ./usenope --release debian12
assert_eq "$(tail -n1 <<<"$out")" "distill: error: /app/usenope needs libnope.so.1, which no debian12 package provides"
# A symbol version the release lacks: tests/e2e/app_auto_debian13.sh (it
# names every release's version, so it needs the Debian 13 fixture too).

log "will it run: an image lacking libsqlite3"
cat >"$T/defs/app.yaml" <<YAML
from: $T/defs/base-nossl-debian12.yaml
files:
  - {dest: /app/sq, src: $T/sq, mode: 0755}
YAML
"$DISTILL" build "$T/defs/base-nossl-debian12.yaml" -o "$T/img" -t base >/dev/null
"$DISTILL" build "$T/defs/app.yaml" -o "$T/img" -t app >/dev/null
out=$("$DISTILL" deps "oci:$T/img:base")
assert_contains "$out" "every ELF file's needs are met"
expect_fail out "$DISTILL" deps "oci:$T/img:app"
assert_contains "$out" "/app/sq: needs libsqlite3.so.0, which the image does not have"
assert_contains "$out" "/app/sq: needs libz.so.1, which the image does not have"
# inspect warns of the same, one warning per file and library.
warnings() { "$DISTILL" inspect --json "$1" | jq -r '.warnings[] | select(.code | startswith("missing-")) | "\(.code): \(.message) \(.paths)"'; }
assert_eq "$(warnings "oci:$T/img:app")" 'missing-library: /app/sq: needs libsqlite3.so.0, which the image does not have ["/app/sq"]
missing-library: /app/sq: needs libz.so.1, which the image does not have ["/app/sq"]' "inspect's warnings"
assert_eq "$(warnings "oci:$T/img:base")" "" "inspect's warnings on the base"
assert_contains "$("$DISTILL" inspect "oci:$T/img:app")" \
  "  missing-library: /app/sq: needs libsqlite3.so.0, which the image does not have" "inspect's text"
echo "PASS"
