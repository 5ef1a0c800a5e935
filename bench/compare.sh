#!/bin/sh
# Side by side: the same aggregation -- the region's spending summed by 项
# and spending type (table 03's cells) -- by juesuan, ledger-cli, hledger
# and sqlite3, on one generated region, in one run; prints wall time, peak
# memory and each tool's time as a multiple of juesuan's.
#
#   bench/compare.sh REGION_DIR [JUESUAN_BINARY]
#
# REGION_DIR is bench/gen's DIR/region (one workbook holding every line).
# juesuan compiles all nine tables (more than the others do); ledger and
# hledger read a journal converted beforehand by bench/to_journal.awk (not
# timed); sqlite3 imports the CSV into memory and runs GROUP BY (timed
# together, as a user would run them).
set -eu
region=${1:?usage: bench/compare.sh REGION_DIR [JUESUAN]}
js=${2:-build/juesuan}
here=$(dirname "$0")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lines=$(($(wc -l < "$region/expenditure.csv") - 1))
awk -f "$here/to_journal.awk" "$region/expenditure.csv" > "$work/region.journal"
printf 'region: %s expenditure lines (%s MB of CSV), journal %s MB\n' "$lines" \
    "$(du -m "$region/expenditure.csv" | cut -f1)" "$(du -m "$work/region.journal" | cut -f1)"

# run NAME COMMAND...: wall seconds and peak KiB into $work/NAME.time
run() {
    name=$1
    shift
    /usr/bin/time -f '%e %M' -o "$work/$name.time" "$@" > "$work/$name.out"
}
run juesuan "$js" tables "$region" --format csv
run sqlite3 sqlite3 :memory: -cmd '.mode csv' -cmd ".import $region/expenditure.csv e" \
    "SELECT \"功能分类科目编码\", \"支出类型\", SUM(CAST(ROUND(\"金额(元)\" * 100) AS INTEGER)) FROM e GROUP BY 1, 2;"
run ledger ledger -f "$work/region.journal" balance '^exp' --flat --no-total
if [ -z "${SKIP_HLEDGER:-}" ]; then
    run hledger hledger -f "$work/region.journal" balance '^exp' --flat --no-total
fi

# The groups must agree: sqlite's (项, type) pairs against ledger's accounts.
groups=$(wc -l < "$work/sqlite3.out")
accounts=$(grep -c 'exp:' "$work/ledger.out")
[ "$groups" -eq "$accounts" ] || { echo "mismatch: sqlite3 $groups groups, ledger $accounts accounts" >&2; exit 1; }
printf '%s (项, 支出类型) groups in both sqlite3 and ledger\n' "$groups"

read -r base_s base_kb < "$work/juesuan.time"
printf '%-10s %10s %12s %10s\n' tool seconds 'peak MiB' 'x juesuan'
for name in juesuan sqlite3 ledger hledger; do
    [ -f "$work/$name.time" ] || continue
    read -r s kb < "$work/$name.time"
    awk -v n="$name" -v s="$s" -v kb="$kb" -v b="$base_s" \
        'BEGIN { printf "%-10s %10.2f %12.1f %10.1f\n", n, s, kb / 1024, s / (b > 0 ? b : 0.001) }'
done
