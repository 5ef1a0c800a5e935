"""Workbooks as finance offices send them, made from a CSV example for the
tests: an Excel 97-2003 .xls (python3-xlwt, from Debian) or an .xlsx
(python3-openpyxl) whose numbers are numbers and whose 公开日期 is a date
cell, in the 1900 or the 1904 date system. The sheets and their Chinese
titles come from the .xlsx that `juesuan convert` writes, so the schema is
not repeated here."""
import datetime
import re

import openpyxl
import xlwt
from openpyxl.utils.datetime import CALENDAR_MAC_1904

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def typed(value, heading):
    """A cell's value as a spreadsheet program keeps it: numbers as numbers
    (codes and amounts alike), dates as dates, text as text."""
    if value is None or value == "":
        return None
    m = DATE.match(value)
    if m and heading in ("公开日期", "填报日期"):
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if NUMBER.match(value) and not value.startswith("0") or value == "0":
        return float(value) if "." in value else int(value)
    return value


def sheets(converted_xlsx):
    """(title, rows) of every data sheet of a converted workbook, values typed."""
    wb = openpyxl.load_workbook(converted_xlsx)
    out = []
    for ws in wb:
        if ws.sheet_state != "visible":
            continue
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        typed_rows = [rows[0]] if rows else []
        for r in rows[1:]:
            # a keyed sheet (项目, 内容): the key names the value's kind
            key = r[0] if r else None
            typed_rows.append([typed(v, key if i == 1 else rows[0][i]) if isinstance(v, str) else v
                               for i, v in enumerate(r)])
        out.append((ws.title, typed_rows))
    return out


def write_xls(converted_xlsx, path, dates_1904=False):
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    date_style = xlwt.easyxf(num_format_str="yyyy/m/d")
    money_style = xlwt.easyxf(num_format_str="#,##0.00")
    for title, rows in sheets(converted_xlsx):
        ws = wb.add_sheet(title)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                if v is None:
                    continue
                if isinstance(v, datetime.date):
                    ws.write(i, j, v, date_style)
                elif isinstance(v, float):
                    ws.write(i, j, v, money_style)
                else:
                    ws.write(i, j, v)
    wb.save(path)


def write_xlsx(converted_xlsx, path, dates_1904=False):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if dates_1904:
        wb.epoch = CALENDAR_MAC_1904
    for title, rows in sheets(converted_xlsx):
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    c.data_type = "s"  # text, not a formula (the operator "=")
                if isinstance(c.value, datetime.date):
                    c.number_format = "yyyy\"年\"m\"月\"d\"日\""
    wb.save(path)
