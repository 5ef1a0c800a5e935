#!/usr/bin/python3
"""tables.xlsx, read back by an independent reader (Debian's python3-openpyxl):
every cell equals the table as laid out (table-NN.csv) and every figure
equals tables.json; sheet names, merged headings, frozen rows and A4
print setup one page wide (landscape where the columns need it) follow the
official layout; the 绩效自评表 follow as
sheets of their own."""
import csv
import io
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, ok, run  # noqa: E402

import openpyxl  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-xlsx-")
for name in ("qingshan-2024", "synthetic-2024"):
    out = os.path.join(tmp, name)
    rc, o, err = run("build", example(name), "-o", out, "--force")
    ok(rc in (0, 1) and os.path.exists(os.path.join(out, "tables.xlsx")), "%s: build writes tables.xlsx %s" % (name, err))
    wb = openpyxl.load_workbook(os.path.join(out, "tables.xlsx"))
    doc = json.load(open(os.path.join(out, "tables.json"), encoding="utf-8"))
    tsheets = [s for s in wb.sheetnames if s.startswith("公开")]
    psheets = wb.sheetnames[len(tsheets):]
    is_(len(tsheets), len(doc["tables"]), "%s: one sheet per table, first" % name)
    ok(all(len(s) <= 31 for s in wb.sheetnames), "%s: sheet names like 公开01表 …, ≤ 31 characters" % name)
    # then one sheet per 绩效自评表, with its figures
    perf_path = os.path.join(out, "performance.json")
    items = json.load(open(perf_path, encoding="utf-8"))["items"] if os.path.exists(perf_path) else []
    is_([s.split(" ")[0] for s in psheets], ["绩效自评表%d" % (k + 1) for k in range(len(items))],
        "%s: then one sheet per 绩效自评表 (%d)" % (name, len(items)))
    bad = []
    for it, sheet in zip(items, psheets):
        vals = [v for row in wb[sheet].iter_rows(values_only=True) for v in row if v is not None]
        total = vals[vals.index("总分") + 1] if "总分" in vals else None
        nums = [v for v in vals if isinstance(v, (int, float))]
        if not sheet.endswith(it["name"][:31 - len(sheet.split(" ")[0]) - 1]) or total != float(it["total"]) or \
                float(it["budget"]) not in nums or float(it["executed"]) not in nums:
            bad.append("%s: 总分 %s (want %s), 预算数 %s, 执行数 %s" % (sheet, total, it["total"], it["budget"], it["executed"]))
    ok(not bad, "%s: each 自评表 sheet carries its item's 预算数, 执行数 and 总分 as numbers" % name, "\n".join(bad))
    bad = []
    for t, sheet in zip(doc["tables"], tsheets):
        ws = wb[sheet]
        if not sheet.startswith(t["number"]):
            bad.append("sheet %s for table %s" % (sheet, t["number"]))
            continue
        # every cell of the laid-out table (the CSV has the same rows)
        grid = list(csv.reader(io.StringIO(open(os.path.join(out, "table-%s.csv" % t["id"]), encoding="utf-8-sig").read())))
        nline = 0
        for r, line in enumerate(grid, start=1):
            if r <= 3:
                continue
            nline += 1
            for c, text in enumerate(line, start=1):
                v = ws.cell(row=r, column=c).value
                got = "" if v is None else "%.2f" % v if isinstance(v, (int, float)) else str(v)
                if text and got != text and not (got == "" and ws.cell(row=r, column=c).coordinate in ws.merged_cells):
                    bad.append("%s %s: xlsx %r csv %r" % (sheet, ws.cell(row=r, column=c).coordinate, got, text))
        # every figure of tables.json is there, and nothing else
        want = sorted(float(cell["wan"]) for row in t["rows"] for cell in row["cells"].values() if cell["wan"])
        got = sorted(v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, float) or (isinstance(v, int) and not isinstance(v, bool)))
        if [round(x, 2) for x in got] != want:
            bad.append("%s: figures differ from tables.json (%d vs %d)" % (sheet, len(got), len(want)))
        # A4 one page wide: landscape where the columns need it (公开05 and 08 are narrow enough for portrait)
        widths = sum(d.width for d in ws.column_dimensions.values() if d.width)
        want = "portrait" if sheet.startswith(("公开05表", "公开08表")) else "landscape" if sheet.startswith(("公开02表", "公开03表")) else None
        if (ws.page_setup.orientation not in ("landscape", "portrait") or (want and ws.page_setup.orientation != want)
                or int(ws.page_setup.paperSize) != 9
                or not ws.sheet_properties.pageSetUpPr.fitToPage or int(ws.page_setup.fitToWidth or 1) != 1
                or not ws.freeze_panes or not ws.print_title_rows):
            bad.append("%s: print setup %s %s %s %s (columns %.0f wide)" % (sheet, ws.page_setup.orientation, ws.page_setup.paperSize,
                                                                        ws.freeze_panes, ws.print_title_rows, widths))
    ok(not bad, "%s: every cell equals the laid-out table and tables.json" % name, "\n".join(bad[:20]))
    ws = wb[wb.sheetnames[0]]
    ranges = sorted(str(r) for r in ws.merged_cells.ranges)
    ok("A4:C4" in ranges and "D4:F4" in ranges, "%s: 01's 收入 and 支出 headings are merged (%s)" % (name, ranges))
    ws5 = next(wb[s] for s in wb.sheetnames if s.startswith("公开05表"))
    ok(any(str(r) == "C4:E4" for r in ws5.merged_cells.ranges), "%s: 05's 本年支出 heading spans its three columns" % name)
    ws9 = next(wb[s] for s in wb.sheetnames if s.startswith("公开09表"))
    r9 = {str(r) for r in ws9.merged_cells.ranges}
    ok({"A5:A6", "B5:B6", "C5:E5", "F5:F6"} <= r9, "%s: 09's one-level headings span down to the sub-headings (%s)" % (name, sorted(r9)))
    ws7 = next(wb[s] for s in wb.sheetnames if s.startswith("公开07表"))
    r7 = {str(r) for r in ws7.merged_cells.ranges}
    ok({"C4:C5", "E4:G4", "H4:H5"} <= r7 and "A5:A6" not in r7, "%s: 07's 年初/年末 headings span two lines, not the 栏次 line" % name)
    # typography: 宋体, columns as wide as the title, heading rows as high as their wrapped headings
    fonts = {c.font.name for s in wb.sheetnames for row in wb[s].iter_rows() for c in row if c.value is not None}
    is_(fonts, {"宋体"}, "%s: every cell is set in 宋体" % name)
    ws8 = next(wb[s] for s in wb.sheetnames if s.startswith("公开08表"))
    title = ws8.cell(row=2, column=1).value
    width8 = sum(d.width for d in ws8.column_dimensions.values() if d.width)
    ok(width8 >= 2 * len(title) * 14 / 11, "%s: 08's columns (%.0f) are as wide as its 14 pt title (%d characters)" % (name, width8, len(title)))
    h9 = ws9.row_dimensions[6].height
    ok(h9 and h9 >= 2 * 14, "%s: 09's row of wrapped sub-headings is two lines high (%s pt), not over the 栏次 row" % (name, h9))
