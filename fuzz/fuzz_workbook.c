/* Fuzz target: the workbook reader and the table engine. The input is up
 * to four sheets separated by a line "===": department.csv, units.csv,
 * expenditure.csv, revenue.csv (fuzz_sheets.h: an empty part is an absent
 * sheet, one the input does not reach a small valid one). The
 * tables are compiled with the default profile and rendered. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_sheets.h"
#include "juesuan/juesuan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const k_names[4] = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_dict_cache *dicts;
    static js_profile *profile;
    js_diag d;
    if (!dicts) {
        dicts = js_dict_cache_new(fuzz_datadir());
        profile = js_profile_load(fuzz_datadir(), "default", &d);
        if (!dicts || !profile)
            abort();
    }
    fuzz_sheets s;
    fuzz_sheets_split(&s, k_names, 4, data, size);
    js_sheet_source src = {&s, fuzz_sheets_get, NULL, NULL, NULL};
    js_workbook *wb = js_workbook_read(fuzz_datadir(), dicts, &src, &d);
    if (!wb)
        return 0;
    js_tableset *ts = js_tables_compile(wb, profile, -1, &d);
    if (ts) {
        js_buf b;
        js_buf_init(&b, 1 << 24);
        js_render_text(ts, &b);
        js_render_json(ts, &b);
        js_render_long(ts, NULL, &b);
        js_buf_release(&b);
        js_tableset_free(ts);
    }
    js_workbook_free(wb);
    return 0;
}
