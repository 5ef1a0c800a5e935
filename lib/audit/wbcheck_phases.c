/* Workbook checks across the two phases of a department-year, when the
 * workbook holds both the budget (预算) and the 决算 (docs/budget.md):
 *
 * - W-020 (error): budget.csv's 年初预算数, given beside a budget phase
 *   (a column with some amount: a blank column gives nothing), equals the budget phase's 预算支出 by 项 and fund — the 决算's
 *   年初预算 is the published budget (the 决算 takes its 年初预算 from the
 *   budget phase; typed amounts that differ are a second, wrong source);
 * - W-021 (verify): each "三公" item's 决算数 (sangong.csv) is at most its
 *   budget-phase 预算数 (budget_sangong.csv), and so is their total;
 *   exceeding the published budget stands only with a written reason.
 *
 * Each is counted as a rule only when it has something to check (W-020:
 * budget.csv with its amounts beside a budget phase; W-021: both 三公
 * sheets and some 决算 to hold), so a workbook of one phase is audited as
 * before. Sums are exact, in 分. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbcheck.h"

#define MAX_KEYS 4096 /* distinct (项, fund) pairs compared; more are not checked */

typedef struct {
    uint32_t func;
    uint8_t fund;
    js_fen given, derived;
    uint32_t line; /* first budget.csv line of the pair, 0 none */
} pair;

static pair *pair_of(pair *p, size_t *n, uint32_t func, uint8_t fund)
{
    for (size_t i = 0; i < *n; i++)
        if (p[i].func == func && p[i].fund == fund)
            return &p[i];
    if (*n == MAX_KEYS)
        return NULL;
    p[*n] = (pair){.func = func, .fund = fund};
    return &p[(*n)++];
}

static void initial_budget(const js_workbook *wb, js_findings *out)
{
    if (!js_workbook_has_budget_phase(wb) || js_workbook_money_unit(wb, "budget.csv", "年初预算数") < 0)
        return;
    /* a column left blank (as a template filled in leaves it) gives nothing */
    size_t nf;
    const js_fact *x = js_workbook_facts(wb, &nf);
    bool typed = false;
    for (size_t i = 0; i < nf && !typed; i++)
        typed = x[i].source == JS_SRC_BUDGET_GIVEN && x[i].amount != 0;
    if (!typed)
        return;
    pair *pairs = malloc(sizeof *pairs * MAX_KEYS);
    if (!pairs)
        return; /* out of memory: the check is not made (nor counted) */
    size_t n = 0;
    for (size_t i = 0; i < nf; i++) {
        if (x[i].source != JS_SRC_BUDGET_GIVEN && x[i].source != JS_SRC_BUDGET)
            continue;
        pair *p = pair_of(pairs, &n, x[i].func, x[i].fund);
        if (!p)
            continue;
        if (x[i].source == JS_SRC_BUDGET) {
            p->derived += x[i].amount;
        } else {
            p->given += x[i].amount;
            if (!p->line)
                p->line = x[i].sheet_line;
        }
    }
    bool fired = false;
    for (size_t i = 0; i < n; i++) {
        if (pairs[i].given == pairs[i].derived)
            continue;
        fired = true;
        char code[8], a[32], b[32];
        js_code_str(pairs[i].func, 7, code);
        js_money_format_yuan(pairs[i].given, a, sizeof a);
        js_money_format_yuan(pairs[i].derived, b, sizeof b);
        js_finding *f = js_findings_add(out, "W-020", JS_SEV_ERROR,
                                        "%s %s：budget.csv 填报的年初预算数 %s 元与预算阶段（预算支出表）的 %s 元不一致；"
                                        "决算的年初预算应等于公开的预算，可删去 budget.csv 的「年初预算数」列，年初预算即取自预算支出",
                                        code, js_fund_names[pairs[i].fund], a, b);
        if (f) {
            snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(wb, "budget.csv"));
            f->line = pairs[i].line;
            f->has_values = true;
            f->actual = pairs[i].given;
            f->expected = pairs[i].derived;
            f->difference = pairs[i].given - pairs[i].derived;
        }
    }
    free(pairs);
    js_findings_count_rule(out, !fired);
}

/* The 三公 items: the four of the 三公经费, then their total. */
static void sangong_within_budget(const js_workbook *wb, js_findings *out)
{
    if (!js_workbook_has_sheet(wb, "sangong.csv") || !js_workbook_has_sheet(wb, "budget_sangong.csv"))
        return;
    static const js_sg_item items[] = {JS_SG_ABROAD, JS_SG_CAR_BUY, JS_SG_CAR_RUN, JS_SG_RECEPTION};
    js_fen actual[JS_SG_COUNT] = {0}, budget[JS_SG_COUNT] = {0};
    size_t nf;
    const js_fact *x = js_workbook_facts(wb, &nf);
    for (size_t i = 0; i < nf; i++)
        if (x[i].item < JS_SG_COUNT && x[i].source == JS_SRC_SG_ACTUAL)
            actual[x[i].item] += x[i].amount;
        else if (x[i].item < JS_SG_COUNT && x[i].source == JS_SRC_B_SG)
            budget[x[i].item] += x[i].amount;
    js_fen total_actual = 0, total_budget = 0;
    for (size_t k = 0; k < sizeof items / sizeof items[0]; k++) {
        total_actual += actual[items[k]];
        total_budget += budget[items[k]];
    }
    if (total_actual == 0)
        return; /* nothing spent: nothing to hold */
    bool fired = false;
    for (size_t k = 0; k <= sizeof items / sizeof items[0]; k++) {
        bool whole = k == sizeof items / sizeof items[0];
        js_fen a = whole ? total_actual : actual[items[k]], b = whole ? total_budget : budget[items[k]];
        if (a <= b)
            continue;
        fired = true;
        char as[32], bs[32];
        js_money_format_wan(a, false, as, sizeof as);
        js_money_format_wan(b, false, bs, sizeof bs);
        js_finding *f = js_findings_add(out, "W-021", JS_SEV_VERIFY,
                                        "「%s」决算数 %s 万元超过公开的年初预算 %s 万元（三公经费预算表），请核实并写明原因",
                                        whole ? "“三公”经费合计" : js_sg_item_names[items[k]], as, bs);
        if (f) {
            snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(wb, "sangong.csv"));
            f->has_values = true;
            f->actual = a;
            f->expected = b;
            f->difference = a - b;
        }
    }
    js_findings_count_rule(out, !fired);
}

void js_wbcheck_phases(const js_workbook *wb, js_findings *out)
{
    initial_budget(wb, out);
    sangong_within_budget(wb, out);
}
