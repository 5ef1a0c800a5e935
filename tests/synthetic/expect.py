#!/usr/bin/env python3
"""Expected nine public tables of a workbook, computed independently of the C engine.

usage: expect.py WORKBOOK_DIR [DICT_DIR] > expected.csv

Reads the workbook CSV sheets (expenditure, revenue, carryover, surplus, sangong,
department) and writes the nine tables of the default profile in the "long"
format, one amount cell per line:

    table,row,code,name,column,value

  table   01 … 09
  row     the 行次 in tables 01 and 04; otherwise the 1-based position of the row
          among the printed rows (合计 = 1 in 02/03/05/07/08; 06 numbers the
          人员经费 block, then the 302 block, then the 310 block, then the two
          footers; 09 has the single row 1)
  code    functional code (类 in 01/04, 项 elsewhere) or economic code (06);
          empty on label rows (合计, 本年收入合计, 总计, footers …)
  name    the row label as printed
  column  the column heading path joined with "/"
  value   万元, two decimals, rounded half away from zero from the exact sum in
          分; EMPTY when the exact sum is zero

Only amount cells are written (no code / name / 行次 columns); blank spacer rows
of 01/04 are skipped.  01/04 keep all 26 类 rows, 06 keeps every listed code,
02/03/05/07/08 keep 合计 plus the 项 rows having at least one non-zero cell.

This script deliberately does NOT read the profile's table JSON filters: the
semantics below are written from the domain description (shared/domain.md) so
that the engine's output can be checked against an independent computation.
Only the Python standard library is used, and money never touches a float:
amounts are parsed with fractions.Fraction and kept as integer 分.

Names: 项 and economic names come from DICT_DIR/functional.csv and
DICT_DIR/economic.csv (columns 编码,名称) when those files exist (DICT_DIR
defaults to data/dict/<分类科目版本 or 年度> of this repository); otherwise from the
built-in lists below.
"""

import csv
import os
import sys
from collections import defaultdict
from fractions import Fraction

# --------------------------------------------------------------------------
# Vocabularies (from lib/read/vocab.c / shared/domain.md)

GENERAL = "一般公共预算财政拨款"
GOVFUND = "政府性基金预算财政拨款"
SOE = "国有资本经营预算财政拨款"
FISCAL = (GENERAL, GOVFUND, SOE)            # the three 财政拨款 funds
FUNDS = FISCAL + ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
SPENDS = ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")

ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
            "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十",
            "二十一", "二十二", "二十三", "二十四", "二十五", "二十六"]

# The 26 functional 类 listed (even when empty) in tables 01 and 04, in order.
LEI = [
    ("201", "一般公共服务支出"), ("202", "外交支出"), ("203", "国防支出"),
    ("204", "公共安全支出"), ("205", "教育支出"), ("206", "科学技术支出"),
    ("207", "文化旅游体育与传媒支出"), ("208", "社会保障和就业支出"),
    ("210", "卫生健康支出"), ("211", "节能环保支出"), ("212", "城乡社区支出"),
    ("213", "农林水支出"), ("214", "交通运输支出"), ("215", "资源勘探工业信息等支出"),
    ("216", "商业服务业等支出"), ("217", "金融支出"), ("219", "援助其他地区支出"),
    ("220", "自然资源海洋气象等支出"), ("221", "住房保障支出"),
    ("222", "粮油物资储备支出"), ("223", "国有资本经营预算支出"),
    ("224", "灾害防治及应急管理支出"), ("229", "其他支出"), ("231", "债务还本支出"),
    ("232", "债务付息支出"), ("234", "抗疫特别国债安排的支出"),
]

# Fallback 项 names (used when the dictionary file is absent).
FUNC_NAMES = {
    "2060101": "行政运行", "2060102": "一般行政管理事务", "2060201": "机构运行",
    "2060499": "其他技术研究与开发支出", "2060501": "机构运行", "2060503": "科技条件专项",
    "2069999": "其他科学技术支出", "2080505": "机关事业单位基本养老保险缴费支出",
    "2101101": "行政单位医疗", "2101102": "事业单位医疗", "2101103": "公务员医疗补助",
    "2150801": "行政运行", "2150805": "中小企业发展专项", "2210201": "住房公积金",
    "2210202": "提租补贴", "2120803": "城市建设支出",
    "2290402": "其他地方自行试点项目收益专项债券收入安排的支出",
}

