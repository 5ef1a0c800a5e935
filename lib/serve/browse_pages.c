/* The region's departments and each department's page, for anonymous
 * visitors: /departments/ (every department with its published reports
 * by year, their publication dates and on-time marks, searchable by name)
 * and /departments/:dept/ (its reports by year and its key figures over
 * the years, as a table and as SVG charts), each with its data as CSV
 * and JSON. Published versions only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "browse.h"
#include "charts.h"

/* ---- /departments/ ---- */

/* Whether the department's name or code holds q (bytes; ASCII letters
 * without case). */
static bool matches(const js_store_dept *d, const char *q)
{
    if (!q || !*q)
        return true;
    size_t n = strlen(q);
    for (const char *hay[2] = {d->name, d->code}, **h = hay; h < hay + 2; h++)
        for (const char *p = *h; *p; p++)
            if (!strncasecmp(p, q, n))
                return true;
    return false;
}

static bool has_published(const bregion *g, const js_store_dept *d)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->items[i].dept == d)
            return true;
    return false;
}

void h_browse_home(js_req *r)
{
    bregion g;
    if (!bregion_load(r, &g))
        return;
    const char *q = bquery(r, "q");
    char qs[256] = "";
    if (q) { /* trimmed, at most 200 bytes */
        while (*q == ' ')
            q++;
        snprintf(qs, sizeof qs, "%.200s", q);
        for (size_t l = strlen(qs); l && qs[l - 1] == ' ';)
            qs[--l] = '\0';
    }
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_BROWSE_HOME_HEAD, qs);
    size_t shown = 0;
    js_buf rows;
    js_buf_init(&rows, 1 << 24);
    for (size_t k = 0; k < g.ndepts; k++) {
        const js_store_dept *d = &g.depts[k];
        if (!has_published(&g, d) || !matches(d, qs))
            continue;
        shown++;
        tx(&rows, TXT(r), T_BROWSE_DEPT_CELL, d->code, d->name);
        for (size_t y = 0; y < g.nyears; y++) {
            const bdy *x = bregion_find(&g, d->code, g.years[y]);
            if (!x) {
                tx(&rows, TXT(r), T_BROWSE_NO_REPORT);
                continue;
            }
            char pub[16];
            date_text(x->v->published_at, pub);
            tx(&rows, TXT(r), T_BROWSE_REPORT_CELL, x->v->year, d->code, pub,
               tx_str(TXT(r), bdy_on_time(r, x) ? T_YEAR_ON_TIME : T_YEAR_LATE));
        }
        js_buf_puts(&rows, "</tr>");
    }
    if (qs[0] && shown)
        tx(&b, TXT(r), T_BROWSE_FOUND, shown, qs);
    else if (qs[0])
        tx(&b, TXT(r), T_BROWSE_NOT_FOUND, qs);
    if (shown) {
        tx(&b, TXT(r), T_BROWSE_TABLE_HEAD);
        for (size_t y = 0; y < g.nyears; y++)
            tx(&b, TXT(r), T_BROWSE_YEAR_TH, g.years[y]);
        js_buf_puts(&b, "</tr></thead><tbody>");
        js_buf_append(&b, rows.data, rows.len);
        tx(&b, TXT(r), T_BROWSE_TABLE_END);
    } else if (!qs[0])
        tx(&b, TXT(r), T_YEAR_NONE);
    tx(&b, TXT(r), T_BROWSE_HOME_TAIL);
    for (size_t y = 0; y < g.nyears; y++)
        tx(&b, TXT(r), T_BROWSE_RANK_LINK, g.years[y]);
    js_buf_puts(&b, "</ul>");
    js_buf_release(&rows);
    bregion_free(&g);
    r->cacheable = !bquery(r, NULL); /* a search is not kept: any text makes a page */
    page_send(r, tx_str(TXT(r), T_BROWSE_HOME_TITLE), &b);
    js_buf_release(&b);
}

