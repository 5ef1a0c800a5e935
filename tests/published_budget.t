#!/usr/bin/env python3
"""A real published budget read back (docs/budget-reading.md): 上海市普陀区
人民政府办公室 2025年部门预算, in the Shanghai 2025 layout (T1–T8 in 元, T9
and the text in 万元). Its nine tables against the tables written by hand
from the PDF, cell by cell; its findings, verified by hand, each reported by
`check`, nothing else; and the checks of the text and of the identity chain
shown live by changing one printed figure at a time in its word list.

Hand arithmetic behind "no other finding" (every figure as printed, 元):
  T1 收入总计 91,016,775.35 = 财政拨款收入 91,016,775.35 (= 一般公共预算资金) = 支出总计;
     类 82,096,797.42 + 4,213,779.28 + 1,097,073.43 + 3,609,125.22 = 91,016,775.35
  T3/T5 合计 91,016,775.35 = 基本 24,606,775.35 + 项目 66,410,000.00; 项目 110,000
     + 46,140,000 + 40,000 + 20,120,000 = 66,410,000; 208 = 1,554,220 + 1,763,159.52
     + 881,579.76 + 14,820 = 4,213,779.28; 210 = 782,855.28 + 314,218.15; 221 =
     1,741,445.22 + 1,867,680.00 = 3,609,125.22
  T8 人员经费 301 21,170,337.81 (its 款 add to it) + 303 1,303,660.00 = 22,473,997.81;
     公用经费 302 1,932,777.54 (its 款 add to it) + 310 200,000.00 = 2,132,777.54;
     合计 24,606,775.35 = T3 基本 = T5 基本
  T9 (万元) 867.50 = 839.00 + 28.50 + 0; T4 一般公共预算 by 类 = T5 类
  Text: 9,101.68 万元 is 91,016,775.35 元 rounded; each 项 the text lists
     (1,202.95 … 186.77 万元) is its T5 row rounded (14,820.00 元 → 1.48).
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok, run  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data", "published")
NAME = "shanghai-putuo-zhengfuban-2025-budget"
pdf = os.path.join(DATA, NAME + ".pdf")
want = json.load(open(os.path.join(DATA, NAME + ".tables.json"), encoding="utf-8"))["expected"]
listed = json.load(open(os.path.join(DATA, NAME + ".findings.json"), encoding="utf-8"))
tmp = tempfile.mkdtemp(prefix="juesuan-published-budget-")

ROW = ("block", "row", "kind", "code", "name", "level")


def printed(t):
    """A table as read: its rows' identity and each cell as printed."""
    return [dict({k: r[k] for k in ROW}, cells={k: (v.get("yuan") if "yuan" in v else v.get("wan"))
                                                for k, v in r["cells"].items()}) for r in t["rows"]]


out = os.path.join(tmp, "read.json")
rc, _, err = run("read", pdf, "-o", out)
ok(rc == 0, "the budget report is read without --profile", err)
got = json.load(open(out, encoding="utf-8")) if rc == 0 else {"tables": []}
is_(got.get("profile"), "shanghai-budget", "its layout is recognised as shanghai-budget")
is_((got.get("department"), got.get("year")), (want["department"], want["year"]), "department (编制部门) and year")
tables = {t["id"]: t for t in got["tables"]}
for t in want["tables"]:
    g = tables.get(t["id"], {"rows": []})
    head = {k: g.get(k) for k in ("title", "amount_unit", "unit_label", "empty_text")}
    is_(head, {k: t[k] for k in head}, "table %s: title, unit (%s) and 空表说明" % (t["id"], t["amount_unit"]))
    rows = printed(g)
    cells = [(r["code"], r["name"], k, v) for r in t["rows"] for k, v in r["cells"].items()]
    have = [(r["code"], r["name"], k, v) for r in rows for k, v in r["cells"].items()]
    missing = [c for c in cells if c not in have]
    ok(rows == t["rows"], "table %s (%s): every row and cell as printed (%d of %d cells)"
       % (t["id"], t["title"], len(cells) - len(missing), len(cells)), "\n".join(map(str, missing[:8])))
ok(len(got["tables"]) == 9 and "其他相关情况说明" in [s["heading"] for s in got.get("narrative", [])],
   "nine tables; the text after the last table is narrative (其他相关情况说明), not table 9's rows")


