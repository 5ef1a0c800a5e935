/* Fuzz target: the block-wise UTF-8 check agrees with the scalar one, and
 * the text check (NUL counts too) with the scalar one and memchr. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t inv = js_utf8_invalid_at_scalar(s, size);
    if (js_utf8_invalid_at(s, size) != inv)
        abort();
    const char *nul = size ? memchr(s, '\0', size) : NULL;
    if (js_utf8_text_invalid_at(s, size) != (nul && (size_t)(nul - s) < inv ? (size_t)(nul - s) : inv))
        abort();
    return 0;
}
