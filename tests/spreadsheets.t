#!/usr/bin/python3
"""The files finance offices actually send: an Excel 97-2003 .xls (as 久其
and many finance systems export), a WPS .et, an .xlsx whose numbers are
numbers and whose dates are date cells (1900 and 1904 date systems), CSV
sheets named by their Chinese titles — each read to the same tables as the
CSV example. Formats not read (.ods, HTML saved as .xls, a single CSV) are
refused with a message naming the formats read and how to save as .xlsx;
a date that is none is a located error. The .xls files are made with
python3-xlwt and the .xlsx with python3-openpyxl (tests/lib/spreadsheets.py)."""
import csv
import datetime
import io
import os
import shutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, ok, run  # noqa: E402

import openpyxl  # noqa: E402
import spreadsheets  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-sheets-")
converted = os.path.join(tmp, "converted.xlsx")
rc, _, err = run("convert", QS, "-o", converted)
ok(rc == 0, "convert the example to .xlsx " + err)
want = run("tables", QS, "--format", "json")[1]
ok(want.startswith("{"), "the example's tables.json")
READ = "可读取的格式：CSV 工作簿目录、Excel 工作簿（.xlsx）、Excel 97-2003 工作簿（.xls）和 WPS 表格（.et）"
SAVE = "另存为”选择“Excel 工作簿（*.xlsx）”"


def cover_date(book):
    """The 公开日期 the report prints, from a build of book's report.md."""
    out = os.path.join(tmp, "out-" + os.path.basename(book))
    rc, _, err = run("build", book, "-o", out, "--only", "md")
    if rc != 0:
        return err
    md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
    return "2025年11月5日" if "2025年11月5日" in md else md[:400]


books = {
    "q.xls": (spreadsheets.write_xls, False),
    "q-1904.xls": (spreadsheets.write_xls, True),
    "q-typed.xlsx": (spreadsheets.write_xlsx, False),
    "q-1904.xlsx": (spreadsheets.write_xlsx, True),
}
for name, (write, d1904) in books.items():
    path = os.path.join(tmp, name)
    write(converted, path, d1904)
    rc, got, err = run("tables", path, "--format", "json")
    ok(rc == 0 and got == want, "%s: the same tables.json as the CSV example %s" % (name, err))
    is_(cover_date(path), "2025年11月5日", "%s: the 公开日期 date cell prints as the date" % name)

# the date cells really are dates, in the system each workbook declares
for name, system in (("q-typed.xlsx", False), ("q-1904.xlsx", True)):
    wb = openpyxl.load_workbook(os.path.join(tmp, name))
    ws = wb["部门信息"]
    cell = [r[1] for r in ws.iter_rows() if r[0].value == "公开日期"][0]
    with zipfile.ZipFile(os.path.join(tmp, name)) as z:
        raw = z.read("xl/workbook.xml").decode()
    ok(cell.is_date and cell.value == datetime.datetime(2025, 11, 5) and ('date1904="1"' in raw) == system,
       "%s: 公开日期 is a date cell in the %s system" % (name, "1904" if system else "1900"))

# a WPS .et: read when it is BIFF, as WPS writes it; otherwise refused clearly
et = os.path.join(tmp, "q.et")
shutil.copy(os.path.join(tmp, "q.xls"), et)
rc, got, err = run("tables", et, "--format", "json")
ok(rc == 0 and got == want, "a WPS .et (BIFF) gives the same tables.json " + err)
data = open(et, "rb").read()
other = os.path.join(tmp, "other.et")
# the same compound file without its Workbook stream (a format of WPS's own)
open(other, "wb").write(data.replace("Workbook".encode("utf-16-le"), "Wxrkbook".encode("utf-16-le")))
rc, _, err = run("tables", other)
ok(rc == 3 and "WPS 表格文件（.et）" in err and SAVE in err, "an .et that is not BIFF is refused with how to save as .xlsx",
   err)

# formats not read
ods = os.path.join(tmp, "report.ods")
with zipfile.ZipFile(ods, "w") as z:
    z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    z.writestr("content.xml", "<office:document-content/>")
html = os.path.join(tmp, "export.xls")
open(html, "w", encoding="utf-8").write("<html><body><table><tr><td>单位</td></tr></table></body></html>")
single = os.path.join(tmp, "expenditure.csv")
shutil.copy(os.path.join(QS, "expenditure.csv"), single)
for path, what in ((ods, "OpenDocument 表格（.ods）"), (html, "网页（HTML）"), (single, "单个 CSV 文件")):
    for cmd in ("tables", "check", "build"):
        args = [cmd, path] + (["-o", os.path.join(tmp, "never")] if cmd == "build" else [])
        rc, out, err = run(*args)
        ok(rc == 3 and what in err and READ in err and SAVE in err and "JSON" not in err,
           "%s %s: refused, naming what it is, the formats read and how to save as .xlsx" % (cmd, os.path.basename(path)),
           err)
