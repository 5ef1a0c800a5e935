"""An exact feasibility oracle for printed tables, independent of the rule
engine: it states the identities of the nine public tables itself (from the
accounting, not from data/rules) and asks whether any exact amounts, each
within the half-open interval of its printed figure (a blank or absent cell
exactly 0), satisfy all of them. Used by tests/mutation.t.

Amounts are in 分 relative to the printed value, so every bound is a few
thousand and the linear program (scipy's HiGHS) works on small numbers; a
single identity whose interval excludes its right-hand side settles the
question before any program is solved."""
import sys

try:
    import numpy as np
except ImportError:  # a python3 other than Debian's (pyenv): use Debian's packages
    sys.path.append("/usr/lib/python3/dist-packages")
    import numpy as np
from scipy.optimize import linprog  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402

UNIT = 10000  # 0.01 万元 in 分
HALF = 5000


def fen(wan):
    neg = wan.startswith("-")
    whole, _, frac = wan.lstrip("-").partition(".")
    v = int(whole) * 1000000 + int((frac + "000000")[:6])
    return -v if neg else v


class Model:
    """The identities over every amount cell of a document's structure
    (values apart): a mutant that changes figures, blanks or drops rows
    keeps the same model."""

    def __init__(self, doc):
        self.doc = doc
        self.var = {}      # (table, row index, column key) -> index
        self.eqs, self.les = [], []  # {var: coef}: sum (= or <=) 0
        self.tables = {t["id"]: t for t in doc["tables"]}
        for t in doc["tables"]:
            for i, row in enumerate(t["rows"]):
                for col in t["blocks"][row["block"]]["columns"]:
                    if col["kind"] == "amount":
                        self.var[(t["id"], i, col["key"])] = len(self.var)

    # ---- cells -----------------------------------------------------------
    def column(self, t, row, heading):
        for c in t["blocks"][row["block"]]["columns"]:
            if c["kind"] == "amount" and "/".join(c["heading"]) == heading:
                return c["key"]
        return None

    def cell(self, tid, row, heading):
        """A term: a variable, or None for a cell the tables lack (0)."""
        t = self.tables.get(tid)
        if t is None or row is None:
            return None
        key = self.column(t, row, heading)
        return None if key is None else self.var[(tid, row["_i"], key)]

    def rows(self, tid):
        return self.tables[tid]["rows"] if tid in self.tables else []

    def by_no(self, tid, no):
        return next((r for r in self.rows(tid) if r["row"] == no), None)

    def by_code(self, tid, code):
        return next((r for r in self.rows(tid) if r["code"] == code), None)

    def by_name(self, tid, name):
        return next((r for r in self.rows(tid) if r["code"] is None and r["name"] == name), None)

    # ---- identities ------------------------------------------------------
    def rel(self, kind, left, right):
        """left, right: lists of terms (var or None); kind '=' or '<='."""
        lin = {}
        for sign, side in ((1, left), (-1, right)):
            for v in side:
                if v is not None:
                    lin[v] = lin.get(v, 0) + sign
        lin = {k: c for k, c in lin.items() if c}
        if lin:
            (self.eqs if kind == "=" else self.les).append(lin)

    def eq(self, left, right):
        self.rel("=", left, right)

    def le(self, left, right):
        self.rel("<=", left, right)


def code_rows(m, tid, level=None):
    return [r for r in m.rows(tid) if r["code"] and (level is None or len(r["code"]) == level)]


def hierarchy(m, tid, columns):
    """合计 = the sum of the 项 rows; a 类 or 款 row = the sum of the rows just below it."""
    total = m.by_name(tid, "合计")
    codes = code_rows(m, tid)
    for col in columns:
        m.eq([m.cell(tid, total, col)], [m.cell(tid, r, col) for r in codes if len(r["code"]) == 7])
        for p in codes:
            below = [r for r in codes if len(r["code"]) > len(p["code"]) and r["code"].startswith(p["code"])]
            if below:
                short = min(len(r["code"]) for r in below)
                m.eq([m.cell(tid, p, col)], [m.cell(tid, r, col) for r in below if len(r["code"]) == short])


