/* The pipeline of one department-year (see juesuan/run.h): each stage run
 * once, on demand, its result kept. */
#include "juesuan/run.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "juesuan/output.h"
#include "report_model.h"
#include "run_internal.h"

#define MAX_PROFILES 16

/* ---- what runs share --------------------------------------------------- */

typedef struct {
    char *name;
    js_profile *p;
    js_ruleset *rs; /* loaded on the first audit */
    js_scoredef *sd; /* loaded on the first score */
    js_report_template *rt; /* compiled on the first document */
} profile_slot;

struct js_run_shared {
    char *datadir;
    js_dict_cache *dicts;
    pthread_mutex_t lock; /* profiles */
    profile_slot profiles[MAX_PROFILES];
    int nprofiles;
};

js_run_shared *js_run_shared_new(const char *datadir)
{
    js_run_shared *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->datadir = strdup(datadir);
    s->dicts = s->datadir ? js_dict_cache_new(datadir) : NULL;
    if (!s->dicts) {
        free(s->datadir);
        free(s);
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void js_run_shared_free(js_run_shared *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nprofiles; i++) {
        js_rules_free(s->profiles[i].rs);
        js_report_template_free(s->profiles[i].rt);
        js_scoredef_free(s->profiles[i].sd);
        js_profile_free(s->profiles[i].p);
        free(s->profiles[i].name);
    }
    js_dict_cache_free(s->dicts);
    pthread_mutex_destroy(&s->lock);
    free(s->datadir);
    free(s);
}

const char *js_run_shared_datadir(const js_run_shared *s) { return s->datadir; }

/* The profile called name, loaded once (with its rule set when rules). */
static profile_slot *profile_of(js_run_shared *s, const char *name, bool rules, js_diag *d)
{
    pthread_mutex_lock(&s->lock);
    profile_slot *found = NULL;
    for (int i = 0; i < s->nprofiles && !found; i++)
        if (!strcmp(s->profiles[i].name, name))
            found = &s->profiles[i];
    if (!found && s->nprofiles == MAX_PROFILES) {
        js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "配置超过 %d 种", MAX_PROFILES);
    } else if (!found) {
        js_profile *p = js_profile_load(s->datadir, name, d);
        char *copy = p ? strdup(name) : NULL;
        if (copy) {
            found = &s->profiles[s->nprofiles++];
            *found = (profile_slot){copy, p, NULL, NULL, NULL};
        } else {
            js_profile_free(p);
            if (p)
                js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        }
    }
    if (found && rules && !found->rs && !(found->rs = js_rules_load(s->datadir, found->p, d)))
        found = NULL;
    pthread_mutex_unlock(&s->lock);
    return found;
}

const js_profile *js_run_shared_profile(js_run_shared *s, const char *profile, js_diag *d)
{
    profile_slot *ps = profile_of(s, profile, false, d);
    return ps ? ps->p : NULL;
}

const js_scoredef *js_run_shared_scoredef(js_run_shared *s, const char *profile, js_diag *d)
{
    profile_slot *ps = profile_of(s, profile, false, d);
    if (!ps)
        return NULL;
    pthread_mutex_lock(&s->lock);
    if (!ps->sd)
        ps->sd = js_scoredef_load(s->datadir, ps->p, d);
    const js_scoredef *sd = ps->sd;
    pthread_mutex_unlock(&s->lock);
    return sd;
}

/* The profile's report templates, compiled once for every run (NULL and d
 * filled when they cannot be read: tried again by the next run). */
static const js_report_template *report_template(js_run_shared *s, profile_slot *ps, js_diag *d)
{
    pthread_mutex_lock(&s->lock);
    if (!ps->rt)
        ps->rt = js_report_template_load(s->datadir, ps->p, d);
    const js_report_template *rt = ps->rt;
    pthread_mutex_unlock(&s->lock);
    return rt;
}

/* ---- one run ------------------------------------------------------------ */

struct js_run {
    js_run_shared *s;
    bool draft;
    js_workbook *wb;
    profile_slot *ps;
    int unit;             /* -1: the department */
    js_tableset *ts;
    js_view *view;        /* the tables as the rules see them, made once */
    js_perf *perf;
    js_report *report;
    js_findings *gaps;    /* what the document needed and did not get */
    js_findings *findings;
    js_score *score;
    js_cofog *cofog;
    bool rules_only;      /* a consolidation: audited by the rules alone */
    js_status failed;     /* a stage that failed fails again the same way */
    js_diag failure;
};

/* A run over wb (owned from here on) with the profile called profile;
 * named: the workbook named it (then a profile that does not exist is the
 * workbook's error). */
