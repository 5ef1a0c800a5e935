#!/usr/bin/env python3
"""Both phases of a department-year in the portal (docs/portal.md, 预算与决算):
a preparer uploads the 预算 and the 决算 of one department-year (the bundled
qingshan-2024 workbook, which holds both, renamed for a department of this
test and given a 预算批复日期), each is reviewed and published on its own
line; the pages, the API, the dashboard and the bundle carry the phase; the
budget's statutory period (20 days after its 批复, the budget profile's
publication_days) is marked on both sides of the limit, and not at all when
the workbook gives no 批复 date; the 预算 vs 决算 table of the department
page equals the figures computed here from the example's CSV files (and,
for the 决算's 收支总计, from its published tables.json), with differences
and 完成% by exact fractions; a department-year with only one phase
published shows no comparison. Existing 决算 addresses are unchanged.
JUESUAN_DB=postgresql://… runs it against PostgreSQL; without it, it runs
again on a PostgreSQL server started for it."""
import csv
import datetime
import io
import json
import os
import re
import sys
import zipfile
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_all, upload, zip_folder  # noqa: E402

NAME = "预算测试局"
NAME2 = "预算逾期测试局"
PERIOD = 20  # data/profiles/budget/profile.json publication_days
SANGONG = {"因公出国(境)费": "12000.00", "公务用车购置费": "0.00", "公务用车运行维护费": "35000.50",
           "公务接待费": "8000.25"}


def get_json(path):
    """The body of a 200 answer as JSON, else {} (the checks then fail)."""
    r, body = anon.get_json(path)
    return body if r.status == 200 and body is not None else {}


def today_cst():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def edit_for(name, old, approval, sangong=None):
    """A zip_folder edit: the department's name, its 预算批复日期 and
    (optionally) the 三公 budget."""
    def edit(sheet, text):
        text = text.replace(old, name)
        if sheet == "department.csv" and approval:
            text = text.rstrip("\n") + "\n预算批复日期,%s\n" % approval
        if sheet == "budget_sangong.csv" and sangong:
            text = "项目,预算数(元)\n" + "".join("%s,%s\n" % kv for kv in sangong.items())
        return text
    return edit


def rows(folder, sheet):
    path = os.path.join(folder, sheet)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def fen(text, heading):
    """分 of a money cell, whose column heading names its unit."""
    unit = 1000000 if "万元" in heading else 100
    return int(Fraction(text.replace(",", "") or "0") * unit)


def column(table, prefix):
    return next(k for k in table[0] if k.startswith(prefix))


def total(table, prefix, where=None):
    col = column(table, prefix)
    return sum(fen(r[col], col) for r in table if not where or where(r))


def keyed(table, key, prefix):
    col = column(table, prefix)
    for r in table:
        if r["项目"] == key:
            return fen(r[col], col)
    return None


