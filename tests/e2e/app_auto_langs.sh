#!/usr/bin/env bash
# build --from auto for programs of other languages compiled here (g++, and
# Debian's rustc and golang-go), against the signed bookworm fixture: each
# image runs under runc, and each test asserts the base --from auto chose
# and the exact packages added (none: the family has a member for each):
# C++ -> cc (libstdc++6); Rust -> cc, the smallest base that carries
# libgcc_s; Go built with cgo -> base-nossl, a libc base.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/family_lib.sh"
need umoci runc jq g++
[[ $(id -u) == 0 ]] || skip "runc needs root"
make_tmpdir T
. "$(dirname "$0")/app_auto_lib.sh"
cd "$T"

log "a C++ program: cc"
printf '#include <iostream>\n#include <stdexcept>\nint main() { try { throw std::runtime_error("caught"); } catch (const std::exception &e) { std::cout << "c++ " << e.what() << "\\n"; } }\n' >cxx.cpp
g++ -O2 -o cxx cxx.cpp
auto_build cxx --app "$T/cxx" --explain
assert_eq "$(choice cxx)" "--from auto: $T/cxx is an ELF file: cc-debian12, nothing added" "choice"
assert_eq "$(added cxx cc-debian12)" "" "packages added"
assert_contains "$(cat cxx.log)" "--from auto: /app/cxx needs libstdc++.so.6 (found /usr/lib/x86_64-linux-gnu/libstdc++.so.6 in libstdc++6); in cc-debian12" "explain"
assert_eq "$(run_image "$T/img" cxx)" "c++ caught" "output"

if [[ -x /usr/bin/rustc ]]; then
  log "a Rust program (Debian's rustc): cc, which has libgcc_s"
  printf 'fn main() { let v: Vec<u32> = (1..=10).collect(); println!("rust {}", v.iter().sum::<u32>()); }\n' >hello.rs
  /usr/bin/rustc -O -o rs hello.rs
  auto_build rs --app "$T/rs" --explain
  assert_eq "$(choice rs)" "--from auto: $T/rs is an ELF file: cc-debian12, nothing added" "choice"
  assert_eq "$(added rs cc-debian12)" "" "packages added"
  assert_contains "$(cat rs.log)" "--from auto: /app/rs needs libgcc_s.so.1 (found /lib/x86_64-linux-gnu/libgcc_s.so.1 in libgcc-s1); in cc-debian12" "explain"
  assert_eq "$(run_image "$T/img" rs)" "rust 55" "output"
else
  log "SKIP the Rust program: Debian's rustc is not installed (scripts/install-deps.sh)"
fi

if [[ -x /usr/bin/go ]]; then
  log "a Go program built with cgo (Debian's golang-go): base-nossl, a libc base"
  mkdir -p gocgo
  cat >gocgo/main.go <<'GO'
package main

/*
#include <stdlib.h>
static int twice(int x) { return 2 * x; }
*/
import "C"
import "fmt"

func main() { fmt.Println("go cgo", int(C.twice(21))) }
GO
  (cd gocgo && GOCACHE="$T/gocache" GOPATH="$T/gopath" GO111MODULE=off CGO_ENABLED=1 /usr/bin/go build -o "$T/gocgo-bin" .)
  auto_build go --app "$T/gocgo-bin:/app/server"
  assert_eq "$(choice go)" "--from auto: $T/gocgo-bin:/app/server is an ELF file: base-nossl-debian12, nothing added" "choice"
  assert_eq "$(added go base-nossl-debian12)" "" "packages added"
  assert_eq "$(run_image "$T/img" go)" "go cgo 42" "output"
else
  log "SKIP the Go program: Debian's golang-go is not installed (scripts/install-deps.sh)"
fi
log "ok ($SECONDS s)"
