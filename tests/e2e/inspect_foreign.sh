#!/bin/bash
# inspect / diff / extract on images made by umoci and skopeo (not distill),
# with a second layer that overwrites, deletes (whiteouts) and adds files.
# Every asserted fact is checked against `umoci unpack` of the same image,
# dpkg on this host (where the packages came from) or openssl.
. "$(dirname "$0")/lib.sh"
need umoci skopeo python3 dpkg-query openssl jq
make_tmpdir T
bash "$FIXTURES/make-foreign-image.sh" "$T/img" >"$T/fixture.log" 2>&1 || {
  rc=$?
  cat "$T/fixture.log" >&2
  [[ $rc == 77 ]] && skip "fixture needs host packages"
  die "fixture build failed"
}
L="oci:$T/img/layout"
A="docker-archive:$T/img/v2.tar"

log "tree of both transports matches the unpacked rootfs"
"$DISTILL" inspect "$L:v2" --tree --json >"$T/tree-oci.json"
"$DISTILL" inspect "$A" --tree --json >"$T/tree-archive.json"
python3 - "$T/img/rootfs-v2" "$T/tree-oci.json" "$T/tree-archive.json" <<'PY'
import json, os, stat, sys
root = sys.argv[1]
want = {}
for dirpath, dirnames, filenames in os.walk(root):
    for name in dirnames + filenames:
        full = os.path.join(dirpath, name)
        st = os.lstat(full)
        rel = "/" + os.path.relpath(full, root)
        kind = ("directory" if stat.S_ISDIR(st.st_mode) else
                "symlink" if stat.S_ISLNK(st.st_mode) else "file")
        e = {"type": kind, "mode": "%04o" % stat.S_IMODE(st.st_mode),
             "uid": st.st_uid, "gid": st.st_gid}
        if kind == "file":
            e["size"] = st.st_size
        if kind == "symlink":
            e["link"] = os.readlink(full)
            del e["mode"]  # symlink modes are not meaningful on Linux
        want[rel] = e
for path in sys.argv[2:]:
    got = {}
    for e in json.load(open(path)):
        g = {"type": e["type"], "mode": e["mode"], "uid": e["uid"], "gid": e["gid"]}
        if e["type"] == "file":
            g["size"] = e["size"]
        if e["type"] == "symlink":
            g["link"] = e["link"]
            del g["mode"]
        got[e["path"]] = g
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    assert not missing, f"{path}: missing {missing[:10]}"
    assert not extra, f"{path}: extra {extra[:10]}"
    bad = [p for p in want if want[p] != got[p]]
    assert not bad, f"{path}: differs at {bad[:5]}: {[ (want[p], got[p]) for p in bad[:3]]}"
    assert "/usr/share/zoneinfo/Europe/Paris" not in got, "whiteout not applied"
    assert "/usr/share/zoneinfo/Antarctica" not in got, "directory whiteout not applied"
    print(f"{path}: {len(got)} entries match")
PY
# The layer that last wrote each entry: passwd was overwritten by layer 1.
python3 - "$T/tree-oci.json" <<'PY'
import json, sys
t = {e["path"]: e for e in json.load(open(sys.argv[1]))}
assert t["/etc/passwd"]["layer"] == 1, t["/etc/passwd"]
assert t["/etc/group"]["layer"] == 0, t["/etc/group"]
assert t["/home/app/hello.txt"]["layer"] == 1
PY
out=$("$DISTILL" inspect "$L:v2" --tree /home/app)
assert_contains "$out" "/home/app/hello.txt"
assert_contains "$out" "-rw-r-----"
assert_not_contains "$out" "/etc/passwd"

log "facts match dpkg, openssl and the rootfs"
"$DISTILL" inspect "$L:v2" --json >"$T/oci.json"
"$DISTILL" inspect "$A" --json >"$T/archive.json"
# umoci's history has an empty_layer entry per `umoci config`: those are
# skipped, the others name the layers in order.
cfg=$(skopeo inspect --config "$L:v2")
assert_eq "$(jq '[.history[] | select(.empty_layer)] | length' <<<"$cfg")" 2 "umoci's empty_layer entries"
want=$(jq -c '[.history[] | select(.empty_layer | not) | .created_by]' <<<"$cfg")
assert_eq "$(jq -c '[.layers[].created_by]' "$T/oci.json")" "$want" "created_by of each layer (oci)"
assert_eq "$(jq -c '[.layers[].created_by]' "$T/archive.json")" "$want" "created_by of each layer (docker-archive)"
assert_contains "$("$DISTILL" inspect "$L:v2")" "created by umoci repack"
openssl crl2pkcs7 -nocrl -certfile "$T/img/rootfs-v2/etc/ssl/certs/ca-certificates.crt" |
  openssl pkcs7 -print_certs -noout | grep -c '^subject=' >"$T/cert-count"
