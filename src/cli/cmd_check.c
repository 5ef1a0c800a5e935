/* juesuan check: audit a workbook (exact) or a tables.json (printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Audits a tables.json: the rules only (printed mode). */
static int check_json(const cli_opts *o, js_findings *f)
{
    js_diag d;
    js_diag_clear(&d);
    char *text;
    size_t len;
    if (js_read_file(o->workbook, JS_MAX_OUTPUT_BYTES, &text, &len, &d) != JS_OK)
        return cli_fail(&d);
    js_view *v = js_view_from_json(o->workbook, text, len, &d);
    free(text);
    if (!v)
        return cli_fail(&d);
    const char *datadir = cli_datadir(o);
    const char *named = js_view_profile(v);
    js_profile *p = js_profile_load(datadir, o->profile ? o->profile : *named ? named : "default", &d);
    js_ruleset *rs = p ? js_rules_load(datadir, p, &d) : NULL;
    int rc = rs ? EXIT_OK : cli_fail(&d);
    if (rs && js_rules_run(rs, v, f, &d) != JS_OK)
        rc = cli_fail(&d);
    js_rules_free(rs);
    js_profile_free(p);
    js_view_free(v);
    return rc;
}

js_status cli_audit_with(const js_workbook *wb, const js_profile *p, const js_ruleset *rs, const js_tableset *ts,
                         const char *datadir, js_findings *f, js_report **report, js_diag *d)
{
    js_view *v = js_view_from_tables(ts, d);
    js_status st = v ? js_workbook_check(wb, p, f, d) : d->status;
    if (st == JS_OK)
        st = js_rules_run(rs, v, f, d);
    /* The 绩效 self-evaluations. */
    js_perf *pf = st == JS_OK ? js_perf_compute(wb, p, d) : NULL;
    if (st == JS_OK && !pf)
        st = d->status ? d->status : JS_E_INTERNAL;
    if (st == JS_OK)
        st = js_perf_check(pf, wb, f, d);
    js_perf_free(pf);
    /* Sentences of the narrative that need a text the workbook lacks. */
    js_report *rep = st == JS_OK ? js_report_build(datadir, ts, false, f, d) : NULL;
    if (st == JS_OK && !rep)
        st = d->status ? d->status : JS_E_INTERNAL;
    if (report && st == JS_OK)
        *report = rep; /* the outputs' report, when not a draft */
    else
        js_report_free(rep);
    js_view_free(v);
    return st;
}

int cli_audit(const js_workbook *wb, const js_profile *p, const js_tableset *ts, const cli_opts *o,
              js_findings *f, js_report **report)
{
    js_diag d;
    js_diag_clear(&d);
    js_ruleset *rs = js_rules_load(cli_datadir(o), p, &d);
    js_status st = rs ? cli_audit_with(wb, p, rs, ts, cli_datadir(o), f, report, &d) : d.status;
    js_rules_free(rs);
    return st == JS_OK ? EXIT_OK : cli_fail(&d);
}

int cmd_check(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "check", "pufodj", &o))
        return EXIT_USAGE;
    const char *format = o.format ? o.format : "text";
    static const char *const formats[] = {"text", "json", "csv"};
    if (js_vocab_find(formats, 3, format) < 0)
        return cli_usage_error("check", "未知格式 '%s'（可用 text、json、csv）", format);
    if (o.workbook && cli_is_batch(o.workbook)) {
        if (!strcmp(format, "csv"))
            return cli_usage_error("check", "批量审核的格式可用 text、json");
        return cli_batch("check", &o);
    }
    if (o.jobs)
        return cli_usage_error("check", "--jobs 只用于批量模式（工作簿所在的目录）");
    js_findings *f = js_findings_new();
    if (!f)
        return EXIT_IO;
    int rc;
    size_t wl = o.workbook ? strlen(o.workbook) : 0;
    if (o.workbook && is_file(o.workbook) && !(wl > 5 && !strcmp(o.workbook + wl - 5, ".xlsx"))) {
        rc = check_json(&o, f);
    } else {
        js_workbook *wb;
        js_profile *p;
        js_tableset *ts;
        rc = cli_compile("check", &o, &wb, &p, &ts);
        if (rc == EXIT_OK) {
            rc = cli_audit(wb, p, ts, &o, f, NULL);
            cli_compile_free(wb, p, ts);
        }
    }
    if (rc != EXIT_OK) {
        js_findings_free(f);
        return rc;
    }
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    js_status st = !strcmp(format, "json") ? js_findings_json(f, &out)
                   : !strcmp(format, "csv") ? js_findings_csv(f, &out)
                                            : js_findings_text(f, !o.output && isatty(1) && !getenv("NO_COLOR"), &out);
    js_diag d;
    js_diag_clear(&d);
    if (st != JS_OK) {
        rc = EXIT_IO;
    } else if (o.output) {
        if (js_write_file_atomic(o.output, out.data ? out.data : "", out.len, &d) != JS_OK)
            rc = cli_fail(&d);
    } else if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
        rc = EXIT_IO;
    }
    if (rc == EXIT_OK && js_findings_by_severity(f, JS_SEV_ERROR) > 0)
        rc = EXIT_FINDINGS;
    js_buf_release(&out);
    js_findings_free(f);
    return rc;
}
