#!/usr/bin/env python3
"""Crash safety of the portal: `juesuan serve` is killed with SIGKILL while
a chain of HTTP requests (upload of a correction → explanations → submit →
approve → publish) is in flight, in several rounds, each killing at another
step, and restarted on the same database. After every kill: the database is
consistent (SQLite integrity_check and foreign_key_check; PostgreSQL
pg_amcheck and an orphan query), every action the server acknowledged (303)
is there, nothing half-written is visible (a version has its file; a
publication has all its outputs, a version not published has none), and
`juesuan log verify` passes. The kill waits on the event "the request is
being sent", never on a sleep. JUESUAN_DB=postgresql://… runs it against
PostgreSQL instead of SQLite."""
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
from urllib.parse import parse_qs, urlparse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_keys, upload, zip_folder  # noqa: E402
from pgserver import PGBIN  # noqa: E402

STEPS = ["%s#%d" % (s, n) for n in (1, 2) for s in ("upload", "explain", "submit", "approve", "publish")]
KILL_AT = ["upload#1", "submit#1", "approve#2", "publish#2", "publish#1"]  # one round each
EVENT_SECONDS = 600  # generous: the wait ends on the event, not on the clock
REASON = "更正测试数据"


class Database:
    """Read-only questions to the portal's database, SQLite or PostgreSQL."""

    def __init__(self, target):
        self.pg = target.startswith("postgresql:")
        self.target = target

    def sha(self, column):
        return "encode(sha256(%s), 'hex')" % column if self.pg else "sha256hex(%s)" % column

    def rows(self, sql):
        if self.pg:
            p = subprocess.run([os.path.join(PGBIN, "psql"), "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                                "ON_ERROR_STOP=1", "-d", self.target, "-c", sql],
                               capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                raise RuntimeError(p.stderr)
            return [tuple(line.split("\t")) for line in p.stdout.splitlines() if line]
        with sqlite3.connect(self.target, timeout=300) as c:
            c.create_function("sha256hex", 1, lambda b: hashlib.sha256(b or b"").hexdigest(), deterministic=True)
            return [tuple(str(x) for x in row) for row in c.execute(sql).fetchall()]

    def integrity(self):
        """(consistent, what was found)."""
        if self.pg:
            q = parse_qs(urlparse(self.target).query)
            name = urlparse(self.target).path.lstrip("/")
            p = subprocess.run([os.path.join(PGBIN, "pg_amcheck"), "--install-missing", "-h", q["host"][0],
                                "-U", q["user"][0], "--heapallindexed", name],
                               capture_output=True, text=True, timeout=300)
            orphans = self.rows(
                "SELECT 'version_file', version_id FROM version_file WHERE version_id NOT IN (SELECT id FROM version)"
                " UNION ALL SELECT 'output', version_id FROM output WHERE version_id NOT IN (SELECT id FROM version)"
                " UNION ALL SELECT 'explanation', version_id FROM explanation"
                " WHERE version_id NOT IN (SELECT id FROM version)")
            return p.returncode == 0 and not orphans, (p.stdout + p.stderr)[-2000:] + repr(orphans)
        integrity = self.rows("PRAGMA integrity_check")
        fks = self.rows("PRAGMA foreign_key_check")
        return integrity == [("ok",)] and not fks, "integrity_check %r, foreign_key_check %r" % (integrity, fks)


def chain(clients, data, corrects, started, acked, sent):
    """The requests of one round: two corrections, each uploaded, explained,
    submitted, approved and published, the second correcting the first.
    started["step#n"] is set (and sent["step#n"]) just before the request of
    a step of the n-th correction is sent; acked gets (step, version,
    detail) for every 303. Stops at the first request not acknowledged;
    sent["cut"] when the kill cut a request."""
    prep, rev, pub = clients

    def start(step):
        sent[step] = True
        started[step].set()

    try:
        for n in (1, 2):
            start("upload#%d" % n)
            r, v = upload(prep, data, name="qingshan-2024.zip", fields={"corrects": corrects, "reason": REASON})
            if r.status != 303 or not v:
                return
            acked.append(("upload", v, None))
            keys = explain_keys(prep, v)
            start("explain#%d" % n)
            for k in keys:
                if prep.post("/version/%s/explain" % v, {"key": k, "text": "已核实。"}).status != 303:
                    return
                acked.append(("explain", v, k))
            for step, c in (("submit", prep), ("approve", rev), ("publish", pub)):
                c.get("/version/%s" % v)
                start("%s#%d" % (step, n))
                r = c.post("/version/%s/%s" % (v, step))
                if r.status != 303:
                    return
                acked.append((step, v, r.header("Location")))
            corrects = v
    except OSError:  # the server was killed under the request
        sent["cut"] = True
    finally:
        for e in started.values():  # a chain that ends early releases the waiter
            e.set()


def published(db):
    rows = db.rows("SELECT v.id FROM version v JOIN dept d ON d.id = v.dept_id"
                   " WHERE d.code = 'qingshan' AND v.year = 2024 AND v.state = 4"
                   " AND v.phase = 'final'")  # the demo publishes its 预算 too
    return rows[0][0] if len(rows) == 1 else None


def half_written(db, names):
    """What a crash may have left half-done: a list of problems."""
    bad = []
    for (vid,) in db.rows("SELECT v.id FROM version v LEFT JOIN version_file f ON f.version_id = v.id"
                          " WHERE f.version_id IS NULL OR %s <> v.sha256 OR length(f.file) <> v.size"
                          % db.sha("f.file")):
        bad.append("version %s without its file, or with another file" % vid)
    for vid, name in db.rows("SELECT version_id, name FROM output WHERE %s <> sha256 OR length(data) <> size"
                             % db.sha("data")):
        bad.append("output %s of version %s does not match its hash or size" % (name, vid))
    counts = {}
    for entity, detail in db.rows("SELECT entity, detail FROM audit_log WHERE action = 'version.publish'"):
        counts[entity.split(":")[-1]] = int(detail.split(":")[-1])
    have = {}
    for vid, name in db.rows("SELECT version_id, name FROM output"):
        have.setdefault(vid, set()).add(name)
    for vid, state, code, phase in db.rows("SELECT v.id, v.state, d.code, v.phase FROM version v"
                                           " JOIN dept d ON d.id = v.dept_id"):
        outs = have.get(vid, set())
        if int(state) >= 4:  # (qingshan's 预算, published by the demo, has its own outputs)
            if counts.get(vid) != len(outs) or (code == "qingshan" and phase == "final" and outs != names):
                bad.append("publication %s has %d outputs (its publish entry says %s; qingshan's have %d)"
                           % (vid, len(outs), counts.get(vid), len(names)))
        elif outs or vid in counts:
            bad.append("version %s (state %s) is not published but has outputs or a publish entry" % (vid, state))
    for dept, year, phase, n in db.rows("SELECT dept_id, year, phase, count(*) FROM version WHERE state = 4"
                                        " GROUP BY dept_id, year, phase HAVING count(*) > 1"):
        bad.append("%s published versions of department %s, %s (%s)" % (n, dept, year, phase))
    for (vid,) in db.rows("SELECT id FROM version WHERE state = 5 AND (corrected_by IS NULL OR corrected_by NOT IN"
                          " (SELECT id FROM version WHERE state >= 4))"):
        bad.append("version %s is 已更正 by no publication" % vid)
    return bad


def missing_acks(db, acked):
    """The acknowledged actions the database does not hold."""
    states = dict(db.rows("SELECT id, state FROM version"))
    explained = set(db.rows("SELECT version_id, key FROM explanation"))
    at_least = {"upload": 0, "submit": 1, "approve": 3, "publish": 4}
    lost = []
    for step, v, detail in acked:
        if step == "explain":
            if (v, detail) not in explained:
                lost.append("explanation %s of version %s" % (detail, v))
        elif v not in states or int(states[v]) < at_least[step] or (step != "publish" and int(states[v]) == 2):
            lost.append("%s of version %s (state now %s)" % (step, v, states.get(v)))
    return lost


db_target = os.environ.get("JUESUAN_DB")
portal = Portal(db=db_target)
if not ok(portal.ready() and len(portal.passwords) == 4, "juesuan serve --demo starts and seeds the database",
          "\n".join(portal.output[-10:]) + portal.stderr()):
    portal.stop()
    done()
pw = portal.passwords
db = Database(portal.db)
first = published(db)
names = {n for (n,) in db.rows("SELECT name FROM output WHERE version_id = %s" % (first or 0))}
ok(first and len(names) >= 3, "the demo's qingshan 2024 is published with its outputs (%d)" % len(names))
data = zip_folder(example("qingshan-2024"))

acked, kills, unacked = [], 0, 0
for rnd, target in enumerate(KILL_AT, 1):
    if rnd > 1:
        portal = Portal(db=portal.db, demo=False)
        if not ok(portal.ready(), "round %d: the server restarts on the database left by the kill" % rnd,
                  "\n".join(portal.output[-10:]) + portal.stderr()):
            break
    clients = [portal.staff(login, pw[login]) for login in ("demo-preparer", "demo-reviewer", "demo-publisher")]
    corrects = published(db)
    started = {s: threading.Event() for s in STEPS}
    mine, sent = [], {}
    worker = threading.Thread(target=chain, args=(clients, data, corrects, started, mine, sent))
    worker.start()
    fired = started[target].wait(EVENT_SECONDS)
    portal.proc.kill()  # SIGKILL
    portal.proc.wait()
    worker.join(EVENT_SECONDS)
    kills += 1
    ok(fired and not worker.is_alive(), "round %d: SIGKILL while the %s request is in flight (%d acknowledged before)"
       % (rnd, target.replace("#", " of correction "), len(mine)))
    unacked += 1 if sent.get("cut") else 0
    acked += mine
    good, found = db.integrity()
    ok(good, "round %d: the database is consistent after the kill" % rnd, found)
    lost = missing_acks(db, acked)
    ok(not lost, "round %d: every acknowledged action is there (%d so far)" % (rnd, len(acked)), "\n".join(lost))
    bad = half_written(db, names)
    states = dict(db.rows("SELECT id, state FROM version"))
    cut = [v for step, v, _ in mine if step == "upload"][-1:] or ["none"]
    ok(not bad, "round %d: nothing half-written: versions have their files, publications all their outputs"
       " (the round's last version %s is in state %s)" % (rnd, cut[0], states.get(cut[0], "-")), "\n".join(bad))
    p = subprocess.run([JUESUAN, "log", "verify", "--db", portal.db], capture_output=True, text=True, timeout=300)
    ok(p.returncode == 0, "round %d: juesuan log verify passes: %s" % (rnd, p.stdout.strip()), p.stderr[-2000:])

# The acknowledged publications answer at their addresses after a last restart.
portal = Portal(db=portal.db, demo=False)
ok(portal.ready(), "the server starts once more after %d kills" % kills, portal.stderr())
anon = portal.client()
addresses = [detail for step, _, detail in acked if step == "publish"]
wrong = [a for a in addresses if anon.get(a).status != 200]
ok(addresses and not wrong, "every acknowledged publication answers at its address (%d)" % len(addresses),
   "not 200: %r" % wrong)
rep = anon.get("/2024/qingshan/report.html")
is_(rep.status, 200, "the department's current report is served")
ok(len(addresses) >= 2 and unacked >= 3, "%d rounds, %d kills, %d acknowledged actions, %d requests cut by the kill"
   % (len(KILL_AT), kills, len(acked), unacked))
portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
