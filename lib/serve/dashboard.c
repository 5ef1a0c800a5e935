/* The region dashboard (公开情况) of a year, one per phase (the 决算, and
 * the 预算 with ?phase=budget; the page shows both): for every department,
 * its current published version's approval (a budget: 批复) and
 * publication dates and its lateness against the phase's statutory
 * period (phase.h; a budget without its 批复 date: unknown), its audit's counts
 * (errors, 核实, 提示) and its score (score.json, kept at publication);
 * a department with nothing published is listed as such, never as zeros.
 * Sorted on the server by the query's sort and order (links in the
 * column heads: no script), in four forms: the page /status/:year/, its
 * downloads status.csv (with a BOM, for Excel) and status.json (every
 * department), and the read API's /api/v1/years/:year/status (the same
 * JSON, filtered by state and in pages like the API's other lists). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "jsonout.h"
#include "phase.h"
#include "score_portal.h"

typedef enum { ROW_PUBLISHED, ROW_WITHDRAWN, ROW_NONE } row_state;
static const char *const state_names[] = {"published", "withdrawn", "unpublished"}; /* the API's */

typedef struct {
    const js_store_dept *dept;
    size_t place; /* in the store's department order */
    row_state state;
    const js_store_version *v; /* the current one; the withdrawn one; NULL */
    int period;                /* the phase's statutory period, days */
    bool known;                /* the period's start is given (published) */
    char approved[16];         /* its start, YYYY-MM-DD */
    long long days;            /* from approval to publication (known) */
    bool scored;
    int earned, decided, total;
    char percent[16]; /* "" when nothing could be decided */
    int by;           /* the dashboard's sort key and order, for compare_rows */
    bool desc;
} row;

/* The sort keys (query parameter sort), the first the default. */
enum { BY_DEPARTMENT, BY_PUBLISHED, BY_DAYS, BY_ERRORS, BY_VERIFY, BY_SCORE, BY_COUNT };
static const char *const sort_names[BY_COUNT] = {"department", "published", "days", "errors", "verify", "score"};

typedef struct {
    int year;
    js_phase phase;
    js_store_dept *depts;
    size_t nd;
    js_store_version *pub, *wd;
    size_t npub, nwd;
    row *rows;
    size_t n;
    int sort;
    bool desc;
} dashboard;

static void dashboard_free(dashboard *db)
{
    js_store_version_list_free(db->pub, db->npub);
    js_store_version_list_free(db->wd, db->nwd);
    js_store_dept_list_free(db->depts, db->nd);
    free(db->rows);
}

/* The newest version of dept and phase among v (NULL when none). */
static const js_store_version *newest(const js_store_version *v, size_t n, int64_t dept, js_phase ph)
{
    const js_store_version *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i].dept_id == dept && v[i].phase == ph && (!best || v[i].number > best->number))
            best = &v[i];
    return best;
}

/* Orders two rows by the dashboard's key; a row without a value for it
 * (nothing published, no score) comes last in either order; ties keep
 * the store's order. */
static int compare_rows(const void *a, const void *b)
{
    const row *x = a, *y = b;
    bool hx = x->state == ROW_PUBLISHED && (x->by != BY_SCORE || x->decided) && (x->by != BY_DAYS || x->known);
    bool hy = y->state == ROW_PUBLISHED && (y->by != BY_SCORE || y->decided) && (y->by != BY_DAYS || y->known);
    int c = 0;
    if (x->by != BY_DEPARTMENT && hx != hy)
        return hx ? -1 : 1;
    if (x->by != BY_DEPARTMENT && hx) {
        switch (x->by) {
        case BY_PUBLISHED:
            c = (x->v->published_at > y->v->published_at) - (x->v->published_at < y->v->published_at);
            break;
        case BY_DAYS: c = (x->days > y->days) - (x->days < y->days); break;
        case BY_ERRORS: c = (x->v->errors > y->v->errors) - (x->v->errors < y->v->errors); break;
        case BY_VERIFY: c = (x->v->verifies > y->v->verifies) - (x->v->verifies < y->v->verifies); break;
        default: { /* earned / decided, exactly */
            long long l = (long long)x->earned * y->decided, r = (long long)y->earned * x->decided;
            c = (l > r) - (l < r);
        }
        }
    }
    if (x->desc)
        c = -c;
    if (!c)
        c = (x->place > y->place) - (x->place < y->place);
    return c;
}

