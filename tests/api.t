#!/usr/bin/env python3
"""The read API (/api/v1/) on a demo portal: every route of the server's
table under /api/v1 has its page in docs/api/, and every page's example
request answers with the documented shape; then what the pages promise:
published content only (a draft, a returned and a withdrawn version),
pagination and filters with their bounds, ETag and 304, Cache-Control,
CORS for reads, JSON errors, and the region-year's zip (built and stored at
publication, its checksums). JUESUAN_DB=postgresql://… runs it against
PostgreSQL; run plainly, it runs again on a throwaway PostgreSQL server."""
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, done, is_, ok  # noqa: E402
from apidocs import compare, pages  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_all, upload, zip_folder  # noqa: E402

# ---- every API route has its page, every page a route -----------------------
p = subprocess.run([JUESUAN, "serve", "--routes"], capture_output=True, text=True)
routes = [tuple(line.split("\t")[:2]) for line in p.stdout.splitlines() if line]
api_routes = [r for r in routes if r[1].startswith("/api/v1")]
ok(p.returncode == 0 and len(api_routes) >= 11, "juesuan serve --routes lists the API's routes (%d)" % len(api_routes))
docs = pages()
documented = {pg.route: pg for pg in docs}
missing = [r for r in api_routes if r not in documented]
ok(not missing, "every /api/v1 route of the table has its page in docs/api/", "no page: %r" % missing)
stale = [pg.name for pg in docs if pg.route not in api_routes]
ok(not stale, "every page of docs/api/ names a route of the table", "not routes: %r" % stale)
no_example = [pg.name for pg in docs if not pg.request or not pg.example]
ok(not no_example, "every page has an example request and answer", "without: %r" % no_example)

portal = Portal.demo()
anon = portal.client()
rows = portal.rows
get_json = anon.get_json


# ---- before any API request: the year's zip is already stored ------------------
stored = rows("SELECT year, contents, sha256, size FROM bundle ORDER BY year DESC")
ok(len(stored) == 2 and stored[0][0] == "2024" and stored[0][1].count(",") == 5,
   "the 2024 zip was built and stored at publication (6 versions: five 决算 and qingshan's 预算), "
   "before any request", repr(stored))
ok(len(stored) == 2 and stored[1][0] == "2023" and stored[1][1].count(",") == 2,
   "and the demo's 2023 zip (its 3 generated departments)", repr(stored))

# ---- every documented example answers with the documented shape ---------------
for pg in docs:
    if not pg.request:
        continue
    r = anon.get(pg.request)
    diff = compare(pg, r.body) if r.status == 200 else ["status %d: %s" % (r.status, r.text[:300])]
    ok(not diff, "%s: %s answers with the documented shape" % (pg.name, pg.request), "\n".join(diff[:20]))

# ---- lists: pagination and filters ------------------------------------------
r, body = get_json("/api/v1/departments?limit=2")
codes = [d["code"] for d in body["data"]] if body else []
ok(r.status == 200 and len(codes) == 2 and body["page"]["total"] == 5 and body["page"]["previous"] is None,
   "departments: a page of 2 of the 5 published departments", r.text[:500])
nxt = body["page"]["next"] if body else ""
r, body2 = get_json(nxt)
codes2 = [d["code"] for d in body2["data"]] if body2 else []
ok(nxt == "/api/v1/departments?limit=2&offset=2" and len(codes2) == 2 and not set(codes) & set(codes2),
   "the next page's address gives the next two, none repeated (%s)" % nxt)
r, last = get_json("/api/v1/departments?limit=2&offset=4")
ok(len(last["data"]) == 1 and last["page"]["next"] is None and
   last["page"]["previous"] == "/api/v1/departments?limit=2&offset=2",
   "the last page: one department, no next, previous two back")
r, body = get_json("/api/v1/departments?name=%E9%9D%92%E5%B1%B1")  # 青山
ok([d["code"] for d in body["data"]] == ["qingshan"] and body["page"]["total"] == 1,
   "departments?name=青山: qingshan only", r.text[:300])
r, body = get_json("/api/v1/departments?year=2023")
ok(r.status == 200 and [d["code"] for d in body["data"]] == ["gen-00001", "gen-00002", "gen-00003"] and
   body["page"]["total"] == 3, "departments?year=2023: the demo's three generated departments", r.text[:300])
