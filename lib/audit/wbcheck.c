/* Workbook checks: the lines themselves, before any table (docs/rules.md,
 * "Workbook checks"), then the figures stated beside them
 * (wbcheck_figures.c). Settings come from the profile's "checks". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbcheck.h"

#define MAX_SETTING 128

/* The prefixes of a list setting as numbers, for has_prefix: len 0 when
 * an entry is not all digits (or longer than 7). */
typedef struct {
    uint32_t value;
    int len;
} num_prefix;

static void number_prefixes(const char *const *list, size_t n, num_prefix *out)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(list[i]);
        out[i] = (num_prefix){0, len <= 7 ? (int)len : 0};
        for (size_t k = 0; k < len && out[i].len; k++)
            if (list[i][k] >= '0' && list[i][k] <= '9')
                out[i].value = out[i].value * 10 + (uint32_t)(list[i][k] - '0');
            else
                out[i].len = 0;
    }
}

typedef struct {
    uint32_t code;
    bool known, yes;
} prefix_memo;

#define PREFIX_MEMO 64 /* a power of two */

/* A list setting of code prefixes, for has_prefix (one digits each). */
typedef struct {
    const char *const *list;
    num_prefix num[MAX_SETTING];
    size_t n;
    prefix_memo memo[PREFIX_MEMO];
} prefix_list;

typedef struct {
    const js_workbook *wb;
    const js_dict *dict;
    js_findings *out;
    const js_fact *facts;
    size_t nfacts;
    const char *econ[MAX_SETTING], *names[MAX_SETTING], *fund_kuan[MAX_SETTING];
    prefix_list econ_pl, fund_pl; /* econ and fund_kuan, numbered */
    size_t necon, nnames, nfund;
} wctx;

static const char *const k_default_econ[] = {"301", "302", "303", "310"};
static const char *const k_default_names[] = {"行政运行", "机构运行", "事业运行"};

static void setting(const js_profile *p, const char *key, const char **out, size_t *n,
                    const char *const *dflt, size_t ndflt)
{
    if (js_profile_check_values(p, key, n, out, MAX_SETTING))
        return;
    for (*n = 0; *n < ndflt; (*n)++)
        out[*n] = dflt[*n];
}

/* Does the code's digits-digit text (js_code_str) start with an entry of
 * list? When the code fits its digits and the entries are numbers, by
 * division; else by comparing the texts. */
static bool has_prefix_of(const char *const *list, const num_prefix *num, size_t n, uint32_t code, int digits)
{
    static const uint32_t k_pow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    bool fits = digits >= 1 && digits <= 7 && code < k_pow10[digits];
    for (size_t i = 0; i < n && fits; i++)
        if (num[i].len && num[i].len <= digits && code / k_pow10[digits - num[i].len] == num[i].value)
            return true;
        else if (!num[i].len && list[i][0])
            fits = false; /* an entry that is not a number: compare the texts */
        else if (!list[i][0])
            return true;
    if (fits)
        return false;
    char s[8];
    js_code_str(code, digits, s);
    for (size_t i = 0; i < n; i++) { /* does s start with list[i]? */
        const char *p = list[i];
        size_t k = 0;
        while (p[k] && p[k] == s[k])
            k++;
        if (!p[k])
            return true;
    }
    return false;
}

/* has_prefix_of, its answers kept by code (this runs twice for every
 * line, against lists of some fifty entries; a department's lines have a
 * few dozen distinct codes). */
static bool has_prefix(prefix_list *pl, uint32_t code, int digits)
{
    prefix_memo *m = &pl->memo[(code ^ code >> 7) & (PREFIX_MEMO - 1)];
    if (m->known && m->code == code)
        return m->yes;
    bool yes = has_prefix_of(pl->list, pl->num, pl->n, code, digits);
    *m = (prefix_memo){code, true, yes};
    return yes;
}

