/* The read API's catalogue: the region, its years, its departments and
 * their published versions, as lists with pagination and filters. Only
 * what anonymous visitors may see: published versions, those a
 * correction replaced (已更正), and withdrawn ones (state and reason, no
 * content). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "phase.h"

static bool is_listed(js_vstate st)
{
    return st == JS_V_PUBLISHED || st == JS_V_CORRECTED || st == JS_V_WITHDRAWN;
}

static bool is_public(js_vstate st) { return st == JS_V_PUBLISHED || st == JS_V_CORRECTED; }

/* ---- one version as JSON (also api_version.c) ---- */

static const char *state_key(js_vstate st)
{
    return st == JS_V_PUBLISHED ? "published" : st == JS_V_CORRECTED ? "corrected" : "withdrawn";
}

static json_t *number_of(int64_t id, const js_store_version *const *peers, size_t n)
{
    for (size_t i = 0; id && i < n; i++)
        if (peers[i]->id == id)
            return json_integer(peers[i]->number);
    return json_null();
}

json_t *api_version_json(js_req *r, const js_store_dept *dept, const js_store_version *v,
                         const js_store_version *const *peers, size_t npeers)
{
    char base[200], page[200], pub[32], appr[32];
    snprintf(base, sizeof base, "/api/v1/versions/%d/%s/v%d", v->year, dept->code, v->number);
    snprintf(page, sizeof page, "/%d/%s/v%d/", v->year, dept->code, v->number);
    api_time(v->published_at, pub);
    api_time(v->reviewed_at, appr);
    ptime t; /* the phase's period: a budget's from its 批复 date, when given */
    phase_timeliness(r->srv, v, dept, &t);
    json_t *links = json_pack("{s:s}", "self", base);
    if (is_public(v->state)) {
        static const char *const parts[] = {"tables", "findings", "long.csv", "score"};
        for (size_t i = 0; i < (v->phase == JS_PHASE_FINAL ? 4u : 3u); i++) { /* a budget is not scored */
            char link[240];
            snprintf(link, sizeof link, "%s/%s", base, parts[i]);
            json_object_set_new(links, i == 2 ? "long" : parts[i], json_string(link));
        }
    }
    json_object_set_new(links, "page", json_string(page));
    return json_pack("{s:i,s:{s:s,s:s},s:i,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "year", v->year, "department", "code", dept->code, "name", dept->name, "number", v->number,
                     "phase", js_phase_id(v->phase), "phase_label", phase_label(r, v->phase),
                     "state", state_key(v->state), "state_label", js_vstate_name(v->state),
                     "current", v->state == JS_V_PUBLISHED, "approved_at", appr, "period_start",
                     t.known ? json_string(t.start) : json_null(), "published_at", pub,
                     "publication_days", t.period, "days_after_approval",
                     t.known ? json_integer(t.days) : json_null(), "on_time",
                     t.known ? json_boolean(t.on_time) : json_null(),
                     "corrects", number_of(v->corrects, peers, npeers), "corrected_by",
                     number_of(v->corrected_by, peers, npeers), "reason", api_str(v->reason), "links", links);
}

/* ---- the catalogue of a year (0: every year) ---- */

typedef struct {
    js_store_dept *depts;
    size_t nd;
    js_store_version *v[3];
    size_t n[3];
    const js_store_version **all; /* every listed version: year ↓, department (store order), number ↓ */
    size_t nall;
} catalog;

static const js_store_dept *dept_of(const catalog *c, int64_t id)
{
    for (size_t i = 0; i < c->nd; i++)
        if (c->depts[i].id == id)
            return &c->depts[i];
    return NULL;
}

static int by_place(const void *a, const void *b)
{
    const js_store_version *x = *(const js_store_version *const *)a, *y = *(const js_store_version *const *)b;
    if (x->year != y->year)
        return y->year - x->year;
    if (x->dept_id != y->dept_id)
        return x->dept_id < y->dept_id ? -1 : 1;
    return y->number - x->number;
}

static void catalog_free(catalog *c)
{
    for (int i = 0; i < 3; i++)
        js_store_version_list_free(c->v[i], c->n[i]);
    js_store_dept_list_free(c->depts, c->nd);
    free(c->all);
}

/* Reads the catalogue; sends 500 and returns false when the store fails. */
static bool catalog_load(js_req *r, int year, catalog *c)
{
    static const js_vstate states[3] = {JS_V_PUBLISHED, JS_V_CORRECTED, JS_V_WITHDRAWN};
    memset(c, 0, sizeof *c);
    js_diag d = {0};
    bool okay = js_store_dept_list(r->store, &c->depts, &c->nd, &d) == JS_OK;
    for (int i = 0; i < 3 && okay; i++)
        okay = js_store_version_list_state(r->store, states[i], year, &c->v[i], &c->n[i], &d) == JS_OK;
    size_t total = c->n[0] + c->n[1] + c->n[2];
    okay = okay && (c->all = malloc((total ? total : 1) * sizeof *c->all));
    for (int i = 0; i < 3 && okay; i++)
        for (size_t k = 0; k < c->n[i]; k++)
            if (dept_of(c, c->v[i][k].dept_id))
                c->all[c->nall++] = &c->v[i][k];
    if (!okay) {
        catalog_free(c);
        api_fail_text(r, 500, T_API_CATALOG_UNREADABLE);
        return false;
    }
    qsort(c->all, c->nall, sizeof *c->all, by_place);
    return true;
}

