#!/usr/bin/python3
"""Open data (docs/open-data.md): the Fiscal Data Package a build writes
for both bundled examples validates against the FDP schema kept in
tests/fdp/ (JSON Schema, python3-jsonschema), its CSV matches the schema
it declares and sums to the published tables, and the COFOG crosswalk of
the 2024 dictionary covers every 类 and 款 and names only COFOG codes that
exist; a broken crosswalk is refused naming its file and line."""
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, long_rows, ok, run  # noqa: E402

try:
    import jsonschema
except ImportError:  # scripts/install-deps.sh installs python3-jsonschema
    jsonschema = None
ok(jsonschema is not None, "python3-jsonschema is installed (scripts/install-deps.sh)")

SCHEMA = json.load(open(os.path.join(ROOT, "tests", "fdp", "fiscal-data-package.schema.json"), encoding="utf-8"))
tmp = tempfile.mkdtemp(prefix="juesuan-open-data-")


def total(tables, tid, col):
    t = next(t for t in tables["tables"] if t["id"] == tid)
    row = next(r for r in t["rows"] if r["kind"] == "total")
    return Decimal(row["cells"][col]["fen"]) / 100


for ex in ["qingshan-2024", "sparse-2024"]:
    out = os.path.join(tmp, ex)
    rc, _, err = run("build", example(ex), "-o", out, "--only", "json,fdp,score", "-q")
    if not ok(rc == 0, "%s: build --only json,fdp,score exits 0" % ex, err):
        continue
    pkg = json.load(open(os.path.join(out, "datapackage.json"), encoding="utf-8"))
    if jsonschema:
        errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(pkg), key=lambda e: list(e.path))
        ok(not errors, "%s: datapackage.json validates against the FDP schema" % ex,
           "\n".join("%s: %s" % (list(e.path), e.message) for e in errors[:5]))
    fields = pkg["resources"][0]["schema"]["fields"]
    names = [f["name"] for f in fields]
    # the model names fields, and its attributes name each other
    model = pkg["model"]
    bad = [m["source"] for m in model["measures"].values() if m["source"] not in names]
    for dim, d in model["dimensions"].items():
        attrs = d["attributes"]
        keys = [d["primaryKey"]] if isinstance(d["primaryKey"], str) else d["primaryKey"]
        bad += ["%s.%s" % (dim, a["source"]) for a in attrs.values() if a["source"] not in names]
        bad += ["%s.%s→%s" % (dim, n, a[k]) for n, a in attrs.items() for k in ("labelfor", "parent")
                if k in a and a[k] not in attrs]
        bad += ["%s primaryKey %s" % (dim, k) for k in keys if k not in attrs]
    ok(not bad, "%s: the fiscal model's measures and attributes name fields and each other" % ex, bad)
    is_(model["measures"]["amount"]["currency"], "CNY", "%s: the measure is in CNY" % ex)
    is_(next(f for f in fields if f["name"] == "amount").get("unit"), "元", "%s: the amount is stated in 元" % ex)
    text = open(os.path.join(out, pkg["resources"][0]["path"]), encoding="utf-8").read()
    ok(not text.startswith("\ufeff"), "%s: fiscal-data.csv has no BOM" % ex)
    rows = list(csv.DictReader(io.StringIO(text)))
    is_(list(csv.reader(io.StringIO(text)))[0], names, "%s: the CSV's header is the schema's fields, in order" % ex)
    types = {f["name"]: f["type"] for f in fields}
    wrong = [(i + 2, k, v) for i, r in enumerate(rows) for k, v in r.items()
             if (types[k] == "integer" and not re.fullmatch(r"-?\d+", v))
             or (types[k] == "number" and not re.fullmatch(r"-?\d+\.\d\d", v))]
    ok(rows and not wrong, "%s: %d rows, every integer and number cell of its type" % (ex, len(rows)), wrong[:5])
    # exact sums: the lines add up to the tables printed from them
    tables = json.load(open(os.path.join(out, "tables.json"), encoding="utf-8"))

    def sum_of(**want):
        return sum(Decimal(r["amount"]) for r in rows if all(r[k] == v for k, v in want.items()))
    is_(sum_of(direction="expenditure", phase="executed"), total(tables, "03", "total"),
        "%s: executed expenditure sums to table 03's 合计" % ex)
    is_(sum_of(direction="revenue", phase="executed"), total(tables, "02", "total"),
        "%s: executed revenue sums to table 02's 合计" % ex)
    exp = [r for r in rows if r["direction"] == "expenditure"]
    ok(all(r["cofog_confidence"] in ("H", "M", "L", "excluded") and (r["cofog_division"] or r["cofog_confidence"] == "excluded")
           for r in exp), "%s: every expenditure line has its COFOG division and confidence" % ex)
    ok(all(not r["cofog_division"] for r in rows if r["direction"] != "expenditure"),
       "%s: COFOG only on expenditure (GFSM: COFOG classifies expenditure)" % ex)
    ok(all(r["func_xiang_code"].startswith(r["func_kuan_code"]) and r["func_kuan_code"].startswith(r["func_lei_code"])
           for r in rows if r["func_xiang_code"]), "%s: 类, 款 and 项 nest" % ex)

