/* Fuzz target: a workbook rendered as the report, to catch rendering that
 * costs more than linear time in the input (`make fuzz` runs it with
 * -timeout=5: an input that takes longer is reported as a crash). The
 * input is the workbook's sheets in the schema's order (department.csv,
 * units.csv, expenditure.csv, revenue.csv, …; workbook_schema.h) separated
 * by lines "===" (an empty part is an absent sheet); the four the tables
 * need default to small valid sheets, the others to absent. The tables are compiled with the default profile,
 * the 绩效 scored, the narrative written (as a draft when the input's size
 * is odd) and the report rendered as Markdown, HTML (with its charts) and
 * tables.xlsx. The PDF is left out: it is drawn by the pango plugin, which
 * the fuzz build does not load. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_sheets.h"
#include "juesuan/juesuan.h"
#include "juesuan/report.h"
#include "workbook_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_dict_cache *dicts;
    static js_profile *profile;
    static const char *names[FUZZ_MAX_SHEETS];
    js_diag d;
    if (!dicts) {
        dicts = js_dict_cache_new(fuzz_datadir());
        profile = js_profile_load(fuzz_datadir(), "default", &d);
        if (!dicts || !profile || js_nsheets > FUZZ_MAX_SHEETS)
            abort();
        for (int i = 0; i < js_nsheets; i++)
            names[i] = js_sheets[i].file;
    }
    fuzz_sheets s;
    fuzz_sheets_split(&s, names, js_nsheets, data, size);
    js_sheet_source src = {&s, fuzz_sheets_get, NULL, NULL, NULL, NULL};
    js_workbook *wb = js_workbook_read(fuzz_datadir(), dicts, &src, &d);
    js_tableset *ts = wb ? js_tables_compile(wb, profile, -1, &d) : NULL;
    js_perf *pf = ts ? js_perf_compute(wb, profile, &d) : NULL;
    js_findings *gaps = pf ? js_findings_new() : NULL;
    js_report *r = gaps ? js_report_build(fuzz_datadir(), ts, pf, size & 1, gaps, &d) : NULL;
    if (r) {
        js_buf b;
        js_buf_init(&b, 1 << 26);
        js_report_markdown(r, &b);
        js_buf_reset(&b);
        js_report_html(r, &b);
        js_buf_reset(&b);
        js_report_xlsx(r, &b, &d);
        js_buf_release(&b);
    }
    js_report_free(r);
    js_findings_free(gaps);
    js_perf_free(pf);
    js_tableset_free(ts);
    js_workbook_free(wb);
    return 0;
}
