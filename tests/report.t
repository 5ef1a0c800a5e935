#!/usr/bin/env python3
"""The disclosure document: report.md reproduces the reference report's
情况说明 (sections 一-十二) figure by figure and sentence by sentence (with
the justified differences of tests/data/report-differences.json), its
名词解释 lists the 26 项 with the reference's texts, charts equal tables,
missing texts are reported and shown in drafts, and a second profile
changes the percent precision by data alone."""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, long_rows, ok, run  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-report-")
ref = open(os.path.join(ROOT, "tests/data/reference-report.txt"), encoding="utf-8").read()
pub = json.load(open(os.path.join(ROOT, "tests/data/published.json"), encoding="utf-8"))
diffs = json.load(open(os.path.join(ROOT, "tests/data/report-differences.json"), encoding="utf-8"))["replace"]

out = os.path.join(tmp, "out")
rc, o, err = run("build", QS, "-o", out)
is_(rc, 0, "build " + err)
md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
ok(html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html and "<nav" in html and "<svg" in html
   and "http" not in html.replace("http://www.w3.org/2000/svg", ""), "report.html: one self-contained page with contents and charts")
ok(len(re.findall(r'<table aria-labelledby="t\d+">', html)) == 9 and "<thead>" in html and 'scope="col"' in html,
   "report.html has the nine tables with headers, each named by its caption")

HEADS = ["一、收入支出决算总体情况说明", "二、收入决算情况说明", "三、支出决算情况说明", "四、财政拨款收入支出决算总体情况说明",
         "五、一般公共预算财政拨款支出决算情况说明", "六、一般公共预算财政拨款基本支出决算情况说明",
         "七、政府性基金预算财政拨款收入支出决算情况说明", "八、国有资本经营预算财政拨款支出决算情况说明",
         "九、财政拨款\"三公\"经费支出决算情况说明", "十、机关运行经费支出说明", "十一、政府采购支出说明", "十二、国有资产占用情况说明"]


def sections(text, start, end):
    body = text[text.index(start):]
    out_, pos = {}, 0
    for k, h in enumerate(HEADS):
        a = body.index(h, pos) + len(h)
        b = body.index(HEADS[k + 1], a) if k + 1 < len(HEADS) else body.index(end, a)
        out_[h] = body[a:b]
        pos = b
    return out_


def norm(s):
    """Whitespace removed; chart residue (labels, axis numbers) and headings dropped."""
    s = re.sub(r"(?m)^图\s*\d.*$", "", s)
    s = re.sub(r"(?m)^- .*：[\d.]+万元$", "", s)
    s = re.sub(r"(?m)^[\d .年度]+$", "", s)
    s = re.sub(r"(?m)^■.*$", "", s)
    s = re.sub(r"(?m)^#+.*$", "", s)
    s = re.sub(r"(?m)^\s*- ", "", s)
    s = re.sub(r"\s+", "", s)
    return s.replace(",", "，").replace(":", "：").replace(";", "；")


R = sections(ref, "第三部分 武汉市青山区经济信息化和科技创新 局", "十三、预算绩效情况说明")
# the reference writes "三公" with ASCII quotes; ours are Chinese quotation marks, everywhere
ok('"三公"' not in md and "“三公”" in md, "report.md writes “三公” with Chinese quotation marks")
O = sections(md.replace("“三公”", '"三公"'), "## 第三部分", "### 十三、预算绩效情况说明")

# 1. every figure of the reference's sections appears in ours
for h in HEADS:
    figures = re.findall(r"\d+(?:\.\d+)?%?", norm(R[h]))
    ours = norm(O[h])
    missing = [f for f in figures if f not in ours]
    ok(not missing, "%s: all %d figures of the reference appear" % (h, len(figures)), "missing: %s" % missing)
nar = pub["narrative"]
flat = [v for k, v in nar.items() if isinstance(v, str)] + list(nar["类占比"].values())
flat += [b["年初预算"] for b in pub["budget_by_xiang"].values()] + [b["完成年初预算"] for b in pub["budget_by_xiang"].values() if b["完成年初预算"]]
text3 = norm("".join(O.values()))
missing = [v for v in flat if v not in text3]
ok(not missing, "every narrative figure of published.json appears (%d)" % len(flat), "missing: %s" % missing)

# 2. every section equals the reference's after whitespace normalisation
for h in HEADS:
    r = norm(R[h])
    for d in diffs:
        if d["section"] == h:
            ok(d["reference"] in r, "the listed difference is really in the reference: %s" % d["reference"])
            r = r.replace(d["reference"], d["ours"])
    o = norm(O[h])
    if r != o:
        i = next((k for k in range(min(len(r), len(o))) if r[k] != o[k]), min(len(r), len(o)))
        ok(False, "%s equals the reference" % h, "reference: …%s…\nours:      …%s…" % (r[max(0, i - 20):i + 40], o[max(0, i - 20):i + 40]))
    else:
        ok(True, "%s equals the reference" % h)

# 3. 名词解释: the 26 项 with the reference's texts
def glossary(text, start, end):
    body = text[text.index(start):]
    body = body[:body.index(end)]
    items = re.findall(r"(?m)^\s*-?\s*(\d+)\.\s*(.*?)(?=^\s*-?\s*\d+\.\s|\Z)", body, re.S)
    return [norm(t).rstrip("；。;") for _, t in items]


rg = glossary(ref[ref.index("第五部分 名词解释", 2000):], "(三)本部门使用的支出功能分类科目", "(四)基本支出")
og = glossary(md[md.index("## 第五部分"):], "(三)本部门使用的支出功能分类科目", "(四)基本支出")
is_(len(og), 26, "名词解释 lists 26 项")
ok(og == rg, "名词解释 items equal the reference's (名称 and 说明)",
   "\n".join("%s\n%s" % (a, b) for a, b in zip(rg, og) if a != b)[:1500])

