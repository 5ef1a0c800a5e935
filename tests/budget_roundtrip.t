#!/usr/bin/env python3
"""Budget reports juesuan builds, read back (docs/budget-reading.md): the
example's budget phase built as report.pdf in the national layout (budget,
万元) and the Shanghai one (shanghai-budget: tables 1–8 in 元, 9 in 万元),
each recognised without --profile and read back to the tables `juesuan
tables` compiles, cell for cell (元 to the 分); `check` finds no error in
either."""
import json
import os
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
done()
