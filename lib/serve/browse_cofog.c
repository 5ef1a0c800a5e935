/* A region-year's spending by COFOG division (docs/open-data.md, "The
 * COFOG crosswalk"): the year's published Fiscal Data Package (the
 * fiscal-data.csv of the year's bundle, built at publication) summed by
 * js_fdp_cofog_spending, shown in four forms: the page /cofog/:year/, its
 * downloads cofog.csv (with a BOM, for Excel) and cofog.json, and the read
 * API's /api/v1/years/:year/cofog (the same JSON). Amounts in 万元 are
 * rounded from the exact sums; shares are exact percentages of what COFOG
 * counts; the lines COFOG does not count (债务还本 …) and those without a
 * division are listed apart, never folded in. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "browse.h"
#include "jsonout.h"
#include "juesuan/fdp.h"
#include "zip_read.h"

typedef struct {
    int year;
    js_cofog_spending s;
    bool shares; /* every division ≥ 0 and their sum > 0 */
} cofog_view;

/* Loads the view of the address's year. 200 when loaded; else the status
 * to answer (404: nothing of the year published, or no package in it) and
 * the message in msg. */
static unsigned cofog_load(js_req *r, cofog_view *c, char *msg, size_t cap)
{
    memset(c, 0, sizeof *c);
    c->year = atoi(r->param[0]);
    js_diag d = {0};
    js_store_bundle b;
    int rc = bundle_current(r->store, c->year, true, &b, &d);
    if (rc != JS_OK) {
        tx_msg(msg, cap, TXT(r), rc == JS_STORE_NOT_FOUND ? T_COFOG_NONE : T_COFOG_UNREADABLE, c->year);
        return rc == JS_STORE_NOT_FOUND ? 404 : 500;
    }
    js_zipr *z = js_zipr_open_memory(b.data, b.size);
    char *csv = NULL;
    size_t len = 0;
    int got = z ? js_zipr_read(z, JS_FDP_CSV, &csv, &len) : -1;
    unsigned status = got == 1 ? 200 : got == 0 ? 404 : 500;
    js_cofog *names = NULL;
    if (got == 1 && (js_fdp_cofog_spending(JS_FDP_CSV, csv, len, &c->s, &d) != JS_OK ||
                     !(names = js_cofog_load(r->srv->datadir, -1, &d))))
        status = 500;
    if (names)
        js_fdp_cofog_name_divisions(&c->s, names);
    js_cofog_free(names);
    if (status != 200) {
        tx_msg(msg, cap, TXT(r), status == 404 ? T_COFOG_NONE : T_COFOG_UNREADABLE, c->year);
        if (status == 500 && d.message[0]) /* what is wrong, without the server's paths */
            snprintf(msg + strlen(msg), cap - strlen(msg), "（%s）", d.message);
        js_cofog_spending_release(&c->s);
    }
    free(csv);
    js_zipr_close(z);
    js_store_bundle_free(&b);
    c->shares = c->s.cofog_total > 0;
    for (size_t i = 0; i < c->s.ndivisions; i++)
        c->shares = c->shares && c->s.divisions[i].amount >= 0;
    return status;
}

static void share_text(const cofog_view *c, js_fen v, char out[64])
{
    out[0] = '\0';
    if (c->shares)
        js_money_percent(v, c->s.cofog_total, BROWSE_PERCENT_DECIMALS, out, 64);
}

static const char *name_of(const js_cofog_part *p) { return p->name_zh[0] ? p->name_zh : p->name; }

/* ---- as JSON (cofog.json and the API) ---- */

static json_t *amount_json(js_fen v)
{
    char w[40], y[40];
    bwan_text(v, w);
    byuan_text(v, y);
    return json_pack("{s:s,s:s}", "wan", w, "yuan", y);
}

static json_t *parts_json(const cofog_view *c, const js_cofog_part *p, size_t n, bool division)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_pack("{s:s,s:s}", "code", p[i].code, "name", name_of(&p[i]));
        if (division)
            json_object_set_new(o, "name_en", json_string(p[i].name));
        json_object_update_new(o, amount_json(p[i].amount));
        if (division) {
            char share[64];
            share_text(c, p[i].amount, share);
            json_object_set_new(o, "share_percent", share[0] ? json_string(share) : json_null());
        }
        json_object_set_new(o, "lines", json_integer((json_int_t)p[i].lines));
        json_array_append_new(list, o);
    }
    return list;
}