/* A finding about one line of a sheet. */
static js_finding *at_line(wctx *w, const char *rule, js_severity sev, const js_fact *x,
                           const char *msg)
{
    js_finding *f = js_findings_add(w->out, rule, sev, "%s", msg);
    if (f) {
        snprintf(f->file, sizeof f->file, "%s", js_workbook_source_file(w->wb, x->source));
        f->line = x->sheet_line;
    }
    return f;
}

static const char *func_name(const wctx *w, uint32_t func)
{
    const js_code *c = js_dict_find(w->dict, JS_DICT_FUNC, func, 7);
    return c ? c->name : "";
}

/* W-001 … W-004 and W-009: one line at a time. */
static void line_checks(wctx *w, size_t *fired)
{
    for (size_t i = 0; i < w->nfacts; i++) {
        const js_fact *x = &w->facts[i];
        char msg[512], code[8];
        js_code_str(x->func, 7, code);
        if (x->source == JS_SRC_EXP && x->spend == JS_SPEND_BASIC && x->econ &&
            !has_prefix(&w->econ_pl, x->econ, 5)) {
            snprintf(msg, sizeof msg, "基本支出的经济分类科目 %05u 不属于基本支出允许的类（工资福利、商品和服务、对个人和家庭的补助、资本性支出等）",
                     (unsigned)x->econ);
            at_line(w, "W-001", JS_SEV_ERROR, x, msg);
            fired[0]++;
        }
        if (x->source == JS_SRC_EXP && x->spend == JS_SPEND_PROJECT && x->amount) {
            const char *name = func_name(w, x->func);
            for (size_t k = 0; k < w->nnames; k++)
                if (!strcmp(name, w->names[k])) {
                    snprintf(msg, sizeof msg, "项目支出列在“%s”（%s）科目，该类科目一般只反映基本支出，请核实", name, code);
                    at_line(w, "W-002", JS_SEV_VERIFY, x, msg);
                    fired[1]++;
                    break;
                }
        }
        bool fund_item = w->nfund && has_prefix(&w->fund_pl, x->func / 100, 5);
        if ((x->source == JS_SRC_EXP || x->source == JS_SRC_REV) && w->nfund && x->amount) {
            if (x->fund == JS_FUND_GOVFUND && !fund_item) {
                snprintf(msg, sizeof msg, "政府性基金预算财政拨款列在非政府性基金科目 %s（%s）", code,
                         func_name(w, x->func));
                at_line(w, "W-003", JS_SEV_ERROR, x, msg);
                fired[2]++;
            } else if (x->fund == JS_FUND_GENERAL && fund_item) {
                snprintf(msg, sizeof msg, "一般公共预算财政拨款列在政府性基金科目 %s（%s）", code,
                         func_name(w, x->func));
                at_line(w, "W-003", JS_SEV_ERROR, x, msg);
                fired[2]++;
            }
        }
        const js_code *fc = js_dict_find(w->dict, JS_DICT_FUNC, x->func, 7);
        const js_code *ec = x->econ ? js_dict_find(w->dict, JS_DICT_ECON, x->econ, 5) : NULL;
        if ((x->func_name && fc && strcmp(x->func_name, fc->name)) ||
            (x->econ_name && ec && strcmp(x->econ_name, ec->name))) {
            bool f_bad = x->func_name && fc && strcmp(x->func_name, fc->name);
            snprintf(msg, sizeof msg, "科目名称“%s”与编码 %s 不符（科目表：%s）",
                     f_bad ? x->func_name : x->econ_name, f_bad ? code : "",
                     f_bad ? fc->name : ec->name);
            if (!f_bad) {
                char ecode[8];
                js_code_str(x->econ, 5, ecode);
                snprintf(msg, sizeof msg, "科目名称“%s”与编码 %s 不符（科目表：%s）", x->econ_name, ecode,
                         ec->name);
            }
            at_line(w, "W-009", JS_SEV_ERROR, x, msg);
            fired[8]++;
        }
        if (x->amount < 0) {
            char v[32];
            js_money_format_yuan(x->amount, v, sizeof v);
            snprintf(msg, sizeof msg, "金额为负数（%s 元），请核实是否为更正", v);
            at_line(w, "W-004", JS_SEV_VERIFY, x, msg);
            fired[3]++;
        }
    }
}

