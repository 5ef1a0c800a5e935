/* CSV renderings: one table as printed, and the tidy long form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "juesuan/render.h"

js_status js_render_csv_table(const js_tableset *ts, size_t i, bool bom, js_buf *out)
{
    const js_table *t = js_tableset_table(ts, i);
    js_grid g;
    if (!js_grid_build(ts, t, false, &g))
        return JS_E_NOMEM;
    if (bom)
        js_buf_puts(out, "\xef\xbb\xbf");
    if (js_tableset_mark(ts))
        js_buf_printf(out, "【%s】\n", js_tableset_mark(ts));
    js_buf_printf(out, "%s\n", t->def->number);
    js_buf_csv_field(out, t->title);
    js_buf_printf(out, "\n%s：", js_tableset_entity_label(ts));
    js_buf_csv_field(out, js_tableset_entity(ts));
    js_buf_putc(out, ',');
    js_buf_csv_field(out, t->def->unit_label);
    js_buf_putc(out, '\n');
    for (int l = 0; l < g.nlines; l++) {
        for (int c = 0; c < g.ncols; c++) {
            if (c)
                js_buf_putc(out, ',');
            js_buf_csv_field(out, js_grid_at(&g, l, c)->text);
        }
        js_buf_putc(out, '\n');
    }
    js_grid_release(&g);
    const char *tail[3];
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++) {
        js_buf_csv_field(out, tail[k]);
        js_buf_putc(out, '\n');
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

/* "本年支出/基本支出": the heading path joined with '/'. */
static void heading_path(const js_coldef *c, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int l = 0; l < c->depth && o + 1 < n; l++) { /* as snprintf "%s%s" would cut it */
        if (l)
            buf[o++] = '/';
        size_t k = strnlen(c->heading[l], n - 1 - o);
        memcpy(buf + o, c->heading[l], k);
        o += k;
        buf[o] = '\0';
    }
}

/* The cofog cell of a row: the COFOG group or division of its 功能分类
 * code, "excluded" when COFOG does not count it, "" for other rows. */
static const char *cofog_of(const js_cofog *cw, const js_trow *row)
{
    if (!cw || row->kind != JS_TROW_CODE || row->econ || !row->code[0])
        return "";
    const js_cofog_map *m = js_cofog_find(cw, (uint32_t)strtoul(row->code, NULL, 10), row->level);
    return !m ? "" : *m->cofog ? m->cofog : "excluded";
}

js_status js_render_long(const js_tableset *ts, const js_cofog *cw, js_buf *out)
{
    const js_profile *p = js_tableset_profile(ts);
    if (js_tableset_mark(ts))
        js_buf_printf(out, "【%s】\n", js_tableset_mark(ts));
    js_buf_puts(out, "table,row,code,name,column,value,cofog\n");
    for (size_t i = 0; i < js_tableset_count(ts); i++) {
        const js_table *t = js_tableset_table(ts, i);
        for (size_t r = 0; r < t->nrows; r++) {
            const js_trow *row = &t->rows[r];
            if (row->kind == JS_TROW_BLANK)
                continue;
            const js_blockdef *b = &t->def->blocks[row->block];
            const char *cofog = cofog_of(cw, row);
            for (int c = 0; c < b->ncols; c++) {
                if (b->cols[c].kind != JS_COLK_AMOUNT)
                    continue;
                char head[256], value[48];
                heading_path(&b->cols[c], head, sizeof head);
                js_format_amount(p, t->def, row->cells[c], false, value, sizeof value);
                js_buf_csv_field(out, t->def->id);
                js_buf_putc(out, ',');
                js_buf_int(out, row->rowno ? row->rowno : row->pos);
                js_buf_putc(out, ',');
                js_buf_csv_field(out, row->code);
                js_buf_putc(out, ',');
                js_buf_csv_field(out, row->name);
                js_buf_putc(out, ',');
                js_buf_csv_field(out, head);
                js_buf_putc(out, ',');
                js_buf_csv_field(out, value);
                js_buf_putc(out, ',');
                js_buf_puts(out, cofog);
                js_buf_putc(out, '\n');
            }
        }
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

js_status js_render_csv_tables(const js_tableset *ts, js_buf *out)
{
    js_status st = JS_OK;
    for (size_t i = 0; i < js_tableset_count(ts) && st == JS_OK; i++) {
        if (i)
            js_buf_putc(out, '\n');
        st = js_render_csv_table(ts, i, i == 0, out);
    }
    return st;
}
