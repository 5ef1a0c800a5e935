/* Reading members of a zip archive (an .xlsx workbook): the central
 * directory, then a member stored or deflated (zlib), its CRC checked. No
 * ZIP64, encryption or multi-disk archives: .xlsx files do not use them. */
#ifndef JS_ZIP_READ_H
#define JS_ZIP_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"

typedef struct js_zipr js_zipr;

/* Opens the archive at path; NULL and d filled when it cannot be read
 * (JS_E_IO, JS_E_LIMIT over JS_MAX_XLSX_BYTES, JS_E_INPUT when it is not a
 * regular file), is not a zip archive this reader understands or names a
 * member twice (JS_E_INPUT). */
js_zipr *js_zipr_open(const char *path, js_diag *d);
/* Reads an archive in memory (data borrowed: it must outlive the reader);
 * NULL when it is not one this reader understands, names a member twice,
 * or memory runs out. */
js_zipr *js_zipr_open_memory(const void *data, size_t len);
/* Whether member name is there, with its size and its packed size. */
bool js_zipr_stat(const js_zipr *z, const char *name, uint64_t *size, uint64_t *packed);
/* Member name, whole, in a malloc'd buffer with a NUL after it. 1 when
 * read, 0 when there is no such member, -1 when it is damaged (or packed
 * in a way this reader does not know) or out of memory. */
int js_zipr_read(const js_zipr *z, const char *name, char **data, size_t *len);
/* Member name unpacked a chunk at a time (64 KB), so that its whole never
 * needs to be in memory: sink gets each chunk (last: the final one, whose
 * CRC has been checked) and returns false to stop. 1 when read to the end,
 * 0 when there is no such member, -1 when damaged, -2 when sink stopped. */
typedef bool (*js_zipr_sink)(void *ctx, const char *chunk, size_t len, bool last);
int js_zipr_stream(const js_zipr *z, const char *name, js_zipr_sink sink, void *ctx);
/* The members in directory order: how many, and member i's name (not
 * NUL-terminated, *len bytes) with its declared size and packed size. */
size_t js_zipr_count(const js_zipr *z);
const char *js_zipr_member(const js_zipr *z, size_t i, size_t *len, uint64_t *size, uint64_t *packed);
void js_zipr_close(js_zipr *z);

#endif
