#!/bin/sh
# The scale benchmarks of `make bench` (figures in bench/README.md):
#   1. tables from one workbook of LINES line items (bench_tables: load and
#      compile times, facts per second, peak memory), for 1M and 10M;
#   2. bench/compare.sh: juesuan, sqlite3, ledger, hledger side by side on
#      the 1M-line region;
#   3. batch check of DEPTS departments (10 000, 100 lines each).
# Data goes to build/bench-data (regenerated only when missing).
#
#   bench/scale.sh [BUILD_DIR]      env: SCALE_LINES="1000000 10000000"
#                                        SCALE_DEPTS=10000 SKIP_HLEDGER=1
set -eu
build=${1:-build}
data=$build/bench-data
lines=${SCALE_LINES:-1000000 10000000}
depts=${SCALE_DEPTS:-10000}
mkdir -p "$data"
for n in $lines; do
    [ -d "$data/l$n/region" ] || "$build/bench/gen" -o "$data/l$n" -n $((n / 1000)) -l "$n" --no-departments
    "$build/bench/bench_tables" "$data/l$n/region"
done
first=$(echo "$lines" | cut -d' ' -f1)
"$(dirname "$0")/compare.sh" "$data/l$first/region" "$build/juesuan"
[ -d "$data/d$depts/departments" ] ||
    "$build/bench/gen" -o "$data/d$depts" -n "$depts" -l $((depts * 100)) --no-region
echo "batch check of $depts departments ($((depts * 100)) lines), all cores:"
/usr/bin/time -f '  %e s wall, peak RSS %M KiB' "$build/juesuan" check "$data/d$depts/departments" | head -3
