/* Fuzz target: the workbook reader and the table engine. The input is up
 * to four sheets separated by a line "===": department.csv, units.csv,
 * expenditure.csv, revenue.csv; missing ones are small valid sheets. The
 * tables are compiled with the default profile and rendered. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/juesuan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_names[4] = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv"};
static const char *const k_default[4] = {
    "项目,内容\n部门名称,测试局\n年度,2024\n",
    "单位名称,单位性质\n甲,行政\n",
    "单位,功能分类科目编码,经济分类科目编码,资金来源,支出类型,金额(元)\n甲,2060101,30101,一般公共预算财政拨款,基本支出,100.00\n",
    "单位,功能分类科目编码,收入类型,金额(元)\n甲,2060101,一般公共预算财政拨款,100.00\n",
};

typedef struct {
    const char *part[4];
    size_t len[4];
} sheets;

static js_status get(void *ctx, const char *file, char **data, size_t *len, char *display,
                     size_t display_len, js_diag *d)
{
    const sheets *s = ctx;
    snprintf(display, display_len, "%s", file);
    for (int i = 0; i < 4; i++) {
        if (strcmp(file, k_names[i]) == 0) {
            *data = malloc(s->len[i] + 1);
            if (!*data)
                return JS_E_NOMEM;
            memcpy(*data, s->part[i], s->len[i]);
            (*data)[s->len[i]] = '\0';
            *len = s->len[i];
            return JS_OK;
        }
    }
    *data = NULL;
    (void)d;
    return JS_OK; /* absent */
}

static const char *datadir(void)
{
    const char *e = getenv("JUESUAN_DATA");
    return e ? e : "data";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_dict_cache *dicts;
    static js_profile *profile;
    js_diag d;
    if (!dicts) {
        dicts = js_dict_cache_new(datadir());
        profile = js_profile_load(datadir(), "default", &d);
        if (!dicts || !profile)
            abort();
    }
    sheets s;
    for (int i = 0; i < 4; i++) {
        s.part[i] = k_default[i];
        s.len[i] = strlen(k_default[i]);
    }
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < 4 && p <= end; i++) {
        const char *sep = NULL;
        for (const char *q = p; q + 5 <= end; q++)
            if (!memcmp(q, "\n===\n", 5)) {
                sep = q;
                break;
            }
        s.part[i] = p;
        s.len[i] = (size_t)((sep ? sep : end) - p);
        if (!sep)
            break;
        p = sep + 5;
    }
    js_sheet_source src = {&s, get, NULL, NULL, NULL};
    js_workbook *wb = js_workbook_read(datadir(), dicts, &src, &d);
    if (!wb)
        return 0;
    js_tableset *ts = js_tables_compile(wb, profile, -1, &d);
    if (ts) {
        js_buf b;
        js_buf_init(&b, 1 << 24);
        js_render_text(ts, &b);
        js_render_json(ts, &b);
        js_render_long(ts, &b);
        js_buf_release(&b);
        js_tableset_free(ts);
    }
    js_workbook_free(wb);
    return 0;
}
