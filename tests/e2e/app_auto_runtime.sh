#!/usr/bin/env bash
# build --from auto and the run-time needs DT_NEEDED does not show, against
# the signed bookworm fixture, each image run with runc: an iconv user gets
# glibc's gconv modules (and the reason); a program reading passwd and
# services gets the NSS modules the family's nsswitch.conf names for them
# (compat, in libc6), skips the ones no package has (db, before files), and
# a database whose only service no package has is a one-line error.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
. "$(dirname "$0")/app_auto_lib.sh"
cd "$T"
GCONV=/usr/lib/x86_64-linux-gnu/gconv

log "an iconv user: the gconv modules, with the reason"
cat >conv.c <<'C'
#include <iconv.h>
#include <stdio.h>
int main(void) {
  iconv_t cd = iconv_open("ISO-8859-15", "UTF-8");
  if (cd == (iconv_t)-1) { perror("iconv_open"); return 1; }
  char in[] = "\xe2\x82\xac", out[4] = {0}, *ip = in, *op = out;
  size_t il = 3, ol = sizeof out;
  if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) { perror("iconv"); return 1; }
  printf("euro in latin-9: %02x\n", (unsigned char)out[0]);
  return iconv_close(cd);
}
C
gcc -O2 -o conv conv.c
auto_build conv --app "$T/conv" --explain
assert_eq "$(choice conv)" "--from auto: $T/conv is an ELF file: base-nossl-debian12, nothing added" "choice"
assert_eq "$(added conv base-nossl-debian12)" "" "packages added"
assert_contains "$(cat conv.log)" "--from auto: /app/conv uses iconv_open: the gconv modules of $GCONV (found $GCONV/gconv-modules in libc6); in base-nossl-debian12" "explain"
assert_eq "$(run_image "$T/img" conv)" "euro in latin-9: a4" "output"

log "passwd and services: the NSS modules nsswitch.conf names"
cat >pw.c <<'C'
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
int main(void) {
  struct passwd *p = getpwnam("nonroot");
  struct servent *s = getservbyname("https", "tcp");
  if (!p || !s) { puts("lookup failed"); return 1; }
  printf("%s %u %s, https %d\n", p->pw_name, (unsigned)p->pw_uid, p->pw_dir, ntohs(s->s_port));
  return 0;
}
C
gcc -O2 -o pw pw.c
auto_build pw --app "$T/pw" --explain
assert_eq "$(choice pw)" "--from auto: $T/pw is an ELF file: base-nossl-debian12, nothing added" "choice"
assert_eq "$(added pw base-nossl-debian12)" "" "packages added"
log=$(cat pw.log)
assert_contains "$log" "--from auto: /app/pw uses getpwnam (nsswitch.conf names compat for passwd): libnss_compat.so.2 (libc6)" "explain"
assert_contains "$log" "--from auto: /app/pw uses getservbyname (nsswitch.conf names db for services): libnss_db.so.2 is in no debian12 package; glibc skips the service" "explain"
assert_eq "$(run_image "$T/img" pw)" "nonroot 65532 /home/nonroot, https 443" "output"

log "a database whose only service no package has: one line"
mkdir -p "$T/only"
cp "$T"/defs/*.yaml "$T/only/"
cat >>"$T/only/cc-debian12.yaml" <<'YAML'
files:
  - {dest: /etc/nsswitch.conf, content: "passwd: files\nhosts: mdns4_minimal\n", mode: "0644"}
YAML
printf '#include <netdb.h>\nint main(void) { struct addrinfo *r; return getaddrinfo("localhost", 0, 0, &r); }\n' >ai.c
gcc -O2 -o ai ai.c
expect_fail err env DISTILL_IMAGES="$T/only" "$DISTILL" build --from auto --release debian12 --arch amd64 --app "$T/ai" -o "$T/x"
assert_eq "$(tail -n1 <<<"$err")" "distill: error: /app/ai uses getaddrinfo (nsswitch.conf names mdns4_minimal for hosts): libnss_mdns4_minimal.so.2, which no debian12 package provides"
log "ok ($SECONDS s)"
