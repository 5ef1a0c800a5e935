/* Reading a workbook from one .xlsx file (zip_read.c + expat): each sheet is
 * turned into CSV text for the ordinary sheet reader, one CSV line per
 * spreadsheet row so that line and column numbers are the cell's. */
#ifndef JS_XLSX_READ_H
#define JS_XLSX_READ_H

#include "juesuan/buf.h"
#include "juesuan/workbook.h"

typedef struct js_xlsx js_xlsx;

/* Opens path; NULL and d filled when it is not a readable .xlsx. */
js_xlsx *js_xlsx_open(const char *path, js_diag *d);
void js_xlsx_close(js_xlsx *x);
/* A sheet source over the workbook's sheets, found by their Chinese titles
 * (the schema's, e.g. 支出 for expenditure.csv). */
js_sheet_source js_xlsx_source(js_xlsx *x);

/* Which cell styles show dates (styles.xml cellXfs, by index) and the
 * workbook's date system (workbookPr date1904). */
typedef struct {
    const bool *date_style;
    size_t nstyles;
    bool date1904;
} js_xlsx_dates;

/* Converts one sheet's XML (with the shared strings) to CSV, numbers in a
 * date style as ISO dates (dates NULL: none); for tests and fuzzing. */
js_status js_xlsx_sheet_csv(const char *xml, size_t len, const char *const *shared, size_t nshared,
                            const js_xlsx_dates *dates, js_buf *out, js_diag *d);
/* Whether cell (line, col) of the sheet read last (sheet_file) lies in a
 * merged range other than at its top left; then a sentence saying so, and
 * where the value is, in buf. ctx: the js_xlsx. */
bool js_xlsx_merged(void *ctx, const char *sheet_file, long line, int col, char *buf, size_t n);
/* The sheet names of the workbook, in its order. */
const char *const *js_xlsx_sheet_names(const js_xlsx *x, size_t *n);

#endif
