#!/usr/bin/env python3
"""绩效自评: every printed rate, execution score, indicator score and total of
the reference's thirteen tables is reproduced from the evaluation data
(tests/data/performance-reference.json), scoring options are data, each
check fires on its fixture, and section 十三 equals the reference's with the
listed differences."""
import csv
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from tap import ROOT, done, example, is_, ok, run  # noqa: E402

QS = example("qingshan-2024")
tmp = tempfile.mkdtemp(prefix="juesuan-perf-")
ref = json.load(open(os.path.join(ROOT, "tests/data/performance-reference.json"), encoding="utf-8"))["items"]


def build(wb, *args):
    out = os.path.join(tmp, "out-%d" % len(os.listdir(tmp)))
    rc, o, err = run("build", wb, "-o", out, *args)
    perf = json.load(open(os.path.join(out, "performance.json"), encoding="utf-8")) if rc in (0, 1) and os.path.exists(os.path.join(out, "performance.json")) else None
    return rc, perf, out, err


rc, perf, out, err = build(QS)
is_(rc, 0, "build the example " + err)
items = {i["name"]: i for i in perf["items"]} if perf else {}
is_(sorted(items), sorted(i["name"] for i in ref), "thirteen evaluations")
bad = []
count = 0
for want in ref:
    got = items.get(want["name"], {})
    for k in ("budget", "executed", "rate", "rate_score", "total"):
        count += 1
        g = got.get(k)
        w = want[k]
        if k in ("budget", "executed"):
            g, w = float(g or "nan"), float(w)
        if g != w:
            bad.append("%s %s: %r != %r" % (want["name"], k, g, w))
    gi = [x["score"] for x in got.get("indicators", [])]
    wi = [x["score"] for x in want["indicators"]]
    count += len(wi)
    if gi != wi:
        bad.append("%s indicators: %s != %s" % (want["name"], gi, wi))
ok(not bad, "every printed rate, execution score, indicator score and total equals the reference (%d figures)" % count,
   "\n".join(bad))
published = json.load(open(os.path.join(ROOT, "tests/data/published.json"), encoding="utf-8"))
bad = [p["name"] for p in published["performance_projects"]
       if items.get(p["name"], {}).get("total") != p["total"] or items.get(p["name"], {}).get("rate") != p["rate"]]
ok(not bad, "published.json's key figures (94.69, 87.56, 97.76, 98.75, 77.78, 91.67 …)", bad)
is_((items["经济运行"]["rate"], items["经济运行"]["rate_score"]), ("99.9%", "19.98"), "经济运行: 99.9% and 19.98 under the default profile")

# a profile option scores from the exact rate: data only
data2 = os.path.join(tmp, "data")
shutil.copytree(os.environ.get("JUESUAN_DATA", os.path.join(ROOT, "data")), data2)
pj = os.path.join(data2, "profiles", "default", "profile.json")
prof = json.load(open(pj, encoding="utf-8"))
prof["performance"]["score_from_displayed_rate"] = False
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, perf2, out2, err = build(QS, "--data", data2)
e2 = {i["name"]: i for i in perf2["items"]}["经济运行"] if perf2 else {}
is_(e2.get("rate_score"), "19.99", "score_from_displayed_rate: false prints 19.99")

# the 自评表's checkbox options are the profile's (data only), and are checked
prof["performance"]["project_types"] = ["常年性项目", "一次性项目"]
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, perf3, out3, err = build(QS, "--data", data2, "--only", "md")
md3 = open(os.path.join(out3, "report.md"), encoding="utf-8").read() if rc == 0 else err
ok("1、常年性项目 ☑　2、一次性项目 □" in md3 and "延续性项目 □" not in md3, "项目类型 options come from the profile")
prof["performance"]["project_types"] = []
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, o, err = run("tables", QS, "--data", data2)
ok(rc == 3 and "profiles/default" in err and "project_types" in err, "an empty option list is refused: " + err.strip())
prof["performance"]["project_types"] = ["常年性项目", "延续性项目", "一次性项目"]

