#!/usr/bin/env python3
"""The portal's defences (juesuan serve on the demo database, behind a
trusted proxy at 127.0.0.1 so that the test can speak for other addresses
and for HTTPS): security headers on every response, CSRF (missing, wrong,
cross-origin), stored markup through department, unit, project and
comment text, path traversal in every path parameter, SQL text in
parameters, session fixation and the cookie's attributes, oversized and
malformed uploads (wrong type, a zip bomb, a zip with a path outside its
folder), and login throttling. JUESUAN_DB=postgresql://… for PostgreSQL."""
import csv
import io
import os
import re
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, is_, ok  # noqa: E402
from portal import Portal, final_version_ids, also_on_postgresql, example, version_ids, zip_folder  # noqa: E402

portal = Portal.demo(extra=["--trusted-proxy", "127.0.0.1", "--max-upload", "2"])
pw = portal.passwords


def logged_in(login):
    c = portal.client()
    r = c.login(login, pw[login])
    ok(r.status == 303, "%s logs in" % login)
    return c


prep = logged_in("demo-preparer")
rev = logged_in("demo-reviewer")
adm = logged_in("demo-admin")
anon = portal.client()
vid = final_version_ids(prep.get("/work/").text)[0]

# ---- headers on every kind of response -------------------------------------------
samples = [anon.get("/"), anon.get("/nothing"), anon.get("/work/"), prep.get("/admin/"),
           anon.get("/static/portal.css"), anon.get("/2024/qingshan/report.html"), prep.get("/version/%d" % vid)]
bad = []
for r in samples:
    csp = r.header("Content-Security-Policy") or ""
    if not ("default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
            and "unsafe-inline" not in csp and r.header("X-Content-Type-Options") == "nosniff"
            and r.header("Referrer-Policy") and r.header("X-Frame-Options") == "DENY"):
        bad.append("%d %s" % (r.status, r.headers))
ok(not bad, "CSP (no script at all), nosniff, Referrer-Policy and frame protection on 200, 303, 403 and 404",
   "\n".join(bad))
is_(anon.get("/2024/qingshan/tables.xlsx").header("Content-Disposition"),
    'attachment; filename="tables.xlsx"', "a spreadsheet is served as an attachment")

# ---- CSRF ---------------------------------------------------------------------
url = "/version/%d/explain" % vid
is_(prep.post(url, {"key": "k", "text": "t"}, csrf=False).status, 403, "CSRF: a POST without the token is refused")
is_(prep.post(url, {"key": "k", "text": "t", "csrf": "A" * 43}).status, 403, "CSRF: a wrong token is refused")
is_(prep.post(url, {"key": "k", "text": "t"}, headers={"Origin": "http://evil.example"}).status, 403,
    "CSRF: a right token from another origin is refused")
is_(prep.post(url, {"key": "k", "text": "t"}, headers={"Sec-Fetch-Site": "cross-site"}).status, 403,
    "CSRF: a right token with Sec-Fetch-Site: cross-site is refused")
is_(prep.post("/logout", {}, csrf=False).status, 403, "CSRF: logout without the token is refused")
is_(prep.get("/work/").status, 200, "and the session is still there")
r = prep.post(url, {"key": "k", "text": "t"}, headers={"Origin": "http://127.0.0.1:%d" % portal.port,
                                                       "Sec-Fetch-Site": "same-origin"})
is_(r.status, 409, "the right token from this origin reaches the handler (409: the version is published)")

# ---- stored markup: department, unit and project text of a workbook, comments -------
rows = list(csv.reader(io.open(os.path.join(example("qingshan-2024"), "perf_items.csv"), encoding="utf-8-sig")))
project = next(r[0] for r in rows[1:] if r and r[1] != "部门整体")
UNIT = "武汉市青山区中小企业服务中心"
DEPT = "武汉市青山区经济信息化和科技创新局"
payloads = {UNIT: "中小企业<img src=x onerror=alert(11)>中心", project: "项目<script>alert(12)</script>"}


def poison(name, text):
    for a, b in payloads.items():
        text = text.replace(a, b)
    return text


evil = zip_folder(example("qingshan-2024"), poison)
prep.get("/work/")
r = prep.post("/work/upload", {"corrects": str(vid), "reason": "更正<script>alert(14)</script>"},
              files={"file": ("<b>名</b>.zip", evil)})
