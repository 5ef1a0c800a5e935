#!/usr/bin/env python3
"""Absent is not zero: for each example workbook, every optional sheet
removed in turn, every text.csv key removed in turn and sangong.csv's
上年决算数 column removed; each time the published text (report.md) must
make no claim from what is absent, leave no half sentence and no heading
with nothing under it (tests/lib/claims.py), and no public output may name
a schema file. The sheets the document needs (prior_year, sangong, procurement, assets) are
an error when absent: check exits 1 naming the sheet and build refuses,
writing nothing."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in tests/lib
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import done, example, ok, run  # noqa: E402
import claims  # noqa: E402

EXAMPLES = ["qingshan-2024", "synthetic-2024", "sparse-2024"]
CORE = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv"}
DOCUMENT = ["prior_year.csv", "sangong.csv", "procurement.csv", "assets.csv"]
ONLY = "md,html,txt,json,csv,long"

tmp = tempfile.mkdtemp(prefix="juesuan-absent-")

# the schema's sheet files, from the tool itself
rc, o, err = run("template", "-o", os.path.join(tmp, "template"))
SCHEMA = sorted(f for f in os.listdir(os.path.join(tmp, "template")) if f.endswith(".csv"))
ok(rc == 0 and len(SCHEMA) >= 10 and CORE <= set(SCHEMA), "template lists the schema's sheet files: %s" % " ".join(SCHEMA), err)

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


# ---- the checker itself: it finds what it is for, and nothing in good text
def doc(**sec):
    """A skeleton report.md with the given 第三部分 sections (一 … 十三)."""
    heads = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    body = "".join("### %s、标题\n\n%s\n\n" % (h, sec.get(h, "")) for h in heads)
    return "# 2024年度某局部门决算公开\n\n## 第三部分 某局2024年度部门决算情况说明\n\n" + body + \
        "## 第五部分 名词解释\n\n" + sec.get("名词", "(一)基本支出：指为保障机构正常运转而发生的支出。") + "\n"


GOOD = doc(一="2024年度收、支总计100万元。与2023年度相比，收、支总计各增加10万元，增长11.1%，主要原因是新增项目。",
           六="人员经费50万元，主要包括：基本工资、对个人和家庭的补助。",
           十三="共涉及项目27个，资金35626.59万元。")
BAD = [
    ("a definition ending in 指", doc(名词="(一)一般公共预算财政拨款收入：指。"), ()),
    ("an empty 主要原因是", doc(一="收、支总计各增加10万元，主要原因是。"), ()),
    ("an empty 主要原因是：", doc(十="机关运行经费支出1万元。主要原因是：。"), ()),
    ("。；", doc(五="1. 某(项)。年初预算为1万元，支出决算为2万元。；\n2. 某(项)。"), ()),
    ("a 个 without its number", doc(十三="全面开展绩效自评个，资金1万元。"), ()),
    ("a line of bare punctuation", doc(名词="(一)基本支出：指支出；\n；\n"), ()),
    ("an unnumbered 名词解释 fragment", doc(名词="财政一般公共预算当年拨付的资金。"), ()),
    ("a 【待补充 marker", doc(一="主要原因是【待补充：收支总体增减原因】。"), ()),
    ("an amount run into the next clause", doc(十三="资金37083.27万元根据评价指标。"), ()),
    ("与2023年度相比 without prior_year.csv", GOOD, {"prior_year.csv"}),
    ("a 2023 chart figure without prior_year.csv", doc(一="图1：变动\n\n- 2023年度：0.00万元\n- 2024年度：1.00万元"), {"prior_year.csv"}),
    ("比2023年度决算数 without the key", doc(四="一般公共预算财政拨款收入1万元，比2023年度决算数增加1万元。"),
     {"prior_year.csv:一般公共预算财政拨款收入"}),
    ("较上年 without 上年决算数", doc(九="1. 因公出国(境)费全年预算为0万元，支出决算为0万元，较上年持平。"), {"sangong.csv:上年决算数"}),
    ("无公务接待 without sangong.csv", doc(九="本单位全年无因公出国(境)、无公务用车、无公务接待。"), {"sangong.csv"}),
    ("无政府采购 without procurement.csv", doc(十一="2024年度某局无政府采购支出。"), {"procurement.csv"}),
    ("共有车辆 without assets.csv", doc(十二="截至2024年12月31日，某局共有车辆0辆。"), {"assets.csv"}),
    ("机关运行经费 without figures.csv", doc(十="2024年度某局机关运行经费支出0万元，与年初预算数持平。"), {"figures.csv"}),
    ("未填报 without perf_items.csv", doc(十三="本部门2024年度未填报绩效自评数据。"), {"perf_items.csv"}),
    ("年初预算为0 without budget.csv", doc(五="一般公共预算财政拨款支出年初预算为0万元，支出决算为1万元。"), {"budget.csv"}),
]
ok(not claims.problems(GOOD), "claims.py finds nothing in good text", "\n".join(claims.problems(GOOD)))
for what, md, gone in BAD:
    ok(claims.problems(md, gone), "claims.py finds %s" % what)
FULL = doc(**{h: "本节有内容。" for h in ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]})
ok(not claims.empty_sections(FULL), "claims.py finds no empty section when each has text",
   "\n".join(claims.empty_sections(FULL)))
ok(claims.empty_sections(FULL.replace("### 十、标题\n\n本节有内容。", "### 十、标题\n\n")) == ["empty section: ### 十、标题"],
   "claims.py finds a section heading with nothing under it")
ok(claims.empty_sections(FULL + "\n## 第六部分 附件\n\n") == ["empty section: ## 第六部分 附件"],
   "claims.py finds an empty part at the end")
ok(claims.file_names("见 perf_items.csv 与 table-01.csv", ["perf_items.csv", "text.csv"], "x") and
   not claims.file_names("table-01.csv tables-long.csv", ["text.csv", "prior_year.csv"], "x"),
   "claims.py finds schema file names, not output names")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def csv_rows(path):
    return list(csv.reader(io.StringIO(read(path).lstrip("\ufeff"))))


def write_rows(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def public_texts(out, pdf):
    """(name, text) of every public output: not audit.txt / audit.json."""
    for f in sorted(os.listdir(out)):
        p = os.path.join(out, f)
        if f in ("report.md", "report.html", "tables.txt", "tables.json", "tables-long.csv") or \
           (f.startswith("table-") and f.endswith(".csv")):
            yield f, read(p)
    if pdf:
        p = os.path.join(out, "report.pdf")
        if os.path.exists(p):
            t = subprocess.run(["pdftotext", "-enc", "UTF-8", p, "-"], capture_output=True)
            yield "report.pdf", t.stdout.decode("utf-8", "replace")


def absent_of(wb):
    """What the workbook at wb does not give: sheets, columns, keys."""
    gone = {s for s in SCHEMA if not os.path.exists(os.path.join(wb, s))}
    sg = os.path.join(wb, "sangong.csv")
    if os.path.exists(sg):
        head = csv_rows(sg)[0]
        if not any(h.startswith("上年决算数") for h in head):
            gone.add("sangong.csv:上年决算数")
    keyed = {"prior_year.csv": list(claims.PRIOR_KEYS) + ["三公经费"], "figures.csv": claims.FIGURE_KEYS,
             "procurement.csv": claims.PROCUREMENT_KINDS, "assets.csv": claims.ASSET_KEYS}
    for sheet, want in keyed.items():
        p = os.path.join(wb, sheet)
        if os.path.exists(p):
            keys = {r[0] for r in csv_rows(p)[1:] if r}
            gone |= {sheet + ":" + k for k in want if k not in keys}
    return gone


def summary(probs, known=()):
    """One line per kind of problem: its first instance and how many; the
    problems the example has as given come last, marked."""
    kinds = {}
    for p in probs:
        kinds.setdefault((p in known, p.split(":", 1)[0]), []).append(p)
    return "\n".join(("(as given too) " if k[0] else "") + v[0] + ("  [×%d]" % len(v) if len(v) > 1 else "")
                     for k, v in sorted(kinds.items(), key=lambda kv: kv[0][0]))


baseline = set()


def case(name, wb, pdf=False):
    """Builds wb (forced) and checks the published text; one TAP line."""
    out = os.path.join(tmp, "out-" + str(abs(hash(name))))
    only = ONLY + (",pdf" if pdf and HAVE_PDFTOTEXT else "")
    rc, o, err = run("build", wb, "-o", out, "--force", "--only", only)
    md_path = os.path.join(out, "report.md")
    if not os.path.exists(md_path):
        ok(False, name, "build --force wrote no report.md (exit %d): %s" % (rc, err.strip()[:500]))
        return
    md = read(md_path)
    probs = claims.problems(md, absent_of(wb)) + claims.empty_sections(md)
    for f, text in public_texts(out, pdf):
        probs += claims.file_names(text, SCHEMA, f)
    ok(not probs, name + (" (with report.pdf)" if pdf else ""), summary(probs, baseline))
    shutil.rmtree(out, ignore_errors=True)
    return probs


# the budget phase's own core (docs/budget.md): one goes with the other,
# and the 决算's 年初预算 comes from them, so neither is removed alone
PHASE_CORE = ("budget_expenditure.csv", "budget_revenue.csv")

def refused(name, wb, sheet):
    """The document's sheet is missing: check errs naming it, build refuses."""
    rc, o, err = run("check", wb)
    rcj, oj, errj = run("check", wb, "--format", "json")
    named = False
    try:
        for f in json.loads(oj)["findings"]:
            if f["severity"] == "error" and (sheet in f["message"] or sheet in str((f.get("location") or {}).get("file"))):
                named = True
    except ValueError:
        pass
    ok(rc == 1 and sheet in o + err and named, "%s: check exits 1 with an error naming %s" % (name, sheet),
       "exit %d; error finding naming it: %s; output: %s" % (rc, named, (o + err).strip().splitlines()[-1:] if (o + err).strip() else "nothing"))
    out = os.path.join(tmp, "refused")
    rc, o, err = run("build", wb, "-o", out)
    wrote = os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out))
    ok(rc == 1 and not wrote, "%s: build without --force exits 1 and writes nothing" % name,
       "exit %d; wrote: %s" % (rc, sorted(os.listdir(out)) if wrote and os.path.isdir(out) else wrote))
    shutil.rmtree(out, ignore_errors=True)