/* Reads the query's sort, order and phase into db; false when one is not
 * one of its values. */
static bool sort_parse(js_req *r, dashboard *db)
{
    const char *s = api_query(r, "sort"), *o = api_query(r, "order"), *p = api_query(r, "phase");
    int ph = p ? js_phase_parse(p) : JS_PHASE_FINAL;
    if (ph < 0)
        return false;
    db->phase = (js_phase)ph;
    db->sort = s ? -1 : BY_DEPARTMENT;
    for (int k = 0; s && k < BY_COUNT; k++)
        if (!strcmp(s, sort_names[k]))
            db->sort = k;
    db->desc = o && !strcmp(o, "desc");
    return db->sort >= 0 && (!o || db->desc || !strcmp(o, "asc"));
}

/* Loads the dashboard of the address's year. A store result code;
 * JS_STORE_NOT_FOUND when nothing of the year is public. */
static int dashboard_load(js_req *r, dashboard *db)
{
    js_diag d = {0};
    db->year = atoi(r->param[0]);
    int rc = js_store_dept_list(r->store, &db->depts, &db->nd, &d);
    if (rc == JS_OK)
        rc = js_store_version_list_state(r->store, JS_V_PUBLISHED, db->year, &db->pub, &db->npub, &d);
    if (rc == JS_OK)
        rc = js_store_version_list_state(r->store, JS_V_WITHDRAWN, db->year, &db->wd, &db->nwd, &d);
    bool any = false; /* of the phase */
    for (size_t i = 0; i < db->npub; i++)
        any |= db->pub[i].phase == db->phase;
    for (size_t i = 0; i < db->nwd; i++)
        any |= db->wd[i].phase == db->phase;
    if (rc == JS_OK && !any)
        rc = JS_STORE_NOT_FOUND;
    if (rc == JS_OK && !(db->rows = calloc(db->nd ? db->nd : 1, sizeof *db->rows)))
        rc = JS_E_NOMEM;
    for (size_t k = 0; rc == JS_OK && k < db->nd; k++) {
        row *w = &db->rows[db->n++];
        w->dept = &db->depts[k];
        w->place = k;
        w->by = db->sort;
        w->desc = db->desc;
        w->v = newest(db->pub, db->npub, w->dept->id, db->phase);
        w->state = w->v ? ROW_PUBLISHED
                        : (w->v = newest(db->wd, db->nwd, w->dept->id, db->phase)) ? ROW_WITHDRAWN : ROW_NONE;
        js_store_version none = {.phase = db->phase};
        ptime t;
        phase_timeliness(r->srv, w->state == ROW_PUBLISHED ? w->v : &none, w->dept, &t);
        w->period = t.period;
        if (w->state != ROW_PUBLISHED)
            continue;
        w->known = t.known;
        w->days = t.days;
        snprintf(w->approved, sizeof w->approved, "%s", t.start);
        json_t *score = db->phase == JS_PHASE_FINAL ? version_score(r, w->v->id) : NULL;
        if (score) {
            const char *percent;
            score_totals(score, &w->earned, &w->decided, &w->total, &percent);
            snprintf(w->percent, sizeof w->percent, "%s", percent ? percent : "");
            w->scored = true;
            json_decref(score);
        }
    }
    if (rc == JS_OK)
        qsort(db->rows, db->n, sizeof *db->rows, compare_rows);
    return rc;
}

/* ---- as JSON (status.json and the API) ---- */

