#!/usr/bin/env python3
"""The audit: the reference passes clean (exact), its printed tables give the
one rounding tail, every rule has a fixture that makes exactly it fire, and
changing any printed cell by 1.00 万元 is caught by an error naming it."""
import csv
import decimal
import glob
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tablesjson import cells, dump, patched  # noqa: E402
from tap import ROOT, done, example, is_, ok, run  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-audit-")


def findings(*args):
    rc, out, err = run("check", *args, "--format", "json")
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, err


# 1. the reference workbook: no error, no verify
rc, doc, err = findings(QS)
ok(rc == 0 and doc and doc["summary"]["error"] == 0 and doc["summary"]["verify"] == 0,
   "check examples/qingshan-2024: no error, no verify " + err)
ok(doc and doc["summary"]["rules_run"] >= 40 + 8, "at least 40 table rules and the workbook checks run (%s)" %
   (doc and doc["summary"]["rules_run"]))
ok(doc and doc["summary"]["ruleset_version"], "the summary names the rule-set version")
s = doc["summary"] if doc else {}
ok(s and s["rules_not_applicable"] >= 3 and s["rules_passed"] + s["rules_not_applicable"] == s["rules_run"],
   "类/款 rules with no such rows under the default profile are counted apart, not as passed (%s)" % s)

# the synthetic workbook: its one deliberate correction line and the
# self-evaluations it does not file (which the document's 十三 needs) are
# the only non-info findings; 经营收入 balances once surplus.csv is counted
rc, doc, err = findings(example("synthetic-2024"))
flagged = [(f["rule"], f["location"].get("file", "").split("/")[-1], f["location"].get("line"))
           for f in (doc or {"findings": []})["findings"] if f["severity"] != "info"]
is_(flagged, [("W-004", "expenditure.csv", 19), ("N-002", "perf_items.csv", None)],
    "synthetic workbook: only the negative line 19 (W-004) and the absent 绩效自评 (N-002) are flagged")

# 2. its printed tables: exactly the 06 row 303 rounding tail
rc, out, err = run("tables", QS, "--format", "json")
tables = json.loads(out)
tj = os.path.join(tmp, "t.json")
dump(tables, tj)
rc, doc, err = findings(tj)
is_(rc, 0, "check t.json exits 0")
fs = doc["findings"] if doc else []
ok(len(fs) == 1 and fs[0]["severity"] == "info" and fs[0]["location"]["table"] == "06" and
   fs[0]["location"]["row"] == "303", "exactly one finding: the info rounding tail on 06 row 303", json.dumps(fs, ensure_ascii=False)[:800])
if fs:
    f = fs[0]
    ok(f["actual"] == "107.90" and f["expected"] == "107.91" and f["difference"] == "-0.01",
       "it shows 107.90 against 68.02 + 17.78 + 22.11 = 107.91")
    vals = sorted(a["value"] for a in f["addends"] if a["value"])
    is_(vals, ["107.90", "17.78", "22.11", "68.02"], "its addends carry the values")
    ok(all(k in f for k in ("rule", "severity", "message", "location", "expected", "actual", "difference", "addends")),
       "a finding carries rule, severity, message, location, expected, actual, difference, addends")

# 3. every rule has a fixture that makes exactly it fire
rc, doc, err = findings(QS)
rc_csv, csv_out, _ = run("check", tj, "--format", "csv")
ok(rc_csv == 0 and csv_out.startswith("rule,severity,table,row,column"), "CSV findings")
rule_ids = set()
for path in glob.glob(os.path.join(ROOT, "data/rules/default/*.rules")):
    for line in open(path, encoding="utf-8"):
        if line.startswith("rule "):
            rule_ids.add(line.split()[1])
rule_ids |= {"W-%03d" % i for i in range(1, 15)} | {"W-020", "W-021", "K-001"}
fixtures = {}
for path in sorted(glob.glob(os.path.join(ROOT, "tests/audit/fixtures/*.json"))):
    fx = json.load(open(path, encoding="utf-8"))
    fixtures[fx["rule"]] = fx


