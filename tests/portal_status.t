#!/usr/bin/python3
"""The public side's score, dashboard and region-year open data on a demo
portal, over HTTP on 127.0.0.1 (no browser): the score of each published
version computed at publication with the store's dates (S-01 against the
statutory period, S-10 from the written explanations), on the version's
page and at /api/v1/…/score; the dashboard 公开情况 (/status/:year/) with
its server-side sorting, CSV and JSON downloads and its API route, an
unpublished and a withdrawn department listed as such; the region-year's
Fiscal Data Package in the year's zip and at its own address, validated
against the FDP JSON Schema of tests/fdp/; the published audit naming the
stored file (same bytes for the same upload); a session's last-seen time
not written on every request. JUESUAN_DB=postgresql://… runs it against
PostgreSQL; run plainly, it runs again on a throwaway PostgreSQL server.
Runs under Debian's python3 (python3-jsonschema)."""
import csv
import io
import json
import math
import os
import re
import sys
import time
import zipfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_all, upload, zip_folder  # noqa: E402

try:
    import jsonschema
except ImportError:  # scripts/install-deps.sh installs python3-jsonschema
    jsonschema = None

portal = Portal.demo()
anon = portal.client()
today = datetime.now(timezone(timedelta(hours=8))).date()


rows = portal.rows
get_json = anon.get_json


def final_part(page):
    """The 决算's table of the dashboard page (the 预算's follows it)."""
    return page.split('<h2 id="budget">')[0]


def item(score, sid):
    return next(i for i in score["items"] if i["id"] == sid)


# ---- the score of a published version ------------------------------------------
r, s = get_json("/api/v1/versions/2024/synthetic/v1/score")
ok(r.status == 200 and s and s["of"] == {"year": 2024, "department": {"code": "synthetic", "name": "某市示范区科学技术局"},
                                         "number": 1, "phase": "final"} and s["format"] == "juesuan-score",
   "score: the synthetic version's score, named by \"of\"", r.text[:300])
stored = json.loads(anon.get("/2024/synthetic/score.json").body)
is_({k: v for k, v in s.items() if k != "of"}, stored, "the API's score is the version's stored score.json")
s01 = item(s, "S-01")
ok(s01["result"] == "pass" and "%s 批复，%s 公开，相隔 0 日（时限 20 日）" % (today, today) in s01["why"],
   "S-01: approved and published today (CST), within the profile's 20 days: pass", s01)
s10 = item(s, "S-10")
ok(s10["result"] == "pass" and "均有书面说明" in s10["why"],
   "S-10: the demo's written explanations of its 核实 findings count: pass", s10)
is_(item(s, "S-13")["result"], "pass", "S-13: a publication offers machine-readable downloads")
passed = sum(i["weight"] for i in s["items"] if i["result"] == "pass")
decided = sum(i["weight"] for i in s["items"] if i["result"] != "unknown")
pct = Fraction(passed, decided) * 100
want = Decimal(math.floor(pct * 10 + Fraction(1, 2))) / 10  # half up, one decimal
ok(s["totals"]["earned"] == passed and s["totals"]["decided"] == decided and
   Decimal(s["totals"]["percent"]) == Decimal(want),
   "the totals are the items' weights: %d of %d (%s%%)" % (passed, decided, s["totals"]["percent"]), s["totals"])
r, late = get_json("/api/v1/versions/2024/gen-00002/v1/score")
l01 = item(late, "S-01") if late else {}
approved = today - timedelta(days=35)
ok(l01.get("result") == "fail" and "%s 批复，%s 公开，相隔 35 日（时限 20 日）" % (approved, today) in l01.get("why", ""),
   "S-01: the department approved 35 days before publication fails the 20-day period", l01)

page = anon.get("/2024/gen-00002/").text
m = re.search(r'<h2 id="score">公开评分</h2>(.*?)</table>', page, re.S)
ok(m and "得分 <strong>%d</strong> / 可判断的 %d 分" % (late["totals"]["earned"], late["totals"]["decided"]) in m.group(1),
   "the version's page shows the score's totals", page[-1500:])
cells = re.findall(r'<tr class="(pass|fail|unknown)"><td>(S-\d\d)</td>.*?<td class="result">([^<]+)</td><td>([^<]*)</td>',
                   m.group(1) if m else "")
is_([(c[1], c[0], c[2]) for c in cells], [(i["id"], i["result"], i["result_label"]) for i in late["items"]],
    "every item on the page with its result (通过/未通过/无法判断), in order")
