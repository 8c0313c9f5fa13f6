#!/usr/bin/env bash
# App images (distill build --from BASE|auto --app ..., and app: in a
# definition) from the Debian 13 fixture repository: a static C program on
# `static` runs under runc and its image's base layers are the family
# image's, byte for byte; a Python script with --from auto gets python3 and
# runs; a directory with modes, owner and ${ARCH} from a definition; a jar
# and a node script pick the images the interpreters table names (stand-ins
# here: the fixture has no JVM or Node); the refusals are exact lines.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq gcc python3 skopeo
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"

# The family, pointed at the fixture: $T/images comes first in the search.
mkdir -p "$T/images"
for name in static python3; do
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$name-debian13.yaml" "$D13_REPO" \
    >"$T/images/$name-debian13.yaml"
done
# Stand-ins for the runtimes the fixture lacks: static with the entrypoint
# the real java and nodejs images have.
for stand in "java21:[/usr/bin/java, -jar]" "nodejs22:[/nodejs/bin/node]"; do
  printf 'from: static-debian13\nconfig: {entrypoint: %s}\nchecks: {entrypoint: false}\n' \
    "${stand#*:}" >"$T/images/${stand%%:*}-debian13.yaml"
done
export DISTILL_IMAGES="$T/images"
layers() { jq -r '.manifests[0].digest' "$1/index.json" | sed 's/sha256://' |
  xargs -I{} jq -r '.layers[].digest' "$1/blobs/sha256/{}"; }
entrypoint() { skopeo inspect --config "oci:$1:latest" | jq -c .config.Entrypoint; }

log "a static C program on static runs, on top of static's own layers"
printf '#include <stdio.h>\nint main(int c, char **v) { printf("hello from %%s\\n", v[0]); return 0; }\n' >"$T/hello.c"
gcc -static -O2 -o "$T/hello" "$T/hello.c"
"$DISTILL" build --from static --app "$T/hello" --arch amd64 -o "$T/hello-img" >/dev/null
assert_eq "$(run_image "$T/hello-img" latest)" "hello from /app/hello" "the app's output"
"$DISTILL" build static --arch amd64 -o "$T/static" >/dev/null
base=$(layers "$T/static")
app=$(layers "$T/hello-img")
assert_eq "$(head -n "$(wc -l <<<"$base")" <<<"$app")" "$base" "the app image's base layers"
assert_eq "$(($(wc -l <<<"$app") - $(wc -l <<<"$base")))" "1" "app layers on top"

log "the static C program with --from auto gets static, nothing added"
"$DISTILL" build --from auto --app "$T/hello" --arch amd64 -o "$T/auto-hello" 2>"$T/auto.log" >/dev/null
assert_contains "$(cat "$T/auto.log")" "--from auto: $T/hello is an ELF file: static-debian13, nothing added" "the ELF choice"
assert_eq "$(layers "$T/auto-hello")" "$app" "the same image as --from static"

log "a Python script with --from auto gets python3 and runs"
printf '#!/usr/bin/python3\nimport sys, os\nprint("py", sys.version.split()[0], os.getuid(), sys.argv[0])\n' >"$T/hi.py"
"$DISTILL" build --from auto --app "$T/hi.py" --user 65532 --arch amd64 --compression none -o "$T/py" 2>"$T/py.log" >/dev/null
assert_contains "$(cat "$T/py.log")" "--from auto: $T/hi.py is a script whose #! line names /usr/bin/python3 (python3): python3-debian13" "the choice"
assert_eq "$(entrypoint "$T/py")" '["/usr/bin/python3.13","/app/hi.py"]' "entrypoint"
assert_eq "$(run_image "$T/py" latest)" "py 3.13.5 65532 /app/hi.py" "the script's output"