# Table 06: its three blocks in print order (codes as listed by the national
# template), with fallback economic names.
T06_BLOCKS = [
    [("301", "工资福利支出"), ("30101", "基本工资"), ("30102", "津贴补贴"),
     ("30103", "奖金"), ("30106", "伙食补助费"), ("30107", "绩效工资"),
     ("30108", "机关事业单位基本养老保险缴费"), ("30109", "职业年金缴费"),
     ("30110", "职工基本医疗保险缴费"), ("30111", "公务员医疗补助缴费"),
     ("30112", "其他社会保障缴费"), ("30113", "住房公积金"), ("30114", "医疗费"),
     ("30199", "其他工资福利支出"),
     ("303", "对个人和家庭的补助"), ("30301", "离休费"), ("30302", "退休费"),
     ("30303", "退职(役)费"), ("30304", "抚恤金"), ("30305", "生活补助"),
     ("30306", "救济费"), ("30307", "医疗费补助"), ("30308", "助学金"),
     ("30309", "奖励金"), ("30310", "个人农业生产补贴"), ("30311", "代缴社会保险费"),
     ("30399", "其他对个人和家庭的补助")],
    [("302", "商品和服务支出"), ("30201", "办公费"), ("30202", "印刷费"),
     ("30203", "咨询费"), ("30204", "手续费"), ("30205", "水费"), ("30206", "电费"),
     ("30207", "邮电费"), ("30208", "取暖费"), ("30209", "物业管理费"),
     ("30211", "差旅费"), ("30212", "因公出国(境)费用"), ("30213", "维修(护)费"),
     ("30214", "租赁费"), ("30215", "会议费"), ("30216", "培训费"),
     ("30217", "公务接待费"), ("30218", "专用材料费"), ("30224", "被装购置费"),
     ("30225", "专用燃料费"), ("30226", "劳务费"), ("30227", "委托业务费"),
     ("30228", "工会经费"), ("30229", "福利费"), ("30231", "公务用车运行维护费"),
     ("30239", "其他交通费用"), ("30240", "税金及附加费用"),
     ("30299", "其他商品和服务支出")],
    [("310", "资本性支出"), ("31002", "办公设备购置"), ("31003", "专用设备购置"),
     ("31007", "信息网络及软件购置更新"), ("31013", "公务用车购置"),
     ("31021", "文物和陈列品购置"), ("31022", "无形资产购置"),
     ("31099", "其他资本性支出")],
]

# --------------------------------------------------------------------------
# Money: integer 分, never float


def die(msg):
    sys.stderr.write("expect.py: %s\n" % msg)
    sys.exit(2)


def split_heading(h):
    """'金额(元)' -> ('金额', 100); '年初预算数(万元)' -> ('年初预算数', 1000000);
    other headings -> (h, None).  The factor converts the written unit to 分."""
    h = h.strip().lstrip("\ufeff")
    for suffix, factor in (("(万元)", 1000000), ("（万元）", 1000000),
                           ("(元)", 100), ("（元）", 100)):
        if h.endswith(suffix):
            return h[: -len(suffix)].strip(), factor
    return h, None


def to_fen(text, factor, where):
    """Exact conversion of a written amount to integer 分 (blank = 0)."""
    s = text.strip().replace(",", "")
    if s == "":
        return 0
    try:
        v = Fraction(s) * factor
    except ValueError:
        die("%s: not a number: %r" % (where, text))
    if v.denominator != 1:
        die("%s: %r is not a whole number of 分" % (where, text))
    return int(v)