m = re.match(r"/version/(\d+)$", r.header("Location") or "")
ok(r.status == 303 and m, "a workbook with markup in its unit, project and department names uploads", r.text[-300:])
evid = m.group(1) if m else "0"
pages = {"version page": prep.get("/version/%s" % evid), "draft report": prep.get("/version/%s/draft.html" % evid),
         "work page": prep.get("/work/")}
for name, resp in pages.items():
    raw = [p for p in ("<img src=x", "<script>alert", "<svg onload", "<b>名</b>") if p in resp.text]
    ok(resp.status == 200 and not raw, "%s: no markup from the workbook or file name survives unescaped" % name,
       "raw: %r (status %d)" % (raw, resp.status))
ok("onerror=alert(11)" in pages["draft report"].text or "alert(12)" in pages["draft report"].text,
   "the draft report does show the (escaped) text")
prep.post("/version/%s/submit" % evid)
r = rev.post("/version/%s/return" % evid, {"comment": "<iframe src=//evil>意见"})
is_(r.status, 303, "the reviewer returns it with a comment holding markup")
page = prep.get("/version/%s" % evid).text
ok("<iframe" not in page and "&lt;iframe" in page and "<script>alert(14)" not in page,
   "the comment's and the correction reason's markup is escaped")

# ---- path traversal and SQL text in every path parameter ---------------------------------
probes = ["/static/../../../../etc/passwd", "/static/..%2f..%2fMakefile", "/2024/..%2f..%2fetc/passwd",
          "/2024/qingshan/..%2f..%2f..%2fetc%2fpasswd", "/2024/qingshan/v1/..%2freport.html",
          "/2024/qingshan/v1/%2e%2e%2fMakefile", "/2024/qingshan/.htaccess", "/2024/qingshan/v1/report.html%00.txt",
          "/2024/qingshan/v1/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/2024/QINGSHAN/",
          "/2024/qingshan%27%20OR%201%3D1--/", "/2024/qingshan/v1%27--/", "/version/1%20OR%201=1",
          "/version/..%2f1", "/version/%d/..%%2f..%%2fdraft.html" % vid, "/9999999/qingshan/",
          "/2024/qingshan/v99999999999/", "/20241/qingshan/", "/2024/-x/", "/2024/qingshan/v1/report.html/"]
leaks = []
for p in probes:
    r = prep.get(p)
    if r.status not in (400, 404) or "root:" in r.text or "PKGS" in r.text:
        leaks.append("%s → %d" % (p, r.status))
ok(not leaks, "path traversal and SQL text in every path parameter: 404 (or 400), nothing leaked", "\n".join(leaks))
r = anon.post("/login", {"login": "' OR '1'='1", "password": "' OR '1'='1"})
is_(r.status, 401, "SQL text as login and password: a plain failed login")
r = adm.post("/admin/depts", {"code": "sqlx", "name": "x'); DROP TABLE departments;--", "profile": "default"})
is_(r.status, 303, "SQL text as a department name is stored as text")
ok("x&#39;); DROP" in adm.get("/admin/").text or "x'); DROP TABLE" in adm.get("/admin/").text,
   "and shown back as the name it is; the portal still lists departments")

# ---- uploads ----------------------------------------------------------------------
before = len(version_ids(prep.get("/work/").text))


def up(name, data):
    prep.get("/work/")
    return prep.post("/work/upload", {}, files={"file": (name, data)})


r = up("big.xlsx", b"PK\x03\x04" + os.urandom(3 * 1024 * 1024))
is_(r.status, 413, "an upload over --max-upload (2 MB) is refused with 413")
r = up("random.xlsx", os.urandom(4096))
ok(r.status == 422 and "不是 Excel 工作簿" in r.text, "random bytes: 422 with a Chinese message", r.text[-300:])
r = up("report.pdf", b"%PDF-1.4\n" + b"0" * 2000)
is_(r.status, 422, "a PDF (wrong type) is refused")
bomb = io.BytesIO()
with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("expenditure.csv", b"0" * (40 * 1024 * 1024))
r = up("bomb.zip", bomb.getvalue())
ok(r.status == 422 and "压缩比" in r.text, "a zip bomb (40 MB of zeros in %d bytes) is refused before unpacking"
   % len(bomb.getvalue()), r.text[-300:])
