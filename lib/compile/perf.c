/* 绩效自评 scoring (see perf.h). */
#include "juesuan/perf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "json_write.h"
#include "workbook_schema.h"

#define ITEMS "perf_items.csv"
#define INDS "perf_indicators.csv"
#define MICRO 1000000

struct js_perf {
    js_perf_item *items;
    size_t n;
};

typedef __int128 i128;

/* round(num / den) half up, for num, den >= 0 */
static int64_t round_half_up(i128 num, i128 den)
{
    if (den == 0)
        return 0;
    bool neg = (num < 0) != (den < 0);
    if (num < 0)
        num = -num;
    if (den < 0)
        den = -den;
    int64_t q = (int64_t)((num * 2 + den) / (den * 2));
    return neg ? -q : q;
}

/* grade_percent: the share of the weight a qualitative indicator earns by
 * its grade (the profile's grade_percent; 100 when no grade is given). */
static void score_indicator(js_perf_indicator *x, long grade_percent)
{
    i128 w = x->weight; /* ×10^6 points; score in hundredths = w × 100 / 10^6 × fraction */
    x->short_of_target = false;
    if (!strcmp(x->op, "定性")) {
        x->score = round_half_up(w * 100 * grade_percent, (i128)MICRO * 100);
        x->short_of_target = grade_percent < 100;
        return;
    }
    bool full;
    i128 num = 0, den = 1;
    if (!strcmp(x->op, "≥")) {
        full = x->actual >= x->target;
        num = x->actual > 0 ? x->actual : 0;
        den = x->target;
    } else if (!strcmp(x->op, "≤")) {
        full = x->actual <= x->target;
        num = x->target;
        den = x->actual;
    } else {
        full = x->actual == x->target;
        num = 0;
    }
    if (full) {
        x->score = round_half_up(w * 100, MICRO);
        return;
    }
    x->short_of_target = true;
    x->score = den > 0 && num > 0 ? round_half_up(w * 100 * num, (i128)MICRO * den) : 0;
}

