/* Fuzz target: the narrative template language. The input is a report.vars
 * text, a line "====", and a report.tpl text, expanded over the tables of a
 * small fixed workbook. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/juesuan.h"
#include "narrative.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_names[] = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv",
                                      "text.csv"};
static const char *const k_sheets[] = {
    "项目,内容\n部门名称,测试局\n年度,2024\n",
    "单位名称,单位性质\n甲,行政\n",
    ("单位,功能分类科目编码,经济分类科目编码,资金来源,支出类型,金额(元)\n"
     "甲,2060101,30101,一般公共预算财政拨款,基本支出,100.00\n甲,2060102,30201,一般公共预算财政拨款,项目支出,50.50\n"),
    "单位,功能分类科目编码,收入类型,金额(元)\n甲,2060101,一般公共预算财政拨款,150.50\n",
    "章节,内容\n收支总体增减原因,原因\n",
};

static js_status get(void *ctx, const char *file, char **data, size_t *len, char *display,
                     size_t dl, js_diag *d)
{
    (void)ctx;
    snprintf(display, dl, "%s", file);
    for (size_t i = 0; i < sizeof k_names / sizeof k_names[0]; i++)
        if (!strcmp(file, k_names[i])) {
            *data = strdup(k_sheets[i]);
            *len = strlen(k_sheets[i]);
            return *data ? JS_OK : JS_E_NOMEM;
        }
    *data = NULL;
    (void)d;
    return JS_OK; /* absent */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_tableset *ts;
    js_diag d;
    if (!ts) {
        const char *dir = getenv("JUESUAN_DATA") ? getenv("JUESUAN_DATA") : "data";
        js_sheet_source src = {NULL, get, NULL, NULL, NULL, NULL};
        js_workbook *wb = js_workbook_read(dir, NULL, &src, &d);
        js_profile *p = wb ? js_profile_load(dir, "default", &d) : NULL;
        ts = p ? js_tables_compile(wb, p, -1, &d) : NULL;
        if (!ts)
            abort(); /* wb and p live as long as the process */
    }
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *tpl = strstr(text, "\n====\n");
    const char *vars = "";
    if (tpl) {
        *tpl = '\0';
        vars = text;
        tpl += 6;
    } else {
        tpl = text;
    }
    js_narrative_options opt = {.percent_decimals = 1, .strip_zeros = true, .draft = true};
    js_findings *gaps = js_findings_new();
    js_buf out;
    js_buf_init(&out, 1 << 22);
    js_narrative_figures figs = {0};
    js_narrative_expand("fuzz.tpl", tpl, "fuzz.vars", vars, ts, &opt, gaps, &out, &figs, &d);
    free(figs.v);
    js_buf_release(&out);
    js_findings_free(gaps);
    free(text);
    return 0;
}
