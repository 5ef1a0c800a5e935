/* Workbook checks of the figures a workbook states beside its lines
 * (docs/rules.md, W-010 … W-013):
 *
 * - W-010: figures.csv 机关运行经费 against the 公用经费 of the 行政 and 参公
 *   units, as the profile's tables define 公用经费 (the filter of the
 *   footer row 公用经费合计 and of its table: 一般公共预算财政拨款 基本支出
 *   outside 301 and 303 in the default profile);
 * - W-011: each "三公" actual of sangong.csv against the 财政拨款 lines of
 *   its economic codes (profile "checks" sangong_econ);
 * - W-012: expenditure.csv declared in 元 whose total is too small for a
 *   department's year: the amounts were most likely typed in 万元;
 * - W-013: the "三公" items that are parts of 302 (by sangong_econ) above
 *   the department's whole 302 spending.
 *
 * Sums are exact, in 分. A figure entered in 万元 as a whole number of
 * 0.01 万元 stands for any exact sum that rounds to it (half away from
 * zero), as printed figures do; any other figure is compared exactly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "printed.h"
#include "wbcheck.h"

/* W-012: an expenditure total under 100,000 元 (10 万元) in a sheet declared
 * in 元. A department's year costs more than that in salaries alone (one
 * civil servant's pay and contributions come near it); a department whose
 * true total is under 10 亿元, typed in 万元, shows a total under it. */
#define YUAN_TOTAL_FLOOR ((js_fen)100000 * JS_FEN_PER_YUAN)

/* 0.01 万元 in 分: the precision of a figure entered in 万元 with two decimals. */
#define WAN_CENT ((js_fen)JS_FEN_PER_WAN / 100)

#define MAX_SG_CODES 32 /* economic codes of sangong_econ */
#define MAX_NAMED 6     /* units, lines named in one message */

static const char *const k_default_sg_econ[] = {
    "因公出国(境)费=30212", "公务用车购置费=31013", "公务用车运行维护费=30231", "公务接待费=30217",
};

typedef struct {
    const js_workbook *wb;
    const js_profile *p;
    js_findings *out;
    const js_fact *facts;
    size_t nfacts;
    const js_unit *units;
    size_t nunits;
} fctx;

static void wan(js_fen v, char *buf, size_t n) { js_money_format_wan(v, false, buf, n); }

/* The unit a money cell was entered in: a trailing 万元 or 元 in the cell
 * overrides the heading. -1 when unknown. */
static int cell_unit(const js_workbook *wb, const char *sheet, const char *column, const char *text)
{
    static const char wan_word[] = "万元", yuan_word[] = "元";
    size_t n = strlen(text);
    if (n >= sizeof wan_word - 1 && !strcmp(text + n - (sizeof wan_word - 1), wan_word))
        return JS_UNIT_WAN;
    if (n >= sizeof yuan_word - 1 && !strcmp(text + n - (sizeof yuan_word - 1), yuan_word))
        return JS_UNIT_YUAN;
    return js_workbook_money_unit(wb, sheet, column);
}

/* The exact sum as the stated figure can express it: rounded to 0.01 万元
 * when the figure was entered in 万元 at that precision, else unchanged. */
static js_fen as_stated(js_fen exact, js_fen stated, int unit)
{
    if (unit == JS_UNIT_WAN && stated % WAN_CENT == 0)
        return js_money_round_wan_cents(exact) * WAN_CENT;
    return exact;
}

/* The message's tail when two different figures print alike in 万元: both
 * in 元 ("（按元计分别为 … 元和 … 元）"); "" otherwise. */
static void yuan_tail(js_fen a, js_fen b, char *buf, size_t n)
{
    char wa[32], wb_[32], ya[32], yb[32];
    wan(a, wa, sizeof wa);
    wan(b, wb_, sizeof wb_);
    buf[0] = '\0';
    if (a != b && !strcmp(wa, wb_)) {
        js_money_format_yuan(a, ya, sizeof ya);
        js_money_format_yuan(b, yb, sizeof yb);
        snprintf(buf, n, "（按元计分别为 %s 元和 %s 元）", ya, yb);
    }
}

static void set_values(js_finding *f, js_fen actual, js_fen expected)
{
    f->has_values = true;
    f->actual = actual;
    f->expected = expected;
    f->difference = actual - expected;
}

