#!/usr/bin/env python3
"""juesuan check REPORT: the printed audit and the narrative checks on a
report read back (docs/reading.md). juesuan's own reports give no finding on
their text; figures changed in the text of a report (its pdftotext word
list, saved as .tsv) are caught, each by its rule."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, ok, run  # noqa: E402

tmp = tempfile.mkdtemp(prefix="juesuan-checkreport-")
GEN = os.environ.get("JUESUAN_GEN", os.path.join(ROOT, "build", "bench", "gen"))


def findings(path, *extra):
    rc, out, err = run("check", path, "--format", "json", *extra)
    doc = json.loads(out) if out.strip() else {"findings": []}
    return rc, doc, err


def text_rules(doc):
    return sorted(f["rule"] for f in doc["findings"] if f["rule"].startswith("T-"))


reports = {}
for name in ("qingshan-2024", "synthetic-2024"):
    out = os.path.join(tmp, name)
    rc, _, err = run("build", example(name), "-o", out, "--only", "pdf")
    ok(rc == 0, "%s: build writes report.pdf" % name, err)
    pdf = os.path.join(out, "report.pdf")
    rc, doc, err = findings(pdf)
    ok(rc == 0, "%s report.pdf: check exits 0 (no error)" % name, err)
    is_(text_rules(doc), [], "%s report.pdf: the narrative agrees with the tables" % name)
    ok(doc["rules_run"] > 50 if "rules_run" in doc else True, "%s: the printed rules ran" % name)
    tsv = os.path.join(out, "report.tsv")
    subprocess.run(["pdftotext", "-tsv", pdf, tsv], check=True)
    reports[name] = tsv

for name in ("qingshan-2024", "synthetic-2024"):
    out = os.path.join(tmp, name + "-shanghai")
    rc, _, err = run("build", example(name), "-o", out, "--only", "pdf", "--profile", "shanghai")
    if ok(rc == 0, "%s: build writes report.pdf in the shanghai layout" % name, err):
        rc, doc, err = findings(os.path.join(out, "report.pdf"))
        ok(rc == 0, "%s, shanghai layout: check exits 0" % name, err)
        is_(text_rules(doc), [], "%s, shanghai layout: the narrative agrees with the tables" % name)
        tsv = os.path.join(out, "report.tsv")
        subprocess.run(["pdftotext", "-tsv", os.path.join(out, "report.pdf"), tsv], check=True)
        reports[name + "-shanghai"] = tsv

# the shanghai profile inherits the default's rules through its column
# aliases (data/rules/shanghai says only `inherit`): every rule runs on its
# layout, under its own rule-set version
for name in ("qingshan-2024", "synthetic-2024"):
    _, dflt, _ = findings(example(name))
    rc, sh, err = findings(example(name), "--profile", "shanghai")
    ok(rc == 0 and sh["summary"]["rules_run"] == dflt["summary"]["rules_run"] > 90 and
       sh["summary"]["ruleset_version"].startswith("shanghai-") and
       sorted(f["rule"] for f in sh["findings"]) == sorted(f["rule"] for f in dflt["findings"]),
       "%s: the shanghai profile runs the default's %d rules on its own column names, with the same findings"
       % (name, dflt["summary"]["rules_run"]), err or sh["summary"])

region = os.path.join(tmp, "gen")
subprocess.run([GEN, "-o", region, "-n", "4"], check=True, capture_output=True)
for d in sorted(os.listdir(os.path.join(region, "departments"))):
    out = os.path.join(tmp, "gen-" + d)
    rc, _, err = run("build", os.path.join(region, "departments", d), "-o", out, "--only", "pdf", "--force")
    if ok(rc == 0, "generated %s: build" % d, err):
        rc, doc, err = findings(os.path.join(out, "report.pdf"))
        is_(text_rules(doc), [], "generated %s: the narrative agrees with the tables" % d)


def mutate(name, old, new, expect, what):
    """Replaces old by new in one word of the report's word list; check must
    report exactly the rules of expect on the text."""
    text = open(reports[name], encoding="utf-8").read()
    lines = text.split("\n")
    hits = [i for i, l in enumerate(lines) if old in l.split("\t")[-1]]
    if not ok(len(hits) >= 1, "%s: the text holds %r" % (what, old)):
        return
    i = hits[0]
    f = lines[i].split("\t")
    f[-1] = f[-1].replace(old, new, 1)
    lines[i] = "\t".join(f)
    path = os.path.join(tmp, "mutated.tsv")
    open(path, "w", encoding="utf-8").write("\n".join(lines))
    rc, doc, err = findings(path)
    got = text_rules(doc)
    ok(got == sorted(expect), "%s: %s" % (what, " ".join(expect)),
       "got %s\n%s" % (got, "\n".join(x["message"] for x in doc["findings"] if x["rule"].startswith("T-"))))
    errs = [x for x in doc["findings"] if x["rule"].startswith("T-") and x["severity"] == "error"]
    if errs:
        loc = errs[0]["location"]
        if "table" in loc:  # a finding on a table's row names it
            ok(rc == 1 and loc["row"] and loc["row_name"] in errs[0]["message"],
               "%s: exit 1, the finding names the table and row" % what, errs[0])
        else:
            ok(rc == 1 and "第" in loc["file"] and "“" in errs[0]["message"] and loc.get("quote"),
               "%s: exit 1, the finding names the page and quotes the sentence" % what, errs[0])


mutate("synthetic-2024", "收、支总计1751.01万元", "收、支总计1715.01万元", ["T-001", "T-002"],
       "an amount unlike its cell (and the change rate computed from it)")
mutate("synthetic-2024", "占本年收入92.2%", "占本年收入93.2%", ["T-002"], "a share miscomputed")
mutate("synthetic-2024", "占本年收入92.2%", "占本年收入92.1%", ["T-003"], "a share truncated instead of rounded")
mutate("synthetic-2024", "各增加164.76万元", "各减少164.76万元", ["T-004"], "a change whose direction disagrees")
mutate("synthetic-2024", "其中：基本支出567.47万元", "其中：基本支出657.47万元", ["T-001", "T-005"],
       "a part that no longer adds up")
mutate("synthetic-2024", "主要原因是新增科技园区", "本部门2024年度无国有资本经营预算财政拨款支出。主要原因是新增科技园区", ["T-006"],
       "a table said to be empty that has data")
mutate("synthetic-2024", "主要原因是新增科技园区", "主要原因是下降（增长）科技园区", ["T-007"], "template residue")
mutate("synthetic-2024", "占本年收入92.2%；", "占本年收入92.2；", ["T-008"], "a percentage without %")
mutate("synthetic-2024", "支出决算为28.81万元", "支出决算为28.18万元", ["T-001"], "a 三公 figure unlike its table")
mutate("qingshan-2024", "完成年初预算的", "完成年初预算的1", ["T-002"], "a completion rate miscomputed")
# the items the text lists under 人员经费/公用经费 against table 06 (reading.json "lists")
mutate("synthetic-2024", "主要包括：基本工资、津贴补贴、奖金、", "主要包括：基本工资、津贴补贴、", ["T-011"],
       "a 人员经费 item with a figure in table 06 left out of the list")
mutate("synthetic-2024", "主要包括：基本工资、", "主要包括：伙食补助费、基本工资、", ["T-011"],
       "a listed item that table 06 leaves blank")
mutate("synthetic-2024", "主要包括：办公费、", "主要包括：基本工资、办公费、", ["T-011"],
       "a 人员经费 item listed under 公用经费")
mutate("synthetic-2024", "主要包括：基本工资、", "主要包括：基本工资17.55万元、", ["T-011"],
       "a listed item's amount unlike table 06")
mutate("synthetic-2024", "主要包括：基本工资、", "主要包括：基本工资173.55万元、", [],
       "a listed item's amount as in table 06: nothing")
mutate("synthetic-2024", "主要包括：基本工资、津贴补贴、奖金、绩效工资、", "主要包括：工资福利支出、", [],
       "a 类 listed for its 款 (工资福利支出): nothing")
# item names of an older edition (data/dict/2024/former.csv): in the text,
# in a table of either layout (the row still read as the one it names)
mutate("synthetic-2024", "卫生健康支出(类)行政事业单位医疗(款)行政单位医疗", "医疗卫生与计划生育支出(类)行政事业单位医疗(款)行政单位医疗",
       ["T-010"], "an old item name in the text")
mutate("synthetic-2024", "九、卫生健康支出", "九、医疗卫生与计划生育支出", ["T-010"], "an old item name in table 01")
mutate("synthetic-2024-shanghai", "九、卫生健康支出", "九、医疗卫生与计划生育支出", ["T-010"],
       "an old item name in table 01 of the Shanghai layout (no 行次: the row is found by the old name)")
mutate("synthetic-2024-shanghai", "社会保障和就业支出(类)行政事业单位养老支出(款)", "社会保障和就业支出(类)行政事业单位离退休(款)",
       ["T-010"], "an old 款 name in the text")
# not an item: words that only contain an old name, and a name some item still has
mutate("synthetic-2024", "主要原因是新增科技园区", "主要原因是行政事业单位离退休人员增加", [],
       "an old name not naming an item is not reported")
mutate("synthetic-2024", "主要原因是新增科技园区", "主要原因是其他资本性支出100万元", [],
       "a former name another item still has (其他资本性支出, 31099) is not reported")

# a folder of reports, checked at once on two threads: each report on its
# own, an unreadable one named and counted, findings summed by rule
folder = os.path.join(tmp, "folder")
os.makedirs(folder)
for name in ("qingshan-2024", "synthetic-2024"):
    shutil.copy(os.path.join(tmp, name, "report.pdf"), os.path.join(folder, name + ".pdf"))
shutil.copy(os.path.join(ROOT, "tests", "data", "published", "shanghai-putuo-caizhengju-2024.pdf"), folder)
open(os.path.join(folder, "broken.pdf"), "wb").write(b"%PDF-1.4\nnot really\n")
rc, out, err = run("check", folder, "--jobs", "2")
lines = out.splitlines()
ok(rc == 3, "a folder with an unreadable report exits 3", err)
ok(any(l.startswith(os.path.join(folder, "broken.pdf")) and "无法读取" in l for l in lines),
   "the unreadable report is named", out)
# the real report's errors: the verified ones of tests/data/published
with open(os.path.join(ROOT, "tests", "data", "published", "shanghai-putuo-caizhengju-2024.findings.json")) as h:
    real_errors = sum(1 for x in json.load(h)["reported"] if x["severity"] == "error")
ok(any("qingshan-2024.pdf：错误 0" in l for l in lines) and
   any("shanghai-putuo-caizhengju-2024.pdf：错误 %d，" % real_errors in l for l in lines),
   "each report has its own counts", out)
ok("共 4 份报告：通过 2，未通过 1，无法读取 1" in out, "the summary counts the reports", out)
ok(any(l.split() == ["T-001", "错误", "1，核实", "0，提示", "0"] for l in lines), "findings are summed by rule", out)

# the same folder as JSON: each report with its status and findings, and
# the summary by rule (docs/reading.md)
rc, out, err = run("check", folder, "--jobs", "2", "--format", "json")
ok(rc == 3, "JSON: a folder with an unreadable report exits 3", err)
doc = json.loads(out) if out.strip() else {}
is_(doc.get("format"), "juesuan-report-check", "JSON: the format is named")
is_(doc.get("summary", {}).get("reports"), 4, "JSON: four reports counted")
is_([(r["file"].rsplit("/", 1)[-1], r["status"]) for r in doc.get("reports", [])],
    [("broken.pdf", "unreadable"), ("qingshan-2024.pdf", "passed"),
     ("shanghai-putuo-caizhengju-2024.pdf", "failed"), ("synthetic-2024.pdf", "passed")],
    "JSON: each report in file-name order with its status")
real = [r for r in doc.get("reports", []) if r["file"].endswith("caizhengju-2024.pdf")]
ok(real and real[0]["findings"]["summary"]["error"] == real_errors and
   any(f["rule"] == "T-001" and f["location"].get("page") == 21 and "0.3万元" in f["location"].get("quote", "")
       for f in real[0]["findings"]["findings"]),
   "JSON: the real report's findings, the T-001 one with its page and quoted sentence", real)
ok("无法读取" in next((r.get("error", "") for r in doc.get("reports", []) if r["status"] == "unreadable"), "")
   or "PDF" in next((r.get("error", "") for r in doc.get("reports", []) if r["status"] == "unreadable"), ""),
   "JSON: the unreadable report says why", doc.get("reports", [None])[0])
by_rule = {r["rule"]: r for r in doc.get("summary", {}).get("by_rule", [])}
is_((by_rule.get("T-001", {}).get("error"), by_rule.get("T-001", {}).get("reports")), (1, 1),
    "JSON: the summary by rule counts findings and reports")
is_(sum(r["error"] for r in by_rule.values()), real_errors, "JSON: the errors by rule add up to the reports' errors")

# HTML of a report: what the text holds is escaped, the quote carries its page
text = open(reports["synthetic-2024"], encoding="utf-8").read().split("\n")
i = next(k for k, l in enumerate(text) if "主要原因是新增科技园区" in l.split("\t")[-1])
f = text[i].split("\t")
f[-1] = f[-1].replace("主要原因是新增科技园区", "主要原因是下降（增长）<i>&amp;园区", 1)
text[i] = "\t".join(f)
path = os.path.join(tmp, "escaped.tsv")
open(path, "w", encoding="utf-8").write("\n".join(text))
rc, html, err = run("check", path, "--format", "html")
ok(rc == 1 and "<mark>下降（增长）</mark>&lt;i&gt;&amp;amp;园区" in html and "<i>" not in html,
   "HTML: the quoted sentence is escaped and its residue marked", err or html[-400:])
rc2, html2, _ = run("check", path, "--format", "html")
ok(html == html2, "HTML: the page is the same each time")
rc, _, err = run("check", example("synthetic-2024"), "--format", "html")
ok(rc == 2 and "html" in err, "HTML: refused for a workbook, with a message", err)

shutil.rmtree(tmp)
done()
