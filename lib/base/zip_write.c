/* See zip_write.h. The layout is APPNOTE.TXT's: a local header and the
 * data per member, then the central directory and its end record. */
#include "zip_write.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"
#include "vec.h"

enum {
    VERSION = 20,          /* 2.0: deflate */
    FLAG_UTF8 = 1 << 11,   /* names are UTF-8 */
    METHOD_DEFLATE = 8,
    DOS_DATE = (0 << 9) | (1 << 5) | 1 /* 1980-01-01, time 00:00 */
};

static void put16(js_buf *b, unsigned v)
{
    unsigned char p[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    js_buf_append(b, p, 2);
}

static void put32(js_buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    js_buf_append(b, p, 4);
}

bool js_zipw_init(js_zipw *w, int level)
{
    memset(w, 0, sizeof *w);
    js_buf_init(&w->out, JS_MAX_OUTPUT_BYTES);
    js_buf_init(&w->central, JS_MAX_OUTPUT_BYTES);
    w->z = libdeflate_alloc_compressor(level);
    w->failed = !w->z;
    return w->z != NULL;
}

/* The fields a local header and a central entry share. */
static void put_common(js_buf *b, uint32_t crc, size_t packed, size_t len, size_t name_len)
{
    put16(b, VERSION);
    put16(b, FLAG_UTF8);
    put16(b, METHOD_DEFLATE);
    put16(b, 0);
    put16(b, DOS_DATE);
    put32(b, crc);
    put32(b, (uint32_t)packed);
    put32(b, (uint32_t)len);
    put16(b, (unsigned)name_len);
    put16(b, 0); /* extra field */
}

void js_zipw_add(js_zipw *w, const char *name, const void *data, size_t len)
{
    size_t name_len = strlen(name);
    if (w->failed || len > UINT32_MAX || name_len > UINT16_MAX || w->out.len > UINT32_MAX) {
        w->failed = true;
        return;
    }
    size_t bound = libdeflate_deflate_compress_bound(w->z, len);
    if (!js_vec_reserve(&w->tmp, &w->tmp_cap, bound, 1)) {
        w->failed = true;
        return;
    }
    size_t packed = libdeflate_deflate_compress(w->z, data, len, w->tmp, bound);
    if (!packed) {
        w->failed = true;
        return;
    }
    uint32_t crc = libdeflate_crc32(0, data, len);
    size_t offset = w->out.len;
    put32(&w->out, 0x04034b50);
    put_common(&w->out, crc, packed, len, name_len);
    js_buf_append(&w->out, name, name_len);
    js_buf_append(&w->out, w->tmp, packed);
    put32(&w->central, 0x02014b50);
    put16(&w->central, VERSION); /* made by */
    put_common(&w->central, crc, packed, len, name_len);
    put16(&w->central, 0); /* comment */
    put16(&w->central, 0); /* disk */
    put16(&w->central, 0); /* internal attributes */
    put32(&w->central, 0); /* external attributes */
    put32(&w->central, (uint32_t)offset);
    js_buf_append(&w->central, name, name_len);
    w->count++;
}

bool js_zipw_finish(js_zipw *w)
{
    size_t at = w->out.len;
    if (w->failed || w->count > UINT16_MAX || at + w->central.len > UINT32_MAX)
        return false;
    js_buf_append(&w->out, w->central.data, w->central.len);
    put32(&w->out, 0x06054b50);
    put16(&w->out, 0); /* this disk */
    put16(&w->out, 0); /* the directory's disk */
    put16(&w->out, (unsigned)w->count);
    put16(&w->out, (unsigned)w->count);
    put32(&w->out, (uint32_t)w->central.len);
    put32(&w->out, (uint32_t)at);
    put16(&w->out, 0); /* comment */
    return js_buf_ok(&w->out) && js_buf_ok(&w->central);
}

void js_zipw_release(js_zipw *w)
{
    if (w->z)
        libdeflate_free_compressor(w->z);
    js_buf_release(&w->out);
    js_buf_release(&w->central);
    free(w->tmp);
    memset(w, 0, sizeof *w);
}
