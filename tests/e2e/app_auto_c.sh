#!/usr/bin/env bash
# build --from auto for C programs compiled here, against the signed
# bookworm fixture (this machine's own packages, with a Contents index):
# each image is unpacked with umoci and run with runc, and each test asserts
# the base --from auto chose and the exact packages it added (distill diff
# against the family image): libc only -> base-nossl; OpenSSL -> base;
# libsqlite3 and libz -> base-nossl + libsqlite3-0, zlib1g; a bundled .so
# found through RUNPATH $ORIGIN/../lib -> base-nossl, nothing added.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
. "$(dirname "$0")/app_auto_lib.sh"
cd "$T"

log "a C program using only libc: base-nossl"
printf '#include <stdio.h>\nint main(void) { printf("hello %%d\\n", 42); return 0; }\n' >hello.c
gcc -O2 -o hello hello.c
auto_build hello --app "$T/hello"
assert_eq "$(choice hello)" "--from auto: $T/hello is an ELF file: base-nossl-debian12, nothing added" "choice"
assert_eq "$(added hello base-nossl-debian12)" "" "packages added"
assert_eq "$(run_image "$T/img" hello)" "hello 42" "output"

log "an OpenSSL client: base"
cat >ssl.c <<'C'
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
int main(void) {
  unsigned char md[32]; unsigned int n = 0;
  EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL);
  printf("%s sha256(abc)=", OpenSSL_version(OPENSSL_VERSION) ? "openssl" : "?");
  for (unsigned i = 0; i < n; i++) printf("%02x", md[i]);
  printf("\n");
  return 0;
}
C
gcc -O2 -o ssl ssl.c -lcrypto
auto_build ssl --app "$T/ssl:/usr/local/bin/"
assert_eq "$(choice ssl)" "--from auto: $T/ssl:/usr/local/bin/ is an ELF file: base-debian12, nothing added" "choice"
assert_eq "$(added ssl base-debian12)" "" "packages added"
assert_eq "$(run_image "$T/img" ssl)" \
  "openssl sha256(abc)=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" "output"

log "libsqlite3 and libz: base-nossl plus exactly libsqlite3-0 and zlib1g"
cat >sq.c <<'C'
#include <stdio.h>
#include <sqlite3.h>
#include <zlib.h>
int main(void) {
  sqlite3 *db; sqlite3_stmt *st;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  sqlite3_prepare_v2(db, "select 6*7", -1, &st, NULL);
  sqlite3_step(st);
  printf("sqlite %d zlib %s\n", sqlite3_column_int(st, 0), zlibVersion()[0] == '1' ? "1.x" : "?");
  sqlite3_finalize(st);
  return sqlite3_close(db);
}
C
gcc -O2 -o sq sq.c -lsqlite3 -lz
auto_build sq --app "$T/sq" --explain
assert_eq "$(choice sq)" "--from auto: $T/sq is an ELF file: base-nossl-debian12 + libsqlite3-0, zlib1g" "choice"
assert_eq "$(added sq base-nossl-debian12)" "libsqlite3-0 zlib1g" "packages added"
assert_contains "$(cat sq.log)" \
  "--from auto: /app/sq needs libz.so.1 (found /lib/x86_64-linux-gnu/libz.so.1 in zlib1g); added" "explain"
assert_eq "$(run_image "$T/img" sq)" "sqlite 42 zlib 1.x" "output"

log "a bundled .so found through RUNPATH \$ORIGIN/../lib: base-nossl, nothing added"
mkdir -p dist/bin dist/lib
printf 'const char *greet(void) { return "hello from libgreet"; }\n' >greet.c
gcc -O2 -shared -fPIC -Wl,-soname,libgreet.so.1 -o dist/lib/libgreet.so.1 greet.c
printf '#include <stdio.h>\nconst char *greet(void);\nint main(void) { puts(greet()); return 0; }\n' >main.c
gcc -O2 -o dist/bin/greeter main.c dist/lib/libgreet.so.1 -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib'
auto_build greeter --app "$T/dist:/opt/greeter" --entrypoint /opt/greeter/bin/greeter
assert_eq "$(choice greeter)" "--from auto: /opt/greeter/bin/greeter is an ELF file: base-nossl-debian12, nothing added" "choice"
assert_eq "$(added greeter base-nossl-debian12)" "" "packages added"
assert_eq "$(run_image "$T/img" greeter)" "hello from libgreet" "output"
# Without the RUNPATH ld.so would not look in /opt/greeter/lib, nor does distill.
gcc -O2 -o dist/bin/greeter main.c dist/lib/libgreet.so.1
expect_fail err "$DISTILL" build --from auto --release debian12 --arch amd64 --app "$T/dist:/opt/greeter" \
  --entrypoint /opt/greeter/bin/greeter -o "$T/x"
assert_eq "$err" "distill: error: /opt/greeter/bin/greeter needs libgreet.so.1, which no debian12 package provides"
log "ok ($SECONDS s)"
