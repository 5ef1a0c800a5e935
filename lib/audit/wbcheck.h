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

#endif