static js_run *run_new(js_run_shared *s, js_workbook *wb, const char *profile, bool named, js_diag *d)
{
    js_run *r = calloc(1, sizeof *r);
    if (!r) {
        js_workbook_free(wb);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    r->s = s;
    r->wb = wb;
    r->unit = -1;
    if (!(r->ps = profile_of(s, profile, false, d))) {
        if (named && d && d->status == JS_E_USAGE && js_workbook_locate(wb, "department.csv", "配置", d))
            d->status = JS_E_INPUT;
        js_run_free(r);
        return NULL;
    }
    return r;
}

/* A run opened for its tables only sums the lines at the depths its
 * profile's tables look at (js_sum_plan): the one given, else the one the
 * workbook names; none (every digit) when it does not load, whose error
 * the run gives after reading as before. */
typedef struct {
    js_run_shared *s;
    const char *profile;
} plan_ctx;

static size_t plan_depths(void *ctx, const char *profile, js_sum_depth *depths)
{
    plan_ctx *c = ctx;
    js_diag quiet;
    js_diag_clear(&quiet);
    profile_slot *ps = profile_of(c->s, c->profile ? c->profile : profile, false, &quiet);
    return ps ? js_tables_depths(ps->p, depths) : 0;
}

static uint32_t plan_sources(void *ctx, const char *profile)
{
    plan_ctx *c = ctx;
    js_diag quiet;
    js_diag_clear(&quiet);
    profile_slot *ps = profile_of(c->s, c->profile ? c->profile : profile, false, &quiet);
    return ps ? js_tables_sources(ps->p) : 0;
}

js_run *js_run_open(js_run_shared *s, const js_run_options *o, const char *path, js_diag *d)
{
    plan_ctx pc = {s, o ? o->profile : NULL};
    js_sum_plan plan = {plan_depths, &pc, plan_sources};
    js_workbook *wb = o && o->tables_only && !o->unit ? js_workbook_open_summed(s->datadir, s->dicts, path, &plan, d)
                                                      : js_workbook_open(s->datadir, s->dicts, path, d);
    bool named = !(o && o->profile);
    js_run *r = wb ? run_new(s, wb, named ? js_workbook_profile(wb) : o->profile, named, d) : NULL;
    if (!r)
        return NULL;
    r->draft = o && o->draft;
    if (o && o->unit && (r->unit = js_workbook_find_unit(wb, o->unit)) < 0) {
        js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "工作簿中没有单位 '%s'（可用单位名称或序号）", o->unit);
        js_run_free(r);
        return NULL;
    }
    return r;
}

size_t js_run_input_errors(js_run_shared *s, const char *path, js_input_errors *e)
{
    return js_workbook_input_errors(s->datadir, s->dicts, path, e);
}

js_run *js_run_adopt(js_run_shared *s, js_workbook *wb, const char *profile, js_diag *d)
{
    js_run *r = run_new(s, wb, profile, false, d);
    if (r)
        r->rules_only = true;
    return r;
}

void js_run_free(js_run *r)
{
    if (!r)
        return;
    js_score_free(r->score);
    js_cofog_free(r->cofog);
    js_findings_free(r->findings);
    js_findings_free(r->gaps);
    js_report_free(r->report);
    js_perf_free(r->perf);
    js_view_free(r->view);
    js_tableset_free(r->ts);
    js_workbook_free(r->wb);
    free(r);
}

const js_workbook *js_run_workbook(const js_run *r) { return r->wb; }
const js_profile *js_run_profile(const js_run *r) { return r->ps->p; }
const char *js_run_profile_name(const js_run *r) { return r->ps->name; }
js_run_shared *js_run_shared_of(const js_run *r) { return r->s; }
bool js_run_draft(const js_run *r) { return r->draft; }
int js_run_unit(const js_run *r) { return r->unit; }

/* Records a stage's failure (d filled by it) and returns NULL. */
static void *stage_failed(js_run *r, js_diag *d, js_status st)
{
    r->failed = st != JS_OK ? st : d && d->status ? d->status : JS_E_INTERNAL;
    if (d) {
        if (!d->status)
            d->status = r->failed;
        r->failure = *d;
    } else {
        js_diag_clear(&r->failure);
        r->failure.status = r->failed;
    }
    return NULL;
}

/* A failed run stays failed: the caller gets the first failure again. */
static bool has_failed(const js_run *r, js_diag *d)
{
    if (r->failed && d)
        *d = r->failure;
    return r->failed != JS_OK;
}

const js_tableset *js_run_tables(js_run *r, js_diag *d)
{
    if (!r->ts && !has_failed(r, d) && !(r->ts = js_tables_compile(r->wb, r->ps->p, r->unit, d)))
        return stage_failed(r, d, JS_OK);
    return r->failed ? NULL : r->ts;
}

js_tableset *js_run_tables_mut(js_run *r, js_diag *d) { return (js_tableset *)js_run_tables(r, d); }

