/* Compare: two to five published department-years side by side, at
 * /compare/<code>-<year>,<code>-<year>…/ (the first is the basis): their
 * key figures, then each of the tables with its rows aligned by row key
 * (classification code, 行次, total, else place among the label rows) and
 * its columns by key; every other department-year's change from the
 * first in 万元 and in percent, both computed from the exact amounts in
 * 分. A row or table one report lacks is absent there ("—"), never zero.
 * /compare/ is the form that picks them (a GET that is redirected to the
 * address). Each table and the figures download as CSV and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"

typedef struct {
    bregion g;
    const bdy *item[BROWSE_MAX_ITEMS];
    btables t[BROWSE_MAX_ITEMS];
    size_t n;
    bfigure fig[BROWSE_MAX_FIGURES];
    int nfig;
} compare;

/* One aligned line: a row's column in every department-year. */
typedef struct {
    const btable *table; /* the first report's that has it */
    const brow *row;
    int col;
    bool has[BROWSE_MAX_ITEMS];
    js_fen v[BROWSE_MAX_ITEMS];
} cline;

/* "code-2024" into code and year; false when it is not of that form. */
static bool item_parse(const char *s, size_t len, char *code, size_t cap, int *year)
{
    if (len < 6 || len - 5 >= cap || s[len - 5] != '-')
        return false;
    for (size_t i = len - 4; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    snprintf(code, cap, "%.*s", (int)(len - 5), s);
    *year = atoi(s + len - 4);
    return true;
}

static void cmp_free(compare *c)
{
    for (size_t i = 0; i < c->n; i++)
        btables_free(&c->t[i]);
    bregion_free(&c->g);
}

/* The department-years of the address's set; false when a page was sent. */
static bool cmp_load(js_req *r, compare *c)
{
    memset(c, 0, sizeof *c);
    if (!bregion_load(r, &c->g))
        return false;
    const char *s = r->param[0];
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        char code[96];
        int year;
        const bdy *x = NULL;
        if (c->n < BROWSE_MAX_ITEMS && item_parse(s, len, code, sizeof code, &year))
            x = bregion_find(&c->g, code, year);
        for (size_t i = 0; x && i < c->n; i++)
            if (c->item[i] == x)
                x = NULL; /* named twice */
        if (!x) {
            cmp_free(c);
            page_fail_text(r, 404, T_CMP_NO_ITEM);
            return false;
        }
        c->item[c->n++] = x;
        s = e ? e + 1 : s + len;
    }
    js_diag d = {0};
    if (c->n < 2 || (c->nfig = bfigures_key(r->srv, c->fig, BROWSE_MAX_FIGURES, &d)) < 0) {
        cmp_free(c);
        if (c->n < 2)
            page_fail_text(r, 404, T_CMP_NO_ITEM);
        else
            page_fail(r, 500, d.message);
        return false;
    }
    for (size_t i = 0; i < c->n; i++)
        btables_load(r, c->item[i]->v->id, &c->t[i]);
    return true;
}

/* cmp_load into a new compare (malloc'd: cmp_free, then free); NULL when
 * a page was sent. */
static compare *cmp_new(js_req *r)
{
    compare *c = malloc(sizeof *c);
    if (!c)
        page_fail_text(r, 500, T_FAIL_STORE);
    else if (!cmp_load(r, c)) {
        free(c);
        c = NULL;
    }
    return c;
}

/* The aligned lines of table id whose amounts are not all zero (or
 * absent); *table: the first report's table. Returns how many. */
static size_t table_lines(const compare *c, const char *id, const btable **table, cline **out)
{
    *out = NULL;
    *table = NULL;
    for (size_t k = 0; k < c->n && !*table; k++)
        *table = btables_find(&c->t[k], id);
    const brow **rows;
    size_t nr = btables_union_rows(c->t, c->n, id, &rows), n = 0;
    if (!*table || !(*out = malloc((nr * (size_t)(*table)->ncols + 1) * sizeof **out))) {
        free(rows);
        return 0;
    }
    for (size_t i = 0; i < nr; i++)
        for (int col = 0; col < (*table)->ncols; col++) {
            const bcol *bc = &(*table)->cols[col];
            if (bc->block != rows[i]->block)
                continue;
            cline *l = &(*out)[n];
            memset(l, 0, sizeof *l);
            l->table = *table;
            l->row = rows[i];
            l->col = col;
            bool nonzero = false;
            for (size_t k = 0; k < c->n; k++) {
                const btable *t = btables_find(&c->t[k], id);
                int ck = btable_col(t, bc->block, bc->key);
                l->has[k] = ck >= 0 && brow_cell(btable_row(t, rows[i]->key), &t->cols[ck], &l->v[k]);
                nonzero |= l->has[k] && l->v[k] != 0;
            }
            if (nonzero)
                n++;
        }
    free(rows);
    return n;
}

