#!/usr/bin/env python3
"""A real published report read back (docs/reading.md): 上海市普陀区财政局
2024年度部门决算, in the Shanghai layout. Its tables against the expected
tables written by hand from the PDF, cell by cell; its inconsistencies,
verified by hand, each reported by `check`; no other error on it."""
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from printed import printed_form  # noqa: E402
from tap import ROOT, done, is_, ok, run  # noqa: E402

DATA = os.path.join(ROOT, "tests", "data", "published")
pdf = os.path.join(DATA, "shanghai-putuo-caizhengju-2024.pdf")
want = json.load(open(os.path.join(DATA, "shanghai-putuo-caizhengju-2024.tables.json"), encoding="utf-8"))["expected"]
listed = json.load(open(os.path.join(DATA, "shanghai-putuo-caizhengju-2024.findings.json"), encoding="utf-8"))

out = os.path.join(tempfile.mkdtemp(prefix="juesuan-published-"), "read.json")
rc, _, err = run("read", pdf, "-o", out)
ok(rc == 0, "the report is read", err)
got = printed_form(json.load(open(out, encoding="utf-8"))) if rc == 0 else {"tables": []}
is_(got.get("profile"), "shanghai", "its layout is recognised as shanghai")
is_((got.get("department"), got.get("year")), (want["department"], want["year"]), "department and year")
tables = {t["id"]: t for t in got["tables"]}
for t in want["tables"]:
    g = tables.get(t["id"], {"rows": []})
    cells = [(r["block"], r["row"], r["code"], r["name"], k, v) for r in t["rows"] for k, v in r["cells"].items()]
    have = [(r["block"], r["row"], r["code"], r["name"], k, v) for r in g["rows"] for k, v in r["cells"].items()]
    missing = [c for c in cells if c not in have]
    ok(g["rows"] == t["rows"], "table %s (%s): every row and cell as printed (%d of %d cells)"
       % (t["id"], t["title"], len(cells) - len(missing), len(cells)), "\n".join(map(str, missing[:8])))

rc, text, err = run("check", pdf, "--format", "json")
found = json.loads(text)["findings"] if text.strip() else []
for x in listed["reported"]:
    hit = [f for f in found if f["rule"] == x["rule"] and f["severity"] == x["severity"] and
           ("page" not in x or "第%d页" % x["page"] in (f["location"].get("file") or "")) and
           ("quote" not in x or x["quote"] in f["message"])]
    ok(hit, "reported: %s %s" % (x["rule"], x["verified"][:60]))
listed_rules = {x["rule"] for x in listed["reported"]}
other = [f for f in found if f["severity"] != "info" and f["rule"] not in listed_rules]
ok(not other, "no other error or 核实 finding on the report",
   "\n".join("%s %s" % (f["rule"], f["message"][:80]) for f in other))
text_findings = [f for f in found if f["rule"].startswith("T-")]
is_(sorted(f["rule"] for f in text_findings), sorted(x["rule"] for x in listed["reported"] if x["rule"].startswith("T-")),
    "the narrative checks report exactly the verified inconsistencies of the text")
done()
