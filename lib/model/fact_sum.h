/* Facts summed by everything the table engine looks at, so that compiling
 * costs per distinct (source, fund, spend, item, unit, 项, 款) instead of
 * per line. */
#ifndef JS_FACT_SUM_H
#define JS_FACT_SUM_H

#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/workbook.h"

/* A slot of the hash table: the dimensions packed in two words, the
 * index + 1 of their sum (0: empty) and its running total, so that adding
 * to a sum reads and writes one slot (sums[at - 1].amount is written when
 * the sums are taken). */
typedef struct {
    uint64_t k1, k2;
    uint32_t at;
    js_fen total;
} js_fact_slot;

/* An accumulator of sums: a hash table over the dimensions. */
typedef struct {
    js_fact *sums;
    size_t n, cap;       /* sums */
    js_fact_slot *slots;
    size_t nslots;       /* power of two */
} js_fact_summer;

/* Adds x to the sum of its dimensions (a new sum keeps x's sheet line).
 * false when out of memory or when the sum leaves the range of js_fen. */
bool js_fact_summer_add(js_fact_summer *s, const js_fact *x, bool *overflow);
/* Writes the running totals into the sums: s->sums[0..n) are then the
 * sums. */
void js_fact_summer_flush(js_fact_summer *s);
/* The sums that are not zero, as a malloc'd array the caller owns (NULL
 * when none); empties s. */
js_fact *js_fact_summer_take(js_fact_summer *s, size_t *n);
void js_fact_summer_free(js_fact_summer *s);

/* How deep a set of sums looks into the codes: the first func digits of
 * the 7-digit 项 and econ digits of the 5-digit 款 (0: the code is
 * dropped); the digits cut are replaced by zeros. */
typedef struct {
    int func, econ;
} js_fact_depth;

/* Sums wb's facts with equal dimensions, at each of depths[0..k) (k at
 * most JS_MAX_TABLES: one per table), in one pass over the facts. unit < 0: every unit's facts, where a unit counts
 * only by its kind (the facts of all units of a kind are given the first
 * unit of that kind, or the kind itself when by_kind); unit >= 0: that
 * unit's facts and the department-level ones (no unit). A sum keeps the
 * sheet line of its first fact; sums of zero are dropped. Fills outs[j]
 * (malloc'd, NULL when nothing is left) and ns[j]; false with d filled when
 * out of memory or a sum leaves the range of js_fen (naming the line). */
bool js_fact_sum(const js_workbook *wb, int unit, bool by_kind, const js_fact_depth *depths, size_t k,
                 js_fact **outs, size_t *ns, js_diag *d);

#endif
