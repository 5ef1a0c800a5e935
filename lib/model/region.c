/* Consolidation of departments (see region.h). */
#include "juesuan/region.h"

#include <pthread.h>
#include <stdlib.h>

#include "fact_sum.h"

struct js_region {
    pthread_mutex_t lock;
    js_fact_summer sums; /* unit: the unit kind, or UINT32_MAX */
    size_t departments;
};

js_region *js_region_new(void)
{
    js_region *r = calloc(1, sizeof *r);
    if (r)
        pthread_mutex_init(&r->lock, NULL);
    return r;
}

js_status js_region_add(js_region *r, const js_workbook *wb, js_diag *d)
{
    size_t n;
    js_fact *facts;
    static const js_fact_depth whole = {7, 5};
    if (!js_fact_sum(wb, -1, true, &whole, 1, &facts, &n, d))
        return d ? d->status : JS_E_INPUT;
    js_status st = JS_OK;
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < n && st == JS_OK; i++) {
        bool overflow;
        facts[i].sheet_line = 0; /* lines of one department mean nothing in the sum */
        facts[i].project = UINT32_MAX;
        facts[i].func_name = facts[i].econ_name = NULL;
        if (!js_fact_summer_add(&r->sums, &facts[i], &overflow))
            st = overflow ? js_diag_set(d, JS_E_INPUT, js_workbook_department(wb), 0, 0, NULL,
                                        "汇总金额超出范围")
                          : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    if (st == JS_OK)
        r->departments++;
    pthread_mutex_unlock(&r->lock);
    free(facts);
    return st;
}

size_t js_region_count(const js_region *r) { return r->departments; }

js_workbook *js_region_workbook(js_region *r, const char *name, int year, const char *profile,
                                js_dict *dict, js_diag *d)
{
    static const char *const names[JS_UNIT_KIND_COUNT] = {"行政单位", "参公单位", "事业单位"};
    js_unit units[JS_UNIT_KIND_COUNT];
    for (int k = 0; k < JS_UNIT_KIND_COUNT; k++)
        units[k] = (js_unit){names[k], (js_unit_kind)k};
    size_t n;
    js_fact *facts = js_fact_summer_take(&r->sums, &n);
    return js_workbook_assemble(name, year, profile, dict, units, JS_UNIT_KIND_COUNT, facts, n, d);
}

void js_region_free(js_region *r)
{
    if (!r)
        return;
    js_fact_summer_free(&r->sums);
    pthread_mutex_destroy(&r->lock);
    free(r);
}