/* Every table id of the reports, in order of first appearance. */
static size_t table_ids(const compare *c, const char **ids)
{
    size_t n = 0;
    for (size_t k = 0; k < c->n; k++)
        for (size_t i = 0; i < c->t[k].n; i++) {
            size_t j = 0;
            while (j < n && strcmp(ids[j], c->t[k].t[i].id))
                j++;
            if (j == n && n < BROWSE_MAX_TABLES)
                ids[n++] = c->t[k].t[i].id;
        }
    return n;
}

static void values_html(js_req *r, js_buf *b, const compare *c, const bool *has, const js_fen *v)
{
    for (size_t k = 0; k < c->n; k++) {
        js_buf_puts(b, "<td class=\"num\">");
        if (!has[k]) {
            tx(b, TXT(r), T_BROWSE_ABSENT);
        } else {
            bwan(b, v[k]);
            if (k > 0 && has[0]) {
                js_buf_puts(b, "<br><span class=\"chg\">");
                bchange(b, v[0], v[k]);
                js_buf_puts(b, "</span>");
            }
        }
        js_buf_puts(b, "</td>");
    }
    js_buf_puts(b, "</tr>");
}

static void items_th(js_req *r, js_buf *b, const compare *c)
{
    for (size_t k = 0; k < c->n; k++)
        tx(b, TXT(r), T_CMP_ITEM_TH, c->item[k]->dept->name, c->item[k]->v->year);
    js_buf_puts(b, "</tr></thead><tbody>");
}

void h_compare(js_req *r)
{
    compare *c = cmp_new(r);
    if (!c)
        return;
    char prefix[400];
    snprintf(prefix, sizeof prefix, "/compare/%s/", r->param[0]);
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_CMP_HEAD);
    for (size_t k = 0; k < c->n; k++)
        tx(&b, TXT(r), T_CMP_ITEM, c->item[k]->v->year, c->item[k]->dept->code, c->item[k]->dept->name,
           k == 0 ? tx_str(TXT(r), T_CMP_BASIS) : "");
    tx(&b, TXT(r), T_CMP_NOTE, c->item[0]->dept->name, c->item[0]->v->year, prefix);
    const char *ids[BROWSE_MAX_TABLES];
    size_t nt = table_ids(c, ids);
    js_buf_puts(&b, "<p class=\"toc\">");
    for (size_t i = 0; i < nt; i++) {
        const btable *t = NULL;
        for (size_t k = 0; k < c->n && !t; k++)
            t = btables_find(&c->t[k], ids[i]);
        tx(&b, TXT(r), T_CMP_TOC_ITEM, t->id, t->number);
    }
    js_buf_puts(&b, "</p>");
    /* the key figures */
    tx(&b, TXT(r), T_CMP_FIGURES_HEAD);
    items_th(r, &b, c);
    for (int f = 0; f < c->nfig; f++) {
        bool has[BROWSE_MAX_ITEMS];
        js_fen v[BROWSE_MAX_ITEMS];
        for (size_t k = 0; k < c->n; k++)
            has[k] = bfigure_value(r, &c->fig[f], c->item[k]->v, &c->t[k], &v[k]);
        tx(&b, TXT(r), T_BROWSE_ROW_HEAD, c->fig[f].label);
        values_html(r, &b, c, has, v);
    }
    tx(&b, TXT(r), T_BROWSE_TABLE_END);
    char href[480];
    snprintf(href, sizeof href, "%sfigures", prefix);
    tx(&b, TXT(r), T_BROWSE_DOWNLOADS, href);
    /* the tables */
    for (size_t i = 0; i < nt; i++) {
        const btable *t;
        cline *lines;
        size_t n = table_lines(c, ids[i], &t, &lines);
        tx(&b, TXT(r), T_CMP_TABLE_HEAD, t->id, t->number, btable_plain_title(t->title));
        for (size_t k = 0; k < c->n; k++)
            if (!btables_find(&c->t[k], ids[i]))
                tx(&b, TXT(r), T_CMP_TABLE_ABSENT, c->item[k]->dept->name, c->item[k]->v->year);
        if (!n)
            tx(&b, TXT(r), T_CMP_TABLE_ZERO);
        else {
            tx(&b, TXT(r), T_CMP_LINES_HEAD);
            items_th(r, &b, c);
            for (size_t l = 0; l < n; l++) {
                char label[200];
                brow_label(lines[l].row, label, sizeof label);
                tx(&b, TXT(r), T_CMP_LINE, label, t->cols[lines[l].col].heading);
                values_html(r, &b, c, lines[l].has, lines[l].v);
            }
            tx(&b, TXT(r), T_BROWSE_TABLE_END);
        }
        snprintf(href, sizeof href, "%stable-%s", prefix, t->id);
        tx(&b, TXT(r), T_BROWSE_DOWNLOADS, href);
        free(lines);
    }
    r->cacheable = true;
    cmp_free(c);
    free(c);
    page_send(r, tx_str(TXT(r), T_CMP_TITLE), &b);
    js_buf_release(&b);
}