python3 - "$T/oci.json" "$T/archive.json" "$T/img/packages" "$T/img/rootfs-v2" "$T/cert-count" <<'PY'
import json, os, re, subprocess, sys
oci, arc = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
root = sys.argv[4]
assert oci["schema"] == "distill.inspect/v1"
assert len(oci["layers"]) == 2, oci["layers"]
l1 = oci["layers"][1]
assert l1["whiteouts"] >= 2 and l1["removed"] >= 2 and l1["replaced"] >= 1, l1
assert oci["config"]["user"] == "nonroot" and oci["config"]["workdir"] == "/home/nonroot"
assert oci["config"]["env"][-1] == "TZ=UTC" and oci["config"]["entrypoint"] == ["/usr/bin/true"]
osr = dict(l.split("=", 1) for l in open(os.path.join(root, "usr/lib/os-release")).read().split("\n") if "=" in l)
assert oci["os"]["id"] == osr["ID"].strip('"') and oci["os"]["version_id"] == osr["VERSION_ID"].strip('"'), oci["os"]
pk = {p["name"]: p for p in oci["packages"]}
for line in open(sys.argv[3]):
    name, version, isize = line.split()
    assert pk[name]["version"] == version, (name, pk[name])
    assert pk[name]["installed_size"] == int(isize) * 1024, (name, pk[name])
    assert pk[name]["database"] == "status.d"
assert len(pk) == len(open(sys.argv[3]).read().split("\n")) - 1
assert "GPL-2+" in pk["ca-certificates"]["licenses"] and "MPL-2.0" in pk["ca-certificates"]["licenses"], pk["ca-certificates"]
assert pk["libc6"]["licenses"], pk["libc6"]  # free-form copyright: common-licenses references
ca = oci["ca_bundle"]
assert ca["path"] == "/etc/ssl/certs/ca-certificates.crt"
assert ca["certificates"] == int(open(sys.argv[5]).read()), ca
# Earliest expiry, checked with openssl on every certificate.
pem = open(os.path.join(root, "etc/ssl/certs/ca-certificates.crt")).read()
certs = re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", pem, re.S)
import datetime
ends = []
for c in certs:
    out = subprocess.run(["openssl", "x509", "-noout", "-enddate"], input=c, capture_output=True, text=True).stdout
    ends.append(datetime.datetime.strptime(out.strip().split("=", 1)[1], "%b %d %H:%M:%S %Y %Z"))
assert ca["earliest_expiry"] == min(ends).strftime("%Y-%m-%dT%H:%M:%SZ"), (ca, min(ends))
zones = 0
zi = os.path.join(root, "usr/share/zoneinfo")
for d, dn, fn in os.walk(zi):
    rel = os.path.relpath(d, zi)
    if rel.split("/")[0] in ("posix", "right"):
        continue
    for f in fn:
        r = os.path.normpath(os.path.join(rel, f))
        if "." in r or not r[0].isupper() or r in ("leapseconds", "tzdata.zi", "leap-seconds", "posixrules"):
            continue
        zones += 1
assert oci["timezones"]["count"] == zones and oci["timezones"]["has_utc"], (oci["timezones"], zones)
glibc = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libc6"], capture_output=True, text=True).stdout
assert oci["shared_libraries"]["glibc_version"] == glibc.split("-")[0], oci["shared_libraries"]
assert oci["shared_libraries"]["glibc_source"].endswith("/libc.so.6")
sos = 0
for d, dn, fn in os.walk(root):
    for f in fn:
        p = os.path.join(d, f)
        if os.path.islink(p) or not re.search(r"\.so($|\.)", f):
            continue
        if open(p, "rb").read(4) == b"\x7fELF":
            sos += 1
assert oci["shared_libraries"]["count"] == sos, (oci["shared_libraries"]["count"], sos)
users = {u["name"]: u for u in oci["accounts"]["users"]}
assert users["app"]["uid"] == 1000 and users["nonroot"]["home_exists"] and users["app"]["home_exists"]
codes = [w["code"] for w in oci["warnings"]]
mi = [w for w in oci["warnings"] if w["code"] == "missing-interpreter"]
assert len(mi) == 1 and mi[0]["paths"] == ["/usr/bin/needs-musl"], oci["warnings"]
assert "user-not-in-passwd" not in codes and "no-tzdata" not in codes and "no-ca-bundle" not in codes, codes
sk = {d["path"]: d for d in oci["skeleton"]}
assert sk["/tmp"]["mode"] == "1777" and sk["/root"]["mode"] == "0700" and sk["/lib"]["link"] == "usr/lib"
largest = oci["largest"]["files"][0]
assert largest["size"] == os.path.getsize(os.path.join(root, largest["path"][1:])), largest
# The docker-archive written by skopeo holds the same filesystem and facts.
for k in ("packages", "os", "ca_bundle", "timezones", "shared_libraries", "accounts", "warnings", "files", "largest", "skeleton", "nsswitch"):
    assert oci[k] == arc[k], k