/* Points f at the row of key in a keyed sheet, or at the sheet alone. */
static void at_key(const fctx *c, js_finding *f, const char *sheet, const char *key)
{
    js_diag loc;
    js_diag_clear(&loc);
    if (js_workbook_locate(c->wb, sheet, key, &loc)) {
        snprintf(f->file, sizeof f->file, "%s", loc.file);
        f->line = loc.line;
    } else {
        snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(c->wb, sheet));
    }
}

/* ---- W-010 机关运行经费 ------------------------------------------------ */

/* The profile's definition of 公用经费: the footer row 公用经费合计 and its
 * table's filter. false when no table has that row. */
static bool common_cost_filter(const js_profile *p, const js_filter **table, const js_filter **footer)
{
    for (size_t i = 0; i < js_profile_ntables(p); i++) {
        const js_tabledef *t = js_profile_table(p, i);
        for (int k = 0; k < t->nfooters; k++)
            if (t->footers[k].label && !strcmp(t->footers[k].label, "公用经费合计")) {
                *table = &t->filter;
                *footer = &t->footers[k].filter;
                return true;
            }
    }
    return false;
}

/* Without such a table: 一般公共预算财政拨款 基本支出 outside 301 and 303. */
static bool common_cost_default(const js_fact *x)
{
    return x->source == JS_SRC_EXP && x->fund == JS_FUND_GENERAL && x->spend == JS_SPEND_BASIC &&
           x->econ / 100 != 301 && x->econ / 100 != 303;
}

static bool admin_unit(const fctx *c, uint32_t unit)
{
    return unit < c->nunits && (c->units[unit].kind == JS_UNIT_ADMIN || c->units[unit].kind == JS_UNIT_CANGONG);
}

/* Returns whether the rule had something to check. */
static bool running_costs(fctx *c, bool *fired)
{
    static const char sheet[] = "figures.csv", key[] = "机关运行经费";
    js_diag loc;
    js_diag_clear(&loc);
    if (!js_workbook_has_sheet(c->wb, sheet) || !js_workbook_locate(c->wb, sheet, key, &loc))
        return false;
    const char *text;
    js_fen stated;
    if (js_workbook_value(c->wb, sheet, key, NULL, &text, &stated) != 1)
        return false;
    const js_filter *tf = NULL, *ff = NULL;
    bool defined = common_cost_filter(c->p, &tf, &ff);
    js_fen common = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const js_fact *x = &c->facts[i];
        if (!admin_unit(c, x->unit))
            continue;
        bool in = defined ? js_filter_match(tf, x, c->units) && js_filter_match(ff, x, c->units)
                          : common_cost_default(x);
        if (in && !js_fen_add(common, x->amount, &common))
            return false; /* beyond js_fen: the tables refuse such a workbook */
    }
    int unit = cell_unit(c->wb, sheet, NULL, text);
    if (as_stated(common, stated, unit) == stated)
        return true;
    /* The units considered, in units.csv order. */
    char names[1024] = "";
    size_t nadmin = 0, len = 0;
    for (size_t u = 0; u < c->nunits; u++) {
        if (!admin_unit(c, (uint32_t)u))
            continue;
        if (++nadmin <= MAX_NAMED && len < sizeof names) {
            int w = snprintf(names + len, sizeof names - len, "%s%s（%s）", nadmin > 1 ? "、" : "",
                             c->units[u].name, js_unit_kind_names[c->units[u].kind]);
            len += w > 0 ? (size_t)w : 0;
        }
    }
    char s[32], m[32], tail[160], more[64] = "";
    wan(stated, s, sizeof s);
    wan(common, m, sizeof m);
    yuan_tail(stated, common, tail, sizeof tail);
    if (nadmin > MAX_NAMED)
        snprintf(more, sizeof more, "等 %zu 个单位", nadmin);
    js_finding *f;
    if (nadmin)
        f = js_findings_add(c->out, "W-010", JS_SEV_VERIFY,
                            "机关运行经费 %s 万元，与行政、参公单位（%s%s）一般公共预算财政拨款基本支出中的公用经费 %s 万元不一致%s，请核实",
                            s, names, more, m, tail);
    else
        f = js_findings_add(c->out, "W-010", JS_SEV_VERIFY,
                            "机关运行经费 %s 万元，但单位表（units.csv）中没有行政或参公单位，其公用经费为 %s 万元，请核实机关运行经费或单位性质",
                            s, m);
    if (f) {
        snprintf(f->file, sizeof f->file, "%s", loc.file);
        f->line = loc.line;
        set_values(f, stated, common);
    }
    *fired = true;
    return true;
}

