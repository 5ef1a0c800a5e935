"""Claims a disclosure may not make, checked on the published text alone.

Independent of the renderer: every function here reads output text
(report.md, or any public output for file names) with its own regular
expressions and returns a list of problems (strings, each quoting the
offending text); an empty list means none was found.

"Absent is not zero": a sheet or column the workbook does not have is no
data, so the document must not turn it into a comparison, a zero or a
"无…" claim; a missing text leaves no half sentence behind.

    dangling(md, draft=False)           sentences broken by a missing text
    absent_claims(md, absent)           claims made from inputs not given
    file_names(text, names, where)      schema file names in public output
    empty_sections(md)                  headings with nothing under them
    problems(md, absent, draft=False)   dangling + absent_claims

`absent` is a set of strings: a sheet file name ("prior_year.csv") for a
sheet not given, "sheet:column" ("sangong.csv:上年决算数") for a column not
given, "sheet:key" ("prior_year.csv:三公经费") for a key not given.
"""
import re

def _ctx(text, start, end, width=30):
    a, b = max(0, start - width), min(len(text), end + width)
    return text[a:b].replace("\n", "⏎")


def _cn(n):
    """1..99 as Chinese numerals, the way (一)…(十一) are written."""
    d = "零一二三四五六七八九"
    if n < 10:
        return d[n]
    if n < 20:
        return "十" + (d[n % 10] if n % 10 else "")
    return d[n // 10] + "十" + (d[n % 10] if n % 10 else "")


def year_of(md):
    """The accounts year, from the title line `# 2024年度…`."""
    m = re.search(r"(?m)^#\s*(\d{4})年度", md)
    return int(m.group(1)) if m else None


# ---- document structure ---------------------------------------------------

def parts(md):
    """[(part heading, section heading, body)] for each ### section (and the
    text of a ## part before its first ###, with section heading "")."""
    out = []
    part, sec, buf = "", "", []
    for line in md.splitlines():
        if line.startswith("## "):
            out.append((part, sec, "\n".join(buf)))
            part, sec, buf = line[3:].strip(), "", []
        elif line.startswith("### "):
            out.append((part, sec, "\n".join(buf)))
            sec, buf = line[4:].strip(), []
        elif line.startswith("# "):
            continue
        else:
            buf.append(line)
    out.append((part, sec, "\n".join(buf)))
    return out


def section(md, part_prefix, sec_prefix):
    """The body of the ### section starting with sec_prefix (e.g. "九、")
    in the ## part starting with part_prefix (e.g. "第三部分")."""
    return "\n".join(b for p, s, b in parts(md) if p.startswith(part_prefix) and s.startswith(sec_prefix))


def sentences(text):
    """Sentences: split after 。 and at line ends, with their text."""
    for line in text.splitlines():
        for s in re.findall(r"[^。]+。?", line):
            if s.strip():
                yield s.strip()


# ---- dangling sentences ---------------------------------------------------

DANGLING = [
    (r"指(?=[。；;]|$)", "a definition ending in 指"),
    (r"。；", "。；"),
    (r"；。", "；。"),
    (r"，。", "，。"),
    (r"、。", "、。"),
    (r"。。", "。。"),
    (r"，，", "，，"),
    (r"：。", "：。"),
    (r"：；", "：；"),
    (r"主要原因是[：:]?(?=[。；，]|$)", "an empty 主要原因是"),
    (r"主要原因[：:](?=[。；，]|$)", "an empty 主要原因："),
    (r"主要包括[：:]?(?=[。；]|$)", "an empty 主要包括"),
    # 个 after a word, not a numeral: 共涉及项目个, 开展绩效自评个, 对个部门
    (r"(?<=[目评及共计有对])个(?![人别体性])", "a 个 without its number"),
    (r"为万元|计万元|额万元|出万元|入万元", "万元 without its number"),
    (r"（\s*）|\(\s*\)", "empty brackets"),
    (r"\d万元(?=[\u4e00-\u9fff])(?![的以及和与或等左])", "an amount run into the next clause (its comma lost)"),
]


def dangling(md, draft=False):
    """Sentences a missing text broke: clauses ending in nothing, doubled
    punctuation, counts without numbers, lines of bare punctuation, broken
    numbering, unnumbered fragments in 名词解释, and (outside drafts) any
    【待补充 marker; in a draft, an empty marker."""
    probs = []
    for pat, what in DANGLING:
        for m in re.finditer(pat, md, re.M):
            probs.append("dangling (%s): …%s…" % (what, _ctx(md, m.start(), m.end())))
    for m in re.finditer(r"【待补充[：:]?\s*】" if draft else r"【待补充", md):
        probs.append("gap marker in %s build: …%s…" % ("a draft" if draft else "a non-draft", _ctx(md, m.start(), m.end())))
    for n, line in enumerate(md.splitlines(), 1):
        s = line.strip()
        if s.startswith("- "):
            s = s[2:].strip()
        if s and re.fullmatch(r"[\s，；。、：,;.:！？]+", s):
            probs.append("dangling: line %d is bare punctuation %r" % (n, line))
        elif re.match(r"[，；。、：,;]", s):
            probs.append("dangling: line %d starts with punctuation: %s" % (n, s[:60]))
        elif re.match(r"\d+\.\s*[，；。、：]", s) or re.match(r"[(（][一二三四五六七八九十]+[)）]\s*[，；。、：]", s):
            probs.append("dangling: line %d is a numbered item without text: %s" % (n, s[:60]))
    # (一)(二)… numbering starts at (一) and has no gaps, per section
    for p, sec, body in parts(md):
        seen = [m.group(1) for m in re.finditer(r"(?m)^\s*[(（]([一二三四五六七八九十]+)[)）]", body)]
        want = [_cn(k) for k in range(1, len(seen) + 1)]
        if seen and seen != want and not (sec == "" and not p):
            probs.append("broken numbering in %s %s: (%s) where (%s) expected" % (p, sec, ")(".join(seen), ")(".join(want)))
    # 名词解释: every paragraph is a numbered entry (or its list, or 咨询电话)
    for p, sec, body in parts(md):
        if "名词解释" not in p:
            continue
        for para in re.split(r"\n\s*\n", body):
            s = para.strip()
            if s and not re.match(r"[(（][一二三四五六七八九十]+[)）]|\d+\.|咨询电话", s):
                probs.append("名词解释: a paragraph that is not a numbered entry (a sentence lost its start): %s" % s[:80])
            # a defined term "(N)术语：" is defined: its first sentence says 指 (or 是指)
            m = re.match(r"[(（][一二三四五六七八九十]+[)）]([^：\n]{1,30})：([^。\n]*)", s)
            if m and "指" not in m.group(2):
                probs.append("名词解释: the definition of %s lost its 指 clause: %s" % (m.group(1), s[:80]))
    return probs


# ---- claims from absent inputs --------------------------------------------

def _find(probs, what, pat, text, flags=0):
    for m in re.finditer(pat, text, flags):
        probs.append("%s: …%s…" % (what, _ctx(text, m.start(), m.end())))


# prior_year.csv keys, as the document names the figure (a regex)
PRIOR_KEYS = {
    "收支总计": r"(?<!财政拨款)收、支总计",
    "收入合计": r"收入合计",
    "支出合计": r"支出合计",
    "基本支出": r"(?<!财政拨款)基本支出",
    "项目支出": r"(?<!财政拨款)项目支出",
    "财政拨款收支总计": r"财政拨款收、支总计",
    "一般公共预算财政拨款支出": r"一般公共预算财政拨款支出",
    "政府性基金预算财政拨款支出": r"政府性基金预算财政拨款支出",
    "国有资本经营预算财政拨款支出": r"国有资本经营预算财政拨款支出",
    "一般公共预算财政拨款收入": r"一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入": r"政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入": r"国有资本经营预算财政拨款收入",
    "机关运行经费": r"机关运行经费",
}
FIGURE_KEYS = ["机关运行经费", "机关运行经费预算数"]
PROCUREMENT_KINDS = ["货物", "工程", "服务"]
ASSET_KEYS = ["车辆合计", "副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车",
              "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车", "单价100万元(含)以上设备"]

ZERO = r"(?<![\d.])0(?:\.0+)?(?![\d.])"
CHANGE = r"(?:增加|减少)[\d.,]+万元|(?:增长|下降)[\d.]+%|持平"


def absent_claims(md, absent):
    """Claims the document makes from inputs it was not given."""
    probs = []
    y = year_of(md)
    prev = str(y - 1) if y else r"\d{4}"
    s3 = lambda k: section(md, "第三部分", k)  # noqa: E731

    if "prior_year.csv" in absent:
        why = "prior_year.csv absent, yet a comparison with last year"
        _find(probs, why, r"与%s年度?相比" % prev, md)
        _find(probs, why, r"比%s年度?(?:决算数?)?" % prev, md)
        _find(probs, why, r"较%s年" % prev, md)
        for k in ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "十、", "十一、", "十二、"]:
            # 九 compares with sangong.csv's own 上年决算数 (checked below)
            _find(probs, why + " (section %s)" % k, r"较上年|比上年|上年度", s3(k))
        for k in ["一、", "二、", "三、", "四、", "五、"]:
            body = s3(k)
            for s in sentences(body):
                if re.search(CHANGE, s) and "预算" not in s:
                    probs.append("%s (section %s): %s" % (why, k, s))
                elif re.search(r"主要原因是", s) and "预算" not in s:
                    probs.append("prior_year.csv absent, yet a reason for a change from last year (section %s): %s" % (k, s))
        _find(probs, "prior_year.csv absent, yet a chart figure for %s" % prev, r"(?m)^\s*-?\s*%s年度?[：:]\s*[\d.]+\s*万元" % prev, md)
        _find(probs, "prior_year.csv absent, yet a chart figure for last year", r"(?m)^\s*-\s*上年[^\n]*?[：:]\s*%s" % ZERO, md)

    # prior_year.csv keys not given: that figure is not compared
    mark = r"与%s年度?相比|比%s年度?|较%s年|较上年|比上年|同比" % (prev, prev, prev)
    for key, phrase in PRIOR_KEYS.items():
        if "prior_year.csv" in absent or "prior_year.csv:" + key not in absent:
            continue  # a missing sheet is checked above
        for p_, sec, body in parts(md):
            if not p_.startswith("第三部分") or sec.startswith("九、"):
                continue
            for s in sentences(body):
                claim = s.split("主要原因")[0]  # not the reason's own words
                if re.search(phrase, claim) and re.search(mark, claim) and "预算数" not in claim:
                    probs.append("prior_year.csv has no %s, yet it is compared with last year (section %s): %s"
                                 % (key, sec.split("、")[0], s))
    for m in re.finditer(r"(?m)^(图\d+[：:].*)\n\s*\n((?:\s*- .*\n?)+)", md):
        key = "财政拨款收支总计" if "财政拨款收、支" in m.group(1) else "收支总计" if "收、支" in m.group(1) else None
        if key and "prior_year.csv:" + key in absent and re.search(r"(?m)^\s*-\s*(?:%s年度?|上年)" % prev, m.group(2)):
            probs.append("prior_year.csv has no %s, yet the chart shows last year: %s" % (key, m.group(0).strip().replace("\n", "⏎")))

    sg_sheet = "sangong.csv" in absent
    sg_prev = sg_sheet or "sangong.csv:上年决算数" in absent
    if sg_prev:
        sec9 = s3("九、")
        why = "sangong.csv %s, yet 三公 compared with last year" % ("absent" if sg_sheet else "without 上年决算数")
        prior_total = "prior_year.csv" not in absent and "prior_year.csv:三公经费" not in absent
        for s in sentences(sec9):
            if not re.search(r"较上年|比上年|上年决算", s):
                continue
            # the 三公 total may be compared with prior_year.csv's 三公经费
            # when that is given and this year's figures are
            total = "三公\"经费" in s or "三公”经费" in s or "“三公”" in s
            if total and prior_total and not sg_sheet:
                # …unless the change is the whole of this year's figure:
                # then last year was taken as zero
                now = re.search(r"支出决算为([\d.]+)万元", s)
                chg = re.search(r"较上年(?:增加|减少)([\d.]+)万元", s)
                if not (now and chg and float(now.group(1)) == float(chg.group(1)) and float(now.group(1)) != 0):
                    continue
            probs.append("%s: %s" % (why, s))
    if sg_sheet:
        why = "sangong.csv absent, yet a 无 claim"
        _find(probs, why, r"无因公出国|无公务用车|无公务接待|无“?\"?三公", md)
        _find(probs, "sangong.csv absent, yet a zero 三公 figure", r"%s(?:万元|辆)" % ZERO, s3("九、"))

    if "procurement.csv" in absent:
        _find(probs, "procurement.csv absent, yet a 无政府采购 claim", r"无政府采购", md)
        _find(probs, "procurement.csv absent, yet a zero procurement figure", r"%s万元" % ZERO, s3("十一、"))

    for k in PROCUREMENT_KINDS:
        if "procurement.csv:" + k in absent:
            _find(probs, "procurement.csv has no %s row, yet a zero" % k, r"%s[^，。；\n]{0,12}?%s\s*万元" % (k, ZERO), s3("十一、"))
    for k in ASSET_KEYS:
        if "assets.csv:" + k in absent:
            _find(probs, "assets.csv has no %s row, yet a zero" % k, re.escape(k) + r"[^，。；\n]{0,8}?%s\s*(?:辆|台)" % ZERO, s3("十二、"))

    if "assets.csv" in absent:
        # (section 九's 公务用车 counts are sangong.csv's 数量)
        _find(probs, "assets.csv absent, yet vehicle counts", r"共有车辆", md)
        _find(probs, "assets.csv absent, yet an asset count", r"\d+\s*(?:辆|台\s*[(（]套[)）])", s3("十二、"))

    if "figures.csv" in absent:
        sec10 = s3("十、")
        _find(probs, "figures.csv absent, yet a 机关运行经费 figure", r"机关运行经费[^。\n]{0,12}?[\d.]+万元", sec10)
        _find(probs, "figures.csv absent, yet a 机关运行经费 comparison", r"年初预算数|" + CHANGE, sec10)

    if "figures.csv" not in absent:
        sec10 = s3("十、")
        if "figures.csv:机关运行经费" in absent:
            _find(probs, "figures.csv has no 机关运行经费, yet a figure", r"机关运行经费[^。\n]{0,12}?[\d.]+万元", sec10)
        if "figures.csv:机关运行经费预算数" in absent:
            _find(probs, "figures.csv has no 机关运行经费预算数, yet a comparison with it", r"年初预算数", sec10)

    if "perf_items.csv" in absent:
        sec13 = s3("十三、")
        _find(probs, "perf_items.csv absent, yet a claim about 绩效", r"未填报|未开展|没有|无[^。\n]{0,8}绩效", sec13)
        _find(probs, "perf_items.csv absent, yet 绩效 figures", r"\d+(?:\.\d+)?\s*(?:个|分)(?![人别体性])", sec13)

    if "budget.csv" in absent:
        why = "budget.csv absent, yet a 年初预算 claim"
        body = s3("五、")
        _find(probs, why, r"年初预算(?:数)?为%s\s*万元" % ZERO, md)
        _find(probs, why, r"完成年初预算", md)
        _find(probs, why, r"(?:大于|小于|等于)年初预算数", body)
        _find(probs, why, r"年初预算(?:数)?为[\d.]+\s*万元", body)
    return probs


def file_names(text, names, where):
    """Schema file names (e.g. perf_items.csv) appearing in a public output;
    whitespace is ignored (pdftotext breaks lines anywhere)."""
    flat = re.sub(r"\s+", "", text)
    probs = []
    for n in names:
        for m in re.finditer(r"(?<![A-Za-z0-9_-])" + re.escape(n), flat):
            probs.append("%s names the schema file %s: …%s…" % (where, n, _ctx(flat, m.start(), m.end(), 20)))
    return probs


def empty_sections(md):
    """A heading (## part or ### section) followed by nothing but blank
    lines before the next heading of its level or above, or the end: a
    section whose data is absent must go with its heading (or say something
    the template author wrote), never stand empty."""
    probs = []
    lines = [line for line in md.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        m = re.match(r"(#{2,}) ", line)
        if not m:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        n = re.match(r"(#+) ", nxt)
        if not nxt or (n and len(n.group(1)) <= len(m.group(1))):
            probs.append("empty section: " + line)
    return probs


def problems(md, absent=(), draft=False):
    return dangling(md, draft) + absent_claims(md, set(absent))
