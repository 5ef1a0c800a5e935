#!/usr/bin/env python3
"""The score of a disclosure (docs/score.md): both bundled examples item by
item, the statutory period with and without an approval date, a workbook
with one section removed changing exactly that item, a tables.json scored
without its workbook, bad score definitions refused by name, and
docs/score.md listing the current items."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, ok, run  # noqa: E402


def score(*args):
    rc, out, err = run("score", *args, "--format", "json")
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    ok(rc == 0 and doc is not None, "juesuan score %s exits 0 with JSON" % " ".join(args), err)
    return doc or {"items": [], "totals": {}}


def results(doc):
    return {i["id"]: i["result"] for i in doc["items"]}


def item(doc, iid):
    return next((i for i in doc["items"] if i["id"] == iid), {"result": None, "why": ""})


P, F, U = "pass", "fail", "unknown"

# 1. the examples, item by item
q = score(example("qingshan-2024"))
is_(results(q), {"S-01": U, "S-02": P, "S-03": P, "S-04": P, "S-05": P, "S-06": P, "S-07": P, "S-08": P,
                 "S-09": P, "S-10": P, "S-11": P, "S-12": P, "S-13": U}, "qingshan: every item")
is_(q["totals"], {"earned": 85, "decided": 85, "total": 100, "percent": "100.0"}, "qingshan: totals")
ok("2 张空表均有说明" in item(q, "S-02")["why"], "qingshan: S-02 says the two empty tables are explained",
   item(q, "S-02")["why"])
ok("24 个末级科目均列到项级" in item(q, "S-11")["why"], "qingshan: S-11 counts the 项 of table 05", item(q, "S-11")["why"])

s = score(example("sparse-2024"))
is_(results(s), {"S-01": U, "S-02": P, "S-03": F, "S-04": F, "S-05": P, "S-06": P, "S-07": F, "S-08": F,
                 "S-09": P, "S-10": P, "S-11": P, "S-12": P, "S-13": U}, "sparse: every item")
is_(s["totals"], {"earned": 55, "decided": 85, "total": 100, "percent": "64.7"}, "sparse: totals (55 of 85)")
ok("三公经费增减原因" in item(s, "S-03")["why"], "sparse: S-03 names the missing reason for the 三公 change",
   item(s, "S-03")["why"])
ok("未填报：绩效自评" in item(s, "S-07")["why"], "sparse: S-07 says the 绩效自评 is not given", item(s, "S-07")["why"])
ok("另有 4 个缺少数据的问题" in item(s, "S-10")["why"],
   "sparse: S-10 leaves its 4 findings of missing inputs to the completeness items", item(s, "S-10")["why"])
syn = score(example("synthetic-2024"))
is_(item(syn, "S-10")["result"], U, "synthetic: S-10 unknown (a 核实 finding, its explanation not given)")

# 2. the statutory period: qingshan was published 2025-11-05; 20 days allowed
is_(item(score(example("qingshan-2024"), "--approved", "2025-10-16"), "S-01")["result"], P,
    "approved 2025-10-16, published 2025-11-05 (20 days): pass")
late = score(example("qingshan-2024"), "--approved", "2025-10-15")
is_(item(late, "S-01")["result"], F, "approved 2025-10-15 (21 days): fail")
ok("相隔 21 日" in item(late, "S-01")["why"], "the fail says how many days", item(late, "S-01")["why"])
is_(late["totals"], {"earned": 85, "decided": 95, "total": 100, "percent": "89.5"}, "a late report: 85 of 95")
is_(item(score(example("qingshan-2024"), "--approved", "2025-11-06"), "S-01")["result"], U,
    "published before its approval: unknown, not a pass")
is_(item(score(example("qingshan-2024"), "--approved", "2025-10-15", "--published", "2025-10-20"), "S-01")["result"],
    P, "--published overrides the workbook's 公开日期")

# 3. one section removed changes exactly that item
tmp = tempfile.mkdtemp(prefix="juesuan-score-")
for sheet, iid in [("procurement.csv", "S-05"), ("assets.csv", "S-06"), ("perf_items.csv perf_indicators.csv", "S-07")]:
    wb = os.path.join(tmp, sheet.split()[0])
    shutil.copytree(example("qingshan-2024"), wb)
    for name in sheet.split():
        os.remove(os.path.join(wb, name))
    got = results(score(wb))
    changed = sorted(k for k in got if got[k] != results(q)[k])
    is_(changed, [iid], "qingshan without %s: only %s changes" % (sheet, iid))
    is_(got[iid], F, "qingshan without %s: %s fails" % (sheet, iid))

# 4. from a tables.json: the narrative items are unknown, the tables still scored
tj = os.path.join(tmp, "tables.json")
rc, out, err = run("tables", example("sparse-2024"), "--format", "json", "-o", tj)
t = score(tj)
is_(t.get("scored_from"), "tables", "tables.json: scored from the tables")
is_(results(t), {"S-01": U, "S-02": P, "S-03": U, "S-04": U, "S-05": U, "S-06": U, "S-07": U, "S-08": U,
                 "S-09": P, "S-10": P, "S-11": P, "S-12": P, "S-13": U}, "tables.json: every item")
doc = json.load(open(tj, encoding="utf-8"))
doc["tables"][6]["empty_text"] = None  # table 07 of sparse is empty: its 空表说明 taken away
json.dump(doc, open(tj, "w", encoding="utf-8"), ensure_ascii=False)
is_(item(score(tj), "S-02")["result"], F, "tables.json whose empty table 07 lost its 空表说明: S-02 fails")

# 5. the text form
rc, out, err = run("score", example("sparse-2024"))
ok(rc == 0 and "得分 55 / 可判断的 85 分（64.7%）；满分 100 分，其中 15 分无法判断" in out,
   "text: the totals line", out[:400] + err)
ok("[未通过] S-03" in out and "[无法判断] S-01" in out, "text: results in Chinese", out[:400])

# 6. bad definitions are refused, naming the file and the item
data = os.path.join(tmp, "data")
shutil.copytree(os.path.join(ROOT, "data"), data)
path = os.path.join(data, "profiles", "default", "score.json")
good = json.load(open(path, encoding="utf-8"))
for name, mutate, want in [
    ("an unknown kind", lambda d: d["items"][0]["check"].update(kind="guess"), "S-01"),
    ("a dimension not listed", lambda d: d["items"][1].update(dimension="可读性"), "可读性"),
    ("a sheet the workbook has not", lambda d: d["items"][3]["check"]["inputs"][0].update(sheet="nosuch.csv"),
     "nosuch.csv"),
    ("a duplicate id", lambda d: d["items"][2].update(id="S-01"), "id 重复"),
]:
    bad = json.loads(json.dumps(good))
    mutate(bad)
    json.dump(bad, open(path, "w", encoding="utf-8"), ensure_ascii=False)
    rc, out, err = run("score", example("qingshan-2024"), "--data", data)
    ok(rc == 3 and "score.json" in err and want in err and not out, "score.json with %s: refused (%s)" % (name, want),
       "exit %d: %s" % (rc, err))
shutil.rmtree(tmp, ignore_errors=True)

# 7. docs/score.md lists the current items
p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-score-doc.py"), "--check"])
is_(p.returncode, 0, "docs/score.md lists the items of score.json (scripts/gen-score-doc.py)")
done()
