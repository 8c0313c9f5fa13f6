#!/usr/bin/env bash
# A corrupted cache entry is caught by its SHA-256, fetched again (the
# server's log shows the second download) and the build gives the same
# digest as before: a .deb with one byte flipped, and a truncated Packages
# index.
. "$(dirname "$0")/common.bash"
start_http "$FAM/repo" serve "$T/http.log"
fault_definition "$T/static.yaml" static "http://127.0.0.1:$HTTP_PORT"
C="$T/cache"
build() { "$DISTILL" -q build "$T/static.yaml" --cache-dir "$C" "$@"; }

first=$(build -o "$T/out/first")
# The cache is content-addressed: find the entries by the served files' hashes.
cached_entry_of() {  # cached_entry_of FILE-UNDER-REPO
  local p="$C/blobs/sha256/$(sha256sum "$FAM/repo/$1" | cut -d' ' -f1)"
  [[ -f $p ]] || die "$1 is not in the cache"
  echo "$p"
}
gets() { grep -c "^GET /$1\$" "$T/http.log" || true; }
# flip_byte FILE: inverts the byte in the middle of FILE.
flip_byte() {
  local off=$(($(stat -c %s "$1") / 2))
  local b=$(od -An -tu1 -j "$off" -N1 "$1" | tr -d ' ')
  printf "$(printf '\\%03o' $((255 - b)))" | dd of="$1" bs=1 seek="$off" conv=notrunc status=none
}

log "a .deb with one byte flipped"
deb=$(cd "$FAM/repo" && ls pool/*/*/tzdata*.deb 2>/dev/null || find pool -name 'tzdata_*.deb')
entry=$(cached_entry_of "$deb")
before=$(gets "$deb")
assert_eq "$before" 1 "downloads of $deb after the first build"
flip_byte "$entry"
[[ $(sha256sum <"$entry") != $(sha256sum <"$FAM/repo/$deb") ]] || die "the flip changed nothing"
# A layer in the layer cache needs no .deb (it is not even hashed): drop
# the layers, so the rebuild reads every .deb again.
rm -rf "$C/layers"
err=$(build -o "$T/out/deb" 2>&1 >"$T/digest") || die "rebuild after a corrupt .deb failed: $err"
assert_eq "$(cat "$T/digest")" "$first" "digest after re-fetching the .deb"
assert_contains "$err" "$entry does not match its SHA-256"
assert_eq "$(gets "$deb")" 2 "downloads of $deb"
assert_eq "$(sha256sum <"$entry")" "$(sha256sum <"$FAM/repo/$deb")" "repaired cache entry"

log "a truncated Packages index"
# Whichever index the build fetched (by-hash or by name) is in the log.
index=""
while read -r _ path; do
  path=${path#/}
  p="$C/blobs/sha256/$(sha256sum "$FAM/repo/$path" | cut -d' ' -f1)"
  if [[ -f $p && $path == */binary-amd64/* ]]; then index=$path; entry=$p; break; fi
done < <(grep "^GET /dists/.*Packages" "$T/http.log" || true)
[[ -n $index ]] || die "no cached Packages index found in $(cat "$T/http.log")"
before=$(gets "$index")
# Builds read the index's compact form (indices/SHA256.idx1, keyed like the
# download): a truncated one is dropped and rebuilt from the cached file.
compact="$C/indices/${entry##*/}.idx1"
[[ -f $compact ]] || die "no compact form $compact of $index"
size=$(stat -c %s "$compact")
truncate -s $((size / 2)) "$compact"
err=$(build -o "$T/out/compact" 2>&1 >"$T/digest") || die "rebuild after a truncated compact index failed: $err"
assert_eq "$(cat "$T/digest")" "$first" "digest after rebuilding the compact index"
assert_contains "$err" "rebuilding it"
assert_eq "$(stat -c %s "$compact")" "$size" "rebuilt compact index"
assert_eq "$(gets "$index")" "$before" "downloads of $index (the cached file was whole)"
# Without a compact form the downloaded file is read again, and checked.
rm "$compact"
truncate -s $(($(stat -c %s "$entry") / 2)) "$entry"
err=$(build -o "$T/out/index" 2>&1 >"$T/digest") || die "rebuild after a truncated index failed: $err"
assert_eq "$(cat "$T/digest")" "$first" "digest after re-fetching the index"
assert_contains "$err" "$entry does not match its SHA-256"
assert_eq "$(gets "$index")" $((before + 1)) "downloads of $index"
assert_eq "$(sha256sum <"$entry")" "$(sha256sum <"$FAM/repo/$index")" "repaired index entry"
echo "corrupt_cache: ok"