static int cmp_fact(const void *a, const void *b)
{
    const js_fact *x = *(const js_fact *const *)a, *y = *(const js_fact *const *)b;
    if (x->source != y->source)
        return x->source - y->source;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->func != y->func)
        return x->func < y->func ? -1 : 1;
    if (x->econ != y->econ)
        return x->econ < y->econ ? -1 : 1;
    if (x->fund != y->fund)
        return x->fund - y->fund;
    if (x->spend != y->spend)
        return x->spend - y->spend;
    if (x->amount != y->amount)
        return x->amount < y->amount ? -1 : 1;
    return x->sheet_line < y->sheet_line ? -1 : x->sheet_line > y->sheet_line;
}

/* W-005: identical lines (unit, codes, fund, type, amount) in 支出 or 收入. */
static void duplicates(wctx *w, size_t *fired)
{
    const js_fact **v = malloc(sizeof *v * (w->nfacts + 1));
    size_t n = 0;
    if (!v)
        return;
    for (size_t i = 0; i < w->nfacts; i++)
        if (w->facts[i].source == JS_SRC_EXP || w->facts[i].source == JS_SRC_REV)
            v[n++] = &w->facts[i];
    qsort(v, n, sizeof *v, cmp_fact);
    for (size_t i = 1; i < n; i++) {
        const js_fact *a = v[i - 1], *b = v[i];
        if (a->source == b->source && a->unit == b->unit && a->func == b->func && a->econ == b->econ &&
            a->fund == b->fund && a->spend == b->spend && a->amount == b->amount) {
            char msg[256];
            snprintf(msg, sizeof msg, "与第%u行完全相同（单位、科目、资金来源、类型和金额），请核实是否重复录入",
                     (unsigned)a->sheet_line);
            at_line(w, "W-005", JS_SEV_VERIFY, b, msg);
            fired[4]++;
        }
    }
    free(v);
}

/* W-006 (财政拨款, error) / W-007 (other funds, verify): per fund,
 * 年初结转和结余 + 收入 = 支出 + 年末结转和结余. A finding is placed at the
 * fund's first line of carryover.csv (else revenue.csv, else
 * expenditure.csv) and says how many lines of each flow were counted.
 * surplus.csv has no fund column: when it has lines, 使用非财政拨款结余 and
 * 结余分配 belong to the non-fiscal funds as a whole, which are then held
 * to balance together: one W-007 for them all (naming each fund that is
 * out by itself), never one per fund, since any fund may hold the surplus. */
enum { FLOW_OPEN, FLOW_IN, FLOW_OUT, FLOW_CLOSE, FLOW_COUNT };

typedef struct {
    js_fen sum[FLOW_COUNT];
    size_t lines[FLOW_COUNT];
    const js_fact *first[FLOW_COUNT];
} fund_flows;

static int flow_of(js_source s)
{
    return s == JS_SRC_CARRY_OPEN ? FLOW_OPEN : s == JS_SRC_REV ? FLOW_IN : s == JS_SRC_EXP ? FLOW_OUT
           : s == JS_SRC_CARRY_CLOSE ? FLOW_CLOSE : -1;
}

/* The fund's first carry-over line, else its first revenue or spending line. */
static const js_fact *fund_line(const fund_flows *ff)
{
    const js_fact *x = ff->first[FLOW_OPEN];
    if (!x || (ff->first[FLOW_CLOSE] && ff->first[FLOW_CLOSE]->sheet_line < x->sheet_line))
        x = ff->first[FLOW_CLOSE];
    return x ? x : ff->first[FLOW_IN] ? ff->first[FLOW_IN] : ff->first[FLOW_OUT];
}

static js_fen fund_gap(const fund_flows *ff)
{
    return ff->sum[FLOW_OPEN] + ff->sum[FLOW_IN] - ff->sum[FLOW_OUT] - ff->sum[FLOW_CLOSE];
}

