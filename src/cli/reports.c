/* `check DIR` over a folder of published reports: each report's counts and
 * errors, then the findings by rule over all of them (text or JSON), and
 * the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

int cli_reports(const cli_opts *o, bool json)
{
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs) {
        char *end;
        jobs = strtol(o->jobs, &end, 10);
        if (*end || jobs < 1 || jobs > 64)
            return cli_usage_error("check", "--jobs 须为 1 到 64 的整数，而不是 '%s'", o->jobs);
    }
    js_diag d;
    js_diag_clear(&d);
    js_run_shared *s = js_run_shared_new(cli_datadir(o));
    js_report_batch *b = s ? js_report_batch_run(s, o->workbook, o->profile, (int)jobs, &d) : NULL;
    if (!b) {
        js_run_shared_free(s);
        return s ? cli_fail(&d) : EXIT_IO;
    }
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    js_status st = json ? js_report_batch_json(b, &out) : js_report_batch_text(b, &out);
    int rc = st != JS_OK ? EXIT_IO : cli_emit(o->output, &out);
    if (rc == EXIT_OK) {
        int outcome = js_report_batch_outcome(b);
        rc = outcome == 2 ? EXIT_BADINPUT : outcome == 1 ? EXIT_FINDINGS : EXIT_OK;
    }
    js_buf_release(&out);
    js_report_batch_free(b);
    js_run_shared_free(s);
    return rc;
}
