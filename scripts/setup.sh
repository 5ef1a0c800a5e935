#!/bin/sh
# One-step set-up on a fresh Debian machine (run as root or with sudo):
#   sh scripts/setup.sh example   install, build, build the bundled example
#   sh scripts/setup.sh test      install, build, run the whole test suite
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
example)
    sh scripts/install-deps.sh
    make -j2
    build/juesuan build examples/qingshan-2024 -o out/qingshan-2024 >/dev/null
    # Look at the report in a real browser: screenshots and an A4 PDF.
    (cd tests/browser && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
    node tests/browser/check-page.js out/qingshan-2024/report.html out/qingshan-2024/screenshots \
        > out/qingshan-2024/screenshots.log 2>&1 ||
        { cat out/qingshan-2024/screenshots.log; exit 1; }
    echo out/qingshan-2024
    ;;
test)
    sh scripts/install-deps.sh
    # The failing script checks' names and diagnostics, printed again after
    # a failing step (a long log's tail then says why).
    JUESUAN_FAILLOG=$(mktemp)
    export JUESUAN_FAILLOG
    step() {
        "$@" && return 0
        echo "== $*: failed; the failing checks (tests/lib/tap.py):"
        tail -n 60 "$JUESUAN_FAILLOG"
        exit 1
    }
    # Warnings are errors with gcc and clang; cppcheck.
    step make -j2 lint
    # valgrind on the example, then the whole suite under ASan+UBSan.
    step make -j2 WERROR=1 valgrind
    step make -j2 WERROR=1 SANITIZE=address,undefined check
    # The threaded paths (batch mode, big sheets) under ThreadSanitizer.
    step make -j2 WERROR=1 tsan
    # The plain suite last: its prove summary closes the output.
    step make -j2 WERROR=1 check
    rm -f "$JUESUAN_FAILLOG"
    ;;
*)
    echo "usage: sh scripts/setup.sh example|test" >&2
    exit 2
    ;;
esac
