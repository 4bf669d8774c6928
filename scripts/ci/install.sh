#!/usr/bin/env bash
# What CI needs beyond the Rust toolchain, from Debian's packages and rustup: the Windows target
# and its linker (mingw), Wine to run the Windows tests, Chromium for the printed-page tests, PostgreSQL for the server tests.
# Installs only what is missing, so a second run is quick.
set -euo pipefail
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
[ -x /usr/lib/wine/wine64 ] || need+=(wine64)
command -v chromium >/dev/null || need+=(chromium)
# The server tests start their own PostgreSQL (initdb and pg_ctl in a temporary folder, as
# `nobody` when run as root: tests/common/pg.rs); they need only the binaries and runuser.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
command -v runuser >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