# 4. charts equal tables
cells = {(r["table"], r["row"], r["code"], r["column"]): r["value"] for r in long_rows(run("tables", QS, "--format", "long")[1])}
charts = {}
for m in re.finditer(r"(?m)^(图\d)：.*\n\n((?:- .*\n)+)", md):
    charts[m.group(1)] = {a: b for a, b in re.findall(r"- (.*)：([\d.]+)万元", m.group(2))}
is_(sorted(charts), ["图1", "图2", "图3", "图4"], "four charts")
prior = [l.split(",")[1] for l in open(os.path.join(QS, "prior_year.csv"), encoding="utf-8") if l.startswith("收支总计,")][0]
t01 = {(r, col): v for (t, r, c, col), v in cells.items() if t == "01"}
ok(charts["图1"].get("2024年度") == t01[("31", "金额")] and float(charts["图1"].get("2023年度")) == float(prior),
   "图1 = 01 总计 and last year's 收支总计")
ok(charts["图2"].get("财政拨款收入") == "%.2f" % sum(float(t01[(r, "金额")] or 0) for r in ("1", "2", "3")), "图2 财政拨款收入 = 01 rows 1-3")
t03 = {col: v for (t, r, c, col), v in cells.items() if t == "03" and c == ""}
ok(charts["图3"] == {"基本支出": t03["基本支出"], "项目支出": t03["项目支出"]}, "图3 = 03 合计 基本/项目")
t04 = {(r, col): v for (t, r, c, col), v in cells.items() if t == "04"}
ok(charts["图4"].get("2024年度") == t04[("32", "决算数")], "图4 this year = 04 总计")

# the template functions: docs/templates.md documents every one of the
# engine's table (as `juesuan help templates` prints it)
rc, o, err = run("help", "templates")
fns = [l.split("\t")[0] for l in o.splitlines() if l]
tdoc = open(os.path.join(ROOT, "docs", "templates.md"), encoding="utf-8").read()
ok(rc == 0 and len(fns) >= 10 and all(("`%s(" % f) in tdoc for f in fns),
   "docs/templates.md documents every template function: %s" % [f for f in fns if ("`%s(" % f) not in tdoc])

# 5. missing texts: a reason the template guards is left out with its
# clause (an info finding names it); a text printed unguarded is an error
# (N-001), its whole sentence dropped, shown in a draft
wb = os.path.join(tmp, "wb")
shutil.copytree(QS, wb)
lines = open(os.path.join(wb, "text.csv"), encoding="utf-8").read().splitlines()
open(os.path.join(wb, "text.csv"), "w", encoding="utf-8").write("\n".join(l for l in lines if not l.startswith("收支总体增减原因")) + "\n")
rc, o, err = run("check", wb, "--format", "json")
needs = [f for f in json.loads(o)["findings"] if f["rule"] == "N-002"]
ok(rc == 0 and len(needs) == 1 and needs[0]["severity"] == "info" and "收支总体增减原因" in needs[0]["message"]
   and "一、收入支出决算总体情况说明" in needs[0]["message"], "check names the missing reason and its section (info)")
rc, o, err = run("build", wb, "-o", os.path.join(tmp, "noreason"), "--only", "md")
sec1 = open(os.path.join(tmp, "noreason", "report.md"), encoding="utf-8").read().split("### 一、收入支出决算总体情况说明")[1]
first = sec1.strip().split("\n")[0]
ok(rc == 0 and re.fullmatch(r"2024年度收、支总计[\d.]+万元。与2023年度相比，收、支总计各增加[\d.]+万元，增长[\d.]+%。", first) is not None,
   "without its reason the sentence ends after the change: " + first)
data = os.path.join(tmp, "data")
shutil.copytree(os.path.join(ROOT, "data"), data)
tpl = os.path.join(data, "profiles", "default", "report.tpl")
open(tpl, "a", encoding="utf-8").write("\n本段开头。缺少的文字是{{文本(\"测试文字\")}}。本段结尾。\n")
rc, o, err = run("check", QS, "--data", data, "--format", "json")
gaps = [f for f in json.loads(o)["findings"] if f["rule"] == "N-001"]
ok(rc == 1 and len(gaps) == 1 and gaps[0]["severity"] == "error" and "测试文字" in gaps[0]["message"],
   "a text printed unguarded and missing is an error (N-001)")
rc, o, err = run("build", QS, "--data", data, "-o", os.path.join(tmp, "forced"), "--force", "--only", "md")
md_forced = open(os.path.join(tmp, "forced", "report.md"), encoding="utf-8").read()
ok(rc == 1 and "本段开头。本段结尾。" in md_forced and "缺少的文字是" not in md_forced,
   "forced, the whole sentence with the hole is dropped, its neighbours stay")
rc, o, err = run("build", QS, "--data", data, "-o", os.path.join(tmp, "draft"), "--draft", "--only", "md")
ok(rc == 1 and "缺少的文字是【待补充：文本「测试文字」】。" in open(os.path.join(tmp, "draft", "report.md"), encoding="utf-8").read(),
   "a draft build shows the gap in the text")

# 6. a second profile changes the percent precision by data alone
rc, o, err = run("build", QS, "-o", os.path.join(tmp, "sx"), "--profile", "shaanxi")
sx = open(os.path.join(tmp, "sx", "report.md"), encoding="utf-8").read()
ok("增长435.2%" in md and "增长435.17%" in sx, "shaanxi writes 增长435.17% where default writes 增长435.2%")
shutil.rmtree(tmp)
done()