log "a jar and a node script pick the table's images, run by their entrypoints"
python3 -c 'import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],"w"); z.writestr("META-INF/MANIFEST.MF","Manifest-Version: 1.0\nMain-Class: ex.Main\n\n"); z.writestr("ex/Main.class","x"); z.close()' "$T/app.jar"
"$DISTILL" build --from auto --app "$T/app.jar" --arch amd64 -o "$T/jar" 2>"$T/jar.log" >/dev/null
assert_contains "$(cat "$T/jar.log")" "is a jar, Main-Class ex.Main (java): java21-debian13" "the jar's choice"
assert_eq "$(entrypoint "$T/jar")" '["/usr/bin/java","-jar","/app/app.jar"]' "java -jar"
printf 'console.log(1)\n' >"$T/srv.mjs"
"$DISTILL" build --from auto --app "$T/srv.mjs:/srv/" --arch amd64 -o "$T/node" >/dev/null 2>&1
assert_eq "$(entrypoint "$T/node")" '["/nodejs/bin/node","/srv/srv.mjs"]' "node"

log "app: in a definition: a directory with dir-mode, owner and \${ARCH}"
for arch in amd64 arm64; do
  mkdir -p "$T/dist/$arch/bin" "$T/dist/$arch/share"
  cp "$T/hello" "$T/dist/$arch/bin/hello"
  echo "$arch" >"$T/dist/$arch/share/arch.txt" && chmod 0600 "$T/dist/$arch/share/arch.txt"
done
cat >"$T/app.yaml" <<'YAML'
from: static
app:
  - {src: "dist/${ARCH}", dest: /opt/app, uid: 1000, gid: 1000, dir-mode: "0750"}
config:
  user: "1000"
  entrypoint: [/opt/app/bin/hello]
YAML
"$DISTILL" build "$T/app.yaml" --arch amd64,arm64 --explain -o "$T/multi" >"$T/multi.log" 2>/dev/null
assert_contains "$(cat "$T/multi.log")" "arm64: app file /opt/app/share/arch.txt: $T/app.yaml:3 ($T/dist/arm64/share/arch.txt)" "explain"
"$DISTILL" build "$T/app.yaml" --arch amd64 -o "$T/dir" >/dev/null
umoci unpack --image "$T/dir:latest" "$T/u" >/dev/null
assert_eq "$(cd "$T/u/rootfs/opt/app" && stat -c '%n %a %u:%g' . bin bin/hello share/arch.txt | tr '\n' ' ')" \
  ". 750 1000:1000 bin 750 1000:1000 bin/hello 755 1000:1000 share/arch.txt 644 1000:1000 " "modes and owner"
assert_eq "$(cat "$T/u/rootfs/opt/app/share/arch.txt")" "amd64" "\${ARCH} in src"
assert_eq "$(run_image "$T/dir" latest)" "hello from /opt/app/bin/hello" "runs as 1000"

log "refusals are one line each"
expect_fail err "$DISTILL" build --from auto --app "$T/hello.c" -o "$T/x"
assert_eq "$err" "distill: error: $T/hello.c: not an ELF program and not a script --from auto knows (a #! line naming python3 or node, a .py file or a jar); name a base with --from"
ln -s /etc/shadow "$T/dist/amd64/share/leak"
expect_fail err "$DISTILL" build "$T/app.yaml" --arch amd64 -o "$T/x"
assert_eq "$err" "distill: error: $T/app.yaml:3: symlink $T/dist/amd64/share/leak -> /etc/shadow points outside the app directory $T/dist/amd64; copy what it points to into the directory, or add the link with symlinks:"
rm "$T/dist/amd64/share/leak" && mkfifo "$T/dist/amd64/fifo"
expect_fail err "$DISTILL" build --from static --app "$T/dist/amd64:/opt/app" --arch amd64 -o "$T/x"
assert_eq "$err" "distill: error: --app $T/dist/amd64:/opt/app: $T/dist/amd64/fifo is a fifo; an app holds only files, directories and symlinks"
expect_fail err "$DISTILL" build -o "$T/x"
assert_eq "$err" "distill: error: build needs a definition (a family name or a .yaml file) or --from BASE"
[[ ! -e $T/x ]] || die "a refused build wrote $T/x"
log "ok"
