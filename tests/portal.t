#!/usr/bin/env python3
"""The portal (juesuan serve) end to end, on the demo database: the
authorization matrix (every route of the server's own table, from
`juesuan serve --routes`, × anonymous, each role and another department's
preparer), then the whole path: upload → findings → explanations → submit
→ return with a comment → resubmit → approve (never one's own upload) →
publish → anonymous reading → correction (已更正) → withdrawal.
JUESUAN_DB=postgresql://… runs it against PostgreSQL instead of SQLite."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_all, upload, version_ids, zip_folder  # noqa: E402

# ---- the expected status of every route for every caller --------------------
# Callers: anonymous, the demo preparer (department qingshan), another
# department's preparer, reviewer, publisher, admin. "login" is a redirect to
# /login. POST bodies are empty but carry the caller's CSRF token, so the
# handler's own checks answer (400 for a missing field, 409 for the state of
# the published version used as :id).
CALLERS = ["anon", "prep", "other", "rev", "pub", "adm"]
L = "login"
MATRIX = {
    ("GET", "/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/static/portal.css"): [200, 200, 200, 200, 200, 200],
    ("GET", "/favicon.ico"): [204, 204, 204, 204, 204, 204],
    ("GET", "/login"): [200, 200, 200, 200, 200, 200],
    ("POST", "/login"): [401, 401, 401, 401, 401, 401],
    ("POST", "/logout"): [L, 303, 303, 303, 303, 303],
    ("GET", "/work/"): [L, 200, 200, 403, 403, 403],
    ("POST", "/work/upload"): [L, 400, 400, 403, 403, 403],
    ("GET", "/review/"): [L, 403, 403, 200, 200, 403],
    ("GET", "/version/:id"): [L, 200, 404, 200, 200, 403],
    ("GET", "/version/:id/draft.html"): [L, 200, 404, 200, 200, 403],
    ("POST", "/version/:id/explain"): [L, 400, 404, 403, 403, 403],
    ("POST", "/version/:id/submit"): [L, 409, 404, 403, 403, 403],
    ("POST", "/version/:id/return"): [L, 403, 403, 400, 403, 403],
    ("POST", "/version/:id/approve"): [L, 403, 403, 409, 403, 403],
    ("POST", "/version/:id/publish"): [L, 403, 403, 403, 409, 403],
    ("POST", "/version/:id/withdraw"): [L, 403, 403, 403, 400, 403],
    ("GET", "/admin/"): [L, 403, 403, 403, 403, 200],
    ("POST", "/admin/users"): [L, 403, 403, 403, 403, 400],
    ("POST", "/admin/grant"): [L, 403, 403, 403, 403, 400],
    ("POST", "/admin/disable"): [L, 403, 403, 403, 403, 400],
    ("POST", "/admin/depts"): [L, 403, 403, 403, 403, 400],
    ("GET", "/admin/log"): [L, 403, 403, 403, 403, 200],
    ("GET", "/api/v1/regions"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/bundle.zip"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/bundle.zip.sha256"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/departments"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/departments/:dept"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/versions"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/versions/:year/:dept/:v"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/versions/:year/:dept/:v/tables"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/versions/:year/:dept/:v/findings"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/versions/:year/:dept/:v/long.csv"): [200, 200, 200, 200, 200, 200],
    # the browse pages: published content for everyone alike; a :file that is
    # not one of their downloads (report.html here) is 404 for everyone
    ("GET", "/departments/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/departments/:file"): [404, 404, 404, 404, 404, 404],
    ("GET", "/departments/:dept/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/departments/:dept/:file"): [404, 404, 404, 404, 404, 404],
    ("GET", "/compare/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/compare/:set/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/compare/:set/:file"): [404, 404, 404, 404, 404, 404],
    ("GET", "/rank/:year/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/rank/:year/:fig/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/rank/:year/:fig/:file"): [404, 404, 404, 404, 404, 404],
    ("GET", "/:year/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/:file"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/:v/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/:v/:file"): [200, 200, 200, 200, 200, 200],
}
MATRIX.update({  # the score, the dashboard 公开情况 and the region-year's package: public
    ("GET", "/api/v1/versions/:year/:dept/:v/score"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/status"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/datapackage.json"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/fiscal-data.csv"): [200, 200, 200, 200, 200, 200],
    ("GET", "/status/:year/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/status/:year/status.csv"): [200, 200, 200, 200, 200, 200],
    ("GET", "/status/:year/status.json"): [200, 200, 200, 200, 200, 200],
})
MATRIX.update({  # a region-year's spending by COFOG division: public
    ("GET", "/cofog/:year/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/cofog/:year/cofog.csv"): [200, 200, 200, 200, 200, 200],
    ("GET", "/cofog/:year/cofog.json"): [200, 200, 200, 200, 200, 200],
    ("GET", "/api/v1/years/:year/cofog"): [200, 200, 200, 200, 200, 200],
})
MATRIX.update({  # a department-year's 预算 (the demo publishes qingshan's) and its comparison with the 决算
    ("GET", "/:year/:dept/budget/"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/budget/:file"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/budget-vs-final.csv"): [200, 200, 200, 200, 200, 200],
    ("GET", "/:year/:dept/budget-vs-final.json"): [200, 200, 200, 200, 200, 200],
})
OTHER_PW = "other-preparer-pw-1"
REV2_PW = "second-reviewer-pw-1"

p = subprocess.run([JUESUAN, "serve", "--routes"], capture_output=True, text=True)
routes = [tuple(line.split("\t")[:2]) for line in p.stdout.splitlines() if line]
ok(p.returncode == 0 and len(routes) > 20, "juesuan serve --routes lists the route table (%d routes)" % len(routes))
missing = [r for r in routes if r not in MATRIX]
ok(not missing, "every route of the table has an entry in the matrix", "missing: %r" % missing)
stale = [r for r in MATRIX if r not in routes]
ok(not stale, "every entry of the matrix is a route of the table", "not routes: %r" % stale)

db = os.environ.get("JUESUAN_DB")
portal = Portal(db=db)
if not ok(portal.ready() and len(portal.passwords) == 4,
          "juesuan serve --demo starts, seeds and prints a password per role",
          "\n".join(portal.output[-10:]) + portal.stderr()):
    portal.stop()
    done()


def staff(login, password):
    return portal.staff(login, password)


pw = portal.passwords
adm = staff("demo-admin", pw["demo-admin"])
page = adm.get("/admin/").text
other_id = None
r = adm.post("/admin/depts", {"code": "other", "name": "其他局<script>alert(1)</script>", "profile": "default"})
is_(r.status, 303, "the admin adds a department whose name holds markup")
page = adm.get("/admin/").text
m = re.search(r'<option value="(\d+)">其他局&lt;script&gt;', page)
ok(m, "the admin page lists the department with its name escaped")
ok("<script>alert(1)" not in page, "no raw markup from the department's name on the admin page")
other_id = m.group(1) if m else "0"
for login, display, pwd, role, dept in [("other-prep", "其他填报<b>x</b>", OTHER_PW, "role0", other_id),
                                        ("rev2", "第二审核", REV2_PW, "role1", "")]:
    r = adm.post("/admin/users", {"login": login, "display": display, "password": pwd, role: "1", "dept": dept})
    is_(r.status, 303, "the admin adds user %s" % login)

clients = {"anon": portal.client(), "prep": staff("demo-preparer", pw["demo-preparer"]),
           "other": staff("other-prep", OTHER_PW), "rev": staff("demo-reviewer", pw["demo-reviewer"]),
           "pub": staff("demo-publisher", pw["demo-publisher"]), "adm": adm}
work = clients["prep"].get("/work/").text
ids = version_ids(work)
ok(ids, "the demo preparer's page lists the published version of its department")
vid = str(ids[0]) if ids else "0"
PARAMS = {":year": "2024", ":dept": "qingshan", ":v": "v1", ":file": "report.html", ":id": vid}
PARAMS.update({":set": "qingshan-2024,synthetic-2024", ":fig": "jiben"})  # the browse pages


def concrete(pattern):
    return "/".join(PARAMS.get(seg, seg) for seg in pattern.split("/"))


# ---- the matrix (logout last: it ends the session) -----------------------------
order = sorted(routes, key=lambda r: r == ("POST", "/logout"))
wrong = []
for method, pattern in order:
    want_row = MATRIX.get((method, pattern))
    if not want_row:
        continue
    url = concrete(pattern)
    for who, want in zip(CALLERS, want_row):
        c = clients[who]
        r = c.get(url) if method == "GET" else c.post(url, {})
        got = r.status
        if got == 303 and r.header("Location") == "/login":
            got = L
        if got != want:
            wrong.append("%s %s as %s: got %s, want %s" % (method, url, who, got, want))
ok(not wrong, "authorization matrix: %d routes × %d callers give the expected status" % (len(order), len(CALLERS)),
   "\n".join(wrong))
for who in CALLERS[1:]:  # the matrix logged everybody out: log in again
    login = {"prep": "demo-preparer", "other": "other-prep", "rev": "demo-reviewer", "pub": "demo-publisher",
             "adm": "demo-admin"}[who]
    pwd = {"other": OTHER_PW}.get(who) or pw[login]
    r = clients[who].get("/work/")
    ok(r.status == 303 and r.header("Location") == "/login", "after logout %s's session is gone" % who)
    clients[who].login(login, pwd)

# ---- the path ----------------------------------------------------------------
prep, rev, pub, anon = clients["other"], clients["rev"], clients["pub"], clients["anon"]
# the workbook's 部门名称 is the department's name (markup and all)
synthetic = zip_folder(example("synthetic-2024"),
                       lambda name, text: text.replace("某市示范区科学技术局", "其他局<script>alert(1)</script>"))


r, v1 = upload(prep, synthetic)
ok(r.status == 303 and v1, "the preparer uploads the synthetic workbook (.zip of its CSV folder): 303 to its page",
   r.text[-400:])
page = prep.get("/version/%s" % v1).text
ok("核实" in page and "W-004" in page and "expenditure.csv 第 19 行" in page,
   "the findings are in the page, in Chinese, located (W-004 at expenditure.csv line 19)")
ok("提交审核" not in page, "no submit button while 核实 findings lack explanations")
r = prep.post("/version/%s/submit" % v1)
is_(r.status, 409, "submitting before every 核实 finding is explained is refused")
n = explain_all(prep, v1)
ok(n >= 2, "the page asks for a written explanation per 核实 finding (%d)" % n)
page = prep.get("/version/%s" % v1).text
ok("提交审核" in page and "已核实：为更正以前年度多列支出。" in page, "explanations saved; the submit button appears")
r = prep.post("/version/%s/submit" % v1)
is_(r.status, 303, "the preparer submits")
ok("待审核" in prep.get("/version/%s" % v1).text, "the version is 待审核")
is_(anon.get("/2024/other/").status, 404, "anonymous: nothing of the department is public yet")
is_(anon.get("/2024/other/v1/").status, 404, "anonymous: the submitted version is not public")

queue = rev.get("/review/").text
ok("/version/%s" % v1 in queue, "the reviewer's queue lists the submitted version")
page = rev.get("/version/%s" % v1).text
ok("已核实：为更正以前年度多列支出。" in page and "与上一版本的差异" in page and "与上年度公开版本的差异" in page,
   "the reviewer sees the explanations and both differences")
draft = rev.get("/version/%s/draft.html" % v1)
ok(draft.status == 200 and "【草稿】" in draft.text and "sha256-" in (draft.header("Content-Security-Policy") or ""),
   "the draft report is marked 草稿 and its style is allowed by hash only", draft.text[:300])
r = rev.post("/version/%s/return" % v1, {"comment": "请补充说明<script>alert(2)</script>"})
is_(r.status, 303, "the reviewer returns it with a comment")
page = prep.get("/version/%s" % v1).text
ok("已退回" in page and "请补充说明&lt;script&gt;alert(2)&lt;/script&gt;" in page and "<script>alert(2)" not in page,
   "the preparer sees 已退回 and the comment, escaped")

r, v2 = upload(prep, synthetic)
ok(r.status == 303 and v2 and v2 != v1, "the preparer uploads again (a new version)")
explain_all(prep, v2)
is_(prep.post("/version/%s/submit" % v2).status, 303, "and resubmits")
page = rev.get("/version/%s" % v2).text
ok("公开表的金额没有差异" in page, "the difference from the returned version: no amount changed")

rev2 = staff("rev2", REV2_PW)
both = adm.post("/admin/grant", {"login": "rev2", "role0": "1", "role1": "1", "dept": other_id})
is_(both.status, 303, "the admin makes rev2 a preparer of the department as well (its sessions end)")
rev2 = staff("rev2", REV2_PW)
r, v3own = upload(rev2, synthetic)
explain_all(rev2, v3own)
rev2.post("/version/%s/submit" % v3own)
r = rev2.post("/version/%s/approve" % v3own)
ok(r.status in (403, 409), "a reviewer cannot approve a version they uploaded (%d)" % r.status)
rev.post("/version/%s/return" % v3own, {"comment": "重复上传"})

r = rev.post("/version/%s/approve" % v2)
is_(r.status, 303, "the reviewer approves")
ok("已审核" in pub.get("/review/").text, "the publisher's queue lists it")
r = pub.post("/version/%s/publish" % v2)
ok(r.status == 303 and re.match(r"^/2024/other/v\d+/$", r.header("Location") or ""),
   "the publisher publishes: 303 to its stable address %s" % r.header("Location"), r.text[-300:])
vpath = r.header("Location") or "/2024/other/v2/"

year = anon.get("/2024/").text
ok("其他局&lt;script&gt;alert(1)&lt;/script&gt;" in year and "<script>alert(1)" not in year,
   "anonymous: the year's list shows the department, its name escaped")
cur = anon.get("/2024/other/")
ok(cur.status == 200 and "公开日期" in cur.text and "按时公开" in cur.text,
   "anonymous: /2024/other/ shows the publication date and 按时公开 (20 days after approval)")
rep = anon.get("/2024/other/report.html")
csp = rep.header("Content-Security-Policy") or ""
ok(rep.status == 200 and "决算" in rep.text and "'sha256-" in csp and "unsafe-inline" not in csp,
   "anonymous: the report is served with a strict CSP allowing its style by hash")
tj = anon.get(vpath + "tables.json")
try:
    tables = json.loads(tj.text)
except ValueError:
    tables = None
ok(tj.status == 200 and tables and "json" in (tj.header("Content-Type") or ""),
   "anonymous: the published tables.json parses")
is_(anon.get("/2024/other/v1/").status, 404, "anonymous: the returned version stays private")
is_(anon.get("/version/%s" % v2).status, 303, "anonymous: the staff page of the version needs a login")

# ---- correction and withdrawal -------------------------------------------------
r, v4 = upload(prep, synthetic, fields={"corrects": v2, "reason": "更正单位名称"})
ok(r.status == 303 and v4, "the preparer uploads a correction of the published version, with a reason")
explain_all(prep, v4)
prep.post("/version/%s/submit" % v4)
rev.post("/version/%s/approve" % v4)
r = pub.post("/version/%s/publish" % v4)
newpath = r.header("Location") or ""
ok(r.status == 303 and newpath != vpath, "the correction is published at its own address %s" % newpath)
old = anon.get(vpath).text
ok("已更正" in old and newpath in old and "更正单位名称" in old,
   "the old version is marked 已更正, links the new one and gives the reason")
ok(newpath in anon.get("/2024/other/").text or "更正版" in anon.get("/2024/other/").text,
   "the department's address now shows the correction")
r = pub.post("/version/%s/withdraw" % v4, {"reason": "数据有误，重新核对"})
is_(r.status, 303, "the publisher withdraws the correction with a reason")
w = anon.get(newpath)
ok(w.status == 410 and "数据有误，重新核对" in w.text, "its address says 已撤回 with the reason (410)")

log = adm.get("/admin/log").text
ok("哈希链完整" in log and "publish" in log, "the audit log's chain verifies and records the publications")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
