#!/usr/bin/env python3
"""Carry-over checks (W-006, W-007) as a user meets them: a finding names a
file and line and the flows it counted, and with surplus.csv (which has no
fund column) a fund that balances is never blamed for another fund's gap."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-carryover-")


def findings(path, rule):
    rc, out, err = run("check", path, "--format", "json")
    return [f for f in json.loads(out)["findings"] if f["rule"] == rule] if out else []


def append(path, sheet, line):
    with open(os.path.join(path, sheet), "a", encoding="utf-8") as f:
        f.write(line + "\n")


# synthetic-2024 has surplus.csv; its 经营收入 balances only with it. 1,000 元
# more 事业收入 puts the non-fiscal funds out: one W-007 for them together.
syn = os.path.join(tmp, "syn")
shutil.copytree(example("synthetic-2024"), syn)
ok(not findings(syn, "W-007"), "synthetic-2024 as shipped: no W-007")
append(syn, "revenue.csv", "某市示范区科技创新服务中心,2060503,事业收入,1000.00")
fs = findings(syn, "W-007")
is_(len(fs), 1, "one W-007 for the non-fiscal funds together, not one per fund")
f = fs[0] if fs else {"message": "", "location": {}}
ok("非财政拨款资金合计" in f["message"] and "surplus.csv" in f["message"], "it says the funds are held together with surplus.csv",
   f["message"])
ok("事业收入 0.10" in f["message"], "it names the fund that is out by itself and by how much", f["message"])
ok(f["location"].get("file", "").endswith(".csv") and (f["location"].get("line") or 0) > 1,
   "it names a file and line", json.dumps(f["location"], ensure_ascii=False))
ok("计入年初结转和结余" in f["message"] and "本年收入" in f["message"], "it says which flows were counted", f["message"])
# attribution: 经营收入 is out by itself exactly by the surplus (it holds
# it); breaking 事业收入 must not name 经营收入 as out
tail = f["message"].split("不平衡的资金：")[-1]
ok("事业收入" in tail and "经营收入" not in tail, "only 事业收入 is named as out, not the untouched 经营收入", f["message"])
ok("经营收入自身的差额正好由结余解释" in f["message"], "it says 经营收入 balances with the surplus", f["message"])
ok("事业收入 0.10（计入年初结转和结余 2 行" in f["message"], "it says which of 事业收入's flows were counted", f["message"])
syn_line = [i + 1 for i, l in enumerate(open(os.path.join(syn, "carryover.csv"), encoding="utf-8")) if ",事业收入," in l][0]
is_(f["location"].get("line"), syn_line, "placed at 事业收入's first carry-over line (%d)" % syn_line)
# and the other way round: 经营收入 broken, 事业收入 untouched
syn2 = os.path.join(tmp, "syn2")
shutil.copytree(example("synthetic-2024"), syn2)
append(syn2, "revenue.csv", "某市示范区科技创新服务中心,2069999,经营收入,1000.00")
fs = findings(syn2, "W-007")
m = fs[0]["message"] if fs else ""
ok(len(fs) == 1 and "事业收入" not in m.split("不平衡的资金：")[-1] and "经营收入" in m.split("不平衡的资金：")[-1],
   "经营收入 1,000 元 more: 经营收入 named, 事业收入 not", m)

# qingshan-2024 (no surplus.csv): more 一般公共预算 income than spending.
qs = os.path.join(tmp, "qs")
shutil.copytree(example("qingshan-2024"), qs)
append(qs, "revenue.csv", "武汉市青山区经济信息化和科技创新局(本级),2060101,一般公共预算财政拨款,100.00")
fs = findings(qs, "W-006")
is_(len(fs), 1, "qingshan-2024 with 100 元 more income: one W-006")
f = fs[0] if fs else {"message": "", "location": {}}
ok(f["location"].get("file", "").endswith(".csv") and (f["location"].get("line") or 0) > 1,
   "W-006 names a file and line", json.dumps(f["location"], ensure_ascii=False))
ok("计入" in f["message"] and "行" in f["message"], "W-006 says which flows were counted", f["message"])
ok(not findings(qs, "W-007"), "the other funds are not blamed")
shutil.rmtree(tmp)
done()
