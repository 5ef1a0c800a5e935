/* Fuzz target: the JSON reader in front of jansson (lib/base/json_read.c).
 * Beyond no crash: a text it reads itself gives the value jansson gives. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *plain = js_json_read_plain((const char *)data, size);
    if (!plain)
        return 0;
    json_error_t err;
    json_t *want = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
    char *a = json_dumps(plain, JSON_COMPACT | JSON_PRESERVE_ORDER);
    char *b = want ? json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (!b || strcmp(a, b))
        abort();
    free(a);
    free(b);
    json_decref(plain);
    json_decref(want);
    return 0;
}
