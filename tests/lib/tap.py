"""TAP helpers shared by the script tests (run under prove)."""
import csv
import re
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JUESUAN = os.environ.get("JUESUAN", os.path.join(ROOT, "build", "juesuan"))

_n = 0
_failed = 0


def ok(cond, name, diag=None):
    global _n, _failed
    _n += 1
    name = " ".join(str(name).split())
    print(("ok" if cond else "not ok") + " %d - %s" % (_n, name))
    if not cond:
        # a "# TODO" test documents what does not work yet (TAP): shown, not failed
        _failed += "# TODO" not in name
    sys.stdout.flush()
    if not cond and diag:
        # on standard error, as Test::More does: prove shows it without -v
        # (a CI log then says why a test failed)
        for line in str(diag).splitlines():
            print("#   " + line, file=sys.stderr)
        sys.stderr.flush()
    if not cond and "# TODO" not in name and os.environ.get("JUESUAN_FAILLOG"):
        # collected for the end of a long run (scripts/setup.sh prints it
        # after prove's summary, where a CI log's tail shows it)
        with open(os.environ["JUESUAN_FAILLOG"], "a", encoding="utf-8") as f:
            f.write("%s: not ok %d - %s\n" % (os.path.basename(sys.argv[0]), _n, name))
            for line in str(diag or "").splitlines()[-12:]:
                f.write("#   %s\n" % line[:300])
    return cond


def is_(got, want, name):
    return ok(got == want, name, "got  %r\nwant %r" % (got, want))


def done():
    print("1..%d" % _n)
    sys.exit(1 if _failed or _n == 0 else 0)


def run(*args, **kw):
    """Runs juesuan with args; returns (exit code, stdout text, stderr text)."""
    p = subprocess.run([JUESUAN] + list(args), capture_output=True, **kw)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def long_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def example(name):
    return os.path.join(ROOT, "examples", name)


def relay(stdout, prefix=""):
    """Renumbers another script's TAP lines into this test's (their names
    prefixed); returns whether it printed a plan."""
    line_re = re.compile(r"^(not )?ok \d+ - (.*)$")
    planned = False
    for line in stdout.splitlines():
        m = line_re.match(line)
        if m:
            ok(not m.group(1), prefix + m.group(2))
        elif re.match(r"^1\.\.\d+$", line):
            planned = True
        elif line.strip():
            print("# " + line.lstrip("# "))
    return planned
