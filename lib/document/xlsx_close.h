/* Closing (writing out) a libxlsxwriter workbook from any thread. */
#ifndef JS_XLSX_CLOSE_H
#define JS_XLSX_CLOSE_H

#include <xlsxwriter.h>

/* workbook_close, one at a time: libxlsxwriter 1.1 formats the document
 * dates with gmtime(), whose result is shared by the whole process, so two
 * workbooks closed at once could swap dates. */
lxw_error js_xlsx_workbook_close(lxw_workbook *wb);

#endif
