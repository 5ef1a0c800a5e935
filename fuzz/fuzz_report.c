/* Fuzz target: reading a report back. The first byte chooses the input
 * form (pdftotext -tsv word list or extracted text); the lines are then run
 * through the table recogniser with the default profile. */
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
    static js_profile *p;
    static js_playout l;
    static js_dict *dict;
    if (!p) {
        const char *dir = getenv("JUESUAN_DATA") ? getenv("JUESUAN_DATA") : "data";
        p = js_profile_load(dir, "default", NULL);
        if (!p || js_playout_load(dir, p, &l, NULL) != JS_OK)
            abort();
        dict = js_dict_load(dir, 2024, NULL);
    }
    if (size < 1)
        return 0;
    js_diag d;
    js_rdoc *doc = data[0] & 1 ? js_rdoc_from_tsv("fuzz.tsv", (const char *)data + 1, size - 1, &d)
                               : js_rdoc_from_text("fuzz.txt", (const char *)data + 1, size - 1, &d);
    if (!doc)
        return 0;
    bool *in_table = calloc(doc->nlines + 1, sizeof *in_table);
    js_ptmeta meta = {0};
    if (in_table) {
        json_t *t = js_printed_tables(doc, p, &l, dict, &meta, in_table);
        json_decref(t);
    }
    free(in_table);
    js_rdoc_free(doc);
    return 0;
}
