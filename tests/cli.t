#!/usr/bin/env python3
"""The command line: help, version, exit codes, template, build, text layout,
determinism and all-or-nothing output."""
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
ok("expenditure.csv" in files and "填写说明.txt" in files and len(files) == 14, "template writes 13 sheets and the guide: %s" % files)
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
want = sorted(["tables.json", "tables.txt", "tables-long.csv"] + ["table-%02d.csv" % i for i in range(1, 10)])
is_(names, want, "build writes every output")
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

# Nothing is left behind when writing fails.
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
shutil.rmtree(tmp)
done()
