#!/usr/bin/python3
"""Batch mode over Excel 97-2003 (.xls) departments, every output, the PDF
included, on two threads at once (`make tsan` runs it under
ThreadSanitizer: the .xls reader and the PDF renderers of two departments
run side by side). Each .xls department gives the same tables, audit and
PDF text as the same department as a CSV folder; -v prints one line per
department with its outcome and counts, -q and -v together are a usage
error. The .xls files are made with python3-xlwt (tests/lib/spreadsheets.py)
from the generator's CSV departments."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import spreadsheets  # noqa: E402
from tap import JUESUAN, ROOT, done, is_, ok, run  # noqa: E402

GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))
tmp = tempfile.mkdtemp(prefix="juesuan-batch-xls-")
NAMES = ["%05d" % i for i in range(1, 5)]


def path(*parts):
    return os.path.join(tmp, *parts)


def readb(p):
    with open(p, "rb") as fh:
        return fh.read()


p = subprocess.run([GEN, "-o", path("gen"), "-n", str(len(NAMES)), "-l", "400", "--no-region"],
                   capture_output=True, text=True)
ok(p.returncode == 0, "the generator writes %d departments %s" % (len(NAMES), p.stderr))
csv_dir = path("gen", "departments")
xls_dir = path("xls")
os.mkdir(xls_dir)
for n in NAMES:
    rc, _, err = run("convert", os.path.join(csv_dir, n), "-o", path(n + ".xlsx"))
    ok(rc == 0, "convert %s to .xlsx %s" % (n, err))
    spreadsheets.write_xls(path(n + ".xlsx"), os.path.join(xls_dir, n + ".xls"))
ok(sorted(os.listdir(xls_dir)) == [n + ".xls" for n in NAMES], "one .xls per department")

# both folders built in batch on two threads, every output
for src, out in ((csv_dir, path("out-csv")), (xls_dir, path("out-xls"))):
    rc, stdout, err = run("build", src, "-o", out, "--jobs", "2", "--force")
    ok(rc in (0, 1) and "无法读取 0 个" in stdout, "batch build of %s on two threads %s" % (os.path.basename(src), err))

for n in NAMES:
    a, b = path("out-csv", "departments", n), path("out-xls", "departments", n)
    ok(os.path.exists(b) and readb(os.path.join(a, "tables.json")) == readb(os.path.join(b, "tables.json")),
       "%s: the .xls department's tables.json equals the CSV folder's" % n)
    # the same findings, located in the sheet instead of the CSV file
    found = []
    for d in (a, b):
        with open(os.path.join(d, "audit.json"), encoding="utf-8") as fh:
            doc = json.load(fh)
        found.append((doc["summary"], sorted((f["rule"], f["severity"], f.get("location", {}).get("line"), f.get("expected_fen"), f.get("actual_fen")) for f in doc["findings"])))
    ok(found[0] == found[1], "%s: the .xls department's audit has the same findings (%d)" % (n, len(found[0][1])))
    texts = []
    for d in (a, b):
        t = subprocess.run(["pdftotext", "-layout", os.path.join(d, "report.pdf"), "-"], capture_output=True)
        texts.append(t.stdout if t.returncode == 0 else None)
    ok(texts[0] and texts[0] == texts[1], "%s: the .xls department's report.pdf reads as the CSV folder's" % n)

# -v: one line per department as it finishes; -q and -v: a usage error
rc, _, err = run("check", xls_dir, "-v", "--jobs", "2")
ok(rc in (0, 1), "check -v of the .xls departments: exit %d" % rc, err)
lines = [l for l in err.splitlines() if l.startswith("[")]
is_(len(lines), len(NAMES), "check -v prints one line per department")
seen = sorted(re.match(r"\[(\d+)/%d\] (\d{5}) " % len(NAMES), l).group(2) for l in lines
              if re.match(r"\[(\d+)/%d\] (\d{5}) " % len(NAMES), l))
ok(seen == NAMES, "each line names its department, counted out of %d" % len(NAMES), err)
ok(all(re.search(r"：(未?通过)（错误 \d+，核实 \d+，提示 \d+），\d+ 毫秒$", l) for l in lines),
   "each line gives the outcome, the counts and the time: " + (lines[0] if lines else ""), err)
done_numbers = sorted(int(re.match(r"\[(\d+)/", l).group(1)) for l in lines)
is_(done_numbers, list(range(1, len(NAMES) + 1)), "the lines count the departments done, 1 to %d" % len(NAMES))
rc, out, err = run("check", xls_dir, "-q", "-v")
ok(rc == 2 and "不能同时使用" in err and out == "", "-q with -v is a usage error: " + err.strip().split("\n")[0])
rc, out, err = run("check", os.path.join(csv_dir, NAMES[0]), "-v")
ok(rc == 2 and "批量模式" in err, "-v on check of one workbook is a usage error (nothing more to say)")
rc, out, err = run("build", os.path.join(csv_dir, NAMES[0]), "-o", path("one"), "-v", "--force", "--only", "json,txt")
listed = re.findall(r"^  (\S+)\s+(\d+) 字节$", err, re.M)
is_(sorted(n for n, _ in listed), ["tables.json", "tables.txt"], "build -v lists the files written")
ok(listed and all(int(s) == os.path.getsize(path("one", n)) for n, s in listed), "with their sizes")

shutil.rmtree(tmp)
done()
