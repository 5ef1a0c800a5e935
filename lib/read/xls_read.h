/* Reading a workbook from one Excel 97-2003 .xls file (BIFF, through
 * Debian's libfreexl), and from a WPS .et file when it is one: each sheet
 * is turned into CSV text for the ordinary sheet reader, one CSV line per
 * spreadsheet row so that line and column numbers are the cell's. Date
 * cells (the cell's number format decides, in the workbook's 1900 or 1904
 * system) become ISO dates. */
#ifndef JS_XLS_READ_H
#define JS_XLS_READ_H

#include "juesuan/workbook.h"

typedef struct js_xls js_xls;

/* Opens path; NULL and d filled when it is not a readable .xls (a message
 * naming the problem: not BIFF, password protected, damaged). */
js_xls *js_xls_open(const char *path, js_diag *d);
void js_xls_close(js_xls *x);
/* A sheet source over the workbook's sheets, found by their Chinese titles
 * (the schema's, e.g. 支出 for expenditure.csv). */
js_sheet_source js_xls_source(js_xls *x);
/* The sheet names of the workbook, in its order. */
const char *const *js_xls_sheet_names(const js_xls *x, size_t *n);

#endif
