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
# The properties are the same as on Linux, where they run in full; each case costs many times more
# under Wine, so a tenth of them is tried here.
export CASELOAD_PROPERTY_CASES_PERCENT=${CASELOAD_PROPERTY_CASES_PERCENT:-10}
cargo="cargo test --locked --target x86_64-pc-windows-gnu"
start=$(date +%s)
log=$(mktemp)
status=0
$cargo --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
awk -v secs=$(( $(date +%s) - start )) '
    /^test result:/ { passed += $4; failed += $6; ignored += $8 }
    END { printf "Windows (Wine): %d passed, %d failed, %d ignored, in %d s\n", passed, failed, ignored, secs }
' "$log"
# Wine, on a busy machine, now and then fails to start a program ("Internal error", os error 1359)
# that a test runs. A failed test is run once more on its own: passing then is reported as such,
# failing again fails the run.
failed=$(awk '
    /^ *Running unittests src\/lib.rs/ { target = "--lib" }
    /^ *Running unittests src\/main.rs/ { target = "--bin caseload" }
    /^ *Running tests\// { name = $2; sub(/^tests\//, "", name); sub(/\.rs$/, "", name); target = "--test " name }
    /^test .* \.\.\. FAILED$/ { print target "|" $2 }
' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ -n "$failed" ]; then
    status=0
    while IFS='|' read -r target name; do
        echo "== again, on its own: $target $name"
        # shellcheck disable=SC2086
        if $cargo $target -- --exact "$name"; then
            echo "Windows (Wine): $name failed in the full run and passed on its own"
        else
            status=1
        fi
    done <<< "$failed"
fi
/usr/lib/wine/wineserver -k 2>/dev/null || true
exit $status
