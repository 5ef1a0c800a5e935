/* Open data: the Fiscal Data Package of a department-year
 * (docs/open-data.md). fiscal-data.csv holds the workbook's money lines
 * summed by unit, functional classification (类/款/项) with its COFOG
 * division and group, economic classification (类/款), fund, spending
 * type, direction, phase and kind of value, amounts in exact 元;
 * datapackage.json describes it (Frictionless tabular data resource, FDP
 * columnTypes and the FDP 0.3 fiscal model). Same input, same bytes. */
#ifndef JUESUAN_FDP_H
#define JUESUAN_FDP_H

#include "juesuan/buf.h"
#include "juesuan/cofog.h"
#include "juesuan/money.h"
#include "juesuan/tables.h"

/* The file names the build writes. */
#define JS_FDP_PACKAGE "datapackage.json"
#define JS_FDP_CSV "fiscal-data.csv"

/* datapackage.json for ts, its resource at csv_path (relative). */
js_status js_fdp_package(const js_tableset *ts, const char *csv_path, js_buf *out);
/* datapackage.json of a region-year: the package of js_fdp_package, its
 * one resource at csv_path the fiscal-data.csv of every department of the
 * year one after the other (js_fdp_csv_append); region (NULL: none) and
 * the number of departments go into its title. */
js_status js_fdp_region_package(const char *region, int year, size_t departments, const char *csv_path,
                                js_buf *out);
/* Appends a department's fiscal-data.csv (csv, len) to the region's out:
 * whole when out is empty, else without its header, which must be out's.
 * JS_E_INPUT when it has no header line or another one; JS_E_LIMIT when
 * out cannot grow. */
js_status js_fdp_csv_append(js_buf *out, const char *csv, size_t len);
/* fiscal-data.csv: the lines of ts's workbook (unit < 0: every unit, else
 * that unit's), COFOG columns from cw (NULL: left empty). JS_E_LIMIT when a
 * sum overflows or the buffer cannot grow, JS_E_NOMEM. */
js_status js_fdp_csv(const js_tableset *ts, int unit, const js_cofog *cw, js_buf *out);

/* ---- spending by COFOG division, read back from a fiscal-data.csv ----
 * (fdp_cofog.c): the region view of docs/open-data.md. Only the executed
 * expenditure flows count (direction expenditure, phase executed,
 * value_kind flow); each goes to its cofog_division, or, apart, to the
 * excluded (cofog_confidence "excluded": not COFOG expenditure, e.g. debt
 * principal) or the unmapped (no COFOG division), those two by their
 * 功能分类 款 (else 类). Sums are exact 分. */

typedef struct {
    char code[8];       /* a COFOG division "01".."10"; or a 功能分类 款/类 code, "" when the line has none */
    char name[192];     /* as the CSV names it (the division's English name, or the 功能分类 name) */
    char name_zh[192];  /* a division's Chinese name (js_fdp_cofog_name_divisions), else "" */
    js_fen amount;      /* exact sum */
    size_t lines;       /* rows of the CSV summed into it */
} js_cofog_part;

typedef struct {
    js_cofog_part *divisions, *excluded, *unmapped; /* each by code */
    size_t ndivisions, nexcluded, nunmapped;
    js_fen cofog_total, excluded_total, unmapped_total;
    js_fen expenditure_total; /* the three totals' sum: all executed expenditure */
    size_t departments;       /* distinct departments with executed expenditure */
} js_cofog_spending;

/* Sums csv (len bytes, named file in messages; a fiscal-data.csv of a
 * department or a region-year, columns found by name) into out. JS_E_INPUT
 * naming the line and column when a column is missing or a cell is not
 * what the package says (amount in 元 with at most two decimals, a COFOG
 * division of two digits, a 功能分类 code of 3 or 5 digits); JS_E_LIMIT on
 * an overflow; JS_E_NOMEM. out is owned by the caller: release it with
 * js_cofog_spending_release (also after an error). */
js_status js_fdp_cofog_spending(const char *file, const char *csv, size_t len, js_cofog_spending *out, js_diag *d);
void js_cofog_spending_release(js_cofog_spending *s);
/* Fills the divisions' name_zh from the COFOG names (js_cofog_load with
 * edition -1 reads data/cofog/cofog.csv alone). A division without a
 * Chinese name there gets "" (the page then shows the CSV's name). */
void js_fdp_cofog_name_divisions(js_cofog_spending *s, const js_cofog *names);

#endif