ok(any(c[1] == "S-01" and "相隔 35 日" in c[3] for c in cells), "and why: S-01 says 35 days")
r, v = get_json("/api/v1/versions/2024/synthetic/v1")
is_(v["links"].get("score"), "/api/v1/versions/2024/synthetic/v1/score", "a version's links name its score")
r, body = get_json("/api/v1/versions/2024/synthetic/v1/score?x=1")
ok(r.status == 400 and body["error"]["message"].startswith("不支持的查询参数「x」"),
   "score?x=1: 400 with the message of text.json", r.text[:200])

# ---- the audit of a version names the stored file ---------------------------------
audit = anon.get("/2024/synthetic/audit.json").text
files = {f["location"].get("file") for f in json.loads(audit)["findings"]}
ok("synthetic-2024.zip/expenditure.csv" in files and "/tmp" not in audit and "juesuan-serve" not in audit,
   "audit.json names the stored file (synthetic-2024.zip/expenditure.csv), no temporary path", files)
ok("/tmp" not in anon.get("/2024/synthetic/audit.txt").text, "audit.txt neither")

# ---- the dashboard 公开情况 --------------------------------------------------------
r, dash = get_json("/api/v1/years/2024/status")
depts = [d["code"] for d in dash["departments"]] if dash else []
r2, listed = get_json("/api/v1/departments?limit=500")
is_(depts, [d["code"] for d in listed["data"]], "status: every department, in the portal's order by default")
is_(dash["summary"], {"departments": 5, "published": 5, "on_time": 4, "late": 1, "unknown": 0, "withdrawn": 0,
                     "unpublished": 0},
    "status: the summary counts five published, one late")
g2 = next(d for d in dash["departments"] if d["code"] == "gen-00002")
ok(g2["approved_on"] == str(approved) and g2["published_on"] == str(today) and g2["days_after_approval"] == 35 and
   g2["on_time"] is False and g2["days_late"] == 15 and g2["publication_days"] == 20,
   "status: gen-00002 approved 35 days before publication, 15 days late", g2)
syn = next(d for d in dash["departments"] if d["code"] == "synthetic")
ok(syn["audit"] == {"errors": 0, "verify": 2, "info": 0} and syn["score"]["earned"] == s["totals"]["earned"] and
   syn["score"]["percent"] == s["totals"]["percent"], "status: synthetic's audit counts and its score", syn)


def fraction(d):
    return Fraction(d["score"]["earned"], d["score"]["decided"])


r, by_score = get_json("/api/v1/years/2024/status?sort=score&order=desc")
fr = [fraction(d) for d in by_score["departments"]]
ok(by_score["sort"] == "score" and by_score["order"] == "desc" and fr == sorted(fr, reverse=True),
   "status?sort=score&order=desc: scores never rise", [str(x) for x in fr])
r, by_days = get_json("/api/v1/years/2024/status?sort=days&order=desc")
is_(by_days["departments"][0]["code"], "gen-00002", "status?sort=days&order=desc: the late department first")
r, by_verify = get_json("/api/v1/years/2024/status?sort=verify")
vs = [d["audit"]["verify"] for d in by_verify["departments"]]
ok(vs == sorted(vs) and len(set(vs)) > 1, "status?sort=verify: 核实 counts ascending %s" % vs)
r, part = get_json("/api/v1/years/2024/status?sort=days&order=desc&limit=2&offset=1")
ok(r.status == 200 and part["departments"] == by_days["departments"][1:3] and part["page"]["total"] == 5 and
   part["page"]["next"] == "/api/v1/years/2024/status?sort=days&order=desc&limit=2&offset=3" and
   part["summary"] == by_days["summary"],
   "status?limit=2&offset=1: the second and third of the sorted departments, the next page's address keeps the "
   "sort; the summary counts all", r.text[:300])
for q in ["sort=name", "order=up", "sort=score&sort=days", "page=2", "state=late", "limit=0"]:
    r, body = get_json("/api/v1/years/2024/status?" + q)
    ok(r.status == 400 and body and body["error"]["status"] == 400, "status?%s: 400 as JSON" % q, r.text[:200])
r, body = get_json("/api/v1/years/2019/status")
ok(r.status == 404 and "2019 年度尚无公开的部门决算" in body["error"]["message"],
   "status of a year without any publication (2019): 404")

# the page: its rows in the JSON's order, sorted on the server, cached only without a query
first = anon.get("/status/2024/")
names = [d["name"] for d in dash["departments"]]
ok(first.status == 200 and re.findall(r'<tr><td><a href="/2024/[^"]+/v\d+/">([^<]+)</a>', final_part(first.text)) == names,
   "/status/2024/: the departments in the portal's order", first.text[-800:])
sorted_page = anon.get("/status/2024/?sort=days&order=desc")
is_(re.findall(r'<tr><td><a href="/2024/[^"]+/v\d+/">([^<]+)</a>', final_part(sorted_page.text)),
    [d["name"] for d in by_days["departments"]],
    "?sort=days&order=desc: the page sorted on the server (not the kept unsorted page)")