/* The versions of the same department-year as all[i] (adjacent after the
 * sort): [*first, *end). */
static void peers_of(const catalog *c, size_t i, size_t *first, size_t *end)
{
    size_t a = i, b = i + 1;
    while (a > 0 && c->all[a - 1]->dept_id == c->all[i]->dept_id && c->all[a - 1]->year == c->all[i]->year)
        a--;
    while (b < c->nall && c->all[b]->dept_id == c->all[i]->dept_id && c->all[b]->year == c->all[i]->year)
        b++;
    *first = a;
    *end = b;
}

/* The year of an optional `year` parameter: 0 when absent; false (400
 * sent) when it is not a year. */
static bool year_filter(js_req *r, int *year)
{
    const char *y = api_query(r, "year");
    *year = 0;
    if (!y)
        return true;
    if (strlen(y) != 4 || strspn(y, "0123456789") != 4) {
        api_fail_text(r, 400, T_API_BAD_YEAR);
        return false;
    }
    *year = atoi(y);
    return true;
}

static json_t *years_of(const catalog *c, int64_t dept_id)
{
    json_t *a = json_array();
    int last = 0;
    for (size_t i = 0; i < c->nall; i++)
        if ((!dept_id || c->all[i]->dept_id == dept_id) && is_public(c->all[i]->state) && c->all[i]->year != last)
            json_array_append_new(a, json_integer(last = c->all[i]->year));
    return a;
}

void h_api_regions(js_req *r)
{
    static const char *const allowed[] = {"limit", "offset", NULL};
    api_page p;
    catalog c;
    if (!api_query_ok(r, allowed) || !api_page_parse(r, &p) || !catalog_load(r, 0, &c))
        return;
    json_t *data = json_array(); /* a portal publishes for one region: a list of one */
    if (api_page_holds(&p, 0))
        json_array_append_new(data, json_pack("{s:s,s:o,s:o,s:{s:s,s:s}}", "code", "local", "name",
                                              api_str(r->srv->region), "years", years_of(&c, 0), "links", "years",
                                              "/api/v1/years", "departments", "/api/v1/departments"));
    catalog_free(&c);
    api_send_json(r, json_pack("{s:o,s:o}", "data", data, "page", api_page_json(r, &p, 1, NULL)), API_CACHE_LIST);
}

void h_api_years(js_req *r)
{
    static const char *const allowed[] = {"limit", "offset", NULL};
    api_page p;
    catalog c;
    if (!api_query_ok(r, allowed) || !api_page_parse(r, &p) || !catalog_load(r, 0, &c))
        return;
    json_t *data = json_array(), *years = years_of(&c, 0);
    size_t i;
    json_t *y;
    json_array_foreach(years, i, y) {
        if (!api_page_holds(&p, i))
            continue;
        int year = (int)json_integer_value(y);
        int count = 0; /* departments with a published version (either phase) */
        for (size_t k = 0; k < c.nall; k++) {
            bool again = false;
            for (size_t j = 0; j < k; j++)
                again |= c.all[j]->year == year && c.all[j]->dept_id == c.all[k]->dept_id &&
                         c.all[j]->state == JS_V_PUBLISHED;
            count += c.all[k]->year == year && c.all[k]->state == JS_V_PUBLISHED && !again;
        }
        char deps[64], vers[64], bundle[64];
        snprintf(deps, sizeof deps, "/api/v1/departments?year=%d", year);
        snprintf(vers, sizeof vers, "/api/v1/versions?year=%d", year);
        snprintf(bundle, sizeof bundle, "/api/v1/years/%d/bundle.zip", year);
        json_array_append_new(data, json_pack("{s:i,s:i,s:{s:s,s:s,s:s}}", "year", year, "departments", count,
                                              "links", "departments", deps, "versions", vers, "bundle", bundle));
    }
    json_t *page = api_page_json(r, &p, json_array_size(years), NULL);
    json_decref(years);
    catalog_free(&c);
    api_send_json(r, json_pack("{s:o,s:o}", "data", data, "page", page), API_CACHE_LIST);
}

/* Whether name holds the `name` filter (any part of the name). */
static bool name_matches(const js_req *r, const char *name)
{
    const char *want = api_query(r, "name");
    return !want || strstr(name, want);
}