static json_t *row_json(const js_text *t, const row *w, int year)
{
    static const text_id labels[] = {T_DASH_STATE_PUBLISHED, T_DASH_STATE_WITHDRAWN, T_DASH_STATE_NONE};
    bool pub = w->state == ROW_PUBLISHED;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "code", w->dept->code, "name", w->dept->name, "state",
                          state_names[w->state], "state_label", tx_str(t, labels[w->state]));
    json_object_set_new(o, "number", w->v ? json_integer(w->v->number) : json_null());
    char published[16];
    if (pub)
        date_text(w->v->published_at, published);
    bool known = pub && w->known;
    json_object_set_new(o, "approved_on", known ? json_string(w->approved) : json_null());
    json_object_set_new(o, "published_on", pub ? json_string(published) : json_null());
    json_object_set_new(o, "publication_days", json_integer(w->period));
    json_object_set_new(o, "days_after_approval", known ? json_integer(w->days) : json_null());
    json_object_set_new(o, "on_time", known ? json_boolean(w->days <= w->period) : json_null());
    json_object_set_new(o, "days_late", known ? json_integer(w->days > w->period ? w->days - w->period : 0)
                                              : json_null());
    json_object_set_new(o, "audit", pub ? json_pack("{s:i,s:i,s:i}", "errors", w->v->errors, "verify",
                                                    w->v->verifies, "info", w->v->infos)
                                        : json_null());
    json_object_set_new(o, "score", w->scored ? json_pack("{s:i,s:i,s:i,s:o}", "earned", w->earned, "decided",
                                                          w->decided, "total", w->total, "percent",
                                                          *w->percent ? json_string(w->percent) : json_null())
                                              : json_null());
    char page[200], api[200], score[220];
    if (pub) {
        snprintf(page, sizeof page, "/%d/%s/v%d/", year, w->dept->code, w->v->number);
        snprintf(api, sizeof api, "/api/v1/versions/%d/%s/v%d", year, w->dept->code, w->v->number);
        snprintf(score, sizeof score, "%s/score", api);
    }
    json_object_set_new(o, "links", json_pack("{s:o,s:o,s:o}", "page", pub ? json_string(page) : json_null(),
                                              "version", pub ? json_string(api) : json_null(), "score",
                                              w->scored ? json_string(score) : json_null()));
    return o;
}

typedef struct {
    size_t published, on_time, late, unknown, withdrawn, unpublished;
} tally;

static tally count(const dashboard *db)
{
    tally t = {0};
    for (size_t i = 0; i < db->n; i++) {
        const row *w = &db->rows[i];
        if (w->state == ROW_PUBLISHED) {
            t.published++;
            *(!w->known ? &t.unknown : w->days <= w->period ? &t.on_time : &t.late) += 1;
        } else
            *(w->state == ROW_WITHDRAWN ? &t.withdrawn : &t.unpublished) += 1;
    }
    return t;
}

/* The dashboard as JSON: every row, or (p not NULL: the API) the rows of
 * state (NULL: any) in p's page, with the page's links. The summary counts
 * every department either way. */
static json_t *dashboard_json(const js_req *r, const dashboard *db, const api_page *p, const char *state)
{
    json_t *rows = json_array();
    size_t total = 0;
    for (size_t i = 0; i < db->n; i++) {
        if (state && strcmp(state, state_names[db->rows[i].state]))
            continue;
        if (!p || api_page_holds(p, total))
            json_array_append_new(rows, row_json(TXT(r), &db->rows[i], db->year));
        total++;
    }
    tally t = count(db);
    char self[96], page[64], csv[96];
    const char *q = db->phase == JS_PHASE_BUDGET ? "?phase=budget" : "";
    snprintf(self, sizeof self, "/api/v1/years/%d/status%s", db->year, q);
    snprintf(page, sizeof page, "/status/%d/%s", db->year, db->phase == JS_PHASE_BUDGET ? "#budget" : "");
    snprintf(csv, sizeof csv, "/status/%d/status.csv%s", db->year, q);
    json_t *root =
        json_pack("{s:i,s:s,s:s,s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:{s:s,s:s,s:s}}", "year", db->year,
                  "phase", js_phase_id(db->phase), "sort", sort_names[db->sort], "order", db->desc ? "desc" : "asc",
                  "summary", "departments", (json_int_t)db->n, "published", (json_int_t)t.published, "on_time",
                  (json_int_t)t.on_time, "late", (json_int_t)t.late, "unknown", (json_int_t)t.unknown, "withdrawn",
                  (json_int_t)t.withdrawn, "unpublished", (json_int_t)t.unpublished, "departments", rows, "links",
                  "self", self, "page", page, "csv", csv);
    static const char *const keep[] = {"sort", "order", "state", "phase", NULL};
    if (p)
        json_object_set_new(root, "page", api_page_json(r, p, total, keep));
    return root;
}

