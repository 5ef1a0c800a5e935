/* Whole-file reads with a size cap (js_read_file is declared in the public
 * output.h). Only regular files are read: a directory, FIFO, device or
 * socket where a file is expected is JS_E_INPUT, refused before any read
 * (a FIFO is opened without waiting for a writer); a file over the cap is
 * JS_E_LIMIT, refused from its size before any read; a file that cannot
 * be opened or read is JS_E_IO with the system's reason in Chinese. */
#ifndef JS_FILEIO_H
#define JS_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/output.h"

typedef struct {
    long max;         /* bytes; a bigger file is JS_E_LIMIT */
    size_t map_from;  /* a file at least this big is mapped, not copied (SIZE_MAX: never) */
    bool populate;    /* load a mapped file's pages at once (it will be read whole) */
    bool missing_ok;  /* a file that does not exist is JS_OK with *data NULL */
} js_load_opts;

/* JS_E_INPUT, naming what it is, when path is a directory, FIFO, device
 * or socket; JS_OK for a regular file or one that does not exist (the
 * reader says so). Nothing is opened: a FIFO is never waited on. */
js_status js_require_regular(const char *path, js_diag *d);

/* js_read_file for a file that may be absent (a profile's own template,
 * found in it or in a parent's): JS_OK with *data NULL when path does not
 * exist; a file that exists but cannot be read is an error, never taken
 * for an absent one. */
js_status js_read_file_if_present(const char *path, long max, char **data, size_t *len, js_diag *d);

/* Reads or maps path read-only; *mapped says which. Release with
 * js_release_file. */
js_status js_load_file(const char *path, const js_load_opts *o, char **data, size_t *len, bool *mapped,
                       js_diag *d);
void js_release_file(char *data, size_t len, bool mapped);

/* errno's meaning in Chinese, for messages to the user (static text). */
const char *js_errno_text(int err);
/* What kind of file st_mode says, in Chinese ("目录", "命名管道（FIFO）"…). */
const char *js_file_kind_text(unsigned mode);

#endif
