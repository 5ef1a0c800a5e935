#!/usr/bin/env python3
"""The budget disclosure (docs/budget.md) on the bundled budget example
(examples/synthetic-2025-budget, every table non-empty) in both budget
layouts: every cell of every table equals the independent arithmetic of
tests/budget_expect.py over the CSV sheets, every table has money, the
audit is clean (no finding at all), the build writes its outputs; the
Shanghai layout prints tables 1-8 in 元 and table 9 in 万元; the built
PDF reads back cell for cell in its layout, its audit clean. And the
qingshan-2024 example, which holds both phases: its budget builds in both
layouts with no error."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "lib"))
from tap import JUESUAN, done, ok  # noqa: E402

root = os.path.dirname(here)
example = os.path.join(root, "examples", "synthetic-2025-budget")
qingshan = os.path.join(root, "examples", "qingshan-2024")


def run(*args):
    p = subprocess.run([JUESUAN] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def row_key(row):
    key = row["code"] if row["code"] else ("#%d" % row["row"] if row["row"] else row["name"])
    return "%d|%s" % (row["block"], key)


def built_cells(tables):
    """tables.json as {id: {row key: {heading path: fen}}}."""
    out = {}
    for t in tables["tables"]:
        heads = {}
        for b, block in enumerate(t["blocks"]):
            for c in block["columns"]:
                heads[(b, c["key"])] = "/".join(c["heading"])
        rows = {}
        for r in t["rows"]:
            rows[row_key(r)] = {heads[(r["block"], k)]: v["fen"] for k, v in r["cells"].items()}
        out[t["id"]] = rows
    return out


tmp = tempfile.mkdtemp(prefix="juesuan-budget-")
for profile, units in (("budget", None), ("shanghai-budget", {"元": 8, None: 1})):
    rc, out, err = run("tables", example, "--profile", profile, "--format", "json")
    if not ok(rc == 0, "%s: tables exit 0" % profile, err):
        continue
    built = json.loads(out)
    got = built_cells(built)
    p = subprocess.run([sys.executable, os.path.join(here, "budget_expect.py"), example, profile],
                       capture_output=True, text=True)
    ok(p.returncode == 0, "%s: the independent arithmetic runs" % profile, p.stderr)
    want = json.loads(p.stdout or "{}")
    ok(sorted(got) == sorted(want), "%s: the tables expected are the tables built" % profile,
       "built %s, expected %s" % (sorted(got), sorted(want)))
    for tid in sorted(set(got) & set(want)):
        bad = []
        for key in sorted(set(got[tid]) | set(want[tid])):
            g, w = got[tid].get(key), want[tid].get(key)
            if g is None or w is None:
                if any((g or w).values()):  # a row with money on one side only
                    bad.append("%s: built %s, expected %s" % (key, g, w))
                continue
            for h in sorted(set(g) | set(w)):
                if g.get(h, 0) != w.get(h, 0):
                    bad.append("%s %s: built %s, expected %s" % (key, h, g.get(h), w.get(h)))
        ok(not bad, "%s: table %s equals the independent arithmetic, cell for cell" % (profile, tid),
           "\n".join(bad[:20]))
        ok(any(v for cells in got[tid].values() for v in cells.values()),
           "%s: table %s is not empty" % (profile, tid))
    if units:
        seen = {}
        for t in built["tables"]:
            seen[t.get("amount_unit")] = seen.get(t.get("amount_unit"), 0) + 1
        ok(seen == units, "%s: tables 1-8 in 元, table 9 in 万元" % profile, "units %s" % seen)
    rc, out, err = run("check", example, "--profile", profile, "--format", "json")
    audit = json.loads(out) if out.strip().startswith("{") else {}
    findings = audit.get("findings", [])
    ok(rc == 0 and findings == [], "%s: the audit is clean (no finding)" % profile,
       err + "\n".join("%s %s" % (f.get("rule"), f.get("message")) for f in findings[:10]))
    outdir = os.path.join(tmp, profile)
    rc, out, err = run("build", example, "--profile", profile, "-o", outdir, "-q")
    ok(rc == 0 and os.path.exists(os.path.join(outdir, "report.html")), "%s: build writes the report" % profile, err)
    if profile == "shanghai-budget" and rc == 0:
        with open(os.path.join(outdir, "tables.txt"), encoding="utf-8") as f:
            txt = f.read()
        ok("3,000,000.00" in txt and "8,505,346.00" in txt and "单位：万元" in txt,
           "shanghai-budget: tables.txt prints 元 with thousands and T9 in 万元")
    if rc == 0:
        # round trip: the built PDF read back in its layout, cell for cell,
        # and its audit (tables and narrative) clean
        back = os.path.join(tmp, profile + "-read.json")
        rrc, o, err = run("read", os.path.join(outdir, "report.pdf"), "--profile", profile, "-o", back)
        if ok(rrc == 0, "%s: report.pdf reads back" % profile, err):
            with open(back, encoding="utf-8") as f:
                read = {t["id"]: t for t in json.load(f)["tables"]}
            bad, n = [], 0
            for t in built["tables"]:
                field = "yuan" if t.get("amount_unit") == "元" else "wan"
                rows = {row_key(r): r for r in read.get(t["id"], {}).get("rows", [])}
                for r in t["rows"]:
                    y = rows.get(row_key(r), {"cells": {}})
                    for k, c in r["cells"].items():
                        n += 1
                        want = ("%d.%02d" % divmod(c["fen"], 100) if field == "yuan" else c["wan"]) if c["fen"] else None
                        got = (y["cells"].get(k) or {}).get(field)
                        if want != (got if got not in ("0.00", "") else None):
                            bad.append("%s %s %s: built %s, read %s" % (t["id"], row_key(r), k, want, got))
            ok(n > 300 and not bad, "%s: the built PDF's tables read back cell for cell (%d cells)" % (profile, n),
               "\n".join(bad[:20]))
        crc, o, err = run("check", os.path.join(outdir, "report.pdf"), "--profile", profile, "--format", "json")
        doc = json.loads(o) if o.strip().startswith("{") else {}
        ok(crc == 0 and doc.get("findings") == [], "%s: the built PDF's audit read back is clean" % profile,
           err + "\n".join("%s %s" % (f.get("rule"), f.get("message")) for f in doc.get("findings", [])[:5]))
        with open(os.path.join(outdir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        ok("比2024年预算增加159.43万元" in md, "%s: the narrative compares with last year's budget" % profile,
           md[:400])
        ok("编报绩效目标的项目2个，涉及项目预算资金452万元" in md,
           "%s: the 绩效目标 paragraph counts the projects and sums their budget" % profile)

# qingshan-2024 holds both phases: its budget builds in both layouts, and
# says nothing of what it does not give (no 上年预算数: no comparison)
for profile in ("budget", "shanghai-budget"):
    outdir = os.path.join(tmp, "qs-" + profile)
    rc, out, err = run("build", qingshan, "--profile", profile, "-o", outdir, "-q")
    ok(rc == 0, "qingshan-2024 --profile %s: builds (no error)" % profile, err)
    if rc == 0:
        with open(os.path.join(outdir, "report.md"), encoding="utf-8") as f:
            md = f.read()
        ok("比2023年预算" not in md and "收入预算总计2112.7万元" in md,
           "qingshan-2024 --profile %s: no comparison with a budget it does not give" % profile)

# a workbook of one phase is refused by the other phase's profile
rc, out, err = run("tables", example, "--profile", "default")
ok(rc == 3 and "只有预算阶段" in err, "a budget-only workbook is refused by a 决算 profile", err)
rc, out, err = run("tables", os.path.join(root, "examples", "sparse-2024"), "--profile", "budget")
ok(rc == 3 and "预算支出" in err, "a workbook without the budget phase is refused by the budget profile", err)

# 上年结转: the national layout shows it and balances; the Shanghai layout
# has no row for it, and its chain says so
carry = os.path.join(tmp, "carry")
shutil.copytree(example, carry)
with open(os.path.join(carry, "budget_carryover.csv"), "a", encoding="utf-8") as f:
    f.write("某市某区示例管理局(本级),2010302,一般公共预算财政拨款,100000.00\n")
with open(os.path.join(carry, "budget_expenditure.csv"), "a", encoding="utf-8") as f:
    f.write("某市某区示例管理局(本级),2010302,30227,一般公共预算财政拨款,项目支出,数字政务平台运维,100000.00,0.00\n")
rc, out, err = run("tables", carry, "--format", "json")
got = built_cells(json.loads(out)) if rc == 0 else {}
p = subprocess.run([sys.executable, os.path.join(here, "budget_expect.py"), carry, "budget"], capture_output=True, text=True)
want = json.loads(p.stdout or "{}")
ok(got.get("01", {}).get("0|#10") == {"预算数": 10000000} and got.get("01") == want.get("01")
   and got.get("02") == want.get("02"), "上年结转: tables 01 and 02 carry it as computed")
rc, out, err = run("check", carry, "--format", "json")
ok(rc == 0 and json.loads(out).get("findings") == [], "上年结转: the national audit stays clean", out[-500:])
rc, out, err = run("check", carry, "--profile", "shanghai-budget", "--format", "json")
rules = {f.get("rule") for f in json.loads(out).get("findings", [])} if out.strip().startswith("{") else set()
ok(rc == 1 and "C001" in rules, "上年结转: the Shanghai layout (no such row) fails C001", "%s" % rules)

# the cross-phase checks on a copy of qingshan-2024 (both phases):
# budget.csv typed beside the budget phase must equal it (W-020, error);
# a 三公 actual above the published budget is to be explained (W-021)
both = os.path.join(tmp, "both")
shutil.copytree(qingshan, both)
rc, out, err = run("check", both, "--format", "json")
before = json.loads(out)["summary"] if out.strip().startswith("{") else {}
with open(os.path.join(both, "budget.csv"), encoding="utf-8-sig") as f:
    rows = f.read().splitlines()
rows = [rows[0] + ",年初预算数(元)"] + [r + (",3848301.00" if r.startswith("2060101,") else ",0.00") for r in rows[1:]]
with open(os.path.join(both, "budget.csv"), "w", encoding="utf-8") as f:
    f.write("\n".join(rows) + "\n")
with open(os.path.join(both, "sangong.csv"), encoding="utf-8-sig") as f:
    sg = f.read().replace("公务接待费,0.00,0.00,", "公务接待费,0.00,12345.00,")
with open(os.path.join(both, "sangong.csv"), "w", encoding="utf-8") as f:
    f.write(sg)
rc, out, err = run("check", both, "--format", "json")
found = json.loads(out).get("findings", []) if out.strip().startswith("{") else []
w20 = [f for f in found if f.get("rule") == "W-020"]
w21 = [f for f in found if f.get("rule") == "W-021"]
print("# " + json.dumps([f.get("message") for f in w20 + w21], ensure_ascii=False))
ok(rc == 1 and len(w20) == 13 and any("2060101" in f["message"] and "3848301.00" in f["message"] for f in w20),
   "W-020: budget.csv's 年初预算数 that differ from the budget phase are errors, 项 by 项 (13: one off by 1 元, twelve typed 0)",
   "%d W-020" % len(w20))
ok(len(w21) == 2 and all(f.get("severity") == "verify" for f in w21)
   and any("公务接待费" in f["message"] for f in w21) and any("合计" in f["message"] for f in w21),
   "W-021: a 三公 actual above the budget phase's 预算数 is to be explained (the item and the total)",
   json.dumps(w21, ensure_ascii=False)[:400])

shutil.rmtree(tmp, ignore_errors=True)
done()
