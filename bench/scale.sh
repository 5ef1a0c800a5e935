#!/bin/sh
# The scale benchmarks of `make bench` (figures in bench/README.md):
#   1. tables from one workbook of LINES line items, grouped by department
#      (bench_tables: load and compile times, facts per second, peak
#      memory), for each size of SCALE_LINES;
#   2. bench/compare.sh on the first size in each order of bench/gen
#      (grouped, interleaved, by-code, shuffled): juesuan against mawk,
#      sqlite3, ledger, hledger and wc -l, paired, as ratios;
#   3. batch check of DEPTS departments (100 lines each).
# A region of LINES lines has LINES/100 departments, 3 units a department
# and 10 project names a department (1M lines: 10 000 departments, 30 000
# units, 100 000 project names). Data goes to build/bench-data
# (regenerated only when missing).
#
#   bench/scale.sh [BUILD_DIR]      env: SCALE_LINES="200000" (the issue's: "1000000 10000000")
#                                        SCALE_DEPTS=1000 ROUNDS=3 PEERS="mawk sqlite3 ledger hledger wc"
set -eu
build=${1:-build}
data=$build/bench-data
lines=${SCALE_LINES:-200000}
depts=${SCALE_DEPTS:-1000}
mkdir -p "$data"
# region N ORDER: the region of N lines in that order (written when missing)
region() {
    dir=$data/l$1-$2
    [ -d "$dir/region" ] ||
        "$build/bench/gen" -o "$dir" -n $(($1 / 100)) -l "$1" --units $(($1 / 100 * 3)) --projects 10 \
            --order "$2" --no-departments >&2
    echo "$dir/region"
}
for n in $lines; do
    "$build/bench/bench_tables" "$(region "$n" grouped)"
done
first=$(echo "$lines" | cut -d' ' -f1)
set --
for order in grouped interleaved by-code shuffled; do
    set -- "$@" "$(region "$first" "$order")"
done
PATH="$build/bench:$PATH" JUESUAN=${JUESUAN:-$build/juesuan} "$(dirname "$0")/compare.sh" "$@"
[ -d "$data/d$depts/departments" ] ||
    "$build/bench/gen" -o "$data/d$depts" -n "$depts" -l $((depts * 100)) --no-region
echo "batch check of $depts departments ($((depts * 100)) lines), all cores:"
# The whole report goes to a file (a pipe to head would end the check by
# SIGPIPE once its summary is printed); its first three lines are shown.
/usr/bin/time -f '  %e s wall, peak RSS %M KiB' "$build/juesuan" check "$data/d$depts/departments" \
    > "$data/d$depts/check.txt" || [ $? -eq 1 ]  # 1: some departments fail their audit
head -3 "$data/d$depts/check.txt"
