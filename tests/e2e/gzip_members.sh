#!/usr/bin/env bash
# A large layer is gzip in independent 4 MiB members (compressed on every
# core): Go's gzip reader (skopeo --dest-decompress), umoci and podman read
# it back to the same tar (its diff_id) and file bytes, and the member count
# is the input size in 4 MiB pieces, whatever the machine's core count.
. "$(dirname "$0")/lib.sh"
need skopeo umoci podman jq python3
make_tmpdir T

# 9 MiB of incompressible bytes: three members (4 + 4 + 1 MiB plus tar headers).
head -c $((9 << 20)) /dev/urandom >"$T/big.bin"
cat >"$T/app.yaml" <<YAML
name: members
description: one large file
files:
  - {dest: /data/big.bin, src: $T/big.bin}
YAML
"$DISTILL" -q build "$T/app.yaml" -o "$T/out" -t v1 >/dev/null
M=$(jq -r '.manifests[0].digest' "$T/out/index.json")
man=$T/out/blobs/sha256/${M#sha256:}
cfg=$T/out/blobs/sha256/$(jq -r '.config.digest | sub("sha256:"; "")' "$man")
want=$(sha256sum <"$T/big.bin" | cut -d' ' -f1)
big=""
n=$(jq '.layers | length' "$man")
for ((i = 0; i < n; i++)); do
  size=$(jq -r ".layers[$i].size" "$man")
  ((size > 8 << 20)) && big=$i
done
[[ -n $big ]] || die "no layer over 8 MiB in $man"
L=$(jq -r ".layers[$big].digest" "$man")
D=$(jq -r ".rootfs.diff_ids[$big]" "$cfg")

log "the layer is three gzip members (member headers at 4 MiB input boundaries)"
members=$(python3 - "$T/out/blobs/sha256/${L#sha256:}" <<'PY'
import sys, zlib
data = open(sys.argv[1], "rb").read()
count, sizes = 0, []
while data:
    d = zlib.decompressobj(31)
    sizes.append(len(d.decompress(data)))
    data = d.unused_data
    count += 1
print(count, " ".join(map(str, sizes[:-1])))
PY
)
assert_eq "$members" "3 4194304 4194304" "members and their input sizes"

log "Go's gzip reader: skopeo copy --dest-decompress"
skopeo copy -q --dest-decompress "oci:$T/out:v1" "dir:$T/dir" || die "skopeo copy failed"
# dir: names the decompressed layer by its new digest, which must be the diff_id.
[[ -f $T/dir/${D#sha256:} ]] || die "skopeo wrote no blob named by the diff_id: $(ls "$T/dir")"
assert_eq "sha256:$(sha256sum <"$T/dir/${D#sha256:}" | cut -d' ' -f1)" "$D" "decompressed = diff_id"

log "umoci unpack"
umoci unpack --rootless --image "$T/out:v1" "$T/bundle" >/dev/null 2>&1 || die "umoci unpack failed"
assert_eq "$(sha256sum <"$T/bundle/rootfs/data/big.bin" | cut -d' ' -f1)" "$want" "umoci's file"

log "podman pull from the layout (containers/storage checks the diff_id)"
# podman names the image after the layout's path, which must be lowercase.
low=/tmp/distill-members-$$
on_exit "rm -rf '$low'"
cp -r "$T/out" "$low"
P=(podman --root "$T/storage" --runroot "$T/run" --storage-driver vfs)
"${P[@]}" pull -q "oci:$low:v1" >/dev/null 2>"$T/podman.err" ||
  die "podman pull failed: $(cat "$T/podman.err")"
id=$("${P[@]}" images -q | head -1)
got=$("${P[@]}" image inspect --format "{{index .RootFS.Layers $big}}" "$id")
assert_eq "$got" "$D" "podman's layer diff_id"
log "ok"
