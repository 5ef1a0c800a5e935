#!/usr/bin/env python3
"""Batch mode: `check DIR` and `build DIR -o OUT` over a folder of generated
department workbooks. The summary counts, the consolidated tables (汇总) equal
the generator's combined workbook, outputs do not depend on --jobs, bad
departments are skipped or held back, .xlsx departments are read, usage errors,
and a department's audit equals the single-workbook audit."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import JUESUAN, ROOT, done, is_, ok, run  # noqa: E402

GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))
tmp = tempfile.mkdtemp(prefix="juesuan-batch-")
NAMES = ["%05d" % i for i in range(1, 13)]
TABLE_CSVS = ["table-%02d.csv" % i for i in range(1, 10)]
REGION_FILES = sorted([".juesuan-output", "tables.json", "tables.txt", "tables-long.csv", "audit.json", "audit.txt"] + TABLE_CSVS)


def path(*parts):
    return os.path.join(tmp, *parts)


def read(p, enc="utf-8"):
    with open(p, encoding=enc) as fh:
        return fh.read()


def readb(p):
    with open(p, "rb") as fh:
        return fh.read()


def write(p, text):
    with open(p, "w", encoding="utf-8") as fh:
        fh.write(text)


def jrun(*args):
    """Runs juesuan with --format json; returns (exit code, parsed JSON or None, stderr)."""
    rc, out, err = run(*(list(args) + ["--format", "json"]))
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, None, err + out


def fen_cells(tables):
    """Every money cell of a tables.json document, in fen, by row identity."""
    cells = {}
    for t in tables["tables"]:
        for row in t["rows"]:
            for key, cell in row["cells"].items():
                if isinstance(cell, dict) and "fen" in cell:
                    k = (t["id"], row["block"], row["row"], row["code"], row["name"], key)
                    cells[k] = cells.get(k, 0) + (cell["fen"] or 0)
    return cells


def tree(top):
    """Relative path -> bytes of every file under top."""
    files = {}
    for d, _, names in os.walk(top):
        for n in names:
            p = os.path.join(d, n)
            files[os.path.relpath(p, top)] = readb(p)
    return files


# ---- 1. twelve generated departments, all passing -------------------------
g = path("gen")
try:
    p = subprocess.run([GEN, "-o", g, "-n", "12", "-l", "3000"], capture_output=True)
    gen_rc, gen_err = p.returncode, p.stderr.decode("utf-8", "replace")
except OSError as e:
    gen_rc, gen_err = -1, "%s: %s" % (GEN, e)
if not ok(gen_rc == 0 and os.path.isdir(os.path.join(g, "departments")),
          "gen writes 12 departments and the region", gen_err):
    shutil.rmtree(tmp)
    done()
D = os.path.join(g, "departments")
REGION = os.path.join(g, "region")
is_(sorted(os.listdir(D)), NAMES, "the generator wrote departments 00001 … 00012")

rc, out, err = run("check", D)
is_(rc, 0, "check DIR over 12 passing departments exits 0 " + err)
lines = out.splitlines()
is_(lines[:3], ["批量审核：%s，共 12 个部门" % D,
                "  通过 12 个，未通过 0 个（审核有错误），无法读取 0 个",
                "  2024 年度汇总：12 个部门，汇总表审核：错误 0，核实 0，提示 0"],
    "the summary counts 12 departments, 12 passed, one 2024 consolidation of 12 without findings")
ok("未通过的部门" not in out and "无法读取的部门" not in out, "no failed or unreadable listing when all pass")
text_rules = {}
if "按规则：" in lines:
    for line in lines[lines.index("按规则：") + 1:]:
        if not line.startswith("  "):
            break
        f = line.split()
        text_rules[f[0]] = (f[1], int(f[2]), int(f[3].split("，")[1]))

rc, S1, err = jrun("check", D)
ok(rc == 0 and S1 is not None, "check DIR --format json exits 0 " + err)
S1 = S1 or {"list": [], "rules": [], "consolidated": []}
is_([S1.get(k) for k in ("departments", "passed", "failed", "unreadable")], [12, 12, 0, 0],
    "JSON: departments 12, passed 12, failed 0, unreadable 0")
is_([(x["name"], x["status"], x.get("department"), x.get("error"), x.get("published")) for x in S1["list"]],
    [(n, "passed", "生成部门" + n, 0, True) for n in NAMES],
    "JSON list: every department by name, passed, named, no errors, published")
is_(S1["consolidated"], [{"year": 2024, "departments": 12, "dir": "汇总", "error": 0, "verify": 0, "info": 0}],
    "JSON consolidated: one 2024 region of 12 departments, no findings")
sev_label = {"error": "错误", "verify": "核实", "info": "提示"}
is_({r["rule"]: (sev_label[r["severity"]], r["findings"], r["departments"]) for r in S1["rules"]}, text_rules,
    "the text 按规则 lines equal the JSON rules")
for sev in ("error", "verify", "info"):
    is_(sum(r["findings"] for r in S1["rules"] if r["severity"] == sev), sum(x.get(sev, 0) for x in S1["list"]),
        "rules add up to the departments' %s findings" % sev)
ok(sum(x["verify"] for x in S1["list"]) > 0, "the departments do have findings to count (核实)")
single = []
for n in NAMES:
    rc, a, err = jrun("check", os.path.join(D, n))
    single.append(a["summary"]["verify"] if a else None)
is_([x["verify"] for x in S1["list"]], single, "each department's count equals its own check --format json")

# ---- 2. the consolidated tables equal the combined workbook's -------------
TOP = [".juesuan-output", "departments", "summary.json", "summary.txt", "汇总"]
O = path("o-jobs1")
rc, out, err = run("check", D, "-o", O, "--jobs", "1")
is_(rc, 0, "check DIR -o OUT exits 0 " + err)
is_(sorted(os.listdir(O)), sorted(TOP), "check -o writes departments/, 汇总 and the summary (and the marker)")
is_(sorted(os.listdir(os.path.join(O, "departments"))), NAMES, "check -o writes a folder per department in departments/")
ok(all(sorted(os.listdir(os.path.join(O, "departments", n))) == [".juesuan-output", "audit.json", "audit.txt"] for n in NAMES),
   "check -o writes audit.txt and audit.json per department")
is_(sorted(os.listdir(os.path.join(O, "汇总"))), REGION_FILES, "汇总 holds the tables, nine CSVs and the audit")
is_(read(os.path.join(O, "summary.txt")), out, "summary.txt is what check printed")
ok(out.splitlines()[2].endswith("；见 汇总"), "with -o the summary points at 汇总: " + out.splitlines()[2])
is_(json.loads(read(os.path.join(O, "summary.json"))), S1, "summary.json equals check --format json")

R = path("region-out")
rc, out, err = run("build", REGION, "-o", R, "--only", "csv,long,json")
is_(rc, 0, "build of the combined region workbook " + err)
H = os.path.join(O, "汇总")
figures = {}
for name in TABLE_CSVS:
    a = read(os.path.join(H, name), "utf-8-sig")
    b = read(os.path.join(R, name), "utf-8-sig") if os.path.exists(os.path.join(R, name)) else ""
    la, lb = a.splitlines(), b.splitlines()
    ok(len(la) > 3 and la[2].startswith("部门：汇总（12个部门）,") and len(lb) > 3 and
       lb[2].startswith("部门：生成地区（12个部门）,"), "%s names the entities: %s / %s" %
       (name, la[2:3], lb[2:3]))
    figures[name] = sum(1 for line in la for c in line.split(",") if c.replace(".", "", 1).isdigit() and "." in c)
    is_(a.replace("部门：汇总（12个部门）", "部门：X"), b.replace("部门：生成地区（12个部门）", "部门：X"),
        "汇总 %s equals the combined workbook's, figure by figure" % name)
ok(sum(figures.values()) > 1000 and sum(1 for v in figures.values() if v) >= 7,
   "the compared tables carry figures: %s" % figures)
is_(read(os.path.join(H, "tables-long.csv")), read(os.path.join(R, "tables-long.csv")),
    "汇总 tables-long.csv equals the combined workbook's")
ha, hb = json.loads(read(os.path.join(H, "tables.json"))), json.loads(read(os.path.join(R, "tables.json")))
is_((ha["department"], ha["entity"]), ("汇总（12个部门）", "汇总（12个部门）"), "汇总 tables.json names the consolidation")
ok(ha["tables"] == hb["tables"], "汇总 tables.json tables equal the combined workbook's")

# ---- 3. determinism across --jobs -------------------------------------------
for jobs in ("2", "5"):
    O2 = path("o-jobs" + jobs)
    rc, out, err = run("check", D, "-o", O2, "--jobs", jobs)
    t1, t2 = tree(O), tree(O2)
    is_(sorted(t2), sorted(t1), "--jobs %s writes the same files as --jobs 1" % jobs)
    for f in ("summary.json", "summary.txt"):
        ok(t1.get(f) is not None and t1.get(f) == t2.get(f), "%s: --jobs 1 and --jobs %s give the same bytes" % (f, jobs))
    hz = sorted(f for f in t1 if f.startswith("汇总" + os.sep))
    ok(len(hz) == 15 and all(t1[f] == t2.get(f) for f in hz), "汇总: --jobs 1 and --jobs %s give the same bytes" % jobs)
    ok(all(t1[f] == t2.get(f) for f in t1), "every output: --jobs 1 and --jobs %s give the same bytes" % jobs)

# ---- 4. an unreadable and a failing department ------------------------------
B = path("bad")
shutil.copytree(D, B)
exp = os.path.join(B, "00003", "expenditure.csv")
rows = read(exp).split("\n")
f = rows[4].split(",")
f[-1] = "abc"
rows[4] = ",".join(f)
write(exp, "\n".join(rows))
rev = os.path.join(B, "00007", "revenue.csv")
rows = read(rev).split("\n")
hit = next(i for i, r in enumerate(rows) if r.split(",")[2:3] == ["一般公共预算财政拨款"])
f = rows[hit].split(",")
f[-1] = "%.2f" % (Decimal(f[-1]) + 100)
rows[hit] = ",".join(f)
write(rev, "\n".join(rows))

rc, out, err = run("check", B)
is_(rc, 3, "an unreadable department makes check exit 3 (over the failing one's 1)")
lines = out.splitlines()
is_(lines[:3], ["批量审核：%s，共 12 个部门" % B,
                "  通过 10 个，未通过 1 个（审核有错误），无法读取 1 个",
                "  2024 年度汇总：10 个部门，汇总表审核：错误 0，核实 0，提示 0"],
    "summary: 10 passed, 1 failed, 1 unreadable; the consolidation covers 10")
ok("  W-006  错误 1 条，1 个部门" in lines, "按规则 counts the W-006 error once, in one department")
i = lines.index("未通过的部门：") if "未通过的部门：" in lines else -1
ok(i > 0 and lines[i + 1].startswith("  00007 生成部门00007：错误 "), "the failed department is listed: %s" %
   (lines[i + 1:i + 2]))
i = lines.index("无法读取的部门（已跳过）：") if "无法读取的部门（已跳过）：" in lines else -1
msg = lines[i + 1] if 0 < i < len(lines) - 1 else ""
ok(msg.startswith("  " + exp + ":5:") and "abc" in msg, "the unreadable one names file and line: " + msg)
ok(i == len(lines) - 2, "the unreadable listing has just that one department")

rc, S4, err = jrun("check", B)
is_(rc, 3, "check --format json exits 3 too")
S4 = S4 or {"list": [], "rules": [], "consolidated": [{}]}
is_([S4.get(k) for k in ("departments", "passed", "failed", "unreadable")], [12, 10, 1, 1],
    "JSON: 12 departments, 10 passed, 1 failed, 1 unreadable")
want = {n: ("unreadable" if n == "00003" else "failed" if n == "00007" else "passed") for n in NAMES}
is_({x["name"]: x["status"] for x in S4["list"]}, want, "JSON statuses: 00003 unreadable, 00007 failed, rest passed")
is_([x["name"] for x in S4["list"] if x["published"]], [n for n in NAMES if n not in ("00003", "00007")],
    "JSON: only the passing departments are published")
bad = {x["name"]: x for x in S4["list"]}
ok("expenditure.csv:5:" in bad.get("00003", {}).get("message", "") and "department" not in bad.get("00003", {}) and
   "error" not in bad.get("00003", {}), "JSON: the unreadable entry carries the located message and no counts")
ok(bad.get("00007", {}).get("error", 0) >= 1 and "message" not in bad.get("00007", {}),
   "JSON: the failed entry counts its errors")
ok({"rule": "W-006", "severity": "error", "findings": 1, "departments": 1} in S4["rules"], "JSON rules: W-006 once")
is_(S4["consolidated"][0].get("departments"), 10, "JSON consolidated: 10 departments")

BO = path("bad-check")
rc, out, err = run("check", B, "-o", BO)
is_(rc, 3, "check -o exits 3 as well")
is_(sorted(os.listdir(os.path.join(BO, "departments"))), sorted([n for n in NAMES if n != "00003"]),
    "check -o writes the audit of every readable department (the failed one too), not the unreadable one")
a7 = json.loads(read(os.path.join(BO, "departments", "00007", "audit.json")))
ok(any(x["rule"] == "W-006" and x["severity"] == "error" for x in a7["findings"]), "the failed department's audit shows W-006")
is_(read(os.path.join(BO, "汇总", "table-01.csv"), "utf-8-sig").splitlines()[2], "部门：汇总（10个部门）,金额单位：万元",
    "the 汇总 tables are of 10 departments")
want_cells = {}
for n in NAMES:
    if n in ("00003", "00007"):
        continue
    rc, t, err = jrun("tables", os.path.join(B, n))
    for k, v in fen_cells(t or {"tables": []}).items():
        want_cells[k] = want_cells.get(k, 0) + v
got_cells = fen_cells(json.loads(read(os.path.join(BO, "汇总", "tables.json"))))
diff = ["%s: 汇总 %s, sum %s" % (k, got_cells.get(k), want_cells.get(k)) for k in sorted(set(got_cells) | set(want_cells), key=str)
        if got_cells.get(k, 0) != want_cells.get(k, 0)]
ok(not diff and sum(got_cells.values()) > 0, "every 汇总 cell is the sum of the 10 passing departments (%d cells)" %
   len(got_cells), "\n".join(diff[:10]))
O3 = path("bad-check-jobs1")
run("check", B, "-o", O3, "--jobs", "1")
t1, t2 = tree(O3), tree(BO)
ok(t1 and t1 == t2, "with failures too, --jobs 1 and the default give the same files and bytes")

# ---- 5. build: failed and unreadable departments are not published --------
BB = path("bad-build")
rc, out, err = run("build", B, "-o", BB)
ok(rc == 3, "build DIR exits 3 with an unreadable department", "exit %d: %s" % (rc, err[-4000:]))
is_(out.splitlines()[:2], ["批量生成：%s，共 12 个部门" % B, "  通过 10 个，未通过 1 个（审核有错误），无法读取 1 个"],
    "build prints the summary")
passing = [n for n in NAMES if n not in ("00003", "00007")]
is_(sorted(os.listdir(BB)) if os.path.isdir(BB) else None, sorted(TOP), "build writes departments/, 汇总 and the summary")
is_(sorted(os.listdir(os.path.join(BB, "departments"))), sorted(passing),
    "build writes the 10 passing departments only, 汇总 and the summary")
is_(read(os.path.join(BB, "summary.txt")), out, "build's summary.txt is what it printed")
sj = json.loads(read(os.path.join(BB, "summary.json")))
is_((sj["passed"], sj["failed"], sj["unreadable"], sj["consolidated"][0]["departments"]), (10, 1, 1, 10),
    "build summary.json: 10 / 1 / 1, 10 consolidated")
S = path("single-00001")
run("build", os.path.join(B, "00001"), "-o", S)
ts, tb = tree(S), tree(os.path.join(BB, "departments", "00001"))
ok(len(ts) >= 18 and ts == tb, "a department's batch outputs equal its single build, byte for byte (%d files)" % len(ts),
   "single %s\nbatch  %s" % (sorted(ts), sorted(tb)))
is_(sorted(os.listdir(os.path.join(BB, "汇总"))), REGION_FILES, "build writes the 汇总 tables")

BF = path("bad-force")
rc, out, err = run("build", B, "-o", BF, "--force", "--only", "json,csv")
is_(rc, 3, "build --force still exits 3 for the unreadable department")
is_(sorted(os.listdir(os.path.join(BF, "departments"))), sorted([n for n in NAMES if n != "00003"]),
    "build --force writes the failed department too, never the unreadable")
ok(json.loads(read(os.path.join(BF, "departments", "00007", "tables.json"))).get("mark") == "未通过审核",
   "the forced department's tables are marked 未通过审核")
sj = json.loads(read(os.path.join(BF, "summary.json")))
is_((sj["consolidated"][0]["departments"], {x["name"]: x["published"] for x in sj["list"]}["00007"]), (11, True),
    "with --force the failed department is published and consolidated (11)")
ok("部门：汇总（11个部门）,金额单位：万元" in read(os.path.join(BF, "汇总", "table-01.csv"), "utf-8-sig").splitlines(),
   "the forced 汇总 tables are of 11 departments")
ok(json.loads(read(os.path.join(BF, "汇总", "tables.json"))).get("mark") == "未通过审核",
   "the forced 汇总 fails its own audit (W-006's imbalance reaches T01) and is marked 未通过审核")
ok(sj["consolidated"][0]["error"] > 0 and "未通过审核" in read(os.path.join(BF, "汇总", "table-01.csv"), "utf-8-sig"),
   "the 汇总's errors are counted and its CSV tables carry the mark")

shutil.rmtree(os.path.join(B, "00003"))
rc, out, err = run("check", B)
ok(rc == 1 and out.splitlines()[1] == "  通过 10 个，未通过 1 个（审核有错误），无法读取 0 个",
   "without the unreadable one, an audit error makes check exit 1: " + out.splitlines()[1])

# ---- 6. an .xlsx department beside folders ---------------------------------
X = path("xlsx")
os.makedirs(X)
rc, out, err = run("convert", os.path.join(D, "00005"), "-o", os.path.join(X, "00005.xlsx"))
is_(rc, 0, "convert a department folder to .xlsx " + err)
for n in ("00001", "00002"):
    shutil.copytree(os.path.join(D, n), os.path.join(X, n))
os.makedirs(os.path.join(X, "not-a-workbook"))
write(os.path.join(X, "readme.txt"), "x")
rc, S6, err = jrun("check", X)
is_(rc, 0, "check over two folders and an .xlsx exits 0 " + err)
S6 = S6 or {"list": []}
is_((S6.get("departments"), S6.get("passed")), (3, 3), "3 departments, 3 passed (other files and folders ignored)")
is_([(x["name"], os.path.basename(x["path"]), x["status"], x.get("department")) for x in S6["list"]],
    [("00001", "00001", "passed", "生成部门00001"), ("00002", "00002", "passed", "生成部门00002"),
     ("00005", "00005.xlsx", "passed", "生成部门00005")], "the .xlsx department is read and named without .xlsx")
is_([x.get("verify") for x in S6["list"]], [single[0], single[1], single[4]],
    "the .xlsx department has the same findings as its folder")
XO = path("xlsx-out")
rc, out, err = run("check", X, "-o", XO)
ok(rc == 0 and os.path.isfile(os.path.join(XO, "departments", "00005", "audit.json")), "check -o writes the .xlsx department's audit")
# A folder and an .xlsx of one name would share an output folder: refused.
shutil.copy(os.path.join(X, "00005.xlsx"), os.path.join(X, "00001.xlsx"))
rc, S6b, err = jrun("check", X)
S6b = S6b or {"list": []}
clash = [x for x in S6b["list"] if x["status"] == "unreadable"]
ok(rc == 3 and len(clash) == 1 and clash[0]["path"].endswith("00001.xlsx") and "同名" in clash[0].get("message", ""),
   "an .xlsx named like a folder is reported and skipped: %s" % [x.get("message") for x in clash])
is_((S6b.get("passed"), S6b.get("consolidated", [{}])[0].get("departments")), (3, 3),
    "the other three departments are checked and consolidated")

# ---- progress: a bar on a terminal, nothing otherwise ------------------------
rc, out, err = run("check", D)
is_(err, "", "without a terminal, check DIR writes nothing on stderr")
if shutil.which("script"):
    cmd = "%s check %s > /dev/null" % (JUESUAN, D)
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True)
    tty = p.stdout.decode("utf-8", "replace")
    ok(p.returncode == 0 and "\r批量审核 [" in tty and " 0/12" in tty and tty.endswith("\r\x1b[K"),
       "on a terminal, stderr shows a progress bar (批量审核 [■…] n/12) and clears it: %r" % tty[:60])
else:
    ok(True, "# SKIP script(1) not installed: no terminal to test the progress bar")

# ---- 7. usage errors ---------------------------------------------------------
for bad_jobs in ("0", "x", "65", "2x"):
    rc, out, err = run("check", D, "--jobs", bad_jobs)
    ok(rc == 2 and "--jobs" in err and out == "", "--jobs %s is a usage error: %s" % (bad_jobs, err.strip().splitlines()[0]
                                                                                      if err.strip() else ""))
rc, out, err = run("check", D, "--jobs", "64")
is_(rc, 0, "--jobs 64 is allowed")
E = path("empty")
os.makedirs(E)
rc, out, err = run("check", E)
ok(rc == 3 and E in err and out == "", "an empty directory is bad input (3): " + err.strip())
rc, out, err = run("build", E, "-o", path("empty-out"))
ok(rc == 3 and not os.path.exists(path("empty-out")), "build over an empty directory: 3, nothing written")
rc, out, err = run("check", D, "--format", "csv")
ok(rc == 2 and "格式" in err and out == "", "--format csv is a usage error in batch: " + err.strip().split("\n")[0])
rc, out, err = run("build", D)
ok(rc == 2 and "-o" in err, "batch build without -o is a usage error")
rc, out, err = run("check", D, "--unit", "1")
is_(rc, 2, "--unit is a usage error in batch")

# ---- 8. a department's audit equals the single-workbook audit --------------
A = path("audit-00004")
rc, out, err = run("build", os.path.join(D, "00004"), "-o", A, "--only", "audit")
is_(rc, 0, "build one department --only audit " + err)
for f in ("audit.json", "audit.txt"):
    single_bytes = readb(os.path.join(A, f)) if os.path.exists(os.path.join(A, f)) else None
    ok(single_bytes and single_bytes == readb(os.path.join(O, "departments", "00004", f)),
       "00004/%s from check -o equals build --only audit, byte for byte" % f)
A7 = path("audit-00007")
rc, out, err = run("build", os.path.join(B, "00007"), "-o", A7, "--only", "audit", "--force")
is_(rc, 1, "build --force of the failing department exits 1")
ok(os.path.exists(os.path.join(A7, "audit.json")) and
   readb(os.path.join(A7, "audit.json")) == readb(os.path.join(BO, "departments", "00007", "audit.json")),
   "the failing department's audit.json from check -o equals its single build, byte for byte")
rc, out, err = run("check", os.path.join(B, "00007"), "--format", "json")
is_(out.encode("utf-8"), readb(os.path.join(BO, "departments", "00007", "audit.json")), "and equals check WORKBOOK --format json")

shutil.rmtree(tmp)
done()
