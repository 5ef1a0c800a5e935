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

shutil.rmtree(tmp)
done()
