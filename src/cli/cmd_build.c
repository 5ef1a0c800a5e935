/* juesuan build: write every output into a directory, all or nothing. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef js_status (*renderer)(const js_tableset *, js_buf *);

static js_status findings_text(const js_findings *f, js_buf *b) { return js_findings_text(f, false, b); }

static js_status add(js_outset *set, const char *name, const js_tableset *ts, renderer fn,
                     size_t table, js_diag *d)
{
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    js_status st = fn ? fn(ts, &b) : js_render_csv_table(ts, table, true, &b);
    if (st != JS_OK)
        st = js_diag_set(d, st, name, 0, 0, NULL, "输出过大或内存不足");
    else
        st = js_outset_add(set, name, b.data ? b.data : "", b.len, d);
    js_buf_release(&b);
    return st;
}

static js_status add_findings(js_outset *set, const char *name, const js_findings *f,
                              js_status (*fn)(const js_findings *, js_buf *), js_diag *d)
{
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    js_status st = fn(f, &b);
    st = st != JS_OK ? js_diag_set(d, st, name, 0, 0, NULL, "输出过大或内存不足")
                     : js_outset_add(set, name, b.data ? b.data : "", b.len, d);
    js_buf_release(&b);
    return st;
}

static js_status add_report(js_outset *set, const char *name, const js_report *r,
                            js_status (*fn)(const js_report *, js_buf *), js_diag *d)
{
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    js_status st = fn(r, &b);
    st = st != JS_OK ? js_diag_set(d, st, name, 0, 0, NULL, "输出过大或内存不足")
                     : js_outset_add(set, name, b.data ? b.data : "", b.len, d);
    js_buf_release(&b);
    return st;
}

int cmd_build(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "build", "puodFD", &o))
        return EXIT_USAGE;
    if (!o.output)
        return cli_usage_error("build", "缺少输出目录（-o 目录）");
    js_workbook *wb;
    js_profile *p;
    js_tableset *ts;
    int rc = cli_compile("build", &o, &wb, &p, &ts);
    if (rc != EXIT_OK)
        return rc;
    /* The audit first: no output while an error stands, unless --force. */
    js_findings *f = js_findings_new();
    if (!f || (rc = cli_audit(wb, p, ts, &o, f)) != EXIT_OK) {
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
        js_findings_free(f);
        cli_compile_free(wb, p, ts);
        return EXIT_FINDINGS;
    }
    if (errors)
        js_tableset_set_mark(ts, "未通过审核");
    js_diag d;
    js_diag_clear(&d);
    js_outset *set = js_outset_begin(o.output, &d);
    js_status st = set ? JS_OK : d.status;
    if (st == JS_OK)
        st = add(set, "tables.json", ts, js_render_json, 0, &d);
    if (st == JS_OK)
        st = add(set, "tables.txt", ts, js_render_text, 0, &d);
    if (st == JS_OK)
        st = add(set, "tables-long.csv", ts, js_render_long, 0, &d);
    js_report *rep = NULL;
    if (st == JS_OK && !(rep = js_report_build(cli_datadir(&o), ts, o.draft, NULL, &d)))
        st = d.status ? d.status : JS_E_INTERNAL;
    if (st == JS_OK)
        st = add_report(set, "report.md", rep, js_report_markdown, &d);
    if (st == JS_OK)
        st = add_report(set, "report.html", rep, js_report_html, &d);
    js_report_free(rep);
    if (st == JS_OK)
        st = add_findings(set, "audit.json", f, js_findings_json, &d);
    if (st == JS_OK)
        st = add_findings(set, "audit.txt", f, findings_text, &d);
    for (size_t i = 0; i < js_tableset_count(ts) && st == JS_OK; i++) {
        char name[64];
        snprintf(name, sizeof name, "table-%s.csv", js_tableset_table(ts, i)->def->id);
        st = add(set, name, ts, NULL, i, &d);
    }
    if (st == JS_OK) {
        st = js_outset_commit(set, &d);
    } else {
        js_outset_abort(set);
    }
    cli_compile_free(wb, p, ts);
    js_findings_free(f);
    if (st != JS_OK)
        return cli_fail(&d);
    printf("%s\n", o.output);
    return errors ? EXIT_FINDINGS : EXIT_OK;
}
