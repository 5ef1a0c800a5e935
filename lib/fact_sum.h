/* Facts summed by everything the table engine looks at, so that compiling
 * costs per distinct (source, fund, spend, item, unit, 项, 款) instead of
 * per line. */
#ifndef JS_FACT_SUM_H
#define JS_FACT_SUM_H

#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/workbook.h"

/* An accumulator of sums: a hash table over the dimensions. */
typedef struct {
    js_fact *sums;
    size_t n, cap;   /* sums */
    uint32_t *slots; /* index + 1 into sums, 0 empty */
    size_t nslots;   /* power of two */
} js_fact_summer;

/* Adds x to the sum of its dimensions (a new sum keeps x's sheet line).
 * false when out of memory or when the sum leaves the range of js_fen. */
bool js_fact_summer_add(js_fact_summer *s, const js_fact *x, bool *overflow);
/* The sums that are not zero, as a malloc'd array the caller owns (NULL
 * when none); empties s. */
js_fact *js_fact_summer_take(js_fact_summer *s, size_t *n);
void js_fact_summer_free(js_fact_summer *s);

/* Sums wb's facts with equal dimensions. unit < 0: every unit's facts,
 * where a unit counts only by its kind (the facts of all units of a kind
 * are given the first unit of that kind, or the kind itself when by_kind);
 * unit >= 0: that unit's facts and the department-level ones (no unit). A
 * sum keeps the sheet line of its first fact; a sum of zero is dropped.
 * Returns a malloc'd array (*out_n entries; NULL with *out_n == 0 when
 * nothing is left) or NULL with d filled (out of memory, a sum out of
 * range). */
js_fact *js_fact_sum(const js_workbook *wb, int unit, bool by_kind, size_t *out_n, js_diag *d);

/* facts[0..n) with each 7-digit 项 cut to its first func_digits digits
 * and each 5-digit 款 to econ_digits (0: dropped; 7 and 5 keep them
 * whole), the digits cut replaced by zeros, then summed again: what a table
 * that looks no deeper needs. *out (malloc'd, NULL when nothing is left)
 * and *out_n; false when out of memory or, with *overflow set to the
 * fact that made it, when a sum leaves the range of js_fen. */
bool js_fact_project(const js_fact *facts, size_t n, int func_digits, int econ_digits, js_fact **out,
                     size_t *out_n, const js_fact **overflow);

#endif