for ex in EXAMPLES:
    src = example(ex)
    if not os.path.isdir(src):
        ok(False, "%s exists" % ex)
        continue
    sheets = sorted(f for f in os.listdir(src) if f.endswith(".csv"))
    wb = os.path.join(tmp, ex)

    def fresh():
        shutil.rmtree(wb, ignore_errors=True)
        shutil.copytree(src, wb)
        return wb

    baseline = set()
    baseline = set(case("%s: as given" % ex, fresh()) or ())

    # every optional sheet removed, one at a time
    for s in sheets:
        if s in CORE or s in PHASE_CORE:
            continue
        os.remove(os.path.join(fresh(), s))
        name = "%s: without %s" % (ex, s)
        # perf_indicators.csv names the items of perf_items.csv: it goes too
        if s == "perf_items.csv" and "perf_indicators.csv" in sheets:
            os.remove(os.path.join(wb, "perf_indicators.csv"))
            name += " (and perf_indicators.csv, which refers to it)"
        case(name, wb)
        if s in DOCUMENT:
            refused("%s without %s" % (ex, s), wb, s)

    # every text.csv key removed, one at a time
    if "text.csv" in sheets:
        rows = csv_rows(os.path.join(src, "text.csv"))
        for i in range(1, len(rows)):
            if not rows[i] or not rows[i][0]:
                continue
            write_rows(os.path.join(fresh(), "text.csv"), rows[:i] + rows[i + 1:])
            case("%s: text.csv without %s" % (ex, rows[i][0]), wb)

    # sangong.csv without its 上年决算数 column
    if "sangong.csv" in sheets:
        rows = csv_rows(os.path.join(src, "sangong.csv"))
        k = next((j for j, h in enumerate(rows[0]) if h.startswith("上年决算数")), None)
        if k is not None:
            write_rows(os.path.join(fresh(), "sangong.csv"), [r[:k] + r[k + 1:] for r in rows])
            case("%s: sangong.csv without 上年决算数" % ex, wb)

    # the barest workbook: only the four core sheets, with the PDF as well
    fresh()
    for s in sheets:
        if s not in CORE:
            os.remove(os.path.join(wb, s))
    case("%s: only %s" % (ex, ", ".join(sorted(CORE))), wb, pdf=True)

shutil.rmtree(tmp, ignore_errors=True)
done()