/* ---- the downloads ---- */

static json_t *items_json(const compare *c)
{
    json_t *a = json_array();
    for (size_t k = 0; k < c->n; k++)
        json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:i}", "department", c->item[k]->dept->code, "name",
                                           c->item[k]->dept->name, "year", c->item[k]->v->year, "version",
                                           c->item[k]->v->number));
    return a;
}

/* One line of values into the CSV (a line per department-year) and the
 * JSON (a list of values: null when absent). */
static void values_out(const compare *c, js_buf *csv, json_t *lines, const char *table, const char *code,
                       const char *name, const char *column, const bool *has, const js_fen *v)
{
    json_t *vals = json_array();
    for (size_t k = 0; k < c->n; k++) {
        char year[8], w[40] = "", y[40] = "", dw[40] = "", pct[64] = "";
        snprintf(year, sizeof year, "%d", c->item[k]->v->year);
        js_fen diff;
        if (has[k]) {
            bwan_text(v[k], w);
            byuan_text(v[k], y);
            if (k > 0 && has[0] && js_fen_sub(v[k], v[0], &diff)) {
                bwan_text(diff, dw);
                js_money_percent(diff, v[0] < 0 ? -v[0] : v[0], BROWSE_PERCENT_DECIMALS, pct, sizeof pct);
            }
        }
        const char *f[] = {table, code, name, column, c->item[k]->dept->code, year, w, y, dw, pct};
        bcsv_line(csv, 10, f);
        json_array_append_new(vals, has[k] ? json_pack("{s:s,s:s,s:o,s:o}", "wan", w, "yuan", y, "change_wan",
                                                       dw[0] ? json_string(dw) : json_null(), "change_percent",
                                                       pct[0] ? json_string(pct) : json_null())
                                           : json_null());
    }
    json_array_append_new(lines, json_pack("{s:s,s:s?,s:s,s:s,s:o}", "table", table, "code", code[0] ? code : NULL,
                                           "name", name, "column", column, "values", vals));
}