# the grades' shares are the profile's: 部分达成 earns 50% of the weight by
# default, what grade_percent says otherwise; a grade it lacks is refused
wb = os.path.join(tmp, "graded")
shutil.copytree(QS, wb)
p = os.path.join(wb, "perf_indicators.csv")
rows = list(csv.reader(open(p, encoding="utf-8-sig")))
g = rows[0].index("等级")
graded = next(i for i, r in enumerate(rows) if r[0] == "经济运行" and r[g] == "达成")
rows[graded][g] = "部分达成"
csv.writer(open(p, "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
name = rows[graded][3]


def indicator_score(perf):
    its = {i["name"]: i for i in perf["items"]} if perf else {}
    return next((x["score"] for x in its.get("经济运行", {}).get("indicators", []) if x["name"] == name), None)


json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, perf4, out4, err = build(wb, "--data", data2, "--force")
is_(indicator_score(perf4), "10", "部分达成 of a 20-point indicator earns 10 (grade_percent 50)")
prof["performance"]["grade_percent"] = {"达成": 100, "部分达成": 80, "未达成": 0}
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, perf5, out5, err = build(wb, "--data", data2, "--force")
is_(indicator_score(perf5), "16", "with grade_percent 部分达成 = 80 it earns 16")
prof["performance"]["grade_percent"] = {"达成": 100, "未达成": 0}
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, o, err = run("build", wb, "-o", os.path.join(tmp, "nogrades"), "--data", data2, "--force")
ok(rc == 3 and "部分达成" in err and "perf_indicators.csv" in err, "a grade the profile does not score is refused: " + err.strip())
prof["performance"]["grade_percent"] = {"达成": 100, "部分达成": 50, "未达成": 0}

# the 自评表's layout is the profile's (perf_table): its headings are data,
# and a field it does not know is refused
layout = json.loads(json.dumps(prof["perf_table"]))
for row in prof["perf_table"]:
    row["cells"] = ["综合得分" if c == "总分" else c for c in row["cells"]]
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, perf6, out6, err = build(QS, "--data", data2, "--only", "md")
md6 = open(os.path.join(out6, "report.md"), encoding="utf-8").read() if rc == 0 else err
ok("| 综合得分 | 94.69 |" in md6 and "| 总分 |" not in md6, "the 自评表's headings come from the profile's perf_table")
prof["perf_table"][-1]["cells"][1]["field"] = "不存在的字段"
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, o, err = run("build", QS, "-o", os.path.join(tmp, "badlayout"), "--data", data2, "--only", "md")
ok(rc == 3 and "不存在的字段" in err and not os.path.exists(os.path.join(tmp, "badlayout")),
   "a layout naming an unknown field is refused: " + err.strip())
prof["perf_table"] = layout

# the entity's label and {本部门} are the profile's wording
prof["wording"]["entity_department"] = "预算部门"
prof["wording"]["self_department"] = "该部门"
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)
rc, txt, err = run("tables", QS, "--data", data2)
ok(rc == 0 and "预算部门：武汉市青山区" in txt and "该部门2024年度无国有资本经营预算财政拨款支出" in txt and "\n部门：" not in txt,
   "部门： and {本部门} in the tables come from the profile's wording")
prof["wording"]["entity_department"] = "部门"
prof["wording"]["self_department"] = "本部门"
json.dump(prof, open(pj, "w", encoding="utf-8"), ensure_ascii=False)

# the tables are in the report
md = open(os.path.join(out, "report.md"), encoding="utf-8").read()
ok(md.count("自评表") >= 13 and "☑" in md and "| 总分 | 94.69 |" in md, "the thirteen 自评表 are in report.md")
html = open(os.path.join(out, "report.html"), encoding="utf-8").read()
ok(html.count('class="text perf"') == 13, "and in report.html")


# checks: each fixture makes its check fire (and nothing else but info)
def edited(edits):
    wb = os.path.join(tmp, "wb-%d" % len(os.listdir(tmp)))
    shutil.copytree(QS, wb)
    for sheet, key, col, value in edits:
        p = os.path.join(wb, sheet)
        rows = list(csv.reader(open(p, encoding="utf-8")))
        head = rows[0]
        n = 0
        for r in rows[1:]:
            if r[0] == key and (sheet != "perf_indicators.csv" or n == 0):
                r[head.index(col)] = value
                n += 1
        with open(p, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return wb


FIX = [
    ("P-001", [("perf_indicators.csv", "部门整体", "权重", "11")], "weights add to 101"),
    ("P-002", [("perf_items.csv", "2023年省中小企业发展专项资金", c, "") for c in ("偏差原因", "改进措施", "发现的问题及原因", "下一步改进措施")],
     "a shortfall (93.75%) without reasons"),
    ("P-003", [("perf_items.csv", "部门整体", "执行数(万元)", "37084.27")], "部门整体 执行数 against the tables"),
    ("P-004", [("perf_items.csv", "经济运行", "关联项目名称", "基层党建")], "执行数 against the linked lines"),
    ("P-005", [("perf_items.csv", "2024年预算项目调整", "情况说明预算数(万元)", "37192.65")], "the reference's 37192.65 / 37192.365"),
    ("P-006", [("perf_items.csv", "部门整体", "年度目标", "(XX 分)工业经济稳步增长，科技创新不断进步。")], "the reference's (XX 分) placeholder"),
]
for rid, edits, why in FIX:
    rc, o, err = run("check", edited(edits), "--format", "json")
    doc = json.loads(o) if o else {"findings": []}
    fired = sorted({f["rule"] for f in doc["findings"] if f["severity"] != "info"})
    ok(fired == [rid], "%s fires on its fixture (%s)" % (rid, why), "fired %s %s" % (fired, err))
    if rid == "P-001":
        f = next((f for f in doc["findings"] if f["rule"] == rid), {"location": {}, "message": ""})
        loc = f["location"]
        ok(loc.get("file", "").endswith("perf_indicators.csv") and loc.get("line") == 2
           and "perf_items.csv 第2行" in f["message"] and "perf_indicators.csv 第2、3、4、5、6行" in f["message"],
           "P-001 names a file and line: the first indicator's (2), and the lines of every weight it adds",
           json.dumps(f, ensure_ascii=False)[:600])
    if rid == "P-005":
        msg = next((f["message"] for f in doc["findings"] if f["rule"] == rid), "")
        ok("37192.365" in msg and "37192.65" in msg, "P-005 names both figures: " + msg)

# section 十三 equals the reference's, with the listed differences
text = open(os.path.join(ROOT, "tests/data/reference-report.txt"), encoding="utf-8").read()
diffs = json.load(open(os.path.join(ROOT, "tests/data/report-differences.json"), encoding="utf-8"))["replace"]


def norm(s):
    s = re.sub(r"(?m)^#+.*$", "", s)
    s = re.sub(r"(?m)^\s*- ", "", s)
    s = re.sub(r"\s+", "", s)
    return s.replace(",", "，").replace(":", "：").replace(";", "；").replace("[", "〔").replace("]", "〕")


H = "十三、预算绩效情况说明"
R = text[text.index(H, 3000) + len(H):]
R = norm(R[:R.index("第四部分")])
O = md[md.index(H) + len(H):]
O = norm(O[:O.index("## 第四部分")])
for d in diffs:
    if d["section"] == H:
        ok(d["reference"] in R, "listed difference is in the reference: " + d["reference"][:30])
        R = R.replace(d["reference"], d["ours"])
i = next((k for k in range(min(len(R), len(O))) if R[k] != O[k]), min(len(R), len(O)))
ok(R == O, "section 十三 equals the reference's after whitespace normalisation",
   "reference: …%s…\nours:      …%s…" % (R[max(0, i - 20):i + 40], O[max(0, i - 20):i + 40]))
shutil.rmtree(tmp)
done()
