/* juesuan build: write every output into a directory, all or nothing. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Adds the rendering in b (st: how rendering went) to set as name, and
 * empties b for the next one. */
static js_status add_output(js_outset *set, const char *name, js_status st, js_buf *b, js_diag *d)
{
    st = st != JS_OK ? js_diag_set(d, st, name, 0, 0, NULL, "输出过大或内存不足")
                     : js_outset_add(set, name, b->data ? b->data : "", b->len, d);
    js_buf_reset(b);
    return st;
}

static const char *const k_kinds[] = {"json", "txt", "long", "csv", "md", "html", "pdf", "xlsx", "performance",
                                       "audit"};

/* Is the output kind asked for (every kind without --only)? */
static bool wanted(const cli_opts *o, const char *kind)
{
    if (!o->only)
        return true;
    size_t n = strlen(kind);
    for (const char *p = o->only; (p = strstr(p, kind)); p += n)
        if ((p == o->only || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return true;
    return false;
}

typedef struct {
    const js_report *rep;
    const char *path; /* the temporary file reserved in the output set */
    pthread_t thread;
    bool threaded;
    js_status st;
    js_diag d;
} xlsx_job;

static void *write_xlsx(void *arg)
{
    xlsx_job *xj = arg;
    xj->st = js_report_xlsx(xj->rep, xj->path, &xj->d);
    return NULL;
}

/* Writes every output o asks for into dir, all or nothing. */
js_status cli_write_outputs(const cli_opts *o, const char *dir, const js_workbook *wb, const js_profile *p,
                            js_tableset *ts, const js_findings *f, js_report *report, js_diag *d)
{
    js_outset *set = js_outset_begin(dir, d);
    js_status st = set ? JS_OK : d->status;
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    /* The report (the audit's, unless a draft is asked for) first, so that
     * tables.xlsx (the slowest output after the PDF) starts on a thread of
     * its own at once. */
    js_report *own = NULL, *rep = report && !o->draft ? report : NULL;
    bool doc = wanted(o, "md") || wanted(o, "html") || wanted(o, "pdf") || wanted(o, "xlsx");
    if (st == JS_OK && doc && !rep && !(rep = own = js_report_build(cli_datadir(o), ts, o->draft, NULL, d)))
        st = d->status ? d->status : JS_E_INTERNAL;
    xlsx_job xj = {.rep = rep, .st = JS_OK};
    js_diag_clear(&xj.d);
    bool xlsx = st == JS_OK && wanted(o, "xlsx");
    if (xlsx && (st = js_outset_reserve(set, "tables.xlsx", &xj.path, d)) == JS_OK)
        xj.threaded = pthread_create(&xj.thread, NULL, write_xlsx, &xj) == 0;
    if (st == JS_OK && wanted(o, "json"))
        st = add_output(set, "tables.json", js_render_json(ts, &b), &b, d);
    if (st == JS_OK && wanted(o, "txt"))
        st = add_output(set, "tables.txt", js_render_text(ts, &b), &b, d);
    if (st == JS_OK && wanted(o, "long"))
        st = add_output(set, "tables-long.csv", js_render_long(ts, &b), &b, d);
    if (st == JS_OK && wanted(o, "md"))
        st = add_output(set, "report.md", js_report_markdown(rep, &b), &b, d);
    if (st == JS_OK && wanted(o, "html"))
        st = add_output(set, "report.html", js_report_html(rep, &b), &b, d);
    if (st == JS_OK && wanted(o, "pdf") && (st = js_report_pdf(rep, &b, d)) == JS_OK)
        st = add_output(set, "report.pdf", JS_OK, &b, d);
    js_perf *pf = st == JS_OK ? js_perf_compute(wb, p, d) : NULL;
    if (st == JS_OK && !pf)
        st = d->status ? d->status : JS_E_INTERNAL;
    if (st == JS_OK && js_perf_count(pf) && wanted(o, "performance"))
        st = add_output(set, "performance.json", js_perf_json(pf, wb, js_tableset_mark(ts), &b), &b, d);
    js_perf_free(pf);
    if (st == JS_OK && wanted(o, "audit"))
        st = add_output(set, "audit.json", js_findings_json(f, &b), &b, d);
    if (st == JS_OK && wanted(o, "audit"))
        st = add_output(set, "audit.txt", js_findings_text(f, false, &b), &b, d);
    for (size_t i = 0; i < js_tableset_count(ts) && st == JS_OK && wanted(o, "csv"); i++) {
        char name[64];
        snprintf(name, sizeof name, "table-%s.csv", js_tableset_table(ts, i)->def->id);
        st = add_output(set, name, js_render_csv_table(ts, i, true, &b), &b, d);
    }
    js_buf_release(&b);
    if (xj.threaded)
        pthread_join(xj.thread, NULL);
    else if (xlsx && xj.path)
        write_xlsx(&xj);
    if (st == JS_OK && xj.st != JS_OK) {
        st = xj.st;
        *d = xj.d;
    }
    js_report_free(own);
    if (st == JS_OK) {
        st = js_outset_commit(set, d);
    } else {
        js_outset_abort(set);
    }
    return st;
}

int cmd_build(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "build", "puodFDOj", &o))
        return EXIT_USAGE;
    for (const char *p = o.only; p && *p;) {
        size_t n = strcspn(p, ",");
        bool known = false;
        for (size_t k = 0; k < sizeof k_kinds / sizeof k_kinds[0] && !known; k++)
            known = strlen(k_kinds[k]) == n && !strncmp(p, k_kinds[k], n);
        if (!known)
            return cli_usage_error("build", "--only 中的 '%.*s' 不是输出种类（可用 json,txt,long,csv,md,html,pdf,xlsx,performance,audit）",
                                   (int)n, p);
        p += n + (p[n] == ',');
    }
    if (!o.output)
        return cli_usage_error("build", "缺少输出目录（-o 目录）");
    if (o.workbook && cli_is_batch(o.workbook))
        return cli_batch("build", &o);
    if (o.jobs)
        return cli_usage_error("build", "--jobs 只用于批量模式（工作簿所在的目录）");
    js_workbook *wb;
    js_profile *p;
    js_tableset *ts;
    int rc = cli_compile("build", &o, &wb, &p, &ts);
    if (rc != EXIT_OK)
        return rc;
    /* The audit first: no output while an error stands, unless --force. */
    js_findings *f = js_findings_new();
    js_report *rep = NULL;
    if (!f || (rc = cli_audit(wb, p, ts, &o, f, &rep)) != EXIT_OK) {
        js_findings_free(f);
        cli_compile_free(wb, p, ts);
        return f ? rc : EXIT_IO;
    }
    size_t errors = js_findings_by_severity(f, JS_SEV_ERROR);
    if (errors && !o.force) {
        js_buf b;
        js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
        js_findings_text(f, false, &b);
        fprintf(stderr, "%sjuesuan build: 审核有 %zu 个错误，未写出任何文件（确需输出可加 --force，输出将标明“未通过审核”）\n",
                b.data ? b.data : "", errors);
        js_buf_release(&b);
        js_report_free(rep);
        js_findings_free(f);
        cli_compile_free(wb, p, ts);
        return EXIT_FINDINGS;
    }
    if (errors)
        js_tableset_set_mark(ts, "未通过审核");
    js_diag d;
    js_diag_clear(&d);
    js_status st = cli_write_outputs(&o, o.output, wb, p, ts, f, rep, &d);
    js_report_free(rep);
    cli_compile_free(wb, p, ts);
    js_findings_free(f);
    if (st != JS_OK)
        return cli_fail(&d);
    printf("%s\n", o.output);
    return errors ? EXIT_FINDINGS : EXIT_OK;
}
