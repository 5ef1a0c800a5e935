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
    bool borrowed; /* data is the caller's (js_zipr_open_memory) */
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

static int by_entry_name(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = memcmp(x->name, y->name, x->name_len < y->name_len ? x->name_len : y->name_len);
    return c ? c : (x->name_len > y->name_len) - (x->name_len < y->name_len);
}

/* The first member named twice, or NULL (a duplicate would make "which
 * one is read" depend on the reader). */
static const entry *duplicate_member(const js_zipr *z, bool *nomem)
{
    *nomem = false;
    if (z->n < 2)
        return NULL;
    const entry **v = malloc(z->n * sizeof *v);
    if (!v) {
        *nomem = true;
        return NULL;
    }
    for (size_t i = 0; i < z->n; i++)
        v[i] = &z->entries[i];
    qsort(v, z->n, sizeof *v, by_entry_name);
    const entry *dup = NULL;
    for (size_t i = 1; i < z->n && !dup; i++)
        if (!by_entry_name(&v[i - 1], &v[i]))
            dup = v[i];
    free(v);
    return dup;
}

js_zipr *js_zipr_open(const char *path, js_diag *d)
{
    js_zipr *z = calloc(1, sizeof *z);
    if (!z) {
        js_diag_set(d, JS_E_NOMEM, path, 0, 0, NULL, "内存不足");
        return NULL;
    }
    /* Not populated: only the directory and the members asked for are
     * touched. */
    js_load_opts o = {.max = JS_MAX_XLSX_BYTES, .map_from = MAP_FROM};
    if (js_load_file(path, &o, &z->data, &z->len, &z->mapped, d) != JS_OK) {
        js_zipr_close(z);
        return NULL;
    }
    bool nomem = false;
    const entry *dup = NULL;
    if (!read_directory(z))
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "无法打开 Excel 工作簿（不是 .xlsx 文件，或已损坏）");
    else if ((dup = duplicate_member(z, &nomem)) != NULL)
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "工作簿已损坏：成员 %.*s 出现了两次", (int)dup->name_len,
                    dup->name);
    else if (nomem)
        js_diag_set(d, JS_E_NOMEM, path, 0, 0, NULL, "内存不足");
    else
        return z;
    js_zipr_close(z);
    return NULL;
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

/* The member's data in the archive, checked against its bounds; NULL when
 * damaged or packed in a way this reader does not know. */
static const unsigned char *member_data(const js_zipr *z, const entry *e)
{
    const unsigned char *p = (const unsigned char *)z->data;
    if ((e->flags & 1) || (e->method != 0 && e->method != 8) || e->local + 30 > z->len ||
        get32(p + e->local) != 0x04034b50)
        return NULL;
    uint64_t from = e->local + 30 + get16(p + e->local + 26) + get16(p + e->local + 28);
    if (from + e->packed > z->len || (e->method == 0 && e->packed != e->size) || e->size >= SIZE_MAX)
        return NULL;
    /* deflate packs at most 1032:1: a member that claims more is damaged,
     * refused before a byte is allocated for it */
    if (e->method == 8 && e->size > e->packed * 1032 + 64)
        return NULL;
    return p + from;
}

int js_zipr_stream(const js_zipr *z, const char *name, js_zipr_sink sink, void *ctx)
{
    const entry *e = find(z, name);
    if (!e)
        return 0;
    const unsigned char *in = member_data(z, e);
    if (!in)
        return -1;
    if (e->method == 0) {
        if ((uint32_t)crc32(crc32(0, Z_NULL, 0), in, (uInt)e->size) != e->crc)
            return -1;
        return sink(ctx, (const char *)in, (size_t)e->size, true) ? 1 : -2;
    }
    enum { CHUNK = 1 << 16 };
    unsigned char *out = malloc(CHUNK);
    z_stream s = {0};
    if (!out || inflateInit2(&s, -15) != Z_OK) {
        free(out);
        return -1;
    }
    s.next_in = (Bytef *)(uintptr_t)in;
    s.avail_in = (uInt)e->packed;
    uLong crc = crc32(0, Z_NULL, 0);
    int got = 0, zr = Z_OK;
    while (got == 0) {
        s.next_out = out;
        s.avail_out = CHUNK;
        zr = inflate(&s, Z_NO_FLUSH);
        size_t n = CHUNK - s.avail_out;
        if ((zr != Z_OK && zr != Z_STREAM_END) || s.total_out > e->size || (zr == Z_OK && n == 0 && !s.avail_in)) {
            got = -1;
            break;
        }
        crc = crc32(crc, out, (uInt)n);
        bool last = zr == Z_STREAM_END;
        if (last && (s.total_out != e->size || (uint32_t)crc != e->crc))
            got = -1;
        else if (!sink(ctx, (const char *)out, n, last))
            got = -2;
        else if (last)
            got = 1;
    }
    inflateEnd(&s);
    free(out);
    return got;
}

int js_zipr_read(const js_zipr *z, const char *name, char **data, size_t *len)
{
    const entry *e = find(z, name);
    *data = NULL;
    if (!e)
        return 0;
    const unsigned char *p = member_data(z, e);
    if (!p)
        return -1;
    char *out = malloc((size_t)e->size + 1);
    if (!out)
        return -1;
    bool ok;
    if (e->method == 0) {
        memcpy(out, p, (size_t)e->size);
        ok = true;
    } else {
        z_stream s = {0};
        ok = inflateInit2(&s, -15) == Z_OK;
        if (ok) {
            s.next_in = (Bytef *)(uintptr_t)p;
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

js_zipr *js_zipr_open_memory(const void *data, size_t len)
{
    js_zipr *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->data = (char *)data; /* only read */
    z->len = len;
    z->borrowed = true;
    bool nomem = false;
    if (read_directory(z) && !duplicate_member(z, &nomem) && !nomem)
        return z;
    js_zipr_close(z);
    return NULL;
}

void js_zipr_close(js_zipr *z)
{
    if (!z)
        return;
    if (z->data && !z->borrowed)
        js_release_file(z->data, z->len, z->mapped);
    free(z->entries);
    free(z);
}
