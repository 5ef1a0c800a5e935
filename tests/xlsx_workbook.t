#!/usr/bin/python3
"""The workbook as .xlsx: a CSV folder converted to .xlsx builds the same
tables and converts back unchanged; the template opens in Excel with
explained headings and drop-down lists; the reader copes with what Excel and
other tools write (numbers as numbers, sheets in any order, empty rows,
merged headings) and names sheet and cell in its messages; zip bombs are
refused."""
import csv
import io
import os
import shutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, ok, run  # noqa: E402

import openpyxl  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-xlsxwb-")


def rows(path):
    """A sheet's rows, padded, without blank rows."""
    with open(path, encoding="utf-8-sig") as fh:
        out = [[c.strip() for c in r] for r in csv.reader(fh) if any(c.strip() for c in r)]
    width = max((len(r) for r in out), default=0)
    return [r + [""] * (width - len(r)) for r in out]


for name in ("qingshan-2024", "synthetic-2024"):
    x = os.path.join(tmp, name + ".xlsx")
    rc, o, err = run("convert", example(name), "-o", x)
    ok(rc == 0 and os.path.exists(x), "%s: convert folder → .xlsx %s" % (name, err))
    a = run("tables", example(name), "--format", "json")[1]
    b = run("tables", x, "--format", "json")[1]
    ok(a and a == b, "%s: the .xlsx gives the same tables.json as the folder" % name)
    back = os.path.join(tmp, name + "-back")
    rc, o, err = run("convert", x, "-o", back)
    same = [f for f in sorted(os.listdir(example(name))) if f.endswith(".csv")]
    diff = [f for f in same if not os.path.exists(os.path.join(back, f)) or rows(os.path.join(example(name), f)) != rows(os.path.join(back, f))]
    ok(rc == 0 and not diff, "%s: .xlsx → folder gives the same sheets (%d)" % (name, len(same)), "differ: %s" % diff)
    wb = openpyxl.load_workbook(x)
    ok("支出" in wb.sheetnames and "收入" in wb.sheetnames, "%s: sheets are named by their Chinese titles" % name)

out = os.path.join(tmp, "out-xlsx")
rc, o, err = run("build", os.path.join(tmp, "qingshan-2024.xlsx"), "-o", out)
out2 = os.path.join(tmp, "out-csv")
run("build", QS, "-o", out2)
is_(open(os.path.join(out, "tables.json"), "rb").read(), open(os.path.join(out2, "tables.json"), "rb").read(),
    "build qingshan-2024.xlsx writes the same tables.json as the CSV example")
rc, o, err = run("check", os.path.join(tmp, "qingshan-2024.xlsx"))
ok(rc == 0 and "错误 0" in o, "check takes a .xlsx workbook")

# the template as .xlsx
t = os.path.join(tmp, "template.xlsx")
rc, o, err = run("template", "-o", t)
ok(rc == 0 and os.path.exists(t), "template -o template.xlsx")
rc, o, err = run("template", "-o", t)
ok(rc == 2, "template refuses to overwrite an existing .xlsx")
wb = openpyxl.load_workbook(t)
ws = wb["支出"]
ok(ws.cell(row=1, column=2).value == "功能分类科目编码" and ws.cell(row=1, column=2).comment is not None,
   "headings carry a comment explaining the column")
lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
ok(any("选项" in (f or "") for f in lists), "closed vocabularies have drop-down lists (%s)" % lists[:3])
ok(wb["选项"].sheet_state == "hidden", "the lists live on a hidden sheet")
rc, o, err = run("tables", t, "--format", "long")
ok(rc == 0 and ",1.00\n" in o, "the template's example rows compile " + err)

# what other tools write: numbers as numbers, reordered sheets, empty rows, merged cells
src = openpyxl.load_workbook(os.path.join(tmp, "qingshan-2024.xlsx"))
exp = src["支出"]
for row in exp.iter_rows(min_row=2):
    cell = row[6]
    if cell.value:
        cell.value = float(cell.value.replace(",", ""))  # a number, not text
exp.insert_rows(5, amount=2)                              # two empty rows
src.move_sheet("支出", offset=-3)                         # sheets in another order
dep = src["部门信息"]
dep.merge_cells("A1:A1")
alt = os.path.join(tmp, "other-tool.xlsx")
src.save(alt)
b = run("tables", alt, "--format", "json")[1]
ok(b == run("tables", QS, "--format", "json")[1], "numbers as numbers, empty rows and reordered sheets read the same")

# messages name the sheet and the cell
bad = openpyxl.load_workbook(os.path.join(tmp, "qingshan-2024.xlsx"))
bad["支出"]["B5"] = "2069998"
badp = os.path.join(tmp, "bad.xlsx")
bad.save(badp)
rc, o, err = run("tables", badp)
ok(rc == 3 and "bad.xlsx!支出!B5" in err and "2069998" in err, "a bad cell is named as 支出!B5: " + err.strip())

# not a workbook, and a zip bomb
junk = os.path.join(tmp, "junk.xlsx")
open(junk, "w").write("not a zip")
rc, o, err = run("tables", junk)
ok(rc == 3 and "junk.xlsx" in err, "a file that is not .xlsx: " + err.strip())
bomb = os.path.join(tmp, "bomb.xlsx")
with zipfile.ZipFile(os.path.join(tmp, "qingshan-2024.xlsx")) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "xl/sharedStrings.xml":
            data = data.replace(b"</sst>", b"<si><t>" + b" " * 60_000_000 + b"</t></si></sst>")
        zout.writestr(item, data)
rc, o, err = run("tables", bomb)
ok(rc == 3 and "过大" in err, "a zip bomb is refused: " + err.strip())
shutil.rmtree(tmp)
done()
