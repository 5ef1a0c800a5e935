#!/bin/sh
# report.pdf beside cairo's floor (issue 19; figures in bench/README.md):
# a batch of D generated departments built with the PDF only, on one
# thread, is recorded once with cairo-trace (cairo-perf-utils); then, in
# turns (R pairs, A B A B):
#   A. juesuan: the same batch, --only pdf, minus the same batch --only
#      audit (the pipeline without the PDF): the PDF's CPU per department;
#   B. cairo alone: the recorded cairo calls replayed by bench/pdf_floor
#      (the same fonts, glyph runs, paths and pages; no layout, no shaping),
#      per department.
# B / A is the share of report.pdf's time that is cairo's own.
#
#   bench/pdf_floor.sh [BUILD_DIR]     env: FLOOR_DEPTS=20 FLOOR_ROUNDS=2
set -eu
build=${1:-build}
n=${FLOOR_DEPTS:-20}
rounds=${FLOOR_ROUNDS:-2}
js=$(cd "$build" && pwd)/juesuan
floor=$build/bench/pdf_floor
command -v cairo-trace > /dev/null || { echo "pdf_floor.sh: cairo-trace (Debian package cairo-perf-utils) is needed" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-bench-floor.XXXXXX")
trap 'rm -rf "$out"' EXIT
"$build/bench/gen" -o "$out/gen" -n "$n" -l $((n * 100)) --no-region > /dev/null
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $n departments, one thread"
(cd "$out" && cairo-trace --no-callers --no-mark-dirty "$js" build gen/departments -o b --jobs 1 --force --only pdf \
    > /dev/null 2>&1) || true
trace=$(ls "$out"/juesuan.*.trace)
echo "trace: $(wc -c < "$trace") bytes"

cpu() { # CPU seconds (user + system) of a command
    /usr/bin/time -f '%U %S' -o "$out/t" "$@" > /dev/null 2>&1 || true
    tail -1 "$out/t" | awk '{ print $1 + $2 }'
}
r=0
while [ $r -lt "$rounds" ]; do
    r=$((r + 1))
    all=$(cpu "$js" build "$out/gen/departments" -o "$out/b" --jobs 1 --force --only pdf)
    rest=$(cpu "$js" build "$out/gen/departments" -o "$out/b" --jobs 1 --force --only audit)
    floor_ms=$("$floor" "$trace" 3 | sed -n 's/.*then median \([0-9.]*\) ms.*/\1/p')
    awk -v a="$all" -v b="$rest" -v f="$floor_ms" -v n="$n" -v r="$r" 'BEGIN {
        pdf = 1000 * (a - b) / n; c = f / n
        printf "  round %d: juesuan %.1f ms CPU per report.pdf (%.2f s with it, %.2f s without); cairo alone %.1f ms; cairo / juesuan %.2f\n",
            r, pdf, a, b, c, c / pdf }'
done
