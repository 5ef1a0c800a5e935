/* The template workbook (see template.h). */
#include "juesuan/template.h"

#include <string.h>

#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "workbook_schema.h"

static void sheet_csv(const js_sheetspec *sp, js_buf *out)
{
    js_buf_puts(out, "\xef\xbb\xbf");
    for (int c = 0; c < sp->ncols; c++)
        js_buf_printf(out, "%s%s%s", c ? "," : "", sp->cols[c].name,
                      sp->cols[c].type == JS_COL_MONEY ? "(元)" : "");
    js_buf_putc(out, '\n');
    if (!strcmp(sp->file, "department.csv")) {
        /* Two rows: the sheet needs both to be read. */
        js_buf_puts(out, "部门名称,某某区某某局\n年度,2024\n");
        return;
    }
    for (int c = 0; c < sp->ncols; c++)
        js_buf_printf(out, "%s%s", c ? "," : "", sp->cols[c].example);
    js_buf_putc(out, '\n');
}

js_status js_template_guide(js_buf *out)
{
    js_buf_puts(out, "juesuan 工作簿填写说明\n\n"
                     "每个工作表是一个UTF-8编码的CSV文件，第一行为表头。金额列的表头须注明单位，"
                     "如「金额(元)」或「金额(万元)」；以元为单位最多两位小数。"
                     "标有“必需”的工作表不可缺少，其余可省略（视为无数据）。\n");
    for (int s = 0; s < js_nsheets; s++) {
        const js_sheetspec *sp = &js_sheets[s];
        js_buf_printf(out, "\n%s（%s）%s：%s\n", sp->file, sp->title, sp->required ? "，必需" : "",
                      sp->doc);
        for (int c = 0; c < sp->ncols; c++) {
            const js_colspec *cs = &sp->cols[c];
            js_buf_printf(out, "  %s%s%s：%s", cs->name, cs->type == JS_COL_MONEY ? "(元)" : "",
                          cs->required ? "" : "（可选列）", cs->doc);
            if (cs->nvocab) {
                js_buf_puts(out, "。可填：");
                for (int v = 0; v < cs->nvocab; v++)
                    js_buf_printf(out, "%s%s", v ? "、" : "", cs->vocab[v]);
            }
            js_buf_putc(out, '\n');
        }
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

js_status js_template_write(const char *dir, js_diag *d)
{
    js_outset *o = js_outset_begin_workbook(dir, js_workbook_file_names, d);
    if (!o)
        return d ? d->status : JS_E_IO;
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    js_status st = JS_OK;
    for (int s = 0; s < js_nsheets && st == JS_OK; s++) {
        js_buf_reset(&b);
        sheet_csv(&js_sheets[s], &b);
        st = js_buf_ok(&b) ? js_outset_add(o, js_sheets[s].file, b.data, b.len, d)
                           : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    if (st == JS_OK) {
        js_buf_reset(&b);
        st = js_template_guide(&b);
        if (st == JS_OK)
            st = js_outset_add(o, JS_GUIDE_FILE, b.data, b.len, d);
    }
    js_buf_release(&b);
    if (st != JS_OK) {
        js_outset_abort(o);
        return st;
    }
    return js_outset_commit(o, d);
}
