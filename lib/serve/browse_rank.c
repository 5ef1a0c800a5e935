/* A region-year's departments ranked by a figure: /rank/:year/ lists the
 * key figures and the tables; /rank/:year/<table>/ a table's rows and
 * columns (the union over the year's reports), each cell a link to its
 * ranking; /rank/:year/<figure>/ the ranking itself, largest first (ties
 * share a rank), each value with its share of the sum, the departments
 * whose report does not hold the figure listed apart (absent, not zero);
 * /rank/:year/<figure>/ranking.csv|json its data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"

typedef struct {
    const bdy *x;
    bool has;
    js_fen v;
} entry;

typedef struct {
    bregion g;
    int year;
    bfigure fig;
    entry *e;  /* present ones first, largest first */
    size_t n, npresent;
    js_fen sum;
    bool sum_ok; /* every present value ≥ 0 and their sum > 0 (shares) */
} ranking;

static int by_value(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->has != y->has)
        return x->has ? -1 : 1;
    if (x->has && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return x->x < y->x ? -1 : x->x > y->x; /* the region's order */
}

static void rank_free(ranking *k)
{
    free(k->e);
    bregion_free(&k->g);
}

/* The ranking of the address (:year, :fig); false when a page was sent. */
static bool rank_load(js_req *r, ranking *k)
{
    memset(k, 0, sizeof *k);
    k->year = atoi(r->param[0]);
    if (!bregion_load(r, &k->g))
        return false;
    bfigure keys[BROWSE_MAX_FIGURES];
    js_diag d = {0};
    int nkeys = bfigures_key(r->srv, keys, BROWSE_MAX_FIGURES, &d);
    if (nkeys < 0) {
        bregion_free(&k->g);
        page_fail(r, 500, d.message);
        return false;
    }
    if (!bfigure_find(keys, nkeys, r->param[1], &k->fig) || !(k->e = calloc(k->g.n + 1, sizeof *k->e))) {
        bregion_free(&k->g);
        page_fail_text(r, 404, T_RANK_NO_FIGURE);
        return false;
    }
    bool labelled = k->fig.label[0];
    for (size_t i = 0; i < k->g.n; i++) {
        const bdy *x = &k->g.items[i];
        if (x->v->year != k->year)
            continue;
        entry *e = &k->e[k->n++];
        e->x = x;
        btables t;
        btables_load(r, x->v->id, &t);
        e->has = bfigure_value(r, &k->fig, x->v, &t, &e->v);
        const btable *tab = btables_find(&t, k->fig.table);
        const brow *row = btable_row(tab, k->fig.row);
        if (e->has && !labelled && row) { /* a cell's label from the first report holding it */
            char id[64];
            snprintf(id, sizeof id, "%s", k->fig.id);
            bfigure_of_cell(tab, row, k->fig.col - 1, &k->fig);
            snprintf(k->fig.id, sizeof k->fig.id, "%s", id);
            labelled = true;
        }
        btables_free(&t);
    }
    if (!k->n || !labelled) {
        rank_free(k);
        page_fail_text(r, 404, k->n ? T_RANK_NO_FIGURE : T_YEAR_NONE_FAIL);
        return false;
    }
    qsort(k->e, k->n, sizeof *k->e, by_value);
    k->sum_ok = true;
    for (size_t i = 0; i < k->n && k->e[i].has; i++) {
        k->npresent++;
        k->sum_ok = k->sum_ok && k->e[i].v >= 0 && js_fen_add(k->sum, k->e[i].v, &k->sum);
    }
    k->sum_ok = k->sum_ok && k->sum > 0;
    return true;
}

/* The rank of entry i: 1 + how many are larger (ties share it). */
static size_t rank_of(const ranking *k, size_t i)
{
    size_t j = i;
    while (j > 0 && k->e[j - 1].v == k->e[i].v)
        j--;
    return j + 1;
}