static void carry_finding(wctx *w, const char *rule, js_severity sev, const fund_flows *ff,
                          const char *what, const char *tail)
{
    char a[32], b[32], c[32], d[32], msg[1024];
    js_money_format_wan(ff->sum[FLOW_OPEN], false, a, sizeof a);
    js_money_format_wan(ff->sum[FLOW_IN], false, b, sizeof b);
    js_money_format_wan(ff->sum[FLOW_OUT], false, c, sizeof c);
    js_money_format_wan(ff->sum[FLOW_CLOSE], false, d, sizeof d);
    snprintf(msg, sizeof msg,
             "%s：年初结转和结余 %s + 本年收入 %s 不等于本年支出 %s + 年末结转和结余 %s"
             "（计入年初结转和结余 %zu 行、本年收入 %zu 行、本年支出 %zu 行、年末结转和结余 %zu 行）%s",
             what, a, b, c, d, ff->lines[FLOW_OPEN], ff->lines[FLOW_IN], ff->lines[FLOW_OUT],
             ff->lines[FLOW_CLOSE], tail);
    const js_fact *at = fund_line(ff);
    js_finding *x = at ? at_line(w, rule, sev, at, msg) : js_findings_add(w->out, rule, sev, "%s", msg);
    if (x) {
        x->has_values = true;
        x->actual = ff->sum[FLOW_OPEN] + ff->sum[FLOW_IN];
        x->expected = ff->sum[FLOW_OUT] + ff->sum[FLOW_CLOSE];
        x->difference = x->actual - x->expected;
    }
}

static void carryover(wctx *w, size_t *fired)
{
    fund_flows ff[JS_FUND_COUNT];
    memset(ff, 0, sizeof ff);
    js_fen use = 0, alloc = 0;
    size_t surplus_lines = 0;
    for (size_t i = 0; i < w->nfacts; i++) {
        const js_fact *x = &w->facts[i];
        if (x->source == JS_SRC_SURPLUS_USE || x->source == JS_SRC_SURPLUS_ALLOC) {
            *(x->source == JS_SRC_SURPLUS_USE ? &use : &alloc) += x->amount;
            surplus_lines++;
        }
        int fl = flow_of(x->source);
        if (x->fund >= JS_FUND_COUNT || fl < 0)
            continue;
        fund_flows *f = &ff[x->fund];
        f->sum[fl] += x->amount;
        f->lines[fl]++;
        if (!f->first[fl] || x->sheet_line < f->first[fl]->sheet_line)
            f->first[fl] = x;
    }
    for (int f = 0; f <= JS_FUND_SOE; f++)
        if (fund_gap(&ff[f])) {
            carry_finding(w, "W-006", JS_SEV_ERROR, &ff[f], js_fund_names[f], "");
            fired[5]++;
        }
    if (!surplus_lines) {
        for (int f = JS_FUND_SOE + 1; f < JS_FUND_COUNT; f++)
            if (fund_gap(&ff[f])) {
                carry_finding(w, "W-007", JS_SEV_VERIFY, &ff[f], js_fund_names[f],
                              "（非财政拨款资金可能涉及结余分配或使用非财政拨款结余，请核实）");
                fired[6]++;
            }
        return;
    }
    fund_flows all;
    memset(&all, 0, sizeof all);
    js_fen net = use - alloc;
    /* Attribution: the surplus (no fund column) belongs to some fund; when
     * one fund's own gap is exactly what it explains, that fund balances
     * and is not named; the others out by themselves are. */
    int absorbs = -1;
    for (int f = JS_FUND_SOE + 1; f < JS_FUND_COUNT && net; f++)
        if (fund_gap(&ff[f]) && fund_gap(&ff[f]) + net == 0) {
            absorbs = f;
            break;
        }
    char funds[512] = "";
    size_t o = 0, nout = 0;
    int culprit = -1;
    for (int f = JS_FUND_SOE + 1; f < JS_FUND_COUNT; f++) {
        for (int k = 0; k < FLOW_COUNT; k++) {
            all.sum[k] += ff[f].sum[k];
            all.lines[k] += ff[f].lines[k];
            if (ff[f].first[k] && (!all.first[k] || ff[f].first[k]->sheet_line < all.first[k]->sheet_line))
                all.first[k] = ff[f].first[k];
        }
        js_fen g = fund_gap(&ff[f]);
        if (g && f != absorbs && o < sizeof funds) {
            char v[32];
            js_money_format_wan(g, false, v, sizeof v);
            o += (size_t)snprintf(funds + o, sizeof funds - o,
                                  "%s%s %s（计入年初结转和结余 %zu 行、本年收入 %zu 行、本年支出 %zu 行、年末结转和结余 %zu 行）",
                                  o ? "、" : "", js_fund_names[f], v, ff[f].lines[FLOW_OPEN], ff[f].lines[FLOW_IN],
                                  ff[f].lines[FLOW_OUT], ff[f].lines[FLOW_CLOSE]);
            culprit = f;
            nout++;
        }
    }
    if (fund_gap(&all) + net == 0)
        return;
    char u[32], al[32], tail[1024], who[160] = "";
    js_money_format_wan(use, false, u, sizeof u);
    js_money_format_wan(alloc, false, al, sizeof al);
    if (absorbs >= 0)
        snprintf(who, sizeof who, "；%s自身的差额正好由结余解释，视为平衡", js_fund_names[absorbs]);
    snprintf(tail, sizeof tail,
             "；加使用非财政拨款结余 %s、减结余分配 %s（surplus.csv %zu 行，不分资金）后仍不平衡%s%s%s，请核实", u, al,
             surplus_lines, who, o ? "；不平衡的资金：" : "", funds);
    /* One fund out: the finding is placed at its lines. */
    if (nout == 1) {
        fund_flows at = all;
        for (int k = 0; k < FLOW_COUNT; k++)
            at.first[k] = ff[culprit].first[k];
        carry_finding(w, "W-007", JS_SEV_VERIFY, &at, "非财政拨款资金合计", tail);
        fired[6]++;
        return;
    }
    carry_finding(w, "W-007", JS_SEV_VERIFY, &all, "非财政拨款资金合计", tail);
    fired[6]++;
}

