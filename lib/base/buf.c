/* Growable bounded buffer. */
#include "juesuan/buf.h"

#include <jansson.h>
#include "jsonout.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void js_buf_init(js_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void js_buf_release(js_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void js_buf_reset(js_buf *b)
{
    b->len = 0;
    b->failed = false;
    if (b->data)
        b->data[0] = '\0';
}

static bool grow(js_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > b->max || b->len > b->max - extra) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

bool js_buf_append(js_buf *b, const void *p, size_t n)
{
    /* room already there (grow's test, when it need not grow) */
    bool room = !b->failed && n <= b->max && b->len <= b->max - n && b->len + n + 1 <= b->cap;
    if (!room && !grow(b, n))
        return false;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool js_buf_puts(js_buf *b, const char *s)
{
    return js_buf_append(b, s, strlen(s));
}

bool js_buf_putc(js_buf *b, char c)
{
    if (b->failed || b->len >= b->max || b->len + 2 > b->cap)
        return js_buf_append(b, &c, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return true;
}

bool js_buf_int(js_buf *b, long long v)
{
    char d[24];
    size_t k = sizeof d;
    unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        d[--k] = (char)('0' + m % 10);
    while ((m /= 10) && k > 1);
    if (v < 0)
        d[--k] = '-';
    return js_buf_append(b, d + k, sizeof d - k);
}

bool js_buf_printf(js_buf *b, const char *fmt, ...)
{
    va_list ap;
    /* once into the room there is; again only when it did not fit */
    size_t room = b->failed || !b->data ? 0 : b->cap - b->len;
    va_start(ap, fmt);
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < room && (size_t)n <= b->max && b->len <= b->max - (size_t)n) {
        b->len += (size_t)n;
        return true;
    }
    if (room) /* what did not fit is cut: the end stays a string */
        b->data[b->len] = '\0';
    if (n < 0 || !grow(b, (size_t)n)) {
        b->failed = true;
        return false;
    }
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return true;
}

void js_buf_csv_field(js_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        js_buf_puts(b, s);
        return;
    }
    js_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            js_buf_putc(b, '"');
        js_buf_putc(b, *s);
    }
    js_buf_putc(b, '"');
}

js_status js_json_out(json_t *root, js_buf *out)
{
    char *s = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!s)
        return JS_E_NOMEM;
    js_buf_puts(out, s);
    js_buf_putc(out, '\n');
    free(s);
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

void js_buf_html(js_buf *b, const char *s, bool br)
{
    /* the bytes between two that need escaping are copied as one run
     * (a report's every text comes here) */
    const char *run = s;
    for (;; s++) {
        const char *rep;
        switch (*s) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        case '\n': rep = br ? "<br>" : "\n"; break;
        case '\0': rep = NULL; break;
        default: continue;
        }
        js_buf_append(b, run, (size_t)(s - run));
        if (!rep)
            return;
        js_buf_puts(b, rep);
        run = s + 1;
    }
}

/* Bytes Markdown escapes anywhere (md_always) and at a line's start. */
static bool md_always(char c)
{
    switch (c) {
    case '\\': case '`': case '*': case '_': case '[': case ']': case '<': case '&': case '~': case '|':
        return true;
    default:
        return false;
    }
}

void js_buf_md(js_buf *b, const char *s, js_md_place place)
{
    /* a heading's or cell's text follows its own marker, mid-line */
    bool line_start = place == JS_MD_PARA;
    const char *run = s; /* bytes copied as they are, not yet written */
    for (; *s; s++) {
        char c = *s;
        if (!line_start && c != '\n' && c != '\r' && !md_always(c))
            continue; /* part of the run */
        js_buf_append(b, run, (size_t)(s - run));
        run = s + 1;
        if (c == '\n' || c == '\r') {
            if (place != JS_MD_PARA) {
                /* one line: a CR LF pair is one space */
                if (!(c == '\r' && s[1] == '\n'))
                    js_buf_putc(b, ' ');
                continue;
            }
            js_buf_putc(b, c);
            line_start = true;
            continue;
        }
        if (line_start && (c == ' ' || c == '\t')) {
            js_buf_putc(b, c);
            continue;
        }
        bool esc = md_always(c) || (line_start && (strchr("#>+=", c) || (c == '-' && s[1] == '-')));
        if (esc)
            js_buf_putc(b, '\\');
        js_buf_putc(b, c);
        line_start = false;
    }
    js_buf_append(b, run, (size_t)(s - run));
}
