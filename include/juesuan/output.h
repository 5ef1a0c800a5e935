/* Reading input files, and all-or-nothing output.
 *
 * An output set (a build's folder, a batch's folder, a template) is written
 * into a fresh sibling folder (PARENT/.NAME.tmp-PID), every file flushed
 * to disk, then swapped in place of the folder with one rename
 * (renameat2 RENAME_EXCHANGE where the file system has it), the previous
 * set removed afterwards: a reader, a failure or a kill -9 at any moment
 * sees the previous set or the new one, whole, never a mix. Temporaries of
 * runs that died are removed by the next run on the same folder. The
 * folder is replaced whole: an existing folder is only replaced when it is
 * empty or holds a set written before (the marker file .juesuan-output),
 * never a folder holding other files. */
#ifndef JUESUAN_OUTPUT_H
#define JUESUAN_OUTPUT_H

#include <stddef.h>

#include "juesuan/diag.h"

/* Reads the regular file path into a malloc'd NUL-terminated buffer (the
 * caller frees it). A file over max bytes is JS_E_LIMIT and one that is not
 * a regular file (directory, FIFO, device, socket) JS_E_INPUT, both before
 * any byte is read; a missing or unreadable file JS_E_IO. */
js_status js_read_file(const char *path, long max, char **data, size_t *len, js_diag *d);

typedef struct js_outset js_outset;

/* The marker file every output set holds. */
extern const char js_outset_marker[];

/* Starts a set of files that will become the folder dir (its parents are
 * created). NULL and d filled (JS_E_IO) when dir exists but is not a folder
 * or holds files that are not a set written before. */
js_outset *js_outset_begin(const char *dir, js_diag *d);
/* The same for a workbook folder (a template, a converted .xlsx): no
 * marker, as it holds the user's data once filled in; an existing folder
 * is only replaced when it is empty or holds nothing but entries named in
 * names (NULL-terminated; may be NULL): the files a workbook has. */
js_outset *js_outset_begin_workbook(const char *dir, const char *const *names, js_diag *d);
/* Starts a set inside the folder of an outer set (under js_outset_dir):
 * written in place, flushed and swapped in with the outer set; its commit
 * only frees it, its abort removes dir. */
js_outset *js_outset_begin_nested(const char *dir, js_diag *d);
/* Writes name (relative to dir) into the set; messages name dir/name. */
js_status js_outset_add(js_outset *o, const char *name, const void *data, size_t len,
                        js_diag *d);
/* The folder being filled (owned by o): a nested set (a batch's
 * departments) is begun under it and so committed with it. */
const char *js_outset_dir(const js_outset *o);
/* Flushes the set and swaps it in place of dir; frees o. On failure the
 * previous set stays as it was. */
js_status js_outset_commit(js_outset *o, js_diag *d);
/* Removes everything written and frees o (o may be NULL). */
void js_outset_abort(js_outset *o);

/* Writes one file atomically (temporary sibling, fsync, rename). An
 * existing character device or FIFO is written into, not replaced; any
 * other path that is not a regular file (a symbolic link, directory,
 * socket, block device) is refused with JS_E_IO. */
js_status js_write_file_atomic(const char *path, const void *data, size_t len, js_diag *d);

#endif
