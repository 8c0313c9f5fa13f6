#!/bin/bash
# The HTML report opens in headless Chromium without console errors and
# draws something (the screenshots are not blank), at 1400 and 800 px wide,
# with JavaScript and without (a CSP that allows no script): the page is written with its tables and
# static treemaps (inline SVG) in place, which the script replaces. The DOM
# (--dump-dom) has the layers table's package column and non-empty
# treemaps either way, and without JavaScript (at 1400 and 800 px) the
# cards, warnings, config, system and directory sections hold what the
# script writes there and what `inspect --json` reports. The screenshots are kept in the build tree
# (test-outputs/inspect_html/) to look at.
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

# chromium ARGS...: headless, no network, a fresh profile.
chromium_run() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --user-data-dir="$(mktemp -d "$T/prof.XXXX")" \
    "$@"
}
# Without JavaScript: the same page with a CSP that runs no script (headless
# --screenshot itself needs scripting, so --blink-settings=scriptEnabled=false
# cannot be used; the blocked scripts are logged, so no console check).
sed "s/script-src 'unsafe-inline'/script-src 'none'/" "$T/report.html" >"$T/report-nojs.html"
grep -q "script-src 'none'" "$T/report-nojs.html" || die "no CSP to turn scripts off in the report"
shot() { # shot HTML PNG WIDTH [nocheck]
  local html=$1 png=$2 width=$3
  chromium_run --screenshot="$png" --window-size="$width,2400" --enable-logging=stderr --v=0 \
    "file://$html" >"$png.log" 2>&1 || true
  [[ -s $png ]] || { cat "$png.log" >&2; die "chromium wrote no screenshot for $html"; }
  [[ ${4:-} == nocheck ]] && return 0
  if grep -E 'Uncaught|CONSOLE.*(error|Error)|"console' "$png.log" | grep -v -E 'dbus|DevTools' >&2; then
    die "console errors in $html"
  fi
}
OUTS="${DISTILL_BUILD:-$T}/test-outputs/inspect_html"
rm -rf "$OUTS" && mkdir -p "$OUTS"
for w in 1400 800; do
  shot "$T/report.html" "$OUTS/report-$w-js.png" "$w"
  shot "$T/report-nojs.html" "$OUTS/report-$w-nojs.png" "$w" nocheck
done
# A page with a script error must be caught by the same check (the check can fail).
sed 's/var R = JSON.parse/var R = JSON.parseX/' "$T/report.html" >"$T/broken.html"
if (shot "$T/broken.html" "$T/broken.png" 1400) 2>/dev/null; then die "a broken page passed the console check"; fi

