/* Fuzz target: reading a tables.json for the audit (printed mode). */
#include <stdint.h>

#include "juesuan/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_diag d;
    js_view *v = js_view_from_json("fuzz.json", (const char *)data, size, &d);
    if (v) {
        for (size_t i = 0; i < js_view_count(v); i++)
            (void)js_view_find(v, js_view_table(v, i)->id);
        js_view_free(v);
    }
    return 0;
}