def model(doc):
    for t in doc["tables"]:
        for i, r in enumerate(t["rows"]):
            r["_i"] = i
    m = Model(doc)
    c, no = m.cell, m.by_no
    # 01
    v01 = lambda n: c("01", no("01", n), "金额")  # noqa: E731
    m.eq([v01(27)], [v01(n) for n in range(1, 9)])
    m.eq([v01(31)], [v01(27), v01(28), v01(29)])
    m.eq([v01(58)], [c("01", r, "金额") for r in code_rows(m, "01", 3)])
    m.eq([v01(62)], [v01(58), v01(59), v01(60)])
    m.eq([v01(31)], [v01(62)])
    # 02
    incomes = ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    for r in m.rows("02"):
        m.eq([c("02", r, "本年收入合计")], [c("02", r, k) for k in incomes])
    hierarchy(m, "02", ["本年收入合计"] + incomes)
    # 03
    spend = ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    for r in m.rows("03"):
        m.eq([c("03", r, "本年支出合计")], [c("03", r, k) for k in spend])
    hierarchy(m, "03", ["本年支出合计"] + spend)
    # 04
    funds = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
    v04 = lambda n, col="决算数": c("04", no("04", n), col)  # noqa: E731
    m.eq([v04(27)], [v04(1), v04(2), v04(3)])
    m.eq([v04(28)], [v04(29), v04(30), v04(31)])
    m.eq([v04(32)], [v04(27), v04(28)])
    cols04 = ["决算数/合计"] + ["决算数/" + f for f in funds]
    for r in m.rows("04"):
        if r["block"] == 1:
            m.eq([c("04", r, cols04[0])], [c("04", r, k) for k in cols04[1:]])
    for col in cols04:
        m.eq([v04(59, col)], [c("04", r, col) for r in code_rows(m, "04", 3)])
        m.eq([v04(64, col)], [v04(59, col), v04(60, col)])
    m.eq([v04(32)], [v04(64, "决算数/合计")])
    for k, (inc, begin) in enumerate(((1, 29), (2, 30), (3, 31))):
        m.eq([v04(begin), v04(inc)], [v04(59, "决算数/" + funds[k]), v04(60, "决算数/" + funds[k])])
    # 05, 07, 08
    for r in m.rows("05"):
        m.eq([c("05", r, "本年支出/小计")], [c("05", r, "本年支出/基本支出"), c("05", r, "本年支出/项目支出")])
    hierarchy(m, "05", ["本年支出/小计", "本年支出/基本支出", "本年支出/项目支出"])
    for r in m.rows("07"):
        m.eq([c("07", r, "年初结转和结余"), c("07", r, "本年收入")],
             [c("07", r, "本年支出/小计"), c("07", r, "年末结转和结余")])
        m.eq([c("07", r, "本年支出/小计")], [c("07", r, "本年支出/基本支出"), c("07", r, "本年支出/项目支出")])
    hierarchy(m, "07", ["年初结转和结余", "本年收入", "本年支出/小计", "本年支出/基本支出", "本年支出/项目支出",
                        "年末结转和结余"])
    for r in m.rows("08"):
        m.eq([c("08", r, "本年支出/合计")], [c("08", r, "本年支出/基本支出"), c("08", r, "本年支出/项目支出")])
    hierarchy(m, "08", ["本年支出/合计", "本年支出/基本支出", "本年支出/项目支出"])
    # 06: 类 = its 款; 人员经费 = 301 + 303; 公用经费 = the other 类
    classes = code_rows(m, "06", 3)
    for p in classes:
        m.eq([c("06", p, "决算数")], [c("06", r, "决算数") for r in code_rows(m, "06", 5) if r["code"].startswith(p["code"])])
    m.eq([c("06", m.by_name("06", "人员经费合计"), "决算数")],
         [c("06", r, "决算数") for r in classes if r["code"] in ("301", "303")])
    m.eq([c("06", m.by_name("06", "公用经费合计"), "决算数")],
         [c("06", r, "决算数") for r in classes if r["code"] not in ("301", "303")])
    # 09
    r09 = m.rows("09")
    for r in r09:
        for half in ("预算数", "决算数"):
            car = half + "/公务用车购置及运行维护费/"
            m.eq([c("09", r, half + "/合计")], [c("09", r, half + "/因公出国(境)费"), c("09", r, car + "小计"),
                                                c("09", r, half + "/公务接待费")])
            m.eq([c("09", r, car + "小计")], [c("09", r, car + "公务用车购置费"), c("09", r, car + "公务用车运行维护费")])
    # between tables
    total = lambda tid, col: c(tid, m.by_name(tid, "合计"), col)  # noqa: E731
    for n in (1, 2, 3):
        m.eq([v01(n)], [v04(n)])
    for n, col in zip(range(4, 9), incomes[1:]):
        m.eq([v01(n)], [total("02", col)])
    m.eq([v01(27)], [total("02", "本年收入合计")])
    m.eq([total("02", "财政拨款收入")], [v04(27)])
    for r in code_rows(m, "01", 3):
        m.eq([c("01", r, "金额")], [c("03", x, "本年支出合计") for x in code_rows(m, "03", 7) if x["code"].startswith(r["code"])])
    m.eq([v01(58)], [total("03", "本年支出合计")])
    for fund, tid, col in ((funds[0], "05", "本年支出/小计"), (funds[1], "07", "本年支出/小计"),
                           (funds[2], "08", "本年支出/合计")):
        for r in code_rows(m, "04", 3):
            m.eq([c("04", r, "决算数/" + fund)], [c(tid, x, col) for x in code_rows(m, tid, 7) if x["code"].startswith(r["code"])])
        m.eq([v04(59, "决算数/" + fund)], [total(tid, col)])
    m.eq([v04(2)], [total("07", "本年收入")])
    m.eq([v04(30)], [total("07", "年初结转和结余")])
    m.eq([v04(60, "决算数/" + funds[1])], [total("07", "年末结转和结余")])
    m.eq([total("05", "本年支出/基本支出")], [c("06", m.by_name("06", "人员经费合计"), "决算数"),
                                           c("06", m.by_name("06", "公用经费合计"), "决算数")])
    # a 项's 财政拨款 spending is part of its spending, by kind; its
    # 政府性基金 income part of its 财政拨款 income
    codes = sorted({r["code"] for tid in ("03", "05", "07", "08") for r in code_rows(m, tid, 7)})
    for code in codes:
        for kind in ("基本支出", "项目支出"):
            m.le([c(tid, m.by_code(tid, code), "本年支出/" + kind) for tid in ("05", "07", "08")],
                 [c("03", m.by_code("03", code), kind)])
        m.le([c("07", m.by_code("07", code), "本年收入")], [c("02", m.by_code("02", code), "财政拨款收入")])
    # "三公" spent from 财政拨款 is part of all 财政拨款 spending
    for r in r09:
        m.le([c("09", r, "决算数/合计")], [v04(59, "决算数/合计")])
    return m


