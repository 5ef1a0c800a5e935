/* Facts summed by everything the table engine looks at, so that compiling
 * costs per distinct (source, fund, spend, item, unit, 项, 款) instead of
 * per line. */
#ifndef JS_FACT_SUM_H
#define JS_FACT_SUM_H

#include <stddef.h>

#include "juesuan/diag.h"
#include "juesuan/workbook.h"

/* Sums wb's facts with equal dimensions. unit < 0: every unit's facts,
 * where a unit counts only by its kind (the facts of all units of a kind
 * are given the first unit of that kind); unit >= 0: that unit's facts and
 * the department-level ones (no unit). A sum keeps the sheet line of its
 * first fact; a sum of zero is dropped. Returns a malloc'd array (*out_n
 * entries; NULL with *out_n == 0 when nothing is left) or NULL with d filled
 * (out of memory, a sum out of range). */
js_fact *js_fact_sum(const js_workbook *wb, int unit, size_t *out_n, js_diag *d);

#endif