r, body = get_json("/api/v1/departments?year=2022")
ok(r.status == 200 and body["data"] == [] and body["page"]["total"] == 0, "departments?year=2022: none")
r, body = get_json("/api/v1/versions?year=2024&department=synthetic&name=%E7%A7%91")
ok(r.status == 200 and [(v["department"]["code"], v["number"], v["state"]) for v in body["data"]] ==
   [("synthetic", 1, "published")], "versions filtered by year, department and name", r.text[:300])
r, body = get_json("/api/v1/versions?name=x&limit=1&offset=0&department=a-b")
ok(r.status == 200 and body["page"]["total"] == 0, "filters that match nothing: an empty page")
r, body = get_json("/api/v1/versions?year=2024&limit=2&name=%E7%94%9F%E6%88%90")  # 生成
ok(body and body["page"]["next"] == "/api/v1/versions?year=2024&name=%E7%94%9F%E6%88%90&limit=2&offset=2",
   "the next link repeats the filters, percent-encoded", body and body["page"])
r, body = get_json("/api/v1/years?limit=1")
ok(r.status == 200 and [y["year"] for y in body["data"]] == [2024] and body["page"]["total"] == 2 and
   body["page"]["next"] == "/api/v1/years?limit=1&offset=1", "years?limit=1: 2024 of the two years, next 2023",
   r.text[:300])
r, body = get_json(body["page"]["next"]) if body else (r, None)
ok(body and [y["year"] for y in body["data"]] == [2023] and body["page"]["next"] is None and
   body["page"]["previous"] == "/api/v1/years?limit=1&offset=0", "the second page: 2023, no next", r.text[:300])
r, body = get_json("/api/v1/regions?offset=1")
ok(r.status == 200 and body["data"] == [] and body["page"]["total"] == 1, "regions?offset=1: past the one region")
for route in ["/api/v1/regions", "/api/v1/years", "/api/v1/departments", "/api/v1/versions",
              "/api/v1/years/2024/status"]:  # every list of the API pages
    r, body = get_json(route + "?limit=501")
    r2, body2 = get_json(route + "?limit=1&offset=0")
    ok(r.status == 400 and r2.status == 200 and body2 and body2["page"]["limit"] == 1,
       "%s: limit and offset page it (limit 501: 400)" % route, r2.text[:200])
for q, what in [("limit=0", "limit 0"), ("limit=501", "limit over 500"), ("offset=-1", "a negative offset"),
                ("offset=1000001", "offset over the bound"), ("limit=abc", "a limit that is no number"),
                ("year=24", "a year of two digits"), ("state=draft", "state draft"),
                ("yaer=2024", "a misspelt parameter"), ("limit=2&limit=3", "a repeated parameter")]:
    r, body = get_json("/api/v1/versions?" + q)
    ok(r.status == 400 and body and body["error"]["status"] == 400 and body["error"]["message"]
       and "json" in (r.header("Content-Type") or ""),
       "versions?%s: 400 with a JSON error (%s)" % (q, what), r.text[:300])

# ---- caching and CORS --------------------------------------------------------
tables = anon.get("/api/v1/versions/2024/qingshan/v1/tables")
published = anon.get("/2024/qingshan/v1/tables.json")
etag = tables.header("ETag") or ""
ok(tables.status == 200 and tables.body == published.body and
   etag == '"%s"' % hashlib.sha256(tables.body).hexdigest(),
   "tables: the published tables.json byte for byte, its ETag its SHA-256")
is_(tables.header("Cache-Control"), "public, max-age=3600", "a version's content: cached for an hour")
r = anon.get("/api/v1/versions/2024/qingshan/v1/tables", headers={"If-None-Match": etag})
ok(r.status == 304 and r.body == b"" and r.header("ETag") == etag, "If-None-Match with its ETag: 304, no body")
r = anon.get("/api/v1/versions/2024/qingshan/v1/tables", headers={"If-None-Match": '"0000", W/' + etag})
is_(r.status, 304, "a list of ETags, one of them weak, naming it: 304")
r = anon.get("/api/v1/versions/2024/qingshan/v1/tables", headers={"If-None-Match": '"00"'})
is_(r.status, 200, "another ETag: 200")
years = anon.get("/api/v1/years")
r = anon.get("/api/v1/years", headers={"If-None-Match": years.header("ETag")})
ok(years.header("Cache-Control") == "public, max-age=60" and r.status == 304,
   "a list: cached a minute, 304 on its ETag")
ok(tables.header("Access-Control-Allow-Origin") == "*" and not tables.header("Access-Control-Allow-Credentials"),
   "CORS: any origin may read, credentials never allowed")
