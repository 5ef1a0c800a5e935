/* Fuzz target: an uploaded file as the portal stages it (lib/serve/
 * upload.c): the zip container, the member names a CSV folder may hold,
 * the size and ratio limits, unpacking into a temporary folder. */
#include <stdint.h>
#include <stdlib.h>

#include "serve_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *tmp = NULL, *path = NULL;
    js_diag d;
    upload_stage(data, size, &tmp, &path, &d);
    rm_tree(tmp);
    free(tmp);
    free(path);
    return 0;
}
