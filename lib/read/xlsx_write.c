/* Writing a workbook as .xlsx (see xlsx.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "csv.h"
#include "fileio.h"
#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "juesuan/xlsx.h"
#include "workbook_schema.h"
#include "xlsx_close.h"
#include "sheetbook.h"

/* The hidden sheet holding the drop-down lists (one column per list), so
 * that no list has to fit in a formula string. */
#define LISTS "选项"

static void write_lists(lxw_workbook *wb)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, LISTS);
    int col = 0;
    for (int s = 0; s < js_nsheets; s++)
        for (int c = 0; c < js_sheets[s].ncols; c++) {
            const js_colspec *cs = &js_sheets[s].cols[c];
            if (cs->type != JS_COL_VOCAB)
                continue;
            for (int v = 0; v < cs->nvocab; v++)
                worksheet_write_string(ws, (lxw_row_t)v, (lxw_col_t)col, cs->vocab[v], NULL);
            col++;
        }
    worksheet_hide(ws);
}

static char col_letter(int c) { return (char)('A' + c); }

/* Headings with comments and validations for sheet s. */
static void write_headings(lxw_worksheet *ws, const js_sheetspec *sp, const char *const *heads, int nheads,
                           int *list_col, lxw_format *bold)
{
    for (int h = 0; h < nheads; h++) {
        worksheet_write_string(ws, 0, (lxw_col_t)h, heads[h], bold);
        for (int c = 0; c < sp->ncols; c++) {
            size_t nl = strlen(sp->cols[c].name);
            if (strncmp(heads[h], sp->cols[c].name, nl) || (heads[h][nl] && heads[h][nl] != '('))
                continue;
            worksheet_write_comment(ws, 0, (lxw_col_t)h, sp->cols[c].doc);
            if (sp->cols[c].type == JS_COL_VOCAB) {
                char formula[64];
                snprintf(formula, sizeof formula, "=%s!$%c$1:$%c$%d", LISTS, col_letter(list_col[c]),
                         col_letter(list_col[c]), sp->cols[c].nvocab);
                lxw_data_validation dv = {.validate = LXW_VALIDATION_TYPE_LIST_FORMULA,
                                          .value_formula = formula};
                worksheet_data_validation_range(ws, 1, (lxw_col_t)h, 10000, (lxw_col_t)h, &dv);
            }
            worksheet_set_column(ws, (lxw_col_t)h, (lxw_col_t)h, 18, NULL);
        }
    }
}

static js_status write_xlsx(const char *folder, const char *path, const char *shown, js_diag *d);

js_status js_workbook_write_xlsx(const char *folder, const char *path, js_diag *d)
{
    char *tmp;
    js_status st = js_replace_begin(path, &tmp, d);
    return st == JS_OK ? js_replace_commit(path, tmp, write_xlsx(folder, tmp, path, d), d) : st;
}

