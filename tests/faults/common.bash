# Shared setup for tests/faults/*.sh (named .bash so CTest does not run it).
#   . "$(dirname "$0")/common.bash"
# Gives: T (temp dir), FAM (the signed fixture repository of real Debian
# packages), TMPDIR inside T (so leaked temp dirs are visible), check_oci /
# check_archive (tests/faults/check_output.py) and fault_definition.
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
need python3 jq
make_tmpdir T
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR" "$T/out"
export XDG_CACHE_HOME="$T/xdg-cache"
FAULTS="$DISTILL_SRC/tests/faults"
FAM="${DISTILL_BUILD:-$T}/test-fixtures/family"
bash "$FIXTURES/make-family-repo.sh" "$FAM"

check_oci() { python3 "$FAULTS/check_output.py" oci "$1"; }
check_archive() { python3 "$FAULTS/check_output.py" archive "$1"; }

# fault_definition FILE BASE URI: FILE builds family member BASE from URI.
fault_definition() {
  cat >"$1" <<YAML
from: $DISTILL_SRC/images/$2-debian12.yaml
repositories:
  - {uri: "$3", suites: [bookworm], keyring: "$FAM/keyring.gpg"}
YAML
}

# temps_in DIR: the temp entries distill leaves beside outputs, one a line.
temps_in() { find "$1" -maxdepth 1 -name '.*.tmp-*' -printf '%f\n' | sort; }

now_ms() { echo $(($(date +%s%N) / 1000000)); }
