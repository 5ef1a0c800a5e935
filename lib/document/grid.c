/* Laying a compiled table out as a printed grid (see grid.h). */
#include "grid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOT 48 /* bytes of formatted text per cell */

void js_format_amount(const js_profile *p, const js_tabledef *t, js_fen v, bool thousands, char *buf, size_t n)
{
    if (v == 0 && n) { /* most cells: copied, not printed */
        const char *z = js_profile_zero_text(p);
        size_t l = strnlen(z, n - 1);
        memcpy(buf, z, l);
        buf[l] = '\0';
    } else if (t && t->yuan)
        js_money_format_yuan_grouped(v, thousands, buf, n);
    else
        js_money_format_wan(v, thousands, buf, n);
}

/* v > 0 in decimal into s (SLOT bytes are more than an int needs). */
static void rowno_text(int v, char *s)
{
    char d[16];
    size_t k = sizeof d;
    d[--k] = '\0';
    do
        d[--k] = (char)('0' + v % 10);
    while ((v /= 10) && k > 0);
    memcpy(s, d + k, sizeof d - k);
}

static int max_depth(const js_blockdef *b)
{
    int d = 0;
    for (int c = 0; c < b->ncols; c++)
        if (b->cols[c].depth > d)
            d = b->cols[c].depth;
    return d;
}

static bool has_no(const js_blockdef *b)
{
    for (int c = 0; c < b->ncols; c++)
        if (b->cols[c].no[0])
            return true;
    return false;
}

static int header_lines(const js_blockdef *b)
{
    return (b->heading[0] ? 1 : 0) + max_depth(b) + (has_no(b) ? 1 : 0);
}

static bool same_prefix(const js_coldef *a, const js_coldef *b, int level)
{
    if (a->depth <= level || b->depth <= level)
        return false;
    for (int l = 0; l <= level; l++)
        if (strcmp(a->heading[l], b->heading[l]) != 0)
            return false;
    return true;
}

static void set(js_grid *g, int line, int col, const char *text, int span, js_align a)
{
    js_gcell *c = js_grid_at(g, line, col);
    c->text = text;
    c->span = span;
    c->align = a;
}

static const char *slot(js_grid *g, int line, int col)
{
    return g->strings + ((size_t)line * (size_t)g->ncols + (size_t)col) * SLOT;
}

/* The block heading goes on the first header line, the 栏次 on the last and
 * the column headings just above it, so blocks of different depths align. */
static void put_header(js_grid *g, const js_blockdef *b, int c0, int head)
{
    int line = head - header_lines(b);
    if (b->heading[0]) {
        line = 0;
        set(g, line, c0, b->heading, b->ncols, JS_ALIGN_CENTER);
        for (int c = 1; c < b->ncols; c++)
            set(g, line, c0 + c, "", 0, JS_ALIGN_CENTER);
        line++;
    }
    int depth = max_depth(b);
    line = head - depth - (has_no(b) ? 1 : 0);
    for (int l = 0; l < depth; l++, line++) {
        for (int c = 0; c < b->ncols; c++) {
            const js_coldef *col = &b->cols[c];
            if (col->depth <= l) {
                set(g, line, c0 + c, "", 1, JS_ALIGN_CENTER);
                continue;
            }
            if (c > 0 && same_prefix(&b->cols[c - 1], col, l)) {
                set(g, line, c0 + c, "", 0, JS_ALIGN_CENTER);
                continue;
            }
            int span = 1;
            while (c + span < b->ncols && same_prefix(col, &b->cols[c + span], l))
                span++;
            set(g, line, c0 + c, col->heading[l], span, JS_ALIGN_CENTER);
        }
    }
    if (has_no(b))
        for (int c = 0; c < b->ncols; c++)
            set(g, line, c0 + c, b->cols[c].no, 1, JS_ALIGN_CENTER);
}

