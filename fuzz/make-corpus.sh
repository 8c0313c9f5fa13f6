#!/bin/bash
# Regenerates the binary seeds under fuzz/corpus/ (the text seeds are
# written by hand): tiny .debs built with dpkg-deb, layer tars with
# whiteouts in each compression, a docker-archive whose diff_id matches, and
# small ELF files for several classes, byte orders and types. Fixed mtimes
# and owners make the output the same on every run with the same tools.
# usage: fuzz/make-corpus.sh   (needs dpkg-deb, python3, zstd, xz, cc, clang)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
export SOURCE_DATE_EPOCH=1700000000
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- ELF ---------------------------------------------------------------
echo 'int main(void) { return 0; }' > "$work/main.c"
echo 'int answer(void) { return 42; }' > "$work/lib.c"
echo 'void _start(void) { for (;;) {} }' > "$work/start.c"
cc -Os -s -Wl,--build-id=none -o "$corpus/elf/pie" "$work/main.c"
cc -Os -s -shared -fPIC -Wl,--build-id=none -Wl,-soname,libanswer.so.1 -Wl,--no-as-needed \
  -o "$corpus/elf/shared" "$work/lib.c" -lm
cc -Os -s -static -nostdlib -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
  -o "$corpus/elf/static" "$work/start.c"
# Relocatable objects need no cross linker and cover 32-bit and big-endian.
for t in i386-linux-gnu aarch64-linux-gnu powerpc-linux-gnu s390x-linux-gnu; do
  clang --target=$t -Os -c -o "$corpus/elf/obj-$t.o" "$work/lib.c"
done

# --- .deb --------------------------------------------------------------
pkg=$work/pkg
mkdir -p "$pkg/DEBIAN" "$pkg/usr/bin" "$pkg/usr/share/doc/hello"
cat > "$pkg/DEBIAN/control" <<'CTL'
Package: hello
Version: 1.0-1
Architecture: all
Maintainer: distill fuzz <fuzz@example.invalid>
Depends: libc6 (>= 2.34)
Description: fuzz seed
 A tiny package with a script, a symlink and a doc file.
CTL
printf '#!/bin/sh\necho hello\n' > "$pkg/usr/bin/hello"
chmod 0755 "$pkg/usr/bin/hello"
ln -s hello "$pkg/usr/bin/hi"
echo 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  > "$pkg/usr/share/doc/hello/copyright"
(cd "$pkg" && find usr -type f | LC_ALL=C sort | xargs md5sum > DEBIAN/md5sums)
find "$pkg" -exec touch -h -d @$SOURCE_DATE_EPOCH {} +
for z in xz gzip zstd none; do
  dpkg-deb --root-owner-group -Z$z -b "$pkg" "$corpus/deb/hello-$z.deb" >/dev/null
done

# --- layers and docker-archive -----------------------------------------
python3 - "$corpus" "$corpus/elf/pie" <<'PY'
import gzip, hashlib, io, lzma, subprocess, sys, tarfile
corpus, elf = sys.argv[1], open(sys.argv[2], 'rb').read()
SEP = b'DISTILL-LAYER-SEP'

def tar(members):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w', format=tarfile.GNU_FORMAT) as t:
        for name, kind, extra in members:
            i = tarfile.TarInfo(name)
            i.mtime, i.uid, i.gid, i.uname, i.gname = 1700000000, 0, 0, 'root', 'root'
            data = None
            if kind == 'dir':
                i.type, i.mode = tarfile.DIRTYPE, 0o755
            elif kind == 'sym':
                i.type, i.linkname, i.mode = tarfile.SYMTYPE, extra, 0o777
            elif kind == 'hard':
                i.type, i.linkname, i.mode = tarfile.LNKTYPE, extra, 0o644
            else:
                data, i.mode = extra, kind
                i.size = len(data)
            t.addfile(i, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()

def gz(b):
    return gzip.compress(b, mtime=0)

def zst(b):
    return subprocess.run(['zstd', '-q', '-c'], input=b, check=True, stdout=subprocess.PIPE).stdout

def write(path, data):
    with open(f'{corpus}/{path}', 'wb') as f:
        f.write(data)

base = tar([
    ('./', 'dir', None), ('etc', 'dir', None),
    ('etc/passwd', 0o644, b'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n'),
    ('etc/group', 0o644, b'root:x:0:\n'),
    ('etc/os-release', 0o644, b'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'),
    ('etc/nsswitch.conf', 0o644, b'passwd: files\nhosts: files dns\n'),
    ('usr', 'dir', None), ('usr/bin', 'dir', None), ('usr/lib', 'dir', None),
    ('usr/bin/prog', 0o755, elf),
    ('usr/bin/prog2', 'hard', 'usr/bin/prog'),
    ('bin', 'sym', 'usr/bin'),
    ('usr/lib/libx.so', 'sym', '/usr/lib/libx.so.1'),
    ('usr/lib/libx.so.1', 'sym', '../lib/libx.so'),
    ('usr/share/doc/pkg/copyright', 0o644, b'License: MIT\n'),
    ('var/lib/dpkg/status.d/pkg', 0o644, b'Package: pkg\nVersion: 1.0\nArchitecture: all\n'),
])
upper = tar([
    ('etc/.wh.group', 0o644, b''),
    ('usr/lib/.wh..wh..opq', 0o644, b''),
    ('usr/lib/libnew.so.2', 0o644, b'new'),
    ('etc/passwd', 0o644, b'root:x:0:0:root:/root:/bin/sh\n'),
    ('.wh.bin', 0o644, b''),
    ('bin', 'dir', None),
])
write('layer/base.tar', base)
write('layer/whiteouts.tar.gz', gz(upper))
write('layer/base.tar.zst', zst(base))
write('layer/base.tar.xz', lzma.compress(base))
write('layer/two-layers', base + SEP + gz(upper))
write('layer/three-layers', gz(base) + SEP + zst(upper) + SEP + base)

diff_id = 'sha256:' + hashlib.sha256(base).hexdigest()
doc = b'\n--8<--\n'
manifest = b'[{"Config":"cfg.json","RepoTags":["app:1.0"],"Layers":["l1/layer.tar"]}]'
config = ('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["%s"]}}'
          % diff_id).encode()
write('docker_archive/valid', manifest + doc + b'cfg.json\n' + config + doc + b'l1/layer.tar\n' + base)
PY
du -sh "$corpus"
