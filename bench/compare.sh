#!/bin/sh
# Side by side, paired: the same aggregation -- a region's spending summed
# by 项 and 支出类型 (table 03's cells) -- by juesuan and its peers, on one
# or more generated regions (e.g. one per --order of bench/gen), in one run.
#
#   bench/compare.sh REGION_DIR...
#       env: JUESUAN=build/juesuan  ROUNDS=3  (build/bench/timeone on the PATH)  PEERS="mawk sqlite3 ledger hledger wc"
#
# Peers: mawk (bench/sum03.awk: one unvalidated pass, nothing checked),
# sqlite3 (CSV import into memory + GROUP BY, timed together), ledger-cli
# and hledger (`balance` of a journal converted beforehand by
# bench/to_journal.awk, not timed), and `wc -l` (reading the file once: the
# reference for absolute times). juesuan compiles all nine tables (more
# than the others do). A peer not installed is skipped.
#
# Pairing: each round runs juesuan, then a peer, then juesuan, then the
# next peer (A B A C ...); each ratio is the peer's time over the juesuan
# run just before it, so both saw about the same load. Printed per region
# and peer: peer ÷ juesuan of CPU time (user + system, every thread) and
# of wall time, min / median / max over the rounds; then juesuan's
# expenditure lines per CPU second (per core), its peak memory over the
# bytes of the workbook's CSV files, and its time beside wc -l's.
#
# Checked once per region: mawk's and sqlite3's sums are equal (分 by 分),
# ledger has as many accounts as sqlite3 has groups.
set -eu
[ $# -ge 1 ] || { echo "usage: bench/compare.sh REGION_DIR..." >&2; exit 2; }
js=${JUESUAN:-build/juesuan}
rounds=${ROUNDS:-3}
peers=${PEERS:-mawk sqlite3 ledger hledger wc}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/log
: > "$log"

have() { command -v "$1" > /dev/null 2>&1; }
avail=
for p in $peers; do
    if have "$p"; then avail="$avail $p"; else echo "($p not installed: skipped)"; fi
done

# timed TAG REGION PEER ROUND COMMAND...: one run, appended to the log
timed() {
    tag=$1 reg=$2 peer=$3 round=$4
    shift 4
    r=$(timeone "$work/$peer.out" "$@")
    set -- $r
    [ "$4" -eq 0 ] || { echo "$peer failed (exit $4) on $reg" >&2; exit 1; }
    echo "$tag $peer $round $r" >> "$log"
}

# peer NAME REGION JOURNAL: the command line of a peer
run_peer() {
    name=$1 reg=$2 tag=$3 round=$4 csv=$2/expenditure.csv
    case $name in
    juesuan) timed "$tag" "$reg" "$name" "$round" "$js" tables "$reg" --format csv ;;
    mawk) timed "$tag" "$reg" "$name" "$round" mawk -f "$here/sum03.awk" "$csv" ;;
    sqlite3) timed "$tag" "$reg" "$name" "$round" sqlite3 :memory: -cmd '.mode csv' -cmd ".import $csv e" -cmd '.mode list' -cmd '.separator ,' \
        "SELECT \"功能分类科目编码\", \"支出类型\", SUM(CAST(ROUND(\"金额(元)\" * 100) AS INTEGER)) FROM e GROUP BY 1, 2;" ;;
    ledger) timed "$tag" "$reg" "$name" "$round" ledger -f "$work/$tag.journal" balance '^exp' --flat --no-total ;;
    hledger) timed "$tag" "$reg" "$name" "$round" hledger -f "$work/$tag.journal" balance '^exp' --flat --no-total ;;
    wc) timed "$tag" "$reg" "$name" "$round" wc -l "$csv" ;;
    esac
}

