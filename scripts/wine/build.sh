#!/bin/sh
# Builds bcryptprimitives.dll (ProcessPrng for Wine 8) with the mingw compiler and puts it beside
# the Windows test binaries and caseload.exe of the given profile (debug unless told).
# Usage: scripts/wine/build.sh [debug|release]   (CARGO_TARGET_DIR is honoured)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
profile=${1:-debug}
target=${CARGO_TARGET_DIR:-$here/../../target}/x86_64-pc-windows-gnu/$profile
mkdir -p "$target/deps"
x86_64-w64-mingw32-gcc -shared -O2 -o "$target/bcryptprimitives.dll" "$here/bcryptprimitives.c" -ladvapi32
cp "$target/bcryptprimitives.dll" "$target/deps/"
echo "$target/bcryptprimitives.dll"