static json_t *cofog_json(const cofog_view *c)
{
    char self[64], page[32], csv[48], source[64];
    snprintf(self, sizeof self, "/api/v1/years/%d/cofog", c->year);
    snprintf(page, sizeof page, "/cofog/%d/", c->year);
    snprintf(csv, sizeof csv, "/cofog/%d/cofog.csv", c->year);
    snprintf(source, sizeof source, "/api/v1/years/%d/fiscal-data.csv", c->year);
    const js_cofog_spending *s = &c->s;
    return json_pack("{s:i,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:s,s:s,s:s,s:s}}", "year", c->year, "departments",
                     (json_int_t)s->departments, "expenditure_total", amount_json(s->expenditure_total),
                     "divisions", parts_json(c, s->divisions, s->ndivisions, true), "cofog_total",
                     amount_json(s->cofog_total), "excluded", parts_json(c, s->excluded, s->nexcluded, false),
                     "excluded_total", amount_json(s->excluded_total), "unmapped",
                     parts_json(c, s->unmapped, s->nunmapped, false), "unmapped_total",
                     amount_json(s->unmapped_total), "links", "self", self, "page", page, "csv", csv, "source",
                     source);
}

void h_api_cofog(js_req *r)
{
    static const char *const allowed[] = {NULL};
    if (!api_query_ok(r, allowed))
        return;
    cofog_view c;
    char msg[1200]; /* a text and a diagnostic */
    unsigned status = cofog_load(r, &c, msg, sizeof msg);
    if (status != 200) {
        api_fail(r, status, msg);
        return;
    }
    api_send_json(r, cofog_json(&c), API_CACHE_LIST);
    js_cofog_spending_release(&c.s);
}

/* ---- the page and its downloads ---- */

static bool page_load(js_req *r, cofog_view *c)
{
    char msg[1200]; /* a text and a diagnostic */
    unsigned status = cofog_load(r, c, msg, sizeof msg);
    if (status == 200)
        return true;
    page_fail(r, status, msg);
    return false;
}

/* The rows of a list apart (excluded or unmapped) and its total, or the
 * sentence saying there are none. */
static void parts_table(js_buf *b, js_req *r, const js_cofog_part *p, size_t n, js_fen total, text_id none)
{
    if (!n) {
        tx(b, TXT(r), none);
        return;
    }
    tx(b, TXT(r), T_COFOG_PART_TABLE);
    for (size_t i = 0; i < n; i++) {
        char w[40];
        js_money_format_wan(p[i].amount, true, w, sizeof w);
        tx(b, TXT(r), T_COFOG_PART_ROW, p[i].code, p[i].code[0] ? p[i].name : tx_str(TXT(r), T_COFOG_NO_CODE), w);
    }
    char w[40];
    js_money_format_wan(total, true, w, sizeof w);
    tx(b, TXT(r), T_COFOG_PART_TOTAL, w);
    tx(b, TXT(r), T_BROWSE_TABLE_END);
}

