/* 绩效自评: scoring the department's and its projects' self-evaluations
 * from perf_items.csv and perf_indicators.csv (docs/performance.md).
 *
 * Scores are kept in hundredths of a point; rates as displayed in units of
 * 10^-decimals percent. All arithmetic is exact; each score is rounded half
 * up to 0.01 as the method prescribes. */
#ifndef JUESUAN_PERF_H
#define JUESUAN_PERF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/audit.h"
#include "juesuan/buf.h"
#include "juesuan/profile.h"
#include "juesuan/workbook.h"

typedef struct {
    size_t row;              /* row of perf_indicators.csv (0-based) */
    const char *level1, *level2, *level3;
    const char *op;          /* ≥ ≤ = 定性 */
    const char *target_text, *actual_text, *grade, *printed;
    int64_t target, actual;  /* ×10^6 */
    int64_t weight;          /* ×10^6 points */
    bool applicable;
    bool short_of_target;
    int64_t score;           /* hundredths of a point */
} js_perf_indicator;

typedef struct {
    size_t row;              /* row of perf_items.csv */
    const char *name;
    bool whole;              /* 部门整体 */
    js_fen budget, executed;
    int rate_decimals;
    int64_t rate;            /* displayed rate, units of 10^-rate_decimals % */
    int64_t exec_weight;     /* points */
    int64_t exec_score;      /* hundredths */
    int64_t total;           /* hundredths */
    bool shortfall;
    js_perf_indicator *ind;
    size_t nind;
} js_perf_item;

typedef struct js_perf js_perf;

/* Scores every item of the workbook with the profile's options. An empty
 * result when the workbook has no perf_items.csv. NULL and d filled on
 * error (an indicator naming no item). */
js_perf *js_perf_compute(const js_workbook *wb, const js_profile *p, js_diag *d);
void js_perf_free(js_perf *pf);
size_t js_perf_count(const js_perf *pf);
const js_perf_item *js_perf_item_at(const js_perf *pf, size_t i);
/* The item named name, NULL when none. */
const js_perf_item *js_perf_find(const js_perf *pf, const char *name);

/* Formats hundredths of a point as printed (17.86, 20, 7.5 → "7.5"), and a
 * displayed rate ("89.32%", "100%"). */
void js_perf_points(int64_t hundredths, char *buf, size_t n);
void js_perf_rate(const js_perf_item *it, char *buf, size_t n);
/* An amount in 万元 exactly, trailing zeros dropped (37192.365, 108). */
void js_perf_wan(js_fen v, char *buf, size_t n);

/* The checks of the evaluations (P-001 …, docs/rules.md), into out. */
js_status js_perf_check(const js_perf *pf, const js_workbook *wb, js_findings *out, js_diag *d);

/* The JSON form of every item (rates, scores, indicators); mark (e.g.
 * 未通过审核) is added when not NULL. */
js_status js_perf_json(const js_perf *pf, const js_workbook *wb, const char *mark, js_buf *out);

#endif
