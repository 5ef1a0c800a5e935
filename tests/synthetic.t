#!/usr/bin/env python3
"""The synthetic example: the engine's tables equal the independently worked
expectations (tests/synthetic/expect.py), every cell; the department equals
the sum of its units; the shaanxi profile prints the variant tables."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, long_rows, ok, run  # noqa: E402

wb = example("synthetic-2024")
exp_py = os.path.join(ROOT, "tests/synthetic/expect.py")
exp_csv = open(os.path.join(ROOT, "tests/synthetic/expected.csv"), encoding="utf-8").read()

p = subprocess.run([sys.executable, exp_py, wb], capture_output=True)
is_(p.returncode, 0, "expect.py runs")
ok(p.stdout.decode("utf-8") == exp_csv, "tests/synthetic/expected.csv is what expect.py computes")

rc, out, err = run("tables", wb, "--format", "long")
is_(rc, 0, "tables --format long exits 0 " + err)
got = long_rows(out)
want = long_rows(exp_csv)
diff = []
gmap = {(r["table"], r["row"], r["code"], r["column"]): r for r in got}
wmap = {(r["table"], r["row"], r["code"], r["column"]): r for r in want}
for k in sorted(set(gmap) | set(wmap)):
    g, w = gmap.get(k), wmap.get(k)
    if not g or not w or g["value"] != w["value"] or g["name"] != w["name"]:
        diff.append("%s: engine %s, expected %s" % (k, g and (g["name"], g["value"]), w and (w["name"], w["value"])))
ok(not diff, "every cell equals the independent expectation (%d cells)" % len(want), "\n".join(diff[:40]))
nonblank = sum(1 for r in want if r["value"])
ok(nonblank > 150, "the expectation is not trivially blank (%d non-blank cells)" % nonblank)
tables_with_money = sorted({r["table"] for r in want if r["value"]})
is_(tables_with_money, ["01", "02", "03", "04", "05", "06", "07", "08", "09"], "all nine tables carry money")


def fen_cells(args):
    rc, out, err = run("tables", wb, "--format", "json", *args)
    cells = {}
    for t in json.loads(out)["tables"]:
        for row in t["rows"]:
            for key, cell in row["cells"].items():
                cells[(t["id"], row["row"], row["code"], row["name"], key)] = cell["fen"]
    return rc, cells


rc, dept = fen_cells([])
is_(rc, 0, "department json")
units = [line.split(",")[0] for line in open(os.path.join(wb, "units.csv"), encoding="utf-8").read().splitlines()[1:]]
sums = {}
for i, u in enumerate(units):
    rc, cells = fen_cells(["--unit", u])
    is_(rc, 0, "tables --unit %s" % u)
    for k, v in cells.items():
        # a unit's table lists only its own 项: add by row identity
        sums[k] = sums.get(k, 0) + v
rc2, by_number = fen_cells(["--unit", "2"])
rc3, by_name = fen_cells(["--unit", units[1]])
ok(rc2 == 0 and by_number == by_name, "--unit accepts the unit's number as well as its name")
# 09 (三公) and budgets are department-level data, not split by unit.
bad = ["%s: department %d, sum of units %d" % (k, v, sums.get(k, 0))
       for k, v in dept.items() if k[0] != "09" and sums.get(k, 0) != v]
ok(not bad, "every cell of the department equals the sum of its units", "\n".join(bad[:20]))
rc, o, e = run("tables", wb, "--unit", "没有这个单位")
ok(rc == 2 and "没有单位" in e, "an unknown unit is a usage error: " + e.strip())

# The shaanxi profile: a data-only variant.
rc, sx, err = run("tables", wb, "--profile", "shaanxi", "--format", "long")
is_(rc, 0, "shaanxi profile " + err)
sx_rows = long_rows(sx)
for t in ("01", "04", "06"):
    a = [r for r in got if r["table"] == t]
    b = [r for r in sx_rows if r["table"] == t]
    ok(a == b, "table %s is the same under both profiles" % t)
for t in ("02", "03", "05", "07", "08"):
    levels = sorted({len(r["code"]) for r in sx_rows if r["table"] == t and r["code"]})
    is_(levels, [3, 5, 7], "shaanxi table %s has 类/款/项 rows" % t)
    # every 类 and 款 row is the sum of its 项 rows (exact, in 分)
    rc, sxj = run("tables", wb, "--profile", "shaanxi", "--format", "json")[0:2]
    tab = next(x for x in json.loads(sxj)["tables"] if x["id"] == t)
    code_rows = [r for r in tab["rows"] if r["code"]]
    bad = []
    for parent in code_rows:
        if parent["level"] == 7:
            continue
        kids = [r for r in code_rows if r["level"] == 7 and r["code"].startswith(parent["code"])]
        for key, cell in parent["cells"].items():
            if cell["fen"] != sum(k["cells"][key]["fen"] for k in kids):
                bad.append("%s %s %s" % (t, parent["code"], key))
    ok(not bad, "shaanxi %s subtotals add up" % t, "\n".join(bad))
    xiang = [(r["code"], r["column"], r["value"]) for r in sx_rows if r["table"] == t and len(r["code"]) == 7]
    base = [(r["code"], r["column"], r["value"]) for r in got if r["table"] == t and len(r["code"]) == 7]
    ok(xiang == base, "shaanxi %s 项 rows equal the default's" % t)
cols09 = [r["column"] for r in sx_rows if r["table"] == "09"]
ok("预算数/会议费" in cols09 and "决算数/培训费" in cols09 and len(cols09) == 16, "shaanxi 09 adds 会议费 and 培训费 (16 columns)")
sg = {r["column"]: r["value"] for r in sx_rows if r["table"] == "09"}
ok(all(sg[c] for c in ("预算数/会议费", "预算数/培训费", "决算数/会议费", "决算数/培训费")), "the extra 09 columns carry the workbook's amounts")
three = {r["column"]: r["value"] for r in got if r["table"] == "09"}
ok(all(sg[c] == v for c, v in three.items()), "the 三公 columns are unchanged")
variant_dir = os.path.join(ROOT, "data/profiles/shaanxi")
files = [f for _, _, fs in os.walk(variant_dir) for f in fs]
ok(files and all(f.endswith(".json") for f in files), "the variant is data only: %s" % files)
done()