/* W-008: a 项 whose 一般公共预算 决算 differs from its 年初预算 needs a
 * reason in budget.csv (the 情况说明 prints it). Without budget.csv there
 * is no 年初预算 to differ from (absent is not zero: the document's need
 * for it is reported as N-002). */
static void budget_reasons(wctx *w, size_t *fired)
{
    if (!js_workbook_has_sheet(w->wb, "budget.csv"))
        return;
    size_t nn;
    const js_budget_note *notes = js_workbook_budget_notes(w->wb, &nn);
    uint32_t seen[4096];
    size_t nseen = 0;
    for (size_t i = 0; i < w->nfacts && nseen < 4096; i++) {
        const js_fact *x = &w->facts[i];
        if ((x->source != JS_SRC_EXP && x->source != JS_SRC_BUDGET) || x->fund != JS_FUND_GENERAL)
            continue;
        bool dup = false;
        for (size_t k = 0; k < nseen && !dup; k++)
            dup = seen[k] == x->func;
        if (dup)
            continue;
        seen[nseen++] = x->func;
        js_fen actual = 0, budget = 0;
        const js_fact *first = x;
        for (size_t k = i; k < w->nfacts; k++) {
            const js_fact *y = &w->facts[k];
            if (y->func != x->func || y->fund != JS_FUND_GENERAL)
                continue;
            if (y->source == JS_SRC_EXP)
                actual += y->amount;
            else if (y->source == JS_SRC_BUDGET)
                budget += y->amount;
        }
        if (actual == budget)
            continue;
        const js_budget_note *note = NULL;
        for (size_t k = 0; k < nn; k++)
            if (notes[k].func == x->func && notes[k].fund == JS_FUND_GENERAL && notes[k].reason[0])
                note = &notes[k];
        if (note)
            continue;
        for (size_t k = 0; k < nn; k++)
            if (notes[k].func == x->func && notes[k].fund == JS_FUND_GENERAL)
                first = NULL;
        char code[8], a[32], b[32], msg[512];
        js_code_str(x->func, 7, code);
        js_money_format_wan(actual, false, a, sizeof a);
        js_money_format_wan(budget, false, b, sizeof b);
        snprintf(msg, sizeof msg, "%s %s：一般公共预算财政拨款支出决算 %s 万元，年初预算 %s 万元，缺少差异原因（budget.csv 的“差异原因”，情况说明需要）",
                 code, func_name(w, x->func), a, b);
        js_finding *f = first ? at_line(w, "W-008", JS_SEV_VERIFY, first, msg)
                              : js_findings_add(w->out, "W-008", JS_SEV_VERIFY, "%s", msg);
        if (f) {
            f->has_values = true;
            f->actual = actual;
            f->expected = budget;
            f->difference = actual - budget;
        }
        if (f && !first) {
            snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(w->wb, "budget.csv"));
            for (size_t k = 0; k < nn; k++)
                if (notes[k].func == x->func && notes[k].fund == JS_FUND_GENERAL)
                    f->line = notes[k].line;
        }
        fired[7]++;
    }
}

