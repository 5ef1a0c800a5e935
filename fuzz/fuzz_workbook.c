/* Fuzz target: the workbook reader and the table engine. The input is up
 * to four sheets separated by a line "===": department.csv, units.csv,
 * expenditure.csv, revenue.csv (fuzz_sheets.h: an empty part is an absent
 * sheet, one the input does not reach a small valid one). The
 * tables are compiled with the default profile and rendered; the
 * workbook is read again summed for its tables only (what `juesuan
 * tables` does), which must give the same error or the same tables. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_sheets.h"
#include "juesuan/juesuan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_names[4] = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv"};

static js_profile *profile;

static size_t profile_depths(void *ctx, const char *name, js_sum_depth *depths)
{
    (void)ctx;
    (void)name;
    return js_tables_depths(profile, depths);
}

static uint32_t profile_sources(void *ctx, const char *name)
{
    (void)ctx;
    (void)name;
    return js_tables_sources(profile);
}

/* The tables of wb as JSON (NULL with d filled when they do not compile);
 * the caller frees the text. */
static char *tables_json(const js_workbook *wb, js_diag *d, size_t *len)
{
    js_tableset *ts = js_tables_compile(wb, profile, -1, d);
    if (!ts)
        return NULL;
    js_buf b;
    js_buf_init(&b, 1 << 24);
    js_render_text(ts, &b);
    b.len = 0;
    js_render_long(ts, NULL, &b);
    b.len = 0;
    js_render_json(ts, &b);
    js_tableset_free(ts);
    *len = b.len;
    return b.data;
}

static bool same_diag(const js_diag *a, const js_diag *b)
{
    char x[2048], y[2048];
    js_diag_format(a, x, sizeof x);
    js_diag_format(b, y, sizeof y);
    return a->status == b->status && !strcmp(x, y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_dict_cache *dicts;
    js_diag d, ds;
    if (!dicts) {
        dicts = js_dict_cache_new(fuzz_datadir());
        profile = js_profile_load(fuzz_datadir(), "default", &d);
        if (!dicts || !profile)
            abort();
    }
    fuzz_sheets s;
    fuzz_sheets_split(&s, k_names, 4, data, size);
    js_sheet_source src = {&s, fuzz_sheets_get, NULL, NULL, NULL, NULL};
    js_diag_clear(&d);
    js_diag_clear(&ds);
    js_workbook *wb = js_workbook_read(fuzz_datadir(), dicts, &src, &d);
    js_sum_plan plan = {profile_depths, NULL, profile_sources};
    js_workbook *summed = js_workbook_read_summed(fuzz_datadir(), dicts, &src, &plan, &ds);
    size_t n = 0, ns = 0;
    char *full = wb ? tables_json(wb, &d, &n) : NULL;
    char *sums = summed ? tables_json(summed, &ds, &ns) : NULL;
    /* the same tables, or the same error (a sum out of range is found
     * while reading summed, when compiling otherwise) */
    if ((full || sums) ? !full || !sums || n != ns || memcmp(full, sums, n) : !same_diag(&d, &ds))
        abort();
    free(full);
    free(sums);
    js_workbook_free(summed);
    js_workbook_free(wb);
    return 0;
}
