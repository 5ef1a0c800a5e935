/* The zip writer and reader: members round-trip, read whole or a chunk at
 * a time; the reader refuses what is damaged (a flipped byte in the data
 * fails the CRC, a cut archive has no end record, a member named twice)
 * and finds the end record behind a comment. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "juesuan/buf.h"
#include "tap.h"
#include "zip_read.h"
#include "zip_write.h"

static bool collect(void *ctx, const char *chunk, size_t len, bool last)
{
    (void)last;
    return js_buf_append(ctx, chunk, len);
}

static bool stop_at_once(void *ctx, const char *chunk, size_t len, bool last)
{
    (void)ctx;
    (void)chunk;
    (void)len;
    (void)last;
    return false;
}

static void save(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ok(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "wrote %zu bytes", len);
}

int main(void)
{
    char path[] = "/tmp/juesuan-zip-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    static char big[100000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = "abc中文\n"[i % 10];
    js_zipw w;
    ok(js_zipw_init(&w, 6), "writer ready");
    js_zipw_add(&w, "a.xml", "<a/>", 4);
    js_zipw_add(&w, "dir/empty", "", 0);
    js_zipw_add(&w, "dir/big.txt", big, sizeof big);
    ok(js_zipw_finish(&w), "archive finished (%zu bytes)", w.out.len);
    save(path, w.out.data, w.out.len);

    js_zipr *z = js_zipr_open(path, NULL);
    char *data = NULL;
    size_t len = 0;
    uint64_t size = 0, packed = 0;
    ok(z && js_zipr_read(z, "a.xml", &data, &len) == 1 && len == 4 && !strcmp(data, "<a/>"), "a small member");
    free(data);
    ok(z && js_zipr_read(z, "dir/empty", &data, &len) == 1 && len == 0 && data[0] == '\0', "an empty member");
    free(data);
    ok(z && js_zipr_read(z, "dir/big.txt", &data, &len) == 1 && len == sizeof big && !memcmp(data, big, len),
       "a 100 000-byte member");
    free(data);
    ok(z && js_zipr_stat(z, "dir/big.txt", &size, &packed) && size == sizeof big && packed < size / 4,
       "its size and packed size (%llu, %llu)", (unsigned long long)size, (unsigned long long)packed);
    ok(z && js_zipr_read(z, "missing", &data, &len) == 0 && !js_zipr_stat(z, "missing", &size, &packed),
       "a member not there");
    js_buf b;
    js_buf_init(&b, 1 << 20);
    ok(z && js_zipr_stream(z, "dir/big.txt", collect, &b) == 1 && b.len == sizeof big && !memcmp(b.data, big, b.len),
       "the big member a chunk at a time: the same bytes");
    ok(z && js_zipr_stream(z, "dir/big.txt", stop_at_once, NULL) == -2, "the sink stops the stream");
    ok(z && js_zipr_stream(z, "missing", collect, &b) == 0, "no member to stream");
    size_t nlen = 0;
    ok(z && js_zipr_count(z) == 3 && !memcmp(js_zipr_name(z, 2, &nlen), "dir/big.txt", 11) && nlen == 11,
       "the members are listed");
    js_zipr_close(z);

    /* a byte of the big member's data flipped: its CRC fails */
    char *copy = malloc(w.out.len + 40);
    memcpy(copy, w.out.data, w.out.len);
    size_t at = 0;
    while (at + 11 <= w.out.len && memcmp(copy + at, "dir/big.txt", 11))
        at++;
    at += 11 + 20; /* into the data after the local header's name */
    copy[at] ^= 0x01;
    save(path, copy, w.out.len);
    z = js_zipr_open(path, NULL);
    ok(z && js_zipr_read(z, "dir/big.txt", &data, &len) == -1 && data == NULL, "a damaged member is refused");
    js_buf_reset(&b);
    ok(z && js_zipr_stream(z, "dir/big.txt", collect, &b) == -1, "and refused when streamed");
    ok(z && js_zipr_read(z, "a.xml", &data, &len) == 1, "the others still read");
    free(data);
    js_zipr_close(z);

    /* cut short: no end record */
    save(path, w.out.data, w.out.len - 10);
    z = js_zipr_open(path, NULL);
    ok(z == NULL, "a cut archive is not opened");
    js_zipr_close(z);

    /* a comment after the end record */
    memcpy(copy, w.out.data, w.out.len);
    copy[w.out.len - 2] = 5;
    memcpy(copy + w.out.len, "hello", 5);
    save(path, copy, w.out.len + 5);
    z = js_zipr_open(path, NULL);
    ok(z && js_zipr_read(z, "a.xml", &data, &len) == 1, "the end record is found behind a comment");
    free(data);
    js_zipr_close(z);

    save(path, "not a zip at all, not a zip at all", 34);
    ok(js_zipr_open(path, NULL) == NULL, "not a zip archive");
    ok(js_zipr_open("/nonexistent/x.xlsx", NULL) == NULL, "a missing file");

    /* a member named twice: which one would be read? refused */
    js_zipw dup;
    js_zipw_init(&dup, 6);
    js_zipw_add(&dup, "xl/workbook.xml", "<a/>", 4);
    js_zipw_add(&dup, "xl/workbook.xml", "<b/>", 4);
    js_zipw_finish(&dup);
    save(path, dup.out.data, dup.out.len);
    js_diag d;
    js_diag_clear(&d);
    ok(js_zipr_open(path, &d) == NULL && d.status == JS_E_INPUT && strstr(d.message, "xl/workbook.xml") &&
           strstr(d.message, "出现了两次"),
       "a member named twice is refused: %s", d.message);
    js_zipw_release(&dup);
    js_diag_clear(&d);
    ok(js_zipr_open("/nonexistent/x.xlsx", &d) == NULL && d.status == JS_E_IO, "a missing file is an IO error");

    js_buf_release(&b);
    free(copy);
    js_zipw_release(&w);
    unlink(path);
    return done_testing();
}