/* /departments/list.csv|json: every published department-year. */
void h_browse_home_data(js_req *r)
{
    char base[48];
    bool json;
    if (!bfile_kind(r->param[0], base, sizeof base, &json) || strcmp(base, "list")) {
        page_fail_text(r, 404, T_PUB_NO_FILE);
        return;
    }
    bregion g;
    if (!bregion_load(r, &g))
        return;
    js_buf csv;
    js_buf_init(&csv, 1 << 24);
    static const char *const head[] = {"department", "name", "year", "version", "published", "on_time", "url"};
    bcsv_line(&csv, 7, head);
    json_t *list = json_array();
    for (size_t i = 0; i < g.n; i++) {
        const bdy *x = &g.items[i];
        char year[8], number[16], pub[16], url[160];
        snprintf(year, sizeof year, "%d", x->v->year);
        snprintf(number, sizeof number, "%d", x->v->number);
        date_text(x->v->published_at, pub);
        snprintf(url, sizeof url, "/%d/%s/v%d/", x->v->year, x->dept->code, x->v->number);
        bool on_time = bdy_on_time(r, x);
        const char *f[] = {x->dept->code, x->dept->name, year, number, pub, on_time ? "true" : "false", url};
        bcsv_line(&csv, 7, f);
        json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:i,s:s,s:b,s:s}", "department", x->dept->code, "name",
                                              x->dept->name, "year", x->v->year, "version", x->v->number,
                                              "published", pub, "on_time", on_time, "url", url));
    }
    if (json)
        bsend_json(r, json_pack("{s:o}", "reports", list), "departments.json");
    else {
        json_decref(list);
        bsend_csv(r, &csv, "departments.csv");
    }
    js_buf_release(&csv);
    bregion_free(&g);
}

/* ---- /departments/:dept/ ---- */

/* A department's published years (oldest first) and its key figures in
 * each: has[f][y], val[f][y]. */
typedef struct {
    bregion g;
    const js_store_dept *dept;
    const bdy *years[BROWSE_MAX_YEARS];
    size_t ny;
    bfigure fig[BROWSE_MAX_FIGURES];
    int nfig;
    bool has[BROWSE_MAX_FIGURES][BROWSE_MAX_YEARS];
    js_fen val[BROWSE_MAX_FIGURES][BROWSE_MAX_YEARS];
} dept_figures;

/* false: a page was sent (404 or 500). */
static bool dept_figures_load(js_req *r, const char *code, dept_figures *x)
{
    memset(x, 0, sizeof *x);
    if (!bregion_load(r, &x->g))
        return false;
    for (size_t k = 0; k < x->g.ndepts; k++)
        if (!strcmp(x->g.depts[k].code, code))
            x->dept = &x->g.depts[k];
    for (size_t i = x->g.n; x->dept && i-- > 0;) /* items are newest first */
        if (x->g.items[i].dept == x->dept && x->ny < BROWSE_MAX_YEARS)
            x->years[x->ny++] = &x->g.items[i];
    if (!x->ny) {
        bregion_free(&x->g);
        page_fail_text(r, 404, T_PUB_NO_DEPT);
        return false;
    }
    js_diag d = {0};
    if ((x->nfig = bfigures_key(r->srv, x->fig, BROWSE_MAX_FIGURES, &d)) < 0) {
        bregion_free(&x->g);
        page_fail(r, 500, d.message);
        return false;
    }
    for (size_t y = 0; y < x->ny; y++) {
        btables t;
        btables_load(r, x->years[y]->v->id, &t);
        for (int f = 0; f < x->nfig; f++)
            x->has[f][y] = bfigure_value(r, &x->fig[f], x->years[y]->v, &t, &x->val[f][y]);
        btables_free(&t);
    }
    return true;
}

/* The figures of the address's department (malloc'd: free its g with
 * bregion_free, then it); NULL when a page was sent. */
static dept_figures *dept_figures_new(js_req *r)
{
    dept_figures *x = malloc(sizeof *x);
    if (!x)
        page_fail_text(r, 500, T_FAIL_STORE);
    else if (!dept_figures_load(r, r->param[0], x)) {
        free(x);
        x = NULL;
    }
    return x;
}

