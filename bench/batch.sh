#!/bin/sh
# Batch mode and one department (issue 19), on data from bench/gen kept
# under BUILD_DIR/bench-data (figures in bench/README.md):
#   1. batch check of N and N/10 departments (CPU per department: linear?);
#   2. batch build of the same without the PDF;
#   3. batch build of P departments, the PDF only, on every core;
#   4. one department: build without the PDF, with the PDF (R runs each);
# each beside a reference taken in the same run: reading every input file
# once (cat), so that figures from a loaded or another machine compare.
# Prints wall and CPU seconds (children's user + system, from GNU time)
# and the load average at the start.
#
# No timed build follows a removal of outputs: each build writes a folder
# of its own, all removed at the exit. On ext4 without a journal (this
# project's machines) the inode allocator skips every inode freed in the
# last 60 s (360 s while its inode table block is unwritten), looking up
# each one's block: a build right after an `rm -rf` of the previous
# build's 20 000 files spent twice the system time of one into a fresh
# folder, and a bigger batch more per department (issue 19). For the same
# reason the exit removes the outputs and syncs: start the next run (an
# A B pair) 60 s after this one.
#
#   bench/batch.sh [BUILD_DIR]     env: BATCH_DEPTS=10000 BATCH_PDF=100
#                                       BATCH_RUNS=10 JOBS=(cores)
set -eu
build=${1:-build}
n=${BATCH_DEPTS:-10000}
pdf=${BATCH_PDF:-100}
runs=${BATCH_RUNS:-10}
jobs=${JOBS:-$(nproc)}
data=$build/bench-data/d$n
js=$build/juesuan
out=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-bench-batch.XXXXXX")
trap 'rm -rf "$out"; sync' EXIT
mkdir -p "$build/bench-data"
[ -d "$data/departments" ] || "$build/bench/gen" -o "$data" -n "$n" -l $((n * 100)) --no-region > /dev/null
# a tenth, and the PDF's share, as links to the same departments
small=$out/small pdfdir=$out/pdf
mkdir -p "$small" "$pdfdir"
i=0
for d in "$data"/departments/*; do
    i=$((i + 1))
    [ $i -le $((n / 10)) ] && ln -s "$(cd "$d" && pwd)" "$small/"
    [ $i -le "$pdf" ] && ln -s "$(cd "$d" && pwd)" "$pdfdir/"
    [ $i -gt $((n / 10)) ] && [ $i -gt "$pdf" ] && break
done
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores, --jobs $jobs"

# timed LABEL UNITS COMMAND…: wall and CPU seconds, and per unit in ms
timed() {
    label=$1 units=$2
    shift 2
    /usr/bin/time -f '%e %U %S' -o "$out/t" "$@" > /dev/null 2>&1 || true
    # its last line: GNU time writes "Command exited with non-zero status
    # N" first when a department fails its checks (exit 1)
    tail -n 1 "$out/t" > "$out/t1"
    read -r wall user sys < "$out/t1"
    awk -v l="$label" -v n="$units" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
        c = u + s; printf "  %-44s %8.2f s wall %8.2f s CPU   %7.2f ms wall, %7.2f ms CPU per unit\n", l, w, c, 1000 * w / n, 1000 * c / n }'
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" > "$out/last"
}

ratio() { # the last timing over the reference's (CPU)
    awk -v a="$(cut -d' ' -f2 "$out/last")" -v b="$1" 'BEGIN { if (b > 0) printf "    = %.1f x the reference (CPU)\n", a / b }'
}

for set in "$small:$((n / 10))" "$data/departments:$n"; do
    dir=${set%%:*} count=${set##*:}
    echo "$count departments:"
    timed "reference: cat every input file" "$count" sh -c "find -L '$dir' -type f -exec cat {} + > /dev/null"
    ref=$(cut -d' ' -f2 "$out/last")
    timed "check" "$count" "$js" check "$dir" --jobs "$jobs"
    ratio "$ref"
    timed "build, every output but the PDF" "$count" "$js" build "$dir" -o "$out/b$count" --jobs "$jobs" --force \
        --only json,txt,long,csv,md,html,xlsx,performance,audit
    ratio "$ref"
done
echo "$pdf departments, report.pdf only, on $jobs threads:"
timed "build --only pdf" "$pdf" "$js" build "$pdfdir" -o "$out/bpdf" --jobs "$jobs" --force --only pdf
one=$(ls -d "$data"/departments/* | head -1)
echo "one department ($one), $runs runs each:"
for kinds in json,txt,long,csv,md,html,xlsx,performance,audit pdf,json,txt,long,csv,md,html,xlsx,performance,audit; do
    label="build, all but the PDF"
    [ "${kinds%%,*}" = pdf ] && label="build, every output"
    timed "$label" "$runs" sh -c "for i in \$(seq $runs); do '$js' build '$one' -o '$out/one' --force --only $kinds; done"
done