ok(not os.path.exists(os.path.join(tmp, "never")), "no output for a refused file")

# a date cell that is no date, and a typed date that is none: located errors
bad = openpyxl.load_workbook(os.path.join(tmp, "q-typed.xlsx"))
ws = bad["部门信息"]
row = [r for r in ws.iter_rows() if r[0].value == "公开日期"][0]
row[1].value = 3000000
row[1].number_format = "yyyy-mm-dd"
bad.save(os.path.join(tmp, "bad-serial.xlsx"))
rc, _, err = run("tables", os.path.join(tmp, "bad-serial.xlsx"))
ok(rc == 3 and "部门信息!B%d" % row[1].row in err and "不是有效日期" in err, "a date cell past 9999 is a located error", err)
row[1].value = "garbage"
row[1].number_format = "General"
bad.save(os.path.join(tmp, "bad-text.xlsx"))
rc, _, err = run("tables", os.path.join(tmp, "bad-text.xlsx"))
ok(rc == 3 and "部门信息!B%d" % row[1].row in err and "'garbage' 不是有效的日期" in err, "公开日期 'garbage' is a located error",
   err)

# 填报日期 of the 绩效自评 sheet: a date column
perf = os.path.join(tmp, "perf")
shutil.copytree(QS, perf)
path = os.path.join(perf, "perf_items.csv")
rows = list(csv.reader(open(path, encoding="utf-8", newline="")))
k = rows[0].index("填报日期")
rows[1][k] = "2025/3/31"
with open(path, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
rc, got, err = run("tables", perf, "--format", "json")
ok(rc == 0 and got == want, "填报日期 2025/3/31 is read as a date " + err)
rows[1][k] = "2025-13-01"
with open(path, "w", encoding="utf-8", newline="") as f:
    csv.writer(f, lineterminator="\n").writerows(rows)
rc, _, err = run("tables", perf)
ok(rc == 3 and "perf_items.csv:2:%d" % (k + 1) in err and "'2025-13-01' 不是有效的日期" in err,
   "填报日期 2025-13-01 is a located error", err)

# every sheet of a CSV folder named by its Chinese title
cn = os.path.join(tmp, "中文表名")
os.mkdir(cn)
titles = {ws.title: ws for ws in openpyxl.load_workbook(converted)}
back = os.path.join(tmp, "back")
rc, _, err = run("convert", converted, "-o", back)
names = {}
for f in sorted(os.listdir(back)):
    # the converted workbook's sheet holding this file's heading row is its title
    head = open(os.path.join(back, f), encoding="utf-8-sig").readline().strip()
    title = [t for t, ws in titles.items() if ",".join(str(c.value) for c in next(ws.iter_rows()) if c.value) == head]
    names[f] = title[0] + ".csv" if len(title) == 1 else f
    shutil.copy(os.path.join(back, f), os.path.join(cn, names[f]))
ok(all(n != f for f, n in names.items() if f in ("department.csv", "expenditure.csv", "revenue.csv", "units.csv")),
   "the folder's sheets are named 部门信息.csv, 支出.csv, … (%s)" % ", ".join(sorted(names.values())[:6]))
rc, got, err = run("tables", cn, "--format", "json")
ok(rc == 0 and got == want, "a folder of Chinese-named sheets gives the same tables.json " + err)
os.rename(os.path.join(cn, "收入.csv"), os.path.join(cn, "收入明细.csv"))
rc, _, err = run("tables", cn)
ok(rc == 3 and "缺少工作表「收入」" in err and "找到的工作表：" in err and "收入明细.csv" in err,
   "a renamed sheet's message lists the sheets found", err)

# convert from .xls, and CSV for Excel carries a BOM
xback = os.path.join(tmp, "from-xls")
rc, _, err = run("convert", os.path.join(tmp, "q.xls"), "-o", xback)
ok(rc == 0 and all(open(os.path.join(xback, f), "rb").read(3) == b"\xef\xbb\xbf" for f in os.listdir(xback)),
   "convert .xls → folder writes every sheet with a UTF-8 BOM " + err)
rc, got, err = run("tables", xback, "--format", "json")
ok(rc == 0 and got == want, "the folder converted from .xls gives the same tables.json " + err)
rc, got, err = run("tables", QS, "--format", "csv")
ok(rc == 0 and got.startswith("\ufeff"), "tables --format csv into a pipe starts with the BOM Excel needs")

shutil.rmtree(tmp)
done()
