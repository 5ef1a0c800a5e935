#!/usr/bin/env python3
"""Budget reports juesuan builds, read back (docs/budget-reading.md): the
example's budget phase built as report.pdf in the national layout (budget,
万元) and the Shanghai one (shanghai-budget: tables 1–8 in 元, 9 in 万元),
each recognised without --profile and read back to the tables `juesuan
tables` compiles, cell for cell (元 to the 分); `check` finds no error in
either; and the text checks are live on them: each 万元 figure of the
情况说明 changed by its last digit, one at a time, is caught (T-001 against
its table cell, T-002 a share) but for the few no table holds."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from printed import differences, printed_form  # noqa: E402
from tap import done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-budget-roundtrip-")
for layout in ("budget", "shanghai-budget"):
    wb = example("qingshan-2024")
    out = os.path.join(tmp, layout)
    rc, _, err = run("build", wb, "-o", out, "--only", "pdf", "--profile", layout)
    if not ok(rc == 0, "%s: build writes report.pdf" % layout, err):
        continue
    rc, text, err = run("tables", wb, "--format", "json", "--profile", layout)
    want = json.loads(text) if rc == 0 else {"tables": []}
    read = os.path.join(out, "read.json")
    rc, _, err = run("read", os.path.join(out, "report.pdf"), "-o", read)
    if not ok(rc == 0, "%s: read exits 0" % layout, err):
        continue
    got = json.load(open(read, encoding="utf-8"))
    is_(got["profile"], layout, "%s: the layout is recognised by its titles" % layout)
    units = sorted({t.get("amount_unit") or "万元" for t in want["tables"]})
    cells = sum(len(r["cells"]) for t in printed_form(want)["tables"] for r in t["rows"])
    diff = differences(got, want)
    ok(not diff and cells > 100, "%s: %d tables (%s), every row and cell as compiled (%d cells)"
       % (layout, len(want["tables"]), "/".join(units), cells), "\n".join(diff[:10]))
    rc, text, err = run("check", os.path.join(out, "report.pdf"), "--format", "json")
    found = json.loads(text)["findings"] if text.strip() else []
    errors = [f for f in found if f["severity"] == "error"]
    ok(rc == 0 and not errors, "%s: check finds no error in the built report" % layout,
       err + "\n".join("%s %s" % (f["rule"], f["message"][:100]) for f in errors))
    ok(not [f for f in found if f["rule"].startswith("T-")], "%s: no finding on its text" % layout,
       "\n".join(f["message"][:120] for f in found if f["rule"].startswith("T-")))

    # the text checks, live: every figure of the 情况说明 changed in turn
    tsv = subprocess.run(["pdftotext", "-tsv", os.path.join(out, "report.pdf"), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8").split("\n")
    first = max(i for i, line in enumerate(tsv) if line.endswith("\t第三部分") or "\t第三部分" in line)
    caught, unchecked, prev = 0, [], ""
    for i in range(first, len(tsv)):
        w = tsv[i].split("\t")
        if len(w) != 12 or w[0] != "5":  # words only (level 5), not the ###LINE### rows
            continue
        before, prev = prev, w[11]
        for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)万元", w[11]):
            num = m.group(1)
            new = num[:-1] + str((int(num[-1]) + 1) % 10) if "." in num else str(int(num.replace(",", "")) + 1)
            mutant = tsv[:i] + ["\t".join(w[:11] + [w[11][:m.start(1)] + new + w[11][m.end(1):]])] + tsv[i + 1:]
            path = os.path.join(out, "m.tsv")
            open(path, "w", encoding="utf-8").write("\n".join(mutant))
            rc, text, err = run("check", path, "--format", "json")
            if [f for f in json.loads(text)["findings"] if f["rule"].startswith("T-")]:
                caught += 1
            else:
                unchecked.append((before + w[11][:m.start()])[-12:] + w[11][m.start():m.end() + 1])
    # not held by any table: the chart's labels (975.97万元（46.2%）), the
    # projects with 绩效目标, and (national layout) 机关运行经费
    stray = [u for u in unchecked if not re.search(r"万元（|项目预算资金|机关运行经费", u)]
    ok(caught >= 45 and not stray, "%s: %d figures of the text caught when changed, %d held by no table"
       % (layout, caught, len(unchecked)), "\n".join(unchecked))
done()
