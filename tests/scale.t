#!/usr/bin/env python3
"""Reading at scale: a big sheet of line items is read by two threads (one
half each) and summed by two threads. The result must be what one thread
gives: the same tables as a sequential read of the same data, the same as
the consolidation of the departments, and errors named at their own line,
the first in file order. Plain lines are read straight from their bytes;
lines that are not (quotes, CRLF, cells to trim) by the record reader, with
the same result."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok, run  # noqa: E402

GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))
PARALLEL_BYTES = 8 << 20  # lib/read/workbook.c: a fact sheet this big is split
tmp = tempfile.mkdtemp(prefix="juesuan-scale-")


def read(p):
    with open(p, encoding="utf-8") as fh:
        return fh.read()


def write(p, text):
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(text)


def tables(workbook, out):
    """build --only csv,json: the nine CSV tables and tables.json, as text."""
    rc, o, err = run("build", workbook, "-o", out, "--only", "csv,json")
    files = sorted(f for f in os.listdir(out)) if os.path.isdir(out) else []
    return rc, {f: read(os.path.join(out, f)) for f in files}, err


g = os.path.join(tmp, "gen")
# 200 000 lines: more than PARALLEL_FACTS (lib/model/fact_sum.c) facts, so that
# summing is split between two threads too.
p = subprocess.run([GEN, "-o", g, "-n", "20", "-l", "200000"], capture_output=True)
if not ok(p.returncode == 0, "gen writes 20 departments of 200 000 lines in all", p.stderr):
    done()
region = os.path.join(g, "region")
exp = os.path.join(region, "expenditure.csv")
size = os.path.getsize(exp)
ok(size > PARALLEL_BYTES, "the region's expenditure.csv (%d bytes) is big enough to be read in two halves" % size)

# 1. Two threads against one: a quoted cell (same value) keeps the reader
#    from splitting the sheet.
rc, par, err = tables(region, os.path.join(tmp, "par"))
is_(rc, 0, "the region builds (two threads) " + err)
seq_wb = os.path.join(tmp, "seq")
shutil.copytree(region, seq_wb)
lines = read(exp).split("\n")
f = lines[1].split(",")
f[5] = '"%s"' % f[5]
lines[1] = ",".join(f)
write(os.path.join(seq_wb, "expenditure.csv"), "\n".join(lines))
rc, seq, err = tables(seq_wb, os.path.join(tmp, "seq-out"))
is_(rc, 0, "the same data with one quoted cell builds (one thread) " + err)
is_(sorted(par), sorted(seq), "the same files")
same = all(par[k] == seq[k] for k in par)
ok(same and len(par) == 11 and ".juesuan-output" in par, "tables.json and the nine table CSVs (and the marker) are byte-identical, read by one thread or two")
rc1, c1, e1 = run("check", region, "--format", "json")
rc2, c2, e2 = run("check", seq_wb, "--format", "json")
ok(rc1 == rc2 and c1.replace(seq_wb, region) == c2.replace(seq_wb, region),
   "the audit (workbook checks, rules, report gaps) is the same too")

# 2. The departments, read one by one (small sheets, one thread), sum to the
#    region read in halves.
out = os.path.join(tmp, "batch")
rc, o, err = run("check", os.path.join(g, "departments"), "-o", out)
is_(rc, 0, "check of the 20 departments exits 0 " + err)
cons = {f: read(os.path.join(out, "汇总", f)) for f in par if f.startswith("table-")}
ok(cons and all(cons[k].replace("汇总（20个部门）", "X") == par[k].replace("生成地区（20个部门）", "X") for k in cons),
   "the consolidation of the departments equals the region read in two halves (nine tables)")

# 3. Errors: named at their line, whichever half holds them; the first in
#    file order wins.
n = len(lines) - 2  # the last data line (the file ends with a newline)
late = list(lines)
f = late[n].split(",")
f[6] = "abc"
late[n] = ",".join(f)
bad = os.path.join(tmp, "bad")
shutil.copytree(region, bad)
write(os.path.join(bad, "expenditure.csv"), "\n".join(late))
rc, o, err = run("tables", bad)
ok(rc == 3 and ("expenditure.csv:%d:7:" % (n + 1)) in err and "abc" in err,
   "an error in the second half names its line (%d): %s" % (n + 1, err.strip()))
early = list(late)
f = early[4].split(",")
f[1] = "9999999"
early[4] = ",".join(f)
write(os.path.join(bad, "expenditure.csv"), "\n".join(early))
rc, o, err = run("tables", bad)
lines_ = err.strip().splitlines()
ok(rc == 3 and len(lines_) == 3 and "expenditure.csv:5:2:" in lines_[0] and "expenditure.csv:200001:7:" in lines_[1]
   and "共有 2 处错误" in lines_[2],
   "errors in both halves: the first in file order first, then the other (every input error in one run): " + err.strip())

# 4. The encoding check is split too: a byte that is neither UTF-8 nor
#    GB18030 in the second half is found at its line.
raw = "\n".join(lines).encode("utf-8")
at = raw.index(b"\n", len(raw) * 3 // 4) + 1
line_no = raw[:at].count(b"\n") + 1
with open(os.path.join(bad, "expenditure.csv"), "wb") as fh:
    fh.write(raw[:at] + b"\xff" + raw[at:])
rc, o, err = run("tables", bad)
ok(rc == 3 and ("expenditure.csv:%d:" % line_no) in err and "编码" in err,
   "an undecodable byte in the second half is named at its line (%d): %s" % (line_no, err.strip()))

# 5. Plain lines, read straight from their bytes, against the record reader:
#    every line made not plain in one of three ways (a quoted amount, CRLF,
#    a unit cell with spaces to trim) gives the same tables and audit. Some
#    项目支出 lines have no economic code (an empty optional cell).
base = [lines[0]]
for i, line in enumerate(lines[1:], start=1):
    f = line.split(",")
    if line and f[4] == "项目支出" and i % 5 == 0:
        f[2] = ""
    base.append(",".join(f))
odd = [base[0]]
for i, line in enumerate(base[1:], start=1):
    if not line:
        odd.append(line)
        continue
    f = line.split(",")
    if i % 3 == 0:
        f[6] = '"%s"' % f[6]
    elif i % 3 == 1:
        f[-1] += "\r"
    else:
        f[0] = " %s\u3000" % f[0]
    odd.append(",".join(f))
variants = {}
for name, text in (("plain", base), ("generic", odd)):
    wb = os.path.join(tmp, name)
    shutil.copytree(region, wb)
    write(os.path.join(wb, "expenditure.csv"), "\n".join(text))
    rc, out, err = tables(wb, os.path.join(tmp, name + "-out"))
    rcc, chk, errc = run("check", wb, "--format", "json")
    variants[name] = (rc, out, rcc, chk.replace(wb, "WB"), err + errc)
ok(variants["plain"][0] == 0 and sum(t.count("\n") for t in variants["plain"][1].values()) > 100,
   "the data with some empty economic codes builds " + variants["plain"][4])
ok(variants["generic"][:2] == variants["plain"][:2],
   "no line plain: the same tables.json and nine tables as plain lines " + variants["generic"][4])
# the generic lines write a third of the units with spaces around them:
# read as the listed unit, each reported once as W-014; the audit otherwise alike
gen_doc, plain_doc = json.loads(variants["generic"][3]), json.loads(variants["plain"][3])
w014 = [f for f in gen_doc["findings"] if f["rule"] == "W-014"]
ok(w014 and all("前后有空格" in f["message"] for f in w014) and not any(f["rule"] == "W-014" for f in plain_doc["findings"]),
   "units written with spaces around them: W-014 (verify), one per unit (%d)" % len(w014),
   json.dumps([f for f in gen_doc["findings"] if f["rule"] == "W-014"], ensure_ascii=False)[:600])
same = lambda doc: [f for f in doc["findings"] if f["rule"] != "W-014"]  # noqa: E731
ok(variants["generic"][2] == 0 and same(gen_doc) == same(plain_doc), "and the same audit otherwise")

# 6. A unit name longer than the memo holds (90 bytes): plain lines look it
#    up each time, with the same result as the record reader (that unit's
#    own tables, and the department's).
dep = os.path.join(g, "departments", "00002")
unit = read(os.path.join(dep, "units.csv")).strip().split("\n")[-1].split(",")[0]
long_name = "长" * 30
results = []
for crlf in (False, True):
    wb = os.path.join(tmp, "long-%d" % crlf)
    shutil.copytree(dep, wb)
    for name in os.listdir(wb):
        text = read(os.path.join(wb, name)).replace(unit, long_name)
        if crlf and name == "expenditure.csv":
            text = "\n".join(l if i == 0 or not l else l + "\r" for i, l in enumerate(text.split("\n")))
        write(os.path.join(wb, name), text)
    rc1, own, e1 = run("tables", wb, "--unit", long_name, "--format", "json")
    rc2, whole, e2 = run("tables", wb, "--format", "json")
    results.append((rc1, rc2, own, whole, e1 + e2))
ok(results[0][:2] == (0, 0) and long_name in results[0][2] and results[0][2:4] == results[1][2:4],
   "a 90-byte unit name: plain lines and the record reader give the same tables " + results[0][4] + results[1][4])

# 6b. A unit written with full-width parentheses where units.csv has
#     half-width ones counts as that unit and is reported once (W-014),
#     whichever half of a split sheet holds the line: the second half's
#     reader finds it in the same list, and its count and line are merged.
def paren_variant(at):
    wb = os.path.join(tmp, "paren-%d" % at)
    shutil.copytree(region, wb)
    rows = list(lines)
    unit = rows[at].split(",")[0]
    rows[at] = rows[at].replace("(", "\uff08", 1).replace(")", "\uff09", 1)
    write(os.path.join(wb, "expenditure.csv"), "\n".join(rows))
    rc, out, err = run("check", wb, "--format", "json")
    doc = json.loads(out) if out.strip().startswith("{") else {"findings": []}
    return unit, rc, [f for f in doc["findings"] if f["rule"] == "W-014"], err


for at, where in ((2, "first"), (len(lines) - 2, "second")):
    unit, rc, w014, err = paren_variant(at)
    ok("(" in unit and rc == rc1 and len(w014) == 1 and w014[0]["location"]["line"] == at + 1
       and w014[0]["location"]["file"].endswith("expenditure.csv")
       and "本表共 1 行这样写" in w014[0]["message"] and unit in w014[0]["message"],
       "a unit with full-width parentheses on line %d (the %s half): counted as %s, one W-014 naming its line"
       % (at + 1, where, unit), "exit %d %s\n%s" % (rc, err, json.dumps(w014, ensure_ascii=False)[:800]))

# 7. Any order of lines (bench/gen --order): the same region written grouped
#    by department, interleaved across departments, sorted by code and
#    shuffled gives the same tables, byte for byte; and table 03's cells
#    (every 项 and the 合计, 基本支出 and 项目支出) are, to the 分, the sums
#    of the same file computed here.
ORDERS = ("grouped", "interleaved", "by-code", "shuffled")


def fen(text):
    """An amount as bench/gen writes it (digits, a point, two digits) in 分."""
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


by_order = {}
for order in ORDERS:
    d = os.path.join(tmp, "order-" + order)
    p = subprocess.run([GEN, "-o", d, "-n", "40", "-l", "90000", "--units", "400", "--projects", "6",
                        "--order", order, "--no-departments"], capture_output=True)
    ok(p.returncode == 0, "gen --order %s" % order, p.stderr)
    reg = os.path.join(d, "region")
    rc, out, err = tables(reg, os.path.join(tmp, "order-out-" + order))
    is_(rc, 0, "the region in %s order builds " % order + err)
    # `tables` sums the lines as it reads them (no fact per line): the same
    # bytes as the build, which keeps every line for the audit
    rc, summed, err = run("tables", reg, "--format", "json")
    ok(rc == 0 and summed == out.get("tables.json"),
       "%s order: `tables --format json`, summed while read, is the build's tables.json byte for byte " % order + err)
    with open(os.path.join(reg, "expenditure.csv"), encoding="utf-8") as fh:
        body = fh.read().split("\n")
    by_order[order] = (out, body)
first = by_order["grouped"][1]
ok(all(sorted(b) == sorted(first) and (o == "grouped" or b != first) for o, (_, b) in by_order.items()),
   "the four files hold the same lines, in four different orders")
ok(os.path.getsize(os.path.join(tmp, "order-grouped", "region", "expenditure.csv")) > PARALLEL_BYTES,
   "each is big enough to be read in two halves")
base = by_order["grouped"][0]
for order in ORDERS[1:]:
    out = by_order[order][0]
    ok(sorted(out) == sorted(base) and all(out[k] == base[k] for k in base) and len(base) == 11,
       "%s order: tables.json and the nine table CSVs are byte-identical to the grouped order's" % order)
# table 03 against sums made here, for every order's tables.json
for order in ORDERS:
    out, body = by_order[order]
    head = body[0].split(",")
    code_at, spend_at, amount_at = head.index("功能分类科目编码"), head.index("支出类型"), head.index("金额(元)")
    sums = {}
    for line in body[1:]:
        if not line:
            continue
        f = line.split(",")
        col = "basic" if f[spend_at] == "基本支出" else "project"
        for depth in (3, 5, 7):
            key = (f[code_at][:depth], col)
            sums[key] = sums.get(key, 0) + fen(f[amount_at])
        sums[("", col)] = sums.get(("", col), 0) + fen(f[amount_at])
    t03 = [t for t in json.loads(out["tables.json"])["tables"] if t["id"] == "03"][0]
    cells = {}
    for row in t03["rows"]:
        if row["kind"] in ("code", "total"):
            for col in ("basic", "project"):
                cells[(row["code"] or "", col)] = row["cells"][col]["fen"]
    ok(cells and all(v == sums.get(k, 0) for k, v in cells.items()) and
       set(k for k, v in sums.items() if v and len(k[0]) == 7) <= set(cells),
       "%s order: table 03's %d cells (合计 and every 项 × 基本/项目) equal the sums of the file to the 分" %
       (order, len(cells)))

# 8. A province's units: JS_MAX_UNITS units are read, one more is refused
#    (exit 3) with the limit named.
with open(os.path.join(ROOT, "include", "juesuan", "limits.h"), encoding="utf-8") as fh:
    max_units = int([l.split()[2] for l in fh if l.startswith("#define JS_MAX_UNITS")][0])
ok(max_units >= 300000, "JS_MAX_UNITS (%d) holds a province's several hundred thousand units" % max_units)
dep = os.path.join(g, "departments", "00001")
own = read(os.path.join(dep, "units.csv")).rstrip("\n").split("\n")
for extra, want in ((0, 0), (1, 3)):
    wb = os.path.join(tmp, "units-%d" % extra)
    shutil.copytree(dep, wb)
    n = max_units + extra - (len(own) - 1)
    write(os.path.join(wb, "units.csv"),
          "\n".join(own) + "\n" + "".join("省级单位%07d,事业\n" % i for i in range(n)))
    rc, o, err = run("tables", wb, "--format", "csv")
    if want == 0:
        is_(rc, 0, "%d units: read (the department's tables) %s" % (max_units, err.strip()))
    else:
        ok(rc == 3 and "units.csv:%d:" % (max_units + 2) in err and str(max_units) in err,
           "%d units: refused at the line of the one too many, the limit named: %s" % (max_units + 1, err.strip()))
    shutil.rmtree(wb)

# 9. `tables` reads only the sheets its tables add up: the default
#    profile's none draws on 年初预算, so a broken budget.csv (a bad
#    amount in its last line) changes nothing there, while `check`, which
#    reads every sheet, names it at its line.
wb = os.path.join(tmp, "skip")
shutil.copytree(region, wb)
budget = os.path.join(wb, "budget.csv")
rows = read(budget).rstrip("\n").split("\n")
ok(len(rows) > 100, "the region has a budget.csv of %d lines" % (len(rows) - 1))
f = rows[-1].split(",")
f[3] = "一百元"
rows[-1] = ",".join(f)
write(budget, "\n".join(rows) + "\n")
rc, broken, err = run("tables", wb, "--format", "json")
rc0, intact, err0 = run("tables", region, "--format", "json")
ok(rc == 0 and rc0 == 0 and broken == intact, "tables: the same tables with budget.csv broken as intact " + err)
os.remove(budget)
rc, gone, err = run("tables", wb, "--format", "json")
ok(rc == 0 and gone == intact, "tables: the same tables without budget.csv " + err)
write(budget, "\n".join(rows) + "\n")
rc, o, err = run("check", wb)
ok(rc == 3 and "budget.csv:%d:" % len(rows) in err, "check names budget.csv's bad amount at its line: " + err.strip()[:300])

shutil.rmtree(tmp)
done()
