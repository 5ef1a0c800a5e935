/* Workbook checks (internal to the audit): the lines themselves
 * (lib/audit/wbcheck.c) and the figures a workbook states beside them
 * (lib/audit/wbcheck_figures.c). docs/rules.md lists the rules. */
#ifndef JS_WBCHECK_H
#define JS_WBCHECK_H

#include "findings.h"

/* W-010 机关运行经费 against the 公用经费 of 行政 and 参公 units, W-011 the
 * "三公" actuals against the 财政拨款 lines of their economic codes, W-012
 * a line sheet declared in 元 whose amounts look like 万元. Appends
 * findings to out and counts the three rules. Returns JS_OK, or JS_E_INPUT
 * with d filled when the profile's "checks" setting sangong_econ is not
 * of the form 项目=经济分类款. */
js_status js_wbcheck_figures(const js_workbook *wb, const js_profile *p, js_findings *out, js_diag *d);

/* W-020 budget.csv's 年初预算数 against the budget phase, W-021 the "三公"
 * actuals against the budget phase's 三公 budget (lib/audit/
 * wbcheck_phases.c): a workbook holding both phases; each counted as a rule
 * only when it has something to check. */
void js_wbcheck_phases(const js_workbook *wb, js_findings *out);

#endif