ok('<a href="?sort=days&amp;order=asc">审核通过后公开</a> ▼' in sorted_page.text and
   'href="status.csv?sort=days&amp;order=desc"' in sorted_page.text,
   "the sorted column's head links to the other order; the downloads keep the order")
ok("逾期" in first.text and "35 日（时限 20 日）" in first.text, "the page marks the late department")
is_(anon.get("/status/2024/?sort=nonsense").status, 400, "a bad sort on the page: 400")
ok('href="/status/2024/"' in anon.get("/2024/").text, "the year's page links to its dashboard")

# the downloads
c = anon.get("/status/2024/status.csv?sort=days&order=desc")
text = c.body.decode("utf-8")
table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
ok(c.status == 200 and text.startswith("\ufeff") and "attachment" in (c.header("Content-Disposition") or "") and
   table[0][:3] == ["部门代码", "部门名称", "状态"], "status.csv: a download with a BOM and a Chinese header", text[:200])
is_([(t[0], t[5], t[6], t[8], t[13]) for t in table[1:]],
    [(d["code"], d["published_on"], str(d["days_after_approval"]), "逾期" if d["days_late"] else "按时",
      str(d["score"]["earned"])) for d in by_days["departments"]],
    "status.csv: the rows of the JSON, in the same order")
j = anon.get("/status/2024/status.json?sort=days&order=desc")
is_(json.loads(j.body), {k: v for k, v in by_days.items() if k != "page"},
    "status.json: the API's answer, every department, without the API's page")

# ---- an unpublished and a withdrawn department ------------------------------------
pw = portal.passwords
adm = portal.staff("demo-admin", pw["demo-admin"])
adm.post("/admin/depts", {"code": "dash-none", "name": "未公开测试局", "profile": "default"})
prep = portal.add_preparer(adm, "dash-gone", "撤回测试局", "dash-prep", "dash-preparer-pw-1", "撤回")
rev = portal.staff("demo-reviewer", pw["demo-reviewer"])
pub = portal.staff("demo-publisher", pw["demo-publisher"])
wb = zip_folder(example("synthetic-2024"), lambda n, t: t.replace("某市示范区科学技术局", "撤回测试局")
                if n == "department.csv" else t)
ids = []
for k in range(2):
    r, vid = upload(prep, wb, fields={"corrects": ids[0], "reason": "同一文件"} if ids else None)
    explain_all(prep, vid, "已核实。")
    prep.post("/version/%s/submit" % vid)
    rev.post("/version/%s/approve" % vid)
    is_(pub.post("/version/%s/publish" % vid).status, 303, "dash-gone: version %d published" % (k + 1))
    ids.append(vid)
a1 = anon.get("/2024/dash-gone/v1/audit.json").body
a2 = anon.get("/2024/dash-gone/v2/audit.json").body
ok(a1 == a2 and b"synthetic-2024.zip/expenditure.csv" in a1,
   "the same upload published twice: the same audit.json bytes (it names the stored file)")
pub.post("/version/%s/withdraw" % ids[1], {"reason": "数据有误"})
r, dash = get_json("/api/v1/years/2024/status")
row = {d["code"]: d for d in dash["departments"]}
ok(row["dash-none"]["state"] == "unpublished" and row["dash-none"]["number"] is None and
   all(row["dash-none"][k] is None for k in ("approved_on", "published_on", "days_after_approval", "on_time",
                                            "days_late", "audit", "score")),
   "a department never published: unpublished, every value null (absent, not zero)", row["dash-none"])
ok(row["dash-gone"]["state"] == "withdrawn" and row["dash-gone"]["number"] == 2 and row["dash-gone"]["score"] is None,
   "a department whose current version was withdrawn: withdrawn", row["dash-gone"])
is_(dash["summary"], {"departments": 7, "published": 5, "on_time": 4, "late": 1, "unknown": 0, "withdrawn": 1,
                     "unpublished": 1},
    "the summary counts them")
for state, codes in [("withdrawn", ["dash-gone"]), ("unpublished", ["dash-none"])]:
    r, only = get_json("/api/v1/years/2024/status?state=" + state)
    ok(r.status == 200 and [d["code"] for d in only["departments"]] == codes and only["page"]["total"] == 1 and
       only["summary"] == dash["summary"], "status?state=%s: %s only; the summary still counts all" % (state, codes),
       r.text[:300])
r, by_score = get_json("/api/v1/years/2024/status?sort=score&order=asc")
is_([d["state"] for d in by_score["departments"]][-2:], ["withdrawn", "unpublished"],
    "sorted by score, either order: the departments without one last, in the portal's order")