void h_api_departments(js_req *r)
{
    static const char *const allowed[] = {"year", "name", "limit", "offset", NULL};
    api_page p;
    int year;
    catalog c;
    if (!api_query_ok(r, allowed) || !api_page_parse(r, &p) || !year_filter(r, &year) ||
        !catalog_load(r, 0, &c))
        return;
    json_t *data = json_array();
    size_t total = 0;
    for (size_t k = 0; k < c.nd; k++) { /* the store's department order */
        const js_store_dept *dept = &c.depts[k];
        json_t *years = years_of(&c, dept->id), *y;
        bool in_year = !year;
        size_t i;
        json_array_foreach(years, i, y) in_year |= json_integer_value(y) == year;
        if (json_array_size(years) && in_year && name_matches(r, dept->name)) {
            if (api_page_holds(&p, total)) {
                char self[120], vers[160];
                snprintf(self, sizeof self, "/api/v1/departments/%s", dept->code);
                snprintf(vers, sizeof vers, "/api/v1/versions?department=%s", dept->code);
                json_array_append_new(data, json_pack("{s:s,s:s,s:s,s:O,s:{s:s,s:s}}", "code", dept->code, "name",
                                                      dept->name, "profile", dept->profile, "years", years, "links",
                                                      "self", self, "versions", vers));
            }
            total++;
        }
        json_decref(years);
    }
    static const char *const keep[] = {"year", "name", NULL};
    json_t *page = api_page_json(r, &p, total, keep);
    catalog_free(&c);
    api_send_json(r, json_pack("{s:o,s:o}", "data", data, "page", page), API_CACHE_LIST);
}

/* Version all[i] of c as JSON. */
static json_t *versions_json(js_req *r, const catalog *c, size_t i)
{
    size_t a, b;
    peers_of(c, i, &a, &b);
    return api_version_json(r, dept_of(c, c->all[i]->dept_id), c->all[i], c->all + a, b - a);
}

void h_api_department(js_req *r)
{
    static const char *const allowed[] = {NULL};
    catalog c;
    if (!api_query_ok(r, allowed) || !catalog_load(r, 0, &c))
        return;
    const js_store_dept *dept = NULL;
    for (size_t k = 0; k < c.nd; k++)
        if (!strcmp(c.depts[k].code, r->param[0]))
            dept = &c.depts[k];
    json_t *years = dept ? years_of(&c, dept->id) : NULL;
    if (!dept || !json_array_size(years)) { /* nothing public: as if there were no such department */
        json_decref(years);
        catalog_free(&c);
        api_fail_text(r, 404, T_API_NO_DEPARTMENT);
        return;
    }
    json_t *versions = json_array();
    for (size_t i = 0; i < c.nall; i++)
        if (c.all[i]->dept_id == dept->id)
            json_array_append_new(versions, versions_json(r, &c, i));
    json_t *root = json_pack("{s:s,s:s,s:s,s:o,s:o}", "code", dept->code, "name", dept->name, "profile",
                             dept->profile, "years", years, "versions", versions);
    catalog_free(&c);
    api_send_json(r, root, API_CACHE_LIST);
}

void h_api_versions(js_req *r)
{
    static const char *const allowed[] = {"year", "department", "name", "state", "phase", "limit", "offset", NULL};
    api_page p;
    int year;
    catalog c;
    const char *code = api_query(r, "department"), *state = api_query(r, "state"), *phase = api_query(r, "phase");
    if (!api_query_ok(r, allowed) || !api_page_parse(r, &p) || !year_filter(r, &year))
        return;
    if (phase && js_phase_parse(phase) < 0) {
        api_fail_text(r, 400, T_PHASE_BAD);
        return;
    }
    if (state && strcmp(state, "published") && strcmp(state, "corrected") && strcmp(state, "withdrawn")) {
        api_fail_text(r, 400, T_API_BAD_STATE);
        return;
    }
    if (!catalog_load(r, year, &c))
        return;
    json_t *data = json_array();
    size_t total = 0;
    for (size_t i = 0; i < c.nall; i++) {
        const js_store_dept *dept = dept_of(&c, c.all[i]->dept_id);
        if ((code && strcmp(code, dept->code)) || !name_matches(r, dept->name) ||
            (state && strcmp(state, state_key(c.all[i]->state))) || !is_listed(c.all[i]->state) ||
            (phase && js_phase_parse(phase) != (int)c.all[i]->phase))
            continue;
        if (api_page_holds(&p, total))
            json_array_append_new(data, versions_json(r, &c, i));
        total++;
    }
    static const char *const keep[] = {"year", "department", "name", "state", "phase", NULL};
    json_t *page = api_page_json(r, &p, total, keep);
    catalog_free(&c);
    api_send_json(r, json_pack("{s:o,s:o}", "data", data, "page", page), API_CACHE_LIST);
}