def check(path):
    rc, text, err = run("check", path, "--format", "json")
    return rc, (json.loads(text)["findings"] if text.strip() else []), err


rc, found, err = check(pdf)
is_(rc, 0, "check: no error finding on the report")
for x in listed["reported"]:
    hit = [f for f in found if f["rule"] == x["rule"] and f["severity"] == x["severity"] and
           f["location"].get("table") == x["table"] and ("row" not in x or f["location"].get("row") == x["row"])]
    ok(len(hit) == 1, "reported: %s %s" % (x["rule"], x["verified"][:70]))
is_(len(found), len(listed["reported"]), "nothing else is reported (%d findings)" % len(found))

# The checks shown live: one printed figure changed at a time in the word
# list (pdftotext -tsv) must be caught by the rule named, as error unless
# said. n: which occurrence of the word (tables 3 and 5 print the same rows).
tsv = subprocess.run(["pdftotext", "-tsv", pdf, "-"], capture_output=True, check=True).stdout.decode("utf-8")
words = [line.split("\t") for line in tsv.split("\n")]


def mutated(old, new, n=1):
    seen = 0
    rows = []
    for w in words:
        if len(w) == 12 and old in w[11]:
            seen += 1
            if seen == n:
                w = w[:11] + [w[11].replace(old, new, 1)]
        rows.append("\t".join(w))
    assert seen >= n, old
    path = os.path.join(tmp, "m.tsv")
    open(path, "w", encoding="utf-8").write("\n".join(rows))
    return path


CASES = [
    # the text against the tables, 元 ↔ 万元 (T-001)
    ("收入预算9,101.68万元", "收入预算9,101.69万元", 1, "T-001", "error", "收入预算 ≠ T1 收入总计 91,016,775.35 元"),
    ("支出预算9,101.68万元", "支出预算9,101.67万元", 1, "T-001", "error", "支出预算 ≠ T1 支出总计"),
    # (一般公共 / 预算拨款支出预算 wraps over two lines)
    ("预算拨款支出预算9,101.68万元", "预算拨款支出预算9,100万元", 1, "T-001", "error",
     "一般公共预算拨款支出预算 ≠ T4 支出总计 一般公共预算"),
    ("其他收入0万元", "其他收入1万元", 1, "T-001", "error", "其他收入 against T1's blank"),
    ("科目1.48万元", "科目1.49万元", 1, "T-001", "error", "其他行政事业单位养老支出 ≠ T5 14,820.00 元"),
    ("科目4,614万元", "科目4,615万元", 1, "T-001", "error", "一般行政管理事务 ≠ T5 46,140,000.00 元"),
    ("行政运行”", "行政运转”", 1, "T-013", "verify", "a 项 the tables do not have"),
    ("费839万元", "费840万元", 1, "T-001", "error", "因公出国（境）费 ≠ T9 839.00 万元"),
    ("预算为213.28万元", "预算为213.29万元", 1, "T-001", "error", "机关运行经费 ≠ T9 213.28 万元"),
    # exact 元: one 分 breaks an identity
    ("11,919,501.84", "11,919,501.85", 1, "C002", "error", "T3 行政运行 基本 + 1 分: 合计 ≠ 基本 + 项目"),
    ("2,132,777.54", "2,132,777.55", 1, "C003", "error", "T8 合计 公用经费 + 1 分"),
    ("91,016,775.35", "91,016,775.36", 1, "T01-001", "error", "T1 收入总计 + 1 分"),
    # 万元 in T9: three printed figures allow 0.01 万元, not 0.02
    ("867.50", "867.51", 1, "C008", "info", "T9 合计 + 0.01 万元: a rounding tail"),
    ("867.50", "867.52", 1, "C008", "error", "T9 合计 + 0.02 万元: impossible"),
    ("213.28", "213.29", 1, "BX-021", "verify", "机关运行经费 213.29 万元 > 公用经费 213.277754 万元 even rounded"),
    # 空表说明
    ("注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。", "注:", 1, "T-012", "error",
     "T6 empty without its 空表说明"),
]
for old, new, n, rule, sev, what in CASES:
    rc, f, err = check(mutated(old, new, n))
    hit = [x for x in f if x["rule"] == rule and x["severity"] == sev]
    ok(hit, "%s → %s: %s %s (%s)" % (old[:16], new[:16], rule, sev, what),
       err + "\n".join("%s %s %s" % (x["rule"], x["severity"], x["message"][:90]) for x in f))
done()
