#!/usr/bin/env python3
"""Every cell of tables 01-09 for the reference department equals the
published report (tests/data/published.json and published-extra.json),
blanks included, in both --format long and --format json."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, long_rows, ok, run  # noqa: E402

pub = json.load(open(os.path.join(ROOT, "tests/data/published.json"), encoding="utf-8"))
extra = json.load(open(os.path.join(ROOT, "tests/data/published-extra.json"), encoding="utf-8"))

rc, out, err = run("tables", example("qingshan-2024"), "--format", "long")
is_(rc, 0, "tables --format long exits 0 " + err)
rows = long_rows(out)
rcj, outj, errj = run("tables", example("qingshan-2024"), "--format", "json")
is_(rcj, 0, "tables --format json exits 0 " + errj)
doc = json.loads(outj)


def blank(v):
    """published.json writes blanks as null and xiang zeros as "0.00"."""
    return "" if v in (None, "0.00", "0") else v


def strip_ordinal(name):
    return re.sub(r"^[一二三四五六七八九十]+、", "", name)


# expected[(table, rowkey, column)] = value; rowkey is 行次, code or label.
expected = {}


def expect(table, key, column, value):
    expected[(table, str(key), column)] = blank(value)


FISCAL = {"一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"}

# 01
names01 = {}
for name, cell in pub["t01_income"].items():
    expect("01", cell["row"], "金额", cell["amount"])
    names01[str(cell["row"])] = name
for cell in pub["t01_expenditure"]:
    expect("01", cell["row"], "金额", cell["amount"])
    names01[str(cell["row"])] = cell["name"]
for name, cell in pub["t01_expenditure_totals"].items():
    expect("01", cell["row"], "金额", cell["amount"])
    names01[str(cell["row"])] = name
# 02, 03, 05 by 项
for col, v in extra["t02_total"].items():
    expect("02", "合计", col, v)
for col, v in extra["t03_total"].items():
    expect("03", "合计", col, v)
for col, v in extra["t05_total"].items():
    expect("05", "合计", col, v)
for x in pub["xiang"]:
    expect("02", x["code"], "本年收入合计", x["total"])
    expect("02", x["code"], "财政拨款收入", x["total"] if x["fund"] in FISCAL else None)
    for col in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"):
        expect("02", x["code"], col, None)
    expect("03", x["code"], "本年支出合计", x["total"])
    expect("03", x["code"], "基本支出", x["basic"])
    expect("03", x["code"], "项目支出", x["project"])
    for col in ("上缴上级支出", "经营支出", "对附属单位补助支出"):
        expect("03", x["code"], col, None)
    if x["fund"] == "一般公共预算财政拨款":
        expect("05", x["code"], "本年支出/小计", x["total"])
        expect("05", x["code"], "本年支出/基本支出", x["basic"])
        expect("05", x["code"], "本年支出/项目支出", x["project"])
# 04
for row, v in extra["t04_income"].items():
    expect("04", row, "决算数", v)
for row, vals in extra["t04_expenditure"].items():
    for col, v in zip(extra["t04_expenditure_columns"], vals):
        expect("04", row, col, v)
# 06
for code, cell in pub["t06"].items():
    expect("06", code, "决算数", cell["amount"])
for name, v in pub["t06_totals"].items():
    expect("06", name, "决算数", v)
# 07
cols07 = {"年初结转和结余": "年初结转和结余", "本年收入": "本年收入", "本年支出小计": "本年支出/小计",
          "基本支出": "本年支出/基本支出", "项目支出": "本年支出/项目支出", "年末结转和结余": "年末结转和结余"}
for code, cells in pub["t07"].items():
    for k, v in cells.items():
        expect("07", code, cols07[k], v)
for k, v in pub["t07_total"].items():
    expect("07", "合计", cols07[k], v)


def rowkey(r):
    if r["table"] in ("01", "04"):
        return r["row"]
    return r["code"] or r["name"]


# Every printed cell: listed ones equal the report, all others blank.
seen = set()
bad = []
for r in rows:
    key = (r["table"], rowkey(r), r["column"])
    want = expected.get(key, "")
    if r["value"] != want:
        bad.append("%s: got %r want %r" % (key, r["value"], want))
    seen.add(key)
ok(not bad, "every printed cell equals the report (%d cells)" % len(rows), "\n".join(bad[:30]))
missing = sorted(k for k in expected if k not in seen)
ok(not missing, "every cell of the report is printed (%d cells)" % len(expected), "\n".join(map(str, missing[:30])))

# Row labels of 01 and 项 names, and the tables each 项 appears in.
bad = []
for r in rows:
    if r["table"] == "01" and r["row"] in names01 and strip_ordinal(r["name"]) != names01[r["row"]]:
        bad.append("01 row %s: %r vs %r" % (r["row"], r["name"], names01[r["row"]]))
xiang_names = {x["code"]: x["name"] for x in pub["xiang"]}
for r in rows:
    if len(r["code"]) == 7 and r["name"] != xiang_names.get(r["code"]):
        bad.append("%s %s: %r" % (r["table"], r["code"], r["name"]))
for t, fund_ok in (("02", lambda f: True), ("03", lambda f: True), ("05", lambda f: f == "一般公共预算财政拨款"),
                   ("07", lambda f: f == "政府性基金预算财政拨款")):
    got = sorted({r["code"] for r in rows if r["table"] == t and len(r["code"]) == 7})
    want = sorted(x["code"] for x in pub["xiang"] if fund_ok(x["fund"]))
    if got != want:
        bad.append("table %s lists %s, report %s" % (t, got, want))
t06_order = [r["code"] for r in rows if r["table"] == "06" and r["code"]]
if list(dict.fromkeys(t06_order)) != list(pub["t06"].keys()):
    bad.append("06 code order differs: %s" % t06_order)
ok(not bad, "row labels, row sets and 06 order match the report", "\n".join(bad[:30]))

# Empty tables say so.
texts = {t["id"]: t["empty_text"] for t in doc["tables"]}
is_(texts.get("08"), extra["t08_empty_text"], "08 prints its empty sentence")
is_(texts.get("09"), extra["t09_empty_text"], "09 prints its empty sentence")
ok(all(texts.get(t) is None for t in ("01", "02", "03", "04", "05", "06", "07")), "no other table is empty")

# --format json carries the same cells as --format long, with integer 分.
bad = []
jcells = 0
longmap = {(r["table"], r["row"], r["code"], r["column"]): r["value"] for r in rows}
for t in doc["tables"]:
    for row in t["rows"]:
        cols = t["blocks"][row["block"]]["columns"]
        for col in cols:
            if col["kind"] != "amount":
                continue
            cell = row["cells"][col["key"]]
            jcells += 1
            key = (t["id"], str(row["row"] or row["pos"]), row["code"] or "", "/".join(col["heading"]))
            wan = cell["wan"] or ""
            if longmap.get(key) != wan:
                bad.append("%s: json %r long %r" % (key, wan, longmap.get(key)))
            fen = cell["fen"]
            cents = (abs(fen) + 5000) // 10000 * (1 if fen >= 0 else -1)
            if (fen != 0 or wan) and wan != ("-" if cents < 0 else "") + "%d.%02d" % (abs(cents) // 100, abs(cents) % 100):
                bad.append("%s: fen %d does not round to %r" % (key, fen, wan))
ok(not bad and jcells == len(rows), "json and long agree on all %d cells" % jcells, "\n".join(bad[:30]))
is_(doc["department"], pub["department"], "json names the department")
is_(doc["year"], pub["year"], "json gives the year")
done()