void h_api_status(js_req *r)
{
    static const char *const allowed[] = {"sort", "order", "state", "phase", "limit", "offset", NULL};
    dashboard db = {0};
    api_page p;
    char msg[300];
    if (!api_query_ok(r, allowed) || !api_page_parse(r, &p))
        return;
    const char *state = api_query(r, "state");
    bool state_ok = !state;
    for (size_t k = 0; state && k < sizeof state_names / sizeof state_names[0]; k++)
        state_ok |= !strcmp(state, state_names[k]);
    if (!state_ok || !sort_parse(r, &db)) {
        api_fail(r, 400, tx_msg(msg, sizeof msg, TXT(r), state_ok ? T_DASH_BAD_SORT : T_DASH_BAD_STATE));
        return;
    }
    int rc = dashboard_load(r, &db);
    if (rc == JS_OK)
        api_send_json(r, dashboard_json(r, &db, &p, state), API_CACHE_LIST);
    else
        api_fail(r, rc == JS_STORE_NOT_FOUND ? 404 : 500,
                 tx_msg(msg, sizeof msg, TXT(r), rc == JS_STORE_NOT_FOUND ? T_DASH_NONE : T_DASH_UNREADABLE, db.year));
    dashboard_free(&db);
}

/* ---- the page and its downloads ---- */

/* Loads the dashboard for a page or a download; on failure an error page
 * is sent and false returned. */
static bool page_load(js_req *r, dashboard *db)
{
    memset(db, 0, sizeof *db);
    if (!sort_parse(r, db)) {
        page_fail_text(r, 400, T_DASH_BAD_SORT);
        return false;
    }
    int rc = dashboard_load(r, db);
    if (rc == JS_OK)
        return true;
    char msg[300];
    page_fail(r, rc == JS_STORE_NOT_FOUND ? 404 : 500,
              tx_msg(msg, sizeof msg, TXT(r), rc == JS_STORE_NOT_FOUND ? T_DASH_NONE : T_DASH_UNREADABLE, db->year));
    dashboard_free(db);
    return false;
}

/* A column head: a link sorting by key (the other order when it is the
 * current key), with the current order marked. */
static void column(js_buf *b, const js_req *r, const dashboard *db, int key, text_id label)
{
    bool current = db->sort == key;
    char href[64];
    snprintf(href, sizeof href, "?sort=%s&order=%s", sort_names[key], current && !db->desc ? "desc" : "asc");
    tx(b, TXT(r), T_DASH_COLUMN, href, tx_str(TXT(r), label),
       current ? tx_str(TXT(r), db->desc ? T_DASH_DESC : T_DASH_ASC) : "");
}

/* A row of a department with nothing published (text id: its row's
 * text); false, writing nothing, for a published one. */
static bool unpublished_row(js_buf *b, const js_req *r, const row *w, text_id id)
{
    if (w->state == ROW_PUBLISHED)
        return false;
    tx(b, TXT(r), id, w->dept->name,
       tx_str(TXT(r), w->state == ROW_WITHDRAWN ? T_DASH_STATE_WITHDRAWN : T_DASH_STATE_NONE));
    return true;
}

/* The 预算's table of the page (phase.h): publication, and the days after
 * its 批复 when the workbook gives the date. */
