/* Terminal layout of the tables, CJK double width aligned. */
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "juesuan/render.h"
#include "utf8.h"

#define SEP " | "
#define SEP_WIDTH 3

/* n copies of the byte c. */
static void repeat(js_buf *out, char c, size_t n)
{
    char run[64];
    memset(run, c, sizeof run);
    for (; n > sizeof run; n -= sizeof run)
        js_buf_append(out, run, sizeof run);
    js_buf_append(out, run, n);
}

static void pad(js_buf *out, size_t n)
{
    repeat(out, ' ', n);
}

/* s, of display width w, in width columns. */
static void put_aligned(js_buf *out, const char *s, size_t w, size_t width, js_align a)
{
    size_t space = width > w ? width - w : 0;
    size_t left = a == JS_ALIGN_RIGHT ? space : a == JS_ALIGN_CENTER ? space / 2 : 0;
    pad(out, left);
    js_buf_puts(out, s);
    pad(out, space - left);
}

static size_t span_width(const size_t *w, int c, int span)
{
    size_t t = 0;
    for (int k = 0; k < span; k++)
        t += w[c + k];
    return t + (size_t)(span - 1) * SEP_WIDTH;
}

static void render_grid(const js_grid *g, js_buf *out)
{
    size_t ncells = (size_t)g->nlines * (size_t)g->ncols;
    size_t *w = calloc((size_t)g->ncols + 1, sizeof *w);
    size_t *tw = malloc((ncells ? ncells : 1) * sizeof *tw); /* each cell's text width */
    if (!w || !tw) {
        free(w);
        free(tw);
        out->failed = true;
        return;
    }
    for (int l = 0; l < g->nlines; l++)
        for (int c = 0; c < g->ncols; c++) {
            const js_gcell *x = js_grid_at(g, l, c);
            size_t *t = &tw[(size_t)l * (size_t)g->ncols + (size_t)c];
            *t = js_utf8_width(x->text);
            if (x->span == 1 && *t > w[c])
                w[c] = *t;
        }
    for (int l = 0; l < g->nlines; l++)
        for (int c = 0; c < g->ncols; c++) {
            const js_gcell *x = js_grid_at(g, l, c);
            if (x->span > 1) {
                size_t have = span_width(w, c, x->span), need = tw[(size_t)l * (size_t)g->ncols + (size_t)c];
                if (need > have)
                    w[c + x->span - 1] += need - have;
            }
        }
    size_t total = span_width(w, 0, g->ncols);
    for (int l = 0; l < g->nlines; l++) {
        if (l == g->nhead) {
            repeat(out, '-', total);
            js_buf_putc(out, '\n');
        }
        /* Build the line, then drop trailing spaces. */
        size_t start = out->len;
        for (int c = 0; c < g->ncols; c++) {
            const js_gcell *x = js_grid_at(g, l, c);
            if (x->span == 0)
                continue;
            if (c > 0)
                js_buf_puts(out, SEP);
            put_aligned(out, x->text, tw[(size_t)l * (size_t)g->ncols + (size_t)c], span_width(w, c, x->span),
                        x->align);
        }
        while (out->len > start && out->data && out->data[out->len - 1] == ' ')
            out->len--;
        js_buf_putc(out, '\n');
    }
    free(tw);
    free(w);
}

js_status js_render_text(const js_tableset *ts, js_buf *out)
{
    if (js_tableset_mark(ts))
        js_buf_printf(out, "【%s】\n\n", js_tableset_mark(ts));
    for (size_t i = 0; i < js_tableset_count(ts); i++) {
        const js_table *t = js_tableset_table(ts, i);
        js_grid g;
        if (!js_grid_build(ts, t, true, &g))
            return JS_E_NOMEM;
        if (i)
            js_buf_puts(out, "\n\n");
        js_buf_printf(out, "%s\n%s\n%s：%s    %s\n\n", t->def->number, t->title,
                      js_tableset_entity_label(ts), js_tableset_entity(ts), t->def->unit_label);
        render_grid(&g, out);
        js_grid_release(&g);
        const char *tail[3];
        for (int k = 0, n = js_table_tail(t, tail); k < n; k++)
            js_buf_printf(out, "\n%s\n", tail[k]);
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}