static void put_row(js_grid *g, const js_profile *p, const js_tabledef *t, const js_blockdef *b,
                    const js_trow *r, int line, int c0, bool thousands)
{
    bool label_done = false;
    for (int c = 0; c < b->ncols; c++) {
        const js_coldef *col = &b->cols[c];
        char *s = (char *)slot(g, line, c0 + c);
        switch (col->kind) {
        case JS_COLK_LABEL:
            /* A footer's label goes in the first label column only. */
            set(g, line, c0 + c, label_done ? "" : r->name, 1, JS_ALIGN_LEFT);
            label_done = true;
            break;
        case JS_COLK_CODE:
            set(g, line, c0 + c, r->code, 1, JS_ALIGN_LEFT);
            break;
        case JS_COLK_ROWNO:
            if (r->rowno > 0)
                rowno_text(r->rowno, s);
            set(g, line, c0 + c, s, 1, JS_ALIGN_CENTER);
            break;
        case JS_COLK_AMOUNT:
            if (r->kind != JS_TROW_BLANK)
                js_format_amount(p, t, r->cells[c], thousands, s, SLOT);
            set(g, line, c0 + c, s, 1, JS_ALIGN_RIGHT);
            break;
        }
    }
}

bool js_grid_build(const js_tableset *ts, const js_table *t, bool thousands, js_grid *g)
{
    const js_tabledef *def = t->def;
    const js_profile *p = js_tableset_profile(ts);
    memset(g, 0, sizeof *g);
    int head = 0, body = 0, offs[JS_MAX_BLOCKS], count[JS_MAX_BLOCKS] = {0};
    bool footer = false;
    for (int b = 0; b < def->nblocks; b++) {
        g->no_line = g->no_line || has_no(&def->blocks[b]);
        offs[b] = g->ncols;
        g->ncols += def->blocks[b].ncols;
        if (header_lines(&def->blocks[b]) > head)
            head = header_lines(&def->blocks[b]);
    }
    for (size_t i = 0; i < t->nrows; i++) {
        if (t->rows[i].kind == JS_TROW_FOOTER)
            footer = true;
        else if (++count[t->rows[i].block] > body)
            body = count[t->rows[i].block];
    }
    g->nhead = head;
    g->nlines = head + body + (footer ? 1 : 0);
    size_t n = (size_t)g->nlines * (size_t)g->ncols;
    g->cells = calloc(n ? n : 1, sizeof *g->cells);
    g->strings = calloc(n ? n : 1, SLOT);
    if (!g->cells || !g->strings) {
        js_grid_release(g);
        return false;
    }
    for (size_t k = 0; k < n; k++)
        g->cells[k] = (js_gcell){"", 1, JS_ALIGN_LEFT};
    for (int b = 0; b < def->nblocks; b++)
        put_header(g, &def->blocks[b], offs[b], head);
    int next[JS_MAX_BLOCKS] = {0};
    for (size_t i = 0; i < t->nrows; i++) {
        const js_trow *r = &t->rows[i];
        int line = r->kind == JS_TROW_FOOTER ? g->nlines - 1 : head + next[r->block]++;
        put_row(g, p, def, &def->blocks[r->block], r, line, offs[r->block], thousands);
    }
    return true;
}

int js_table_tail(const js_table *t, const char *lines[3])
{
    int n = 0;
    const char *all[3] = {t->def->note, t->remark, t->empty_text};
    for (int k = 0; k < 3; k++)
        if (all[k] && all[k][0])
            lines[n++] = all[k];
    return n;
}

void js_grid_release(js_grid *g)
{
    free(g->cells);
    free(g->strings);
    memset(g, 0, sizeof *g);
}

void js_grid_head_merge(const js_grid *g, int *rows, int *from)
{
    int nmerge = g->nhead - (g->no_line ? 1 : 0);
    for (int c = 0; c < g->ncols; c++) {
        int l = 0;
        while (l < g->nhead) {
            const js_gcell *x = js_grid_at(g, l, c);
            int end = l + 1, text = l; /* the run of lines [l, end) is one cell */
            if (l < nmerge && x->span == 1) {
                text = x->text[0] ? l : -1;
                while (end < nmerge) {
                    const js_gcell *below = js_grid_at(g, end, c);
                    if (below->span != 1 || (below->text[0] && text >= 0))
                        break;
                    if (below->text[0])
                        text = end;
                    end++;
                }
                if (text < 0)
                    text = l;
            }
            for (int k = l; k < end; k++) {
                rows[k * g->ncols + c] = k == l && x->span > 0 ? end - l : 0;
                from[k * g->ncols + c] = text;
            }
            l = end;
        }
    }
}
