/* Reading input files, and all-or-nothing output: files are written to temporary names in the
 * target directory and renamed into place only when every one was written,
 * so a failure leaves no partial output behind. */
#ifndef JUESUAN_OUTPUT_H
#define JUESUAN_OUTPUT_H

#include <stddef.h>

#include "juesuan/diag.h"

/* Reads path into a malloc'd NUL-terminated buffer (the caller frees it).
 * Files over max bytes fail with JS_E_LIMIT; a missing file with JS_E_IO. */
js_status js_read_file(const char *path, long max, char **data, size_t *len, js_diag *d);

typedef struct js_outset js_outset;

/* Starts a set of files under dir (created, with parents, if missing). */
js_outset *js_outset_begin(const char *dir, js_diag *d);
/* Writes name (relative to dir) to a temporary file. */
js_status js_outset_add(js_outset *o, const char *name, const void *data, size_t len,
                        js_diag *d);
/* Reserves name (relative to dir) for a file the caller writes itself (a
 * library that only writes to a path): *tmp_path, owned by o, is where to
 * write it; commit renames it like the others. */
js_status js_outset_reserve(js_outset *o, const char *name, const char **tmp_path, js_diag *d);
/* Renames every temporary file into place and frees o. */
js_status js_outset_commit(js_outset *o, js_diag *d);
/* Removes every temporary file and frees o (o may be NULL). */
void js_outset_abort(js_outset *o);

/* Writes one file atomically (temporary file + rename). */
js_status js_write_file_atomic(const char *path, const void *data, size_t len, js_diag *d);

#endif
