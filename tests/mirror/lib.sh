# Helpers for the real-mirror tests (label "mirror"; source after
# ../e2e/lib.sh). The tests build with --mirror (and --security-mirror) set to
# the host's own archive URIs, read here from its apt sources at test time so
# that no host name is ever written down.

# apt_uri_suites: "URI SUITE" for every suite of every enabled deb line of the
# host's apt sources (sources.list, sources.list.d/*.list one-line format,
# sources.list.d/*.sources deb822), in the order apt reads them.
apt_uri_suites() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    # deb [opt=val ...] URI SUITE COMPONENT...
    sed 's/#.*//' "$f" | awk '$1 == "deb" {
      i = 2
      if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
      if ($(i + 1) != "") print $i, $(i + 1) }'
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk 'BEGIN { RS = ""; FS = "\n" }
      { uri = ""; suites = ""; deb = 0; on = 1
        for (i = 1; i <= NF; i++) {
          l = $i
          if (l ~ /^#/) continue
          if (l ~ /^Types:/ && l ~ /[ \t]deb([ \t]|$)/) deb = 1
          if (l ~ /^Enabled:[ \t]*(no|false)/) on = 0
          if (l ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", l); split(l, u, /[ \t]+/); uri = u[1] }
          if (l ~ /^Suites:/) { sub(/^Suites:[ \t]*/, "", l); suites = l }
        }
        if (deb && on && uri != "") { n = split(suites, s, /[ \t]+/); for (j = 1; j <= n; j++) print uri, s[j] } }' "$f"
  done
}

# host_mirrors: sets HOST_MIRROR (the first Debian main-archive URI),
# HOST_SECURITY_MIRROR (the first security-archive URI, or empty) and
# MIRROR_FLAGS (--mirror, and --security-mirror if there is one) for
# distill. Only Debian's suites count (by codename or alias, as distill
# reads them), not a vendor's lines. Skips the test without a main archive.
host_mirrors() {
  local debian='^(buster|bullseye|bookworm|trixie|forky|duke|sid|oldoldstable|oldstable|stable|testing|unstable)'
  HOST_MIRROR=$(apt_uri_suites | awk -v re="$debian(-updates)?\$" '$2 ~ re { print $1; exit }')
  HOST_SECURITY_MIRROR=$(apt_uri_suites | awk -v re="$debian(-security|/updates)\$" '$2 ~ re { print $1; exit }')
  HOST_MIRROR=${HOST_MIRROR%/}
  HOST_SECURITY_MIRROR=${HOST_SECURITY_MIRROR%/}
  [[ -n $HOST_MIRROR ]] || skip "the host's apt sources name no Debian main archive"
  MIRROR_FLAGS=(--mirror "$HOST_MIRROR")
  [[ -z $HOST_SECURITY_MIRROR ]] || MIRROR_FLAGS+=(--security-mirror "$HOST_SECURITY_MIRROR")
}