# the budget phase: its own lines are the approved phase, by unit, and sum
# to the budget sheets (read here independently, in 元); the 决算's 年初预算
# derived from them is not counted a second time
def sheet_sum(ex, sheet, column):
    path = os.path.join(ROOT, "examples", ex, sheet)
    if not os.path.exists(path):
        return {}
    sums = {}
    for r in csv.DictReader(open(path, encoding="utf-8")):
        if r.get(column):
            sums[r["单位"]] = sums.get(r["单位"], Decimal(0)) + Decimal(r[column])
    return sums


for ex in ["qingshan-2024", "synthetic-2025-budget"]:
    out = os.path.join(tmp, ex)
    if ex not in os.listdir(tmp):
        run("build", example(ex), "-o", out, "--only", "fdp", "-q")
    rows = list(csv.DictReader(open(os.path.join(out, "fiscal-data.csv"), encoding="utf-8")))
    for sheet, column, direction, kind in [("budget_expenditure.csv", "预算数(元)", "expenditure", "flow"),
                                           ("budget_revenue.csv", "预算数(元)", "revenue", "flow"),
                                           ("budget_carryover.csv", "上年结转(元)", "", "carryover-opening")]:
        got = {}
        for r in rows:
            if r["phase"] == "approved" and r["direction"] == direction and r["value_kind"] == kind:
                got[r["unit"]] = got.get(r["unit"], Decimal(0)) + Decimal(r["amount"])
        want = {u: v for u, v in sheet_sum(ex, sheet, column).items() if v}
        ok(got == want and (want or sheet == "budget_carryover.csv"),
           "%s: approved %s lines sum, unit by unit, to %s (%s 元)" % (ex, kind if not direction else direction, sheet,
                                                                sum(want.values(), Decimal(0))), (got, want))

# the qingshan lines in COFOG: 2030699 其他国防动员支出 → 02.2 civil defence
q = list(csv.DictReader(open(os.path.join(tmp, "qingshan-2024", "fiscal-data.csv"), encoding="utf-8")))
civil = [r for r in q if r["func_xiang_code"] == "2030699" and r["phase"] == "executed" and r["direction"] == "expenditure"]
ok(civil and all(r["cofog_group"] == "02.2" and r["cofog_group_name"] == "Civil defence" for r in civil),
   "qingshan: 2030699 其他国防动员支出 is COFOG 02.2 Civil defence", civil[:1])
is_(sum(Decimal(r["amount"]) for r in civil), Decimal("5760000.00"), "qingshan: 576.00 万元 of 国防动员 in exact 元")

