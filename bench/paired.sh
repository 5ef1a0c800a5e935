#!/bin/sh
# Paired comparison of two versions on a shared machine: runs A B A B …
# (ROUNDS pairs) of bench_cli, bench_tables and a batch check of a folder of
# departments, each version in its own tree (its binary, data and
# examples), and prints every figure, then B's over A's for each: the ratio
# of the sums of the means (and of the bests) over the rounds. On a machine
# whose load comes and goes, these ratios mean something where one run's
# absolute times do not.
#
#   bench/paired.sh A_TREE B_TREE [DEPARTMENTS]     env: ROUNDS=2
#
# A tree is a checkout where `make all build/bench/bench_cli
# build/bench/bench_tables` has run. DEPARTMENTS: a folder of workbooks
# (bench/gen -o DIR -n 10000 -l 1000000 --no-region writes DIR/departments).
set -eu
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
depts=${3:-}
rounds=${ROUNDS:-2}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

one() { # TAG TREE
    (cd "$2" &&
        JUESUAN=build/juesuan JUESUAN_DATA=data build/bench/bench_cli &&
        JUESUAN_DATA=data build/bench/bench_tables) | sed "s/^/$1 /"
    if [ -n "$depts" ]; then
        s=$( { cd "$2" && JUESUAN_DATA=data /usr/bin/time -f '%e %U %S %M' build/juesuan check "$depts" >/dev/null; } 2>&1 | tail -1)
        echo "$s" | awk -v tag="$1" -v n="$(ls "$depts" | wc -l)" '{
            printf "%s batch check %d departments: %s s wall, %.2f s CPU, peak RSS %s KiB\n", tag, n, $1, $2 + $3, $4 }'
    fi
}

i=0
while [ "$i" -lt "$rounds" ]; do
    one A "$a" | tee -a "$log"
    one B "$b" | tee -a "$log"
    i=$((i + 1))
done

echo
echo "B / A over $rounds paired rounds (A = $a, B = $b):"
awk '
function add(key, mean, best) {
    mean += 0; best += 0
    m[$1, key] += mean
    if (!(($1, key) in bst) || best < bst[$1, key]) bst[$1, key] = best
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
}
/ runs: mean / {
    key = $0; sub(/^[AB] /, "", key); sub(/ +[0-9]+ runs:.*/, "", key)
    mean = $0; sub(/.*mean /, "", mean); sub(/ ms.*/, "", mean)
    best = $0; sub(/.*best /, "", best); sub(/ ms.*/, "", best)
    add(key, mean, best)
}
/\(in process\)/ {
    ex = $2
    for (k = 3; k <= NF; k++)
        if ($k == "load" || $k == "compile" || $k == "render") add(ex " " $k, $(k + 1), $(k + 1))
}
/ batch check / {
    key = $0; sub(/^[AB] /, "", key); sub(/:.*/, "", key)
    s = $0; sub(/.*: /, "", s); sub(/ s wall.*/, "", s)
    cpu = $0; sub(/.* wall, /, "", cpu); sub(/ s CPU.*/, "", cpu)
    add(key " (wall)", s, s)
    add(key " (CPU)", cpu, cpu)
}
END {
    for (k = 1; k <= n; k++) {
        key = order[k]
        if (!(("A", key) in m) || !(("B", key) in m) || m["A", key] == 0 || bst["A", key] == 0) continue
        printf "  %-78s mean %.3f  best %.3f\n", key, m["B", key] / m["A", key], bst["B", key] / bst["A", key]
    }
}' "$log"
