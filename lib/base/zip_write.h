/* Writing a zip archive in memory: each member deflated through one
 * reused zlib stream, dated 1980-01-01 so that the bytes depend only on
 * the content. No zip64: an archive or member over 4 GiB is refused. */
#ifndef JS_ZIP_WRITE_H
#define JS_ZIP_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <zlib.h>

#include "juesuan/buf.h"

typedef struct {
    js_buf out;     /* the archive so far */
    js_buf central; /* the central directory so far */
    size_t count;
    z_stream z;
    bool z_ready, failed;
    unsigned char *tmp; /* deflate output of one member */
    size_t tmp_cap;
} js_zipw;

/* level: zlib's 1 (fastest) to 9. */
bool js_zipw_init(js_zipw *w, int level);
/* Adds member name (UTF-8) with len bytes of data. */
void js_zipw_add(js_zipw *w, const char *name, const void *data, size_t len);
/* Appends the central directory; the archive is then w->out. false when
 * anything failed (out of memory, a size over the limit). */
bool js_zipw_finish(js_zipw *w);
void js_zipw_release(js_zipw *w);

#endif
