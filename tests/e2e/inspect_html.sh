#!/bin/bash
# The HTML report opens in headless Chromium without console errors and
# draws something (the screenshot is not blank).
. "$(dirname "$0")/lib.sh"
need umoci skopeo python3
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[[ -n $CHROMIUM ]] || skip "chromium not installed (scripts/install-deps.sh installs it)"
make_tmpdir T
bash "$FIXTURES/make-foreign-image.sh" "$T/img" >"$T/fixture.log" 2>&1 || {
  rc=$?
  cat "$T/fixture.log" >&2
  [[ $rc == 77 ]] && skip "fixture needs host packages"
  die "fixture build failed"
}
"$DISTILL" inspect "oci:$T/img/layout:v2" --html "$T/report.html"
assert_file "$T/report.html"
# Nothing is loaded from elsewhere: no src/href/url() pointing out of the page.
if grep -Eo '(src|href)=["'"'"']?[a-z]+:|url\([^)]*:' "$T/report.html"; then die "report loads external resources"; fi
# A file name is data, never markup: the report escapes "<" inside its JSON.
[[ $(grep -c '</script>' "$T/report.html") == 3 ]] || die "unexpected </script> in report"

shot() { # shot HTML PNG
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --user-data-dir="$(mktemp -d "$T/prof.XXXX")" \
    --screenshot="$2" --window-size=1280,900 --enable-logging=stderr --v=0 \
    "file://$1" >"$2.log" 2>&1 || true
  [[ -s $2 ]] || { cat "$2.log" >&2; die "chromium wrote no screenshot for $1"; }
  if grep -E 'Uncaught|CONSOLE.*(error|Error)|"console' "$2.log" | grep -v -E 'dbus|DevTools' >&2; then
    die "console errors in $1"
  fi
}
shot "$T/report.html" "$T/report.png"
# A page with a script error must be caught by the same check (the check can fail).
sed 's/var R = JSON.parse/var R = JSON.parseX/' "$T/report.html" >"$T/broken.html"
if (shot "$T/broken.html" "$T/broken.png") 2>/dev/null; then die "a broken page passed the console check"; fi

python3 - "$T/report.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
colours = set()
prev = bytearray(stride)
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, w, 4):
            colours.add(bytes(line[x * bpp:x * bpp + 3]))
    prev = line
print(f"{w}x{h}, {len(colours)} distinct colours")
assert len(colours) > 50, "screenshot looks blank"
PY
echo PASS
