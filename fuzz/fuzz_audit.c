/* Fuzz target: the audit of a printed report, the consistency pass
 * included. Reads the input as a tables.json and runs a fixed set of rules
 * (sums, each-row, each-column, parent rows, an inequality) over it, so that
 * interval propagation and the exact check meet arbitrary figures. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char k_rules[] =
    "version fuzz\n"
    "rule A-001 error\n  message {表}合计\n  check T01[#27].金额 = sum(T01[#1..#8].金额)\n"
    "rule A-002 error\n  message {表}类\n  check T01[#58].金额 = sum(T01[类].金额)\n"
    "rule A-003 error\n  message {表}{行}\n  check each row of T02: 本年收入合计 = 财政拨款收入 + 其他收入\n"
    "rule A-004 error\n  message {表}{列}\n  check each column of T02: T02[合计] = sum(T02[项])\n"
    "rule A-005 error\n  message {表}{行}{列}\n  check each parent row of T02 and column: T02[$] = sum(T02[$*])\n"
    "rule A-006 error\n  message {表}\n  check T01[#27].金额 = T02[合计].本年收入合计\n"
    "rule A-007 error\n  message {表}{行}\n  check each 类 row of T01: 金额 >= sum(T02[$*].财政拨款收入) - 1\n"
    "rule A-008 error\n  message {表}\n  check T01[#58].金额 < T01[#27].金额 + 0.05\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_ruleset *rs;
    js_diag d;
    if (!rs) {
        rs = js_rules_new();
        if (!rs || js_rules_parse(rs, "fuzz.rules", k_rules, strlen(k_rules), &d) != JS_OK)
            abort();
    }
    js_view *v = js_view_from_json("fuzz.json", (const char *)data, size, &d);
    if (v) {
        js_findings *f = js_findings_new();
        if (f && js_rules_run(rs, v, f, &d) == JS_OK) {
            js_buf b;
            js_buf_init(&b, 1 << 22);
            js_findings_json(f, &b);
            js_buf_release(&b);
        }
        js_findings_free(f);
        js_view_free(v);
    }
    return 0;
}