for reg in "$@"; do
    tag=$(basename "$(dirname "$reg")")
    csv=$reg/expenditure.csv
    lines=$(($(wc -l < "$csv") - 1))
    echo "$tag $lines $(cat "$reg"/*.csv | wc -c)" >> "$work/regions" # the workbook's input bytes
    case " $avail " in *" ledger "* | *" hledger "*) awk -f "$here/to_journal.awk" "$csv" > "$work/$tag.journal" ;; esac
    printf '%s: %s expenditure lines, %s MB of CSV\n' "$tag" "$lines" "$(du -m "$csv" | cut -f1)"
    round=1
    while [ "$round" -le "$rounds" ]; do
        for p in $avail; do
            run_peer juesuan "$reg" "$tag" "$round"
            run_peer "$p" "$reg" "$tag" "$round"
            # wall cpu kib rc of each (timeone prints user and system after them)
            echo "$tag $p-pair $round $(tail -2 "$log" | head -1 | cut -d' ' -f4-7) $(tail -1 "$log" | cut -d' ' -f4-7)" >> "$work/pairs"
            # the checks, on the first round's outputs
            if [ "$round" -eq 1 ]; then
                case $p in
                mawk) sort "$work/mawk.out" > "$work/mawk.sorted" ;;
                sqlite3) sort "$work/sqlite3.out" > "$work/sqlite3.sorted" ;;
                ledger) grep -c 'exp:' "$work/ledger.out" > "$work/ledger.count" || true ;;
                esac
            fi
        done
        round=$((round + 1))
    done
    if [ -f "$work/mawk.sorted" ] && [ -f "$work/sqlite3.sorted" ]; then
        cmp -s "$work/mawk.sorted" "$work/sqlite3.sorted" ||
            { echo "$tag: mawk's and sqlite3's sums differ" >&2; exit 1; }
        echo "  mawk and sqlite3: the same $(wc -l < "$work/sqlite3.sorted") (项, 支出类型) sums, to the 分"
    fi
    if [ -f "$work/ledger.count" ] && [ -f "$work/sqlite3.sorted" ]; then
        [ "$(cat "$work/ledger.count")" -eq "$(wc -l < "$work/sqlite3.sorted")" ] ||
            { echo "$tag: ledger has $(cat "$work/ledger.count") accounts" >&2; exit 1; }
    fi
    rm -f "$work"/*.sorted "$work/ledger.count" "$work/$tag.journal"
done

python3 - "$work/pairs" "$work/regions" <<'PY'
import statistics, sys
pairs = [l.split() for l in open(sys.argv[1])]
regions = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(sys.argv[2])}
def mmm(xs):
    return "%.2f / %.2f / %.2f" % (min(xs), statistics.median(xs), max(xs))
print("\npeer ÷ juesuan, min / median / max over the rounds (paired: each peer run right after a juesuan run)")
print("%-24s %-8s %24s %24s %10s" % ("region", "peer", "CPU", "wall", "peak MiB"))
for tag in regions:
    for peer in dict.fromkeys(p[1] for p in pairs if p[0] == tag):
        rows = [p for p in pairs if p[0] == tag and p[1] == peer]
        # fields: tag peer round | js: wall cpu kib rc | peer: wall cpu kib rc
        cpu = [float(r[8]) / max(float(r[4]), 1e-6) for r in rows]
        wall = [float(r[7]) / max(float(r[3]), 1e-6) for r in rows]
        kib = statistics.median(int(r[9]) for r in rows)
        print("%-24s %-8s %24s %24s %10.1f" % (tag, peer[:-5], mmm(cpu), mmm(wall), kib / 1024))
print("\njuesuan alone (every run of the region), min / median / max")
print("%-24s %26s %24s %22s %12s %24s" % ("region", "lines per CPU second (M)", "CPU s", "wall s", "peak÷CSV", "wc -l wall s (same run)"))
for tag, (lines, size) in regions.items():
    js = [p for p in pairs if p[0] == tag]
    cpu = [float(r[4]) for r in js]
    wall = [float(r[3]) for r in js]
    peak = statistics.median(int(r[5]) * 1024 / size for r in js)
    wc = [float(r[7]) for r in js if r[1] == "wc-pair"]
    print("%-24s %26s %24s %22s %12.2f %24s" % (tag, mmm([lines / c / 1e6 for c in cpu]), mmm(cpu), mmm(wall), peak,
                                            mmm(wc) if wc else "-"))
PY
