/* Fuzz target: reading a report back. The first byte chooses the input
 * form (bit 0: pdftotext -tsv word list or extracted text) and the layout
 * (bit 1: the default profile or shanghai-budget, tables in 元, numbered
 * 类 rows found in the dictionary); the lines are then run through the
 * table recogniser. */
#include <stdint.h>
#include <stdlib.h>

#include "juesuan/dict.h"
#include "juesuan/profile.h"
#include "printed_layout.h"
#include "printed_tables.h"
#include "report_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[2] = {"default", "shanghai-budget"};
    static js_profile *ps[2];
    static js_playout ls[2];
    static js_dict *dict;
    if (!ps[0]) {
        const char *dir = getenv("JUESUAN_DATA") ? getenv("JUESUAN_DATA") : "data";
        for (int i = 0; i < 2; i++) {
            ps[i] = js_profile_load(dir, names[i], NULL);
            if (!ps[i] || js_playout_load(dir, ps[i], &ls[i], NULL) != JS_OK)
                abort();
        }
        dict = js_dict_load(dir, 2024, NULL);
    }
    if (size < 1)
        return 0;
    const js_profile *p = ps[data[0] >> 1 & 1];
    const js_playout *lp = &ls[data[0] >> 1 & 1];
    js_diag d;
    js_rdoc *doc = data[0] & 1 ? js_rdoc_from_tsv("fuzz.tsv", (const char *)data + 1, size - 1, &d)
                               : js_rdoc_from_text("fuzz.txt", (const char *)data + 1, size - 1, &d);
    if (!doc)
        return 0;
    bool *in_table = calloc(doc->nlines + 1, sizeof *in_table);
    js_ptmeta meta = {0};
    if (in_table) {
        json_t *t = js_printed_tables(doc, p, lp, dict, &meta, in_table);
        json_decref(t);
    }
    free(in_table);
    js_rdoc_free(doc);
    return 0;
}