trav = io.BytesIO()
with zipfile.ZipFile(trav, "w") as z:
    z.writestr("../../evil.csv", "a,b\n")
r = up("trav.zip", trav.getvalue())
ok(r.status == 422 and not os.path.exists("/tmp/evil.csv"), "a zip member outside its folder is refused", r.text[-300:])
other = zip_folder(example("qingshan-2024"), lambda name, text: text.replace(DEPT, "另一个局<svg onload=alert(13)>"))
r = up("other.zip", other)
ok(r.status == 422 and "工作簿的部门名称为「另一个局&lt;svg onload=alert(13)&gt;」" in r.text and
   "与您所在的部门「%s」不一致" % DEPT in r.text and "<svg onload" not in r.text,
   "a workbook of another department (its 部门名称) is refused with both names, escaped", r.text[-400:])
broken = bytearray(zip_folder(example("synthetic-2024")))
broken[len(broken) // 2: len(broken) // 2 + 64] = b"\0" * 64
r = up("broken.zip", bytes(broken))
is_(r.status, 422, "a damaged zip is refused")
after = len(version_ids(prep.get("/work/").text))
is_(after, before, "no refused upload left a version behind")

# ---- session fixation and the cookie ---------------------------------------------
fixed = "sid=" + "F" * 43
victim = portal.client()
victim.cookie = fixed
is_(victim.get("/work/").status, 303, "a session id the server did not make is not a session")
victim.get("/login")
victim.csrf = None
r = victim.post("/login", {"login": "demo-preparer", "password": pw["demo-preparer"]})
sc = r.header("Set-Cookie") or ""
ok(r.status == 303 and sc.startswith("sid=") and not sc.startswith(fixed),
   "login issues a new session id, not the one the browser brought")
ok("HttpOnly" in sc and "SameSite=Lax" in sc and "Path=/" in sc and "Secure" not in sc,
   "plain http on 127.0.0.1: cookie sid; HttpOnly; SameSite=Lax; Path=/", sc)
attacker = portal.client()
attacker.cookie = fixed
is_(attacker.get("/work/").status, 303, "the fixed id still opens nothing after the victim's login")
tls = portal.client()
tls.get("/login", headers={"X-Forwarded-Proto": "https"})
r = tls.post("/login", {"login": "demo-preparer", "password": pw["demo-preparer"]},
             headers={"X-Forwarded-Proto": "https", "Origin": "https://127.0.0.1:%d" % portal.port})
sc = r.header("Set-Cookie") or ""
ok(sc.startswith("__Host-sid=") and "Secure" in sc and "Path=/" in sc and "Domain" not in sc,
   "behind HTTPS (trusted proxy): cookie __Host-sid; Secure; Path=/", sc)

# ---- login throttling (from addresses of the test's own choosing) ------------------
attack = {"X-Forwarded-For": "203.0.113.9"}
c = portal.client()
for i in range(6):
    c.post("/login", {"login": "demo-reviewer", "password": "wrong-%d" % i}, headers=attack)
r = c.post("/login", {"login": "demo-reviewer", "password": pw["demo-reviewer"]}, headers=attack)
ok(r.status == 401 and not r.header("Set-Cookie"), "after 6 failures the right password is refused too")
r2 = portal.client().post("/login", {"login": "demo-reviewer", "password": pw["demo-reviewer"]},
                          headers={"X-Forwarded-For": "198.51.100.7"})
ok(r2.status == 401, "the account is throttled from another address as well")
r3 = portal.client().post("/login", {"login": "demo-publisher", "password": pw["demo-publisher"]}, headers=attack)
ok(r3.status == 401, "and the address is throttled for another account")
ok(r.text.count("登录失败") == 1 and re.sub(r"\s+", "", r.text) == re.sub(r"\s+", "", r3.text),
   "the throttled answer is the same generic page as a wrong password")
r4 = portal.client().post("/login", {"login": "demo-publisher", "password": pw["demo-publisher"]},
                          headers={"X-Forwarded-For": "192.0.2.1"})
is_(r4.status, 303, "another account from another address still logs in")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
