#!/bin/sh
# Stands in for Microsoft's lib.exe when checking the -msvc build from Linux
# (scripts/wine/check-msvc.sh): turns `lib -out:FILE -nologo OBJECTS...` into the mingw `ar`.
set -eu
out=""
for arg in "$@"; do
    case "$arg" in
        -out:*|/OUT:*) out=${arg#*:} ;;
    esac
done
[ -n "$out" ] || { echo "lib-as-ar: no -out:FILE" >&2; exit 2; }
objects=""
for arg in "$@"; do
    case "$arg" in
        -*|/*:*) ;;
        *) objects="$objects $arg" ;;
    esac
done
rm -f "$out"
# shellcheck disable=SC2086
exec x86_64-w64-mingw32-ar crs "$out" $objects
