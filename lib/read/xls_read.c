/* Reading .xls workbooks through libfreexl (see xls_read.h). */
#define _GNU_SOURCE /* pipe2: the pipe's ends never reach another thread's child */
#include "xls_read.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "sheet_cell.h"
#include "workbook_schema.h"

#define MAX_XLS_SHEETS 256
#define CHILD_SECONDS 120 /* a reading child still running after this is killed */

extern char **environ;
static const char *g_reader; /* js_xls_reader_set's executable, else NULL: fork */

/* libfreexl runs in a child process: fuzzing found it writing outside its
 * buffers on damaged files (a stack-buffer-underflow converting text with
 * iconv), so a file it cannot survive costs a child, never the program.
 * The child sends the workbook over a pipe as records: a type byte, a
 * 4-byte length, the bytes. 'N' a sheet's name, then 'S' its CSV or 'X'
 * "row\tcol\tmessage" of a cell it cannot read; 'E' "status\tmessage"
 * when the file cannot be opened; 'Z' the end. */
struct js_xls {
    char *path;
    char **names, **csv, **err; /* by sheet: name, CSV or the error */
    size_t *csvlen;
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
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->names[i]);
        free(x->csv[i]);
        free(x->err[i]);
    }
    free(x->names);
    free(x->csv);
    free(x->err);
    free(x->csvlen);
    free(x->path);
    free(x);
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

/* The CSV of the selected sheet (rows x cols) into out; false with the
 * cell and why in *row, *col, *msg when a cell cannot be read. */
static bool sheet_csv(const void *h, unsigned rows, unsigned cols, js_buf *out, unsigned *row, unsigned *col,
                      const char **msg)
{
    for (unsigned r = 0; r < rows; r++) {
        unsigned last = 0; /* cells up to the last non-empty one */
        *row = r + 1;
        for (unsigned c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            *col = c + 1;
            if (freexl_get_cell_value(h, r, (unsigned short)c, &v) != FREEXL_OK) {
                *msg = "单元格无法读取（文件损坏）";
                return false;
            }
            if (v.type != FREEXL_CELL_NULL)
                last = c + 1;
        }
        for (unsigned c = 0; c < last; c++) {
            FreeXL_CellValue v;
            char text[64];
            *col = c + 1;
            freexl_get_cell_value(h, r, (unsigned short)c, &v);
            if (c)
                js_buf_putc(out, ',');
            if (v.type == FREEXL_CELL_TEXT || v.type == FREEXL_CELL_SST_TEXT || v.type == FREEXL_CELL_TIME) {
                const char *t = v.value.text_value ? v.value.text_value : "";
                if (strlen(t) > JS_MAX_CELL_BYTES) {
                    *msg = "单元格文字过长（超过上限）";
                    return false;
                }
                js_buf_csv_field(out, t);
            } else if (cell_text(&v, text, sizeof text)) {
                js_buf_csv_field(out, text);
            } else {
                *msg = "日期单元格的值不是有效日期";
                return false;
            }
        }
        js_buf_putc(out, '\n');
    }
    *row = *col = 0;
    *msg = "工作表过大";
    return js_buf_ok(out);
}

/* ---- the child: freexl, and the records it sends ----------------------- */

static bool put_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool put_record(int fd, char type, const char *data, size_t len)
{
    unsigned char h[5] = {(unsigned char)type, (unsigned char)(len >> 24), (unsigned char)(len >> 16),
                          (unsigned char)(len >> 8), (unsigned char)len};
    return len <= 0xffffffffu && put_all(fd, h, 5) && put_all(fd, data, len);
}

static void child(const char *path, int fd)
{
    const void *h = NULL;
    char msg[512];
    unsigned int info = 0, count = 0;
    int rc = freexl_open(path, &h);
    if (rc != FREEXL_OK) {
        snprintf(msg, sizeof msg, "%d\t%s", rc == FREEXL_INSUFFICIENT_MEMORY ? JS_E_NOMEM : JS_E_INPUT, why(rc));
        put_record(fd, 'E', msg, strlen(msg));
        return;
    }
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info != FREEXL_BIFF_PLAIN) {
        snprintf(msg, sizeof msg, "%d\t%s", JS_E_INPUT, "工作簿设有密码保护：请在 Excel 或 WPS 中取消密码后另存再试");
        put_record(fd, 'E', msg, strlen(msg));
        return;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
        count = 0;
    for (unsigned short i = 0; i < count && i < MAX_XLS_SHEETS; i++) {
        const char *name = NULL;
        unsigned rows = 0;
        unsigned short cols = 0;
        if (freexl_get_worksheet_name(h, i, &name) != FREEXL_OK || !name)
            name = "";
        if (!put_record(fd, 'N', name, strlen(name)))
            return;
        js_buf csv;
        js_buf_init(&csv, JS_MAX_FILE_BYTES);
        unsigned row = 0, col = 0;
        const char *bad = "工作表无法读取（文件损坏）";
        bool good = freexl_select_active_worksheet(h, i) == FREEXL_OK &&
                    freexl_worksheet_dimensions(h, &rows, &cols) == FREEXL_OK &&
                    sheet_csv(h, rows, cols > JS_MAX_COLUMNS ? JS_MAX_COLUMNS : cols, &csv, &row, &col, &bad);
        if (good)
            good = put_record(fd, 'S', csv.data ? csv.data : "", csv.len);
        else
            snprintf(msg, sizeof msg, "%u\t%u\t%s", row, col, bad), good = put_record(fd, 'X', msg, strlen(msg));
        js_buf_release(&csv);
        if (!good)
            return;
    }
    put_record(fd, 'Z', "", 0);
    freexl_close(h);
}

