#!/usr/bin/env bash
# Runs the test suite built for Windows (x86_64-pc-windows-gnu) under Wine, in a Wine folder of its
# own, and prints how many tests ran, passed and failed and how long it took.
# Usage: scripts/wine/test.sh [cargo test options...]   (CARGO_TARGET_DIR is honoured)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
wine=/usr/lib/wine/wine64
[ -x "$wine" ] || { echo "Wine is not installed (Debian: apt-get install wine64)" >&2; exit 2; }
"$here/build.sh" >/dev/null
export WINEPREFIX=${WINEPREFIX:-${TMPDIR:-/tmp}/caseload-wine}
# No Mono or Gecko install prompts; the stand-in for ProcessPrng (see build.sh).
export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n" WINEDEBUG=-all
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$wine
mkdir -p "$WINEPREFIX"
"$wine" wineboot -i >/dev/null 2>&1 || true
start=$(date +%s)
log=$(mktemp)
status=0
cargo test --locked --target x86_64-pc-windows-gnu "$@" 2>&1 | tee "$log" || status=$?
awk -v secs=$(( $(date +%s) - start )) '
    /^test result:/ { passed += $4; failed += $6; ignored += $8 }
    END { printf "Windows (Wine): %d passed, %d failed, %d ignored, in %d s\n", passed, failed, ignored, secs }
' "$log"
rm -f "$log"
/usr/lib/wine/wineserver -k 2>/dev/null || true
exit $status
