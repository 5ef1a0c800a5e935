/* See zip_read.h. The layout is APPNOTE.TXT's: the end record points to
 * the central directory, whose entries point to each member's local
 * header, after which the data. Every offset and length is checked against
 * the archive's size before use. */
#include "zip_read.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fileio.h"
#include "juesuan/limits.h"

#define MAP_FROM ((size_t)1 << 20) /* an archive this big is mapped, not copied */

typedef struct {
    const char *name; /* in the archive, not NUL-terminated */
    size_t name_len;
    unsigned method, flags;
    uint32_t crc;
    uint64_t packed, size, local;
} entry;

struct js_zipr {
    char *data;
    size_t len;
    bool mapped;
    entry *entries;
    size_t n;
};

static unsigned get16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The central directory's entries; false when it is not one. */
static bool read_directory(js_zipr *z)
{
    const unsigned char *p = (const unsigned char *)z->data;
    if (z->len < 22)
        return false;
    /* the end record: the last signature within the comment's reach */
    size_t end = z->len - 22, stop = z->len > 22 + 65535 ? z->len - 22 - 65535 : 0;
    while (get32(p + end) != 0x06054b50) {
        if (end == stop)
            return false;
        end--;
    }
    unsigned disk = get16(p + end + 4), cd_disk = get16(p + end + 6), here = get16(p + end + 8),
             total = get16(p + end + 10);
    uint64_t cd_size = get32(p + end + 12), cd_at = get32(p + end + 16);
    if (disk || cd_disk || here != total || cd_at + cd_size > end)
        return false;
    z->entries = calloc(total ? total : 1, sizeof *z->entries);
    if (!z->entries)
        return false;
    uint64_t at = cd_at;
    for (unsigned i = 0; i < total; i++) {
        if (at + 46 > cd_at + cd_size || get32(p + at) != 0x02014b50)
            return false;
        entry *e = &z->entries[i];
        e->flags = get16(p + at + 8);
        e->method = get16(p + at + 10);
        e->crc = get32(p + at + 16);
        e->packed = get32(p + at + 20);
        e->size = get32(p + at + 24);
        e->name_len = get16(p + at + 28);
        e->local = get32(p + at + 42);
        e->name = (const char *)p + at + 46;
        at += 46 + e->name_len + get16(p + at + 30) + get16(p + at + 32);
        if (at > cd_at + cd_size)
            return false;
    }
    z->n = total;
    return true;
}

js_zipr *js_zipr_open(const char *path)
{
    js_zipr *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    if (js_load_file(path, (long)JS_MAX_SHEET_BYTES, MAP_FROM, &z->data, &z->len, &z->mapped, NULL) != 0 ||
        !read_directory(z)) {
        js_zipr_close(z);
        return NULL;
    }
    return z;
}

static const entry *find(const js_zipr *z, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < z->n; i++)
        if (z->entries[i].name_len == len && !memcmp(z->entries[i].name, name, len))
            return &z->entries[i];
    return NULL;
}

bool js_zipr_stat(const js_zipr *z, const char *name, uint64_t *size, uint64_t *packed)
{
    const entry *e = find(z, name);
    if (e) {
        *size = e->size;
        *packed = e->packed;
    }
    return e != NULL;
}

int js_zipr_read(const js_zipr *z, const char *name, char **data, size_t *len)
{
    const entry *e = find(z, name);
    *data = NULL;
    if (!e)
        return 0;
    const unsigned char *p = (const unsigned char *)z->data;
    if ((e->flags & 1) || (e->method != 0 && e->method != 8) || e->local + 30 > z->len ||
        get32(p + e->local) != 0x04034b50)
        return -1;
    uint64_t from = e->local + 30 + get16(p + e->local + 26) + get16(p + e->local + 28);
    if (from + e->packed > z->len || (e->method == 0 && e->packed != e->size) || e->size >= SIZE_MAX)
        return -1;
    char *out = malloc((size_t)e->size + 1);
    if (!out)
        return -1;
    bool ok;
    if (e->method == 0) {
        memcpy(out, p + from, (size_t)e->size);
        ok = true;
    } else {
        z_stream s = {0};
        ok = inflateInit2(&s, -15) == Z_OK;
        if (ok) {
            s.next_in = (Bytef *)(uintptr_t)(p + from);
            s.avail_in = (uInt)e->packed;
            s.next_out = (Bytef *)out;
            s.avail_out = (uInt)e->size;
            ok = inflate(&s, Z_FINISH) == Z_STREAM_END && s.total_out == e->size;
            inflateEnd(&s);
        }
    }
    if (!ok || (uint32_t)crc32(crc32(0, Z_NULL, 0), (const Bytef *)out, (uInt)e->size) != e->crc) {
        free(out);
        return -1;
    }
    out[e->size] = '\0';
    *data = out;
    *len = (size_t)e->size;
    return 1;
}

size_t js_zipr_count(const js_zipr *z) { return z->n; }

const char *js_zipr_member(const js_zipr *z, size_t i, size_t *len, uint64_t *size, uint64_t *packed)
{
    const entry *e = &z->entries[i];
    *len = e->name_len;
    *size = e->size;
    *packed = e->packed;
    return e->name;
}

void js_zipr_close(js_zipr *z)
{
    if (!z)
        return;
    if (z->data)
        js_release_file(z->data, z->len, z->mapped);
    free(z->entries);
    free(z);
}
