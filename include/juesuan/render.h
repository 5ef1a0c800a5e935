/* Renderers of compiled tables. Each appends to a js_buf and returns JS_OK,
 * or JS_E_LIMIT / JS_E_NOMEM when the buffer cannot grow. Output depends
 * only on the tables: same input, same bytes. */
#ifndef JUESUAN_RENDER_H
#define JUESUAN_RENDER_H

#include "juesuan/buf.h"
#include "juesuan/cofog.h"
#include "juesuan/tables.h"

/* Every table laid out for a terminal, CJK double width aligned. */
js_status js_render_text(const js_tableset *ts, js_buf *out);
/* The documented JSON form (docs/formats.md). */
js_status js_render_json(const js_tableset *ts, js_buf *out);
/* Tidy CSV: table,row,code,name,column,value,cofog (docs/formats.md); the
 * cofog of a row with a 功能分类 code from cw (NULL: left empty). */
js_status js_render_long(const js_tableset *ts, const js_cofog *cw, js_buf *out);
/* Table i as printed, as CSV for Excel (UTF-8; with bom, a leading BOM). */
js_status js_render_csv_table(const js_tableset *ts, size_t i, bool bom, js_buf *out);
/* Every table as printed, one after another (a blank line between), with
 * one leading BOM. */
js_status js_render_csv_tables(const js_tableset *ts, js_buf *out);

/* Every table as an Excel workbook (docs/formats.md), appended to out;
 * the same tables give the same bytes. A cell Excel cannot hold is
 * JS_E_LIMIT, naming the sheet and cell. */
js_status js_render_xlsx(const js_tableset *ts, js_buf *out, js_diag *d);

#endif
