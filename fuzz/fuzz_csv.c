/* Fuzz target: the CSV reader (encoding detection, quoting, limits). */
#include <stdint.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_diag d;
    js_csv *c = js_csv_open("fuzz.csv", (const char *)data, size, &d);
    if (!c)
        return 0;
    while (js_csv_next(c, &d) > 0)
        for (size_t i = 0; i < js_csv_nfields(c); i++)
            (void)js_csv_field_len(c, i);
    js_csv_free(c);
    return 0;
}