const js_perf *js_run_perf(js_run *r, js_diag *d)
{
    /* every stage after the tables looks at single lines (or goes through
     * this one): a run opened for its tables only has their sums */
    if (!r->perf && !has_failed(r, d) && js_workbook_summed(r->wb))
        return stage_failed(r, d, js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "run opened for its tables only"));
    if (!r->perf && !has_failed(r, d) && !(r->perf = js_perf_compute(r->wb, r->ps->p, d)))
        return stage_failed(r, d, JS_OK);
    return r->failed ? NULL : r->perf;
}

const js_cofog *js_run_cofog(js_run *r, js_diag *d)
{
    if (!r->cofog) /* not a stage: a failure here fails no other output */
        r->cofog = js_cofog_load(js_run_shared_datadir(r->s), js_dict_edition(js_workbook_dict(r->wb)), d);
    return r->cofog;
}

/* The compiled tables as the rules see them, made once for the
 * document's variables and the rules (NULL and d filled when the tables
 * fail or memory runs out; tried again then). */
static const js_view *run_view(js_run *r, js_diag *d)
{
    const js_tableset *ts = r->view ? NULL : js_run_tables(r, d);
    if (!r->view && ts)
        r->view = js_view_from_tables(ts, d);
    return r->view;
}

const js_report *js_run_report(js_run *r, js_diag *d)
{
    if (r->report || has_failed(r, d))
        return r->failed ? NULL : r->report;
    const js_tableset *ts = js_run_tables(r, d);
    const js_perf *pf = ts ? js_run_perf(r, d) : NULL;
    if (!pf)
        return NULL;
    if (!(r->gaps = js_findings_new()))
        return stage_failed(r, d, js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足"));
    const js_report_template *rt = report_template(r->s, r->ps, d);
    if (!rt || !(r->report = js_report_build_viewed(rt, ts, pf, r->draft, run_view(r, NULL), r->gaps, d)))
        return stage_failed(r, d, JS_OK);
    return r->report;
}

/* The rules over the exact tables into f. */
static js_status run_rules(js_run *r, js_findings *f, js_diag *d)
{
    profile_slot *ps = profile_of(r->s, r->ps->name, true, d);
    const js_view *v = ps ? run_view(r, d) : NULL;
    return v ? js_rules_run(ps->rs, v, f, d) : d && d->status ? d->status : JS_E_INTERNAL;
}

const js_findings *js_run_findings(js_run *r, js_diag *d)
{
    if (r->findings || has_failed(r, d))
        return r->failed ? NULL : r->findings;
    /* the document first: its gaps are findings */
    if (!r->rules_only && !js_run_report(r, d))
        return NULL;
    js_findings *f = js_findings_new();
    js_status st = f ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (st == JS_OK && !r->rules_only)
        st = js_workbook_check(r->wb, r->ps->p, f, d);
    if (st == JS_OK)
        st = run_rules(r, f, d);
    if (st == JS_OK && !r->rules_only)
        st = js_perf_check(r->perf, r->wb, f, d);
    if (st == JS_OK && !r->rules_only && !js_findings_merge(f, r->gaps))
        st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (st != JS_OK) {
        js_findings_free(f);
        return stage_failed(r, d, st);
    }
    return r->findings = f;
}

const js_score *js_run_score_kept(const js_run *r) { return r->score; }

const js_score *js_run_score(js_run *r, const js_score_context *ctx, js_diag *d)
{
    if (r->score || has_failed(r, d))
        return r->failed ? NULL : r->score;
    const js_findings *f = js_run_findings(r, d);
    if (!f)
        return NULL;
    if (!(r->score = js_run_score_compute(r, f, ctx, d)))
        return stage_failed(r, d, JS_OK);
    return r->score;
}

js_status js_check_tables_json(js_run_shared *s, const char *path, const char *profile, js_findings *f,
                               js_diag *d)
{
    char *text;
    size_t len;
    js_status st = js_read_file(path, JS_MAX_JSON_BYTES, &text, &len, d);
    if (st != JS_OK)
        return st;
    st = js_check_tables_text(s, path, text, len, profile, f, d);
    free(text);
    return st;
}

js_status js_check_tables_text(js_run_shared *s, const char *name, const char *text, size_t len,
                               const char *profile, js_findings *f, js_diag *d)
{
    js_status st;
    js_view *v = js_view_from_json(name, text, len, d);
    if (!v)
        return d && d->status ? d->status : JS_E_INPUT;
    const char *named = js_view_profile(v);
    profile_slot *ps = profile_of(s, profile ? profile : *named ? named : "default", true, d);
    st = ps ? js_rules_run(ps->rs, v, f, d) : d && d->status ? d->status : JS_E_INTERNAL;
    js_view_free(v);
    return st;
}