/* W-014: a unit written as a variant of a listed unit (spaces around it,
 * parentheses of the other width) was read as that unit: one finding per
 * variant and sheet, at its first line. */
static void unit_variants(wctx *w, size_t *fired)
{
    size_t n, nunits;
    const js_unit_variant *v = js_workbook_unit_variants(w->wb, &n);
    const js_unit *units = js_workbook_units(w->wb, &nunits);
    for (size_t i = 0; i < n; i++) {
        const char *how = v[i].spaces && v[i].parens ? "前后有空格，括号的全角、半角也与单位表不同"
                          : v[i].spaces              ? "前后有空格"
                                                     : "括号的全角、半角与单位表不同";
        js_finding *f = js_findings_add(w->out, "W-014", JS_SEV_VERIFY,
                                        "单位 '%s' %s，已按单位表（units.csv）中的 '%s' 计入，没有新增单位"
                                        "（本表共 %zu 行这样写）；请核实并改为单位表中的写法",
                                        v[i].text, how, units[v[i].unit].name, v[i].lines);
        if (f) {
            snprintf(f->file, sizeof f->file, "%s", v[i].file);
            f->line = v[i].line;
            snprintf(f->column, sizeof f->column, "单位");
        }
        (*fired)++;
    }
}

js_status js_workbook_check(const js_workbook *wb, const js_profile *p, js_findings *out, js_diag *d)
{
    wctx w = {.wb = wb, .dict = js_workbook_dict(wb), .out = out};
    w.facts = js_workbook_facts(wb, &w.nfacts);
    setting(p, "basic_econ", w.econ, &w.necon, k_default_econ, 4);
    setting(p, "operating_names", w.names, &w.nnames, k_default_names, 3);
    setting(p, "fund_kuan", w.fund_kuan, &w.nfund, NULL, 0);
    w.econ_pl.list = w.econ;
    w.econ_pl.n = w.necon;
    number_prefixes(w.econ, w.necon, w.econ_pl.num);
    w.fund_pl.list = w.fund_kuan;
    w.fund_pl.n = w.nfund;
    number_prefixes(w.fund_kuan, w.nfund, w.fund_pl.num);
    size_t fired[9] = {0};
    line_checks(&w, fired);
    duplicates(&w, fired);
    carryover(&w, fired);
    budget_reasons(&w, fired);
    for (int k = 0; k < 9; k++)
        js_findings_count_rule(out, fired[k] == 0);
    size_t variants = 0;
    unit_variants(&w, &variants);
    js_findings_count_rule(out, variants == 0);
    js_wbcheck_phases(wb, out);
    return js_wbcheck_figures(wb, p, out, d);
}
