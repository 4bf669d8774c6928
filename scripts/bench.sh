#!/usr/bin/env bash
# Speed benchmark for caseload: the figures behind the speed bars of docs/performance.md.
#
#   scripts/bench.sh            10,000 and 100,000 children (a few minutes)
#   scripts/bench.sh --quick    10,000 children only
#
# Run by hand from anywhere in the repo; it is deliberately not a `cargo test` (tests assert
# correctness only, and timings on a shared machine would make them flaky). Results are written
# to stdout; docs/performance.md records a run and explains the columns.
#
# Needs: cargo, GNU time at /usr/bin/time (for peak RSS), python3 with its sqlite3 module.
set -euo pipefail

quick=0
case "${1:-}" in
    "") ;;
    --quick) quick=1 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
for tool in /usr/bin/time python3 cargo; do
    command -v "$tool" > /dev/null || { echo "bench.sh: $tool is needed" >&2; exit 1; }
done

# --- Fixed inputs, so that runs on different days and machines are comparable -------------------
sizes=(10000 100000)
((quick)) && sizes=(10000)
years=5
seed=7
# "Today" for the generator: with five years ending in 2026-27, 2025-26 is the latest complete year.
export CASELOAD_NOW=2026-11-27T12:00:00Z
year=2025-26
term=3
runs=5     # exports and the SQLite queries are repeated; the median is reported
gen_runs=3 # generation and import likewise
# The dates of 2025-26 T3 and its year, for running the return's SQL directly (see sqlite_term).
t_start=2026-01-05 t_end=2026-02-22 y_start=2025-09-01 y_end=2026-08-31 cutoff=2025-08-22

echo "building the release binary..." >&2
cargo build --release --quiet
bin="$PWD/target/release/caseload"

work="$(mktemp -d "${TMPDIR:-/tmp}/caseload-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- Measuring ---------------------------------------------------------------------------------
# run OUT CMD...: runs CMD (its stdout and stderr to OUT.out / OUT.err) and sets $wall (seconds)
# and $rss (peak resident set, KiB). Wall time is taken from bash's microsecond clock rather than
# GNU time's %e, whose 10 ms steps are too coarse for a 50 ms export; %M gives the peak RSS.
run() {
    local out="$1"
    shift
    local t0=$EPOCHREALTIME
    /usr/bin/time -o "$out.time" -f '%e %M' "$@" > "$out.out" 2> "$out.err" || {
        echo "bench.sh: failed: $*" >&2
        cat "$out.err" >&2
        exit 1
    }
    local t1=$EPOCHREALTIME
    wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
    rss=$(awk 'END { print $2 }' "$out.time")
}

# median N...: the middle value; max N...: the largest; min N...: the smallest.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
max() { printf '%s\n' "$@" | sort -g | tail -n 1; }
min() { printf '%s\n' "$@" | sort -g | head -n 1; }
# per_s A B: A / B as a whole number (records per second); mb K: KiB as MB.
per_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a / b }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

# repeat OUT N CMD...: runs CMD N times; sets $wall to the median wall time and $rss to the max.
repeat() {
    local out="$1" n="$2"
    shift 2
    local walls=() rsses=()
    for ((i = 0; i < n; i++)); do
        run "$out" "$@"
        walls+=("$wall")
        rsses+=("$rss")
    done
    wall=$(median "${walls[@]}")
    rss=$(max "${rsses[@]}")
}