/* ---- the parent: the records into the workbook -------------------------- */

static bool add_sheet(js_xls *x, const char *name, size_t len)
{
    size_t n = x->nsheets + 1;
    char **names = realloc(x->names, n * sizeof *names);
    if (names)
        x->names = names;
    char **csv = names ? realloc(x->csv, n * sizeof *csv) : NULL;
    if (csv)
        x->csv = csv;
    char **err = csv ? realloc(x->err, n * sizeof *err) : NULL;
    if (err)
        x->err = err;
    size_t *csvlen = err ? realloc(x->csvlen, n * sizeof *csvlen) : NULL;
    if (!csvlen)
        return false;
    x->csvlen = csvlen;
    x->csv[x->nsheets] = x->err[x->nsheets] = NULL;
    x->csvlen[x->nsheets] = 0;
    if (!(x->names[x->nsheets] = strndup(name, len)))
        return false;
    x->nsheets++;
    return true;
}

/* Decodes the child's records; JS_OK, or the error in d. */
static js_status decode(js_xls *x, const char *p, size_t n, js_diag *d)
{
    const char *end = p + n;
    while (end - p >= 5) {
        char type = p[0];
        size_t len = (size_t)(unsigned char)p[1] << 24 | (size_t)(unsigned char)p[2] << 16 |
                     (size_t)(unsigned char)p[3] << 8 | (unsigned char)p[4];
        p += 5;
        if ((size_t)(end - p) < len)
            break;
        const char *data = p;
        p += len;
        if (type == 'Z')
            return JS_OK;
        if (type == 'E') {
            int st = atoi(data);
            const char *tab = memchr(data, '\t', len);
            return js_diag_set(d, st == JS_E_NOMEM ? JS_E_NOMEM : JS_E_INPUT, x->path, 0, 0, NULL, "%.*s",
                               tab ? (int)(len - (size_t)(tab + 1 - data)) : 0, tab ? tab + 1 : "");
        }
        if (type == 'N') {
            if (x->nsheets == MAX_XLS_SHEETS || !add_sheet(x, data, len))
                return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            continue;
        }
        if (!x->nsheets || (type != 'S' && type != 'X'))
            break;
        char *copy = malloc(len + 1);
        if (!copy)
            return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        memcpy(copy, data, len);
        copy[len] = '\0';
        if (type == 'S') {
            x->csv[x->nsheets - 1] = copy;
            x->csvlen[x->nsheets - 1] = len;
        } else {
            x->err[x->nsheets - 1] = copy;
        }
    }
    return js_diag_set(d, JS_E_INPUT, x->path, 0, 0, NULL, "Excel 97-2003 工作簿已损坏，无法读取");
}

void js_xls_reader_set(const char *exe) { g_reader = exe; }

int js_xls_reader_main(const char *path)
{
    alarm(CHILD_SECONDS);
    child(path, STDOUT_FILENO);
    _exit(0); /* as the fork does: what freexl keeps is not a leak of ours */
}

/* The reader program on path, writing into fds[1]; its pid, or -1. */
static pid_t spawn_reader(const char *path, const int fds[2])
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    pid_t pid = -1;
    char *argv[] = {(char *)g_reader, "__xls-read", (char *)path, NULL};
    if (posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO) != 0 ||
        posix_spawn(&pid, g_reader, &fa, NULL, argv, environ) != 0)
        pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
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
    int fds[2] = {-1, -1};
    pid_t pid = -1;
    if (pipe2(fds, O_CLOEXEC) == 0)
        pid = g_reader ? spawn_reader(path, fds) : fork();
    if (pid == 0) { /* the fork */
        close(fds[0]);
        alarm(CHILD_SECONDS);
        child(path, fds[1]);
        _exit(0);
    }
    if (pid < 0) {
        js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法启动读取 .xls 的子进程");
        for (int i = 0; i < 2; i++)
            if (fds[i] >= 0)
                close(fds[i]);
        js_xls_close(x);
        return NULL;
    }
    close(fds[1]);
    js_buf in;
    js_buf_init(&in, JS_MAX_OUTPUT_BYTES);
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        js_buf_append(&in, chunk, (size_t)r);
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    js_status st = !js_buf_ok(&in) ? js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "工作簿过大")
                                   : decode(x, in.data ? in.data : "", in.len, d);
    js_buf_release(&in);
    if (st != JS_OK) {
        js_xls_close(x);
        return NULL;
    }
    return x;
}

static js_status xls_get(void *ctx, const char *sheet_file, char **data, size_t *len, char *display,
                         size_t display_len, js_diag *d)
{
    js_xls *x = ctx;
    long i = js_sheet_in_book(x->path, sheet_file, (const char *const *)x->names, x->nsheets, display, display_len);
    *data = NULL;
    if (i < 0)
        return JS_OK; /* no such sheet: absent */
    if (x->err[i]) {
        long row = strtol(x->err[i], NULL, 10);
        const char *tab = strchr(x->err[i], '\t');
        int col = tab ? atoi(tab + 1) : 0;
        const char *msg = tab ? strchr(tab + 1, '\t') : NULL;
        return js_diag_set(d, JS_E_INPUT, display, row, col, NULL, "%s", msg ? msg + 1 : "工作表无法读取");
    }
    *data = malloc(x->csvlen[i] + 1);
    if (!*data)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    memcpy(*data, x->csv[i] ? x->csv[i] : "", x->csvlen[i] + 1);
    *len = x->csvlen[i];
    return JS_OK;
}

js_sheet_source js_xls_source(js_xls *x)
{
    js_sheet_source s = {x, xls_get, NULL, NULL, NULL, NULL};
    return s;
}
