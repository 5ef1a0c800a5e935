#!/usr/bin/env python3
"""The command line: help, version, exit codes, template, build, text layout,
determinism and all-or-nothing output."""
import json
import os
import shutil
import sys
import tempfile
import unicodedata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, is_, long_rows, ok, run  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-cli-")

rc, out, err = run("--version")
ok(rc == 0 and out.startswith("juesuan "), "--version: " + out.strip())
rc, out, err = run("--help")
ok(rc == 0 and all(c in out for c in ("tables", "build", "template", "退出码")), "--help lists the commands and exit codes")
for cmd in ("tables", "build", "template"):
    rc, out, err = run("help", cmd)
    ok(rc == 0 and out.startswith("用法：juesuan " + cmd), "help %s" % cmd)
    rc2, out2, err2 = run(cmd, "--help")
    ok(rc2 == 0 and out2 == out, "%s --help equals help %s" % (cmd, cmd))
rc, out, err = run()
is_(rc, 2, "no command is a usage error")
rc, out, err = run("frobnicate")
ok(rc == 2 and "frobnicate" in err, "unknown command: " + err.strip())
rc, out, err = run("tables")
ok(rc == 2 and "缺少工作簿" in err, "tables without a workbook: " + err.strip())
rc, out, err = run("tables", QS, "--format", "xml")
ok(rc == 2 and "xml" in err, "unknown format: " + err.strip())
rc, out, err = run("tables", QS, "--bogus")
ok(rc == 2 and "--bogus" in err, "unknown option: " + err.strip())
rc, out, err = run("tables", QS, "--profile", "nowhere")
ok(rc == 2 and "nowhere" in err, "unknown profile: " + err.strip())
rc, out, err = run("build", QS)
ok(rc == 2 and "-o" in err, "build needs -o: " + err.strip())
rc, out, err = run("tables", os.path.join(tmp, "missing"))
ok(rc == 3 and "missing" in err, "a missing workbook folder is bad input: " + err.strip())

# template: a loadable workbook with every sheet and a guide
tdir = os.path.join(tmp, "template")
rc, out, err = run("template", "-o", tdir)
ok(rc == 0 and out.strip() == tdir, "template prints its directory")
files = sorted(os.listdir(tdir))
ok("expenditure.csv" in files and "填写说明.txt" in files and len(files) == 24, "template writes 23 sheets and the guide: %s" % files)
guide = open(os.path.join(tdir, "填写说明.txt"), encoding="utf-8").read()
ok("功能分类科目编码" in guide and "一般公共预算财政拨款" in guide, "the guide explains columns and allowed values")
rc, out, err = run("tables", tdir, "--format", "long")
ok(rc == 0, "the template's example rows compile " + err)
vals = {(r["table"], r["row"], r["column"]): r["value"] for r in long_rows(out)}
is_(vals.get(("01", "58", "金额")), "1.00", "the template's example expenditure (10000.00 元) shows as 1.00 万元")

# build: all outputs, path printed, deterministic bytes
o1, o2 = os.path.join(tmp, "out1"), os.path.join(tmp, "out2")
rc, out, err = run("build", QS, "-o", o1)
ok(rc == 0 and out.strip() == o1, "build prints the output directory " + err)
names = sorted(os.listdir(o1))
want = sorted(["tables.json", "tables.txt", "tables-long.csv", "audit.json", "audit.txt", "report.md", "report.html",
              "performance.json", "tables.xlsx", "report.pdf", "score.json",
              "datapackage.json", "fiscal-data.csv", ".juesuan-output"] +
              ["table-%02d.csv" % i for i in range(1, 10)])
is_(names, want, "build writes every output (and the marker that lets the next build replace the folder)")
run("build", QS, "-o", o2)
same = all(open(os.path.join(o1, n), "rb").read() == open(os.path.join(o2, n), "rb").read() for n in names)
ok(same, "two builds give the same bytes")
csv01 = open(os.path.join(o1, "table-01.csv"), "rb").read()
ok(csv01.startswith(b"\xef\xbb\xbf") and "公开01表".encode() in csv01, "table CSVs carry a BOM for Excel")
rc, out, err = run("tables", QS, "--format", "long")
is_(open(os.path.join(o1, "tables-long.csv"), encoding="utf-8").read(), out, "tables-long.csv equals tables --format long")
rc, out, err = run("tables", QS, "-o", os.path.join(tmp, "t.txt"))
ok(rc == 0 and out == "" and open(os.path.join(tmp, "t.txt"), encoding="utf-8").read() ==
   open(os.path.join(o1, "tables.txt"), encoding="utf-8").read(), "tables -o writes the file")


# --format text: the nine tables, every column separator aligned by display width
def width(s):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


rc, text, err = run("tables", QS)
ok(rc == 0 and all("公开%02d表" % i in text for i in range(1, 10)), "text shows all nine tables")
bad = []
for chunk in text.split("公开")[1:]:
    lines = [line for line in chunk.splitlines() if " | " in line]
    if not lines:
        continue
    seps = []
    for line in lines:
        pos, w = [], 0
        for i, ch in enumerate(line):
            if line[i:i + 3] == " | ":
                pos.append(w + 1)
            w += width(ch)
        seps.append(pos)
    full = set(max(seps, key=len))
    bad += [chunk[:5] + ": " + line for line, pos in zip(lines, seps) if not set(pos) <= full]
