#!/bin/sh
# One department (issue 19: tables < 5 ms, build without the PDF < 10 ms,
# with the PDF < 150 ms), two programs paired on a shared machine: each
# round runs every command with A, then with B, then the reference, so
# that the three saw about the same load (A B R A B R …). Prints, per
# command and program, CPU (user + system, every thread, from wait4) and
# wall milliseconds, min / median over the rounds, the mean user and
# system parts (the kernel splits a run's CPU time between them by ticks:
# only their means over many rounds say something), then B ÷ A: the median
# of the rounds' ratios and the ratio of the minima. The reference is a process that reads the workbook's
# files (cat): absolute figures are comparable only beside it.
#
#   bench/one.sh A_PROGRAM B_PROGRAM [WORKBOOK]
#       env: ROUNDS=30 (PDF_ROUNDS=5)  JUESUAN_DATA  (build/bench/timeone on the PATH)
#
# A program finds its plugins beside it (juesuan-pdf.so, juesuan-portal.so);
# an older one without a portal plugin runs all the same. WORKBOOK: the
# bundled example examples/qingshan-2024 by default. Outputs go to a
# temporary folder, replaced by each build as a user's rebuild would be.
set -eu
[ $# -ge 2 ] || { echo "usage: bench/one.sh A_PROGRAM B_PROGRAM [WORKBOOK]" >&2; exit 2; }
a=$1 b=$2
wb=${3:-$(dirname "$0")/../examples/qingshan-2024}
rounds=${ROUNDS:-30}
pdf_rounds=${PDF_ROUNDS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/juesuan-bench-one.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log
: > "$log"
nopdf=json,txt,long,csv,md,html,xlsx,performance,audit,score,fdp
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $rounds rounds ($pdf_rounds with the PDF)"
echo "A = $a"
echo "B = $b"

# one TAG PROGRAM ROUND COMMAND…: a run, logged as "TAG WHO ROUND WALL CPU PEAK EXIT USER SYS"
one() {
    tag=$1 who=$2 round=$3
    shift 3
    r=$(timeone "$work/stdout" "$@")
    set -- $r
    [ "$4" -eq 0 ] || { echo "$who failed (exit $4): $tag" >&2; exit 1; }
    echo "$tag $who $round $r" >> "$log"
}

cmd() { # TAG PROGRAM: the command line of TAG for PROGRAM
    case $1 in
    tables) echo "$2 tables $wb -o -" ;;
    check) echo "$2 check $wb" ;;
    build) echo "$2 build $wb -o $work/out -q --only $nopdf" ;;
    build+pdf) echo "$2 build $wb -o $work/out -q" ;;
    esac
}

for tag in tables check build build+pdf; do
    n=$rounds
    [ "$tag" = build+pdf ] && n=$pdf_rounds
    i=0
    while [ "$i" -lt "$n" ]; do
        # shellcheck disable=SC2046
        one "$tag" A "$i" $(cmd "$tag" "$a")
        # shellcheck disable=SC2046
        one "$tag" B "$i" $(cmd "$tag" "$b")
        one "$tag" ref "$i" sh -c "cat '$wb'/* > /dev/null"
        i=$((i + 1))
    done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

awk '
function median(v, n,    i, j, t) {
    for (i = 2; i <= n; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function stat(tag, who, col,    k, n, v, mn, sum) {
    n = 0
    for (k = 0; (tag, who, k) in cpu; k++) v[++n] = (col == "cpu" ? cpu[tag, who, k] : col == "wall" ? wall[tag, who, k] : col == "user" ? usr[tag, who, k] : sys[tag, who, k])
    mn = v[1]; sum = 0
    for (k = 1; k <= n; k++) { if (v[k] < mn) mn = v[k]; sum += v[k] }
    return mn " " median(v, n) " " sum / n
}
{ wall[$1, $2, $3] = $4 * 1000; cpu[$1, $2, $3] = $5 * 1000; usr[$1, $2, $3] = $8 * 1000; sys[$1, $2, $3] = $9 * 1000
  if (!($1 in seen)) { seen[$1] = 1; order[++ntags] = $1 } }
END {
    printf "\n%-10s %-4s %19s %19s %23s\n", "command", "", "CPU ms min / median", "wall ms min / median", "mean user / system ms"
    for (t = 1; t <= ntags; t++) {
        tag = order[t]
        for (w = 1; w <= 3; w++) {
            who = w == 1 ? "A" : w == 2 ? "B" : "ref"
            split(stat(tag, who, "cpu"), c, " "); split(stat(tag, who, "wall"), x, " ")
            split(stat(tag, who, "user"), u, " "); split(stat(tag, who, "sys"), s, " ")
            printf "%-10s %-4s %9.2f / %7.2f %9.2f / %7.2f %11.2f / %9.2f\n", tag, who, c[1], c[2], x[1], x[2], u[3], s[3]
        }
    }
    printf "\nB / A (CPU): median of the rounds'"'"' ratios, ratio of the minima; B / reference (CPU medians)\n"
    for (t = 1; t <= ntags; t++) {
        tag = order[t]; n = 0
        for (k = 0; (tag, "A", k) in cpu; k++) if (cpu[tag, "A", k] > 0) r[++n] = cpu[tag, "B", k] / cpu[tag, "A", k]
        split(stat(tag, "A", "cpu"), ca, " "); split(stat(tag, "B", "cpu"), cb, " "); split(stat(tag, "ref", "cpu"), cr, " ")
        printf "  %-10s %5.2f  %5.2f   B = %5.1f x reference\n", tag, median(r, n), (ca[1] > 0 ? cb[1] / ca[1] : 0), (cr[2] > 0 ? cb[2] / cr[2] : 0)
        delete r
    }
}' "$log"
