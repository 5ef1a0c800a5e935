/* Writing a zip archive in memory: each member deflated whole by one
 * libdeflate compressor (several times faster than zlib's stream at the
 * same ratio), dated 1980-01-01 so that the bytes depend only on the
 * content. No zip64: an archive or member over 4 GiB is refused. */
#ifndef JS_ZIP_WRITE_H
#define JS_ZIP_WRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/buf.h"

typedef struct {
    js_buf out;     /* the archive so far */
    js_buf central; /* the central directory so far */
    size_t count;
    struct libdeflate_compressor *z;
    bool failed;
    unsigned char *tmp; /* deflate output of one member */
    size_t tmp_cap;
} js_zipw;

/* level: libdeflate's 1 (fastest) to 12; false when out of memory. */
bool js_zipw_init(js_zipw *w, int level);
/* Adds member name (UTF-8) with len bytes of data. */
void js_zipw_add(js_zipw *w, const char *name, const void *data, size_t len);
/* Appends the central directory; the archive is then w->out. false when
 * anything failed (out of memory, a size over the limit). */
bool js_zipw_finish(js_zipw *w);
void js_zipw_release(js_zipw *w);

#endif
