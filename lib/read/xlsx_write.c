/* Writing a workbook as .xlsx (see xlsx.h), through the project's one
 * .xlsx writer (lib/base/xlsx_book.h, which says why it is our own). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "fileio.h"
#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "juesuan/xlsx.h"
#include "sheetbook.h"
#include "workbook_schema.h"
#include "xlsx_book.h"

/* The hidden sheet holding the drop-down lists (one column per list), so
 * that no list has to fit in a formula string. */
#define LISTS "选项"
/* Rows offered a drop-down list below the headings. */
#define LIST_ROWS 10000

static void write_lists(js_xbook *b)
{
    js_xsheet *ws = js_xbook_sheet(b, LISTS);
    if (!ws)
        return;
    uint32_t col = 0;
    for (int s = 0; s < js_nsheets; s++)
        for (int c = 0; c < js_sheets[s].ncols; c++) {
            const js_colspec *cs = &js_sheets[s].cols[c];
            if (cs->type != JS_COL_VOCAB)
                continue;
            for (int v = 0; v < cs->nvocab; v++)
                js_xsheet_text(ws, (uint32_t)v, col, cs->vocab[v], 0);
            col++;
        }
    js_xsheet_hide(ws);
}

/* Column letters of col (0 -> A, 26 -> AA) into buf. */
static const char *col_letters(uint32_t col, char buf[8])
{
    char d[8];
    int n = 0;
    for (uint32_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        d[n++] = (char)('A' + (c - 1) % 26);
    for (int i = 0; i < n; i++)
        buf[i] = d[n - 1 - i];
    buf[n] = '\0';
    return buf;
}

/* Headings with comments and drop-down lists for sheet sp. */
static void write_headings(js_xsheet *ws, const js_sheetspec *sp, const char *const *heads, int nheads,
                           const int *list_col, int bold)
{
    for (int h = 0; h < nheads; h++) {
        js_xsheet_text(ws, 0, (uint32_t)h, heads[h], bold);
        for (int c = 0; c < sp->ncols; c++) {
            size_t nl = strlen(sp->cols[c].name);
            if (strncmp(heads[h], sp->cols[c].name, nl) || (heads[h][nl] && heads[h][nl] != '('))
                continue;
            js_xsheet_comment(ws, 0, (uint32_t)h, sp->cols[c].doc);
            if (sp->cols[c].type == JS_COL_VOCAB) {
                char range[64], col[8];
                col_letters((uint32_t)list_col[c], col);
                snprintf(range, sizeof range, "%s!$%s$1:$%s$%d", LISTS, col, col, sp->cols[c].nvocab);
                js_xsheet_list(ws, 1, (uint32_t)h, LIST_ROWS, (uint32_t)h, range);
            }
            js_xsheet_width(ws, (uint32_t)h, (uint32_t)h, 18, 0);
        }
    }
}

/* The sheets of folder (NULL: the template) into b. */
static js_status fill_book(js_xbook *b, const char *folder, js_diag *d)
{
    int bold = js_xbook_style(b, &(js_xstyle){.bold = true});
    js_status st = JS_OK;
    int list_col_base = 0;
    for (int s = 0; s < js_nsheets && st == JS_OK; s++) {
        const js_sheetspec *sp = &js_sheets[s];
        int list_col[JS_MAX_COLUMNS] = {0};
        for (int c = 0; c < sp->ncols && c < JS_MAX_COLUMNS; c++)
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
        js_xsheet *ws = js_xbook_sheet(b, sp->title);
        if (!ws) {
            free(data);
            break; /* js_xbook_bytes names the failure */
        }
        if (!folder) {
            const char *heads[JS_MAX_COLUMNS];
            char buf[JS_MAX_COLUMNS][128];
            for (int c = 0; c < sp->ncols && c < JS_MAX_COLUMNS; c++) {
                snprintf(buf[c], sizeof buf[c], "%s%s", sp->cols[c].name, sp->cols[c].type == JS_COL_MONEY ? "(元)" : "");
                heads[c] = buf[c];
                if (sp->cols[c].example[0])
                    js_xsheet_text(ws, 1, (uint32_t)c, sp->cols[c].example, 0);
            }
            if (!strcmp(sp->file, "department.csv")) { /* the sheet needs a year too */
                js_xsheet_text(ws, 2, 0, "年度", 0);
                js_xsheet_text(ws, 2, 1, "2024", 0);
            }
            write_headings(ws, sp, heads, sp->ncols < JS_MAX_COLUMNS ? sp->ncols : JS_MAX_COLUMNS, list_col, bold);
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
        uint32_t row = 0;
        while ((r = js_csv_next(c, d)) > 0) {
            size_t n = js_csv_nfields(c);
            if (row == 0) {
                const char *heads[JS_MAX_COLUMNS];
                int nh = n < JS_MAX_COLUMNS ? (int)n : JS_MAX_COLUMNS;
                for (int k = 0; k < nh; k++)
                    heads[k] = js_csv_field(c, (size_t)k);
                write_headings(ws, sp, heads, nh, list_col, bold);
                row++;
                continue;
            }
            /* Excel holds neither a row past its last nor a longer cell:
             * refused where it is, never dropped (checked here to name
             * the CSV's line; the writer refuses them too). */
            if (row >= JS_MAX_XLSX_ROW) {
                st = js_diag_set(d, JS_E_LIMIT, display, js_csv_line(c), 0, NULL,
                                 "超过 Excel 的 %ld 行上限，无法写入 .xlsx", JS_MAX_XLSX_ROW);
                break;
            }
            for (size_t k = 0; k < n && st == JS_OK; k++) {
                size_t flen = js_csv_field_len(c, k);
                if (js_xlsx_text_length(js_csv_field(c, k), flen) > JS_MAX_XLSX_CELL_CHARS)
                    st = js_diag_set(d, JS_E_LIMIT, display, js_csv_line(c), (int)k + 1, NULL,
                                     "单元格超过 Excel 的 %d 个字符上限，无法写入 .xlsx", JS_MAX_XLSX_CELL_CHARS);
                else if (flen)
                    js_xsheet_text(ws, row, (uint32_t)k, js_csv_field(c, k), 0);
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
    write_lists(b);
    return st;
}

#define TITLE "juesuan 工作簿"
#define DATE 2000, 1, 1 /* a fixed date: the same bytes */

js_status js_workbook_xlsx_bytes(const char *folder, js_buf *out, const char *shown, js_diag *d)
{
    js_buf_init(out, JS_MAX_OUTPUT_BYTES);
    js_xbook *b = js_xbook_new();
    js_status st = !b ? js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足") : fill_book(b, folder, d);
    if (st == JS_OK) {
        js_buf_release(out);
        st = js_xbook_bytes(b, TITLE, DATE, out, shown, d);
    }
    js_xbook_free(b);
    return st;
}

js_status js_workbook_write_xlsx(const char *folder, const char *path, js_diag *d)
{
    js_xbook *b = js_xbook_new();
    js_status st = !b ? js_diag_set(d, JS_E_NOMEM, path, 0, 0, NULL, "内存不足") : fill_book(b, folder, d);
    if (st == JS_OK)
        st = js_xbook_save(b, path, TITLE, DATE, d);
    js_xbook_free(b);
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
