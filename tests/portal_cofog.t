#!/usr/bin/python3
"""A region-year's spending by COFOG division on a demo portal, over HTTP
on 127.0.0.1: the API's answer (/api/v1/years/:year/cofog), the page
/cofog/:year/ and its downloads cofog.csv and cofog.json compared with an
independent sum of the year's published fiscal-data.csv (exact 元 with
Decimal, 万元 rounded half away from zero, shares from exact fractions);
then a department whose workbook pays back debt principal (2310301) is
published and its line is listed apart as excluded, outside the divisions
and their shares. JUESUAN_DB=postgresql://… runs it against PostgreSQL;
run plainly, it runs again on a throwaway PostgreSQL server."""
import csv
import io
import json
import math
import os
import re
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, is_, ok  # noqa: E402
from portal import Portal, also_on_postgresql, example, explain_all, upload, zip_folder  # noqa: E402

portal = Portal.demo()
anon = portal.client()


def wan(yuan):
    """元 → 万元 with two decimals, half away from zero (Decimal's HALF_UP is away from zero)."""
    return str((yuan / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def percent(num, den, shares=True):
    """num / den × 100 with two decimals, half away from zero, from the exact quotient."""
    if not shares or den <= 0:
        return None
    q = Fraction(num) * 100 / Fraction(den)
    n = math.floor(abs(q) * 100 + Fraction(1, 2))
    return str((Decimal(n if q >= 0 else -n) / 100).quantize(Decimal("0.01")))


def expected(text):
    """The independent sum of a fiscal-data.csv: divisions, excluded and
    unmapped lines (by 款, else 类), totals, departments."""
    rows = list(csv.DictReader(io.StringIO(text)))
    div, exc, unm, names, depts = {}, {}, {}, {}, set()
    for r in rows:
        if (r["direction"], r["phase"], r["value_kind"]) != ("expenditure", "executed", "flow"):
            continue
        a = Decimal(r["amount"])
        depts.add(r["department"])
        if r["cofog_division"]:
            div[r["cofog_division"]] = div.get(r["cofog_division"], Decimal(0)) + a
            names[r["cofog_division"]] = r["cofog_division_name"]
        else:
            into = exc if r["cofog_confidence"] == "excluded" else unm
            key = r["func_kuan_code"] or r["func_lei_code"]
            into[key] = into.get(key, Decimal(0)) + a
    return div, exc, unm, names, depts


def check(label, year="2024"):
    """Compares the API, the page and its downloads with the sum of the
    year's published fiscal-data.csv; the API's answer."""
    src = anon.get("/api/v1/years/%s/fiscal-data.csv" % year)
    div, exc, unm, names, depts = expected(src.body.decode("utf-8"))
    r, got = anon.get_json("/api/v1/years/%s/cofog" % year)
    ok(r.status == 200 and got and got["year"] == int(year) and got["departments"] == len(depts),
       "%s: the API answers for %s, %d departments" % (label, year, len(depts)), r.text[:300])
    if not got:
        return None
    total = sum(div.values(), Decimal(0))
    is_([(d["code"], Decimal(d["yuan"]), d["wan"], d["share_percent"], d["name_en"]) for d in got["divisions"]],
        [(k, div[k], wan(div[k]), percent(div[k], total, min(div.values()) >= 0), names[k]) for k in sorted(div)],
        "%s: each division's exact 元, its 万元 rounded half away from zero and its exact share" % label)
    is_((Decimal(got["cofog_total"]["yuan"]), got["cofog_total"]["wan"]), (total, wan(total)),
        "%s: the COFOG total %s 元" % (label, total))
    for part, want in (("excluded", exc), ("unmapped", unm)):
        is_([(x["code"], Decimal(x["yuan"]), x["wan"]) for x in got[part]],
            [(k, want[k], wan(want[k])) for k in sorted(want)], "%s: the %s lines, by 款" % (label, part))
        is_(Decimal(got[part + "_total"]["yuan"]), sum(want.values(), Decimal(0)), "%s: the %s total" % (label, part))
    every = total + sum(exc.values(), Decimal(0)) + sum(unm.values(), Decimal(0))
    is_(Decimal(got["expenditure_total"]["yuan"]), every, "%s: all executed expenditure, %s 元" % (label, every))
    # the downloads: the same JSON, and the CSV's rows
    j = anon.get("/cofog/%s/cofog.json" % year)
    ok(j.status == 200 and json.loads(j.body) == got and "attachment" in (j.header("Content-Disposition") or ""),
       "%s: cofog.json is the API's answer, as a download" % label)
    c = anon.get("/cofog/%s/cofog.csv" % year)
    text = c.body.decode("utf-8")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    ok(c.status == 200 and text.startswith("\ufeff") and table[0] == ["part", "code", "name", "name_en", "amount_wan",
                                                                        "amount_yuan", "share_percent", "lines"],
       "%s: cofog.csv with a BOM and its header" % label, text[:200])
    want_rows = [["division", d["code"], d["name"], d["name_en"], d["wan"], d["yuan"], d["share_percent"] or "",
                  str(d["lines"])] for d in got["divisions"]]
    want_rows.append(["cofog_total", "", "", "", got["cofog_total"]["wan"], got["cofog_total"]["yuan"],
                      "100.00" if total > 0 else "", ""])
    for part in ("excluded", "unmapped"):
        want_rows += [[part, x["code"], x["name"], "", x["wan"], x["yuan"], "", str(x["lines"])] for x in got[part]]
        want_rows.append([part + "_total", "", "", "", got[part + "_total"]["wan"], got[part + "_total"]["yuan"], "",
                          ""])
    want_rows.append(["expenditure_total", "", "", "", got["expenditure_total"]["wan"],
                      got["expenditure_total"]["yuan"], "", ""])
    is_(table[1:], want_rows, "%s: cofog.csv holds the JSON's figures, row by row" % label)
    # the page
    page = anon.get("/cofog/%s/" % year)
    shown = re.findall(r'<tr><td>(\d\d)</td><td>([^<]+)<br><span class="note">[^<]*</span></td>'
                       r'<td class="num">([\d,.-]+)</td><td class="num">([\d.]*)%?</td></tr>', page.text)
    is_(shown, [(d["code"], d["name"], "{:,}".format(Decimal(d["wan"])), d["share_percent"] or "")
                for d in got["divisions"]], "%s: the page's rows are the divisions (万元 with separators)" % label)
    ok('href="cofog.csv"' in page.text and 'href="cofog.json"' in page.text, "%s: the page links its downloads" % label)
    return got


got = check("demo")
ok(got and not got["excluded"] and len(got["divisions"]) >= 5,
   "the demo's departments spend in %d divisions and nothing COFOG excludes" % len(got["divisions"] if got else []))

# every department's table 03 合计 is in the total (nothing dropped, nothing counted twice)
zf = zipfile.ZipFile(io.BytesIO(anon.get("/api/v1/years/2024/bundle.zip").body))
manifest = json.loads(zf.read("manifest.json"))
t03 = Decimal(0)
for d in (d for d in manifest["departments"] if d["phase"] == "final"):  # a 预算 is not spending
    tables = json.loads(zf.read("%s/tables.json" % d["code"]))
    t = next(t for t in tables["tables"] if t["id"] == "03")
    t03 += Decimal(next(x for x in t["rows"] if x["kind"] == "total")["cells"]["total"]["fen"]) / 100
is_(Decimal(got["expenditure_total"]["yuan"]) if got else None, t03,
    "the total is the sum of the departments' table 03 合计 (%s 元)" % t03)

# ---- links, errors ---------------------------------------------------------------
ok('href="/cofog/2024/"' in anon.get("/2024/").text and 'href="/cofog/2024/"' in anon.get("/rank/2024/").text,
   "the year's page and the ranking index link to the COFOG view")
is_(anon.get("/cofog/2019/").status, 404, "/cofog/2019/: nothing published that year: 404")
r, body = anon.get_json("/api/v1/years/2019/cofog")
ok(r.status == 404 and body and "2019" in body["error"]["message"], "the API: 404 as JSON for 2019", r.text[:200])
r, body = anon.get_json("/api/v1/years/2024/cofog?limit=5")
ok(r.status == 400 and body and body["error"]["status"] == 400, "the API takes no query parameter: 400", r.text[:200])
r = anon.get("/api/v1/years/2024/cofog")
etag = r.header("ETag")
ok(etag and anon.get("/api/v1/years/2024/cofog", headers={"If-None-Match": etag}).status == 304 and
   r.header("Access-Control-Allow-Origin") == "*", "the API: ETag, 304 and CORS like every route")

# ---- a department paying back debt principal ------------------------------------------
pw = portal.passwords
adm = portal.staff("demo-admin", pw["demo-admin"])
prep = portal.add_preparer(adm, "cofog-debt", "还本测试局", "debt-prep", "debt-preparer-pw-1", "还本")
rev = portal.staff("demo-reviewer", pw["demo-reviewer"])
pub = portal.staff("demo-publisher", pw["demo-publisher"])
LINE = ",2060499,30299,一般公共预算财政拨款,项目支出,国际科技合作交流,42850.00"


def edit(name, text):
    if name == "department.csv":
        return text.replace("某市示范区科学技术局", "还本测试局")
    if name == "expenditure.csv":
        assert LINE in text
        return text.replace(LINE, LINE.replace("2060499", "2310301"))
    return text


r, vid = upload(prep, zip_folder(example("synthetic-2024"), edit))
ok(vid, "the workbook with a 2310301 地方政府一般债券还本支出 line is uploaded", r.text[-300:])
explain_all(prep, vid, "已核实。")
prep.post("/version/%s/submit" % vid)
rev.post("/version/%s/approve" % vid)
is_(pub.post("/version/%s/publish" % vid).status, 303, "and published")
got = check("with debt principal")
exc = got["excluded"] if got else []
ok(len(exc) == 1 and exc[0]["code"] == "23103" and exc[0]["yuan"] == "42850.00" and exc[0]["wan"] == "4.29" and
   exc[0]["name"] == "地方政府一般债务还本支出",
   "the principal (42 850.00 元) is listed apart under 23103 地方政府一般债务还本支出", exc)
page = anon.get("/cofog/2024/").text
ok("<td>23103</td><td>地方政府一般债务还本支出</td><td class=\"num\">4.29</td>" in page and "GFSM 2014" in page,
   "the page lists it under 不计入 COFOG with the reason")

portal.stops_cleanly()
also_on_postgresql(os.path.abspath(__file__))
done()
