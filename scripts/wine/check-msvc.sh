#!/bin/sh
# Checks (with clippy, -D warnings) that the crate still builds for x86_64-pc-windows-msvc, the
# target `cargo install` uses on a Windows PC with Microsoft's tools. From Linux there is no
# Microsoft compiler, so the bundled C code (SQLite, mimalloc) is compiled by mingw's gcc and
# archived by its ar; nothing is linked, which is all a check needs.
set -eu
cd "$(dirname "$0")/../.."
rustup target list --installed | grep -qx x86_64-pc-windows-msvc || rustup target add x86_64-pc-windows-msvc
export CC_x86_64_pc_windows_msvc=x86_64-w64-mingw32-gcc
export AR_x86_64_pc_windows_msvc="$PWD/scripts/wine/lib-as-ar.sh"
exec cargo clippy --locked --all-targets --target x86_64-pc-windows-msvc -- -D warnings