log "the DOM with and without JavaScript: package column, treemaps with boxes"
chromium_run --dump-dom "file://$T/report.html" >"$T/dom-js.html" 2>/dev/null
chromium_run --dump-dom "file://$T/report-nojs.html" >"$T/dom-nojs.html" 2>/dev/null
python3 - "$T/dom-js.html" "$T/dom-nojs.html" "$(awk '{print $1}' "$T/img/packages" | sort | head -1)" <<'PY'
import html.parser, sys
class Dom(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.heads, self.cells, self.boxes, self.labels, self.tips = [], [], [], {}, {}, {}
        self.where = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") in ("layers", "dir-map", "pkg-map"):
            self.where = a["id"]
        if self.where in ("dir-map", "pkg-map"):
            if tag == "rect" or (tag == "div" and "tm" in a.get("class", "").split()):
                self.boxes[self.where] = self.boxes.get(self.where, 0) + 1
            if tag == "div" and a.get("title"):
                self.tips[self.where] = self.tips.get(self.where, 0) + 1
        self.stack.append((tag, self.where))
    def handle_endtag(self, tag):
        while self.stack:
            t, w = self.stack.pop()
            if t == tag:
                break
        self.where = self.stack[-1][1] if self.stack else None
    def handle_data(self, data):
        if not self.stack or not data.strip():
            return
        tag, where = self.stack[-1]
        if where == "layers" and tag == "th":
            self.heads.append(data.strip())
        if where == "layers" and tag == "td":
            self.cells.append(data.strip())
        if where in ("dir-map", "pkg-map") and tag in ("text", "span"):
            self.labels[where] = self.labels.get(where, 0) + 1
        if where in ("dir-map", "pkg-map") and tag == "title":
            self.tips[where] = self.tips.get(where, 0) + 1
for path, kind in ((sys.argv[1], "with JavaScript"), (sys.argv[2], "without JavaScript")):
    d = Dom()
    d.feed(open(path, encoding="utf-8").read())
    assert "packages" in d.heads, f"{kind}: no packages column in the layers table: {d.heads}"
    assert any(sys.argv[3] in c for c in d.cells), f"{kind}: no layer names package {sys.argv[3]}"
    for m in ("dir-map", "pkg-map"):
        assert d.boxes.get(m, 0) >= 5, f"{kind}: treemap {m} has {d.boxes.get(m, 0)} boxes"
        assert d.labels.get(m, 0) >= 1, f"{kind}: treemap {m} has no label"
        assert d.tips.get(m, 0) >= d.boxes[m], f"{kind}: treemap {m}: {d.tips.get(m, 0)} tooltips for {d.boxes[m]} boxes"
    print(f"{kind}: columns {d.heads}, boxes {d.boxes}, labels {d.labels}")
PY
grep -q 'click a directory to open it' "$T/dom-nojs.html" || die "the page does not say the boxes can be clicked"

log "without JavaScript at 1400 and 800 px: cards, warnings, config, system and directories as the script writes them"
for w in 1400 800; do
  chromium_run --window-size="$w,2400" --dump-dom "file://$T/report-nojs.html" >"$T/dom-nojs-$w.html" 2>/dev/null
done
"$DISTILL" inspect "oci:$T/img/layout:v2" --json >"$T/report.json"
python3 - "$T/report.json" "$T/dom-js.html" "$T/dom-nojs-1400.html" "$T/dom-nojs-800.html" <<'PY'
import html.parser, json, sys
SECTIONS = ("cards", "warnings", "config", "system", "skeleton")
class Texts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], {s: [] for s in SECTIONS}
    def handle_starttag(self, tag, attrs):
        where = dict(attrs).get("id") if dict(attrs).get("id") in SECTIONS else (self.stack[-1][1] if self.stack else None)
        self.stack.append((tag, where))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass
    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and data.strip():
            self.texts[self.stack[-1][1]].append(data.strip())
def texts(path):
    t = Texts()
    t.feed(open(path, encoding="utf-8").read())
    return t.texts
R = json.load(open(sys.argv[1]))
js = texts(sys.argv[2])
for path in sys.argv[3:]:
    nojs = texts(path)
    for s in SECTIONS:
        assert nojs[s], f"{path}: section {s} is empty without JavaScript"
        assert nojs[s] == js[s], f"{path}: section {s} without JavaScript {nojs[s]} is not the script's {js[s]}"
    cards = dict(zip(nojs["cards"][1::2], nojs["cards"][0::2]))
    assert cards["layers"] == str(len(R["layers"])) and cards["packages"] == str(len(R["packages"])), cards
    assert cards["warnings"] == str(len(R["warnings"])), cards
    want = [f"{w['code']}: {w['message']}" for w in R["warnings"]] or ["none"]
    assert nojs["warnings"] == want, f"warnings {nojs['warnings']} != {want}"
    config = dict(zip(nojs["config"][0::2], nojs["config"][1::2]))
    assert config["entrypoint"] == (" ".join(R["config"]["entrypoint"]) or "-"), config
    assert config["user"] == (R["config"]["user"] or "(root)"), config
    system = dict(zip(nojs["system"][0::2], nojs["system"][1::2]))
    assert system["shared libraries"].startswith(f"{R['shared_libraries']['count']}, glibc"), system
    assert (R["os"] is None) == (system["os"] == "no os-release"), system
print(f"without JavaScript: {len(R['warnings'])} warnings, config {config}, system {system}")
PY

python3 - "$OUTS"/*.png <<'PY'
import os, struct, sys, zlib
# Distinct colours in the top 500 rows (sampled every 4 pixels).
def colours_of(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
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
    for y in range(min(h, 500)):
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
    return w, len(colours)
for path in sys.argv[1:]:
    w, n = colours_of(path)
    print(f"{os.path.basename(path)}: {w} px wide, {n} distinct colours")
    assert n > 50, f"{path}: screenshot looks blank"
    want = os.path.basename(path).split("-")[1]
    assert want in ("1400", "800") and w == int(want), f"{path}: {w} px wide, not {want}"
PY
echo PASS
