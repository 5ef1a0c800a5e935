/* Workbook files by their content (see sheetbook.h, workbook.h). */
#include "sheetbook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fileio.h"
#include "workbook_schema.h"
#include "xls_read.h"
#include "xlsx_read.h"
#include "zip_read.h"

#define FORMATS_READ "CSV 工作簿目录、Excel 工作簿（.xlsx）、Excel 97-2003 工作簿（.xls）和 WPS 表格（.et）"
#define SAVE_AS "请在 Excel、WPS 或 LibreOffice 中打开，用“文件 → 另存为”选择“Excel 工作簿（*.xlsx）”保存后再试"

struct js_sheetbook {
    js_xlsx *xlsx;
    js_xls *xls;
};

static bool has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    return n > k && !strcasecmp(path + n - k, suffix);
}

bool js_workbook_folder_has(const char *folder, const char *sheet_file)
{
    char path[4352];
    struct stat st;
    int s = js_sheet_index(sheet_file);
    for (int k = 0; k < 2; k++) {
        if (k && s < 0)
            break;
        if (snprintf(path, sizeof path, "%s/%s%s", folder, k ? js_sheets[s].title : sheet_file, k ? ".csv" : "") <
                (int)sizeof path &&
            stat(path, &st) == 0 && S_ISREG(st.st_mode))
            return true;
    }
    return false;
}

/* The first bytes of a file (up to n), their count; -1 when unreadable. */
static long head(const char *path, unsigned char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    return (long)got;
}

/* What a file's name says it is, for a file whose content says nothing
 * (it cannot be read, is not a regular file, or is of no known kind): its
 * reader then says what is wrong with it. */
static js_book_kind kind_by_name(const char *path)
{
    if (has_suffix(path, ".xlsx") || has_suffix(path, ".xlsm"))
        return JS_BOOK_XLSX;
    if (has_suffix(path, ".xls") || has_suffix(path, ".et"))
        return JS_BOOK_XLS;
    return has_suffix(path, ".json") ? JS_BOOK_JSON : JS_BOOK_OTHER;
}

js_book_kind js_workbook_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return JS_BOOK_MISSING;
    if (S_ISDIR(st.st_mode))
        return JS_BOOK_FOLDER;
    unsigned char b[64];
    long n = S_ISREG(st.st_mode) ? head(path, b, sizeof b) : -1; /* a FIFO is never opened here */
    if (n < 0)
        return kind_by_name(path);
    if (n >= 4 && !memcmp(b, "PK\x03\x04", 4)) {
        js_diag zd;
        js_zipr *z = js_zipr_open(path, &zd);
        uint64_t size, packed;
        bool xlsx = z && js_zipr_stat(z, "xl/workbook.xml", &size, &packed);
        js_zipr_close(z);
        /* a damaged .xlsx is the .xlsx reader's to report */
        return xlsx || (!z && kind_by_name(path) == JS_BOOK_XLSX) ? JS_BOOK_XLSX : JS_BOOK_OTHER;
    }
    if (n >= 8 && !memcmp(b, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
        return JS_BOOK_XLS;
    long i = n >= 3 && !memcmp(b, "\xef\xbb\xbf", 3) ? 3 : 0;
    while (i < n && strchr(" \t\r\n", b[i]))
        i++;
    if (i < n && (b[i] == '{' || b[i] == '['))
        return JS_BOOK_JSON;
    if (i < n && b[i] == '<') /* HTML or XML saved under a spreadsheet's name */
        return JS_BOOK_OTHER;
    return kind_by_name(path);
}

/* What an unread file is, in the user's terms. */
static const char *what_it_is(const char *path)
{
    unsigned char b[512];
    long n = head(path, b, sizeof b - 1);
    if (n < 0)
        return "无法读取的文件";
    b[n] = '\0';
    if (n >= 4 && !memcmp(b, "PK\x03\x04", 4)) {
        js_diag zd;
        js_zipr *z = js_zipr_open(path, &zd);
        uint64_t size, packed;
        bool ods = has_suffix(path, ".ods") || (z && js_zipr_stat(z, "content.xml", &size, &packed));
        js_zipr_close(z);
        return ods ? " OpenDocument 表格（.ods）" : "压缩文件，但其中没有 Excel 工作簿";
    }
    for (long i = 0; i < n; i++) /* ASCII lower case, for the tags */
        if (b[i] >= 'A' && b[i] <= 'Z')
            b[i] = (unsigned char)(b[i] - 'A' + 'a');
    const char *t = (const char *)b;
    if (strstr(t, "urn:schemas-microsoft-com:office:spreadsheet"))
        return " XML 电子表格（Excel 2003 XML）";
    if (strstr(t, "<html") || strstr(t, "<table") || strstr(t, "<!doctype"))
        return "网页（HTML）文件，不是 Excel 工作簿（一些系统导出的“.xls”实为网页）";
    if (has_suffix(path, ".csv"))
        return "单个 CSV 文件（CSV 工作簿是一个目录，每个工作表一个 CSV 文件，见 juesuan template）";
    if (has_suffix(path, ".numbers"))
        return " Numbers 表格";
    return "未知格式的文件";
}

static void found_names(const char *const *names, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 1 < len; i++) {
        int w = snprintf(buf + used, len - used, "%s%s", i ? "、" : "", names[i]);
        if (w < 0 || (size_t)w >= len - used) {
            buf[used] = '\0';
            break;
        }
        used += (size_t)w;
    }
}