void h_cofog(js_req *r)
{
    cofog_view c;
    if (!page_load(r, &c))
        return;
    const js_cofog_spending *s = &c.s;
    js_buf b;
    js_buf_init(&b, 1 << 22);
    tx(&b, TXT(r), T_COFOG_HEAD, c.year, s->departments);
    if (s->ndivisions) {
        tx(&b, TXT(r), T_COFOG_TABLE);
        for (size_t i = 0; i < s->ndivisions; i++) {
            const js_cofog_part *p = &s->divisions[i];
            char w[40], share[64];
            js_money_format_wan(p->amount, true, w, sizeof w);
            share_text(&c, p->amount, share);
            tx(&b, TXT(r), T_COFOG_ROW, p->code, name_of(p), p->name, w, share, share[0] ? "%" : "");
        }
        char w[40], share[64];
        js_money_format_wan(s->cofog_total, true, w, sizeof w);
        share_text(&c, s->cofog_total, share);
        tx(&b, TXT(r), T_COFOG_TOTAL_ROW, w, share, share[0] ? "%" : "");
        tx(&b, TXT(r), T_BROWSE_TABLE_END);
    } else
        tx(&b, TXT(r), T_COFOG_NO_DIVISION);
    tx(&b, TXT(r), T_COFOG_EXCLUDED_HEAD);
    parts_table(&b, r, s->excluded, s->nexcluded, s->excluded_total, T_COFOG_EXCLUDED_NONE);
    tx(&b, TXT(r), T_COFOG_UNMAPPED_HEAD);
    parts_table(&b, r, s->unmapped, s->nunmapped, s->unmapped_total, T_COFOG_UNMAPPED_NONE);
    char total[40], cofog[40], excluded[40], unmapped[40];
    js_money_format_wan(s->expenditure_total, true, total, sizeof total);
    js_money_format_wan(s->cofog_total, true, cofog, sizeof cofog);
    js_money_format_wan(s->excluded_total, true, excluded, sizeof excluded);
    js_money_format_wan(s->unmapped_total, true, unmapped, sizeof unmapped);
    tx(&b, TXT(r), T_COFOG_RECONCILE, total, cofog, excluded, unmapped);
    tx(&b, TXT(r), T_COFOG_FOOT, c.year);
    r->cacheable = true;
    char title[160];
    tx_msg(title, sizeof title, TXT(r), T_COFOG_TITLE, c.year);
    page_send(r, title, &b);
    js_buf_release(&b);
    js_cofog_spending_release(&c.s);
}

/* One CSV line of a part: part, code, names, amounts, share, lines. */
static void csv_part(js_buf *csv, const cofog_view *c, const char *part, const char *code, const char *name,
                     const char *name_en, js_fen v, bool share, size_t lines)
{
    char w[40], y[40], pct[64] = "", n[24] = "";
    bwan_text(v, w);
    byuan_text(v, y);
    if (share)
        share_text(c, v, pct);
    if (lines)
        snprintf(n, sizeof n, "%zu", lines);
    const char *f[] = {part, code, name, name_en, w, y, pct, n};
    bcsv_line(csv, 8, f);
}

/* The CSV lines of a list of parts outside the divisions (no share), then
 * its total. */
static void csv_parts(js_buf *csv, const cofog_view *c, const char *part, const char *total_part,
                      const js_cofog_part *p, size_t n, js_fen total)
{
    for (size_t i = 0; i < n; i++)
        csv_part(csv, c, part, p[i].code, p[i].name, "", p[i].amount, false, p[i].lines);
    csv_part(csv, c, total_part, "", "", "", total, false, 0);
}

void h_cofog_csv(js_req *r)
{
    cofog_view c;
    if (!page_load(r, &c))
        return;
    const js_cofog_spending *s = &c.s;
    js_buf csv;
    js_buf_init(&csv, 1 << 22);
    static const char *const head[] = {"part", "code", "name", "name_en", "amount_wan", "amount_yuan",
                                       "share_percent", "lines"};
    bcsv_line(&csv, 8, head);
    for (size_t i = 0; i < s->ndivisions; i++)
        csv_part(&csv, &c, "division", s->divisions[i].code, name_of(&s->divisions[i]), s->divisions[i].name,
                 s->divisions[i].amount, true, s->divisions[i].lines);
    csv_part(&csv, &c, "cofog_total", "", "", "", s->cofog_total, true, 0);
    csv_parts(&csv, &c, "excluded", "excluded_total", s->excluded, s->nexcluded, s->excluded_total);
    csv_parts(&csv, &c, "unmapped", "unmapped_total", s->unmapped, s->nunmapped, s->unmapped_total);
    csv_part(&csv, &c, "expenditure_total", "", "", "", s->expenditure_total, false, 0);
    char name[48];
    snprintf(name, sizeof name, "cofog-%d.csv", c.year);
    bsend_csv(r, &csv, name);
    js_buf_release(&csv);
    js_cofog_spending_release(&c.s);
}

void h_cofog_json(js_req *r)
{
    cofog_view c;
    if (!page_load(r, &c))
        return;
    char name[48];
    snprintf(name, sizeof name, "cofog-%d.json", c.year);
    bsend_json(r, cofog_json(&c), name);
    js_cofog_spending_release(&c.s);
}