# the crosswalk covers every 类 and 款 of the 2024 dictionary
func = list(csv.DictReader(open(os.path.join(ROOT, "data", "dict", "2024", "functional.csv"), encoding="utf-8")))
cw = list(csv.DictReader(open(os.path.join(ROOT, "data", "cofog", "2024.csv"), encoding="utf-8")))
cofog = {r["code"] for r in csv.DictReader(open(os.path.join(ROOT, "data", "cofog", "cofog.csv"), encoding="utf-8"))}
have = {r["code"] for r in cw}
need = [r["编码"] for r in func if len(r["编码"]) in (3, 5)]
missing = [c for c in need if c not in have]
ok(len(need) == 264 and not missing, "the crosswalk maps all %d 类 and 款 of the 2024 dictionary" % len(need), missing)
names = {r["编码"]: r["名称"] for r in func}
wrong = [r["code"] for r in cw if names.get(r["code"]) != r["name"]]
ok(not wrong, "every crosswalk row names its code as the dictionary does", wrong)
ok(all(r["cofog"] in cofog or r["cofog"] == "" for r in cw), "every COFOG code of the crosswalk is in cofog.csv")
is_(len([c for c in cofog if len(c) == 2]), 10, "cofog.csv has the 10 COFOG divisions")
excluded = sorted(r["code"] for r in cw if r["cofog"] == "" and len(r["code"]) == 3)
is_(excluded, ["227", "231"], "excluded from COFOG: 预备费 (no outlay) and 债务还本 (financing, GFSM §6.127)")
is_({r["cofog"] for r in cw if r["code"][:3] in ("232", "233")}, {"01.7"}, "debt interest and issuance costs: 01.7")

# the long table's cofog column: each 功能分类 row's COFOG by the crosswalk (its own row, else its 款's, else
# its 类's), "excluded" where COFOG does not count it, empty on the other rows; the same in --format long
to = {r["code"]: r["cofog"] or "excluded" for r in cw}
for ex in ["qingshan-2024", "sparse-2024"]:
    rc, text, err = run("tables", example(ex), "--format", "long")
    rows = long_rows(text)
    want = [next((to[r["code"][:n]] for n in (7, 5, 3) if r["code"][:n] in to and len(r["code"]) >= n), "")
            if r["code"].startswith("2") else "" for r in rows]
    ok(rc == 0 and text.startswith("table,row,code,name,column,value,cofog\n") and
       [r["cofog"] for r in rows] == want and sum(1 for w in want if w) > 100,
       "%s: tables-long.csv's cofog column follows the crosswalk (%d cells of 功能分类 rows)" %
       (ex, sum(1 for w in want if w)), err)
rc, _, err = run("build", example("sparse-2024"), "-o", os.path.join(tmp, "long"), "--only", "long", "-q")
long_built = open(os.path.join(tmp, "long", "tables-long.csv"), encoding="utf-8").read() if rc == 0 else ""
ok(long_built == text, "build writes the same cofog column into tables-long.csv", err)

# a broken crosswalk is refused, naming the file and the line, and nothing is written
data = os.path.join(tmp, "data")
shutil.copytree(os.path.join(ROOT, "data"), data)
path = os.path.join(data, "cofog", "2024.csv")
lines = open(path, encoding="utf-8").read().splitlines(True)
is_(lines[2][:6], "20101,", "the third line of the crosswalk maps 20101")
lines[2] = lines[2].replace(",01.1,", ",11.1,")
open(path, "w", encoding="utf-8").writelines(lines)
out = os.path.join(tmp, "broken")
rc, _, err = run("build", example("sparse-2024"), "-o", out, "--only", "fdp", "--data", data)
ok(rc == 3 and "2024.csv:3" in err and "11.1" in err and not os.path.exists(out),
   "a crosswalk naming COFOG 11.1 is refused at 2024.csv:3, nothing written", "exit %d: %s" % (rc, err))
shutil.rmtree(tmp, ignore_errors=True)
done()