class Oracle:
    """The identities of one document's structure as sparse matrices; asks
    about figures given as printed 分 and blanks, cell by cell in the
    model's variable order (values_of reads them from a document of the
    same structure)."""

    def __init__(self, doc):
        m = model(doc)
        self.m = m
        self.n = len(m.var)

        def matrix(rows):
            data, ri, ci = [], [], []
            for i, lin in enumerate(rows):
                for v, k in lin.items():
                    data.append(k)
                    ri.append(i)
                    ci.append(v)
            return csr_matrix((data, (ri, ci)), shape=(len(rows), self.n), dtype=float)

        self.a_eq, self.a_ub = matrix(m.eqs), matrix(m.les)
        self.pos_eq, self.neg_eq = self.a_eq.maximum(0), -self.a_eq.minimum(0)
        self.pos_ub, self.neg_ub = self.a_ub.maximum(0), -self.a_ub.minimum(0)
        self.cells = sorted(m.var.items(), key=lambda kv: kv[1])

    def values_of(self, doc, dropped=None):
        """(printed 分, blank) arrays for doc; dropped: (table, row index)
        of a row left out, read as blanks."""
        tables = {t["id"]: t for t in doc["tables"]}
        p = np.zeros(self.n)
        blank = np.ones(self.n, dtype=bool)
        for (tid, i, key), v in self.cells:
            if (tid, i) == dropped:
                continue
            wan = tables[tid]["rows"][i]["cells"][key]["wan"]
            if wan is not None and wan.strip() not in ("", "-"):
                p[v] = fen(wan)
                blank[v] = False
        return p, blank

    def possible(self, p, blank):
        """True when some exact amounts (whole 分, each in its figure's
        interval, blanks 0) satisfy every identity."""
        lo = np.where(blank, 0, -HALF + (p <= 0))
        hi = np.where(blank, 0, HALF - (p >= 0))
        b_eq, b_ub = -(self.a_eq @ p), -(self.a_ub @ p)
        # one identity alone: the range of its sum over the intervals
        if np.any(self.pos_eq @ lo - self.neg_eq @ hi > b_eq) or \
                np.any(self.pos_eq @ hi - self.neg_eq @ lo < b_eq) or \
                np.any(self.pos_ub @ lo - self.neg_ub @ hi > b_ub):
            return False
        res = linprog(np.zeros(self.n), A_ub=self.a_ub, b_ub=b_ub, A_eq=self.a_eq, b_eq=b_eq,
                      bounds=np.column_stack([lo, hi]), method="highs")
        if res.status == 2:
            return False
        if res.status != 0:
            raise RuntimeError("oracle undecided: " + res.message)
        return True


def possible(doc):
    """True when some exact amounts explain every printed figure of doc."""
    o = Oracle(doc)
    return o.possible(*o.values_of(doc))
