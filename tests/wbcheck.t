#!/usr/bin/env python3
"""The checks of the figures a workbook states beside its lines (docs/rules.md,
W-010 … W-012): each fires on a modified copy of an example and stays silent
on the examples and on the near misses. Every expected figure is computed
here from the workbook's own sheets (exact 分 sums, rounded half away from
zero to 0.01 万元), never typed in."""
import csv
import decimal
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-wbcheck-")
D = decimal.Decimal
FISCAL = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")


# ------------------------------------------------------------------ helpers

def copy(name, tag):
    dest = os.path.join(tmp, tag)
    shutil.copytree(example(name), dest)
    return dest


def read(book, sheet):
    with open(os.path.join(book, sheet), encoding="utf-8") as f:
        return list(csv.reader(f))


def write(book, sheet, rows):
    with open(os.path.join(book, sheet), "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def set_cell(book, sheet, key, column, value):
    """Sets the cell of a keyed sheet (first column = key)."""
    rows = read(book, sheet)
    k = rows[0].index(column)
    hit = [r for r in rows[1:] if r and r[0] == key]
    assert hit, (sheet, key)
    hit[0][k] = value
    write(book, sheet, rows)


def drop_row(book, sheet, key):
    rows = read(book, sheet)
    write(book, sheet, [r for r in rows if not r or r[0] != key])


def key_line(book, sheet, key):
    """The sheet line (1 = heading) of a keyed row."""
    for i, r in enumerate(read(book, sheet)):
        if r and r[0] == key:
            return i + 1
    return None


def fen(text, heading):
    """An amount as written under its heading, in 分."""
    scale = 1000000 if heading.endswith("(万元)") else 100
    return int(D(text or "0") * scale)


def wan(f):
    """分 to 万元 with two decimals, half away from zero (as the report prints)."""
    c = (abs(f) + 5000) // 10000
    return "%s%d.%02d" % ("-" if f < 0 and c else "", c // 100, c % 100)


def yuan(f):
    return "%s%d.%02d" % ("-" if f < 0 else "", abs(f) // 100, abs(f) % 100)


def lines(book):
    """expenditure.csv as dicts, with their line numbers and amounts in 分."""
    rows = read(book, "expenditure.csv")
    head = rows[0]
    amount = [h for h in head if h.startswith("金额")][0]
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if r:
            d = dict(zip(head, r))
            d["line"], d["fen"] = i, fen(d[amount], amount)
            out.append(d)
    return out


def kinds(book):
    return {r[0]: r[1] for r in read(book, "units.csv")[1:] if r}


def common_cost(book):
    """公用经费 of the 行政 and 参公 units: 一般公共预算财政拨款 基本支出 outside
    301 and 303 (公开06表's 公用经费合计)."""
    k = kinds(book)
    return sum(x["fen"] for x in lines(book)
               if k[x["单位"]] in ("行政", "参公") and x["资金来源"] == "一般公共预算财政拨款"
               and x["支出类型"] == "基本支出" and x["经济分类科目编码"][:3] not in ("301", "303"))


def fiscal_lines(book, econ):
    return [x for x in lines(book) if x["资金来源"] in FISCAL and x["经济分类科目编码"] == econ and x["fen"]]


def stated(book, sheet, key, column):
    rows = read(book, sheet)
    h = [c for c in rows[0] if c.startswith(column + "(")][0]
    r = [r for r in rows[1:] if r and r[0] == key][0]
    return fen(r[rows[0].index(h)], h)


def findings(book, rule, *args):
    rc, out, err = run("check", book, "--format", "json", *args)
    try:
        doc = json.loads(out)
    except ValueError:
        return rc, None, err
    return rc, [f for f in doc["findings"] if f["rule"] == rule], err


def one(book, rule, name):
    """The single finding of rule on book; checks its severity."""
    rc, fs, err = findings(book, rule)
    ok(fs is not None and len(fs) == 1 and fs[0]["severity"] == "verify",
       "%s: one %s finding, severity verify" % (name, rule), "exit %d %s %s" % (rc, fs, err))
    return fs[0] if fs else {"message": "", "location": {}}


def none(book, rule, name):
    rc, fs, err = findings(book, rule)
    ok(fs == [], "%s: no %s finding" % (name, rule), "exit %d %s %s" % (rc, fs, err))


def base(loc):
    return os.path.basename(loc.get("file", ""))


QS, SY = example("qingshan-2024"), example("synthetic-2024")

# ---------------------------------------------------- W-010 机关运行经费

for name in ("qingshan-2024", "synthetic-2024"):
    none(example(name), "W-010", name)
# the examples agree at the precision they were entered in
q_common = common_cost(QS)
ok(wan(q_common) == wan(stated(QS, "figures.csv", "机关运行经费", "金额")),
   "qingshan: 机关运行经费 equals the 公用经费 of its 行政 and 参公 units in 万元 (%s)" % wan(q_common))
is_(common_cost(SY), stated(SY, "figures.csv", "机关运行经费", "金额"),
    "synthetic: 机关运行经费 equals the 公用经费 of its 行政 and 参公 units to the 分")

# stated 0.01 万元 above the rounded 公用经费 (万元 column)
b = copy("qingshan-2024", "w010-wan")
said = (q_common + 5000) // 10000 * 10000 + 10000
set_cell(b, "figures.csv", "机关运行经费", "金额(万元)", wan(said))
f = one(b, "W-010", "qingshan, 机关运行经费 0.01 万元 higher")
m = f["message"]
ok(("机关运行经费 %s 万元" % wan(said)) in m and ("公用经费 %s 万元" % wan(q_common)) in m,
   "the message states both figures in 万元 (%s, %s)" % (wan(said), wan(q_common)), m)
admin = [u for u, k in kinds(b).items() if k in ("行政", "参公")]
others = [u for u, k in kinds(b).items() if k not in ("行政", "参公")]
ok(admin and all(u in m for u in admin) and not any(u in m for u in others),
   "the message names the 行政 and 参公 units and no other", m)
is_((base(f["location"]), f["location"].get("line")), ("figures.csv", key_line(b, "figures.csv", "机关运行经费")),
    "located at figures.csv's 机关运行经费 line")
is_((f.get("actual_fen"), f.get("expected_fen")), (said, q_common), "actual and expected carry the exact 分")

# synthetic, in 元: half a 元 short is a finding; the 万元 figures print
# alike, so the message adds both in 元
b = copy("synthetic-2024", "w010-yuan")
s_common = common_cost(b)
set_cell(b, "figures.csv", "机关运行经费", "金额(元)", yuan(s_common - 50))
m = one(b, "W-010", "synthetic, 机关运行经费 0.50 元 short")["message"]
ok(m.count(wan(s_common) + " 万元") == 2 and yuan(s_common - 50) + " 元" in m and yuan(s_common) + " 元" in m,
   "both figures in 万元 (%s) and, printing alike, in 元" % wan(s_common), m)

# entered in 万元 with two decimals: stands for every exact sum rounding to it
b = copy("synthetic-2024", "w010-rounded")
rows = read(b, "figures.csv")
rows[0][1] = "金额(万元)"
for r in rows[1:]:
    r[1] = format(D(r[1]) / 10000, "f")  # exact
write(b, "figures.csv", rows)
none(b, "W-010", "synthetic, figures.csv in 万元 to six decimals (exact)")
set_cell(b, "figures.csv", "机关运行经费", "金额(万元)", wan(s_common))
ok(s_common % 10000 != 0, "the synthetic 公用经费 is not a whole 0.01 万元 (%s 元)" % yuan(s_common))
none(b, "W-010", "synthetic, 机关运行经费 entered rounded to 0.01 万元")
four = str((D(s_common) / 1000000).quantize(D("0.0001"), rounding=decimal.ROUND_DOWN))
set_cell(b, "figures.csv", "机关运行经费", "金额(万元)", four)
ok(0 < s_common - fen(four, "(万元)") < 10000, "%s 万元 is off by less than 0.01 万元" % four)
one(b, "W-010", "synthetic, 机关运行经费 entered to four decimals, off by less than 0.01 万元")

# 单位性质 decides: the 事业 unit made 参公 brings its 公用经费 in
b = copy("synthetic-2024", "w010-kind")
rows = read(b, "units.csv")
moved = [r for r in rows[1:] if r and r[1] == "事业"][0]
moved[1] = "参公"
write(b, "units.csv", rows)
f = one(b, "W-010", "synthetic, a 事业 unit declared 参公")
ok(moved[0] in f["message"] and ("公用经费 %s 万元" % wan(common_cost(b))) in f["message"]
   and common_cost(b) != s_common, "it counts the unit's 公用经费 (%s 万元)" % wan(common_cost(b)), f["message"])

# absent sheet, absent key: nothing from this check
b = copy("synthetic-2024", "w010-nokey")
drop_row(b, "figures.csv", "机关运行经费")
none(b, "W-010", "synthetic without the 机关运行经费 row")
os.remove(os.path.join(b, "figures.csv"))
none(b, "W-010", "synthetic without figures.csv")

# ---------------------------------------------------- W-011 "三公"

ITEMS = {"因公出国(境)费": "30212", "公务用车购置费": "31013", "公务用车运行维护费": "30231", "公务接待费": "30217"}
for name in ("qingshan-2024", "synthetic-2024"):
    none(example(name), "W-011", name)
for item, code in ITEMS.items():
    ls = fiscal_lines(SY, code)
    ok(stated(SY, "sangong.csv", item, "决算数") >= sum(x["fen"] for x in ls),
       "synthetic: %s 决算数 covers its %d 财政拨款 line(s) of %s" % (item, len(ls), code))

# an actual below its lines
b = copy("synthetic-2024", "w011-below")
ls = fiscal_lines(b, "30217")
total = sum(x["fen"] for x in ls)
set_cell(b, "sangong.csv", "公务接待费", "决算数(元)", yuan(total - 100000))
f = one(b, "W-011", "synthetic, 公务接待费 决算数 1,000 元 below its lines")
m = f["message"]
ok(("公务接待费决算数 %s 万元" % wan(total - 100000)) in m and ("合计 %s 万元" % wan(total)) in m
   and "30217" in m and all(str(x["line"]) in m for x in ls),
   "the message states the actual (%s) and the lines' sum (%s), the code and the lines" %
   (wan(total - 100000), wan(total)), m)
is_((base(f["location"]), f["location"].get("line")), ("sangong.csv", key_line(b, "sangong.csv", "公务接待费")),
    "located at sangong.csv's 公务接待费 line")
is_((f.get("actual_fen"), f.get("expected_fen")), (total - 100000, total), "actual and expected carry the exact 分")
# above its lines: 三公 spending may sit on other codes too
set_cell(b, "sangong.csv", "公务接待费", "决算数(元)", yuan(total + 100000))
none(b, "W-011", "synthetic, 公务接待费 决算数 above its lines")

# 决算数 entered in 万元 to 0.01: the lines' sum rounded is enough, 0.01 less is not
b = copy("synthetic-2024", "w011-wan")
rows = read(b, "sangong.csv")
k = rows[0].index("决算数(元)")
rows[0][k] = "决算数(万元)"
for r in rows[1:]:
    r[k] = wan(fen(r[k], "(元)"))
write(b, "sangong.csv", rows)
ok(total % 10000 != 0, "the 公务接待费 lines (%s 元) are not a whole 0.01 万元" % yuan(total))
none(b, "W-011", "synthetic, 决算数 in 万元 rounded from the lines")
set_cell(b, "sangong.csv", "公务接待费", "决算数(万元)", wan((total + 5000) // 10000 * 10000 - 10000))
one(b, "W-011", "synthetic, 公务接待费 决算数 0.01 万元 below its lines' rounded sum")

# lines, but a blank actual
b = copy("synthetic-2024", "w011-blank")
run_total = sum(x["fen"] for x in fiscal_lines(b, "30231"))
set_cell(b, "sangong.csv", "公务用车运行维护费", "决算数(元)", "")
f = one(b, "W-011", "synthetic, 公务用车运行维护费 决算数 blank")
ok(("合计 %s 万元" % wan(run_total)) in f["message"] and "没有填写" in f["message"],
   "the message states the lines' sum (%s) and the missing actual" % wan(run_total), f["message"])
is_(f.get("actual_fen"), 0, "actual 0 against the lines")

# lines, but no row for the item (a 30299 line recoded 30212)
b = copy("synthetic-2024", "w011-norow")
rows = read(b, "expenditure.csv")
abroad = stated(b, "sangong.csv", "因公出国(境)费", "决算数")
hit = [r for r in rows[1:] if r[3] == "一般公共预算财政拨款" and r[2] == "30299" and fen(r[6], "(元)") == abroad]
ok(len(hit) == 1, "synthetic: one 30299 line carries the 因公出国(境)费 actual")
hit[0][2] = "30212"
write(b, "expenditure.csv", rows)
none(b, "W-011", "synthetic, that line recoded 30212: the actual covers it")
drop_row(b, "sangong.csv", "因公出国(境)费")
f = one(b, "W-011", "synthetic, 30212 line and no 因公出国(境)费 row")
ok(("合计 %s 万元" % wan(abroad)) in f["message"] and f["location"].get("line") is None
   and base(f["location"]) == "sangong.csv", "names sangong.csv without a line, states %s 万元" % wan(abroad),
   json.dumps(f, ensure_ascii=False))

# only 财政拨款 counts: a 其他收入 line recoded 30217 changes nothing
b = copy("synthetic-2024", "w011-nonfiscal")
rows = read(b, "expenditure.csv")
other = [r for r in rows[1:] if r and r[3] not in FISCAL and r[4] == "基本支出"][0]
other[2] = "30217"
write(b, "expenditure.csv", rows)
none(b, "W-011", "synthetic, a %s line recoded 30217" % other[3])

# no sangong.csv at all: nothing from this check
b = copy("synthetic-2024", "w011-nosheet")
os.remove(os.path.join(b, "sangong.csv"))
none(b, "W-011", "synthetic without sangong.csv")

# the codes are profile data; a malformed setting stops the audit
data2 = os.path.join(tmp, "data")
shutil.copytree(os.environ.get("JUESUAN_DATA", os.path.join(ROOT, "data")), data2)
pj = os.path.join(data2, "profiles", "default", "profile.json")
prof = json.load(open(pj, encoding="utf-8"))
prof["checks"]["sangong_econ"] = ["公务接待费=30211"]
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, fs, err = findings(SY, "W-011", "--data", data2)
travel = sum(x["fen"] for x in fiscal_lines(SY, "30211"))
ok(fs and len(fs) == 1 and ("合计 %s 万元" % wan(travel)) in fs[0]["message"],
   "sangong_econ 公务接待费=30211: the 差旅费 lines (%s 万元) exceed the 公务接待费 actual" % wan(travel), fs)
prof["checks"]["sangong_econ"] = ["公务接待费:30217"]
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, out, err = run("check", SY, "--data", data2)
ok(rc == 3 and "sangong_econ" in err and "公务接待费:30217" in err, "a malformed sangong_econ is bad input (exit 3)",
   "exit %d %s" % (rc, err))

# ---------------------------------------------------- W-012 万元 under a 元 heading

for name in ("qingshan-2024", "synthetic-2024"):
    none(example(name), "W-012", name)


def as_wan(book):
    """Every amount of expenditure.csv and revenue.csv typed in 万元 (to 0.01)."""
    for sheet in ("expenditure.csv", "revenue.csv"):
        rows = read(book, sheet)
        k = rows[0].index("金额(元)")
        for r in rows[1:]:
            if r:
                r[k] = str((D(r[k]) / 10000).quantize(D("0.01"), rounding=decimal.ROUND_HALF_UP))
        write(book, sheet, rows)


b = copy("qingshan-2024", "w012")
as_wan(b)
ls = [x for x in lines(b) if x["fen"]]
total = sum(x["fen"] for x in ls)
ok(0 < total < 100000 * 100, "the 万元-typed qingshan adds up to %s 元 under its 元 heading" % yuan(total))
f = one(b, "W-012", "qingshan typed in 万元 under 金额(元)")
m = f["message"]
ok(("%d 行" % len(ls)) in m and (yuan(total) + " 元") in m and ("%s 万元" % wan(total)) in m and "万元填写" in m,
   "the message gives the lines, their total (%s 元) and the suspicion" % yuan(total), m)
is_((base(f["location"]), f["location"].get("line")), ("expenditure.csv", 1), "located at the heading line")
rc, out, err = run("convert", b, "-o", b + ".xlsx")
ok(rc == 0, "converted to .xlsx " + err)
rc, fs, err = findings(b + ".xlsx", "W-012")
ok(fs and len(fs) == 1 and (yuan(total) + " 元") in fs[0]["message"], "the .xlsx form gives the same finding", fs)

# the same figures under 金额(万元) are right
b2 = copy("qingshan-2024", "w012-declared")
as_wan(b2)
for sheet in ("expenditure.csv", "revenue.csv"):
    rows = read(b2, sheet)
    rows[0][rows[0].index("金额(元)")] = "金额(万元)"
    write(b2, sheet, rows)
none(b2, "W-012", "the same amounts under 金额(万元)")

# the threshold: 100,000.00 元 in all is plausible, one 分 less is not
b3 = copy("qingshan-2024", "w012-edge")
as_wan(b3)
rows = read(b3, "expenditure.csv")
k = rows[0].index("金额(元)")
last = [r for r in rows[1:] if r][-1]
last[k] = yuan(fen(last[k], "(元)") + 100000 * 100 - total)
write(b3, "expenditure.csv", rows)
is_(sum(x["fen"] for x in lines(b3)), 100000 * 100, "edge workbook adds up to 100,000.00 元")
none(b3, "W-012", "expenditure total 100,000.00 元")
last[k] = yuan(fen(last[k], "(元)") - 1)
write(b3, "expenditure.csv", rows)
one(b3, "W-012", "expenditure total 99,999.99 元")

# ---------------------------------------------------- W-013 "三公" above all of 302

PARTS = ("因公出国(境)费", "公务用车运行维护费", "公务接待费")  # the 302 codes of ITEMS
for name in ("qingshan-2024", "synthetic-2024"):
    none(example(name), "W-013", name)
b = copy("synthetic-2024", "w013")
all302 = sum(x["fen"] for x in lines(b) if x["经济分类科目编码"].startswith("302"))
others = sum(stated(b, "sangong.csv", i, "决算数") for i in PARTS if i != "公务接待费")
ok(all302 > others > 0, "synthetic: 302 lines %s 元 in all, 出国 and 运行维护 %s 元" % (yuan(all302), yuan(others)))
# the three 302 parts exactly at all of 302: possible
set_cell(b, "sangong.csv", "公务接待费", "决算数(元)", yuan(all302 - others))
none(b, "W-013", "synthetic, the 302 parts of 三公 equal to all of 302")
# one 分 more: impossible, an error at sangong.csv naming the parts and the total
set_cell(b, "sangong.csv", "公务接待费", "决算数(元)", yuan(all302 - others + 1))
rc, fs, err = findings(b, "W-013")
ok(fs and len(fs) == 1 and fs[0]["severity"] == "error" and rc == 1,
   "synthetic, the 302 parts one 分 above all of 302: one W-013 error, exit 1", "exit %d %s %s" % (rc, fs, err))
m = fs[0]["message"] if fs else ""
ok(("302 商品和服务支出的全部合计 %s 万元" % wan(all302)) in m and all(i in m for i in PARTS)
   and "公务用车购置费" not in m, "it names the three parts and the 302 total, not 购置 (a 310 code)", m)
is_(base(fs[0]["location"]) if fs else None, "sangong.csv", "located in sangong.csv")
# 购置 (31013) does not count: a large 购置 changes nothing
b = copy("synthetic-2024", "w013-buy")
set_cell(b, "sangong.csv", "公务用车购置费", "决算数(元)", yuan(all302 * 2))
none(b, "W-013", "synthetic, 公务用车购置费 (310) above all of 302")
# entered in 万元 to 0.01: 0.01 万元 above, once rounded, can still be right
b = copy("synthetic-2024", "w013-wan")
rows = read(b, "sangong.csv")
k = rows[0].index("决算数(元)")
rows[0][k] = "决算数(万元)"
for r in rows[1:]:
    r[k] = wan(fen(r[k], "(元)"))
write(b, "sangong.csv", rows)
none(b, "W-013", "synthetic, 三公 in 万元")


# ---------------------------------------------------- W-014 unit-name variants

UNIT = "武汉市青山区经济信息化和科技创新局(本级)"
none(example("qingshan-2024"), "W-014", "qingshan-2024")
b = copy("qingshan-2024", "w014")
rows = read(b, "expenditure.csv")
mine = [i for i, r in enumerate(rows) if r and r[0] == UNIT]
rows[mine[0]][0] = UNIT.replace("(", "（").replace(")", "）")
rows[mine[1]][0] = UNIT.replace("(", "（").replace(")", "）")
rows[mine[2]][0] = "  " + UNIT + " "
write(b, "expenditure.csv", rows)
rc, fs, err = findings(b, "W-014")
ok(rc == 0 and fs and len(fs) == 2 and all(f["severity"] == "verify" for f in fs),
   "full-width parentheses on two lines and spaces on one: two W-014 (one per variant), no error",
   "exit %d %s %s" % (rc, fs, err))
fs = fs or []
par = [f for f in fs if "括号" in f["message"]]
ok(par and ("'%s'" % UNIT) in par[0]["message"] and "共 2 行" in par[0]["message"]
   and par[0]["location"].get("line") == mine[0] + 1,
   "the parenthesis variant names the listed unit it was matched to, its lines, and its first line", par)
sp = [f for f in fs if "空格" in f["message"]]
ok(sp and sp[0]["location"].get("line") == mine[2] + 1, "the spaced one is reported at its line", sp)
rc, out, err = run("tables", b, "--format", "json")
rc0, out0, err0 = run("tables", example("qingshan-2024"), "--format", "json")
ok(rc == 0 and out == out0, "the tables are those of the reference: no new unit")
# a near miss that is not such a variant stays an error with "did you mean"
rows[mine[0]][0] = UNIT.replace("科技创新局", "科技局")
write(b, "expenditure.csv", rows)
rc, out, err = run("check", b)
ok(rc != 0 and ("expenditure.csv:%d" % (mine[0] + 1)) in err and ("是否应为 '%s'" % UNIT) in err,
   "a unit one word off is an error naming file and line, with the nearest listed unit", err)

shutil.rmtree(tmp)
done()