static int64_t pow10i(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

js_perf *js_perf_compute(const js_workbook *wb, const js_profile *p, js_diag *d)
{
    js_perf *pf = calloc(1, sizeof *pf);
    int nc;
    size_t n = js_workbook_sheet_size(wb, ITEMS, &nc), ni = js_workbook_sheet_size(wb, INDS, &nc);
    if (!pf || (n && !(pf->items = calloc(n, sizeof *pf->items)))) {
        free(pf);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    pf->n = n;
    long w = js_profile_perf_option(p, "execution_weight", 20);
    long dflt_dec = js_profile_perf_option(p, "rate_decimals", 2);
    bool displayed = js_profile_perf_option(p, "score_from_displayed_rate", 1);
    long shortfall = js_profile_perf_option(p, "shortfall_rate_percent", 100);
    for (size_t i = 0; i < n; i++) {
        js_perf_item *it = &pf->items[i];
        it->row = i;
        it->name = js_workbook_sheet_cell(wb, ITEMS, i, JS_PERF_NAME);
        it->whole = js_workbook_sheet_number(wb, ITEMS, i, JS_PERF_KIND) == 0;
        it->budget = js_workbook_sheet_number(wb, ITEMS, i, JS_PERF_BUDGET);
        it->executed = js_workbook_sheet_number(wb, ITEMS, i, JS_PERF_EXECUTED);
        it->rate_decimals = js_workbook_sheet_cell(wb, ITEMS, i, JS_PERF_DECIMALS)[0]
                                ? (int)js_workbook_sheet_number(wb, ITEMS, i, JS_PERF_DECIMALS) : (int)dflt_dec;
        if (it->rate_decimals > 6)
            it->rate_decimals = 6;
        it->exec_weight = w;
        /* rate = executed / budget, capped at 100% */
        i128 num = it->executed > 0 ? it->executed : 0, den = it->budget;
        if (den <= 0 || num > den)
            num = den = 1;
        if (it->budget <= 0)
            num = 0;
        int64_t scale = pow10i(it->rate_decimals);
        it->rate = round_half_up(num * 100 * scale, den);
        it->exec_score = displayed ? round_half_up((i128)w * it->rate * 100, (i128)100 * scale)
                                   : round_half_up((i128)w * num * 100, den);
        it->shortfall = it->rate < (int64_t)shortfall * scale;
        it->total = it->exec_score;
    }
    for (size_t r = 0; r < ni; r++) {
        const char *owner = js_workbook_sheet_cell(wb, INDS, r, JS_IND_ITEM);
        js_perf_item *it = NULL;
        for (size_t i = 0; i < n && !it; i++)
            if (!strcmp(pf->items[i].name, owner))
                it = &pf->items[i];
        if (!it) {
            js_diag_set(d, JS_E_INPUT, js_workbook_sheet_file(wb, INDS), (long)r + 2, 1, "项目名称",
                        "'%s' 不在绩效自评对象（perf_items.csv）中", owner);
            js_perf_free(pf);
            return NULL;
        }
        js_perf_indicator *grown = realloc(it->ind, sizeof *it->ind * (it->nind + 1));
        if (!grown) {
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            js_perf_free(pf);
            return NULL;
        }
        it->ind = grown;
        js_perf_indicator *x = &it->ind[it->nind++];
        memset(x, 0, sizeof *x);
        x->row = r;
        x->level1 = js_workbook_sheet_cell(wb, INDS, r, JS_IND_LEVEL1);
        x->level2 = js_workbook_sheet_cell(wb, INDS, r, JS_IND_LEVEL2);
        x->level3 = js_workbook_sheet_cell(wb, INDS, r, JS_IND_LEVEL3);
        x->op = js_workbook_sheet_cell(wb, INDS, r, JS_IND_OP);
        x->target_text = js_workbook_sheet_cell(wb, INDS, r, JS_IND_TARGET_TEXT);
        x->actual_text = js_workbook_sheet_cell(wb, INDS, r, JS_IND_ACTUAL_TEXT);
        x->target = js_workbook_sheet_number(wb, INDS, r, JS_IND_TARGET);
        x->actual = js_workbook_sheet_number(wb, INDS, r, JS_IND_ACTUAL);
        x->weight = js_workbook_sheet_number(wb, INDS, r, JS_IND_WEIGHT);
        x->applicable = strcmp(js_workbook_sheet_cell(wb, INDS, r, JS_IND_APPLICABLE), "否") != 0;
        x->grade = js_workbook_sheet_cell(wb, INDS, r, JS_IND_GRADE);
        x->printed = js_workbook_sheet_cell(wb, INDS, r, JS_IND_PRINTED);
        long grade = x->grade[0] ? js_profile_perf_grade(p, x->grade) : 100;
        if (grade < 0) {
            js_diag_set(d, JS_E_INPUT, js_workbook_sheet_file(wb, INDS), (long)r + 2, 0, "等级",
                        "等级「%s」不在配置的 performance.grade_percent 中", x->grade);
            js_perf_free(pf);
            return NULL;
        }
        score_indicator(x, grade);
    }
    /* Totals; indicators not applicable are dropped and the rest rescaled
     * to 100. */
    for (size_t i = 0; i < n; i++) {
        js_perf_item *it = &pf->items[i];
        int64_t sum = it->exec_score, dropped = 0;
        for (size_t k = 0; k < it->nind; k++) {
            if (it->ind[k].applicable)
                sum += it->ind[k].score;
            else
                dropped += it->ind[k].weight;
            if (it->ind[k].applicable && it->ind[k].short_of_target)
                it->shortfall = true;
        }
        it->total = dropped ? round_half_up((i128)sum * 100 * MICRO, (i128)100 * MICRO - dropped) : sum;
    }
    return pf;
}

void js_perf_free(js_perf *pf)
{
    if (!pf)
        return;
    for (size_t i = 0; i < pf->n; i++)
        free(pf->items[i].ind);
    free(pf->items);
    free(pf);
}

size_t js_perf_count(const js_perf *pf) { return pf->n; }
const js_perf_item *js_perf_item_at(const js_perf *pf, size_t i) { return &pf->items[i]; }

const js_perf_item *js_perf_find(const js_perf *pf, const char *name)
{
    for (size_t i = 0; i < pf->n; i++)
        if (!strcmp(pf->items[i].name, name))
            return &pf->items[i];
    return NULL;
}

/* 1786 → "17.86", 2000 → "20", 750 → "7.5" */
void js_perf_points(int64_t h, char *buf, size_t n)
{
    int64_t a = h < 0 ? -h : h;
    if (a % 100 == 0)
        snprintf(buf, n, "%s%lld", h < 0 ? "-" : "", (long long)(a / 100));
    else if (a % 10 == 0)
        snprintf(buf, n, "%s%lld.%lld", h < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100 / 10));
    else
        snprintf(buf, n, "%s%lld.%02lld", h < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

void js_perf_wan(js_fen v, char *buf, size_t n)
{
    js_fen a = v < 0 ? -v : v;
    char frac[16];
    snprintf(frac, sizeof frac, "%06lld", (long long)(a % JS_FEN_PER_WAN));
    size_t l = strlen(frac);
    while (l && frac[l - 1] == '0')
        frac[--l] = '\0';
    snprintf(buf, n, "%s%lld%s%s", v < 0 ? "-" : "", (long long)(a / JS_FEN_PER_WAN), l ? "." : "", frac);
}

void js_perf_rate(const js_perf_item *it, char *buf, size_t n)
{
    int64_t s = pow10i(it->rate_decimals);
    if (it->rate_decimals == 0 || it->rate % s == 0)
        snprintf(buf, n, "%lld%%", (long long)(it->rate / s));
    else
    {
        char frac[32];
        snprintf(frac, sizeof frac, "%06lld", (long long)(it->rate % s));
        snprintf(buf, n, "%lld.%.*s%%", (long long)(it->rate / s), it->rate_decimals & 7,
                 frac + 6 - (it->rate_decimals & 7));
    }
}

/* Is either text column filled (and not just 无)? */
/* Places finding f at line (0: none) of file and, when has, gives its
 * actual and expected values. */
static void place(js_finding *f, const char *file, long line, bool has, js_fen actual, js_fen expected)
{
    if (!f)
        return;
    snprintf(f->file, sizeof f->file, "%s", file);
    f->line = line;
    f->has_values = has;
    f->actual = actual;
    f->expected = expected;
    f->difference = actual - expected;
}

static bool given(const js_workbook *wb, size_t row, int a, int b)
{
    const char *x = js_workbook_sheet_cell(wb, ITEMS, row, a), *y = js_workbook_sheet_cell(wb, ITEMS, row, b);
    return (x[0] && strcmp(x, "无")) || (y[0] && strcmp(y, "无"));
}

static bool placeholder(const char *s)
{
    return s && (strstr(s, "XX") || strstr(s, "××") || strstr(s, "某某") || strstr(s, "xx"));
}

js_status js_perf_check(const js_perf *pf, const js_workbook *wb, js_findings *out, js_diag *d)
{
    (void)d;
    const char *items_file = js_workbook_sheet_file(wb, ITEMS), *inds_file = js_workbook_sheet_file(wb, INDS);
    size_t fired[6] = {0};
    size_t nfacts;
    const js_fact *facts = js_workbook_facts(wb, &nfacts);
    for (size_t i = 0; i < pf->n; i++) {
        const js_perf_item *it = &pf->items[i];
        char a[32], b[32];
        /* P-001 weights add to 100 */
        int64_t sum = (int64_t)it->exec_weight * MICRO;
        for (size_t k = 0; k < it->nind; k++)
            sum += it->ind[k].weight;
        if (sum != 100 * (int64_t)MICRO) {
            /* Where the figures are: the item's line (预算执行) and its
             * indicators' lines. */
            char lines[160] = "";
            size_t o = 0;
            for (size_t k = 0; k < it->nind && o < sizeof lines; k++) {
                if (k == 8) {
                    snprintf(lines + o, sizeof lines - o, "等");
                    break;
                }
                o += (size_t)snprintf(lines + o, sizeof lines - o, "%s%zu", k ? "、" : "", it->ind[k].row + 2);
            }
            js_finding *f = js_findings_add(out, "P-001", JS_SEV_ERROR,
                                            "“%s”的分值合计为 %lld.%02lld 分，应为 100 分（预算执行 %lld 分，%s 第%zu行；"
                                            "加 %zu 个指标的权重，%s 第%s行）",
                                            it->name, (long long)(sum / MICRO), (long long)(sum % MICRO / 10000),
                                            (long long)it->exec_weight, items_file, it->row + 2, it->nind, inds_file,
                                            it->nind ? lines : "（无）");
            /* in 分-like units: points × 10^6 shown as 万元 figures; at
             * the first indicator's line, else the item's */
            place(f, it->nind ? inds_file : items_file, (long)(it->nind ? it->ind[0].row : it->row) + 2, true, sum,
                  100 * (int64_t)MICRO);
            fired[0]++;
        }
        /* P-002 a shortfall needs its reasons and measures, in the table
         * (偏差原因, 改进措施) or in the 情况说明 (发现的问题及原因,
         * 下一步改进措施) */
        if (it->shortfall && (!given(wb, it->row, JS_PERF_REASON, JS_PERF_PROBLEM) ||
                              !given(wb, it->row, JS_PERF_MEASURE, JS_PERF_NEXT))) {
            js_finding *f = js_findings_add(out, "P-002", JS_SEV_VERIFY,
                                            "“%s”执行率或指标未达目标，应填写偏差原因和改进措施", it->name);
            place(f, items_file, (long)it->row + 2, false, 0, 0);
            fired[1]++;
        }
        /* P-003 the whole department's figures agree with the tables */
        if (it->whole) {
            js_fen total = 0;
            for (size_t k = 0; k < nfacts; k++)
                if (facts[k].source == JS_SRC_EXP)
                    total += facts[k].amount;
            if (js_money_round_wan_cents(total) != js_money_round_wan_cents(it->executed)) {
                js_money_format_wan(it->executed, false, a, sizeof a);
                js_money_format_wan(total, false, b, sizeof b);
                js_finding *f = js_findings_add(out, "P-003", JS_SEV_ERROR,
                                                "部门整体的执行数 %s 万元与本年支出合计 %s 万元不一致", a, b);
                place(f, items_file, (long)it->row + 2, true, it->executed, total);
                fired[2]++;
            }
        }
        /* P-004 a project's 执行数 agrees with its linked expenditure lines
         * (linked through 关联项目名称, which may list several names
         * separated by 、) */
        const char *link = js_workbook_sheet_cell(wb, ITEMS, it->row, JS_PERF_LINK);
        if (link[0]) {
            js_fen total = 0;
            size_t nproj;
            const char *const *proj = js_workbook_fact_projects(wb, &nproj);
            for (size_t k = 0; k < nfacts; k++) {
                const js_fact *x = &facts[k];
                if (x->source != JS_SRC_EXP || x->project == UINT32_MAX || x->project >= nproj)
                    continue;
                const char *pn = proj[x->project];
                const char *hit = strstr(link, pn);
                size_t pl = strlen(pn);
                if (hit && (hit == link || !strncmp(hit - strlen("、"), "、", strlen("、"))) &&
                    (hit[pl] == '\0' || !strncmp(hit + pl, "、", strlen("、"))))
                    total += x->amount;
            }
            if (js_money_round_wan_cents(total) != js_money_round_wan_cents(it->executed)) {
                js_money_format_wan(it->executed, false, a, sizeof a);
                js_money_format_wan(total, false, b, sizeof b);
                js_finding *f = js_findings_add(out, "P-004", JS_SEV_ERROR,
                                                "“%s”的执行数 %s 万元与支出明细中项目“%s”的合计 %s 万元不一致", it->name,
                                                a, link, b);
                place(f, items_file, (long)it->row + 2, true, it->executed, total);
                fired[3]++;
            }
        }
        /* P-005 the figure the narrative prints agrees with the table's */
        const char *tb = js_workbook_sheet_cell(wb, ITEMS, it->row, JS_PERF_TEXT_BUDGET);
        if (tb[0]) {
            js_fen v = js_workbook_sheet_number(wb, ITEMS, it->row, JS_PERF_TEXT_BUDGET);
            if (v != it->budget) {
                js_finding *f = js_findings_add(out, "P-005", JS_SEV_ERROR,
                                                "“%s”的预算数：自评表为 %s 万元，情况说明为 %s 万元", it->name,
                                                js_workbook_sheet_cell(wb, ITEMS, it->row, JS_PERF_BUDGET), tb);
                place(f, items_file, (long)it->row + 2, true, v, it->budget);
                fired[4]++;
            }
        }
        /* P-006 no template placeholders left */
        int cols[] = {JS_PERF_GOAL, JS_PERF_REASON, JS_PERF_MEASURE, JS_PERF_OUTPUT,
                      JS_PERF_PROBLEM, JS_PERF_NEXT, JS_PERF_TABLE_TITLE};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            if (placeholder(js_workbook_sheet_cell(wb, ITEMS, it->row, cols[k]))) {
                js_finding *f = js_findings_add(out, "P-006", JS_SEV_ERROR, "“%s”的文字中留有模板占位符（XX、××、某某）",
                                                it->name);
                place(f, items_file, (long)it->row + 2, false, 0, 0);
                fired[5]++;
                break;
            }
    }
    /* P-006 also over the indicators and text.csv */
    static const struct { const char *sheet; int col; } more[] = {
        {INDS, JS_IND_LEVEL1}, {INDS, JS_IND_LEVEL2}, {INDS, JS_IND_LEVEL3},
        {INDS, JS_IND_TARGET_TEXT}, {INDS, JS_IND_ACTUAL_TEXT}, {"text.csv", JS_TEXT_CONTENT}};
    for (size_t m = 0; m < sizeof more / sizeof more[0]; m++) {
        int nc;
        size_t rows = js_workbook_sheet_size(wb, more[m].sheet, &nc);
        for (size_t r = 0; r < rows; r++) {
            const char *txt = js_workbook_sheet_cell(wb, more[m].sheet, r, more[m].col);
            if (!placeholder(txt))
                continue;
            js_finding *f = js_findings_add(out, "P-006", JS_SEV_ERROR, "文字中留有模板占位符（XX、××、某某）：%.60s", txt);
            place(f, js_workbook_sheet_file(wb, more[m].sheet), (long)r + 2, false, 0, 0);
            fired[5]++;
        }
    }
    for (size_t k = 0; k < 6; k++)
        js_findings_count_rule(out, fired[k] == 0);
    return JS_OK;
}

js_status js_perf_json(const js_perf *pf, const js_workbook *wb, const char *mark, js_buf *out)
{
    /* written straight (json_write.h): jansson's tree, dumped and freed,
     * was a tenth of a build */
    js_jw w;
    js_jw_init(&w, out);
    js_jw_object(&w);
    js_jw_kstring(&w, "format", "juesuan-performance");
    js_jw_kint(&w, "version", 1);
    js_jw_key(&w, "items");
    js_jw_array(&w);
    for (size_t i = 0; i < pf->n; i++) {
        const js_perf_item *it = &pf->items[i];
        char b[32], e[32], rate[32], es[32], tot[32];
        js_perf_wan(it->budget, b, sizeof b);
        js_perf_wan(it->executed, e, sizeof e);
        js_perf_rate(it, rate, sizeof rate);
        js_perf_points(it->exec_score, es, sizeof es);
        js_perf_points(it->total, tot, sizeof tot);
        js_jw_object(&w);
        js_jw_kstring(&w, "name", it->name);
        js_jw_kstring(&w, "kind", it->whole ? "部门整体" : "项目");
        js_jw_kstring(&w, "budget", b);
        js_jw_kstring(&w, "executed", e);
        js_jw_kstring(&w, "rate", rate);
        js_jw_kstring(&w, "rate_score", es);
        js_jw_kstring(&w, "total", tot);
        js_jw_kbool(&w, "shortfall", it->shortfall);
        js_jw_key(&w, "indicators");
        js_jw_array(&w);
        for (size_t k = 0; k < it->nind; k++) {
            const js_perf_indicator *x = &it->ind[k];
            char s[32], wt[32];
            js_perf_points(x->score, s, sizeof s);
            js_perf_points(x->weight / (MICRO / 100), wt, sizeof wt);
            js_jw_object(&w);
            js_jw_kstring(&w, "level1", x->level1);
            js_jw_kstring(&w, "level2", x->level2);
            js_jw_kstring(&w, "name", x->level3);
            js_jw_kstring(&w, "op", x->op);
            js_jw_kstring(&w, "target", x->target_text);
            js_jw_kstring(&w, "actual", x->actual_text);
            js_jw_kstring(&w, "weight", wt);
            js_jw_kbool(&w, "applicable", x->applicable);
            js_jw_kstring(&w, "score", s);
            js_jw_end_object(&w);
        }
        js_jw_end_array(&w);
        js_jw_end_object(&w);
    }
    js_jw_end_array(&w);
    (void)wb;
    if (mark)
        js_jw_kstring(&w, "mark", mark);
    js_jw_end_object(&w);
    return js_jw_finish(&w);
}