/* The workbook of folder into the new file path (shown as shown). */
static js_status write_xlsx(const char *folder, const char *path, const char *shown, js_diag *d)
{
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return js_diag_set(d, JS_E_IO, shown, 0, 0, NULL, "无法创建 Excel 文件");
    lxw_doc_properties props = {.title = "juesuan 工作簿", .created = 946684800}; /* fixed: 2000-01-01 */
    workbook_set_properties(wb, &props);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    js_status st = JS_OK;
    int list_col_base = 0;
    for (int s = 0; s < js_nsheets && st == JS_OK; s++) {
        const js_sheetspec *sp = &js_sheets[s];
        int list_col[64] = {0};
        for (int c = 0; c < sp->ncols; c++)
            if (sp->cols[c].type == JS_COL_VOCAB)
                list_col[c] = list_col_base++;
        char *data = NULL;
        size_t len = 0;
        if (folder) {
            char p[4096];
            snprintf(p, sizeof p, "%s/%s", folder, sp->file);
            js_load_opts lo = {.max = JS_MAX_FILE_BYTES, .map_from = SIZE_MAX, .missing_ok = true};
            bool mapped;
            js_status r = js_load_file(p, &lo, &data, &len, &mapped, d);
            if (r == JS_OK && !data)
                continue; /* an absent optional sheet stays absent (one that cannot be read is an error) */
            if (r != JS_OK) {
                st = r;
                break;
            }
        }
        lxw_worksheet *ws = workbook_add_worksheet(wb, sp->title);
        if (!folder) {
            const char *heads[64];
            char buf[64][128];
            for (int c = 0; c < sp->ncols; c++) {
                snprintf(buf[c], sizeof buf[c], "%s%s", sp->cols[c].name, sp->cols[c].type == JS_COL_MONEY ? "(元)" : "");
                heads[c] = buf[c];
                worksheet_write_string(ws, 1, (lxw_col_t)c, sp->cols[c].example, NULL);
            }
            if (!strcmp(sp->file, "department.csv")) { /* the sheet needs a year too */
                worksheet_write_string(ws, 2, 0, "年度", NULL);
                worksheet_write_string(ws, 2, 1, "2024", NULL);
            }
            write_headings(ws, sp, heads, sp->ncols, list_col, bold);
            continue;
        }
        char display[4200];
        snprintf(display, sizeof display, "%s/%s", folder, sp->file);
        js_csv *c = js_csv_open(display, data, len, d);
        if (!c) {
            free(data);
            st = d ? d->status : JS_E_INPUT;
            break;
        }
        int r;
        lxw_row_t row = 0;
        while ((r = js_csv_next(c, d)) > 0) {
            if (row == 0) {
                const char *heads[64];
                int n = (int)js_csv_nfields(c) < 64 ? (int)js_csv_nfields(c) : 64;
                for (int k = 0; k < n; k++)
                    heads[k] = js_csv_field(c, (size_t)k);
                write_headings(ws, sp, heads, n, list_col, bold);
            } else {
                /* Excel holds neither a row past its last nor a longer
                 * cell: refused where it is, never dropped. */
                for (size_t k = 0; k < js_csv_nfields(c) && st == JS_OK; k++) {
                    lxw_error we = row >= LXW_ROW_MAX ? LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE : LXW_NO_ERROR;
                    if (we == LXW_NO_ERROR && js_csv_field_len(c, k))
                        we = worksheet_write_string(ws, row, (lxw_col_t)k, js_csv_field(c, k), NULL);
                    if (we != LXW_NO_ERROR)
                        st = js_diag_set(d, we == LXW_ERROR_MEMORY_MALLOC_FAILED ? JS_E_NOMEM : JS_E_LIMIT, display,
                                         js_csv_line(c), (int)k + 1, NULL, "%s",
                                         we == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED
                                             ? "单元格超过 Excel 的 32767 个字符上限，无法写入 .xlsx"
                                         : we == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE
                                             ? "超过 Excel 的 1048576 行上限，无法写入 .xlsx"
                                             : lxw_strerror(we));
                }
            }
            row++;
            if (st != JS_OK)
                break;
        }
        if (r < 0)
            st = d ? d->status : JS_E_INPUT;
        js_csv_free(c);
        free(data);
    }
    write_lists(wb);
    lxw_error e = js_xlsx_workbook_close(wb);
    if (st == JS_OK && e != LXW_NO_ERROR)
        st = js_diag_set(d, JS_E_IO, shown, 0, 0, NULL, "写入 Excel 失败（libxlsxwriter 报告“%s”）", lxw_strerror(e));
    if (st != JS_OK)
        remove(path);
    return st;
}

js_status js_workbook_xlsx_to_csv(const char *path, const char *dir, js_diag *d)
{
    js_sheetbook *x = js_sheetbook_open(path, d);
    if (!x)
        return d ? d->status : JS_E_INPUT;
    js_sheet_source src = js_sheetbook_source(x);
    js_outset *o = js_outset_begin_workbook(dir, js_workbook_file_names, d);
    js_status st = o ? JS_OK : (d ? d->status : JS_E_IO);
    for (int s = 0; s < js_nsheets && st == JS_OK; s++) {
        char *data = NULL, display[4200];
        size_t len = 0;
        js_status r = src.get(src.ctx, js_sheets[s].file, &data, &len, display, sizeof display, d);
        if (r == JS_OK && !data)
            continue; /* the sheet is not in the workbook: absent here too */
        if (r != JS_OK) {
            st = r;
            break;
        }
        /* drop the empty lines that keep row numbers; every row gets as
         * many fields as the heading row, as a CSV folder has them */
        js_csv *c = js_csv_open(display, data, len, d);
        js_buf b;
        js_buf_init(&b, JS_MAX_FILE_BYTES);
        js_buf_puts(&b, "\xef\xbb\xbf"); /* a BOM, as the template has: Excel on Chinese Windows needs it */
        int got;
        size_t width = 0;
        while (c && (got = js_csv_next(c, d)) > 0) {
            size_t n = js_csv_nfields(c);
            if (!width)
                width = n;
            for (size_t k = 0; k < (n > width ? n : width); k++) {
                if (k)
                    js_buf_putc(&b, ',');
                js_buf_csv_field(&b, k < n ? js_csv_field(c, k) : "");
            }
            js_buf_putc(&b, '\n');
        }
        if (!c || got < 0)
            st = d ? d->status : JS_E_INPUT;
        else
            st = js_outset_add(o, js_sheets[s].file, b.data ? b.data : "", b.len, d);
        js_csv_free(c);
        js_buf_release(&b);
        free(data);
    }
    js_sheetbook_close(x);
    if (!o)
        return st;
    if (st != JS_OK) {
        js_outset_abort(o);
        return st;
    }
    return js_outset_commit(o, d);
}