r = anon.request("OPTIONS", "/api/v1/versions/2024/qingshan/v1/tables",
                 headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
ok(r.status == 204 and r.header("Access-Control-Allow-Origin") == "*" and
   r.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS" and
   "If-None-Match" in (r.header("Access-Control-Allow-Headers") or "") and
   not r.header("Access-Control-Allow-Credentials"), "a preflight: 204, reads only, no credentials")
r = anon.request("HEAD", "/api/v1/versions/2024/qingshan/v1/long.csv")
ok(r.status == 200 and r.body == b"" and r.header("ETag"), "HEAD: the headers without the body")
long_csv = anon.get("/api/v1/versions/2024/qingshan/v1/long.csv")
ok(long_csv.body == anon.get("/2024/qingshan/v1/tables-long.csv").body and
   "attachment" in (long_csv.header("Content-Disposition") or ""), "long.csv: the published long table, as a download")

# ---- errors as JSON ------------------------------------------------------------
for path, status in [("/api/v1/nothing", 404), ("/api/v1/departments/nobody", 404),
                     ("/api/v1/versions/2024/qingshan/v9", 404), ("/api/v1/versions/2023/qingshan/v1/tables", 404),
                     ("/api/v1/years/2022/bundle.zip", 404), ("/api/v1/regions?x=1", 400)]:
    r, body = get_json(path)
    ok(r.status == status and body and body["error"]["status"] == status and
       r.header("Cache-Control") == "no-store" and r.header("Access-Control-Allow-Origin") == "*",
       "%s: %d as JSON, not cached" % (path, status), r.text[:300])
r = anon.post("/api/v1/years", {"a": "1"}, csrf=False)
ok(r.status == 405 and json.loads(r.body)["error"]["status"] == 405 and "GET" in (r.header("Allow") or ""),
   "POST to a read route: 405 as JSON with Allow", r.text[:300])

# ---- the region-year's zip -----------------------------------------------------
z1 = anon.get("/api/v1/years/2024/bundle.zip")
digest = base64.b64encode(hashlib.sha256(z1.body).digest()).decode()
ok(z1.status == 200 and z1.header("Content-Type") == "application/zip" and
   z1.header("Repr-Digest") == "sha-256=:%s:" % digest and
   z1.header("ETag") == '"%s"' % hashlib.sha256(z1.body).hexdigest(),
   "bundle.zip: a zip whose SHA-256 is in Repr-Digest and the ETag")
ok(hashlib.sha256(z1.body).hexdigest() == stored[0][2], "the zip served is the one stored at publication")
is_(anon.get("/api/v1/years/2024/bundle.zip.sha256").text,
    "%s  juesuan-2024.zip\n" % hashlib.sha256(z1.body).hexdigest(), "bundle.zip.sha256 beside it (sha256sum format)")
zf = zipfile.ZipFile(io.BytesIO(z1.body))
sums = [line.split("  ", 1) for line in zf.read("SHA256SUMS").decode().splitlines()]
ok(sorted(n for _, n in sums) == sorted(n for n in zf.namelist() if n != "SHA256SUMS") and
   all(hashlib.sha256(zf.read(n)).hexdigest() == h for h, n in sums),
   "SHA256SUMS names every other member with its right SHA-256 (%d)" % len(sums))
manifest = json.loads(zf.read("manifest.json"))
ok(manifest["year"] == 2024 and sorted(d["code"] for d in manifest["departments"] if d["phase"] == "final") ==
   ["gen-00001", "gen-00002", "gen-00003", "qingshan", "synthetic"] and
   [d["code"] for d in manifest["departments"] if d["phase"] == "budget"] == ["qingshan"] and
   zf.read("qingshan/tables.json") == published.body,
   "the manifest lists the five departments' 决算 and qingshan's 预算; their tables.json as published")
rows_before = rows("SELECT sha256, built_at FROM bundle WHERE year = 2024")
anon.get("/api/v1/years/2024/bundle.zip")
ok(rows("SELECT sha256, built_at FROM bundle WHERE year = 2024") == rows_before,
   "requests only read the stored zip (not rebuilt)")

# ---- published content only -----------------------------------------------------
pw = portal.passwords
adm = portal.staff("demo-admin", pw["demo-admin"])
prep = portal.add_preparer(adm, "apitest", "接口测试局", "api-prep", "api-preparer-pw-1", "接口")
rev = portal.staff("demo-reviewer", pw["demo-reviewer"])
pub = portal.staff("demo-publisher", pw["demo-publisher"])
# the synthetic example under this department's name (an upload must name
# the preparer's department)
synthetic = zip_folder(example("synthetic-2024"),
                       lambda name, text: text.replace("某市示范区科学技术局", "接口测试局")
                       if name == "department.csv" else text)
r, v1 = upload(prep, synthetic)
explain_all(prep, v1, "已核实：为更正以前年度多列支出。")
prep.post("/version/%s/submit" % v1)


def listed(code):
    r, body = get_json("/api/v1/versions?department=%s" % code)
    return [(v["number"], v["state"]) for v in body["data"]]


is_(anon.get("/api/v1/departments/apitest").status, 404, "a department with only a submitted draft: 404")
is_(listed("apitest"), [], "its draft is in no list")
is_(anon.get("/api/v1/versions/2024/apitest/v1/tables").status, 404, "its draft's tables: 404")
ok("apitest" not in anon.get("/api/v1/departments?limit=500").text, "nor among the departments")
staff_view = adm.get("/api/v1/versions?department=apitest")
ok(staff_view.status == 200 and json.loads(staff_view.body)["data"] == [],
   "logged-in staff get the same published-only answers")
rev.post("/version/%s/return" % v1, {"comment": "请核对"})
is_(listed("apitest"), [], "returned: still unlisted")

r, v2 = upload(prep, synthetic)
explain_all(prep, v2, "已核实：为更正以前年度多列支出。")
prep.post("/version/%s/submit" % v2)
rev.post("/version/%s/approve" % v2)
is_(pub.post("/version/%s/publish" % v2).status, 303, "the second version is approved and published")
is_(listed("apitest"), [(2, "published")], "now listed: v2 published (v1, returned, is not)")
stored2 = rows("SELECT contents, sha256 FROM bundle WHERE year = 2024")
ok(stored2 and stored2[0][1] != stored[0][2] and stored2[0][0].count(",") == 6,
   "the publication rebuilt and stored the year's zip (7 versions) before any request")
zf = zipfile.ZipFile(io.BytesIO(anon.get("/api/v1/years/2024/bundle.zip").body))
ok("apitest/tables.json" in zf.namelist() and "apitest/tables-long.csv" in zf.namelist(),
   "the zip now holds the new department's files")
r, f = get_json("/api/v1/versions/2024/apitest/v2/findings")
verify = [x for x in (f or {}).get("findings", []) if x["severity"] == "verify"]
ok(r.status == 200 and verify and all(x["explanation"] == "已核实：为更正以前年度多列支出。" for x in verify) and
   f["of"] == {"year": 2024, "department": {"code": "apitest", "name": "接口测试局"}, "number": 2,
               "phase": "final"},
   "findings: each 核实 finding with the preparer's explanation", r.text[:500])
ok(all(not x["location"].get("file", "").startswith("/") for x in f["findings"]),
   "findings name the workbook's files, not the server's temporary paths")

r, v3 = upload(prep, synthetic, fields={"corrects": v2, "reason": "更正金额"})
explain_all(prep, v3, "已核实。")
prep.post("/version/%s/submit" % v3)
rev.post("/version/%s/approve" % v3)
pub.post("/version/%s/publish" % v3)
r, body = get_json("/api/v1/departments/apitest")
got = [(v["number"], v["state"], v["current"], v["corrects"], v["corrected_by"], v["reason"]) for v in body["versions"]]
is_(got, [(3, "published", True, 2, None, "更正金额"), (2, "corrected", False, None, 3, None)],
    "a correction: v3 current and corrects 2; v2 corrected by 3, still listed")
is_(anon.get("/api/v1/versions/2024/apitest/v2/tables").status, 200, "the corrected version's tables stay readable")
pub.post("/version/%s/withdraw" % v3, {"reason": "数据有误"})
r, body = get_json("/api/v1/versions/2024/apitest/v3/tables")
ok(r.status == 410 and "数据有误" in body["error"]["message"], "withdrawn: its tables answer 410 with the reason")
r, body = get_json("/api/v1/versions/2024/apitest/v3")
ok(r.status == 200 and body["state"] == "withdrawn" and body["files"] == [] and "tables" not in body["links"],
   "withdrawn: its facts stay, without files or content links")
zf = zipfile.ZipFile(io.BytesIO(anon.get("/api/v1/years/2024/bundle.zip").body))
ok(not any(n.startswith("apitest/") for n in zf.namelist()),
   "the withdrawal rebuilt the zip without the department (no version of it is current)")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
