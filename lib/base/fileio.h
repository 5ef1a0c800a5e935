/* Whole-file reads with a size cap (declared in the public output.h). */
#ifndef JS_FILEIO_H
#define JS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/output.h"

/* Maps a file of at least min bytes read-only into memory (its pages
 * loaded at once), which spares copying a big sheet; *mapped says whether
 * it was mapped (else it was read as js_read_file does, for a small file or
 * where mapping fails). Release with js_release_file. */
js_status js_load_file(const char *path, long max, size_t min, char **data, size_t *len, bool *mapped,
                       js_diag *d);
void js_release_file(char *data, size_t len, bool mapped);

#endif