static void ranking_page(js_req *r, ranking *k)
{
    js_buf b;
    js_buf_init(&b, 1 << 22);
    tx(&b, TXT(r), T_RANK_HEAD, k->fig.label, k->year);
    tx(&b, TXT(r), T_RANK_TABLE);
    for (size_t i = 0; i < k->npresent; i++) {
        const entry *e = &k->e[i];
        char share[64] = "";
        if (k->sum_ok)
            js_money_percent(e->v, k->sum, BROWSE_PERCENT_DECIMALS, share, sizeof share);
        tx(&b, TXT(r), T_RANK_ROW, rank_of(k, i), e->x->v->year, e->x->dept->code, e->x->dept->name);
        js_buf_puts(&b, "<td class=\"num\">");
        bwan(&b, e->v);
        js_buf_printf(&b, "</td><td class=\"num\">%s%s</td></tr>", share, share[0] ? "%" : "");
    }
    tx(&b, TXT(r), T_BROWSE_TABLE_END);
    if (k->npresent < k->n) {
        tx(&b, TXT(r), T_RANK_ABSENT_HEAD);
        for (size_t i = k->npresent; i < k->n; i++)
            tx(&b, TXT(r), T_RANK_ABSENT_ITEM, k->e[i].x->v->year, k->e[i].x->dept->code, k->e[i].x->dept->name);
        js_buf_puts(&b, "</ul>");
    }
    char href[200];
    snprintf(href, sizeof href, "/rank/%d/%s/ranking", k->year, k->fig.id);
    tx(&b, TXT(r), T_BROWSE_DOWNLOADS, href);
    r->cacheable = true;
    char title[400];
    tx_msg(title, sizeof title, TXT(r), T_RANK_TITLE, k->fig.label, k->year);
    page_send(r, title, &b);
    js_buf_release(&b);
}

/* /rank/:year/<table id>/: the union of the year's rows of the table,
 * each amount cell a link to its ranking; false when no report of the
 * year has that table (nothing sent). */
static bool table_page(js_req *r, const bregion *g, int year, const char *id)
{
    btables *sets = calloc(g->n + 1, sizeof *sets);
    size_t ns = 0;
    for (size_t i = 0; sets && i < g->n; i++)
        if (g->items[i].v->year == year)
            btables_load(r, g->items[i].v->id, &sets[ns++]);
    const btable *t = NULL;
    for (size_t i = 0; i < ns && !t; i++)
        t = btables_find(&sets[i], id);
    if (t) {
        const brow **rows;
        size_t nr = btables_union_rows(sets, ns, id, &rows);
        js_buf b;
        js_buf_init(&b, 1 << 24);
        tx(&b, TXT(r), T_RANK_TABLE_HEAD, t->number, t->title, year);
        for (int c = 0; c < t->ncols; c++)
            tx(&b, TXT(r), T_RANK_COL_TH, t->cols[c].heading);
        js_buf_puts(&b, "</tr></thead><tbody>");
        for (size_t i = 0; i < nr; i++) {
            char label[200];
            brow_label(rows[i], label, sizeof label);
            tx(&b, TXT(r), T_BROWSE_ROW_HEAD, label);
            for (int c = 0; c < t->ncols; c++) {
                if (t->cols[c].block != rows[i]->block) {
                    js_buf_puts(&b, "<td></td>");
                    continue;
                }
                bfigure f;
                bfigure_of_cell(t, rows[i], c, &f);
                tx(&b, TXT(r), T_RANK_CELL, year, f.id);
            }
            js_buf_puts(&b, "</tr>");
        }
        tx(&b, TXT(r), T_BROWSE_TABLE_END);
        free(rows);
        r->cacheable = true;
        char title[400];
        snprintf(title, sizeof title, "%s %s", t->number, t->title);
        page_send(r, title, &b);
        js_buf_release(&b);
    }
    for (size_t i = 0; i < ns; i++)
        btables_free(&sets[i]);
    free(sets);
    return t != NULL;
}

void h_rank(js_req *r)
{
    const char *fig = r->param[1];
    if (strspn(fig, "0123456789") == strlen(fig)) { /* a table */
        bregion g;
        if (!bregion_load(r, &g))
            return;
        bool shown = table_page(r, &g, atoi(r->param[0]), fig);
        bregion_free(&g);
        if (!shown)
            page_fail_text(r, 404, T_RANK_NO_FIGURE);
        return;
    }
    ranking k;
    if (!rank_load(r, &k))
        return;
    ranking_page(r, &k);
    rank_free(&k);
}

