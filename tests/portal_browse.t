#!/usr/bin/env python3
"""The public browse and compare pages (lib/serve/browse_*.c) on the demo
database, anonymous: the region's departments by year and the search by
name; a department's page (its key figures over the years, in the table,
the charts and the downloads, each equal to its published tables.json or
workbook; absent years absent); compare (two to five department-years,
rows aligned by key, changes and percentages equal to exact fractions of
the published amounts in 分, absent rows null, not zero); the ranking of a
region-year; the CSV and JSON downloads; the public cache (the same bytes
twice, a search never answered from it). Every figure expected here is
computed by this script from the published tables.json, never copied.
JUESUAN_DB=postgresql://… runs it against PostgreSQL; without it, it runs
again on a PostgreSQL server started for it."""
import csv
import io
import json
import os
import re
import sys
import urllib.parse
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql  # noqa: E402

portal = Portal.demo()
anon = portal.client()
FIGURES = json.load(open(os.path.join(ROOT, "data", "portal", "figures.json"), encoding="utf-8"))["figures"]


def tables(year, code):
    r = anon.get("/%d/%s/tables.json" % (year, code))
    return json.loads(r.body) if r.status == 200 else None


def row_key(table, row):
    """The row key the pages use (browse.h), computed here from tables.json."""
    pre = "b%d" % row["block"] if row["block"] else ""
    if row["code"]:
        return pre + "k" + row["code"]
    if row["row"] is not None:
        return pre + "r%d" % row["row"]
    if row["kind"] == "total":
        return pre + "total"
    others = [x for x in table["rows"] if x["block"] == row["block"] and not x["code"] and x["row"] is None
              and x["kind"] != "total"]
    return pre + "f%d" % (others.index(row) + 1)


def cell(tj, table_id, key, column):
    for t in tj["tables"]:
        if t["id"] == table_id:
            for row in t["rows"]:
                if row_key(t, row) == key and column in row["cells"]:
                    return row["cells"][column]["fen"]
    return None


def workbook_figure(path, key):
    """A 万元 figure of a workbook's figures.csv, in 分."""
    with open(path, encoding="utf-8-sig") as f:
        for line in csv.reader(f):
            if line and line[0] == key:
                return int(Fraction(line[1]) * 1000000)
    return None