def wan(f):
    q = (abs(f) * 2 + 10000) // 20000
    s = "{:,}".format(q // 100)
    return "%s%s.%02d" % ("-" if f < 0 and q else "", s, q % 100)


def wan_plain(f):
    return wan(f).replace(",", "")


def pct(num, den):
    x = Fraction(num * 100, den)
    q = (abs(x.numerator) * 200 + x.denominator) // (2 * x.denominator)
    return "%s%d.%02d" % ("-" if x < 0 and q else "", q // 100, q % 100)


def expected(folder, final_tables):
    """The comparison's figures, from the workbook's CSV files (with the
    budget_sangong.csv of this test): id → (budget 分, 决算 分)."""
    be, ex = rows(folder, "budget_expenditure.csv"), rows(folder, "expenditure.csv")
    br, bc = rows(folder, "budget_revenue.csv"), rows(folder, "budget_carryover.csv")
    sg, fig, bfig = rows(folder, "sangong.csv"), rows(folder, "figures.csv"), rows(folder, "budget_figures.csv")
    basic = lambda r: r["支出类型"] == "基本支出"  # noqa: E731
    project = lambda r: r["支出类型"] == "项目支出"  # noqa: E731
    b_sg = {k: int(Fraction(v) * 100) for k, v in SANGONG.items()}
    f_sg = {k: keyed(sg, k, "决算数") for k in SANGONG}
    t01 = next(t for t in final_tables["tables"] if t["id"] == "01")
    f_total = next(r["cells"]["amount"]["fen"] for r in t01["rows"] if r["block"] == 0 and r["row"] == 31)
    car = ("公务用车购置费", "公务用车运行维护费")
    return {
        "shouzhi": (total(br, "预算数") + (total(bc, "上年结转") if bc else 0), f_total),
        "jiben": (total(be, "预算数", basic), total(ex, "金额", basic)),
        "xiangmu": (total(be, "预算数", project), total(ex, "金额", project)),
        "sangong": (sum(b_sg.values()), sum(f_sg.values())),
        "sangong-abroad": (b_sg["因公出国(境)费"], f_sg["因公出国(境)费"]),
        "sangong-car": (sum(b_sg[k] for k in car), sum(f_sg[k] for k in car)),
        "sangong-car-buy": (b_sg["公务用车购置费"], f_sg["公务用车购置费"]),
        "sangong-car-run": (b_sg["公务用车运行维护费"], f_sg["公务用车运行维护费"]),
        "sangong-reception": (b_sg["公务接待费"], f_sg["公务接待费"]),
        "jiguan": (keyed(bfig, "机关运行经费", "预算数"), keyed(fig, "机关运行经费", "金额")),
    }


portal = Portal.demo()
pw = portal.passwords
adm = portal.staff("demo-admin", pw["demo-admin"])
rev = portal.staff("demo-reviewer", pw["demo-reviewer"])
pub = portal.staff("demo-publisher", pw["demo-publisher"])
anon = portal.client()

# ---- two departments and their preparers --------------------------------------
preps = {}
for code, name in [("budget-test", NAME), ("budget-late", NAME2)]:
    preps[code] = portal.add_preparer(adm, code, name, "prep-" + code, "budget-prep-pw-1")


def through(prep, vid, what):
    """Explains, submits, approves and publishes version vid."""
    explain_all(prep, vid, "已核实。")
    is_(prep.post("/version/%s/submit" % vid).status, 303, "%s: submitted" % what)
    is_(rev.post("/version/%s/approve" % vid).status, 303, "%s: approved by the reviewer" % what)
    r = pub.post("/version/%s/publish" % vid)
    ok(r.status == 303, "%s: published" % what, r.text[-500:])


QS = example("qingshan-2024")
OLD = "武汉市青山区经济信息化和科技创新局"
day0 = today_cst()
on_time_date = (day0 - datetime.timedelta(days=PERIOD)).isoformat()
late_date = (day0 - datetime.timedelta(days=PERIOD + 1)).isoformat()
prep = preps["budget-test"]
both = zip_folder(QS, edit_for(NAME, OLD, on_time_date, SANGONG))

# ---- the phase of an upload -----------------------------------------------------
r, v0 = upload(prep, both, "qingshan.zip")
ok(r.status == 303 and v0 and "2024 年度决算 第 1 版" in prep.get("/version/%s" % v0).text,
   "a workbook holding both phases, uploaded without a phase: the phase of its 配置 (default: 决算)")
r, v = upload(prep, both, "qingshan.zip", {"phase": "plan"})
is_(r.status, 400, "an unknown phase: 400")
ok('name="phase"' in prep.get("/work/").text, "the upload form offers the phase")

r, vb = upload(prep, both, "qingshan-budget.zip", {"phase": "budget"})
ok(r.status == 303 and vb, "the 预算 of the department-year is uploaded (phase budget)", r.text[-300:])
page = prep.get("/version/%s" % vb).text
ok("2024 年度预算 第 2 版" in page and on_time_date in page,
   "its page names the phase and the 批复 date taken from the workbook")
through(prep, vb, "the 预算")
r, vf = upload(prep, both, "qingshan-final.zip", {"phase": "final"})
ok(r.status == 303 and vf, "the 决算 of the same department-year is uploaded (phase final): its own line")
ok("2024 年度决算 第 3 版" in prep.get("/version/%s" % vf).text, "numbered after the others (one numbering per year)")
r, _ = upload(prep, both, "again.zip", {"phase": "budget"})
is_(r.status, 409, "another 预算 while one is published must be a correction: 409")
is_(anon.get("/2024/budget-test/budget-vs-final.csv").status, 404,
    "before the 决算 is published there is no comparison (404)")
page = anon.get("/2024/budget-test/").text
ok("本年度没有公开的部门决算" in page and 'href="/2024/budget-test/budget/"' in page and "budget-vs-final" not in page,
   "the department-year's page with only the 预算 published says so and links it, no comparison")
through(prep, vf, "the 决算")

# ---- the pages -----------------------------------------------------------------
bpage = anon.get("/2024/budget-test/budget/")
api_b = get_json("/api/v1/versions/2024/budget-test/v2")
published_b = datetime.date.fromisoformat(api_b["published_at"][:10]) if api_b.get("published_at") else day0
days = (published_b - datetime.date.fromisoformat(on_time_date)).days
ok(bpage.status == 200 and "2024 年度部门预算" in bpage.text and "预算批复" in bpage.text and
   on_time_date in bpage.text, "/2024/budget-test/budget/: the 预算, its 批复 date", bpage.text[-500:])
ok(("按时公开" in bpage.text) == (days <= PERIOD) and ("批复后第 %d 日公开" % days) in bpage.text,
   "…and the on-time mark against 20 days after 批复 (%d days)" % days)
ok("阅读预算报告" in bpage.text and "/2024/budget-test/budget/report.html" in bpage.text and
   "预算公开不评分" in bpage.text and "score.json" not in bpage.text,
   "its report and downloads under /budget/; the page says the score covers the 决算 only")
r = anon.get("/2024/budget-test/budget/tables.json")
bt = json.loads(r.body) if r.status == 200 else {"tables": []}
ok(r.status == 200 and any("部门收支总体情况表" in t["title"] for t in bt["tables"]),
   "/budget/tables.json is the budget's (表一 部门收支总体情况表)")
is_(anon.get("/2024/budget-test/budget/score.json").status, 404, "a budget keeps no score.json")
r = anon.get("/2024/budget-test/tables.json")
ft = json.loads(r.body) if r.status == 200 else {"tables": []}
ok(any(t["id"] == "09" for t in ft["tables"]) and not any("部门收支总体情况表" in t["title"] for t in ft["tables"]),
   "/2024/budget-test/tables.json stays the 决算's (existing addresses unchanged)")
ok("2024 年度部门决算" in anon.get("/2024/budget-test/v3/").text and
   "2024 年度部门预算" in anon.get("/2024/budget-test/v2/").text and
   anon.get("/2024/budget-test/v1/").status == 404, "/vN/ names one version of either phase (v1, a draft: 404)")
dpage = anon.get("/departments/budget-test/").text
ok('href="/2024/budget-test/budget/"' in dpage and 'href="/2024/budget-test/"' in dpage,
   "the department's page lists its 决算 by year and links its published 预算")
fpage = anon.get("/2024/budget-test/").text
ok("2024 年度部门决算" in fpage and 'href="/2024/budget-test/budget/"' in fpage,
   "the 决算's page links the published 预算")

# ---- 预算 vs 决算 ---------------------------------------------------------------
want = expected(QS, ft)
PHASES = json.load(open(os.path.join(os.environ.get("JUESUAN_DATA", "data"), "portal", "phases.json"),
                        encoding="utf-8"))
labels = {f["id"]: f["label"] for f in PHASES["comparison"]}
ok(sorted(labels) == sorted(want), "the comparison's figures are the ones this test computes")
table = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td>'
                   r'<td class="num">([^<]*)</td><td class="num">([^<]*)</td></tr>', fpage)
got = {row[0]: row[1:] for row in table}
bad = []
for fid, (b, f) in want.items():
    rate = pct(f, b) + "%" if b else "—"
    exp = (wan(b), wan(f), wan(f - b), rate)
    if got.get(labels[fid].replace("“", "“")) != exp:
        bad.append("%s: page %r, computed %r" % (fid, got.get(labels[fid]), exp))
ok(table and not bad, "the page's 预算 vs 决算 table equals the figures computed from the CSV files "
   "(difference and 完成% exact, 万元 四舍五入)", "\n".join(bad))
ok(want["jiguan"] == (603400 * 100, 637900 * 100), "(机关运行经费 60.34 vs 63.79 万元 in the example)")
r = anon.get("/2024/budget-test/budget-vs-final.json")
cj = json.loads(r.body) if r.status == 200 else {"figures": []}
bad = []
for x in cj["figures"]:
    b, f = want[x["id"]]
    exp = {"budget": {"yuan": "%.2f" % (b / 100), "wan": wan_plain(b)},
           "final": {"yuan": "%.2f" % (f / 100), "wan": wan_plain(f)},
           "difference": {"yuan": "%.2f" % ((f - b) / 100), "wan": wan_plain(f - b)},
           "completion_percent": pct(f, b) if b else None}
    if {k: x[k] for k in exp} != exp:
        bad.append("%s: %r vs %r" % (x["id"], {k: x[k] for k in exp}, exp))
ok(len(cj["figures"]) == len(want) and not bad and cj["versions"]["budget"]["number"] == 2 and
   cj["versions"]["final"]["number"] == 3, "budget-vs-final.json: the same, exact 元 and 万元", "\n".join(bad))
r = anon.get("/2024/budget-test/budget-vs-final.csv")
lines = list(csv.reader(io.StringIO(r.body.decode("utf-8-sig")))) if r.status == 200 else [[]]
bad = [ln for ln in lines[1:] if ln[2:6] != [wan_plain(want[ln[0]][0]), wan_plain(want[ln[0]][1]),
                                              wan_plain(want[ln[0]][1] - want[ln[0]][0]),
                                              pct(want[ln[0]][1], want[ln[0]][0]) if want[ln[0]][0] else ""]]
ok(r.status == 200 and len(lines) == len(want) + 1 and not bad and "attachment" in (r.header("Content-Disposition") or ""),
   "budget-vs-final.csv: the same, as a download", repr(bad))

# a department-year with only its 决算 published: no comparison
page = anon.get("/2024/synthetic/").text
ok("预算与决算" not in page.split("<h2")[1:] and "本年度部门预算尚未在本门户公开" in page and
   'id="budget-vs-final"' not in page, "a 决算 without a published 预算: the page says so, no comparison table")
is_(anon.get("/2024/synthetic/budget-vs-final.json").status, 404, "…and its comparison download is 404")
is_(anon.get("/2024/synthetic/budget/").status, 404, "…and it has no /budget/ page")

# ---- the statutory period on the other side of the limit, and the phase from the workbook --
prep2 = preps["budget-late"]
late = zip_folder(example("synthetic-2025-budget"), edit_for(NAME2, "某市某区示例管理局", late_date))
r, vl = upload(prep2, late, "late-budget.zip")
ok(r.status == 303 and vl, "a budget-only workbook uploaded without a phase: taken as the 预算", r.text[-300:])
ok("2025 年度预算 第 1 版" in prep2.get("/version/%s" % vl).text, "its page says 预算")
through(prep2, vl, "the late 预算")
api_l = get_json("/api/v1/versions/2025/budget-late/v1")
published_l = datetime.date.fromisoformat(api_l["published_at"][:10])
days_l = (published_l - datetime.date.fromisoformat(late_date)).days
ok(api_l["phase"] == "budget" and api_l["period_start"] == late_date and api_l["days_after_approval"] == days_l and
   api_l["on_time"] is (days_l <= PERIOD) and api_l["publication_days"] == PERIOD,
   "the API: phase, 批复 date, %d days after it, on_time %s" % (days_l, days_l <= PERIOD), json.dumps(api_l)[:600])
ok(api_b["phase"] == "budget" and api_b["period_start"] == on_time_date and api_b["days_after_approval"] == days and
   api_b["on_time"] is (days <= PERIOD), "the API: the on-time 预算 (%d days)" % days)
if published_b == day0 and published_l == day0:
    ok(days == PERIOD and days_l == PERIOD + 1 and api_b["on_time"] is True and api_l["on_time"] is False,
       "both sides of the limit: 20 days after 批复 on time, 21 days late")
else:
    ok(True, "# skip: the publication day changed while the test ran")
page = anon.get("/2025/budget-late/budget/").text
ok(("逾期公开" in page) == (days_l > PERIOD), "the late 预算's page marks it 逾期公开")
page = anon.get("/2025/budget-late/").text
ok("本年度没有公开的部门决算" in page and 'id="budget-vs-final"' not in page, "a 预算 without a 决算: no comparison")
is_(anon.get("/2025/budget-late/budget-vs-final.csv").status, 404, "…nor its download")

# no 批复 date in the workbook (the demo's qingshan 预算): no mark
page = anon.get("/2024/qingshan/budget/").text
ok("无法判断是否按时公开" in page and "按时公开" not in page.replace("无法判断是否按时公开", "") and
   "逾期公开" not in page, "a 预算 whose workbook gives no 批复 date: no on-time mark, said so")
api_q = get_json("/api/v1/versions?department=qingshan&phase=budget")["data"]
ok(len(api_q) == 1 and api_q[0]["on_time"] is None and api_q[0]["days_after_approval"] is None and
   api_q[0]["period_start"] is None, "…and null in the API, not false or zero")

# ---- the API's phase and its filter -----------------------------------------------
allv = get_json("/api/v1/versions?year=2024&department=budget-test")["data"]
ok(sorted((x["number"], x["phase"]) for x in allv) == [(2, "budget"), (3, "final")],
   "/api/v1/versions carries the phase of each version")
bud = get_json("/api/v1/versions?phase=budget")["data"]
ok(bud and all(x["phase"] == "budget" for x in bud) and
   {x["department"]["code"] for x in bud} == {"budget-test", "budget-late", "qingshan"},
   "?phase=budget lists the published 预算 only")
fin = get_json("/api/v1/versions?phase=final&year=2024")["data"]
ok(fin and all(x["phase"] == "final" for x in fin), "?phase=final lists the 决算 only")
is_(anon.get("/api/v1/versions?phase=x").status, 400, "an unknown phase: 400")
ok("score" not in api_b["links"] and "score" in get_json("/api/v1/versions/2024/budget-test/v3")["links"],
   "a 预算 links no score; the 决算 does")

# ---- the year page and the dashboard -----------------------------------------------
page = anon.get("/2024/").text
ok(re.search(r'href="/2024/budget-test/budget/">%s</a></td><td>预算</td>' % NAME, page) and
   re.search(r'href="/2024/budget-test/">%s</a></td><td>决算</td>' % NAME, page),
   "the year page lists each phase of the department-year")
st = get_json("/api/v1/years/2024/status?phase=budget")
row = {x["code"]: x for x in st["departments"]}
ok(st["phase"] == "budget" and row["budget-test"]["state"] == "published" and
   row["budget-test"]["days_after_approval"] == days and row["budget-test"]["approved_on"] == on_time_date and
   row["qingshan"]["on_time"] is None and row["synthetic"]["state"] == "unpublished" and
   st["summary"]["unknown"] >= 1, "the 预算's dashboard: on time from 批复, unknown without it, unpublished as such")
st = get_json("/api/v1/years/2024/status")
row = {x["code"]: x for x in st["departments"]}
ok(st["phase"] == "final" and row["budget-test"]["number"] == 3 and row["budget-test"]["on_time"] is True,
   "the 决算's dashboard (the default) holds the 决算 versions")
page = anon.get("/status/2024/").text
ok("2024 年度部门决算公开情况" in page and "2024 年度部门预算公开情况" in page and
   "status.csv?phase=budget" in page, "/status/2024/ shows both phases")
r = anon.get("/status/2024/status.csv?phase=budget")
ok(r.status == 200 and on_time_date in r.body.decode("utf-8-sig"), "the 预算's dashboard as CSV")
is_(anon.get("/api/v1/years/2024/status?phase=x").status, 400, "an unknown phase: 400")

# ---- the bundle -------------------------------------------------------------------
r = anon.get("/api/v1/years/2024/bundle.zip")
z = zipfile.ZipFile(io.BytesIO(r.body)) if r.status == 200 else None
names = z.namelist() if z else []
man = json.loads(z.read("manifest.json")) if z else {"departments": []}
ok("budget-test/budget/tables.json" in names and "budget-test/tables.json" in names and
   "budget-test/budget/tables-long.csv" in names and
   json.loads(z.read("budget-test/budget/tables.json")) == bt,
   "the year's bundle holds the 预算's tables apart (<dept>/budget/)", repr(names[:20]))
ok(sorted((x["version"], x["phase"]) for x in man["departments"] if x["code"] == "budget-test") ==
   [(2, "budget"), (3, "final")], "its manifest names the phase of each version")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