page = anon.get("/status/2024/").text
ok(re.search(r"<td>未公开测试局</td><td colspan=\"5\" class=\"note\">未公开</td>", page) and
   re.search(r"<td>撤回测试局</td><td colspan=\"5\" class=\"note\">已撤回</td>", page),
   "the page lists them as 未公开 and 已撤回 (the kept page was dropped by the publications)")
table = list(csv.reader(io.StringIO(anon.get("/status/2024/status.csv").body.decode("utf-8").lstrip("\ufeff"))))
none = next(t for t in table if t[0] == "dash-none")
ok(none[2] == "未公开" and none[3:7] == ["", "", "", ""] and none[8:] == [""] * 9 and none[7] == "20",
   "status.csv: an unpublished department's cells are empty, not 0", none)

# ---- the region-year's Fiscal Data Package --------------------------------------------
zf = zipfile.ZipFile(io.BytesIO(anon.get("/api/v1/years/2024/bundle.zip").body))
manifest = json.loads(zf.read("manifest.json"))
pkg = json.loads(zf.read("datapackage.json"))
ok(manifest["fiscal_data_package"] == "datapackage.json" and pkg["name"] == "juesuan-region-year" and
   pkg["resources"][0]["path"] == "fiscal-data.csv" and "5 个部门" in pkg["title"],
   "the zip holds the region-year's package, its resource fiscal-data.csv", pkg.get("title"))
ok(jsonschema is not None, "python3-jsonschema is installed (scripts/install-deps.sh)")
if jsonschema:
    schema = json.load(open(os.path.join(ROOT, "tests", "fdp", "fiscal-data-package.schema.json"), encoding="utf-8"))
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(pkg))
    ok(not errors, "the region-year's datapackage.json validates against the FDP schema",
       "\n".join("%s: %s" % (list(e.path), e.message) for e in errors[:5]))
fields = [f["name"] for f in pkg["resources"][0]["schema"]["fields"]]
bad = [m["source"] for m in pkg["model"]["measures"].values() if m["source"] not in fields]
bad += [a["source"] for d in pkg["model"]["dimensions"].values() for a in d["attributes"].values()
        if a["source"] not in fields]
ok(not bad and "cofog_division" in fields and "cofog_group" in fields,
   "its model names its fields; the COFOG columns are there", bad)
region = list(csv.reader(io.StringIO(zf.read("fiscal-data.csv").decode("utf-8"))))
is_(region[0], fields, "fiscal-data.csv: the header is the schema's fields, in order")
codes = [d["code"] for d in manifest["departments"] if d["phase"] == "final"]  # a 预算's is not in it
parts = [list(csv.reader(io.StringIO(zf.read("%s/fiscal-data.csv" % c).decode("utf-8")))) for c in codes]
is_(region[1:], [row for p in parts for row in p[1:]],
    "fiscal-data.csv: each department's rows under one header, in the zip's order (%d rows)" % (len(region) - 1))
di, ai, dr, ph = (fields.index(k) for k in ("department", "amount", "direction", "phase"))
for code in codes:
    tables = json.loads(zf.read("%s/tables.json" % code))
    t03 = next(t for t in tables["tables"] if t["id"] == "03")
    total = Decimal(next(x for x in t03["rows"] if x["kind"] == "total")["cells"]["total"]["fen"]) / 100
    got = sum(Decimal(x[ai]) for x in region[1:] if x[di] == tables["entity"] and x[dr] == "expenditure"
              and x[ph] == "executed")
    is_(got, total, "%s: its executed expenditure in the region's CSV sums to its table 03's 合计" % code)
api_pkg = anon.get("/api/v1/years/2024/datapackage.json")
api_csv = anon.get("/api/v1/years/2024/fiscal-data.csv")
ok(api_pkg.status == 200 and api_pkg.body == zf.read("datapackage.json") and api_csv.body == zf.read("fiscal-data.csv")
   and "attachment" in (api_csv.header("Content-Disposition") or ""),
   "/api/v1/years/2024/datapackage.json and fiscal-data.csv: the zip's members, the CSV as a download")
r, body = get_json("/api/v1/years/2019/datapackage.json")
is_(r.status, 404, "a year without publications has no package")

# ---- a session's last-seen time is not written on every request ---------------------------
staff = portal.staff("demo-reviewer", pw["demo-reviewer"])
before = rows("SELECT max(last_seen) FROM session WHERE revoked = 0")
while time.time() < int(before[0][0]) + 2:  # a later second than the last write (a write per second would show)
    time.sleep(0.2)
for path in ["/", "/2024/", "/status/2024/", "/2024/qingshan/", "/review/"]:
    staff.get(path)
after = rows("SELECT max(last_seen) FROM session WHERE revoked = 0")
ok(before == after and staff.get("/review/").status == 200,
   "five requests seconds (not a minute) after the login write no new last-seen time; the session still works",
   "%r → %r" % (before, after))

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