/* ---- W-011 "三公" ------------------------------------------------------ */

typedef struct {
    int item;      /* js_sg_item */
    uint32_t econ; /* 5-digit 款 */
} sg_code;

/* Reads sangong_econ ("项目=经济分类款" strings) into codes. */
static js_status sangong_codes(const fctx *c, sg_code *codes, size_t *n, js_diag *d)
{
    const char *v[MAX_SG_CODES];
    size_t nv;
    if (!js_profile_check_values(c->p, "sangong_econ", &nv, v, MAX_SG_CODES))
        for (nv = 0; nv < sizeof k_default_sg_econ / sizeof k_default_sg_econ[0]; nv++)
            v[nv] = k_default_sg_econ[nv];
    *n = 0;
    const js_dict *dict = js_workbook_dict(c->wb);
    for (size_t i = 0; i < nv; i++) {
        const char *eq = v[i] ? strrchr(v[i], '=') : NULL;
        char item[64];
        int it = -1;
        if (eq && (size_t)(eq - v[i]) < sizeof item) {
            snprintf(item, sizeof item, "%.*s", (int)(eq - v[i]), v[i]);
            it = js_vocab_find(js_sg_item_names, JS_SG_COUNT, item);
        }
        char *end = NULL;
        unsigned long code = eq ? strtoul(eq + 1, &end, 10) : 0;
        if (it < 0 || !end || *end || strlen(eq + 1) != 5 || !js_dict_find(dict, JS_DICT_ECON, (uint32_t)code, 5))
            return js_diag_set(d, JS_E_INPUT, "profile.json", 0, 0, "checks",
                               "配置 %s 的 checks.sangong_econ：'%s' 应为“三公”项目名称=经济分类款级科目（如 公务接待费=30217），且科目在科目表中",
                               js_profile_name(c->p), v[i] ? v[i] : "");
        codes[(*n)++] = (sg_code){it, (uint32_t)code};
    }
    return JS_OK;
}

static bool fiscal(uint8_t fund) { return fund <= JS_FUND_SOE; }

/* The 财政拨款 expenditure lines of one item's codes. */
typedef struct {
    js_fen sum;
    size_t n;
    bool overflow;   /* the sum left js_fen: the item is not checked */
    char lines[96];  /* the first lines' numbers: "12、15" or "12、15、…等" */
    size_t len;
} sg_lines;

/* One pass over the lines for every item (a code listed under two items
 * counts for the first). */
static void item_lines(const fctx *c, const sg_code *codes, size_t ncodes, sg_lines *per)
{
    memset(per, 0, sizeof *per * JS_SG_COUNT);
    for (size_t i = 0; i < c->nfacts; i++) {
        const js_fact *x = &c->facts[i];
        if (x->source != JS_SRC_EXP || !fiscal(x->fund) || !x->amount)
            continue;
        int item = -1;
        for (size_t k = 0; k < ncodes && item < 0; k++)
            if (codes[k].econ == x->econ)
                item = codes[k].item;
        if (item < 0)
            continue;
        sg_lines *s = &per[item];
        if (!js_fen_add(s->sum, x->amount, &s->sum))
            s->overflow = true;
        if (++s->n <= MAX_NAMED && s->len < sizeof s->lines) {
            int w = snprintf(s->lines + s->len, sizeof s->lines - s->len, "%s%u", s->n > 1 ? "、" : "",
                             (unsigned)x->sheet_line);
            s->len += w > 0 ? (size_t)w : 0;
        } else if (s->n == MAX_NAMED + 1 && s->len < sizeof s->lines) {
            snprintf(s->lines + s->len, sizeof s->lines - s->len, "等");
        }
    }
}

/* "30217 公务接待费", the item's codes and their names. */
static void item_codes(const fctx *c, const sg_code *codes, size_t ncodes, int item, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    const js_dict *dict = js_workbook_dict(c->wb);
    for (size_t k = 0; k < ncodes && len < n; k++) {
        if (codes[k].item != item)
            continue;
        const js_code *ec = js_dict_find(dict, JS_DICT_ECON, codes[k].econ, 5);
        int w = snprintf(buf + len, n - len, "%s%05u %s", len ? "、" : "", (unsigned)codes[k].econ,
                         ec ? ec->name : "");
        len += w > 0 ? (size_t)w : 0;
    }
}

