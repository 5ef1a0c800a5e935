#!/usr/bin/env python3
"""The budget tables of a workbook computed independently of juesuan: plain
Python sums over the CSV sheets of the budget phase (docs/budget.md), for
the national layout (profile budget) and the Shanghai layout
(shanghai-budget), table by table, row by row, column by column, in 分.

    budget_expect.py WORKBOOK_FOLDER PROFILE  ->  JSON on stdout:
    {"01": {"<block>|<row key>": {"<column heading path>": fen, ...}, ...}, ...}

A row key is its functional or economic code, its 行次 (#n) or its label.
Cells not listed are 0. tests/budget.t compares this with
`juesuan tables --format json`."""
import csv
import json
import os
import sys
from collections import defaultdict

GENERAL, GOVFUND, SOE = "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"
FISCAL = (GENERAL, GOVFUND, SOE)
FUNDS = FISCAL + ("上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入")
OTHER = ("上级补助收入", "附属单位上缴收入", "其他收入")  # Shanghai's 其他收入


def fen(text):
    """元 with up to two decimals (the examples' form) to integer 分."""
    text = text.strip().replace(",", "")
    if not text:
        return 0
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    v = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -v if neg else v


def sheet(folder, name):
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def amount(row, name):
    for k, v in row.items():
        if k.startswith(name + "("):
            scale = 10000 if k.endswith("(万元)") else 1
            return fen(v) * scale
    return 0


def load(folder):
    lines = [dict(func=r["功能分类科目编码"], econ=r.get("经济分类科目编码", ""), fund=r["资金来源"],
                  spend=r["支出类型"], amount=amount(r, "预算数"), prior=amount(r, "上年预算数"))
             for r in sheet(folder, "budget_expenditure.csv")]
    revenue = [dict(func=r["功能分类科目编码"], fund=r["收入类型"], amount=amount(r, "预算数"))
               for r in sheet(folder, "budget_revenue.csv")]
    carry = [dict(func=r["功能分类科目编码"], fund=r["资金来源"], amount=amount(r, "上年结转"))
             for r in sheet(folder, "budget_carryover.csv")]
    sangong = {r["项目"]: (amount(r, "预算数"), amount(r, "上年预算数")) for r in sheet(folder, "budget_sangong.csv")}
    figures = {r["项目"]: amount(r, "预算数") for r in sheet(folder, "budget_figures.csv")}
    return lines, revenue, carry, sangong, figures


def total(items, **where):
    """The sum of items whose fields pass where (a value, or a tuple of values)."""
    s = 0
    for x in items:
        if all(x[k] in (v if isinstance(v, tuple) else (v,)) for k, v in where.items()):
            s += x["amount"]
    return s


def by_code(items, digits, key="func"):
    """Items grouped by their code's first digits (类 3, 款 5, 项 7)."""
    groups = defaultdict(list)
    for x in items:
        for d in digits:
            if len(x[key]) >= d:
                groups[x[key][:d]].append(x)
    return groups


def code_rows(out, block, items, digits, columns, key="func"):
    """One row per code with money, columns: heading -> filter over its items."""
    for code, group in by_code(items, digits, key).items():
        cells = {h: f(group) for h, f in columns.items()}
        if any(cells.values()):
            out["%d|%s" % (block, code)] = cells