static void budget_section(js_buf *b, const js_req *r, const dashboard *db)
{
    tally t = count(db);
    tx(b, TXT(r), T_PHASE_DASH_HEAD, db->year, db->n, t.published, t.on_time, t.late, t.unknown, t.unpublished);
    for (size_t i = 0; i < db->n; i++) {
        const row *w = &db->rows[i];
        if (unpublished_row(b, r, w, T_PHASE_DASH_NONE_ROW))
            continue;
        char published[16];
        date_text(w->v->published_at, published);
        js_buf timing;
        js_buf_init(&timing, 1024);
        if (w->known)
            tx(&timing, TXT(r), T_PHASE_DASH_TIMING, w->approved, w->days, w->period,
               tx_str(TXT(r), w->days > w->period ? T_DASH_LATE : T_DASH_ON_TIME));
        else
            js_buf_puts(&timing, tx_str(TXT(r), T_PHASE_YEAR_UNKNOWN));
        tx(b, TXT(r), T_PHASE_DASH_ROW, db->year, w->dept->code, w->v->number, w->dept->name, published,
           timing.data ? timing.data : "", w->v->errors, w->v->verifies);
        js_buf_release(&timing);
    }
    tx(b, TXT(r), T_PHASE_DASH_FOOT);
}

/* The 决算's table of the page, sorted by the query. */
static void final_section(js_buf *b, const js_req *r, const dashboard *db)
{
    tally t = count(db);
    char qs[64] = ""; /* the downloads in the page's order */
    if (db->sort != BY_DEPARTMENT || db->desc)
        snprintf(qs, sizeof qs, "?sort=%s&order=%s", sort_names[db->sort], db->desc ? "desc" : "asc");
    tx(b, TXT(r), T_DASH_HEAD, db->year, db->n, t.published, t.on_time, t.late, t.withdrawn, t.unpublished, qs);
    static const text_id heads[BY_COUNT] = {T_DASH_COL_DEPT,   T_DASH_COL_PUBLISHED, T_DASH_COL_DAYS,
                                            T_DASH_COL_ERRORS, T_DASH_COL_VERIFY,    T_DASH_COL_SCORE};
    tx(b, TXT(r), T_DASH_TABLE_HEAD);
    for (int k = 0; k < BY_COUNT; k++)
        column(b, r, db, k, heads[k]);
    tx(b, TXT(r), T_DASH_TABLE_BODY);
    for (size_t i = 0; i < db->n; i++) {
        const row *w = &db->rows[i];
        if (unpublished_row(b, r, w, T_DASH_ROW_NONE))
            continue;
        char published[16], score[96];
        date_text(w->v->published_at, published);
        if (w->scored && *w->percent)
            tx_msg(score, sizeof score, TXT(r), T_DASH_SCORE, w->earned, w->decided, w->percent);
        else
            snprintf(score, sizeof score, "%s", tx_str(TXT(r), w->scored ? T_DASH_SCORE_UNDECIDED : T_DASH_NO_SCORE));
        bool late = w->days > w->period;
        tx(b, TXT(r), T_DASH_ROW, db->year, w->dept->code, w->v->number, w->dept->name, published, w->approved,
           w->days, w->period, tx_str(TXT(r), late ? T_DASH_LATE : T_DASH_ON_TIME), w->v->errors, w->v->verifies,
           score);
    }
    tx(b, TXT(r), T_DASH_FOOT);
}