ok(not bad, "column separators line up in every table", "\n".join(bad[:5]))
ok("  37,083.27" in text and "| 1,025.98" in text, "text amounts carry thousands separators")

# build refuses while the audit finds an error; --force writes and marks
bad_wb = os.path.join(tmp, "wb-error")
shutil.copytree(QS, bad_wb)
with open(os.path.join(bad_wb, "expenditure.csv"), "a", encoding="utf-8") as fh:
    fh.write("武汉市青山区经济信息化和科技创新局(本级),2060101,39999,一般公共预算财政拨款,基本支出,,100.00\n")
o3 = os.path.join(tmp, "out3")
rc, out, err = run("build", bad_wb, "-o", o3)
ok(rc == 1 and not os.path.exists(o3) and "W-001" in err and "--force" in err,
   "build refuses to write while an error stands: " + err.strip().splitlines()[-1])
rc, out, err = run("build", bad_wb, "-o", o3, "--force")
marked = all("未通过审核" in open(os.path.join(o3, n), encoding="utf-8-sig").read()
             for n in os.listdir(o3) if n.startswith("table") and not n.endswith(".xlsx"))
ok(rc == 1 and marked and json.load(open(os.path.join(o3, "tables.json")))["mark"] == "未通过审核",
   "build --force writes every output marked 未通过审核")
rc, out, err = run("check", bad_wb)
ok(rc == 1 and "W-001" in out, "check exits 1 on an error")

# template never overwrites a filled workbook by accident
rc, out, err = run("template", "-o", tdir)
ok(rc == 2 and "不是空的" in err, "template refuses a non-empty directory: " + err.strip())
rc, out, err = run("template", "-o", tdir, "--force")
is_(rc, 0, "template --force overwrites")

# --format csv: one BOM for the whole stream
rc, out, err = run("tables", QS, "--format", "csv")
ok(rc == 0 and out.count("\ufeff") == 1 and out.startswith("\ufeff") and out.count("公开0") == 9,
   "--format csv has nine tables and a single leading BOM")

# a unit's tables: 单位 label, and 三公 (department-level) not claimed empty
rc, out, err = run("tables", example("synthetic-2024"), "--unit", "2")
ok(rc == 0 and "单位：某市示范区中小企业服务中心" in out and "部门：" not in out
   and "无财政拨款三公经费支出" not in out and "不分单位" in out, "unit tables are labelled and honest about 三公")

# a profile named in the workbook that does not exist: bad input, located
wb2 = os.path.join(tmp, "wb-profile")
shutil.copytree(QS, wb2)
dep = open(os.path.join(wb2, "department.csv"), encoding="utf-8").read().replace("配置,default", "配置,nope")
open(os.path.join(wb2, "department.csv"), "w", encoding="utf-8").write(dep)
rc, out, err = run("tables", wb2)
ok(rc == 3 and "department.csv:4:2:" in err and "nope" in err, "unknown profile in the workbook: " + err.strip())

# a typo in a profile's table definition is rejected, not ignored
data2 = os.path.join(tmp, "data")
shutil.copytree(os.environ.get("JUESUAN_DATA", os.path.join(os.path.dirname(QS), "..", "data")), data2)
t05 = os.path.join(data2, "profiles", "default", "tables", "05.json")
text05 = open(t05, encoding="utf-8").read()
open(t05, "w", encoding="utf-8").write(text05.replace('"filter": {\n        "spend"', '"fliter": {\n        "spend"', 1))
rc, out, err = run("tables", QS, "--data", data2)
ok(rc == 3 and "fliter" in err, "unknown key in a table definition: " + err.strip())

# Nothing is left behind when writing fails.
blocked = os.path.join(tmp, "blocked")
os.makedirs(os.path.join(blocked, "table-05.csv"))
open(os.path.join(blocked, "tables.json"), "w").write("old")
rc, out, err = run("build", QS, "-o", blocked)
ok(rc == 4 and open(os.path.join(blocked, "tables.json")).read() == "old" and
   sorted(os.listdir(blocked)) == ["table-05.csv", "tables.json"],
   "a failed build replaces nothing and leaves no file: " + err.strip())

ro = os.path.join(tmp, "ro")
os.makedirs(ro)
open(os.path.join(ro, "keep.txt"), "w").write("x")
os.chmod(ro, 0o555)
if os.geteuid() != 0:
    rc, out, err = run("build", QS, "-o", ro)
    ok(rc == 4 and sorted(os.listdir(ro)) == ["keep.txt"], "an unwritable directory fails with 4 and leaves nothing")
else:
    blocker = os.path.join(tmp, "file-not-dir")
    open(blocker, "w").write("x")
    rc, out, err = run("build", QS, "-o", os.path.join(blocker, "sub"))
    ok(rc == 4 and open(blocker).read() == "x", "an impossible output path fails with 4: " + err.strip())
os.chmod(ro, 0o755)
# build --only picks the outputs
only = os.path.join(tmp, "only")
rc, o, err = run("build", QS, "-o", only, "--only", "pdf,xlsx")
is_(sorted(os.listdir(only)) if rc == 0 else err, [".juesuan-output", "report.pdf", "tables.xlsx"],
    "build --only pdf,xlsx writes just those two (and the marker)")
rc, o, err = run("build", QS, "-o", os.path.join(tmp, "only2"), "--only", "pdf,docx")
ok(rc == 2 and "docx" in err and not os.path.exists(os.path.join(tmp, "only2")), "an unknown --only kind is named: " + err.strip())
shutil.rmtree(tmp)
done()
