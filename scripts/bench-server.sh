#!/usr/bin/env bash
# A year's return from a local PostgreSQL server beside the file's (docs/performance.md).
#
#   scripts/bench-server.sh            100,000 children (several minutes)
#   scripts/bench-server.sh 10000      another size
#
# Starts a throwaway PostgreSQL (the distribution's initdb and pg_ctl, in a temporary folder, on a
# free local port; as root the server runs as nobody), generates the district in a file as
# scripts/bench.sh does, copies it to the server, and times the same export from both, and a
# dump (the whole database with the audit log: what a desk's working copy reads at each refresh).
# A return from the server counts its figures there (src/store/server/figures.rs).
# Run by hand; not a test.
set -euo pipefail

children="${1:-100000}"
cd "$(dirname "$0")/.."
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)"
[ -x "$pgbin/initdb" ] || { echo "bench-server.sh: PostgreSQL is not installed" >&2; exit 1; }
export CASELOAD_NOW=2026-11-27T12:00:00Z
year=2025-26
runs=5

echo "building the release binary..." >&2
cargo build --release --quiet
bin="$PWD/target/release/caseload"

work="$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench-server.XXXXXX")"
as=()
if [ "$(id -u)" = 0 ]; then
    as=(runuser -u nobody --)
    chown nobody: "$work"
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
    "${as[@]}" "$pgbin/pg_ctl" -D "$work/data" -m immediate stop > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
"${as[@]}" "$pgbin/initdb" -D "$work/data" -U owner --auth=trust -E UTF8 --no-locale > /dev/null
"${as[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off" start > /dev/null
url="postgres://owner@127.0.0.1:$port/postgres?sslmode=disable"

file="$work/district.db"
echo "generating $children children over 5 years..." >&2
"$bin" --db "$file" demo --children "$children" --years 5 --seed 7 > /dev/null 2>&1
"$bin" --db "$url" server init 2> /dev/null
t0=$EPOCHREALTIME
"$bin" --db "$file" copy --to "$url" 2> /dev/null
t1=$EPOCHREALTIME
echo "copy --to: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"

# median SECONDS...: the middle value.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# timed DB ARGS...: the median wall time of $runs runs.
timed() {
    local db="$1" walls=()
    shift
    for ((i = 0; i < runs; i++)); do
        local a=$EPOCHREALTIME
        "$bin" --db "$db" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
        local b=$EPOCHREALTIME
        walls+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
    done
    median "${walls[@]}"
}
echo "a year's return ($year, JSON): file $(timed "$file" export --year "$year" --format json) s, server $(timed "$url" export --year "$year" --format json) s"
cmp <("$bin" --db "$file" export --year "$year" --format json) <("$bin" --db "$url" export --year "$year" --format json) \
    && echo "the two returns are the same"
echo "dump (the whole database and its log): file $(timed "$file" dump) s, server $(timed "$url" dump) s"
