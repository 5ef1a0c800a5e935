/* The last stage of a run: every output into a folder, all or nothing
 * (js_run_build, juesuan/run.h). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "juesuan/fdp.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "juesuan/render.h"
#include "run_internal.h"

const char *const js_out_kind_names[] = {"json", "txt", "long", "csv", "md", "html", "pdf", "xlsx", "performance",
                                         "audit", "score", "fdp", NULL};

bool js_out_kinds_parse(const char *list, unsigned *kinds, const char **bad, size_t *badlen)
{
    *kinds = 0;
    for (const char *p = list; *p;) {
        size_t n = strcspn(p, ",");
        unsigned bit = 0;
        for (unsigned k = 0; js_out_kind_names[k] && !bit; k++)
            if (strlen(js_out_kind_names[k]) == n && !strncmp(p, js_out_kind_names[k], n))
                bit = 1u << k;
        if (!bit) {
            *bad = p;
            *badlen = n;
            return false;
        }
        *kinds |= bit;
        p += n + (p[n] == ',');
    }
    return true;
}

/* Adds the rendering in b (st: how rendering went) to set as name, and
 * empties b for the next one. */
static js_status add_output(js_outset *set, const char *name, js_status st, js_buf *b, js_diag *d)
{
    st = st != JS_OK ? js_diag_set(d, st, name, 0, 0, NULL, "输出过大或内存不足")
                     : js_outset_add(set, name, b->data ? b->data : "", b->len, d);
    js_buf_reset(b);
    return st;
}

typedef struct {
    const js_report *rep;
    js_buf out;
    pthread_t thread;
    bool threaded;
    js_status st;
    js_diag d;
} xlsx_job;

static void *write_xlsx(void *arg)
{
    xlsx_job *xj = arg;
    xj->st = js_report_xlsx(xj->rep, &xj->out, &xj->d);
    return NULL;
}

/* score.json: the score the caller asked for before the build
 * (js_run_score, in the caller's context: the portal gives the dates of
 * approval and publication), else the score in the context of this build,
 * whose outputs are machine-readable when it writes tables.json, the long
 * table or the Fiscal Data Package (the approval date is not known here). */
static js_status write_score(js_run *r, js_outset *set, unsigned kinds, const js_findings *f, js_buf *b, js_diag *d)
{
    const js_score *kept = js_run_score_kept(r);
    if (kept)
        return add_output(set, "score.json", js_score_json(kept, b), b, d);
    js_score_context ctx;
    js_score_context_init(&ctx);
    ctx.machine_readable = (kinds & (JS_OUT_JSON | JS_OUT_LONG | JS_OUT_FDP)) != 0;
    js_score *s = js_run_score_compute(r, f, &ctx, d);
    if (!s)
        return d && d->status ? d->status : JS_E_INTERNAL;
    js_status st = add_output(set, "score.json", js_score_json(s, b), b, d);
    js_score_free(s);
    return st;
}

/* The Fiscal Data Package: datapackage.json and the CSV it describes,
 * with the COFOG crosswalk of the workbook's dictionary edition. */
static js_status write_fdp(js_run *r, const js_tableset *ts, js_outset *set, js_buf *b, js_diag *d)
{
    const js_cofog *cw = js_run_cofog(r, d);
    if (!cw)
        return d && d->status ? d->status : JS_E_INTERNAL;
    js_status st = add_output(set, JS_FDP_CSV, js_fdp_csv(ts, js_run_unit(r), cw, b), b, d);
    if (st == JS_OK)
        st = add_output(set, JS_FDP_PACKAGE, js_fdp_package(ts, JS_FDP_CSV, b), b, d);
    return st;
}