assert oci["size"]["uncompressed"] == arc["size"]["uncompressed"]
print("facts ok")
PY
text=$("$DISTILL" inspect "$A")
assert_contains "$text" "Debian GNU/Linux"
assert_contains "$text" "missing-interpreter"
assert_contains "$text" "libc6"

log "a numeric user without a passwd entry is a warning"
cp -a "$T/img/layout" "$T/layout2"
umoci config --image "$T/layout2:v2" --tag v3 --config.user 4242
out=$("$DISTILL" inspect "oci:$T/layout2:v3" --json)
assert_contains "$out" "user-not-in-passwd"

log "diff base -> v2"
# diff(1) exit status: 1, the images differ.
rc=0
"$DISTILL" diff "$L:base" "$L:v2" --json >"$T/diff.json" || rc=$?
assert_eq "$rc" 1 "exit status of diff base -> v2"
python3 - "$T/diff.json" "$T/img/rootfs-v2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "distill.diff/v1"
removed = {e["path"] for e in d["files"]["removed"]}
added = {e["path"] for e in d["files"]["added"]}
changed = {e["path"]: e["changes"] for e in d["files"]["changed"]}
assert "/usr/share/zoneinfo/Europe/Paris" in removed and "/usr/share/zoneinfo/Antarctica/Troll" in removed, removed
assert added == {"/etc/../home/app".replace("/etc/..", ""), "/home/app/hello.txt"}, added
assert changed.get("/etc/passwd") == ["content", "mtime"], changed
# v2 rewrote those paths; each reported mtime is the one umoci unpacked.
import os
for e in d["files"]["changed"]:
    if "mtime" in e["changes"]:
        got = int(os.lstat(sys.argv[2] + e["path"]).st_mtime)
        assert e["b"]["mtime"] == got and e["a"]["mtime"] != got, (e, got)
assert changed.get("/usr/share/zoneinfo") == ["mtime"], changed
assert "/etc/group" not in changed
cfg = {c["field"]: c for c in d["config"]}
assert cfg["user"]["a"] == "0" and cfg["user"]["b"] == "nonroot", cfg
assert d["packages"] == {"added": [], "removed": [], "upgraded": [], "downgraded": []}
assert d["size"]["layers"] == {"a": 1, "b": 2, "delta": 1}
PY
out=$("$DISTILL" diff "$L:base" "$A") || [[ $? == 1 ]] || die "diff base -> archive failed"
assert_contains "$out" "~ /etc/passwd  (content"
assert_contains "$out" "- /usr/share/zoneinfo/Europe/Paris"

log "diff scratch -> v2 adds every entry"
"$DISTILL" diff scratch "$A" --json >"$T/scratch.json" || [[ $? == 1 ]] || die "diff scratch failed"
python3 - "$T/scratch.json" "$T/tree-oci.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
tree = json.load(open(sys.argv[2]))
assert {e["path"] for e in d["files"]["added"]} == {e["path"] for e in tree}
assert not d["files"]["removed"] and not d["files"]["changed"]
assert len(d["packages"]["added"]) == 5
PY

log "extract through layers and whiteouts, compared with the unpacked rootfs"
"$DISTILL" extract "$A" /etc/passwd /usr/share/zoneinfo /home /lib/x86_64-linux-gnu/libc.so.6 -o "$T/x"
cmp "$T/x/etc/passwd" "$T/img/rootfs-v2/etc/passwd"
diff -r --no-dereference "$T/x/usr/share/zoneinfo" "$T/img/rootfs-v2/usr/share/zoneinfo"
diff -r "$T/x/home" "$T/img/rootfs-v2/home"
cmp "$T/x/lib/x86_64-linux-gnu/libc.so.6" "$T/img/rootfs-v2/usr/lib/x86_64-linux-gnu/libc.so.6"
[[ ! -e $T/x/usr/share/zoneinfo/Europe/Paris ]] || die "extract wrote a whited-out file"
assert_eq "$(stat -c %a "$T/x/home/app/hello.txt")" "640" "mode of extracted file"
assert_eq "$(find "$T/x" -type f | wc -l)" \
  "$(($(find "$T/img/rootfs-v2/usr/share/zoneinfo" "$T/img/rootfs-v2/home" -type f | wc -l) + 2))" "files extracted"
expect_fail out "$DISTILL" extract "$A" /etc/passwd -o "$T/x"
assert_contains "$out" "already exists"
expect_fail out "$DISTILL" extract "$A" /no/such/file -o "$T/y"
assert_contains "$out" "/no/such/file is not in the image"
echo "PASS"