/* The chart of figure f over the years that have it. */
static void figure_chart(js_req *r, js_buf *b, const dept_figures *x, int f)
{
    js_chart c = {.kind = JS_CHART_BAR, .title = x->fig[f].label};
    char labels[BROWSE_MAX_YEARS][16];
    for (size_t y = 0; y < x->ny && c.n < JS_CHART_MAX; y++) {
        if (!x->has[f][y])
            continue; /* absent: no bar, not a bar of zero */
        snprintf(labels[c.n], sizeof labels[0], "%d", x->years[y]->v->year);
        c.labels[c.n] = labels[c.n];
        c.values[c.n++] = x->val[f][y];
    }
    if (!c.n) {
        tx(b, TXT(r), T_BROWSE_CHART_NONE, x->fig[f].label);
        return;
    }
    char href[160];
    snprintf(href, sizeof href, "/departments/%s/%s", x->dept->code, x->fig[f].id);
    tx(b, TXT(r), T_BROWSE_CHART_HEAD, x->fig[f].label);
    js_chart_svg(&c, b);
    tx(b, TXT(r), T_BROWSE_DOWNLOADS, href);
    js_buf_puts(b, "</figure>");
}

void h_browse_dept(js_req *r)
{
    dept_figures *x = dept_figures_new(r);
    if (!x)
        return;
    const char *code = x->dept->code;
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_BROWSE_DEPT_HEAD, x->dept->name);
    for (size_t y = x->ny; y-- > 0;) {
        const bdy *d = x->years[y];
        char pub[16];
        date_text(d->v->published_at, pub);
        tx(&b, TXT(r), T_BROWSE_DEPT_YEAR, d->v->year, code, d->v->number, pub,
           tx_str(TXT(r), bdy_on_time(r, d) ? T_YEAR_ON_TIME : T_YEAR_LATE));
    }
    tx(&b, TXT(r), T_BROWSE_TABLE_END);
    /* its published 预算, by year (the figures above are the 决算's) */
    bool budgets = false;
    for (size_t i = 0; i < x->g.nversions; i++) {
        const js_store_version *v = &x->g.versions[i];
        if (v->phase != JS_PHASE_BUDGET || v->dept_id != x->dept->id)
            continue;
        char pub[16];
        date_text(v->published_at, pub);
        if (!budgets)
            tx(&b, TXT(r), T_PHASE_BROWSE_BUDGETS);
        budgets = true;
        tx(&b, TXT(r), T_PHASE_BROWSE_BUDGET, v->year, code, pub);
    }
    if (budgets)
        js_buf_puts(&b, "</p>");
    /* compare: its two latest years, or its latest with a peer */
    const bdy *last = x->years[x->ny - 1];
    if (x->ny >= 2) {
        const bdy *prev = x->years[x->ny - 2];
        char href[200];
        snprintf(href, sizeof href, "/compare/%s-%d,%s-%d/", code, last->v->year, code, prev->v->year);
        tx(&b, TXT(r), T_BROWSE_DEPT_COMPARE, href, last->v->year, prev->v->year);
    }
    char item[96];
    snprintf(item, sizeof item, "%s-%d", code, last->v->year);
    tx(&b, TXT(r), T_BROWSE_PEER_FORM, item, last->v->year);
    bool chosen = false; /* the first peer of the same year */
    for (size_t i = 0; i < x->g.n; i++) {
        const bdy *p = &x->g.items[i];
        if (p->dept == x->dept)
            continue;
        char value[96], label[320];
        snprintf(value, sizeof value, "%s-%d", p->dept->code, p->v->year);
        snprintf(label, sizeof label, "%s %d 年度", p->dept->name, p->v->year);
        bool pick = !chosen && p->v->year == last->v->year;
        chosen |= pick;
        tx(&b, TXT(r), T_BROWSE_OPTION, value, pick ? " selected" : "", label);
    }
    tx(&b, TXT(r), T_BROWSE_PEER_END);
    /* the key figures: a table, then a chart of each */
    tx(&b, TXT(r), T_BROWSE_FIGURES_HEAD);
    for (size_t y = 0; y < x->ny; y++)
        tx(&b, TXT(r), T_BROWSE_YEAR_TH, x->years[y]->v->year);
    js_buf_puts(&b, "</tr></thead><tbody>");
    for (int f = 0; f < x->nfig; f++) {
        tx(&b, TXT(r), T_BROWSE_ROW_HEAD, x->fig[f].label);
        for (size_t y = 0; y < x->ny; y++) {
            js_buf_puts(&b, "<td class=\"num\">");
            if (x->has[f][y])
                bwan(&b, x->val[f][y]);
            else
                tx(&b, TXT(r), T_BROWSE_ABSENT);
            js_buf_puts(&b, "</td>");
        }
        js_buf_puts(&b, "</tr>");
    }
    tx(&b, TXT(r), T_BROWSE_TABLE_END);
    char href[160];
    snprintf(href, sizeof href, "/departments/%s/figures", code);
    tx(&b, TXT(r), T_BROWSE_DOWNLOADS, href);
    tx(&b, TXT(r), T_BROWSE_CHARTS_HEAD);
    for (int f = 0; f < x->nfig; f++)
        figure_chart(r, &b, x, f);
    js_buf_puts(&b, "</div>");
    r->cacheable = true;
    char title[320];
    snprintf(title, sizeof title, "%s", x->dept->name);
    bregion_free(&x->g);
    free(x);
    page_send(r, title, &b);
    js_buf_release(&b);
}

