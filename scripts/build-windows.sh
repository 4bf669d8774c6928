#!/usr/bin/env bash
# Builds caseload.exe for Windows 10/11 (x86-64) from Linux: the Rust target and Debian's mingw
# linker, then a release build. Prints where the program is.
# Usage: scripts/build-windows.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    echo "The mingw compiler is missing: on Debian or Ubuntu, sudo apt-get install gcc-mingw-w64-x86-64" >&2
    exit 2
fi
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
cargo build --release --locked --target x86_64-pc-windows-gnu
exe="$PWD/target/x86_64-pc-windows-gnu/release/caseload.exe"
echo "$exe ($(du -h "$exe" | cut -f1)): copy it to the Windows PC; it needs nothing else installed."
