/* The phases of a department-year (phase.h): data/portal/phases.json, the
 * profile and run of a phase, and the statutory period of a published
 * version. */
#include "phase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/profile.h"
#include "juesuan/workbook.h"

static const char *const k_map_keys[JS_PHASE_COUNT] = {"final_profiles", "budget_profiles"};

static bool load_map(phase_conf *c, json_t *root, int ph)
{
    json_t *m = json_object_get(root, k_map_keys[ph]);
    const char *from;
    json_t *to;
    if (!json_is_object(m))
        return false;
    json_object_foreach(m, from, to) {
        const char *t = json_string_value(to);
        if (!t || c->nmap[ph] == PHASE_MAX_MAP || strlen(from) >= sizeof c->map[0][0].from ||
            strlen(t) >= sizeof c->map[0][0].to)
            return false;
        snprintf(c->map[ph][c->nmap[ph]].from, sizeof c->map[0][0].from, "%s", from);
        snprintf(c->map[ph][c->nmap[ph]].to, sizeof c->map[0][0].to, "%s", t);
        c->nmap[ph]++;
    }
    return true;
}

static bool load_figures(phase_conf *c, json_t *root)
{
    json_t *x;
    size_t i;
    json_t *list = json_object_get(root, "comparison");
    if (!json_is_array(list))
        return false;
    json_array_foreach(list, i, x) {
        if (c->nfig == PHASE_MAX_FIGURES)
            return false;
        struct phase_figure *f = &c->fig[c->nfig];
        const char *id = json_string_value(json_object_get(x, "id"));
        const char *label = json_string_value(json_object_get(x, "label"));
        if (!id || !label || strlen(id) >= sizeof f->id || strlen(label) >= sizeof f->label)
            return false;
        snprintf(f->id, sizeof f->id, "%s", id);
        snprintf(f->label, sizeof f->label, "%s", label);
        for (int ph = 0; ph < JS_PHASE_COUNT; ph++) {
            /* each phase's figure: its own object, with the item's id and label */
            json_t *one = json_deep_copy(json_object_get(x, js_phase_id((js_phase)ph)));
            bool ok = json_is_object(one) && !json_object_set_new(one, "id", json_string(id)) &&
                      !json_object_set_new(one, "label", json_string(label)) && bfigure_parse(one, &f->f[ph]);
            json_decref(one);
            if (!ok)
                return false;
        }
        c->nfig++;
    }
    return true;
}

phase_conf *phase_conf_load(const char *datadir, js_diag *d)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/portal/phases.json", datadir);
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        js_diag_set(d, JS_E_INPUT, path, err.line, 0, NULL, "无法读取预算与决算阶段的定义：%s", err.text);
        return NULL;
    }
    phase_conf *c = calloc(1, sizeof *c);
    json_t *appr = json_object_get(root, "budget_approval");
    const char *sheet = json_string_value(json_object_get(appr, "sheet"));
    const char *key = json_string_value(json_object_get(appr, "key"));
    bool ok = c && load_map(c, root, JS_PHASE_FINAL) && load_map(c, root, JS_PHASE_BUDGET) && sheet && key &&
              strlen(sheet) < sizeof c->approval_sheet && strlen(key) < sizeof c->approval_key &&
              load_figures(c, root);
    if (ok) {
        snprintf(c->approval_sheet, sizeof c->approval_sheet, "%s", sheet);
        snprintf(c->approval_key, sizeof c->approval_key, "%s", key);
    }
    json_decref(root);
    if (!ok) {
        free(c);
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                    "预算与决算阶段的定义有误：应有 final_profiles、budget_profiles（配置名到配置名）、"
                    "budget_approval（sheet、key）和 comparison（每项 id、label、final、budget）");
        return NULL;
    }
    return c;
}

bool phase_load(js_server *s, js_diag *d)
{
    return (s->phases = phase_conf_load(s->datadir, d)) != NULL;
}

void phase_free(js_server *s)
{
    free(s->phases);
    s->phases = NULL;
}

static const char *mapped(const phase_conf *c, int ph, const char *profile)
{
    for (size_t i = 0; i < c->nmap[ph]; i++)
        if (!strcmp(c->map[ph][i].from, profile))
            return c->map[ph][i].to;
    return NULL;
}