def national(lines, revenue, carry, sangong, figures):
    t = {}
    # 01 收支总体情况表
    r = {}
    for i, fund in enumerate(FUNDS):
        r["0|#%d" % (i + 1)] = {"预算数": total(revenue, fund=fund)}
    r["0|#9"] = {"预算数": total(revenue)}
    r["0|#10"] = {"预算数": total(carry)}
    r["0|#11"] = {"预算数": total(revenue) + total(carry)}
    code_rows(r, 1, lines, [3], {"预算数": total})
    r["1|#50"] = {"预算数": total(lines)}
    r["1|#52"] = {"预算数": total(lines)}
    t["01"] = r
    # 02 收入总体情况表: revenue and carry-over
    # 其他收入 holds 上级补助收入 and 附属单位上缴收入 too
    heads = {"一般公共预算拨款收入": (GENERAL,), "政府性基金预算拨款收入": (GOVFUND,),
             "国有资本经营预算拨款收入": (SOE,), "事业收入": ("事业收入",), "事业单位经营收入": ("经营收入",),
             "其他收入": OTHER}
    both = [dict(x, kind="rev") for x in revenue] + [dict(x, kind="carry") for x in carry]
    cols = {"合计": total, "上年结转": lambda g: total(g, kind="carry")}
    for h, funds in heads.items():
        cols[h] = lambda g, funds=funds: total(g, kind="rev", fund=funds)
    r = {"0|合计": {h: f(both) for h, f in cols.items()}}
    code_rows(r, 0, both, [3, 5, 7], cols)
    t["02"] = r
    # 03 支出总体情况表
    spends = {"基本支出": "基本支出", "项目支出": "项目支出", "上缴上级支出": "上缴上级支出",
              "事业单位经营支出": "经营支出", "对附属单位补助支出": "对附属单位补助支出"}
    cols = {"合计": total}
    for h, s in spends.items():
        cols[h] = lambda g, s=s: total(g, spend=s)
    r = {"0|合计": {h: f(lines) for h, f in cols.items()}}
    code_rows(r, 0, lines, [3, 5, 7], cols)
    t["03"] = r
    # 04 财政拨款收支总体情况表
    r = {"0|#1": {"预算数": total(revenue, fund=FISCAL)}, "0|#5": {"预算数": total(carry, fund=FISCAL)}}
    for i, fund in enumerate(FISCAL):
        r["0|#%d" % (2 + i)] = {"预算数": total(revenue, fund=fund)}
        r["0|#%d" % (6 + i)] = {"预算数": total(carry, fund=fund)}
    r["0|#9"] = {"预算数": total(revenue, fund=FISCAL) + total(carry, fund=FISCAL)}
    fiscal = [x for x in lines if x["fund"] in FISCAL]
    cols = {"预算数/合计": total, "预算数/一般公共预算": lambda g: total(g, fund=GENERAL),
            "预算数/政府性基金预算": lambda g: total(g, fund=GOVFUND),
            "预算数/国有资本经营预算": lambda g: total(g, fund=SOE)}
    code_rows(r, 1, fiscal, [3], cols)
    r["1|#50"] = {h: f(fiscal) for h, f in cols.items()}
    t["04"] = r
    # 05, 06, 07: one fund by 类/款/项
    for tid, fund in (("05", GENERAL), ("06", GOVFUND), ("07", SOE)):
        mine = [x for x in lines if x["fund"] == fund]
        cols = {"合计": total, "基本支出": lambda g: total(g, spend="基本支出"),
                "项目支出": lambda g: total(g, spend="项目支出")}
        r = {"0|合计": {h: f(mine) for h, f in cols.items()}}
        code_rows(r, 0, mine, [3, 5, 7], cols)
        t[tid] = r
    # 08 一般公共预算基本支出 by economic 类/款
    basic = [x for x in lines if x["fund"] == GENERAL and x["spend"] == "基本支出"]
    personnel = lambda g: sum(x["amount"] for x in g if x["econ"][:3] in ("301", "303"))
    cols = {"合计": total, "人员经费": personnel, "公用经费": lambda g: total(g) - personnel(g)}
    r = {"0|合计": {h: f(basic) for h, f in cols.items()}}
    code_rows(r, 0, basic, [3, 5], cols, key="econ")
    t["08"] = r
    # 09 “三公”经费: last year's and this year's budget
    r = {}
    for col, k in (("上年预算数", 1), ("本年预算数", 0)):
        g = {item: v[k] for item, v in sangong.items()}
        car = g.get("公务用车购置费", 0) + g.get("公务用车运行维护费", 0)
        r.update({col + "/合计": g.get("因公出国(境)费", 0) + car + g.get("公务接待费", 0),
                  col + "/因公出国(境)费": g.get("因公出国(境)费", 0),
                  col + "/公务用车购置及运行费/小计": car,
                  col + "/公务用车购置及运行费/公务用车购置费": g.get("公务用车购置费", 0),
                  col + "/公务用车购置及运行费/公务用车运行费": g.get("公务用车运行维护费", 0),
                  col + "/公务接待费": g.get("公务接待费", 0)})
    t["09"] = {"0|": r}
    return t


