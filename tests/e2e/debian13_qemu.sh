#!/usr/bin/env bash
# static-debian13 and base-debian13 for all six architectures in one index,
# from the trixie fixture repository, each arch's image unpacked by skopeo +
# umoci; where the fixture has the arch's real libc6 (amd64, arm64, armhf,
# riscv64) that libc runs under qemu-user and prints its version. s390x and
# ppc64el are relabelled amd64 packages (no mirror here serves those .debs),
# so for them the test checks the layout, not execution.
. "$(dirname "$0")/lib.sh"
need umoci skopeo jq qemu-aarch64-static qemu-arm-static qemu-riscv64-static
make_tmpdir T
serve_debian13_fixture
export XDG_CACHE_HOME="$T/cache"
REPO=$D13_REPO
mkdir -p "$T/defs"
for name in static base; do
  printf 'from: %s\nrepositories: [%s]\n' "$DISTILL_SRC/images/$name-debian13.yaml" "$REPO" >"$T/defs/$name.yaml"
done

# ARCH -> "OCI-ARCH[/VARIANT] TRIPLET QEMU LOADER-PATH"
declare -A A=(
  [amd64]="amd64 x86_64-linux-gnu - /lib64/ld-linux-x86-64.so.2"
  [arm64]="arm64/v8 aarch64-linux-gnu qemu-aarch64-static /lib/ld-linux-aarch64.so.1"
  [armhf]="arm/v7 arm-linux-gnueabihf qemu-arm-static /lib/ld-linux-armhf.so.3"
  [s390x]="s390x s390x-linux-gnu - -"
  [ppc64el]="ppc64le powerpc64le-linux-gnu - -"
  [riscv64]="riscv64 riscv64-linux-gnu qemu-riscv64-static /lib/ld-linux-riscv64-lp64d.so.1"
)
ARCHES="amd64,arm64,armhf,s390x,ppc64el,riscv64"

for name in static base; do
  log "$name-debian13 for $ARCHES"
  "$DISTILL" build "$T/defs/$name.yaml" --arch "$ARCHES" -o "$T/out/$name" -t latest >/dev/null
  idx=$(skopeo inspect --raw "oci:$T/out/$name:latest")
  assert_eq "$(jq -r '.mediaType' <<<"$idx")" "application/vnd.oci.image.index.v1+json" "$name media type"
  assert_eq "$(jq -r '[.manifests[].platform | .os + "/" + .architecture + (if .variant then "/" + .variant else "" end)] | join(" ")' <<<"$idx")" \
    "linux/amd64 linux/arm64/v8 linux/arm/v7 linux/s390x linux/ppc64le linux/riscv64" "$name index platforms"
  for arch in amd64 arm64 armhf s390x ppc64el riscv64; do
    read -r plat triplet qemu loader <<<"${A[$arch]}"
    oarch=${plat%%/*} variant=
    [[ $plat == */* ]] && variant=${plat#*/}
    # The manifest skopeo picks for this platform must carry a config that says the same.
    cfg=$(skopeo --override-os linux --override-arch "$oarch" ${variant:+--override-variant "$variant"} \
      inspect --config "oci:$T/out/$name:latest")
    assert_eq "$(jq -r '.architecture + (if .variant then "/" + .variant else "" end)' <<<"$cfg")" "$plat" "$name $arch config platform"
    rm -rf "$T/one" "$T/u"
    skopeo --override-os linux --override-arch "$oarch" ${variant:+--override-variant "$variant"} \
      copy -q "oci:$T/out/$name:latest" "oci:$T/one:x"
    umoci unpack --image "$T/one:x" "$T/u" >/dev/null
    R="$T/u/rootfs"
    grep -qx "Architecture: $arch" "$R/var/lib/dpkg/status.d/base-files" || die "$name $arch: base-files is not $arch"
    for l in bin:usr/bin sbin:usr/sbin lib:usr/lib; do
      assert_eq "$(readlink "$R/${l%%:*}")" "${l#*:}" "$name $arch /${l%%:*}"
    done
    [[ $name == base ]] || continue
    libc="$R/usr/lib/$triplet/libc.so.6"
    [[ -f $libc ]] || die "base $arch: no $libc"
    [[ -e $R$loader || $loader == - ]] || die "base $arch: loader $loader not reachable through the merged-/usr links"
    grep -qx "Architecture: $arch" "$R/var/lib/dpkg/status.d/libssl3t64" || die "base $arch: libssl3t64 is not $arch"
    if [[ $qemu == - && $arch == amd64 ]]; then
      # The image's own loader: the host's (glibc 2.36) cannot run 2.41's libc.
      out=$("$R$loader" --library-path "$R/usr/lib/$triplet" "$libc")
    elif [[ $qemu == - ]]; then
      log "base $arch: relabelled amd64 fixture, not executed"
      continue
    else
      # -L: the loader and libraries come from the image's root.
      out=$("$qemu" -L "$R" "$libc")
    fi
    assert_contains "$out" "GNU C Library (Debian GLIBC 2.41" "base $arch libc.so.6 under ${qemu/-/the host}"
    log "base $arch: ${out%%$'\n'*}"
  done
done
echo "debian13_qemu: ok"