/* /compare/<set>/figures|compare|table-NN .csv|.json */
void h_compare_data(js_req *r)
{
    char base[48];
    bool json;
    if (!bfile_kind(r->param[1], base, sizeof base, &json) ||
        (strcmp(base, "figures") && strcmp(base, "compare") && strncmp(base, "table-", 6))) {
        page_fail_text(r, 404, T_PUB_NO_FILE);
        return;
    }
    compare *c = cmp_new(r);
    if (!c)
        return;
    js_buf csv;
    js_buf_init(&csv, 1 << 24);
    static const char *const head[] = {"table", "code", "name", "column", "department", "year",
                                       "value_wan", "value_yuan", "change_wan", "change_percent"};
    bcsv_line(&csv, 10, head);
    json_t *lines = json_array();
    bool all = !strcmp(base, "compare"), found = all;
    if (all || !strcmp(base, "figures")) {
        found = true;
        for (int f = 0; f < c->nfig; f++) {
            bool has[BROWSE_MAX_ITEMS];
            js_fen v[BROWSE_MAX_ITEMS];
            for (size_t k = 0; k < c->n; k++)
                has[k] = bfigure_value(r, &c->fig[f], c->item[k]->v, &c->t[k], &v[k]);
            values_out(c, &csv, lines, "", c->fig[f].id, c->fig[f].label, "", has, v);
        }
    }
    const char *ids[BROWSE_MAX_TABLES];
    size_t nt = table_ids(c, ids);
    for (size_t i = 0; i < nt; i++) {
        if (!all && strcmp(base + 6, ids[i]))
            continue;
        found = true;
        const btable *t;
        cline *ls;
        size_t n = table_lines(c, ids[i], &t, &ls);
        for (size_t l = 0; l < n; l++)
            values_out(c, &csv, lines, t->id, ls[l].row->code ? ls[l].row->code : "",
                       ls[l].row->name ? ls[l].row->name : "", t->cols[ls[l].col].heading, ls[l].has, ls[l].v);
        free(ls);
    }
    char name[160];
    snprintf(name, sizeof name, "compare-%s.%s", base, json ? "json" : "csv");
    if (!found)
        page_fail_text(r, 404, T_PUB_NO_FILE);
    else if (json)
        bsend_json(r, json_pack("{s:o,s:s,s:o}", "items", items_json(c), "basis", "first", "lines", lines), name);
    else
        bsend_csv(r, &csv, name);
    if (!found || !json)
        json_decref(lines);
    js_buf_release(&csv);
    cmp_free(c);
    free(c);
}

/* /compare/: the form; with its fields (a1 … a5), a redirect to the
 * address of what they name. */
void h_compare_form(js_req *r)
{
    bregion g;
    if (!bregion_load(r, &g))
        return;
    js_buf set;
    js_buf_init(&set, 512);
    size_t n = 0;
    bool bad = false;
    for (int i = 1; i <= BROWSE_MAX_ITEMS; i++) {
        char name[8], code[96];
        int year;
        snprintf(name, sizeof name, "a%d", i);
        const char *v = bquery(r, name);
        if (!v || !*v)
            continue;
        if (!item_parse(v, strlen(v), code, sizeof code, &year) || !bregion_find(&g, code, year) ||
            strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(code)) {
            bad = true;
            continue;
        }
        js_buf_printf(&set, "%s%s", n++ ? "," : "", v);
    }
    if (n >= 2 && !bad) {
        char loc[256];
        snprintf(loc, sizeof loc, "/compare/%.*s/", (int)set.len, set.data);
        js_buf_release(&set);
        bregion_free(&g);
        page_redirect(r, loc);
        return;
    }
    js_buf_release(&set);
    js_buf b;
    js_buf_init(&b, 1 << 22);
    tx(&b, TXT(r), T_CMP_FORM_HEAD);
    if (bquery(r, NULL)) {
        r->status = 400;
        tx(&b, TXT(r), T_CMP_FORM_ERROR);
    }
    for (int i = 1; i <= BROWSE_MAX_ITEMS; i++) {
        tx(&b, TXT(r), T_CMP_FORM_SELECT, i);
        if (i > 2)
            tx(&b, TXT(r), T_CMP_FORM_NONE);
        for (size_t k = 0; k < g.n; k++) {
            char value[96], label[320], key[8];
            snprintf(key, sizeof key, "a%d", i);
            snprintf(value, sizeof value, "%s-%d", g.items[k].dept->code, g.items[k].v->year);
            snprintf(label, sizeof label, "%s %d 年度", g.items[k].dept->name, g.items[k].v->year);
            const char *was = bquery(r, key);
            tx(&b, TXT(r), T_BROWSE_OPTION, value, was && !strcmp(was, value) ? " selected" : "", label);
        }
        js_buf_puts(&b, "</select></label>");
    }
    tx(&b, TXT(r), T_CMP_FORM_TAIL);
    bregion_free(&g);
    r->cacheable = !bquery(r, NULL);
    page_send(r, tx_str(TXT(r), T_CMP_TITLE), &b);
    js_buf_release(&b);
}