void h_rank_index(js_req *r)
{
    int year = atoi(r->param[0]);
    bregion g;
    if (!bregion_load(r, &g))
        return;
    bfigure keys[BROWSE_MAX_FIGURES];
    js_diag d = {0};
    int nkeys = bfigures_key(r->srv, keys, BROWSE_MAX_FIGURES, &d);
    size_t n = 0;
    btables t = {0};
    for (size_t i = 0; i < g.n; i++)
        if (g.items[i].v->year == year && !n++)
            btables_load(r, g.items[i].v->id, &t); /* the first report's tables, for their names */
    if (!n || nkeys < 0) {
        btables_free(&t);
        bregion_free(&g);
        if (nkeys < 0)
            page_fail(r, 500, d.message);
        else
            page_fail_text(r, 404, T_YEAR_NONE_FAIL);
        return;
    }
    js_buf b;
    js_buf_init(&b, 1 << 20);
    tx(&b, TXT(r), T_RANK_INDEX_HEAD, year, n);
    for (int f = 0; f < nkeys; f++)
        tx(&b, TXT(r), T_RANK_INDEX_ITEM, year, keys[f].id, keys[f].label);
    tx(&b, TXT(r), T_RANK_INDEX_TABLES);
    for (size_t i = 0; i < t.n; i++) {
        char label[400];
        snprintf(label, sizeof label, "%s %s", t.t[i].number, t.t[i].title);
        tx(&b, TXT(r), T_RANK_INDEX_ITEM, year, t.t[i].id, label);
    }
    js_buf_puts(&b, "</ul>");
    tx(&b, TXT(r), T_COFOG_LINK, year);
    btables_free(&t);
    bregion_free(&g);
    r->cacheable = true;
    char title[200];
    tx_msg(title, sizeof title, TXT(r), T_RANK_INDEX_TITLE, year);
    page_send(r, title, &b);
    js_buf_release(&b);
}

void h_rank_data(js_req *r)
{
    char base[48];
    bool json;
    if (!bfile_kind(r->param[2], base, sizeof base, &json) || strcmp(base, "ranking")) {
        page_fail_text(r, 404, T_PUB_NO_FILE);
        return;
    }
    ranking k;
    if (!rank_load(r, &k))
        return;
    js_buf csv;
    js_buf_init(&csv, 1 << 22);
    static const char *const head[] = {"rank", "department", "name", "year", "value_wan", "value_yuan", "share_percent"};
    bcsv_line(&csv, 7, head);
    json_t *list = json_array();
    for (size_t i = 0; i < k.n; i++) {
        const entry *e = &k.e[i];
        char rank[24] = "", year[8], w[40] = "", y[40] = "", share[64] = "";
        snprintf(year, sizeof year, "%d", k.year);
        if (e->has) {
            snprintf(rank, sizeof rank, "%zu", rank_of(&k, i));
            bwan_text(e->v, w);
            byuan_text(e->v, y);
            if (k.sum_ok)
                js_money_percent(e->v, k.sum, BROWSE_PERCENT_DECIMALS, share, sizeof share);
        }
        const char *f[] = {rank, e->x->dept->code, e->x->dept->name, year, w, y, share};
        bcsv_line(&csv, 7, f);
        json_array_append_new(list, json_pack("{s:o,s:s,s:s,s:o,s:o,s:o}", "rank",
                                              e->has ? json_integer((json_int_t)rank_of(&k, i)) : json_null(),
                                              "department", e->x->dept->code, "name", e->x->dept->name,
                                              "value_wan", e->has ? json_string(w) : json_null(), "value_yuan",
                                              e->has ? json_string(y) : json_null(), "share_percent",
                                              share[0] ? json_string(share) : json_null()));
    }
    char name[160];
    snprintf(name, sizeof name, "ranking-%d-%s.%s", k.year, k.fig.id, json ? "json" : "csv");
    if (json)
        bsend_json(r, json_pack("{s:i,s:s,s:s,s:o}", "year", k.year, "figure", k.fig.id, "label", k.fig.label,
                                "ranking", list),
                   name);
    else {
        json_decref(list);
        bsend_csv(r, &csv, name);
    }
    js_buf_release(&csv);
    rank_free(&k);
}
