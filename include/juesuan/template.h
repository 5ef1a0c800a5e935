/* The empty workbook: every sheet of the schema with its headings and one
 * example row, plus 填写说明.txt explaining every column. */
#ifndef JUESUAN_TEMPLATE_H
#define JUESUAN_TEMPLATE_H

#include "juesuan/buf.h"
#include "juesuan/diag.h"

/* Writes the template workbook into dir (created if missing), all files or
 * none. */
js_status js_template_write(const char *dir, js_diag *d);

/* The column reference (the text of 填写说明.txt). */
js_status js_template_guide(js_buf *out);

#endif
