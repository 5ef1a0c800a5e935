/* Reading .xls workbooks through libfreexl (see xls_read.h). */
#include "xls_read.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "sheet_cell.h"
#include "workbook_schema.h"

#define MAX_XLS_SHEETS 256

struct js_xls {
    char *path;
    const void *handle; /* freexl's */
    char **names;
    size_t nsheets;
};

/* freexl's error codes in the user's terms. */
static const char *why(int rc)
{
    switch (rc) {
    case FREEXL_FILE_NOT_FOUND:
        return "文件不存在或无法读取";
    case FREEXL_INSUFFICIENT_MEMORY:
        return "内存不足";
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
        return "不是 Excel 97-2003 工作簿（.xls）";
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return "文件中没有 Excel 工作簿数据（可能是 Word 等其他 Office 文件）";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
        return "文件的字符编码无法识别";
    default:
        return "Excel 97-2003 工作簿已损坏，无法读取";
    }
}

void js_xls_close(js_xls *x)
{
    if (!x)
        return;
    if (x->handle)
        freexl_close(x->handle);
    for (size_t i = 0; i < x->nsheets; i++)
        free(x->names[i]);
    free(x->names);
    free(x->path);
    free(x);
}

js_xls *js_xls_open(const char *path, js_diag *d)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "文件不存在或无法读取");
        return NULL;
    }
    if (sb.st_size > JS_MAX_FILE_BYTES) {
        js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "工作簿过大（超过 %ld MB）", JS_MAX_FILE_BYTES >> 20);
        return NULL;
    }
    js_xls *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(path))) {
        free(x);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    int rc = freexl_open(path, &x->handle);
    if (rc != FREEXL_OK) {
        x->handle = NULL; /* freexl frees what it opened on failure */
        js_diag_set(d, rc == FREEXL_INSUFFICIENT_MEMORY ? JS_E_NOMEM : JS_E_INPUT, path, 0, 0, NULL, "%s", why(rc));
        js_xls_close(x);
        return NULL;
    }
    unsigned int info = 0, count = 0;
    if (freexl_get_info(x->handle, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info != FREEXL_BIFF_PLAIN) {
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "工作簿设有密码保护：请在 Excel 或 WPS 中取消密码后另存再试");
        js_xls_close(x);
        return NULL;
    }
    if (freexl_get_info(x->handle, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
        count = 0;
    if (count > MAX_XLS_SHEETS)
        count = MAX_XLS_SHEETS;
    x->names = calloc(count ? count : 1, sizeof *x->names);
    for (unsigned short i = 0; x->names && i < count; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(x->handle, i, &name) != FREEXL_OK || !name)
            name = "";
        if (!(x->names[i] = strdup(name)))
            break;
        x->nsheets++;
    }
    if (!x->names || x->nsheets != count) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        js_xls_close(x);
        return NULL;
    }
    return x;
}

const char *const *js_xls_sheet_names(const js_xls *x, size_t *n)
{
    *n = x->nsheets;
    return (const char *const *)x->names;
}

/* One cell as CSV text into out; false when it cannot be read. */
static bool cell_text(const FreeXL_CellValue *v, char *buf, size_t n)
{
    char num[64];
    switch (v->type) {
    case FREEXL_CELL_NULL:
        buf[0] = '\0';
        return true;
    case FREEXL_CELL_INT:
        snprintf(buf, n, "%d", v->value.int_value);
        return true;
    case FREEXL_CELL_DOUBLE:
        snprintf(num, sizeof num, "%.17g", v->value.double_value); /* the spreadsheet boundary */
        js_cell_number_text(num, buf, n);
        return true;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME: /* "YYYY-MM-DD HH:MM:SS": the date */
        return v->value.text_value && js_cell_date(v->value.text_value, 10, buf, n);
    default: /* text, and a time of day as written */
        return false;
    }
}

/* The CSV of the selected sheet (rows x cols); JS_OK or a located error
 * in d (line and column of the cell). */
static js_status sheet_csv(js_xls *x, unsigned rows, unsigned cols, js_buf *out, js_diag *d)
{
    for (unsigned r = 0; r < rows; r++) {
        unsigned last = 0; /* cells up to the last non-empty one */
        for (unsigned c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(x->handle, r, (unsigned short)c, &v) != FREEXL_OK)
                return js_diag_set(d, JS_E_INPUT, NULL, (long)r + 1, (int)c + 1, NULL, "单元格无法读取（文件损坏）");
            if (v.type != FREEXL_CELL_NULL)
                last = c + 1;
        }
        for (unsigned c = 0; c < last; c++) {
            FreeXL_CellValue v;
            char text[64];
            freexl_get_cell_value(x->handle, r, (unsigned short)c, &v);
            if (c)
                js_buf_putc(out, ',');
            if (v.type == FREEXL_CELL_TEXT || v.type == FREEXL_CELL_SST_TEXT || v.type == FREEXL_CELL_TIME) {
                const char *t = v.value.text_value ? v.value.text_value : "";
                if (strlen(t) > JS_MAX_CELL_BYTES)
                    return js_diag_set(d, JS_E_LIMIT, NULL, (long)r + 1, (int)c + 1, NULL, "单元格文字过长（超过上限）");
                js_buf_csv_field(out, t);
            } else if (cell_text(&v, text, sizeof text)) {
                js_buf_csv_field(out, text);
            } else {
                return js_diag_set(d, JS_E_INPUT, NULL, (long)r + 1, (int)c + 1, NULL,
                                   "日期单元格的值不是有效日期（'%s'）", v.value.text_value ? v.value.text_value : "");
            }
        }
        js_buf_putc(out, '\n');
    }
    return js_buf_ok(out) ? JS_OK : js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "工作表过大");
}

static js_status xls_get(void *ctx, const char *sheet_file, char **data, size_t *len, char *display,
                         size_t display_len, js_diag *d)
{
    js_xls *x = ctx;
    int s = js_sheet_index(sheet_file);
    const char *title = s >= 0 ? js_sheets[s].title : sheet_file;
    snprintf(display, display_len, "%s!%s", x->path, title);
    *data = NULL;
    for (size_t i = 0; i < x->nsheets; i++) {
        if (strcmp(x->names[i], title))
            continue;
        unsigned rows = 0;
        unsigned short cols = 0;
        if (freexl_select_active_worksheet(x->handle, (unsigned short)i) != FREEXL_OK ||
            freexl_worksheet_dimensions(x->handle, &rows, &cols) != FREEXL_OK)
            return js_diag_set(d, JS_E_INPUT, display, 0, 0, NULL, "工作表无法读取（文件损坏）");
        if (cols > JS_MAX_COLUMNS)
            cols = JS_MAX_COLUMNS; /* cells beyond are not the schema's */
        js_buf csv;
        js_buf_init(&csv, JS_MAX_FILE_BYTES);
        js_status st = sheet_csv(x, rows, cols, &csv, d);
        if (st != JS_OK) {
            if (d)
                snprintf(d->file, sizeof d->file, "%s", display);
            js_buf_release(&csv);
            return st;
        }
        *data = csv.data ? csv.data : strdup("");
        *len = csv.len;
        return *data ? JS_OK : JS_E_NOMEM;
    }
    return js_diag_set(d, JS_E_IO, display, 0, 0, NULL, "absent");
}

js_sheet_source js_xls_source(js_xls *x)
{
    js_sheet_source s = {x, xls_get, NULL, NULL};
    return s;
}
