/* Whole-file reads with a size cap. */
#ifndef JS_FILEIO_H
#define JS_FILEIO_H

#include <stddef.h>

#include "juesuan/diag.h"

/* Reads path into a malloc'd NUL-terminated buffer. Files over max bytes
 * fail with JS_E_LIMIT; a missing file with JS_E_IO. */
js_status js_read_file(const char *path, long max, char **data, size_t *len, js_diag *d);

#endif
