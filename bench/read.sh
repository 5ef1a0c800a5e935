#!/bin/sh
# Reading published reports back (figures in bench/README.md):
#   1. one report of about 40 pages (the consolidated tables of a generated
#      region of DEPTS departments): `juesuan read` and `juesuan check`, best
#      and median of RUNS runs, with the share pdftotext takes;
#   2. 100 reports (generated departments' report.pdf) checked in batch
#      (`juesuan check DIR --jobs 2`) on both cores.
#   bench/read.sh [BUILD_DIR]        env: READ_DEPTS=12 READ_RUNS=7
set -eu
build=${1:-build}
data=$build/bench-data/read
js=$build/juesuan
depts=${READ_DEPTS:-12}
runs=${READ_RUNS:-7}
mkdir -p "$data"
[ -f "$data/r$depts/out/report.pdf" ] || {
    "$build/bench/gen" -o "$data/r$depts" -n "$depts" -d data >/dev/null
    "$js" build "$data/r$depts/region" -o "$data/r$depts/out" --only pdf --force >/dev/null
}
pdf=$data/r$depts/out/report.pdf
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
# seconds of one command, best and median of $runs
timeit() {
    i=0
    while [ $i -lt "$runs" ]; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        e=$(date +%s.%N)
        echo "$e - $s" | bc
        i=$((i + 1))
    done | sort -n | awk '{a[NR] = $1} END {printf "best %.3f s, median %.3f s", a[1], a[int((NR + 1) / 2)]}'
}
echo "one report, $pages pages ($pdf):"
echo "  pdftotext -tsv alone: $(timeit pdftotext -tsv "$pdf" /dev/null)"
echo "  juesuan read:         $(timeit "$js" read "$pdf" -o /dev/null)"
echo "  juesuan check:        $(timeit "$js" check "$pdf")"
[ -d "$data/d100/pdf" ] || {
    "$build/bench/gen" -o "$data/d100" -n 100 -d data --no-region >/dev/null
    mkdir -p "$data/d100/pdf"
    for d in "$data/d100/departments"/*; do
        "$js" build "$d" -o "$data/d100/out/$(basename "$d")" --only pdf --force >/dev/null
        cp "$data/d100/out/$(basename "$d")/report.pdf" "$data/d100/pdf/$(basename "$d").pdf"
    done
}
n=$(ls "$data/d100/pdf" | wc -l)
s=$(date +%s.%N)
"$js" check "$data/d100/pdf" --jobs 2 >/dev/null 2>&1 || true
e=$(date +%s.%N)
echo "$n reports checked in batch (check DIR --jobs 2, both cores): $(echo "$e - $s" | bc) s wall"
