#!/bin/sh
# Downloads the Debian 13 (trixie) .debs that the hermetic Debian 13 tests
# build their fixture repository from (tests/fixtures/make-debian13-repo.sh),
# with apt itself, from the archive the host's apt sources name. Nothing is
# installed and the host's apt state is not touched: a private apt directory
# under DEST holds trixie's lists.
#
#   fetch-debian13-debs.sh [DEST]     default /var/cache/distill-fixtures/debian13
#
# Idempotent: when DEST already holds every package of the list (the list's
# hash is recorded), it returns at once. The tests then never reach a mirror.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
LIST="$HERE/../tests/fixtures/debian13-packages.txt"
DEST=${1:-/var/cache/distill-fixtures/debian13}
want=$(sha256sum <"$LIST" | cut -d' ' -f1)
if [ -f "$DEST/.done" ] && [ "$(cat "$DEST/.done")" = "$want" ]; then
  exit 0
fi

# The main archive's URI, as the host's apt uses it (deb822 .sources first,
# then one-line .list files): the first source that carries bookworm itself.
uri=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  uri=$(awk '
    /^[ \t]*$/ { if (u != "" && s ~ /(^| )bookworm( |$)/) { print u; exit } u = ""; s = "" }
    /^URIs:/ { u = $2 }
    /^Suites:/ { $1 = ""; s = $0 " " }
    END { if (u != "" && s ~ /(^| )bookworm( |$)/) print u }' "$f" | head -n 1)
  [ -n "$uri" ] && break
done
if [ -z "$uri" ]; then
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; exit } }')
fi
[ -n "$uri" ] || {
  echo "fetch-debian13-debs: no Debian 12 source in /etc/apt/sources.list{,.d}; cannot find the archive" >&2
  exit 1
}

APT="$DEST/apt"
mkdir -p "$APT/lists/partial" "$APT/archives/partial" "$APT/none" "$DEST/debs"
: >"$APT/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri trixie main" >"$APT/sources.list"
arches=$(awk '!/^#/ && NF { print $1 }' "$LIST" | sort -u)
set -- -o "Dir::State=$APT" -o "Dir::State::Lists=$APT/lists" -o "Dir::State::status=$APT/status" \
  -o "Dir::Cache=$APT" -o "Dir::Cache::archives=$APT/archives" \
  -o "Dir::Etc::SourceList=$APT/sources.list" -o "Dir::Etc::SourceParts=$APT/none" \
  -o "Dir::Etc::Preferences=$APT/preferences" -o "Dir::Etc::PreferencesParts=$APT/none" \
  -o APT::Architecture=amd64 -o APT::Sandbox::User=root -o Debug::NoLocking=1 -o Acquire::Retries=3
for a in $arches; do set -- "$@" -o "APT::Architectures::=$a"; done
apt-get "$@" -qq update
# Each line: ARCH PACKAGE... ; a package's .deb lands in DEST/debs/ARCH/.
awk '!/^#/ && NF' "$LIST" | while read -r arch pkgs; do
  mkdir -p "$DEST/debs/$arch"
  spec=""
  for p in $pkgs; do spec="$spec $p:$arch"; done
  (cd "$DEST/debs/$arch" && apt-get "$@" -qq download $spec)
done
echo "$want" >"$DEST/.done"
