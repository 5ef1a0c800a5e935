/* The diagnostic record. */
#include "juesuan/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void js_diag_clear(js_diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

js_status js_diag_set(js_diag *d, js_status st, const char *file, long line,
                      int col, const char *colname, const char *fmt, ...)
{
    if (!d)
        return st;
    memset(d, 0, sizeof *d);
    d->status = st;
    if (file)
        snprintf(d->file, sizeof d->file, "%s", file);
    d->line = line;
    d->col = col;
    if (colname)
        snprintf(d->colname, sizeof d->colname, "%s", colname);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
    return st;
}

void js_diag_format(const js_diag *d, char *buf, size_t n)
{
    size_t o = 0;
#define PUT(...) \
    do { \
        if (o < n) { \
            int w = snprintf(buf + o, n - o, __VA_ARGS__); \
            if (w > 0) \
                o += (size_t)w; \
        } \
    } while (0)
    if (n)
        buf[0] = '\0';
    if (d->file[0] && d->a1 && d->line > 0) {
        /* book.xlsx!支出 at line 14, column 6 -> book.xlsx!支出!F14 */
        char rev[8], col[8];
        int c = d->col, k = 0;
        while (c > 0 && k < 7) {
            rev[k++] = (char)('A' + (c - 1) % 26);
            c = (c - 1) / 26;
        }
        for (int i = 0; i < k; i++)
            col[i] = rev[k - 1 - i];
        col[k] = '\0';
        if (k)
            PUT("%s!%s%ld: ", d->file, col, d->line);
        else
            PUT("%s 第%ld行: ", d->file, d->line);
    } else if (d->file[0]) {
        PUT("%s:", d->file);
        if (d->line > 0)
            PUT("%ld:", d->line);
        if (d->col > 0)
            PUT("%d:", d->col);
        PUT(" ");
    }
    if (d->colname[0])
        PUT("「%s」", d->colname);
    PUT("%s", d->message);
#undef PUT
}
