#!/bin/sh
# Replays every fuzz target over its corpus (fuzz/corpus/<target>/), crash
# regressions included, with the replay driver built by `make check`.
build=${JUESUAN_BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
n=0
fail=0
for t in "$build"/replay/fuzz_*; do
    name=$(basename "$t")
    n=$((n + 1))
    if out=$("$t" "$root/fuzz/corpus/$name" 2>&1) && echo "$out" | grep -q "^ok"; then
        echo "ok $n - $name replays its corpus: $(echo "$out" | grep '^ok' | sed 's/^ok 1 - //')"
    else
        echo "not ok $n - $name replay"
        echo "$out" | sed 's/^/#   /' | tail -20
        fail=1
    fi
done
[ "$n" -gt 0 ] || { echo "not ok 1 - no replay binaries in $build/replay"; n=1; fail=1; }
echo "1..$n"
exit $fail