const char *phase_profile(const phase_conf *c, const char *profile, js_phase ph)
{
    /* already of the phase: a target of the phase's map, or a source of
     * the other's */
    for (size_t i = 0; i < c->nmap[ph]; i++)
        if (!strcmp(c->map[ph][i].to, profile))
            return profile;
    if (mapped(c, !ph, profile))
        return profile;
    const char *to = mapped(c, ph, profile);
    if (!to)
        to = mapped(c, ph, "*");
    return to ? to : profile;
}

/* The run of path under profile (NULL: the workbook's). */
static js_run *open_as(js_run_shared *sh, const js_run_options *o, const char *path, const char *profile,
                       js_diag *d)
{
    js_run_options x = *o;
    x.profile = profile;
    return js_run_open(sh, &x, path, d);
}

js_run *phase_run_open(const phase_conf *c, js_run_shared *sh, const js_run_options *o, const char *path,
                       int *ph, js_diag *d)
{
    js_diag first = {0};
    js_run *run = open_as(sh, o, path, o->profile, &first);
    if (!run) {
        /* a workbook of one phase whose 配置 is the other phase's: the
         * phase asked for (asked for none: either) under its fallback
         * profile */
        if (first.status != JS_E_INPUT) {
            *d = first;
            return NULL;
        }
        for (int want = JS_PHASE_COUNT - 1; want >= 0; want--) {
            if (*ph >= 0 && want != *ph)
                continue;
            js_diag again = {0};
            if ((run = open_as(sh, o, path, phase_profile(c, "*", (js_phase)want), &again))) {
                *ph = want;
                return run;
            }
            if (*ph >= 0)
                first = again;
        }
        *d = first;
        return NULL;
    }
    const js_workbook *wb = js_run_workbook(run);
    bool budget = js_workbook_has_budget_phase(wb), final = js_workbook_has_sheet(wb, "expenditure.csv");
    bool is_budget = js_profile_is_budget(js_run_profile(run));
    if (*ph < 0) /* the one phase the workbook holds; holding both, its 配置's */
        *ph = budget && (!final || is_budget) ? JS_PHASE_BUDGET : JS_PHASE_FINAL;
    if (is_budget == (*ph == JS_PHASE_BUDGET))
        return run;
    char name[64];
    snprintf(name, sizeof name, "%s", phase_profile(c, js_run_profile_name(run), (js_phase)*ph));
    js_run_free(run);
    return open_as(sh, o, path, name, d);
}

void phase_approval_date(const phase_conf *c, const js_workbook *wb, char out[11])
{
    const char *t = js_workbook_text(wb, c->approval_sheet, c->approval_key);
    snprintf(out, 11, "%s", t && strlen(t) == 10 ? t : "");
}

static int64_t cst_day(int64_t t) { return (t + 8 * 3600) / 86400; }

/* Days since 1970-01-01 of a YYYY-MM-DD date (days from civil, Howard
 * Hinnant's algorithm); false when it is not one. */
static bool epoch_day(const char *s, int64_t *out)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    long yy = m <= 2 ? y - 1 : y;
    long era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    *out = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return true;
}

void phase_timeliness(js_server *s, const js_store_version *v, const js_store_dept *dept, ptime *out)
{
    memset(out, 0, sizeof *out);
    out->period = publication_days(s, phase_profile(s->phases, dept->profile, v->phase));
    date_text(v->published_at, out->published);
    int64_t start;
    if (v->phase == JS_PHASE_BUDGET) {
        if (!v->approval_date[0] || !epoch_day(v->approval_date, &start))
            return;
        snprintf(out->start, sizeof out->start, "%s", v->approval_date);
    } else {
        start = cst_day(v->reviewed_at);
        date_text(v->reviewed_at, out->start);
    }
    out->known = true;
    out->days = (long)(cst_day(v->published_at) - start);
    out->on_time = out->days <= out->period;
}

const char *phase_label(const js_req *r, js_phase ph)
{
    return tx_str(TXT(r), ph == JS_PHASE_BUDGET ? T_PHASE_BUDGET : T_PHASE_FINAL);
}

const char *phase_path(js_phase ph) { return ph == JS_PHASE_BUDGET ? "budget/" : ""; }