static js_status sangong(fctx *c, bool *ran, bool *fired, js_diag *d)
{
    sg_code codes[MAX_SG_CODES];
    size_t ncodes;
    js_status st = sangong_codes(c, codes, &ncodes, d);
    if (st != JS_OK || !js_workbook_has_sheet(c->wb, "sangong.csv"))
        return st;
    *ran = true;
    sg_lines per[JS_SG_COUNT];
    item_lines(c, codes, ncodes, per);
    const char *exp_file = js_workbook_source_file(c->wb, JS_SRC_EXP);
    for (int item = 0; item < JS_SG_COUNT; item++) {
        const sg_lines *s = &per[item];
        const char *name = js_sg_item_names[item], *text;
        js_fen actual;
        if (s->n == 0 || s->overflow ||
            js_workbook_value(c->wb, "sangong.csv", name, "决算数", &text, &actual) != 1)
            continue;
        char econ[256], a[32], l[32], tail[160];
        item_codes(c, codes, ncodes, item, econ, sizeof econ);
        wan(actual, a, sizeof a);
        wan(s->sum, l, sizeof l);
        js_finding *f = NULL;
        if (!text[0] && s->sum != 0) {
            f = js_findings_add(c->out, "W-011", JS_SEV_VERIFY,
                                "%s：支出明细（%s 第%s行，共 %zu 行）以财政拨款列支经济分类 %s 合计 %s 万元，“三公”经费表却没有填写%s决算数，请核实",
                                name, exp_file, s->lines, s->n, econ, l, name);
            if (f)
                set_values(f, 0, s->sum);
        } else if (text[0] && as_stated(s->sum, actual, cell_unit(c->wb, "sangong.csv", "决算数", text)) > actual) {
            yuan_tail(actual, s->sum, tail, sizeof tail);
            f = js_findings_add(c->out, "W-011", JS_SEV_VERIFY,
                                "%s决算数 %s 万元，小于支出明细（%s 第%s行，共 %zu 行）以财政拨款列支经济分类 %s 的合计 %s 万元%s，请核实",
                                name, a, exp_file, s->lines, s->n, econ, l, tail);
            if (f)
                set_values(f, actual, s->sum);
        }
        if (f) {
            at_key(c, f, "sangong.csv", name);
            *fired = true;
        }
    }
    return JS_OK;
}

/* ---- W-013 "三公" above all of 302 ------------------------------------ */

/* The 三公 items whose code (sangong_econ) is a 302 商品和服务支出 款
 * (因公出国(境)费 30212, 公务接待费 30217, 公务用车运行维护费 30231 by
 * default) are parts of 302: their actuals together, at the least exact
 * amounts they can stand for, cannot exceed the department's whole 302
 * spending (every line of expenditure.csv under 302, every fund, 基本 and
 * 项目). An error when they do. */
#define SG_CLASS 302u

