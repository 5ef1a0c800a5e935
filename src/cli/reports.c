/* `check DIR` over a folder of published reports: each report's counts and
 * errors, then the findings by rule over all of them, and the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct {
    const char *rule;
    size_t n[JS_SEV_COUNT];
} rule_count;

static int rule_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_count *)a)->rule, ((const rule_count *)b)->rule);
}

int cli_reports(const cli_opts *o)
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
    size_t unreadable = 0, failed = 0, nrules = 0, cap = 0;
    rule_count *rules = NULL;
    for (size_t i = 0; i < js_report_batch_count(b); i++) {
        const js_report_result *x = js_report_batch_at(b, i);
        if (x->status != JS_OK) {
            char msg[2048];
            js_diag_format(&x->diag, msg, sizeof msg);
            printf("%s：无法读取：%s\n", x->path, msg);
            unreadable++;
            continue;
        }
        size_t e = js_findings_by_severity(x->findings, JS_SEV_ERROR);
        failed += e > 0;
        printf("%s：错误 %zu，核实 %zu，提示 %zu\n", x->path, e, js_findings_by_severity(x->findings, JS_SEV_VERIFY),
               js_findings_by_severity(x->findings, JS_SEV_INFO));
        for (size_t k = 0; k < js_findings_count(x->findings); k++) {
            const js_finding *f = js_findings_at(x->findings, k);
            if (f->severity == JS_SEV_ERROR)
                printf("  [%s] %s\n", f->rule, f->message);
            size_t r = 0;
            while (r < nrules && strcmp(rules[r].rule, f->rule))
                r++;
            if (r == nrules) {
                if (nrules == cap) {
                    rule_count *g = realloc(rules, sizeof *rules * (cap = cap ? cap * 2 : 32));
                    if (!g)
                        break;
                    rules = g;
                }
                memset(&rules[nrules], 0, sizeof *rules);
                rules[nrules++].rule = f->rule;
            }
            rules[r].n[f->severity]++;
        }
    }
    size_t n = js_report_batch_count(b);
    printf("\n共 %zu 份报告：通过 %zu，未通过 %zu，无法读取 %zu\n", n, n - failed - unreadable, failed, unreadable);
    if (nrules)
        qsort(rules, nrules, sizeof *rules, rule_cmp);
    for (size_t r = 0; r < nrules; r++)
        printf("  %-8s 错误 %zu，核实 %zu，提示 %zu\n", rules[r].rule, rules[r].n[JS_SEV_ERROR],
               rules[r].n[JS_SEV_VERIFY], rules[r].n[JS_SEV_INFO]);
    free(rules);
    js_report_batch_free(b);
    js_run_shared_free(s);
    return unreadable ? EXIT_BADINPUT : failed ? EXIT_FINDINGS : EXIT_OK;
}
