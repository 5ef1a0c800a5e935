#!/bin/sh
# report.pdf with the derived fonts (build/fonts: Noto CJK SC without CFF
# subroutines; lib/document/pdf_fonts.h) against the system's fonts (the
# same plugin copied to a folder without fonts/, named by JUESUAN_PDF), in
# turns A B A B (R pairs; A = system fonts, B = derived), on D generated
# departments (figures in bench/README.md):
#   1. a batch of D departments, the PDF only, one thread: CPU per PDF (the
#      batch --only pdf minus the same batch --only audit), peak RSS, bytes;
#   2. one department: `build` of every output, N runs: CPU per build.
# Prints the load average at each turn and B / A.
#
#   bench/pdf_fonts.sh [BUILD_DIR]     env: FONTS_DEPTS=20 FONTS_ROUNDS=2 FONTS_RUNS=5
set -eu
build=${1:-build}
n=${FONTS_DEPTS:-20}
rounds=${FONTS_ROUNDS:-2}
runs=${FONTS_RUNS:-5}
js=$(cd "$build" && pwd)/juesuan
[ -d "$build/fonts" ] || { echo "pdf_fonts.sh: no $build/fonts (make derives it)" >&2; exit 1; }
out=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-bench-fonts.XXXXXX")
trap 'rm -rf "$out"' EXIT
mkdir "$out/plain"
cp "$build/juesuan-pdf.so" "$out/plain/"
"$build/bench/gen" -o "$out/gen" -n "$n" -l $((n * 100)) --no-region > /dev/null
one=$(ls -d "$out"/gen/departments/* | head -1)

measure() { # FILE COMMAND…: "CPU-seconds peak-KiB" of the command into FILE
    f=$1
    shift
    /usr/bin/time -f '%U %S %M' -o "$out/t" "$@" > /dev/null 2>&1 || true
    tail -1 "$out/t" | awk '{ print $1 + $2, $3 }' > "$f"
}
turn() { # TAG: one turn with the plugin that JUESUAN_PDF names (or the build's)
    measure "$out/all" "$js" build "$out/gen/departments" -o "$out/b" --jobs 1 --force --only pdf
    measure "$out/rest" "$js" build "$out/gen/departments" -o "$out/c" --jobs 1 --force --only audit
    measure "$out/one" sh -c "for i in \$(seq $runs); do '$js' build '$one' -o '$out/o' --force; done"
    bytes=$(cat "$out"/b/departments/*/report.pdf | wc -c)
    read -r a rss < "$out/all"
    read -r b _ < "$out/rest"
    read -r o _ < "$out/one"
    awk -v t="$1" -v a="$a" -v b="$b" -v o="$o" -v n="$n" -v r="$runs" -v rss="$rss" -v by="$bytes" \
        -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
        printf "  %s (load %s): %.1f ms CPU per report.pdf in batch, peak RSS %.0f MB, %.0f KB per PDF; one department, every output: %.0f ms CPU\n",
            t, l, 1000 * (a - b) / n, rss / 1024, by / n / 1024, 1000 * o / r }'
    echo "$(awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN { print 1000 * (a - b) / n }') $(awk -v o="$o" -v r="$runs" 'BEGIN { print 1000 * o / r }')" > "$out/$1"
}
echo "$n departments, one thread; one department $runs times; A = system fonts, B = derived (build/fonts)"
r=0
while [ $r -lt "$rounds" ]; do
    r=$((r + 1))
    export JUESUAN_PDF="$out/plain/juesuan-pdf.so"
    turn A
    export JUESUAN_PDF=
    turn B
    read -r pa oa < "$out/A"
    read -r pb ob < "$out/B"
    awk -v pa="$pa" -v pb="$pb" -v oa="$oa" -v ob="$ob" -v r="$r" 'BEGIN {
        printf "  pair %d: B / A = %.2f per report.pdf in batch, %.2f per one-department build\n", r, pb / pa, ob / oa }'
done
