#!/usr/bin/env bash
# Hostile .debs in `distill build`: each case is a package in a local signed
# repository, built byte by byte by make-hostile-debs.py. The build must fail
# with exactly one line naming the package and the member, exit 1, leave no
# output (nor staging directory) and write nothing outside it.
. "$(dirname "$0")/../e2e/lib.sh"
need python3 gpg xz dpkg-deb
make_tmpdir T
mkdir -p "$T/outside" "$T/out"
CASES=(ok dotdot absolute symlink-write symlink-climb hardlink-out hardlink-abs device setuid
  setgid bomb-header bomb-zeros dup-types under-file non-utf8 truncated-data truncated-deb
  cross-a cross-b)
ARCHES=amd64 make_repo "$T/fx" "hostile/placeholder=1.0/amd64"
OUTSIDE="$T/outside" python3 "$FIXTURES/make-hostile-debs.py" "$T/fx" hostile "${CASES[@]}"
bash "$FIXTURES/make-apt-repo.sh" --resign "$T/fx" hostile >&2
start_http "$T/fx/repo"
export XDG_CACHE_HOME="$T/cache"

# definition NAME PACKAGES [EXTRA-YAML]: writes $T/NAME.yaml.
definition() {
  cat >"$T/$1.yaml" <<YAML
resolve: false
architectures: [amd64]
packages: [$2]
repositories:
  - {uri: "http://127.0.0.1:$HTTP_PORT", suites: [hostile], keyring: "$T/fx/keyring.gpg"}
${3:-}
YAML
}

# rejected CASE EXPECTED-LINE [BUILD-FLAGS...]: the build of h-CASE fails with that line.
rejected() {
  local c=$1 want=$2 out
  shift 2
  [[ -f $T/$c.yaml ]] || definition "$c" "h-$c"
  log "$c"
  expect_fail out "$DISTILL" -q build "$T/$c.yaml" -o "$T/out/$c" "$@"
  assert_eq "$out" "distill: error: $want" "error for $c"
  [[ ! -e $T/out/$c ]] || die "$c: a failed build left $T/out/$c"
  [[ -z $(ls -A "$T/out") ]] || die "$c: a failed build left $(ls -A "$T/out") beside -o"
  [[ -z $(ls -A "$T/outside") ]] || die "$c: something was written to $T/outside"
  [[ ! -e $T/escape && ! -e $T/fx/escape ]] || die "$c: something escaped"
}

log "a well-formed package from the same repository builds (the failures below are about the members)"
definition ok h-ok
"$DISTILL" -q build "$T/ok.yaml" -o "$T/ok-out" >/dev/null
[[ -d $T/ok-out/blobs ]] || die "the ok build wrote no layout"

rejected dotdot "package h-dotdot 1.0 (data.tar.xz): entry path './usr/../../escape' contains '..'"
rejected absolute "package h-absolute 1.0: member /etc/escape has an absolute path"
rejected symlink-write \
  "package h-symlink-write 1.0: member ./usr/share/out/escape lies under the symlink /usr/share/out"
rejected symlink-climb \
  "package h-symlink-climb 1.0: symlink ./usr/share/up points to ../../../.., which climbs out of the image root"
rejected hardlink-out \
  "package h-hardlink-out 1.0 (data.tar.xz): hardlink ./usr/share/pw target path '../../etc/passwd' contains '..'"
rejected hardlink-abs \
  "package h-hardlink-abs 1.0: hardlink ./usr/share/pw points to etc/passwd, which is not an earlier member"
rejected device \
  "package h-device 1.0: member ./dev/sda is a block device; device nodes are not allowed in image layers"
rejected setuid \
  "package h-setuid 1.0: member ./usr/bin/su is setuid (mode 4755); allow it with allow-setuid: [/usr/bin/su] in the definition"
rejected setgid \
  "package h-setgid 1.0: member ./usr/bin/wall is setgid (mode 2755); allow it with allow-setuid: [/usr/bin/wall] in the definition"
rejected bomb-header \
  "package h-bomb-header 1.0 (data.tar.xz): member ./usr/share/huge declares 1099511627776 bytes, over the 1 GiB per-file limit (raise it with --max-file-size SIZE)"
rejected bomb-zeros \
  "package h-bomb-zeros 1.0 (data.tar.xz): member ./usr/share/zeros declares 67108864 bytes, over the 16 MiB per-file limit (raise it with --max-file-size SIZE)" \
  --max-file-size 16M
# 64 MiB of data plus four 512-byte headers (./, ./usr/, ./usr/share/, zeros).
rejected bomb-zeros \
  "package h-bomb-zeros 1.0 (data.tar.xz): members up to ./usr/share/zeros add up to 67110912 bytes, over the 32 MiB per-layer limit (raise it with --max-layer-size SIZE)" \
  --max-layer-size 32M
rejected dup-types \
  "package h-dup-types 1.0: member ./usr/share/x/ is a directory but an earlier member with the same path is a file"
rejected under-file "package h-under-file 1.0: member ./usr/share/f/g lies under the file /usr/share/f"
rejected non-utf8 \
  "package h-non-utf8 1.0 (data.tar.xz): member name './usr/share/caf\\xe9' is not valid UTF-8"
rejected truncated-data \
  "package h-truncated-data 1.0 (data.tar.xz): truncated (the data ends early): Lzma library error:  No progress is possible"
# What the ar header of data.tar.xz claims (the file holds half of it).
claimed=$(python3 - "$T/fx/repo/pool/main/h/h-truncated-deb/h-truncated-deb_1.0_amd64.deb" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
pos = 8
while pos < len(b):
    name, size = b[pos:pos + 16].decode().strip(), int(b[pos + 48:pos + 58])
    if name == "data.tar.xz":
        print(size)
    pos += 60 + size + size % 2
PY
)
rejected truncated-deb \
  "package h-truncated-deb 1.0: member 'data.tar.xz' claims $claimed bytes but the file is truncated or the size is absurd"
definition cross "h-cross-a, h-cross-b"
rejected cross \
  "package h-cross-b 1.0: /usr/share/shared is a directory but package h-cross-a 1.0 installs it as a symlink"

log "allow-setuid lets the named file keep its bits; the bomb builds when the limit is raised"
definition setuid-ok h-setuid 'allow-setuid: ["/usr/bin/*"]'
"$DISTILL" -q build "$T/setuid-ok.yaml" -o "$T/setuid-out" >/dev/null
tree=$("$DISTILL" inspect "oci:$T/setuid-out:latest" --tree /usr/bin)
assert_contains "$tree" "rwsr-xr-x"
definition zeros-ok h-bomb-zeros
"$DISTILL" -q build "$T/zeros-ok.yaml" -o "$T/zeros-out" --max-file-size 64M >/dev/null

log "allow-setuid is validated with file:line"
printf 'allow-setuid: [usr/bin/su]\n' >"$T/bad.yaml"
expect_fail out "$DISTILL" build "$T/bad.yaml" -o "$T/out/bad"
assert_eq "$out" "distill: error: $T/bad.yaml:1: allow-setuid entry 'usr/bin/su' must be an absolute path in the image"
echo PASS
