/* Fuzz target: the block-wise UTF-8 check agrees with the scalar one. */
#include <stdint.h>
#include <stdlib.h>

#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (js_utf8_invalid_at((const char *)data, size) != js_utf8_invalid_at_scalar((const char *)data, size))
        abort();
    return 0;
}
