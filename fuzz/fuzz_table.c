/* Fuzz target: table definitions (profile JSON). */
#include <stdint.h>

#include "juesuan/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_profile *p = js_profile_new("fuzz");
    js_diag d;
    if (p)
        js_profile_parse_table(p, "fuzz.json", (const char *)data, size, &d);
    js_profile_free(p);
    return 0;
}