# --force on a workbook with an error marks the workbook too
bad_wb = os.path.join(tmp, "bad")
shutil.copytree(example("qingshan-2024"), bad_wb)
with open(os.path.join(bad_wb, "expenditure.csv"), "a", encoding="utf-8") as fh:
    fh.write("武汉市青山区经济信息化和科技创新局(本级),2060101,39999,一般公共预算财政拨款,基本支出,,100.00\n")
rc, o, err = run("build", bad_wb, "-o", os.path.join(tmp, "bad-out"), "--force")
wb = openpyxl.load_workbook(os.path.join(tmp, "bad-out", "tables.xlsx"))
ok(rc == 1 and all(any("未通过审核" in str(v) for row in wb[s].iter_rows(max_row=1, values_only=True) for v in row if v)
                   for s in wb.sheetnames), "a forced build marks every sheet 未通过审核")
# a 项目名称 ending in an apostrophe: the sheet name drops it (Excel refuses
# a name that starts or ends with one), and the workbook is written
apos = os.path.join(tmp, "apos")
shutil.copytree(example("qingshan-2024"), apos)
for name in ("perf_items.csv", "perf_indicators.csv"):
    p = os.path.join(apos, name)
    text = open(p, encoding="utf-8").read().replace("经济运行", "经济运行'")
    open(p, "w", encoding="utf-8").write(text)
rc, o, err = run("build", apos, "-o", os.path.join(tmp, "apos-out"), "--only", "xlsx")
names = openpyxl.load_workbook(os.path.join(tmp, "apos-out", "tables.xlsx")).sheetnames if rc == 0 else []
ok(rc == 0 and "绩效自评表2 经济运行" in names, "a trailing apostrophe is left out of the sheet name %s %s" % (err, names[9:11]))
shutil.rmtree(tmp)
done()