def wan(fen):
    """万元 with two decimals, half away from zero, from 分 (as the pages print)."""
    q = (abs(fen) * 2 + 10000) // 20000
    return "%s%d.%02d" % ("-" if fen < 0 and q else "", q // 100, q % 100)


def pct(num, den):
    """num/den × 100 with two decimals, half away from zero (Fraction)."""
    x = Fraction(num * 100, den)
    q = (abs(x) * 100 * 2 + 1) // 2
    return "%s%d.%02d" % ("-" if x < 0 and q else "", q // 100, q % 100)


def main(r):
    m = re.search(r"<main>(.*)</main>", r.text, re.S)
    return m.group(1) if m else ""


# ---- the region's departments ---------------------------------------------------
r = anon.get("/departments/")
page = main(r)
rows = re.findall(r'<tr><th scope="row"><a href="/departments/([a-z0-9-]+)/">', page)
ok(r.status == 200 and sorted(rows) == ["gen-00001", "gen-00002", "gen-00003", "qingshan", "synthetic"],
   "/departments/ lists the five departments with a published report", rows)
ok(page.index("<th>2024 年度</th>") < page.index("<th>2023 年度</th>"), "its years, newest first")
qs = re.search(r'/departments/qingshan/">.*?</tr>', page).group(0)
ok('href="/2024/qingshan/"' in qs and "按时" in qs and qs.count('class="absent"') == 1,
   "qingshan: its 2024 report with the date and 按时, its 2023 absent (—)", qs)
ok(r.header("Cache-Control") == "public, max-age=300" and r.header("ETag"), "the page is public and tagged")
r2 = anon.get("/departments/")
ok(r2.body == r.body and r2.header("ETag") == r.header("ETag"), "asked again: the same bytes (the public cache)")
r = anon.get("/departments/?q=" + urllib.parse.quote("青山"))
found = re.findall(r'<tr><th scope="row"><a href="/departments/([a-z0-9-]+)/">', main(r))
ok(r.status == 200 and found == ["qingshan"] and "名称含「青山」的部门：1 个" in r.text,
   "search ?q=青山: qingshan only", found)
r = anon.get("/departments/?q=" + urllib.parse.quote("<b>无此部门</b>"))
ok(r.status == 200 and "没有名称含「&lt;b&gt;无此部门&lt;/b&gt;」的部门" in r.text and "<b>无此" not in r.text,
   "a search that finds nothing says so, the text escaped")
r = anon.get("/departments/?q=GEN")
ok(len(re.findall(r'<tr><th scope="row">', main(r))) == 3, "the search ignores the case of ASCII letters (GEN)")
ok(anon.get("/departments/").body == r2.body, "after searches the page without a query is the whole list again")
r = anon.get("/departments/list.csv")
lines = list(csv.DictReader(io.StringIO(r.body.decode("utf-8-sig"))))
ok(r.body.startswith(b"\xef\xbb\xbf") and "attachment" in (r.header("Content-Disposition") or "") and
   len(lines) == 8 and {(x["department"], x["year"]) for x in lines} >= {("qingshan", "2024"), ("gen-00001", "2023")},
   "list.csv: the 8 published department-years, a download with a BOM", r.text[:300])
j = json.loads(anon.get("/departments/list.json").body)
late = sorted((x["department"], x["year"]) for x in j["reports"] if x["on_time"] is not True)
ok(len(j["reports"]) == 8 and late == [("gen-00002", 2024)],
   "list.json: the same, on time but gen-00002's 2024 (the demo approves it 35 days before publishing)", late)

# ---- a department's page --------------------------------------------------------
years = {y: tables(y, "gen-00001") for y in (2023, 2024)}
r = anon.get("/departments/gen-00001/")
page = main(r)
ok(r.status == 200 and 'href="/2024/gen-00001/report.html"' in page and 'href="/2023/gen-00001/report.html"' in page,
   "gen-00001's page links its 2024 and 2023 reports")
got = json.loads(anon.get("/departments/gen-00001/figures.json").body)["figures"]
want = []
for f in FIGURES:
    for y in (2023, 2024):
        if "table" in f:
            v = cell(years[y], f["table"], f["row"], f["column"])
        else:
            v = None  # below: the generated workbooks are not at hand
        want.append((f["id"], y, wan(v) if v is not None else None))
have = [(x["figure"], x["year"], x["value_wan"]) for x in got]
ok([w for w in want if w[2]] == [h for h in have if h[0] != "jiguan"] and len(got) == 2 * len(FIGURES),
   "its key figures equal the cells of its published tables.json, each year", "%r\n%r" % (want, have))
ok(all(x["value_wan"] for x in got), "every key figure is given in both years (none absent)")
for x in got:
    if x["figure"] == "shouzhi":
        ok(wan(int(Fraction(x["value_yuan"]) * 100)) == x["value_wan"], "value_yuan is the exact amount (%s)" %
           x["value_yuan"])
        break
table_nums = re.search(r'<table class="list figures">.*?</table>', page, re.S).group(0)
ok(all(">%s<" % re.sub(r"(\d)(?=(\d{3})+\.)", r"\1,", x["value_wan"]) in table_nums for x in got),
   "the page's table shows each of them (万元, thousands separated)")
svgs = re.findall(r"<svg [^>]*class=\"chart\".*?</svg>", page, re.S)
ok(len(svgs) == len(FIGURES) and all('role="img"' in s for s in svgs), "one SVG chart per key figure")
ok(all(">%s<" % x["value_wan"] in "".join(svgs) for x in got),
   "the charts label every bar with its figure")
one = anon.get("/departments/gen-00001/jiben.csv")
lines = list(csv.DictReader(io.StringIO(one.body.decode("utf-8-sig"))))
ok([(x["year"], x["value_wan"]) for x in lines] ==
   [(str(y), wan(cell(years[y], "03", "total", "basic"))) for y in (2023, 2024)],
   "a chart's own download (jiben.csv): its two years", one.text[:300])
ok('href="/compare/gen-00001-2024,gen-00001-2023/"' in page, "the page links the comparison of its two years")
q = main(anon.get("/departments/qingshan/"))
qf = json.loads(anon.get("/departments/qingshan/figures.json").body)["figures"]
jg = [x for x in qf if x["figure"] == "jiguan"]
ok(len(jg) == 1 and jg[0]["value_wan"] == wan(workbook_figure(os.path.join(ROOT, "examples", "qingshan-2024",
                                                                            "figures.csv"), "机关运行经费")),
   "机关运行经费 comes from the published version's workbook (qingshan: its figures.csv)", jg)
ok("2023 年度" not in re.search(r'<table class="list figures">.*?</table>', q, re.S).group(0) and
   len(re.findall(r"<svg ", q)) == len(FIGURES),
   "qingshan (2024 only): no 2023 column, no bar for a year it did not publish")
is_(anon.get("/departments/nobody/").status, 404, "an unknown department: 404")
is_(anon.get("/departments/qingshan/nothing.csv").status, 404, "an unknown download: 404")

# ---- compare -------------------------------------------------------------------
r = anon.get("/compare/?a1=gen-00001-2024&a2=qingshan-2024")
ok(r.status == 303 and r.header("Location") == "/compare/gen-00001-2024,qingshan-2024/",
   "the form's choice is redirected to the comparison's address", r.header("Location"))
r = anon.get("/compare/?a1=gen-00001-2024&a2=qingshan-2023")
ok(r.status == 400 and "请选择至少两个" in r.text, "a department-year not published: the form again, 400")
for bad in ["qingshan-2024,qingshan-2024", "qingshan-2023,gen-00001-2024", "qingshan-2024,synthetic-2024,",
            "a-2024,b-2024,c-2024,d-2024,e-2024,f-2024"]:
    r = anon.get("/compare/%s/" % bad)
    ok(r.status == 404, "/compare/%s/: 404" % bad, r.status)
A, B = (2024, "gen-00001"), (2024, "qingshan")
ta, tb = tables(*A), tables(*B)
addr = "/compare/gen-00001-2024,qingshan-2024/"
r = anon.get(addr)
ok(r.status == 200 and r.header("ETag") and anon.get(addr).body == r.body, "the comparison: 200, kept in the cache")
data = json.loads(anon.get(addr + "compare.json").body)
ok([(i["department"], i["year"]) for i in data["items"]] == [(A[1], A[0]), (B[1], B[0])],
   "compare.json names the two department-years, the first the basis")
lines = data["lines"]
checked = wrong = absent_ok = 0
problems = []
for line in lines:
    if not line["table"]:
        continue
    key = col = None
    for t in (t for t in ta["tables"] + tb["tables"] if t["id"] == line["table"]):
        col, blk = next(((c["key"], bi) for bi, b in enumerate(t["blocks"]) for c in b["columns"]
                         if "/".join(([b["heading"]] if b["heading"] else []) + c["heading"]) == line["column"]),
                        (None, None))
        row = next((x for x in t["rows"] if (x["code"] or None) == line["code"] and x["name"] == line["name"]
                    and x["block"] == blk), None)
        if row:
            key = row_key(t, row)
            break
    va, vb = cell(ta, line["table"], key, col), cell(tb, line["table"], key, col)
    a, b = line["values"]
    if (va is None) != (a is None) or (vb is None) != (b is None):
        wrong += 1
        problems.append(("presence", line))
        continue
    if va is None or vb is None:
        absent_ok += 1
        if b is not None and b["change_wan"] is not None:
            wrong += 1
            problems.append(("change beside an absent basis", line))
        continue
    checked += 1
    want_change = wan(vb - va)
    want_pct = pct(vb - va, abs(va)) if va else None
    if (a["wan"], b["wan"], b["change_wan"], b["change_percent"]) != (wan(va), wan(vb), want_change, want_pct):
        wrong += 1
        problems.append((line, wan(va), wan(vb), want_change, want_pct))
ok(checked > 30 and not wrong, "every compared cell, change and percentage equals the exact one from the "
   "published 分 (%d cells)" % checked, "\n".join(map(repr, problems[:5])))
ok(absent_ok > 10, "rows one report lacks are null there, with no change (%d)" % absent_ok)
html = main(anon.get(addr))
ok(html.count('class="absent"') >= absent_ok and "（比较基准）" in html, "the page marks them — and names the basis")
n02 = sum(1 for x in lines if x["table"] == "02")
t02 = list(csv.DictReader(io.StringIO(anon.get(addr + "table-02.csv").body.decode("utf-8-sig"))))
ok(len(t02) == 2 * n02 and {x["department"] for x in t02} == {A[1], B[1]},
   "table-02.csv: a line per department-year of each of its %d rows" % n02)
figs = json.loads(anon.get(addr + "figures.json").body)["lines"]
ok([x["code"] for x in figs] == [f["id"] for f in FIGURES], "figures.json: the key figures, in order")
three = anon.get("/compare/gen-00001-2024,gen-00001-2023,qingshan-2024,synthetic-2024,gen-00002-2023/")
ok(three.status == 200 and main(three).count("（比较基准）") == 1, "five department-years side by side")

# ---- rankings -------------------------------------------------------------------
rk = json.loads(anon.get("/rank/2024/jiben/ranking.json").body)
vals = {c: cell(tables(2024, c), "03", "total", "basic") for c in
        ["qingshan", "synthetic", "gen-00001", "gen-00002", "gen-00003"]}
order = sorted(vals, key=lambda c: -vals[c])
total = sum(vals.values())
ok([x["department"] for x in rk["ranking"]] == order and [x["rank"] for x in rk["ranking"]] == [1, 2, 3, 4, 5] and
   [x["value_wan"] for x in rk["ranking"]] == [wan(vals[c]) for c in order] and
   [x["share_percent"] for x in rk["ranking"]] == [pct(vals[c], total) for c in order],
   "2024 by 基本支出: the five departments, largest first, each share exact", rk)
rk = json.loads(anon.get("/rank/2023/jiben/ranking.json").body)
ok(sorted(x["department"] for x in rk["ranking"]) == ["gen-00001", "gen-00002", "gen-00003"],
   "2023: only the three departments that published it (qingshan is not ranked as zero)")
r = anon.get("/rank/2024/03/")
link = re.search(r'href="/rank/2024/(03-k\d+-c1)/"', r.text)
ok(r.status == 200 and link, "a table's page links a ranking by each of its cells")
code = link.group(1).split("-")[1][1:] if link else ""
rk = json.loads(anon.get("/rank/2024/%s/ranking.json" % (link.group(1) if link else "x")).body)
holders = [c for c in vals if cell(tables(2024, c), "03", "k" + code, "total") is not None]
ok(sorted(x["department"] for x in rk["ranking"] if x["rank"]) == sorted(holders) and
   all(x["value_wan"] is None for x in rk["ranking"] if not x["rank"]),
   "ranking by a code row (%s): those whose report has the row; the others unranked, no value" % code)
is_(anon.get("/rank/2024/99-total-c1/").status, 404, "a figure no report holds: 404")
is_(anon.get("/rank/1999/jiben/").status, 404, "a year without reports: 404")
r = anon.get("/rank/2024/")
ok(r.status == 200 and all('/rank/2024/%s/' % f["id"] in r.text for f in FIGURES) and "/rank/2024/09/" in r.text,
   "the year's ranking page offers the key figures and every table")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