def shanghai(lines, revenue, carry, sangong, figures):
    n = national(lines, revenue, carry, sangong, figures)
    t = {}
    # T1: 财政拨款收入 and its three funds, 事业收入, 事业单位经营收入, 其他收入; no 上年结转
    r = {"0|#1": {"预算数": total(revenue, fund=FISCAL)}}
    for i, fund in enumerate(FISCAL):
        r["0|#%d" % (2 + i)] = {"预算数": total(revenue, fund=fund)}
    r["0|#5"] = {"预算数": total(revenue, fund="事业收入")}
    r["0|#6"] = {"预算数": total(revenue, fund="经营收入")}
    r["0|#7"] = {"预算数": total(revenue, fund=OTHER)}
    r["0|#8"] = {"预算数": total(revenue)}
    code_rows(r, 1, lines, [3], {"预算数": total})
    r["1|支出总计"] = {"预算数": total(lines)}
    t["01"] = r
    # T2: 收入预算 by 类/款/项
    cols = {"收入预算/合计": total, "收入预算/财政拨款收入": lambda g: total(g, fund=FISCAL),
            "收入预算/事业收入": lambda g: total(g, fund="事业收入"),
            "收入预算/事业单位经营收入": lambda g: total(g, fund="经营收入"),
            "收入预算/其他收入": lambda g: total(g, fund=OTHER)}
    r = {"0|合计": {h: f(revenue) for h, f in cols.items()}}
    code_rows(r, 0, revenue, [3, 5, 7], cols)
    t["02"] = r
    # T3, T5–T8: the national tables under the Shanghai headings
    def renamed(table, prefix, keep):
        return {row: {prefix + "/" + h: v for h, v in cells.items() if h in keep} for row, cells in table.items()}
    t["03"] = renamed(n["03"], "支出预算", ("合计", "基本支出", "项目支出"))
    t["05"] = renamed(n["05"], "一般公共预算支出", ("合计", "基本支出", "项目支出"))
    t["06"] = renamed(n["06"], "政府性基金预算支出", ("合计", "基本支出", "项目支出"))
    t["07"] = renamed(n["07"], "国有资本经营预算支出", ("合计", "基本支出", "项目支出"))
    t["08"] = renamed(n["08"], "一般公共预算基本支出", ("合计", "人员经费", "公用经费"))
    # T4: 财政拨款收入 by fund, 支出 by 类
    r = {"0|#%d" % (1 + i): {"预算数": total(revenue, fund=fund)} for i, fund in enumerate(FISCAL)}
    r["0|#4"] = {"预算数": total(revenue, fund=FISCAL)}
    for row, cells in n["04"].items():
        if row.startswith("1|"):
            key = "1|支出总计" if row == "1|#50" else row
            r[key] = {h.split("/", 1)[1]: v for h, v in cells.items()}
    t["04"] = r
    # T9: this year's 三公 and 机关运行经费
    b = {h.split("/", 1)[1]: v for h, v in n["09"]["0|"].items() if h.startswith("本年预算数/")}
    t["09"] = {"0|": {"“三公”经费预算数/合计": b["合计"], "“三公”经费预算数/因公出国(境)费": b["因公出国(境)费"],
                      "“三公”经费预算数/公务接待费": b["公务接待费"],
                      "“三公”经费预算数/公务用车购置及运行费/小计": b["公务用车购置及运行费/小计"],
                      "“三公”经费预算数/公务用车购置及运行费/购置费": b["公务用车购置及运行费/公务用车购置费"],
                      "“三公”经费预算数/公务用车购置及运行费/运行费": b["公务用车购置及运行费/公务用车运行费"],
                      "机关运行经费预算数": figures.get("机关运行经费", 0)}}
    return t


def main():
    folder, profile = sys.argv[1], sys.argv[2]
    data = load(folder)
    if profile == "budget":
        tables = national(*data)
        del tables["07"]  # defined, printed only by a layout that lists it
    else:
        tables = shanghai(*data)
    json.dump(tables, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
