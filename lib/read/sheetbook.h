/* A workbook in one file (.xlsx or .xls/.et) behind one interface: opened
 * by its content, its sheets as a sheet source, and the refusal of the
 * formats not read (.ods, HTML "xls", a single CSV) with a message that
 * says which are read and how to save as .xlsx. */
#ifndef JS_SHEETBOOK_H
#define JS_SHEETBOOK_H

#include "juesuan/workbook.h"

typedef struct js_sheetbook js_sheetbook;

/* Opens path (NULL and d filled when it is not a workbook file read). */
js_sheetbook *js_sheetbook_open(const char *path, js_diag *d);
js_sheet_source js_sheetbook_source(js_sheetbook *b);
void js_sheetbook_close(js_sheetbook *b);

#endif
