#!/usr/bin/env python3
"""Every 项 (7-digit functional code) that a bundled example uses has its
说明 in the dictionary of the example's edition, so the report's 名词解释
never prints an item without its text. The codes are read from the
examples' sheets (every sheet with a 功能分类科目编码 column), the edition
from department.csv (分类科目版本, default 年度); .xlsx examples are first
converted to CSV sheets by juesuan convert."""
import csv
import glob
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, is_, ok, run  # noqa: E402

CODE_COLUMN = "功能分类科目编码"


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def department(wb):
    """department.csv as {项目: 内容}, cells trimmed as the reader does."""
    return {r[0].strip(): r[1].strip() for r in read_csv(os.path.join(wb, "department.csv"))[1:] if len(r) >= 2}


def used_codes(wb):
    """{code: [sheet:line, …]} for every 7-digit code in a 功能分类科目编码 column."""
    codes = {}
    sheets = []
    for path in sorted(glob.glob(os.path.join(wb, "*.csv"))):
        rows = read_csv(path)
        if not rows:
            continue
        head = [h.strip() for h in rows[0]]
        if CODE_COLUMN not in head:
            continue
        col = head.index(CODE_COLUMN)
        sheets.append(os.path.basename(path))
        for line, r in enumerate(rows[1:], start=2):
            v = r[col].strip() if col < len(r) else ""
            if len(v) == 7 and v.isdigit():
                codes.setdefault(v, []).append("%s:%d" % (os.path.basename(path), line))
    return codes, sheets


_dicts = {}


def dictionary(edition):
    """{编码: (名称, 说明)} of data/dict/<edition>/functional.csv, or None."""
    if edition not in _dicts:
        path = os.path.join(ROOT, "data", "dict", edition, "functional.csv")
        if not os.path.exists(path):
            _dicts[edition] = None
        else:
            rows = read_csv(path)
            _dicts[edition] = {r[0]: (r[1], r[2] if len(r) > 2 else "") for r in rows[1:] if r}
    return _dicts[edition]


def check(label, wb):
    dept = department(wb)
    edition = dept.get("分类科目版本") or dept.get("年度", "")
    ok(edition.isdigit(), "%s: edition %r from department.csv" % (label, edition))
    d = dictionary(edition)
    if not ok(d is not None, "%s: data/dict/%s/functional.csv exists" % (label, edition)):
        return
    codes, sheets = used_codes(wb)
    ok(codes, "%s: %d 项 used in %s" % (label, len(codes), ", ".join(sheets) or "no sheet"))
    unknown = sorted(c for c in codes if c not in d)
    ok(not unknown, "%s: every 项 used is in the %s dictionary" % (label, edition),
       "\n".join("%s (%s)" % (c, ", ".join(codes[c][:3])) for c in unknown))
    # the budget phase's sheets (budget_*.csv, docs/budget.md) are printed
    # by the budget narrative, which names no 说明
    bare = sorted(c for c in codes if c in d and not d[c][1].strip()
                  and any(not at.startswith("budget_") for at in codes[c]))
    ok(not bare, "%s: every 项 used has a 说明 (%d of %d)" % (label, len(codes) - len(bare) - len(unknown), len(codes)),
       "\n".join("%s %s (%s)" % (c, d[c][0], ", ".join(codes[c][:3])) for c in bare))


examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*")))
dirs = [e for e in examples if os.path.isfile(os.path.join(e, "department.csv"))]
books = [e for e in examples if e.endswith(".xlsx")]
ok(dirs, "there are CSV examples (%d)" % len(dirs))
for wb in dirs:
    check("examples/" + os.path.basename(wb), wb)

tmp = tempfile.mkdtemp(prefix="juesuan-dictnotes-")
try:
    for book in books:
        label = "examples/" + os.path.basename(book)
        out = os.path.join(tmp, os.path.basename(book)[:-5])
        rc, _, err = run("convert", book, "-o", out)
        if is_(rc, 0, "%s: convert to CSV sheets exits 0 %s" % (label, err)):
            check(label, out)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

# The texts keep the dictionary's style: no trailing 。, half-width parentheses.
for edition in sorted(k for k, v in _dicts.items() if v):
    odd = sorted(c for c, (_, t) in _dicts[edition].items()
                 if t and (t != t.strip() or t.endswith("。") or "（" in t or "）" in t))
    ok(not odd, "%s: 说明 texts have no trailing 。 nor full-width parentheses" % edition, " ".join(odd[:30]))
done()
