#!/bin/sh
# report.pdf in batch, two programs paired (issue 19: < 100 ms a PDF in
# batch): a batch of D generated departments built with the PDF only, on
# one thread, by A and by B in turns (A B A B …, R pairs), each beside the
# same batch without the PDF (--only audit) run by the same program right
# after it. Prints, per turn, the CPU (user + system, every thread) per
# PDF (the batch with the PDF minus the batch without, over D), the load
# average, and per pair B / A; then the median of the pairs' ratios.
# CPU times on a shared machine move with the neighbours: the ratio of
# paired turns is the figure, an absolute time only beside A's.
#
#   bench/pdf_paired.sh A_PROGRAM B_PROGRAM [BUILD_DIR]
#       env: PAIRED_DEPTS=20 PAIRED_ROUNDS=3  JUESUAN_DATA
#
# Each program finds its PDF plugin (and fonts/) beside it; BUILD_DIR
# (default build) gives bench/gen.
set -eu
[ $# -ge 2 ] || { echo "usage: bench/pdf_paired.sh A_PROGRAM B_PROGRAM [BUILD_DIR]" >&2; exit 2; }
a=$1 b=$2
build=${3:-build}
n=${PAIRED_DEPTS:-20}
rounds=${PAIRED_ROUNDS:-3}
out=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-bench-pdfpair.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$build/bench/gen" -o "$out/gen" -n "$n" -l $((n * 100)) --no-region > /dev/null

cpu() { # CPU seconds (user + system) of a command
    /usr/bin/time -f '%U %S' -o "$out/t" "$@" > /dev/null 2>&1 || true
    tail -1 "$out/t" | awk '{ print $1 + $2 }'
}
turn() { # PROGRAM: CPU ms per PDF
    all=$(cpu "$1" build "$out/gen/departments" -o "$out/b" --jobs 1 --force --only pdf)
    rest=$(cpu "$1" build "$out/gen/departments" -o "$out/c" --jobs 1 --force --only audit)
    awk -v a="$all" -v b="$rest" -v n="$n" 'BEGIN { printf "%.1f", 1000 * (a - b) / n }'
}
echo "$n departments, one thread, $rounds pairs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "A = $a"
echo "B = $b"
: > "$out/ratios"
r=0
while [ $r -lt "$rounds" ]; do
    r=$((r + 1))
    ta=$(turn "$a")
    la=$(cut -d' ' -f1 /proc/loadavg)
    tb=$(turn "$b")
    lb=$(cut -d' ' -f1 /proc/loadavg)
    awk -v ta="$ta" -v tb="$tb" -v la="$la" -v lb="$lb" -v r="$r" 'BEGIN {
        printf "  pair %d: A %.1f ms (load %s), B %.1f ms (load %s) CPU per report.pdf; B / A = %.3f\n", r, ta, la, tb, lb, tb / ta }'
    awk -v ta="$ta" -v tb="$tb" 'BEGIN { print tb / ta }' >> "$out/ratios"
done
sort -n "$out/ratios" | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "B / A, CPU per report.pdf: median %.3f (min %.3f, max %.3f) over %d pairs\n", m, v[1], v[NR], NR }'
