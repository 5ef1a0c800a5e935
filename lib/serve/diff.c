/* The reviewer's differences between two versions: both workbooks are
 * compiled into their tables and compared cell by cell, rows matched by
 * table, code (or label) and columns by heading; the cells whose amounts
 * differ are listed in 万元, as printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/audit.h"
#include "juesuan/money.h"
#include "serve_internal.h"

#define DIFF_MAX_SHOWN 200

typedef struct {
    char *tmp, *path;
    js_run *run;
    js_view *view;
} side;

static bool open_side(js_req *r, int64_t id, side *s)
{
    memset(s, 0, sizeof *s);
    void *data = NULL;
    size_t size = 0;
    js_diag d = {0};
    if (js_store_version_file(r->store, id, &data, &size, &d) != JS_OK)
        return false;
    js_status st = upload_stage(data, size, &s->tmp, &s->path, &d);
    free(data);
    js_run_options o = {0};
    const js_tableset *ts = NULL;
    if (st == JS_OK && (s->run = js_run_open(r->srv->shared, &o, s->path, &d)) &&
        (ts = js_run_tables(s->run, &d)))
        s->view = js_view_from_tables(ts, &d);
    return s->view != NULL;
}

static void close_side(side *s)
{
    js_view_free(s->view);
    js_run_free(s->run);
    rm_tree(s->tmp);
    free(s->tmp);
    free(s->path);
}

static const js_vrow *find_row(const js_vtable *t, const js_vrow *like)
{
    for (int i = 0; i < t->nrows; i++) {
        const js_vrow *x = &t->rows[i];
        if (x->block != like->block)
            continue;
        if (like->code[0] ? !strcmp(x->code, like->code)
                          : !x->code[0] && x->name && like->name && !strcmp(x->name, like->name))
            return x;
    }
    return NULL;
}

static int find_col(const js_vtable *t, const js_vcol *like)
{
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].block == like->block && !strcmp(t->cols[i].name, like->name))
            return i;
    return -1;
}

static void cell(js_buf *b, const char *row, const char *table, const char *col, bool has_old, js_fen o,
                 bool has_new, js_fen n)
{
    char a[40] = "—", c[40] = "—";
    if (has_old)
        js_money_format_wan(o, true, a, sizeof a);
    if (has_new)
        js_money_format_wan(n, true, c, sizeof c);
    js_buf_puts(b, "<tr><td>");
    html(b, table);
    js_buf_puts(b, "</td><td>");
    html(b, row);
    js_buf_puts(b, "</td><td>");
    html(b, col);
    js_buf_printf(b, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>", a, c);
}

void diff_versions(js_req *r, js_buf *b, int64_t old_id, int64_t new_id, const char *title)
{
    tx(b, TXT(r), T_DIFF_HEAD, title);
    if (!old_id) {
        tx(b, TXT(r), T_DIFF_NONE);
        return;
    }
    side o, n;
    bool ok = open_side(r, old_id, &o);
    ok = open_side(r, new_id, &n) && ok;
    if (!ok) {
        tx(b, TXT(r), T_DIFF_UNBUILT);
        close_side(&o);
        close_side(&n);
        return;
    }
    size_t shown = 0, total = 0;
    js_buf rows;
    js_buf_init(&rows, 1 << 22);
    for (size_t ti = 0; ti < js_view_count(n.view); ti++) {
        const js_vtable *nt = js_view_table(n.view, ti);
        const js_vtable *ot = js_view_find(o.view, nt->id);
        if (!ot)
            continue;
        for (int ri = 0; ri < nt->nrows; ri++) {
            const js_vrow *nr = &nt->rows[ri];
            const js_vrow *orow = find_row(ot, nr);
            for (int ci = 0; ci < nt->ncols; ci++) {
                if (nt->cols[ci].block != nr->block || nr->blank[ci])
                    continue;
                int oc = orow ? find_col(ot, &nt->cols[ci]) : -1;
                bool has_old = oc >= 0 && !orow->blank[oc];
                if (has_old && orow->val[oc] == nr->val[ci])
                    continue;
                if (!has_old && nr->val[ci] == 0)
                    continue;
                total++;
                if (shown++ < DIFF_MAX_SHOWN)
                    cell(&rows, nr->name ? nr->name : nr->code, nt->number, nt->cols[ci].name, has_old,
                         has_old ? orow->val[oc] : 0, true, nr->val[ci]);
            }
        }
    }
    if (!total)
        tx(b, TXT(r), T_DIFF_SAME);
    else {
        char more[128] = "";
        if (total > DIFF_MAX_SHOWN)
            tx_msg(more, sizeof more, TXT(r), T_DIFF_MORE, (int)DIFF_MAX_SHOWN);
        tx(b, TXT(r), T_DIFF_TABLE, total, more);
        js_buf_append(b, rows.data, rows.len);
        js_buf_puts(b, "</tbody></table></div>");
    }
    js_buf_release(&rows);
    close_side(&o);
    close_side(&n);
}