void h_status(js_req *r)
{
    dashboard db = {0}, bd = {.phase = JS_PHASE_BUDGET, .sort = BY_DEPARTMENT};
    if (!sort_parse(r, &db)) {
        page_fail_text(r, 400, T_DASH_BAD_SORT);
        return;
    }
    db.phase = JS_PHASE_FINAL; /* the page: the 决算 sorted by the query, then the 预算 */
    int rc = dashboard_load(r, &db), brc = dashboard_load(r, &bd);
    if (rc != JS_OK && brc != JS_OK) {
        char msg[300];
        int worst = rc != JS_STORE_NOT_FOUND ? rc : brc;
        page_fail(r, worst == JS_STORE_NOT_FOUND ? 404 : 500,
                  tx_msg(msg, sizeof msg, TXT(r), worst == JS_STORE_NOT_FOUND ? T_DASH_NONE : T_DASH_UNREADABLE,
                         db.year));
    } else {
        js_buf b;
        js_buf_init(&b, 1 << 24);
        if (rc == JS_OK)
            final_section(&b, r, &db);
        if (brc == JS_OK)
            budget_section(&b, r, &bd);
        r->cacheable = true; /* kept only without a query string (http.c) */
        char title[128];
        tx_msg(title, sizeof title, TXT(r), T_DASH_TITLE, db.year);
        page_send(r, title, &b);
        js_buf_release(&b);
    }
    dashboard_free(&db);
    dashboard_free(&bd);
}

/* The body made (made: whole) as the download status-<year>.<ext>. */
static void download(js_req *r, bool made, int year, const char *ext)
{
    if (!made) {
        page_fail_text(r, 500, T_FAIL_STORE);
        return;
    }
    r->status = 200;
    r->ctype = strstr(ext, "csv") ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
    r->cacheable = true; /* kept only without a query string (http.c) */
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"status-%d.%s\"", year, ext);
}

void h_status_json(js_req *r)
{
    dashboard db;
    if (!page_load(r, &db))
        return;
    js_buf_reset(&r->body);
    download(r, js_json_out(dashboard_json(r, &db, NULL, NULL), &r->body) == JS_OK, db.year,
             db.phase == JS_PHASE_BUDGET ? "budget.json" : "json");
    dashboard_free(&db);
}

/* A CSV cell of a number, or empty when absent. */
static void csv_num(js_buf *b, bool present, long long v)
{
    if (present)
        js_buf_printf(b, "%lld", v);
    js_buf_putc(b, ',');
}

void h_status_csv(js_req *r)
{
    dashboard db;
    if (!page_load(r, &db))
        return;
    js_buf *b = &r->body;
    js_buf_reset(b);
    js_buf_puts(b, "\xef\xbb\xbf");
    js_buf_puts(b, tx_str(TXT(r), T_DASH_CSV_HEADER));
    js_buf_puts(b, "\r\n");
    static const text_id labels[] = {T_DASH_STATE_PUBLISHED, T_DASH_STATE_WITHDRAWN, T_DASH_STATE_NONE};
    for (size_t i = 0; i < db.n; i++) {
        const row *w = &db.rows[i];
        bool pub = w->state == ROW_PUBLISHED;
        js_buf_csv_field(b, w->dept->code);
        js_buf_putc(b, ',');
        js_buf_csv_field(b, w->dept->name);
        js_buf_putc(b, ',');
        js_buf_csv_field(b, tx_str(TXT(r), labels[w->state]));
        js_buf_putc(b, ',');
        csv_num(b, w->v != NULL, w->v ? w->v->number : 0);
        char published[16] = "";
        bool known = pub && w->known;
        if (pub)
            date_text(w->v->published_at, published);
        js_buf_printf(b, "%s,%s,", known ? w->approved : "", published);
        csv_num(b, known, w->days);
        csv_num(b, true, w->period);
        if (known)
            js_buf_csv_field(b, tx_str(TXT(r), w->days > w->period ? T_DASH_CSV_LATE : T_DASH_CSV_ON_TIME));
        js_buf_putc(b, ',');
        csv_num(b, known, w->days > w->period ? w->days - w->period : 0);
        csv_num(b, pub, pub ? w->v->errors : 0);
        csv_num(b, pub, pub ? w->v->verifies : 0);
        csv_num(b, pub, pub ? w->v->infos : 0);
        csv_num(b, w->scored, w->earned);
        csv_num(b, w->scored, w->decided);
        csv_num(b, w->scored, w->total);
        js_buf_printf(b, "%s\r\n", w->percent);
    }
    download(r, js_buf_ok(b), db.year, db.phase == JS_PHASE_BUDGET ? "budget.csv" : "csv");
    dashboard_free(&db);
}
