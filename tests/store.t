#!/usr/bin/env python3
"""The portal's store against both backends, with no mocks: test_store
(tests/unit/test_store.c) on a SQLite file and on a PostgreSQL server this
script starts (tests/lib/pgserver.py); kill -9 of a writer in the middle of
its uploads and publications, repeatedly, on both, and an immediate (crash) stop of the
PostgreSQL server under writes: the database stays consistent (SQLite
integrity_check; pg_amcheck) and every acknowledged write is present. Also
that the store builds no SQL from text (every statement is a constant with
parameters)."""
import atexit
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from pgserver import PgServer  # noqa: E402
from tap import ROOT, done, ok  # noqa: E402

BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
TEST = os.path.join(BUILD, "tests", "test_store")
rng = random.Random(15)
tmp = tempfile.mkdtemp(prefix="juesuan-store-")
atexit.register(shutil.rmtree, tmp, True)


def suite(name, url):
    p = subprocess.run([TEST, url], capture_output=True, text=True)
    lines = p.stdout.splitlines()
    plan = [ln for ln in lines if re.match(r"^1\.\.\d+$", ln)]
    bad = [ln for ln in lines if ln.startswith("not ok") or ln.startswith("#   ")]
    passed = sum(1 for ln in lines if ln.startswith("ok "))
    ok(p.returncode == 0 and plan and not bad,
       "%s: test_store passes (%d tests)" % (name, passed), "\n".join(bad) + p.stderr[-2000:])


def acks(lines):
    return [ln for ln in lines if ln[:2] in ("U ", "P ")]


def writes_until(w, n, acked):
    """Reads acknowledgements of writer w into acked until n more uploads
    have come."""
    got = 0
    for line in w.stdout:
        if acks([line]):
            acked.append(line.strip())
            got += line.startswith("U ")
            if got >= n:
                break


def kill9(w, acked):
    """kill -9 the writer, keeping what it acknowledged before."""
    os.kill(w.pid, signal.SIGKILL)
    acked.extend(ln.strip() for ln in acks(w.stdout.read().splitlines()))
    w.wait()


def crash_writer(url, rounds, acked):
    """Starts the writer rounds times, each killed -9 after a random number
    of acknowledged uploads (while it writes the next)."""
    for _ in range(rounds):
        w = subprocess.Popen([TEST, "--writer", url], stdout=subprocess.PIPE, text=True)
        writes_until(w, rng.randint(3, 15), acked)
        kill9(w, acked)


def check_acked(name, url, acked):
    path = os.path.join(tmp, "acked")
    with open(path, "w") as f:
        f.write("\n".join(acked) + "\n")
    p = subprocess.run([TEST, "--check-acked", url, path], capture_output=True, text=True)
    bad = [ln for ln in p.stdout.splitlines() if ln.startswith("not ok") or ln.startswith("#")]
    ok(p.returncode == 0, "%s: every acknowledged upload (%d) and publication (%d) present and whole,"
       " log chain intact" % (name, sum(a.startswith("U") for a in acked), sum(a.startswith("P") for a in acked)),
       "\n".join(bad) + p.stderr[-2000:])


# No SQL is built from text: every statement the store runs is a constant
# string, values travel as parameters.
src = os.path.join(ROOT, "lib", "store")
built = []
for f in sorted(os.listdir(src)):
    if not f.endswith(".c"):
        continue
    text = open(os.path.join(src, f), encoding="utf-8").read()
    for m in re.finditer(r"\b(v?s?n?printf|strcat|strcpy|js_buf_\w+)\s*\(([^;]*)\);", text):
        if re.search(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|WHERE|VALUES)\b", m.group(2)):
            built.append("%s: %s" % (f, m.group(0)[:120]))
    for m in re.finditer(r"db_exec\(\s*[^,]+,\s*([^,]+),", text):
        arg = m.group(1).strip()
        if not re.match(r"^(k_\w+|sql|\"[^\"]*\"|const char \*sql)$", arg):
            built.append("%s: db_exec with SQL %s" % (f, arg))
ok(not built, "the store builds no SQL from text", "\n".join(built))

# SQLite
db = os.path.join(tmp, "store.db")
suite("SQLite", db)
crash_db = os.path.join(tmp, "crash.db")
acked = []
crash_writer(crash_db, 4, acked)
con = sqlite3.connect(crash_db)
integrity = con.execute("PRAGMA integrity_check").fetchall()
fk = con.execute("PRAGMA foreign_key_check").fetchall()
con.close()
ok(integrity == [("ok",)] and not fk, "SQLite after kill -9 (x4): integrity_check ok, no broken reference",
   repr(integrity[:5]) + repr(fk[:5]))
check_acked("SQLite after kill -9", crash_db, acked)

# PostgreSQL
with PgServer() as pg:
    suite("PostgreSQL", pg.create("store_test"))
    url = pg.create("store_crash")
    acked = []
    crash_writer(url, 4, acked)
    check_acked("PostgreSQL after kill -9 of the client", url, acked)
    # The server itself crashes (immediate stop: no checkpoint) under
    # writes; the writer reconnects once it is back.
    w = subprocess.Popen([TEST, "--writer", url], stdout=subprocess.PIPE, text=True)
    for _ in range(2):
        writes_until(w, rng.randint(3, 12), acked)
        pg.stop("immediate")
        pg.start()
    writes_until(w, 3, acked)
    kill9(w, acked)
    check_acked("PostgreSQL after server crashes (x2)", url, acked)
    rc, out = pg.amcheck("store_crash")
    ok(rc == 0, "PostgreSQL: pg_amcheck finds no corruption in tables and indexes", out[-2000:])

done()
