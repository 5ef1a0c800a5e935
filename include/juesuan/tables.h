/* The table engine: compiles a workbook's facts into the tables of a
 * profile. Every amount is an exact sum in 分; rounding to 万元 happens only
 * when a renderer prints it. */
#ifndef JUESUAN_TABLES_H
#define JUESUAN_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/diag.h"
#include "juesuan/money.h"
#include "juesuan/profile.h"
#include "juesuan/workbook.h"

typedef enum {
    JS_TROW_ITEM,
    JS_TROW_BLANK,   /* spacer row: nothing printed but its 行次 */
    JS_TROW_SUM,
    JS_TROW_TOTAL,
    JS_TROW_CODE,    /* a classification row */
    JS_TROW_FOOTER
} js_trow_kind;

typedef struct {
    js_trow_kind kind;
    int block;        /* block of the table definition */
    int rowno;        /* 行次, 0 when the table has none */
    int pos;          /* 1-based position among the table's printed rows */
    int level;        /* digits of the code (3, 5, 7), 0 for label rows */
    bool econ;        /* the code is economic (else functional) */
    char code[8];     /* "" on label rows */
    const char *name; /* label as printed */
    js_fen *cells;    /* one per column of the block; 0 for non-amount ones */
} js_trow;

typedef struct {
    const js_tabledef *def;
    const char *title;      /* with {年度} etc. filled in */
    const char *empty_text; /* non-NULL when the table is empty and says so */
    const char *remark;     /* non-NULL: a remark printed under the note */
    js_trow *rows;
    size_t nrows;
} js_table;

typedef struct js_tableset js_tableset;

/* Compiles every table of profile p from wb; unit < 0 for the whole
 * department, else only that unit's facts. NULL and d filled on error (a
 * fact no row can hold, an overflow). The result borrows wb and p, which
 * must outlive it. */
js_tableset *js_tables_compile(const js_workbook *wb, const js_profile *p, int unit, js_diag *d);
/* The depths of the codes the tables of p look at (js_workbook_open_summed
 * sums a workbook's lines at these), each once, into depths (room for
 * JS_MAX_TABLES); returns how many. */
size_t js_tables_depths(const js_profile *p, js_sum_depth *depths);
/* The sources (a bit per js_source) of the facts any cell of p's tables
 * may add up: a summed read need not read a sheet whose facts have none
 * of them. */
uint32_t js_tables_sources(const js_profile *p);
void js_tableset_free(js_tableset *ts);

size_t js_tableset_count(const js_tableset *ts);
const js_table *js_tableset_table(const js_tableset *ts, size_t i);
const js_workbook *js_tableset_workbook(const js_tableset *ts);
const js_profile *js_tableset_profile(const js_tableset *ts);
/* The name printed after 部门：(the department, or the unit asked for). */
const char *js_tableset_entity(const js_tableset *ts);
/* Marks every rendering of ts with text (e.g. 未通过审核), or clears the
 * mark with NULL. The text is not copied. */
void js_tableset_set_mark(js_tableset *ts, const char *text);
const char *js_tableset_mark(const js_tableset *ts);
/* The label of the entity above a table: the profile's wording
 * entity_department (部门), or entity_unit (单位) for one unit's tables. */
const char *js_tableset_entity_label(const js_tableset *ts);

/* Whether fact x passes filter f, as the engine decides for every cell
 * (units: the workbook's, for a filter on 单位性质; codes are compared at
 * full length). */
bool js_filter_match(const js_filter *f, const js_fact *x, const js_unit *units);

/* Fills a template's {年度}, {部门} (the entity's name) and {本部门} (self:
 * the profile's self_department 本部门, or self_unit 本单位 for one unit)
 * into buf. */
void js_fill_template(const char *tpl, int year, const char *entity, const char *self, char *buf, size_t n);

#endif
