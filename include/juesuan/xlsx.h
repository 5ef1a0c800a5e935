/* The workbook as one Excel file: writing a workbook folder (or the empty
 * template) as .xlsx, and reading a .xlsx back as CSV sheets. Every command
 * that takes a workbook folder also takes a .xlsx (js_workbook_load). */
#ifndef JUESUAN_XLSX_H
#define JUESUAN_XLSX_H

#include "juesuan/buf.h"
#include "juesuan/diag.h"

/* Writes the sheets of the CSV workbook folder (NULL: the template, headings
 * and one example row) to path as .xlsx: one sheet per workbook sheet named
 * by its Chinese title, headings with a comment explaining the column,
 * drop-down lists for the closed vocabularies. Cells keep their text exactly
 * (so the file converts back unchanged); a row past Excel's last
 * (JS_MAX_XLSX_ROW) or a cell over JS_MAX_XLSX_CELL_CHARS is JS_E_LIMIT,
 * naming its place. The path is replaced atomically (js_write_file_atomic:
 * a device or FIFO is written into). */
js_status js_workbook_write_xlsx(const char *folder, const char *path, js_diag *d);
/* The same as bytes in *out (initialised here; the caller releases it,
 * also on failure), for standard output; messages name shown. */
js_status js_workbook_xlsx_bytes(const char *folder, js_buf *out, const char *shown, js_diag *d);

/* Writes every sheet present in the workbook file at path (.xlsx, .xls or
 * a WPS .et: js_workbook_kind) as CSV files into the folder dir, all or
 * nothing: UTF-8 with a BOM, as `template` writes them, for Excel on
 * Chinese Windows. */
js_status js_workbook_xlsx_to_csv(const char *path, const char *dir, js_diag *d);

#endif
