#!/usr/bin/python3
"""The workbook as .xlsx: a CSV folder converted to .xlsx builds the same
tables and converts back unchanged; the template opens in Excel with
explained headings and drop-down lists; the reader copes with what Excel and
other tools write (numbers as numbers, sheets in any order, empty rows,
merged headings) and names sheet and cell in its messages; zip and XML
bombs are refused."""
import csv
from decimal import Decimal
import io
import os
import re
import shutil
import sys
import tempfile
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, long_rows, ok, run  # noqa: E402

import openpyxl  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-xlsxwb-")


def rows(path):
    """A sheet's rows, padded, without blank rows."""
    with open(path, encoding="utf-8-sig") as fh:
        out = [[c.strip() for c in r] for r in csv.reader(fh) if any(c.strip() for c in r)]
    width = max((len(r) for r in out), default=0)
    return [r + [""] * (width - len(r)) for r in out]


def rows_of_xlsx(path):
    """Every sheet's cell values, for comparing two workbooks' data."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[c.value for c in r] for r in ws.iter_rows()] for ws in wb}


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
    BOM = b"\xef\xbb\xbf"
    bytes_diff = [f for f in same if not os.path.exists(os.path.join(back, f)) or
                  BOM + open(os.path.join(example(name), f), "rb").read() != open(os.path.join(back, f), "rb").read()]
    ok(rc == 0 and not bytes_diff, "%s: folder → .xlsx → folder is byte-identical but for the BOM Excel needs" % name,
       "differ: %s" % bytes_diff)
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
ok(rc == 0 and any(r["value"] == "1.00" for r in long_rows(o)), "the template's example rows compile " + err)

# the committed example .xlsx is the CSV example converted, and builds the same
committed = os.path.join(os.path.dirname(QS), "qingshan-2024.xlsx")
ok(rows_of_xlsx(committed) == rows_of_xlsx(os.path.join(tmp, "qingshan-2024.xlsx")),
   "examples/qingshan-2024.xlsx holds the CSV example's data (re-run juesuan convert if not)")
out3 = os.path.join(tmp, "out-committed")
rc, o, err = run("build", committed, "-o", out3, "--only", "json,md")
ok(rc == 0 and open(os.path.join(out3, "tables.json"), "rb").read() == open(os.path.join(out2, "tables.json"), "rb").read(),
   "build examples/qingshan-2024.xlsx writes the same tables.json as the CSV example " + err)

# a template filled in by a script, as a person would type it (amounts as
# numbers), builds the same report as the CSV example
SHEETS = {"department.csv": "部门信息", "units.csv": "单位", "expenditure.csv": "支出", "revenue.csv": "收入",
          "carryover.csv": "结转结余", "surplus.csv": "结余使用和分配", "budget.csv": "年初预算",
          "prior_year.csv": "上年数", "figures.csv": "其他金额", "sangong.csv": "三公经费",
          "procurement.csv": "政府采购", "assets.csv": "资产", "text.csv": "文本", "keywork.csv": "重点工作",
          "perf_items.csv": "绩效自评", "perf_indicators.csv": "绩效指标",
          "budget_expenditure.csv": "预算支出", "budget_revenue.csv": "预算收入", "budget_carryover.csv": "上年结转",
          "budget_sangong.csv": "三公经费预算", "budget_figures.csv": "预算其他金额",
          "budget_procurement.csv": "政府采购预算", "budget_targets.csv": "绩效目标"}
blank = os.path.join(tmp, "blank.xlsx")
run("template", "-o", blank)
form = openpyxl.load_workbook(blank)
for fname, title in SHEETS.items():
    ws = form[title]
    ws.delete_rows(2, ws.max_row)
    path = os.path.join(QS, fname)
    if not os.path.exists(path):
        continue
    data = rows(path)
    heads = [c.value for c in ws[1]]
    # the example may give amounts in 万元 where the template asks for 元
    wan = {h: h[:-len("(元)")] + "(万元)" for h in heads if h and h.endswith("(元)")}
    unused = [h for h in data[0] if h not in heads and h not in wan.values()]
    ok(not unused, "template sheet %s has a column for every column of %s" % (title, fname), "missing %s" % unused)
    for r in data[1:]:
        rec = dict(zip(data[0], r))
        line = []
        for h in heads:
            if rec.get(h):
                line.append(float(rec[h]) if h in wan else rec[h])
            elif rec.get(wan.get(h)):
                line.append(float(Decimal(rec[wan[h]]) * 10000))
            else:
                line.append(None)
        ws.append(line)
# openpyxl, like Excel, takes text such as "=100%" (an indicator value) for
# a formula, and saves it without a computed value: the reader must say so
filled = os.path.join(tmp, "filled.xlsx")
form.save(filled)
rc, o, err = run("tables", filled)
ok(rc == 3 and "filled.xlsx!绩效指标!F" in err and "公式" in err, "a formula without a value is named: " + err.strip())
for ws in form:
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"  # what the person meant: text
form.save(filled)
out4 = os.path.join(tmp, "out-filled")
rc, o, err = run("build", filled, "-o", out4, "--only", "json,md")
ok(rc == 0, "build the filled template " + err)
for f in ("tables.json", "report.md"):
    a = open(os.path.join(out2, f), "rb").read()
    b = open(os.path.join(out4, f), "rb").read() if os.path.exists(os.path.join(out4, f)) else b""
    ok(a == b, "the filled template builds the same %s" % f)

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

# rich text runs with phonetic guides, a namespace prefix on every element,
# and amounts typed in full-width digits: the same tables
FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def rich(m):
    t = m.group(1)
    if len(t) < 2 or "&" in t:  # keep entities whole
        return m.group(0)
    if re.fullmatch(r"[0-9]+\.[0-9]{2}", t):
        return "<si><t>%s</t></si>" % t.translate(FULL)
    h = len(t) // 2
    return '<si><r><rPr><b/></rPr><t>%s</t></r><r><t>%s</t></r><rPh sb="0" eb="1"><t>ヨミ</t></rPh></si>' % (t[:h], t[h:])


def rezip(name, edit):
    """The committed example .xlsx with edit(part, data) applied to every
    part (None drops the part), written as tmp/name."""
    path = os.path.join(tmp, name)
    with zipfile.ZipFile(committed) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = edit(item.filename, zin.read(item.filename))
            if data is not None:
                zout.writestr(item, data)
    return path


def styled_part(part, data):
    if part == "xl/sharedStrings.xml":
        return re.sub(r"<si><t>([^<]*)</t></si>", rich, data.decode("utf-8")).encode("utf-8")
    if part.startswith("xl/worksheets/"):
        x = data.decode("utf-8").replace('xmlns="http://schemas', 'xmlns:x="http://schemas')
        return re.sub(r"<(/?)(?=[a-zA-Z])(?!x:|\?)", r"<\1x:", x).encode("utf-8")
    return data


S3 = "xl/worksheets/sheet3.xml"
styled = rezip("styled.xlsx", styled_part)
ok(run("tables", styled, "--format", "json")[1] == run("tables", QS, "--format", "json")[1],
   "rich text runs, phonetic guides, prefixed XML and full-width amounts read the same")

# messages name the sheet and the cell
bad = openpyxl.load_workbook(os.path.join(tmp, "qingshan-2024.xlsx"))
bad["支出"]["B5"] = "2069998"
badp = os.path.join(tmp, "bad.xlsx")
bad.save(badp)
rc, o, err = run("tables", badp)
ok(rc == 3 and "bad.xlsx!支出!B5" in err and "2069998" in err, "a bad cell is named as 支出!B5: " + err.strip())

# merged cells: a 单位 merged down two rows leaves the lower one empty;
# the message says the cell is part of the merge and where the value is
mg = openpyxl.load_workbook(os.path.join(tmp, "qingshan-2024.xlsx"))
ws = mg["支出"]
ok(ws["A2"].value == ws["A3"].value, "支出 rows 2 and 3 are of one unit (%s)" % ws["A2"].value)
ws.merge_cells("A2:A3")
mgp = os.path.join(tmp, "merged.xlsx")
mg.save(mgp)
rc, o, err = run("tables", mgp)
ok(rc == 3 and "merged.xlsx!支出!A3" in err and "合并单元格 A2:A3" in err and "左上角的 A2" in err,
   "a needed value in a merge's lower cell: named as part of the merge A2:A3, the value in A2: " + err.strip())
# a merge whose other cells are not needed (a heading) changes nothing
mg = openpyxl.load_workbook(os.path.join(tmp, "qingshan-2024.xlsx"))
mg["支出"].merge_cells("F2:F3")  # 项目名称, empty in both
mg.save(mgp)
rc, o, err = run("tables", mgp, "--format", "json")
ok(rc == 0 and o == run("tables", QS, "--format", "json")[1], "a merge of empty optional cells reads the same " + err)

# not a workbook, and a zip bomb
junk = os.path.join(tmp, "junk.xlsx")
open(junk, "w").write("not a zip")
rc, o, err = run("tables", junk)
ok(rc == 3 and "junk.xlsx" in err, "a file that is not .xlsx: " + err.strip())
bomb = rezip("bomb.xlsx", lambda part, data: data.replace(b"</sst>", b"<si><t>" + b" " * 60_000_000 + b"</t></si></sst>")
             if part == "xl/sharedStrings.xml" else data)
rc, o, err = run("tables", bomb)
ok(rc == 3 and "过大" in err, "a zip bomb is refused: " + err.strip())
# damaged or unusual parts: a clear message naming the cell, or the same tables
def mutated(name, part, old=None, new=None):
    """part with old replaced by new once; dropped when old is None."""
    def edit(p, data):
        if p != part:
            return data
        if old is None:
            return None
        assert old.encode() in data, (part, old)
        return data.replace(old.encode(), new.encode(), 1)
    return rezip(name, edit)


for name, part, old, new, want in (
        ("ss-range.xlsx", S3, '<c r="B2" t="s"><v>34</v>', '<c r="B2" t="s"><v>4294967296000</v>',
         "ss-range.xlsx!支出!B2: 单元格引用的共享字符串不存在"),
        ("no-rels.xlsx", "xl/_rels/workbook.xml.rels", None, None, "缺少 xl/_rels/workbook.xml.rels"),
        ("row-dup.xlsx", S3, '<row r="3"', '<row r="2"', "row-dup.xlsx!支出 第2行: 行号重复或顺序颠倒"),
        ("cell-order.xlsx", S3, '<c r="B2" t="s">', '<c r="A2" t="s">', "cell-order.xlsx!支出!A2: 单元格重复或顺序颠倒"),
        ("far-cell.xlsx", S3, '<c r="B2" t="s">', '<c r="ZZZZ2" t="s">', "far-cell.xlsx!支出!ZZZZ2: 单元格超出列数上限"),
        ("bad-wb.xlsx", "xl/workbook.xml", "<sheets>", "<sheets><", "bad-wb.xlsx: 工作簿中的 xl/workbook.xml 已损坏")):
    out5 = os.path.join(tmp, "out-" + name)
    rc, o, err = run("build", mutated(name, part, old, new), "-o", out5)
    ok(rc == 3 and want in err and not os.path.exists(out5), "%s: %s" % (name, err.strip()))
# an empty styled cell far to the right, and a formula result with binary noise
wide = mutated("wide.xlsx", S3, "</row>", '<c r="BZ1" s="1"/></row>')
noisy = mutated("noisy.xlsx", S3, '<c r="G2" t="s"><v>38</v></c>', '<c r="G2"><f>A1*1</f><v>814900.00000000012</v></c>')
is_(run("tables", wide, "--format", "json")[1:] + run("tables", noisy, "--format", "json")[1:],
    (run("tables", QS, "--format", "json")[1], "") * 2,
    "an empty cell beyond the last column and a 17-digit formula result read as the CSV example")

# an XML entity bomb (billion laughs) in a worksheet: expat's amplification limit
bomb_xml = open(os.path.join(os.path.dirname(QS), "..", "fuzz", "corpus", "fuzz_xlsx", "billion-laughs"), "rb").read()
laughs = rezip("laughs.xlsx", lambda part, data: bomb_xml if part == S3 else data)
rc, o, err = run("tables", laughs)
ok(rc == 3 and "laughs.xlsx!支出" in err and "XML" in err, "an XML entity bomb is refused, naming the sheet: " + err.strip())
shutil.rmtree(tmp)
done()