static void book_found(void *ctx, char *buf, size_t n)
{
    js_sheetbook *b = ctx;
    size_t k = 0;
    const char *const *names = b->xlsx ? js_xlsx_sheet_names(b->xlsx, &k) : js_xls_sheet_names(b->xls, &k);
    found_names(names, k, buf, n);
}

static js_status book_get(void *ctx, const char *sheet_file, char **data, size_t *len, char *display,
                          size_t display_len, js_diag *d)
{
    js_sheetbook *b = ctx;
    js_sheet_source s = b->xlsx ? js_xlsx_source(b->xlsx) : js_xls_source(b->xls);
    return s.get(s.ctx, sheet_file, data, len, display, display_len, d);
}

js_sheetbook *js_sheetbook_open(const char *path, js_diag *d)
{
    js_book_kind kind = js_workbook_kind(path);
    if (kind == JS_BOOK_MISSING) {
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "工作簿不存在或无法读取");
        return NULL;
    }
    if (js_require_regular(path, d) != JS_OK) /* a FIFO would block the reads below */
        return NULL;
    if (kind != JS_BOOK_XLSX && kind != JS_BOOK_XLS) {
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "这是%s，juesuan 不读取这种文件。可读取的格式：" FORMATS_READ "；" SAVE_AS "。",
                    kind == JS_BOOK_JSON ? " JSON 文件（审核 tables.json 请用 juesuan check）" : what_it_is(path));
        return NULL;
    }
    js_sheetbook *b = calloc(1, sizeof *b);
    if (!b) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    if (kind == JS_BOOK_XLSX)
        b->xlsx = js_xlsx_open(path, d);
    else
        b->xls = js_xls_open(path, d);
    if (!b->xlsx && !b->xls) {
        if (kind == JS_BOOK_XLS && has_suffix(path, ".et") && d && d->status == JS_E_INPUT)
            js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                        "这个 WPS 表格文件（.et）不是 Excel 97-2003 格式，juesuan 无法读取；"
                        "请在 WPS 中用“文件 → 另存为”选择“Excel 工作簿（*.xlsx）”保存后再试。");
        free(b);
        return NULL;
    }
    return b;
}

static bool book_merged(void *ctx, const char *sheet_file, long line, int col, char *buf, size_t n)
{
    js_sheetbook *b = ctx;
    return b->xlsx && js_xlsx_merged(b->xlsx, sheet_file, line, col, buf, n);
}

js_sheet_source js_sheetbook_source(js_sheetbook *b)
{
    js_sheet_source s = {b, book_get, NULL, book_found, book_merged, NULL};
    return s;
}

void js_sheetbook_close(js_sheetbook *b)
{
    if (!b)
        return;
    js_xlsx_close(b->xlsx);
    js_xls_close(b->xls);
    free(b);
}
