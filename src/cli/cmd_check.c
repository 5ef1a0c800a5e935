/* juesuan check: audit a workbook (exact), a tables.json (printed) or a
 * published report read back (printed, and its narrative). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* A published report (PDF or text) or a tables.json is audited as printed;
 * anything else is read as a workbook (which refuses the formats it does
 * not read). */
static bool is_printed(const char *path)
{
    return js_is_report_file(path) || js_workbook_kind(path) == JS_BOOK_JSON;
}

int cmd_check(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "check", "pufodjqv", &o))
        return EXIT_USAGE;
    const char *format = o.format ? o.format : "text";
    static const char *const formats[] = {"text", "json", "csv", "html"};
    int which = js_vocab_find(formats, 4, format);
    if (which < 0)
        return cli_usage_error("check", "未知格式 '%s'（可用 text、json、csv、html）", format);
    if (o.workbook && js_is_batch_folder(o.workbook) && js_is_report_folder(o.workbook)) {
        if (which > 1)
            return cli_usage_error("check", "报告目录的批量审核的格式可用 text、json");
        return cli_reports(&o, which == 1);
    }
    if (which == 3 && !(o.workbook && js_is_report_file(o.workbook)))
        return cli_usage_error("check", "html 格式只用于已公开的报告（PDF 或文本）");
    if (o.workbook && js_is_batch_folder(o.workbook)) {
        if (cli_is_stdout(o.output))
            return cli_folder_not_stdout("check");
        if (which >= 2)
            return cli_usage_error("check", "批量审核的格式可用 text、json");
        return cli_batch("check", &o, JS_OUT_AUDIT);
    }
    if (o.jobs || o.verbose)
        return cli_usage_error("check", "%s 只用于批量模式（工作簿所在的目录）", o.jobs ? "--jobs" : "-v（--verbose）");
    js_diag d;
    js_diag_clear(&d);
    js_run_shared *s = NULL;
    js_run *r = NULL;
    js_findings *own = NULL;
    const js_findings *f = NULL;
    js_buf tables;
    js_buf_init(&tables, JS_MAX_OUTPUT_BYTES);
    int rc;
    if (o.workbook && is_printed(o.workbook)) {
        /* a printed tables.json, or a published report read back */
        bool report = js_is_report_file(o.workbook);
        s = js_run_shared_new(cli_datadir(&o));
        own = s ? js_findings_new() : NULL;
        js_status st = !own     ? JS_E_NOMEM
                       : report ? js_check_report_tables(s, o.workbook, o.profile, own, which == 3 ? &tables : NULL, &d)
                                : js_check_tables_json(s, o.workbook, o.profile, own, &d);
        if (!own)
            rc = EXIT_IO;
        else if (st != JS_OK)
            rc = cli_fail(&d);
        else
            f = own, rc = EXIT_OK;
    } else if ((rc = cli_open("check", &o, &s, &r)) == EXIT_OK && !(f = js_run_findings(r, &d))) {
        rc = cli_fail(&d);
    }
    if (f) {
        js_buf out;
        js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
        js_status st = which == 1   ? js_findings_json(f, &out)
                       : which == 2 ? js_findings_csv(f, &out)
                       : which == 3 ? js_findings_html(f, tables.data, tables.len, &out)
                                    : js_findings_text(f, (!o.output || cli_is_stdout(o.output)) && isatty(1) && !getenv("NO_COLOR"), &out);
        rc = st != JS_OK ? EXIT_IO : cli_emit(o.output, &out);
        if (rc == EXIT_OK && js_findings_by_severity(f, JS_SEV_ERROR) > 0)
            rc = EXIT_FINDINGS;
        js_buf_release(&out);
    }
    js_buf_release(&tables);
    js_findings_free(own);
    cli_close(s, r);
    return rc;
}