/* /departments/:dept/figures.csv|json, or one figure's (jiben.csv). */
void h_browse_dept_data(js_req *r)
{
    char base[64];
    bool json;
    if (!bfile_kind(r->param[1], base, sizeof base, &json)) {
        page_fail_text(r, 404, T_PUB_NO_FILE);
        return;
    }
    dept_figures *x = dept_figures_new(r);
    if (!x)
        return;
    int only = -1;
    for (int f = 0; f < x->nfig; f++)
        if (!strcmp(x->fig[f].id, base))
            only = f;
    if (only < 0 && strcmp(base, "figures")) {
        bregion_free(&x->g);
        free(x);
        page_fail_text(r, 404, T_PUB_NO_FILE);
        return;
    }
    js_buf csv;
    js_buf_init(&csv, 1 << 22);
    static const char *const head[] = {"department", "figure", "label", "year", "value_wan", "value_yuan"};
    bcsv_line(&csv, 6, head);
    json_t *list = json_array();
    for (int f = 0; f < x->nfig; f++) {
        if (only >= 0 && f != only)
            continue;
        for (size_t y = 0; y < x->ny; y++) {
            char year[8], w[40] = "", yuan[40] = "";
            snprintf(year, sizeof year, "%d", x->years[y]->v->year);
            if (x->has[f][y]) {
                bwan_text(x->val[f][y], w);
                byuan_text(x->val[f][y], yuan);
            }
            const char *line[] = {x->dept->code, x->fig[f].id, x->fig[f].label, year, w, yuan};
            bcsv_line(&csv, 6, line);
            json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:o,s:o}", "figure", x->fig[f].id, "label",
                                                  x->fig[f].label, "year", x->years[y]->v->year, "value_wan",
                                                  x->has[f][y] ? json_string(w) : json_null(), "value_yuan",
                                                  x->has[f][y] ? json_string(yuan) : json_null()));
        }
    }
    char name[160];
    snprintf(name, sizeof name, "%s-%s.%s", x->dept->code, base, json ? "json" : "csv");
    if (json)
        bsend_json(r, json_pack("{s:s,s:s,s:o}", "department", x->dept->code, "name", x->dept->name, "figures", list),
                   name);
    else {
        json_decref(list);
        bsend_csv(r, &csv, name);
    }
    js_buf_release(&csv);
    bregion_free(&x->g);
    free(x);
}