# sqlite_term DB: median over $runs of the summed time of the term return's aggregate queries, run
# by SQLite alone (Python's sqlite3, no caseload code): the floor the export is compared with.
# The SQL is taken from src/store/returns.rs by scripts/return_sql.py (which expands the status
# fragments as the compiler does), so it follows the code; a query that does not run on its own is
# skipped (and named on stderr).
sqlite_term() {
    python3 - "$1" "$runs" "$t_start" "$t_end" "$y_start" "$y_end" "$cutoff" << 'PY'
import sqlite3, statistics, sys, time
sys.path.insert(0, "scripts")
from return_sql import queries
db, runs, s, e, ys, ye, cutoff = sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
qs = queries()
params = {"s": s, "e": e, "ys": ys, "ye": ye, "cutoff": cutoff}
conn = sqlite3.connect(db)
conn.execute("PRAGMA cache_size = -32000")  # as the program sets it (src/store/open.rs)
usable = []
for q in qs:
    try:
        conn.execute(q, params).fetchall()
        usable.append(q)
    except sqlite3.Error as err:
        print(f"sqlite: skipped a query that is not self-contained ({err}): {q[:60]!r}...", file=sys.stderr)
totals = []
for _ in range(runs):
    t0 = time.perf_counter()
    for q in usable:
        conn.execute(q, params).fetchall()
    totals.append(time.perf_counter() - t0)
print(f"sqlite: {len(usable)} of {len(qs)} queries, SQLite {sqlite3.sqlite_version}", file=sys.stderr)
print(f"{statistics.median(totals):.4f}")
PY
}

# --- The runs ----------------------------------------------------------------------------------
rows=() ranges=() counties=()
for n in "${sizes[@]}"; do
    d="$work/$n"
    mkdir -p "$d"
    echo "== $n children, $years years, seed $seed" >&2

    # Generation: one transaction into an empty database; the program reports how many records
    # it wrote. Generation and import are run $gen_runs times each (the median is reported): on a
    # shared virtual machine one run can be a quarter slower than the next.
    demo_walls=() demo_rsses=()
    for ((i = 0; i < gen_runs; i++)); do
        rm -f "$d/d.db"*
        run "$d/demo" "$bin" --db "$d/d.db" demo --children "$n" --years "$years" --seed "$seed"
        demo_walls+=("$wall") demo_rsses+=("$rss")
        echo "demo:   run $((i + 1)): ${wall}s, $(mb "$rss")" >&2
    done
    records=$(sed -n 's/.* children, \([0-9]*\) records in .*/\1/p' "$d/demo.err")
    [[ -n $records ]] || { echo "bench.sh: no record count in: $(cat "$d/demo.err")" >&2; exit 1; }
    wall=$(median "${demo_walls[@]}")
    demo_rps=$(per_s "$records" "$wall") demo_rss=$(max "${demo_rsses[@]}")
    demo_range="$(per_s "$records" "$(max "${demo_walls[@]}")")-$(per_s "$records" "$(min "${demo_walls[@]}")")"
    echo "demo:   $records records, median ${wall}s ($demo_rps records/s; runs $demo_range), $(mb "$demo_rss")" >&2

    # Dump, then import the dump into a fresh database (one record per line).
    run "$d/dump" "$bin" --db "$d/d.db" dump --out "$d/d.jsonl"
    echo "dump:   ${wall}s, $(mb "$rss")" >&2
    lines=$(wc -l < "$d/d.jsonl")
    import_walls=() import_rsses=()
    for ((i = 0; i < gen_runs; i++)); do
        rm -f "$d/d2.db"*
        run "$d/import" "$bin" --db "$d/d2.db" import "$d/d.jsonl"
        import_walls+=("$wall") import_rsses+=("$rss")
        echo "import: run $((i + 1)): ${wall}s, $(mb "$rss")" >&2
    done
    wall=$(median "${import_walls[@]}")
    import_rps=$(per_s "$lines" "$wall") import_rss=$(max "${import_rsses[@]}")
    import_range="$(per_s "$lines" "$(max "${import_walls[@]}")")-$(per_s "$lines" "$(min "${import_walls[@]}")")"
    echo "import: $lines records, median ${wall}s ($import_rps records/s; runs $import_range), $(mb "$import_rss")" >&2
    rm -f "$d/d2.db"* "$d/d.jsonl" # large; not needed further

    # Exports, process start included (that is what a user waits for).
    repeat "$d/term" "$runs" "$bin" --db "$d/d.db" export --year "$year" --term "$term"
    term_s=$wall term_rss=$rss
    echo "term export: median ${wall}s, max $(mb "$rss")" >&2
    repeat "$d/year" "$runs" "$bin" --db "$d/d.db" export --year "$year"
    year_s=$wall year_rss=$rss
    echo "year export: median ${wall}s, max $(mb "$rss")" >&2
    run "$d/xlsx" "$bin" --db "$d/d.db" export --year "$year" --out "$d/y.xlsx"
    xlsx_s=$wall xlsx_rss=$rss
    echo "xlsx year:   ${wall}s, $(mb "$rss")" >&2
    run "$d/pack" "$bin" --db "$d/d.db" report --year "$year" --out "$d/p.html"
    pack_s=$wall pack_rss=$rss
    echo "pack year:   ${wall}s, $(mb "$rss")" >&2

    # The county: twelve districts' year returns combined. The twelve are this district's return
    # under twelve names (the work is the same whatever the figures), read from files as the
    # county reads them; JSON and the county pack (its charts are most of the time).
    "$bin" --db "$d/d.db" export --year "$year" --out "$d/r.json" 2> /dev/null
    python3 - "$d" << 'PY'
