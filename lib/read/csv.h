/* A strict RFC 4180 CSV reader over a memory buffer.
 *
 * Accepts UTF-8 (a leading BOM is skipped) and GB18030 (converted to UTF-8
 * when the bytes are not valid UTF-8). Fields are separated by commas and
 * may be quoted with '"' ("" inside quotes is a quote); quoted fields may
 * span lines; records end at LF or CRLF. Records whose fields are all empty
 * are skipped. Every error names the file and the line. */
#ifndef JS_CSV_H
#define JS_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/diag.h"

typedef struct js_csv js_csv;

/* Opens a reader over data (not copied: it must outlive the reader, unless
 * it had to be converted, in which case the reader owns the copy). name is
 * used in messages. On error fills d and returns NULL. */
js_csv *js_csv_open(const char *name, const char *data, size_t len, js_diag *d);

/* Opens a reader over a big file (fd, size bytes), read a window at a
 * time instead of whole. The first window must be UTF-8 text with one
 * BOM at most: NULL when it is not (or out of memory): then read the file
 * whole with js_csv_open, which converts GB18030 or says what is wrong.
 * Past the first window, a byte that is not UTF-8 text, a file that
 * grows or shrinks meanwhile, are errors of js_csv_next at their line
 * (js_csv_broken). fd stays the caller's, open until the reader (and any
 * js_csv_split half) is freed. */
js_csv *js_csv_open_stream(const char *name, int fd, size_t size);
/* The same with a window of window bytes at first (2 MiB above; tests
 * and fuzzing use small ones, to read across many windows' ends). */
js_csv *js_csv_open_stream_window(const char *name, int fd, size_t size, size_t window);
/* Whether reading a streamed input failed (the file changed or cannot be
 * read, or out of memory); then d says so. */
bool js_csv_broken(const js_csv *c, js_diag *d);

/* Reads the next record: 1 when one was read, 0 at the end, -1 on error
 * (d filled). */
int js_csv_next(js_csv *c, js_diag *d);

/* The next line as spans of the input, without copying, when it is plain:
 * no quote, no CR, at most max fields, the line no longer than
 * JS_MAX_CELL_BYTES (so none of its cells is).
 * Returns its number of fields and reads past it (js_csv_line is its
 * line); 0 when it is not plain or there is none, c unchanged: read it
 * with js_csv_next. A plain line is not skipped when blank. */
size_t js_csv_plain(js_csv *c, const char **field, size_t *len, size_t max);
/* The same, keeping the spans of the lines read before valid: a streamed
 * input's window is not moved (0 when the line may reach past it). */
size_t js_csv_plain_ahead(js_csv *c, const char **field, size_t *len, size_t max);
/* A place in the input, to read again from there (e.g. a line read
 * plain, then read by js_csv_next after all). */
typedef struct {
    size_t pos;
    long line;
} js_csv_mark;
/* The bytes not read yet. */
size_t js_csv_left(const js_csv *c);
/* Where the next record starts. */
js_csv_mark js_csv_tell(const js_csv *c);
/* Goes back to m (from js_csv_tell of the same reader). */
void js_csv_seek(js_csv *c, js_csv_mark m);

size_t js_csv_nfields(const js_csv *c);
/* Field i of the current record, NUL-terminated, valid until the next call
 * of js_csv_next. */
const char *js_csv_field(const js_csv *c, size_t i);
size_t js_csv_field_len(const js_csv *c, size_t i);
/* The same field, writable in place (e.g. to cut it short with a NUL);
 * NULL when the record has no field i. */
char *js_csv_field_edit(js_csv *c, size_t i);
/* Line where the current record starts (1-based). */
long js_csv_line(const js_csv *c);
/* True when the input was converted from GB18030. */
bool js_csv_was_gb18030(const js_csv *c);

/* Line of the next byte (after the last record: one past the last line). */
long js_csv_next_line(const js_csv *c);

/* Splits the records not read yet at a line end near their middle, so
 * that two threads can read them: c keeps the first half and *second (to
 * be freed before c, whose input it shares) reads the rest, counting its
 * lines from 1 (add js_csv_next_line(c) - 1 once c has read its half).
 * Only when at least min bytes are left and none before the cut is a
 * quote (a quoted field may hold a line break); false otherwise, c
 * unchanged. */
bool js_csv_split(js_csv *c, size_t min, js_csv **second);
/* A streamed input is split before its first half is read; when that
 * half opens a quoted field (a line break may be quoted across the cut),
 * the split is given up: c reads on to the end, *second stops reading
 * (its records so far are to be dropped) and this is true. */
bool js_csv_split_voided(const js_csv *c);

void js_csv_free(js_csv *c);

#endif
