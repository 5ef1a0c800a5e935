/* JSON written straight into a buffer (json_write.h). */
#include "json_write.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"

void js_jw_init(js_jw *w, js_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

/* A newline and one space per level (jansson's dump_indent). */
static void indent(js_jw *w, int depth)
{
    static const char spaces[] = "\n                                ";
    js_buf_append(w->out, spaces, (size_t)depth + 1 <= sizeof spaces - 1 ? (size_t)depth + 1 : sizeof spaces - 1);
}

/* Before a value or a key: the comma after the one before, and the line. */
static void next(js_jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->empty[w->depth - 1])
        js_buf_putc(w->out, ',');
    w->empty[w->depth - 1] = false;
    indent(w, w->depth);
}

static void jw_open(js_jw *w, char c)
{
    next(w);
    js_buf_putc(w->out, c);
    if (w->depth == JS_JW_DEPTH) {
        w->bad = true;
        return;
    }
    w->empty[w->depth++] = true;
}

static void jw_close(js_jw *w, char c, const char *empty)
{
    if (w->depth == 0) {
        w->bad = true;
        return;
    }
    w->depth--;
    if (w->empty[w->depth]) {
        /* "{}" or "[]": the opening character is already there */
        js_buf_putc(w->out, empty[1]);
        return;
    }
    indent(w, w->depth);
    js_buf_putc(w->out, c);
}

void js_jw_object(js_jw *w) { jw_open(w, '{'); }
void js_jw_array(js_jw *w) { jw_open(w, '['); }
void js_jw_end_object(js_jw *w) { jw_close(w, '}', "{}"); }
void js_jw_end_array(js_jw *w) { jw_close(w, ']', "[]"); }

/* s quoted, escaped as jansson escapes (no / escaped, UTF-8 as it is). */
static void quoted(js_jw *w, const char *s)
{
    if (!s) { /* jansson refuses a NULL text */
        w->bad = true;
        s = "";
    }
    /* the length, and whether any byte is not ASCII (most keys and
     * values are ASCII: only a text with more needs the UTF-8 check) */
    unsigned char high = 0;
    size_t len = 0;
    for (; s[len]; len++)
        high |= (unsigned char)s[len];
    if (high >= 0x80 && js_utf8_invalid_at(s, len) != len)
        w->bad = true;
    js_buf *b = w->out;
    js_buf_putc(b, '"');
    const char *run = s;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        js_buf_append(b, run, (size_t)(p - run));
        if (!c)
            break;
        run = p + 1;
        switch (c) {
        case '"': js_buf_puts(b, "\\\""); break;
        case '\\': js_buf_puts(b, "\\\\"); break;
        case '\b': js_buf_puts(b, "\\b"); break;
        case '\f': js_buf_puts(b, "\\f"); break;
        case '\n': js_buf_puts(b, "\\n"); break;
        case '\r': js_buf_puts(b, "\\r"); break;
        case '\t': js_buf_puts(b, "\\t"); break;
        default: js_buf_printf(b, "\\u%04X", c); break;
        }
    }
    js_buf_putc(b, '"');
}

void js_jw_key(js_jw *w, const char *key)
{
    next(w);
    /* a short key of printable ASCII (nearly every key) needs no escape
     * and no UTF-8 check: written with its quotes and ": " at once */
    char buf[64];
    size_t len = 0;
    bool plain = key != NULL;
    for (; plain && key[len] && len < sizeof buf - 4; len++) {
        unsigned char c = (unsigned char)key[len];
        plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
    }
    if (plain && !key[len]) {
        buf[0] = '"';
        memcpy(buf + 1, key, len);
        memcpy(buf + 1 + len, "\": ", 3);
        js_buf_append(w->out, buf, len + 4);
    } else {
        quoted(w, key);
        js_buf_append(w->out, ": ", 2);
    }
    w->after_key = true;
}

void js_jw_string(js_jw *w, const char *s)
{
    next(w);
    quoted(w, s);
}

void js_jw_string_or_null(js_jw *w, const char *s)
{
    if (s && *s)
        js_jw_string(w, s);
    else
        js_jw_null(w);
}

void js_jw_int(js_jw *w, int64_t v)
{
    next(w);
    char buf[24];
    size_t k = sizeof buf;
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        buf[--k] = (char)('0' + m % 10);
    while ((m /= 10) && k > 1);
    if (v < 0)
        buf[--k] = '-';
    js_buf_append(w->out, buf + k, sizeof buf - k);
}

void js_jw_null(js_jw *w)
{
    next(w);
    js_buf_append(w->out, "null", 4);
}

void js_jw_bool(js_jw *w, bool v)
{
    next(w);
    if (v)
        js_buf_append(w->out, "true", 4);
    else
        js_buf_append(w->out, "false", 5);
}

void js_jw_kbool(js_jw *w, const char *key, bool v)
{
    js_jw_key(w, key);
    js_jw_bool(w, v);
}

void js_jw_kstring(js_jw *w, const char *key, const char *s)
{
    js_jw_key(w, key);
    js_jw_string(w, s);
}

void js_jw_kstring_or_null(js_jw *w, const char *key, const char *s)
{
    js_jw_key(w, key);
    js_jw_string_or_null(w, s);
}

void js_jw_kint(js_jw *w, const char *key, int64_t v)
{
    js_jw_key(w, key);
    js_jw_int(w, v);
}

js_status js_jw_finish(js_jw *w)
{
    js_buf_putc(w->out, '\n');
    if (w->bad || w->depth)
        return JS_E_NOMEM;
    return js_buf_ok(w->out) ? JS_OK : JS_E_LIMIT;
}