def wan(fen):
    """分 -> '万元' string with two decimals, half away from zero; '' for 0.

    1 万元 = 1 000 000 分, so one hundredth of a 万元 is 10 000 分:
    q = round(|fen| / 10000) with the half going up, then sign and format."""
    if fen == 0:
        return ""
    q, r = divmod(abs(fen), 10000)
    if 2 * r >= 10000:
        q += 1
    sign = "-" if fen < 0 else ""
    return "%s%d.%02d" % (sign, q // 100, q % 100)


def read_sheet(folder, name):
    """Rows of a sheet as dicts keyed by heading without unit; money columns
    already converted to 分.  A missing optional sheet reads as no rows."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return []
    heads = [split_heading(h) for h in rows[0]]
    out = []
    for i, raw in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        d = {}
        for (h, factor), cell in zip(heads, raw + [""] * (len(heads) - len(raw))):
            if factor is None:
                d[h] = cell.strip()
            else:
                d[h] = to_fen(cell, factor, "%s:%d" % (name, i))
        out.append(d)
    return out


def read_names(path, fallback):
    names = dict(fallback)
    if os.path.exists(path):
        with open(path, encoding="utf-8-sig", newline="") as f:
            r = csv.DictReader(f)
            if r.fieldnames and "编码" in r.fieldnames and "名称" in r.fieldnames:
                for row in r:
                    code = (row["编码"] or "").strip()
                    if code:
                        names[code] = (row["名称"] or "").strip()
    return names


# --------------------------------------------------------------------------


def main():
    if len(sys.argv) < 2:
        die("usage: expect.py WORKBOOK_DIR [DICT_DIR]")
    wb = sys.argv[1]

    dept = {r["项目"]: r["内容"] for r in read_sheet(wb, "department.csv")}
    edition = dept.get("分类科目版本") or dept.get("年度") or "2024"
    here = os.path.dirname(os.path.abspath(__file__))
    dict_dir = sys.argv[2] if len(sys.argv) > 2 else \
        os.path.join(here, "..", "..", "data", "dict", edition)
    func_names = read_names(os.path.join(dict_dir, "functional.csv"), FUNC_NAMES)
    lei_names = dict(LEI)
    for code in lei_names:                      # dictionary 类 names win if present
        lei_names[code] = func_names.get(code, lei_names[code])
    econ_fallback = {c: n for block in T06_BLOCKS for c, n in block}
    econ_names = read_names(os.path.join(dict_dir, "economic.csv"), econ_fallback)

    # ---- the books, as integer 分
    # expenditure line: (func 项, econ 款, fund, spend type, amount)
    EXP = [(r["功能分类科目编码"], r.get("经济分类科目编码", ""), r["资金来源"],
            r["支出类型"], r["金额"]) for r in read_sheet(wb, "expenditure.csv")]
    # revenue line: (func 项, income type, amount)
    REV = [(r["功能分类科目编码"], r["收入类型"], r["金额"])
           for r in read_sheet(wb, "revenue.csv")]
    # carry-over line: (func 项, fund, 年初, 年末)
    CO = [(r["功能分类科目编码"], r["资金来源"], r.get("年初结转和结余", 0),
           r.get("年末结转和结余", 0)) for r in read_sheet(wb, "carryover.csv")]
    SUR = read_sheet(wb, "surplus.csv")
    SG = {r["项目"]: r for r in read_sheet(wb, "sangong.csv")}

    for fn, ec, fd, sp, _ in EXP:
        if fd not in FUNDS or sp not in SPENDS:
            die("unknown fund/spend type %r/%r" % (fd, sp))

    def exp(pred):
        """Σ expenditure amount over lines (func, econ, fund, spend) matching pred."""
        return sum(a for fn, ec, fd, sp, a in EXP if pred(fn, ec, fd, sp))

    def rev(pred):
        """Σ revenue amount over lines (func, type) matching pred."""
        return sum(a for fn, t, a in REV if pred(fn, t))

    def opening(pred):
        """Σ 年初结转和结余 over carry-over lines (func, fund) matching pred."""
        return sum(o for fn, fd, o, c in CO if pred(fn, fd))

    def closing(pred):
        """Σ 年末结转和结余 over carry-over lines (func, fund) matching pred."""
        return sum(c for fn, fd, o, c in CO if pred(fn, fd))

    def surplus(item):
        return sum(r["金额"] for r in SUR if r["项目"] == item)

    out = []

    def emit(table, row, code, name, column, fen):
        out.append((table, row, code, name, column, wan(fen)))

    ANY = lambda *a: True                                     # noqa: E731

    # ====================================================================
    # 01 收入支出决算总表 (all funds)
    #   1–8  revenue by 收入类型 (the 8 types, in vocabulary order)
    #   27   本年收入合计 = all revenue
    #   28   使用非财政拨款结余 (surplus.csv)
    #   29   年初结转和结余 = Σ 年初 over all funds
    #   31   总计 = 27 + 28 + 29
    #   32–57 expenditure by 类 (first 3 digits of the 项 code), all funds
    #   58   本年支出合计 = all expenditure
    #   59   结余分配 (surplus.csv)
    #   60   年末结转和结余 = Σ 年末 over all funds
    #   62   总计 = 58 + 59 + 60
    col = "金额"
    for i, fund in enumerate(FUNDS):
        label = fund + "收入" if fund in FISCAL else fund   # 一般公共预算财政拨款收入 …
        emit("01", i + 1, "", ORDINALS[i] + "、" + label, col,
             rev(lambda fn, t, f=fund: t == f))
    r27 = rev(ANY)
    r28 = surplus("使用非财政拨款结余")
    r29 = opening(ANY)
    emit("01", 27, "", "本年收入合计", col, r27)
    emit("01", 28, "", "使用非财政拨款结余", col, r28)
    emit("01", 29, "", "年初结转和结余", col, r29)
    emit("01", 31, "", "总计", col, r27 + r28 + r29)
    for i, (lei, _) in enumerate(LEI):
        emit("01", 32 + i, lei, ORDINALS[i] + "、" + lei_names[lei], col,
             exp(lambda fn, ec, fd, sp, l=lei: fn[:3] == l))
    r58 = exp(ANY)
    r59 = surplus("结余分配")
    r60 = closing(ANY)
    emit("01", 58, "", "本年支出合计", col, r58)
    emit("01", 59, "", "结余分配", col, r59)
    emit("01", 60, "", "年末结转和结余", col, r60)
    emit("01", 62, "", "总计", col, r58 + r59 + r60)

    # ====================================================================
    # 02 收入决算表: revenue per 项 × type.  财政拨款收入 = the three 财政拨款
    # types together; 本年收入合计 = all types.  Row 1 = 合计 (all 项).
    cols02 = [("本年收入合计", lambda t: True),
              ("财政拨款收入", lambda t: t in FISCAL)] + \
             [(t, (lambda t0: lambda t: t == t0)(t)) for t in FUNDS[3:]]

    def table_by_xiang(table, cols, value, xiangs):
        """合计 row then one row per 项 (sorted by code) having a non-zero cell.
        value(colpred, xiang_or_None) gives the exact 分 sum of one cell."""
        emit_rows = [("", "合计", None)]
        for x in sorted(xiangs):
            if any(value(p, x) != 0 for _, p in cols):
                emit_rows.append((x, func_names.get(x, ""), x))
        for n, (code, name, x) in enumerate(emit_rows, start=1):
            for heading, p in cols:
                emit(table, n, code, name, heading, value(p, x))

    rev_xiangs = {fn for fn, t, a in REV}
    exp_xiangs = {fn for fn, ec, fd, sp, a in EXP}
    co_xiangs = {fn for fn, fd, o, c in CO}
    table_by_xiang("02", cols02,
                   lambda p, x: rev(lambda fn, t: p(t) and (x is None or fn == x)),
                   rev_xiangs)

    # ====================================================================
    # 03 支出决算表: expenditure (all funds) per 项 × 支出类型;
    # 本年支出合计 = all types.
    cols03 = [("本年支出合计", lambda sp: True)] + \
             [(s, (lambda s0: lambda sp: sp == s0)(s)) for s in SPENDS]
    table_by_xiang("03", cols03,
                   lambda p, x: exp(lambda fn, ec, fd, sp: p(sp) and (x is None or fn == x)),
                   exp_xiangs)

    # ====================================================================
    # 04 财政拨款收入支出决算总表 (the three 财政拨款 funds only)
    #   1–3  revenue per fund;  27 = 1+2+3
    #   28   年初 of the three funds;  29–31 年初 per fund;  32 总计 = 27 + 28
    #   33–58 expenditure per 类: 决算数/合计 (three funds) and one column per fund
    #   59   本年支出合计 (same columns);  60 年末 of the funds (same columns)
    #   64   总计 = 59 + 60 (per column)
    col = "决算数"
    for i, fund in enumerate(FISCAL):
        emit("04", i + 1, "", ORDINALS[i] + "、" + fund, col, rev(lambda fn, t, f=fund: t == f))
    r27 = rev(lambda fn, t: t in FISCAL)
    r28 = opening(lambda fn, fd: fd in FISCAL)
    emit("04", 27, "", "本年收入合计", col, r27)
    emit("04", 28, "", "年初财政拨款结转和结余", col, r28)
    for i, fund in enumerate(FISCAL):
        emit("04", 29 + i, "", fund, col, opening(lambda fn, fd, f=fund: fd == f))
    emit("04", 32, "", "总计", col, r27 + r28)

    cols04 = [("决算数/合计", FISCAL)] + [("决算数/" + f, (f,)) for f in FISCAL]
    for i, (lei, _) in enumerate(LEI):
        for heading, funds in cols04:
            emit("04", 33 + i, lei, ORDINALS[i] + "、" + lei_names[lei], heading,
                 exp(lambda fn, ec, fd, sp, l=lei, fs=funds: fn[:3] == l and fd in fs))
    for heading, funds in cols04:
        e59 = exp(lambda fn, ec, fd, sp, fs=funds: fd in fs)
        e60 = closing(lambda fn, fd, fs=funds: fd in fs)
        emit("04", 59, "", "本年支出合计", heading, e59)
        emit("04", 60, "", "年末财政拨款结转和结余", heading, e60)
        emit("04", 64, "", "总计", heading, e59 + e60)

    # ====================================================================
    # 05 一般公共预算财政拨款支出决算表: 一般公共预算 expenditure per 项;
    # 小计 = all its spending, 基本支出 / 项目支出 by 支出类型.
    cols05 = [("本年支出/小计", lambda sp: True),
              ("本年支出/基本支出", lambda sp: sp == "基本支出"),
              ("本年支出/项目支出", lambda sp: sp == "项目支出")]
    table_by_xiang("05", cols05,
                   lambda p, x: exp(lambda fn, ec, fd, sp: fd == GENERAL and p(sp)
                                    and (x is None or fn == x)),
                   exp_xiangs)

    # ====================================================================
    # 06 一般公共预算财政拨款基本支出决算明细表: 一般公共预算 × 基本支出 lines by
    # economic code.  A 3-digit 类 row sums every 款 starting with it; a 款 row
    # sums its own code.  人员经费合计 = 301 + 303; 公用经费合计 = every other
    # economic code (302, 310, and anything else).
    def basic_general(pred_econ):
        return exp(lambda fn, ec, fd, sp: fd == GENERAL and sp == "基本支出" and pred_econ(ec))

    n = 0
    for block in T06_BLOCKS:
        for code, _ in block:
            n += 1
            emit("06", n, code, econ_names.get(code, ""), "决算数",
                 basic_general(lambda ec, c=code: ec.startswith(c)))
    emit("06", n + 1, "", "人员经费合计", "决算数",
         basic_general(lambda ec: ec[:3] in ("301", "303")))
    emit("06", n + 2, "", "公用经费合计", "决算数",
         basic_general(lambda ec: ec[:3] not in ("301", "303")))

    # ====================================================================
    # 07 政府性基金预算财政拨款收入支出决算表 (fund 政府性基金 only), per 项:
    # 年初结转和结余, 本年收入, 本年支出 小计/基本支出/项目支出, 年末结转和结余.
    def v07(kind, x):
        inx = lambda fn: x is None or fn == x                 # noqa: E731
        if kind == "open":
            return opening(lambda fn, fd: fd == GOVFUND and inx(fn))
        if kind == "income":
            return rev(lambda fn, t: t == GOVFUND and inx(fn))
        if kind == "close":
            return closing(lambda fn, fd: fd == GOVFUND and inx(fn))
        return exp(lambda fn, ec, fd, sp: fd == GOVFUND and inx(fn)
                   and (kind == "total" or sp == kind))
    cols07 = [("年初结转和结余", "open"), ("本年收入", "income"),
              ("本年支出/小计", "total"), ("本年支出/基本支出", "基本支出"),
              ("本年支出/项目支出", "项目支出"), ("年末结转和结余", "close")]
    table_by_xiang("07", cols07, v07, rev_xiangs | exp_xiangs | co_xiangs)

    # ====================================================================
    # 08 国有资本经营预算财政拨款支出决算表: fund 国有资本经营 expenditure per 项.
    cols08 = [("本年支出/合计", lambda sp: True),
              ("本年支出/基本支出", lambda sp: sp == "基本支出"),
              ("本年支出/项目支出", lambda sp: sp == "项目支出")]
    table_by_xiang("08", cols08,
                   lambda p, x: exp(lambda fn, ec, fd, sp: fd == SOE and p(sp)
                                    and (x is None or fn == x)),
                   exp_xiangs)

    # ====================================================================
    # 09 财政拨款"三公"经费支出决算表: one row, from sangong.csv 预算数 / 决算数.
    # 合计 = 因公出国(境)费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费
    # (会议费 and 培训费 are NOT part of 三公); 小计 = 购置费 + 运行维护费.
    def sg(item, field):
        r = SG.get(item)
        return r.get(field, 0) if r else 0
    for block in ("预算数", "决算数"):
        abroad = sg("因公出国(境)费", block)
        buy = sg("公务用车购置费", block)
        run = sg("公务用车运行维护费", block)
        recep = sg("公务接待费", block)
        car = "/公务用车购置及运行维护费"
        emit("09", 1, "", "", block + "/合计", abroad + buy + run + recep)
        emit("09", 1, "", "", block + "/因公出国(境)费", abroad)
        emit("09", 1, "", "", block + car + "/小计", buy + run)
        emit("09", 1, "", "", block + car + "/公务用车购置费", buy)
        emit("09", 1, "", "", block + car + "/公务用车运行维护费", run)
        emit("09", 1, "", "", block + "/公务接待费", recep)

    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["table", "row", "code", "name", "column", "value"])
    # stable order: table, then row, then emission order (= column order)
    order = sorted(range(len(out)), key=lambda i: (out[i][0], out[i][1], i))
    for i in order:
        w.writerow(out[i])


if __name__ == "__main__":
    main()
