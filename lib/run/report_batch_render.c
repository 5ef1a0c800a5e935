/* The results of checking a folder of published reports (run.h), as text
 * and as JSON: each report's counts and findings, then the findings summed
 * by rule over all of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "jsonout.h"
#include "juesuan/run.h"
#include "vec.h"

typedef struct {
    const char *rule;
    size_t n[JS_SEV_COUNT];
    size_t reports; /* reports with at least one finding of the rule */
} rule_count;

typedef struct {
    rule_count *rules;
    size_t nrules, cap;
    size_t unreadable, failed;
} tally;

static int rule_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_count *)a)->rule, ((const rule_count *)b)->rule);
}

/* Sums the findings of every report by rule; false when out of memory. */
static bool count(const js_report_batch *b, tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < js_report_batch_count(b); i++) {
        const js_report_result *x = js_report_batch_at(b, i);
        if (x->status != JS_OK) {
            t->unreadable++;
            continue;
        }
        t->failed += js_findings_by_severity(x->findings, JS_SEV_ERROR) > 0;
        for (size_t k = 0; k < js_findings_count(x->findings); k++) {
            const js_finding *f = js_findings_at(x->findings, k);
            size_t r = 0;
            while (r < t->nrules && strcmp(t->rules[r].rule, f->rule))
                r++;
            if (r == t->nrules) {
                if (!js_vec_reserve(&t->rules, &t->cap, t->nrules + 1, sizeof *t->rules))
                    return false;
                memset(&t->rules[t->nrules], 0, sizeof *t->rules);
                t->rules[t->nrules++].rule = f->rule;
            }
            /* the first finding of this rule in this report counts the report */
            bool seen = false;
            for (size_t j = 0; j < k && !seen; j++)
                seen = !strcmp(js_findings_at(x->findings, j)->rule, f->rule);
            t->rules[r].reports += !seen;
            t->rules[r].n[f->severity] += f->omitted ? f->omitted : 1;
        }
    }
    if (t->nrules)
        qsort(t->rules, t->nrules, sizeof *t->rules, rule_cmp);
    return true;
}

js_status js_report_batch_text(const js_report_batch *b, js_buf *out)
{
    tally t;
    if (!count(b, &t)) {
        free(t.rules);
        return JS_E_NOMEM;
    }
    for (size_t i = 0; i < js_report_batch_count(b); i++) {
        const js_report_result *x = js_report_batch_at(b, i);
        if (x->status != JS_OK) {
            char msg[2048];
            js_diag_format(&x->diag, msg, sizeof msg);
            js_buf_printf(out, "%s：无法读取：%s\n", x->path, msg);
            continue;
        }
        js_buf_printf(out, "%s：错误 %zu，核实 %zu，提示 %zu\n", x->path, js_findings_by_severity(x->findings, JS_SEV_ERROR),
                      js_findings_by_severity(x->findings, JS_SEV_VERIFY),
                      js_findings_by_severity(x->findings, JS_SEV_INFO));
        for (size_t k = 0; k < js_findings_count(x->findings); k++) {
            const js_finding *f = js_findings_at(x->findings, k);
            if (f->severity == JS_SEV_ERROR)
                js_buf_printf(out, "  [%s] %s\n", f->rule, f->message);
        }
    }
    size_t n = js_report_batch_count(b);
    js_buf_printf(out, "\n共 %zu 份报告：通过 %zu，未通过 %zu，无法读取 %zu\n", n, n - t.failed - t.unreadable, t.failed,
                  t.unreadable);
    for (size_t r = 0; r < t.nrules; r++)
        js_buf_printf(out, "  %-8s 错误 %zu，核实 %zu，提示 %zu\n", t.rules[r].rule, t.rules[r].n[JS_SEV_ERROR],
                      t.rules[r].n[JS_SEV_VERIFY], t.rules[r].n[JS_SEV_INFO]);
    free(t.rules);
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

js_status js_report_batch_json(const js_report_batch *b, js_buf *out)
{
    tally t;
    if (!count(b, &t)) {
        free(t.rules);
        return JS_E_NOMEM;
    }
    json_t *reports = json_array();
    for (size_t i = 0; i < js_report_batch_count(b); i++) {
        const js_report_result *x = js_report_batch_at(b, i);
        json_t *o = json_pack("{s:s}", "file", x->path);
        if (x->status != JS_OK) {
            char msg[2048];
            js_diag_format(&x->diag, msg, sizeof msg);
            json_object_set_new(o, "status", json_string("unreadable"));
            json_object_set_new(o, "error", json_string(msg));
        } else {
            bool failed = js_findings_by_severity(x->findings, JS_SEV_ERROR) > 0;
            json_object_set_new(o, "status", json_string(failed ? "failed" : "passed"));
            json_object_set_new(o, "findings", js_findings_json_object(x->findings));
        }
        json_array_append_new(reports, o);
    }
    json_t *by_rule = json_array();
    for (size_t r = 0; r < t.nrules; r++)
        json_array_append_new(by_rule, json_pack("{s:s, s:I, s:I, s:I, s:I}", "rule", t.rules[r].rule, "reports",
                                                 (json_int_t)t.rules[r].reports, "error",
                                                 (json_int_t)t.rules[r].n[JS_SEV_ERROR], "verify",
                                                 (json_int_t)t.rules[r].n[JS_SEV_VERIFY], "info",
                                                 (json_int_t)t.rules[r].n[JS_SEV_INFO]));
    size_t n = js_report_batch_count(b);
    json_t *root = json_pack("{s:s, s:i, s:{s:I, s:I, s:I, s:I, s:o}, s:o}", "format", "juesuan-report-check",
                             "version", 1, "summary", "reports", (json_int_t)n, "passed",
                             (json_int_t)(n - t.failed - t.unreadable), "failed", (json_int_t)t.failed, "unreadable",
                             (json_int_t)t.unreadable, "by_rule", by_rule, "reports", reports);
    free(t.rules);
    return js_json_out(root, out);
}

int js_report_batch_outcome(const js_report_batch *b)
{
    int worst = 0;
    for (size_t i = 0; i < js_report_batch_count(b); i++) {
        const js_report_result *x = js_report_batch_at(b, i);
        if (x->status != JS_OK)
            return 2;
        if (js_findings_by_severity(x->findings, JS_SEV_ERROR) > 0)
            worst = 1;
    }
    return worst;
}