def apply_workbook(fx, dest):
    shutil.copytree(example(fx.get("example", "qingshan-2024")), dest)
    for e in fx["workbook"]:
        p = os.path.join(dest, e["sheet"])
        lines = open(p, encoding="utf-8").read().split("\n")
        if "divide" in e:
            # every amount of a column divided (元 typed as 万元), to 0.01 half away from zero
            rows = list(csv.reader(open(p, encoding="utf-8")))
            k = rows[0].index(e["column"])
            for r in rows[1:]:
                r[k] = str((decimal.Decimal(r[k]) / e["divide"]).quantize(decimal.Decimal("0.01"),
                                                                          rounding=decimal.ROUND_HALF_UP))
            csv.writer(open(p, "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
            continue
        if "append" in e:
            lines.insert(len(lines) - 1 if lines[-1] == "" else len(lines), e["append"])
        elif "text" in e:
            lines[e["line"] - 1] = e["text"]
        else:
            head = lines[0].split(",")
            cells_ = lines[e["line"] - 1].split(",")
            cells_[head.index(e["column"])] = e["value"]
            lines[e["line"] - 1] = ",".join(cells_)
        open(p, "w", encoding="utf-8").write("\n".join(lines))


missing = sorted(rule_ids - set(fixtures))
ok(not missing, "every rule has a fixture (%d rules)" % len(rule_ids), "missing: %s" % missing)
for rid in sorted(fixtures):
    fx = fixtures[rid]
    target = os.path.join(tmp, "fx-" + rid)
    if "workbook" in fx:
        apply_workbook(fx, target)
    else:
        base = tables
        if "example" in fx or "profile" in fx:
            base = json.loads(run("tables", example(fx.get("example", "qingshan-2024")), "--format", "json",
                                  "--profile", fx.get("profile", "default"))[1])
        dump(patched(base, fx["tables"]), target + ".json")
        target += ".json"
    rc, doc, err = findings(target)
    fired = sorted({f["rule"] for f in (doc or {"findings": []})["findings"] if f["severity"] != "info"})
    # "also" lists rules that provably fire with it (the fixture's "why" says why)
    want = sorted([rid] + fx.get("also", []))
    sev = {f["severity"] for f in (doc or {"findings": []})["findings"] if f["rule"] in want}
    want_rc = 1 if "error" in sev else 0
    ok(fired == want and rc == want_rc, "fixture %s fires exactly %s (%s)" % (rid, ", ".join(want), fx.get("why", "")),
       "fired %s, exit %d %s" % (fired, rc, err))

# rows legitimately absent: a 类 with nothing printed under it in any table
# may be left out of 01 and 04, a 项 without spending out of 03; the
# require rules (X-042…X-050) ask only for rows other figures imply
blank01 = [r for r in tables["tables"][0]["rows"] if r["code"] and not any(c["wan"] for c in r["cells"].values())]
blank04 = [r for r in tables["tables"][3]["rows"] if r["code"] and not any(c["wan"] for c in r["cells"].values())]
ok(blank01 and blank04, "the reference prints blank 类 rows in 01 (%d) and 04 (%d)" % (len(blank01), len(blank04)))
drops = [{"table": "01", "row": "#%d" % r["row"], "drop": True} for r in blank01] + \
        [{"table": "04", "row": "#%d" % r["row"], "drop": True} for r in blank04]
dump(patched(tables, drops), os.path.join(tmp, "absent.json"))
rc, doc, err = findings(os.path.join(tmp, "absent.json"))
is_(sorted(f["rule"] for f in (doc or {"findings": []})["findings"]), ["T06-001"],
    "every blank 类 row of 01 and 04 dropped: no finding but the 303 tail")

# docs/rules.md lists every rule (generated; must be in sync)
import subprocess  # noqa: E402
p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen-rules-doc.py"), "--check"])
is_(p.returncode, 0, "docs/rules.md lists the current rules (scripts/gen-rules-doc.py)")

# 4. mutation: +1.00 万元 on every non-empty printed cell is caught, naming the cell
t0 = time.time()
targets = [(t, r, c, v) for t, r, c, v in cells(tables) if v]
caught, missed = 0, []
for t, r, c, v in targets:
    cents = round(float(v) * 100) + 100  # the cell's printed value, plus 1.00
    mutated = patched(tables, [{"table": t, "row": r, "column": c, "value": "%d.%02d" % divmod(cents, 100)}])
    path = os.path.join(tmp, "m.json")
    dump(mutated, path)
    rc, doc, err = findings(path)
    hit = False
    for f in (doc or {"findings": []})["findings"]:
        if f["severity"] != "error":
            continue
        loc = f["location"]
        if (loc.get("table"), loc.get("row"), loc.get("column")) == (t, r, c) or \
                any((a["table"], a["row"], a["column"]) == (t, r, c) for a in f["addends"]):
            hit = True
            break
    if hit:
        caught += 1
    else:
        missed.append("%s %s %s" % (t, r, c))
print("# mutation coverage: %d of %d non-empty cells caught (%.1f%%) in %.1f s" %
      (caught, len(targets), 100.0 * caught / max(1, len(targets)), time.time() - t0))
ok(targets and not missed, "every changed cell is caught by an error that names it (%d/%d)" % (caught, len(targets)),
   "\n".join(missed[:40]))
shutil.rmtree(tmp)
done()
