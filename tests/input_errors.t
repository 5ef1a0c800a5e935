#!/usr/bin/env python3
"""Every input error of a workbook in one run (docs/workbook.md): the lines
and cells of several sheets, each named by file and line (or sheet and
cell in an .xlsx), up to JS_MAX_INPUT_ERRORS (100) and then how many more;
the exit code (3) and the all-or-nothing output are those of one error."""
import csv
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-inputerrors-")


def book(tag, edits):
    """A copy of qingshan-2024 with edits [(sheet, line, column, value)]."""
    dest = os.path.join(tmp, tag)
    shutil.copytree(example("qingshan-2024"), dest)
    for sheet, line, column, value in edits:
        p = os.path.join(dest, sheet)
        rows = list(csv.reader(open(p, encoding="utf-8")))
        rows[line - 1][rows[0].index(column)] = value
        csv.writer(open(p, "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
    return dest


def errors(err):
    return [x for x in err.splitlines() if x.startswith("juesuan: ") and ": 「" in x]


# one error: reported as before, alone
b = book("one", [("expenditure.csv", 3, "经济分类科目编码", "3010X")])
rc, out, err = run("check", b)
ok(rc == 3 and len(err.strip().splitlines()) == 1 and "expenditure.csv:3:3" in err,
   "one error: one line, exit 3: " + err.strip())

# four errors in two sheets: all four, in reading order, nothing written
EDITS = [("expenditure.csv", 3, "经济分类科目编码", "3010X"),
         ("expenditure.csv", 5, "单位", "不存在的单位"),
         ("expenditure.csv", 7, "资金来源", "一般公共预算"),
         ("revenue.csv", 2, "金额(元)", "12x")]
b = book("four", EDITS)
outdir = os.path.join(tmp, "out-four")
rc, out, err = run("build", b, "-o", outdir)
got = errors(err)
is_(rc, 3, "four errors: exit 3, as for one")
ok(not os.path.exists(outdir), "nothing written")
ok(len(got) == 4, "all four errors are listed", err)
ok(all(("%s:%d:" % (s, line)) in g for (s, line, _, _), g in zip(EDITS, got)),
   "each names its file and line, in reading order", "\n".join(got))
ok("共有 4 处错误" in err, "it says how many", err)

# past the limit: the first 100 and how many more
b = book("many", [])
with open(os.path.join(b, "expenditure.csv"), encoding="utf-8") as f:
    first = f.read().splitlines()[1].split(",")
with open(os.path.join(b, "expenditure.csv"), "a", encoding="utf-8") as f:
    for _ in range(150):
        f.write(",".join(first[:2] + ["3010X"] + first[3:]) + "\n")
rc, out, err = run("check", b)
got = errors(err)
ok(rc == 3 and len(got) == 100 and "另有 50 处错误" in err and "共有 150 处错误" in err,
   "150 errors: 100 listed, then 另有 50 处 (%d listed)" % len(got), err[-300:])

# an .xlsx: cells named sheet!cell
b = book("xl", EDITS)
rc, out, err = run("convert", b, "-o", b + ".xlsx")
ok(rc == 0, "converted to .xlsx " + err)
rc, out, err = run("check", b + ".xlsx")
got = errors(err)
ok(rc == 3 and len(got) == 4 and "!支出!C3" in got[0] and "!收入!" in got[3],
   "the .xlsx: the same four, named as sheet!cell", "\n".join(got))
shutil.rmtree(tmp)
done()
