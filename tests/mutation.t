#!/usr/bin/python3
"""Mutation test of the printed-mode audit against an exact oracle.

For both examples' printed tables: every ±0.01 and ±0.02 change of every
non-blank cell, every swap of two different cells within a row and within a
column, every dropped row. tests/lib/feasible.py (its own statement of the
tables' identities, an exact feasibility check; not the rule engine) says
whether some exact amounts explain the mutant. The audit must report an
error on every impossible mutant and none on the possible ones. Tallies per
class are printed."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from feasible import Oracle, fen  # noqa: E402
from tap import ROOT, done, example, ok, run  # noqa: E402

BUILD = os.environ.get("JUESUAN_BUILD", os.path.join(ROOT, "build"))
DATA = os.environ.get("JUESUAN_DATA", os.path.join(ROOT, "data"))
HARNESS = os.path.join(BUILD, "tests", "audit_lines")


def wan(f):
    c = f // 10000 if f >= 0 else -((-f) // 10000)
    return "%s%d.%02d" % ("-" if c < 0 else "", abs(c) // 100, abs(c) % 100)


def amount_cells(doc):
    """(table index, row index, key) of every amount cell."""
    for ti, t in enumerate(doc["tables"]):
        for ri, row in enumerate(t["rows"]):
            for col in t["blocks"][row["block"]]["columns"]:
                if col["kind"] == "amount":
                    yield ti, ri, col["key"]


def mutants(doc):
    """(class, description, edits, dropped): edits [(ti, ri, key, wan)],
    dropped (ti, ri) or None."""
    cells = list(amount_cells(doc))
    get = lambda ti, ri, k: doc["tables"][ti]["rows"][ri]["cells"][k]["wan"]  # noqa: E731
    name = lambda ti, ri, k: "%s/%s/%s" % (doc["tables"][ti]["id"], ri, k)  # noqa: E731
    for ti, ri, k in cells:
        v = get(ti, ri, k)
        if v is None:
            continue
        for d, cls in ((1, "±0.01"), (-1, "±0.01"), (2, "±0.02"), (-2, "±0.02")):
            yield cls, "%s %+d" % (name(ti, ri, k), d), [(ti, ri, k, wan(fen(v) + d * 10000))], None
    by_row, by_col = {}, {}
    for ti, ri, k in cells:
        by_row.setdefault((ti, ri), []).append(k)
        by_col.setdefault((ti, k), []).append(ri)
    for (ti, ri), keys in by_row.items():
        for a in range(len(keys)):
            for b in range(a + 1, len(keys)):
                x, y = get(ti, ri, keys[a]), get(ti, ri, keys[b])
                if x != y:
                    yield "swap in row", "%s<->%s" % (name(ti, ri, keys[a]), keys[b]), \
                        [(ti, ri, keys[a], y), (ti, ri, keys[b], x)], None
    for (ti, k), rows in by_col.items():
        for a in range(len(rows)):
            for b in range(a + 1, len(rows)):
                x, y = get(ti, rows[a], k), get(ti, rows[b], k)
                if x != y:
                    yield "swap in column", "%s<->%s" % (name(ti, rows[a], k), rows[b]), \
                        [(ti, rows[a], k, y), (ti, rows[b], k, x)], None
    for ti, t in enumerate(doc["tables"]):
        for ri in range(len(t["rows"])):
            yield "dropped row", "%s row %d" % (t["id"], ri), [], (ti, ri)


class Lines:
    """Mutants as lines of JSON: each table serialised once, only the
    tables a mutant touches again."""

    def __init__(self, doc):
        self.doc = doc
        head = dict(doc)
        head["tables"] = []
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        self.prefix, self.suffix = text.split('"tables":[]')
        self.prefix += '"tables":['
        self.suffix = "]" + self.suffix
        self.parts = [self.dump(t) for t in doc["tables"]]

    @staticmethod
    def dump(t):
        return json.dumps(t, ensure_ascii=False, separators=(",", ":"))

    def line(self, edits, dropped):
        parts = list(self.parts)
        old = []
        for ti, ri, k, v in edits:
            cell = self.doc["tables"][ti]["rows"][ri]["cells"][k]
            old.append((cell, cell["wan"]))
            cell["wan"] = v
        touched = {ti for ti, _, _, _ in edits}
        if dropped:
            rows = self.doc["tables"][dropped[0]]["rows"]
            row = rows.pop(dropped[1])
            parts[dropped[0]] = self.dump(self.doc["tables"][dropped[0]])
            rows.insert(dropped[1], row)
        for ti in touched:
            parts[ti] = self.dump(self.doc["tables"][ti])
        for cell, v in reversed(old):
            cell["wan"] = v
        return self.prefix + ",".join(parts) + self.suffix


ok(os.access(HARNESS, os.X_OK), "the harness is built (%s)" % HARNESS)
for ex in ("qingshan-2024", "synthetic-2024"):
    rc, out, err = run("tables", example(ex), "--format", "json")
    doc = json.loads(out)
    t0 = time.time()
    oracle = Oracle(doc)
    ok(oracle.possible(*oracle.values_of(doc)), "%s: the oracle finds the printed tables possible" % ex)
    ids = [t["id"] for t in doc["tables"]]
    index = {(t["id"], ri, k): oracle.m.var[(t["id"], ri, k)] for t in doc["tables"]
             for ri, row in enumerate(t["rows"]) for k in row["cells"]
             if (t["id"], ri, k) in oracle.m.var}
    base_p, base_blank = oracle.values_of(doc)
    ms = list(mutants(doc))
    # the audit runs in the background, in two processes (alternate
    # mutants), while the oracle decides
    lines = Lines(doc)
    feeds = [tempfile.TemporaryFile(mode="w+", encoding="utf-8") for _ in range(2)]
    for i, (cls, desc, edits, dropped) in enumerate(ms):
        feeds[i % 2].write(lines.line(edits, dropped) + "\n")
    t1 = time.time()
    audits = []
    for feed in feeds:
        feed.seek(0)
        audits.append(subprocess.Popen([HARNESS, DATA], stdin=feed, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True))
    verdicts = []
    for cls, desc, edits, dropped in ms:
        p, blank = base_p.copy(), base_blank.copy()
        for ti, ri, k, v in edits:
            x = index[(ids[ti], ri, k)]
            blank[x] = v is None
            p[x] = 0 if v is None else fen(v)
        if dropped:
            for k in doc["tables"][dropped[0]]["rows"][dropped[1]]["cells"]:
                x = index.get((ids[dropped[0]], dropped[1], k))
                if x is not None:
                    blank[x], p[x] = True, 0
        verdicts.append(oracle.possible(p, blank))
    t2 = time.time()
    results = [a.communicate() for a in audits]
    for feed in feeds:
        feed.close()
    halves = [r[0].splitlines() for r in results]
    answers = [halves[i % 2][i // 2] for i in range(min(len(ms), sum(map(len, halves))))]
    t3 = time.time()
    ok(all(a.returncode == 0 for a in audits) and len(answers) == len(ms),
       "%s: the audit answered every mutant (%d)" % (ex, len(ms)), "".join(r[1] for r in results)[-2000:])
    tally = {}
    missed, false_alarms = [], []
    for (cls, desc, edits, dropped), fine, ans in zip(ms, verdicts, answers):
        errors = int(ans.split()[0]) if ans and ans[0].isdigit() else -1
        t = tally.setdefault(cls, [0, 0, 0, 0])  # impossible, caught, possible, flagged
        if fine:
            t[2] += 1
            if errors:
                t[3] += 1
                false_alarms.append("%s %s: %s" % (cls, desc, ans))
        else:
            t[0] += 1
            if errors > 0:
                t[1] += 1
            else:
                missed.append("%s %s: %s" % (cls, desc, ans))
    for cls, (imp, caught, pos, flagged) in sorted(tally.items()):
        print("# %s %-15s impossible %5d, caught %5d (%.1f%%); possible %5d, flagged %d" %
              (ex, cls, imp, caught, 100.0 * caught / max(1, imp), pos, flagged))
    print("# %s: %d mutants written in %.1f s; oracle %.1f s, audit done %.1f s later" %
          (ex, len(ms), t1 - t0, t2 - t1, t3 - t2))
    ok(not missed, "%s: an error on every impossible mutant (%d missed)" % (ex, len(missed)), "\n".join(missed[:30]))
    ok(not false_alarms, "%s: no error on a possible mutant (%d flagged)" % (ex, len(false_alarms)),
       "\n".join(false_alarms[:30]))
# Valid reports: the printed tables of generated departments (random
# structure and amounts, every identity exact) raise no error, the
# whole-report pass included.
GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))
gen_dir = tempfile.mkdtemp(prefix="juesuan-mutation-")
subprocess.run([GEN, "-o", gen_dir, "-n", "30", "-s", "13"], check=True, capture_output=True)
docs = []
for d in sorted(os.listdir(os.path.join(gen_dir, "departments"))):
    rc, out, err = run("tables", os.path.join(gen_dir, "departments", d), "--format", "json")
    if rc == 0:
        docs.append(json.dumps(json.loads(out), ensure_ascii=False, separators=(",", ":")))
proc = subprocess.run([HARNESS, DATA], input="\n".join(docs) + "\n", capture_output=True, text=True)
flagged = [a for a in proc.stdout.splitlines() if a != "0"]
ok(len(docs) == 30 and len(proc.stdout.splitlines()) == 30 and not flagged,
   "30 generated departments' printed tables: no error (%d flagged)" % len(flagged), "\n".join(flagged[:10]))
shutil.rmtree(gen_dir)
done()