static js_status sangong_above_class(fctx *c, bool *ran, bool *fired, js_diag *d)
{
    sg_code codes[MAX_SG_CODES];
    size_t ncodes;
    js_status st = sangong_codes(c, codes, &ncodes, d);
    if (st != JS_OK || !js_workbook_has_sheet(c->wb, "sangong.csv"))
        return st;
    js_fen least = 0, stated = 0;
    char items[512] = "";
    size_t o = 0, nitems = 0;
    const char *first = NULL;
    for (int item = 0; item < JS_SG_COUNT; item++) {
        bool in_class = false;
        for (size_t k = 0; k < ncodes; k++)
            in_class |= codes[k].item == item && codes[k].econ / 100 == SG_CLASS;
        const char *name = js_sg_item_names[item], *text;
        js_fen actual;
        if (!in_class || js_workbook_value(c->wb, "sangong.csv", name, "决算数", &text, &actual) != 1 ||
            !text[0])
            continue;
        /* A figure entered in 万元 to 0.01 stands for any amount rounding to it. */
        js_fen lo = actual, hi;
        if (cell_unit(c->wb, "sangong.csv", "决算数", text) == JS_UNIT_WAN && actual % WAN_CENT == 0 && actual)
            js_printed_interval(actual, JS_PRINTED_HALF, &lo, &hi);
        if (!js_fen_add(least, lo, &least) || !js_fen_add(stated, actual, &stated))
            return JS_OK;
        char a[32];
        wan(actual, a, sizeof a);
        if (o < sizeof items)
            o += (size_t)snprintf(items + o, sizeof items - o, "%s%s %s", o ? " + " : "", name, a);
        if (!first)
            first = name;
        nitems++;
    }
    if (!nitems)
        return JS_OK;
    *ran = true;
    js_fen total = 0;
    size_t nlines = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const js_fact *x = &c->facts[i];
        if (x->source != JS_SRC_EXP || x->econ / 100 != SG_CLASS)
            continue;
        if (!js_fen_add(total, x->amount, &total))
            return JS_OK;
        nlines++;
    }
    if (least <= total)
        return JS_OK;
    char s_[32], t[32], tail[160];
    wan(stated, s_, sizeof s_);
    wan(total, t, sizeof t);
    yuan_tail(stated, total, tail, sizeof tail);
    js_finding *f = js_findings_add(c->out, "W-013", JS_SEV_ERROR,
                                    "“三公”经费中列在 302 商品和服务支出的 %s = %s 万元，超过支出明细（%s，%zu 行，所有资金来源、基本和项目支出）302 商品和服务支出的全部合计 %s 万元%s：这些费用只能列在 302 之下，不可能超过 302 的全部支出，请核对“三公”经费决算数或支出明细的经济分类",
                                    items, s_, js_workbook_source_file(c->wb, JS_SRC_EXP),
                                    nlines, t, tail);
    if (f) {
        set_values(f, stated, total);
        at_key(c, f, "sangong.csv", first);
    }
    *fired = true;
    return JS_OK;
}

/* ---- W-012 万元 typed where 元 is declared ---------------------------- */

/* Returns whether the rule had something to check. */
static bool wan_as_yuan(fctx *c, bool *fired)
{
    if (js_workbook_money_unit(c->wb, "expenditure.csv", "金额") != JS_UNIT_YUAN)
        return false;
    js_fen total = 0;
    size_t n = 0;
    for (size_t i = 0; i < c->nfacts; i++) {
        const js_fact *x = &c->facts[i];
        if (x->source != JS_SRC_EXP || !x->amount)
            continue;
        if (!js_fen_add(total, x->amount, &total))
            return false;
        n++;
    }
    if (n == 0 || total <= 0)
        return false;
    if (total >= YUAN_TOTAL_FLOOR)
        return true;
    char y[32], w[32], floor_[32];
    js_money_format_yuan(total, y, sizeof y);
    wan(total, w, sizeof w);
    wan(YUAN_TOTAL_FLOOR, floor_, sizeof floor_);
    /* Read as 万元, the 元 figure is the total: 12.34 元 would be 12.34 万元. */
    js_finding *f = js_findings_add(c->out, "W-012", JS_SEV_VERIFY,
                                    "金额列表头声明为元，但 %zu 行支出合计只有 %s 元（%s 万元），不足 %s 万元，不像一个部门全年的支出：金额似乎是按万元填写的（按万元计合计为 %s 万元），请核实金额单位",
                                    n, y, w, floor_, y);
    if (f) {
        snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(c->wb, "expenditure.csv"));
        f->line = 1; /* the heading that declares the unit */
    }
    *fired = true;
    return true;
}

static void count(js_findings *out, bool ran, bool fired)
{
    if (ran)
        js_findings_count_rule(out, !fired);
    else
        js_findings_count_rule_na(out);
}

js_status js_wbcheck_figures(const js_workbook *wb, const js_profile *p, js_findings *out, js_diag *d)
{
    fctx c = {.wb = wb, .p = p, .out = out};
    c.facts = js_workbook_facts(wb, &c.nfacts);
    c.units = js_workbook_units(wb, &c.nunits);
    bool fired = false, ran = running_costs(&c, &fired);
    count(out, ran, fired);
    ran = fired = false;
    js_status st = sangong(&c, &ran, &fired, d);
    if (st != JS_OK)
        return st;
    count(out, ran, fired);
    ran = fired = false;
    st = sangong_above_class(&c, &ran, &fired, d);
    if (st != JS_OK)
        return st;
    count(out, ran, fired);
    fired = false;
    ran = wan_as_yuan(&c, &fired);
    count(out, ran, fired);
    return JS_OK;
}
