#!/bin/sh
# Instructions executed (valgrind's callgrind, user space, all threads) by
# the same commands in two versions, each in its own tree (its binary, data
# and examples), and B's count over A's. Unlike times, the counts do not
# depend on what else the machine runs: on a shared machine they tell a
# regression of a few percent that paired timings cannot.
#
#   bench/instructions.sh A_TREE B_TREE [DEPARTMENTS]
#
# A tree is a checkout where `make` has run. DEPARTMENTS: a folder of
# workbooks for a batch check (keep it small: callgrind runs ~50 × slower);
# e.g. 100 departments of bench/gen -o DIR -n 10000 -l 1000000 --no-region.
set -eu
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
depts=${3:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

count() { # TREE ARGS... -> instructions
    tree=$1
    shift
    rm -rf "${out:?}"/*
    (cd "$tree" && JUESUAN_DATA=data valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        build/juesuan "$@" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
}

row() { # LABEL ARGS...
    label=$1
    shift
    x=$(count "$a" "$@")
    y=$(count "$b" "$@")
    awk -v l="$label" -v x="$x" -v y="$y" 'BEGIN { printf "  %-44s %14d %14d  %.3f\n", l, x, y, y / x }'
}

printf "  %-44s %14s %14s  %s\n" "command (instructions)" "A" "B" "B/A"
row "tables qingshan --format text" tables examples/qingshan-2024 --format text
row "tables qingshan --format json" tables examples/qingshan-2024 --format json
row "check qingshan" check examples/qingshan-2024
row "build qingshan (all but the PDF)" build examples/qingshan-2024 -o "$out/q" \
    --only json,txt,long,csv,md,html,xlsx,performance,audit
row "build synthetic (all but the PDF)" build examples/synthetic-2024 -o "$out/s" \
    --only json,txt,long,csv,md,html,xlsx,performance,audit
if [ -n "$depts" ]; then
    row "check $(ls "$depts" | wc -l) departments (batch)" check "$depts"
fi
echo "A = $a, B = $b"
