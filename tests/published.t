#!/usr/bin/env python3
"""A real published report read back (docs/reading.md): 上海市普陀区财政局
2024年度部门决算, in the Shanghai layout. Its tables against the expected
tables written by hand from the PDF, cell by cell; its inconsistencies,
verified by hand, each reported by `check`; no other error on it."""
import json
import os
import re
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

# check --format html: the recovered tables with the cells of the findings
# marked, and each finding on the text beside its quoted sentence
rc, html, err = run("check", pdf, "--format", "html")
ok(rc == 1 and html.startswith("<!DOCTYPE html>"), "check --format html writes a page", err)
t001 = re.search(r'<div class="card error" id="f(\d+)"><div class="head">\d+　错误　\[T-001\]</div>'
                 r'<blockquote><span class="muted">第21页　([^<]*)</span><br>([^<]*)<mark>0\.3万元</mark>', html)
ok(t001 and "财政拨款收入支出总计" in t001.group(3),
   "HTML: the T-001 finding quotes its sentence with page 21 and marks the figure", html[:3000])
n = t001.group(1) if t001 else "?"
# table 04 (财政拨款收入支出决算总表): its 总计 2961.68 marked, linked to that finding
sec = html[html.find('<section id="t04">'):]
sec = sec[:sec.find("</section>")]
ok(re.search(r'<td class="n hit" title="%s T-001">2961\.68<sup><a href="#f%s">%s</a></sup></td>' % (n, n, n), sec),
   "HTML: table 04's 总计 cell is highlighted and linked to the T-001 finding", sec[:2000])
ok('<a href="#f%s">%s</a>　错误　[T-001]' % (n, n) in sec, "HTML: the finding is listed beside table 04")
# table 01's 社会保障和就业支出 326.71 marked by X-007, its parts in table 03 lighter
x007 = re.search(r'<td class="n hit" title="(\d+) X-007">326\.71<sup>', html)
ok(x007 and re.search(r'<td class="n part" title="%s X-007">326\.72<sup>' % x007.group(1), html),
   "HTML: X-007's left cell (326.71) marked, the table 03 figure it was compared with shaded")
ok(html.count('class="n hit"') + html.count('class="n part"') >= 12 and len(re.findall(r'<section id="t\d\d">', html)) == 9,
   "HTML: the nine tables, with their marked cells")
done()