import json, sys
d = sys.argv[1]
ret = json.load(open(f"{d}/r.json"))
for i in range(1, 13):
    ret["district"] = f"District {i:02}"
    json.dump(ret, open(f"{d}/c{i:02}.json", "w"))
PY
    repeat "$d/county" "$runs" "$bin" county "$d"/c??.json --out "$d/county.json"
    county_s=$wall county_rss=$rss
    echo "county of 12: median ${wall}s, max $(mb "$rss")" >&2
    run "$d/cpack" "$bin" county "$d"/c??.json --out "$d/county.html"
    cpack_s=$wall cpack_rss=$rss
    echo "county pack:  ${wall}s, $(mb "$rss")" >&2

    sql_s=$(sqlite_term "$d/d.db")
    ratio=$(awk -v a="$term_s" -v b="$sql_s" 'BEGIN { printf "%.1fx", a / b }')
    echo "sqlite term: median ${sql_s}s; export/sqlite $ratio" >&2

    peak=$(max "$demo_rss" "$import_rss" "$term_rss" "$year_rss" "$xlsx_rss" "$pack_rss" "$county_rss" "$cpack_rss")
    counties+=("$(printf '%-8s %10s %13s' "$n" "${county_s}s" "${cpack_s}s")")
    rows+=("$(printf '%-8s %11s %9s %12s %10s %11s %11s %9s %9s %11s %6s %8s' "$n" "$demo_rps" "$(mb "$demo_rss")" \
        "$import_rps" "$(mb "$import_rss")" "${term_s}s" "${year_s}s" "${xlsx_s}s" "${pack_s}s" "${sql_s}s" "$ratio" \
        "$(mb "$peak")")")
    ranges+=("$(printf '%-8s demo %s, import %s' "$n" "$demo_range" "$import_range")")
    rm -rf "$d"
done

# --- The report --------------------------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
rev=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
# The figures are for the code as built, which may include work not yet committed (untracked too).
[[ -z $(git status --porcelain -- src Cargo.toml Cargo.lock 2> /dev/null) ]] || rev="$rev + uncommitted changes"
echo
echo "caseload benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $rev"
echo "machine: $(nproc) CPUs, $cpu, $mem RAM; load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "district: --years $years --seed $seed, CASELOAD_NOW=$CASELOAD_NOW; exports of $year (T$term), median of $runs"
echo
printf '%-8s %11s %9s %12s %10s %11s %11s %9s %9s %11s %6s %8s\n' size "demo rec/s" "demo RSS" "import rec/s" \
    "import RSS" "term export" "year export" "xlsx year" "pack year" "sqlite term" ratio "max RSS"
printf '%s\n' "${rows[@]}"
echo
echo "the county: twelve districts' year returns of this size combined (median of $runs), and its pack:"
printf '%-8s %10s %13s\n' size "county JSON" "county pack"
printf '%s\n' "${counties[@]}"
echo
echo "records/s of each of the $gen_runs runs, slowest-fastest (the table gives the median):"
printf '%s\n' "${ranges[@]}"
