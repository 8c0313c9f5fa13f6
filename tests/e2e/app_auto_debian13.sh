#!/usr/bin/env bash
# The ELF analysis on Debian 13 (the newest release, --from auto's default)
# against the signed trixie fixture, whose suites publish no Contents: a
# library outside the family is then found in the file list of the package
# Debian's policy names for its soname. An OpenSSL client -> base-debian13;
# libsqlite3 + libz -> base-debian13 (whose libssl3t64 brings zlib1g) plus
# exactly libsqlite3-0; both run under runc. With the bookworm fixture as
# debian12 beside it, a symbol version one release lacks names the version
# every release has.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"
mkdir -p "$T/defs"
for name in static base-nossl base cc; do
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$name-debian13.yaml" "$D13_REPO" \
    >"$T/defs/$name-debian13.yaml"
done
# debian12 from the bookworm fixture (this machine's packages).
FAM="${DISTILL_BUILD:-$T}/test-fixtures/family"
bash "$FIXTURES/make-family-repo.sh" "$FAM"
start_http "$FAM/repo"
for name in static base-nossl base cc; do
  printf 'from: %s\nrepositories: [{uri: "http://127.0.0.1:%s", suites: [bookworm], keyring: "%s"}]\n' \
    "$DISTILL_SRC/images/$name-debian12.yaml" "$HTTP_PORT" "$FAM/keyring.gpg" >"$T/defs/$name-debian12.yaml"
done
export DISTILL_IMAGES="$T/defs"
cd "$T"
build() { # TAG ARGS...: --from auto (default release) into $T/img:TAG, stderr in TAG.log
  local tag=$1
  shift
  "$DISTILL" build --from auto --arch amd64 "$@" -o "$T/img" -t "$tag" 2>"$tag.log" >/dev/null ||
    die "build $tag failed: $(cat "$tag.log")"
}
choice() { grep -F -- "--from auto: " "$1.log" | grep -F " is an ELF file: " || true; }
added() { # TAG BASE: packages beyond the family image BASE
  "$DISTILL" build "$2" --arch amd64 -o "$T/bases" -t "$2" >/dev/null 2>&1
  "$DISTILL" diff "oci:$T/bases:$2" "oci:$T/img:$1" --json |
    jq -r '([.packages.added[].name] | join(" ")) + (if (.packages.removed | length) > 0 then " (and removed)" else "" end)'
}

log "an OpenSSL client on Debian 13: base-debian13"
printf '#include <stdio.h>\n#include <openssl/crypto.h>\nint main(void) { printf("%%s\\n", OpenSSL_version_num() >> 28 == 3 ? "openssl 3" : "?"); return 0; }\n' >ssl.c
gcc -O2 -o ssl ssl.c -lcrypto
build ssl --app "$T/ssl"
assert_eq "$(choice ssl)" "--from auto: $T/ssl is an ELF file: base-debian13, nothing added" "choice"
assert_eq "$(added ssl base-debian13)" "" "packages added"
assert_eq "$(run_image "$T/img" ssl)" "openssl 3" "output"

log "libsqlite3 and libz on Debian 13: base-debian13 plus exactly libsqlite3-0"
printf '#include <stdio.h>\n#include <sqlite3.h>\n#include <zlib.h>\nint main(void) { printf("sqlite %%d zlib %%c\\n", sqlite3_libversion_number() / 1000000, zlibVersion()[0]); return 0; }\n' >sq.c
gcc -O2 -o sq sq.c -lsqlite3 -lz
build sq --app "$T/sq" --explain
assert_eq "$(choice sq)" "--from auto: $T/sq is an ELF file: base-debian13 + libsqlite3-0" "choice"
assert_eq "$(added sq base-debian13)" "libsqlite3-0" "packages added"
assert_contains "$(cat sq.log)" "--from auto: /app/sq needs libsqlite3.so.0 (in the file list of libsqlite3-0); added" "explain"
assert_eq "$(run_image "$T/img" sq)" "sqlite 3 zlib 1" "output"
log "a symbol version a release lacks: the error names what each release has"
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >hello.c
gcc -O2 -o hello hello.c
# hello's version need from libc (GLIBC_2.34, __libc_start_main) renamed in
# its string table (the hash is left: distill, as the error, goes by name):
# GLIBC_2.38 is glibc 2.38's, which Debian 13 has and Debian 12 does not.
LC_ALL=C perl -pe 's/GLIBC_2\.34/GLIBC_2.38/g' hello >new38 && chmod +x new38
expect_fail out "$DISTILL" build --from auto --release debian12 --app "$T/new38" --arch amd64 -o "$T/x"
assert_eq "$(tail -n1 <<<"$out")" "distill: error: /app/new38 needs GLIBC_2.38; debian12 has glibc 2.36, debian13 has 2.41"
assert_eq "$("$DISTILL" deps ./new38 --arch amd64 --json | jq -r .base)" "base-nossl-debian13" "debian13 serves GLIBC_2.38"
LC_ALL=C perl -pe 's/GLIBC_2\.34/GLIBC_2.99/g' hello >new99 && chmod +x new99
expect_fail out "$DISTILL" deps ./new99 --arch amd64
assert_eq "$(tail -n1 <<<"$out")" "distill: error: /app/new99 needs GLIBC_2.99; debian13 has glibc 2.41, debian12 has 2.36"
log "ok ($SECONDS s)"