/* Every output of kinds into dir, all or nothing. */
static js_status write_outputs(js_run *r, const char *dir, bool nested, unsigned kinds, const js_findings *f,
                               js_diag *d)
{
    js_tableset *ts = js_run_tables_mut(r, d);
    bool doc = kinds & (JS_OUT_MD | JS_OUT_HTML | JS_OUT_PDF | JS_OUT_XLSX);
    const js_report *rep = ts && doc ? js_run_report(r, d) : NULL;
    const js_perf *pf = ts && (kinds & JS_OUT_PERFORMANCE) ? js_run_perf(r, d) : NULL;
    if (!ts || (doc && !rep) || ((kinds & JS_OUT_PERFORMANCE) && !pf))
        return d && d->status ? d->status : JS_E_INTERNAL;
    js_outset *set = nested ? js_outset_begin_nested(dir, d) : js_outset_begin(dir, d);
    js_status st = set ? JS_OK : d->status;
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    /* tables.xlsx (the slowest output after the PDF) on a thread of its own */
    xlsx_job xj = {.rep = rep, .st = JS_OK};
    js_diag_clear(&xj.d);
    js_buf_init(&xj.out, JS_MAX_OUTPUT_BYTES);
    bool xlsx = st == JS_OK && (kinds & JS_OUT_XLSX);
    if (xlsx)
        xj.threaded = pthread_create(&xj.thread, NULL, write_xlsx, &xj) == 0;
    if (st == JS_OK && (kinds & JS_OUT_JSON))
        st = add_output(set, "tables.json", js_render_json(ts, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_TXT))
        st = add_output(set, "tables.txt", js_render_text(ts, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_LONG)) {
        const js_cofog *cw = js_run_cofog(r, d);
        st = cw ? add_output(set, "tables-long.csv", js_render_long(ts, cw, &b), &b, d)
                : d && d->status ? d->status : JS_E_INTERNAL;
    }
    if (st == JS_OK && (kinds & JS_OUT_MD))
        st = add_output(set, "report.md", js_report_markdown(rep, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_HTML))
        st = add_output(set, "report.html", js_report_html(rep, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_PDF) && (st = js_report_pdf(rep, &b, d)) == JS_OK)
        st = add_output(set, "report.pdf", JS_OK, &b, d);
    if (st == JS_OK && pf && js_perf_count(pf))
        st = add_output(set, "performance.json", js_perf_json(pf, js_run_workbook(r), js_tableset_mark(ts), &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_AUDIT))
        st = add_output(set, "audit.json", js_findings_json(f, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_AUDIT))
        st = add_output(set, "audit.txt", js_findings_text(f, false, &b), &b, d);
    if (st == JS_OK && (kinds & JS_OUT_SCORE))
        st = write_score(r, set, kinds, f, &b, d);
    if (st == JS_OK && (kinds & JS_OUT_FDP))
        st = write_fdp(r, ts, set, &b, d);
    for (size_t i = 0; i < js_tableset_count(ts) && st == JS_OK && (kinds & JS_OUT_CSV); i++) {
        char name[64];
        snprintf(name, sizeof name, "table-%s.csv", js_tableset_table(ts, i)->def->id);
        st = add_output(set, name, js_render_csv_table(ts, i, true, &b), &b, d);
    }
    js_buf_release(&b);
    if (xj.threaded)
        pthread_join(xj.thread, NULL);
    else if (xlsx)
        write_xlsx(&xj);
    if (st == JS_OK && xj.st != JS_OK) {
        st = xj.st;
        if (d) { /* named as the file it would have been, as js_outset_add names one */
            *d = xj.d;
            snprintf(d->file, sizeof d->file, "%s/tables.xlsx", dir);
        }
    }
    if (st == JS_OK && xlsx) /* its messages name dir/tables.xlsx, not a temporary */
        st = js_outset_add(set, "tables.xlsx", xj.out.data, xj.out.len, d);
    js_buf_release(&xj.out);
    if (st == JS_OK)
        st = js_outset_commit(set, d);
    else
        js_outset_abort(set);
    return st;
}

js_status js_run_build(js_run *r, const char *dir, unsigned kinds, bool force, bool *refused, js_diag *d)
{
    return js_run_build_in(r, dir, false, kinds, force, refused, d);
}

js_status js_run_build_in(js_run *r, const char *dir, bool nested, unsigned kinds, bool force, bool *refused,
                          js_diag *d)
{
    *refused = false;
    /* The audit first: no output while an error stands, unless forced. */
    const js_findings *f = js_run_findings(r, d);
    if (!f)
        return d && d->status ? d->status : JS_E_INTERNAL;
    size_t errors = js_findings_by_severity(f, JS_SEV_ERROR);
    if (errors && !force && !js_run_draft(r)) {
        *refused = true;
        return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "审核有 %zu 个错误，未写出任何文件", errors);
    }
    js_tableset *ts = js_run_tables_mut(r, d);
    if (!ts)
        return d && d->status ? d->status : JS_E_INTERNAL;
    if (errors)
        js_tableset_set_mark(ts, js_profile_wording(js_run_profile(r), "mark_failed"));
    return write_outputs(r, dir, nested, kinds, f, d);
}
