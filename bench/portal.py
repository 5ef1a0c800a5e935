#!/usr/bin/env python3
"""make bench-portal: wrk against the portal's published pages, on SQLite and
on PostgreSQL (a throwaway server, tests/lib/pgserver.py), each seeded by
`juesuan serve --demo`:
  - the published report page  /2024/qingshan/report.html
  - the department list        /2024/
  - a published table's JSON   /2024/qingshan/v1/tables.json
  - the read API's tables      /api/v1/versions/2024/qingshan/v1/tables
  - the compare page           /compare/qingshan-2024,synthetic-2024,gen-00001-2024/
    (before wrk: its first, uncached, render timed once)
then 20 concurrent uploads of the synthetic example, each audited at once.
Prints requests/s, p50 and p99 latency and the errors of each, and the load
average before each figure. Figures, not a test: nothing is asserted.

With BENCH_BASELINE=/path/to/an/older/juesuan the run is paired instead:
both programs serve their own demo database side by side, and each URL is
measured old, new, old, new … (BENCH_ROUNDS pairs) so that both see the
same machine; it prints every run and the ratio new / old of the summed
requests/s. No uploads then.

Environment: BENCH_SECONDS (default 60) per URL, BENCH_CONNECTIONS (64),
BENCH_WORKERS (server threads, 2), BENCH_ROUNDS (2), JUESUAN (the
program), BENCH_BACKENDS ("sqlite postgresql")."""
import os
import re
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
from portal import Portal, example, zip_folder  # noqa: E402
from pgserver import PgServer  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
WORKERS = os.environ.get("BENCH_WORKERS", "2")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
BASELINE = os.environ.get("BENCH_BASELINE")
BACKENDS = os.environ.get("BENCH_BACKENDS", "sqlite postgresql").split()
URLS = [("report.html", "/2024/qingshan/report.html"), ("department list", "/2024/"),
        ("tables.json", "/2024/qingshan/v1/tables.json"),
        ("API tables", "/api/v1/versions/2024/qingshan/v1/tables"),
        ("compare page", "/compare/qingshan-2024,synthetic-2024,gen-00001-2024/")]
COMPARE = URLS[-1][1]


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    v = float(m.group(1))
    return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v


def wrk(port, path):
    p = subprocess.run(["wrk", "-t2", "-c%d" % CONNECTIONS, "-d%ds" % SECONDS, "--latency",
                        "http://127.0.0.1:%d%s" % (port, path)], capture_output=True, text=True)
    out = p.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors:.*", out)
    errors = (int(non2xx.group(1)) if non2xx else 0)
    return rps, p50, p99, errors, sock.group(0) if sock else "no socket errors"


def line(name, figures, before):
    rps, p50, p99, errors, sock = figures
    print("  %-16s %9.0f requests/s   p50 %7.2f ms   p99 %7.2f ms   %d errors (%s)   load %s"
          % (name, rps, p50, p99, errors, sock, before))
    sys.stdout.flush()


def uploads(portal, n=20):
    adm = portal.client()
    adm.login("demo-admin", portal.passwords["demo-admin"])
    adm.post("/admin/depts", {"code": "bench", "name": "某市示范区科学技术局", "profile": "default"})
    dept = str(max(int(x) for x in re.findall(r'<option value="(\d+)">某市示范区科学技术局<', adm.get("/admin/").text)))
    adm.post("/admin/users", {"login": "bench-prep", "display": "压测", "password": "bench-password-1",
                              "role0": "1", "dept": dept})
    data = zip_folder(example("synthetic-2024"))
    results = []

    def one():
        c = portal.client()
        c.login("bench-prep", "bench-password-1")
        t = time.monotonic()
        r = c.post("/work/upload", {}, files={"file": ("synthetic-2024.zip", data)})
        results.append((r.status, time.monotonic() - t))

    threads = [threading.Thread(target=one) for _ in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    ok = sum(1 for s, _ in results if s == 303)
    lat = sorted(d for _, d in results)
    return ok, n, wall, lat[len(lat) // 2], lat[-1]


def run(label, db):
    portal = Portal(db=db, extra=["--workers", WORKERS])
    if not portal.ready():
        print("%s: the portal did not start\n%s" % (label, portal.stderr()))
        return
    print("%s (%s worker threads, wrk -t2 -c%d -d%ds):" % (label, WORKERS, CONNECTIONS, SECONDS))
    before = load()
    t = time.monotonic()
    first = portal.client().get(COMPARE)
    print("  %-16s %.1f ms for its first render (%d bytes, status %d), load %s"
          % ("compare, cold", (time.monotonic() - t) * 1000, len(first.body), first.status, before))
    for name, path in URLS:
        before = load()
        line(name, wrk(portal.port, path), before)
    ok, n, wall, med, worst = uploads(portal)
    print("  %-16s %d of %d accepted in %.1f s (each: median %.2f s, slowest %.2f s)"
          % ("20 uploads", ok, n, wall, med, worst))
    sys.stdout.flush()
    portal.stop()


def paired(label, dbs):
    old = Portal(db=dbs[0], extra=["--workers", WORKERS], program=BASELINE)
    new = Portal(db=dbs[1], extra=["--workers", WORKERS])
    if not old.ready() or not new.ready():
        print("%s: a portal did not start\n%s%s" % (label, old.stderr(), new.stderr()))
        return
    print("%s, paired (%s worker threads, wrk -t2 -c%d -d%ds, old %s):"
          % (label, WORKERS, CONNECTIONS, SECONDS, BASELINE))
    for name, path in URLS:
        sums = [0.0, 0.0]
        for _ in range(ROUNDS):
            for k, portal in enumerate((old, new)):
                before = load()
                figures = wrk(portal.port, path)
                sums[k] += figures[0]
                line("%s %s" % ("old" if k == 0 else "new", name), figures, before)
        print("  %-16s new / old = %.2f" % (name, sums[1] / sums[0]))
        sys.stdout.flush()
    old.stop()
    new.stop()


if __name__ == "__main__":
    print("# nproc %s; load average %s" % (os.cpu_count(), load()))
    if "sqlite" in BACKENDS:
        if BASELINE:
            paired("SQLite", [None, None])
        else:
            run("SQLite", None)
    if "postgresql" in BACKENDS:
        with PgServer() as pg:
            if BASELINE:
                paired("PostgreSQL", [pg.create("bench_old"), pg.create("bench_new")])
            else:
                run("PostgreSQL", pg.create("bench"))
