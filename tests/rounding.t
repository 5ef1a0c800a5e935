#!/usr/bin/env python3
"""Exact rounding intervals in printed mode (docs/rules.md, "Two modes").

A printed 万元 figure P stands for an exact amount in the half-open interval
[P - 0.005, P + 0.005) (mirrored below zero), a blank for exactly zero, so an
identity over n non-blank printed figures tolerates |D| <= 0.01 * floor((n-1)/2)
and nothing more. Each case edits the reference department's printed tables
and names the identity it tests and its count of figures."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tablesjson import dump, find_row, column_key, patched  # noqa: E402
from tap import done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-rounding-")
rc, out, err = run("tables", example("qingshan-2024"), "--format", "json")
tables = json.loads(out)


def value(doc, table, row, column):
    t = next(t for t in doc["tables"] if t["id"] == table)
    r = find_row(t, row)
    return r["cells"][column_key(t, r, column)]["wan"]


def shifted(v, cents):
    c = round(float(v) * 100) + cents
    return "%s%d.%02d" % ("-" if c < 0 else "", abs(c) // 100, abs(c) % 100)


def check(edits):
    path = os.path.join(tmp, "t.json")
    dump(patched(tables, edits), path)
    rc, out, err = run("check", path, "--format", "json")
    return rc, json.loads(out)["findings"] if out else []


def severities(fs, rule):
    return sorted({f["severity"] for f in fs if f["rule"] == rule})


# Two figures, one cent apart: 01 #1 against 04 #1 (X-004). Exact amounts
# within [P-0.005, P+0.005) and [P+0.005, P+0.015) never meet.
v = value(tables, "01", "#1", "金额")
rc, fs = check([{"table": "01", "row": "#1", "column": "金额", "value": shifted(v, 1)},
                {"table": "01", "row": "#27", "column": "金额", "value": shifted(value(tables, "01", "#27", "金额"), 1)},
                {"table": "01", "row": "#31", "column": "金额", "value": shifted(value(tables, "01", "#31", "金额"), 1)}])
is_(severities(fs, "X-004"), ["error"], "01 #1 one cent above 04 #1 (2 figures): an error, not a rounding tail")

# The same one cent the other way (below): still impossible.
rc, fs = check([{"table": "04", "row": "#1", "column": "决算数", "value": shifted(value(tables, "04", "#1", "决算数"), 1)}])
is_(severities(fs, "X-004"), ["error"], "04 #1 one cent above 01 #1: an error")

# A 02 row whose 本年收入合计 is one cent above its only income (财政拨款收入):
# two figures (the other incomes are blank, exactly zero).
t02 = next(t for t in tables["tables"] if t["id"] == "02")
row = next(r for r in t02["rows"] if r["code"] and
           all(r["cells"][column_key(t02, r, c)]["wan"] is None
               for c in ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")))
total = value(tables, "02", row["code"], "本年收入合计")
rc, fs = check([{"table": "02", "row": row["code"], "column": "本年收入合计", "value": shifted(total, 1)}])
bad = [f for f in fs if f["rule"] == "T02-001" and f["location"]["row"] == row["code"]]
ok(bad and bad[0]["severity"] == "error",
   "02 %s: 本年收入合计 one cent above 财政拨款收入 alone (2 figures) is an error" % row["code"],
   json.dumps(bad, ensure_ascii=False))

# Three figures tolerate one cent (floor(2/2) = 1), not two: a 05 row with
# 基本支出 and 项目支出 both printed, its 小计 shifted (T05-001).
t05 = next(t for t in tables["tables"] if t["id"] == "05")
row = next(r for r in t05["rows"] if r["code"] and
           all(r["cells"][column_key(t05, r, c)]["wan"] for c in ("本年支出/基本支出", "本年支出/项目支出")))
sub = value(tables, "05", row["code"], "本年支出/小计")
rc, fs = check([{"table": "05", "row": row["code"], "column": "本年支出/小计", "value": shifted(sub, -1)}])
tail = [f for f in fs if f["rule"] == "T05-001"]
is_([f["severity"] for f in tail], ["info"], "05 %s 小计 one cent off over three figures: a rounding tail (info)" % row["code"])
ok(tail and "3 个印刷数" in tail[0]["message"] and "0.01 万元" in tail[0]["message"],
   "the tail's message states the figures counted and the bound", tail and tail[0]["message"])
rc, fs = check([{"table": "05", "row": row["code"], "column": "本年支出/小计", "value": shifted(sub, -2)}])
is_(sorted({f["severity"] for f in fs if f["rule"] == "T05-001"}), ["error"],
    "two cents over three figures: an error")

# The reference's 303: 107.90 against 68.02 + 17.78 + 22.11 (four figures,
# bound 0.01) stays a rounding tail.
path = os.path.join(tmp, "ref.json")
dump(tables, path)
rc, out, err = run("check", path, "--format", "json")
fs = json.loads(out)["findings"]
is_([(f["rule"], f["severity"], f["location"]["row"]) for f in fs], [("T06-001", "info", "303")],
    "the reference's printed tables: only the 303 rounding tail, as info")

# A printed 0.00 is not a blank: it stands for (-0.005, 0.005). Alone it
# changes nothing; against a 0.01 with nothing else (two figures) it is
# impossible.
rc, fs = check([{"table": "09", "row": "", "column": "预算数/合计", "value": "0.00"}])
ok(not [f for f in fs if f["severity"] != "info"], "a printed 0.00 in place of a blank total changes nothing")
rc, fs = check([{"table": "09", "row": "", "column": "预算数/合计", "value": "0.00"},
                {"table": "09", "row": "", "column": "预算数/公务接待费", "value": "0.01"}])
is_(severities(fs, "T09-001"), ["error"], "09: 预算数 0.00 against 公务接待费 0.01 alone is an error")
done()
