/* A growable byte buffer with a maximum size (like curl's dynbuf).
 * The buffer owns its memory; js_buf_release frees it. After any failed
 * append the buffer is marked failed and later appends do nothing, so a
 * caller may append freely and check js_buf_ok once at the end. */
#ifndef JUESUAN_BUF_H
#define JUESUAN_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;   /* NUL-terminated when len > 0 */
    size_t len;
    size_t cap;
    size_t max;   /* appends beyond this fail */
    bool failed;
} js_buf;

void js_buf_init(js_buf *b, size_t max);
void js_buf_release(js_buf *b);
void js_buf_reset(js_buf *b);
bool js_buf_append(js_buf *b, const void *p, size_t n);
bool js_buf_puts(js_buf *b, const char *s);
bool js_buf_putc(js_buf *b, char c);
/* Appends v in decimal (what "%lld" prints, without printf's cost: for
 * the numbers of every cell of every table). */
bool js_buf_int(js_buf *b, long long v);
bool js_buf_printf(js_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as one CSV field, quoted when it holds a comma, quote or
 * line break. */
void js_buf_csv_field(js_buf *b, const char *s);
/* Appends s escaped for HTML text and attributes; with br, line breaks
 * become <br>. */
void js_buf_html(js_buf *b, const char *s, bool br);
/* How js_buf_md places its text: a paragraph keeps its line breaks (a
 * template's "1. " and "- " list lines stay lists); a heading or a table
 * cell is one line, and a cell escapes the column bar. */
typedef enum { JS_MD_PARA, JS_MD_LINE, JS_MD_CELL } js_md_place;
/* Appends s as Markdown text that starts no structure of its own: the
 * inline marks (\ ` * _ [ ] < & ~ |) are backslash-escaped everywhere,
 * and a line's leading # > + = or -- is escaped, so that a name from a
 * workbook cannot open a heading, quote, list, table, link or HTML. */
void js_buf_md(js_buf *b, const char *s, js_md_place place);
static inline bool js_buf_ok(const js_buf *b) { return !b->failed; }

#endif
