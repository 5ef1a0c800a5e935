/* Fuzz target: the zip reader on raw bytes. Every member the central
 * directory lists is read twice, whole (js_zipr_read) and a chunk at a
 * time (js_zipr_stream); the two must agree on whether it can be read and
 * on every byte. The input is written to a temporary file, since the
 * reader opens paths. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_tmpfile.h"

#include "juesuan/buf.h"
#include "zip_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool collect(void *ctx, const char *chunk, size_t len, bool last)
{
    (void)last;
    return js_buf_append(ctx, chunk, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/juesuan-fuzz-XXXXXX";
    if (!fuzz_tmpfile(path, data, size))
        return 0;
    js_zipr *z = js_zipr_open(path, NULL);
    for (size_t i = 0; z && i < js_zipr_count(z); i++) {
        size_t nlen;
        uint64_t msize, mpacked;
        const char *n = js_zipr_member(z, i, &nlen, &msize, &mpacked);
        char name[65536];
        memcpy(name, n, nlen);
        name[nlen] = '\0';
        if (strlen(name) != nlen)
            continue; /* a NUL in the name: not reachable by name */
        char *whole = NULL;
        size_t len = 0;
        int a = js_zipr_read(z, name, &whole, &len);
        js_buf b;
        js_buf_init(&b, 1L << 30);
        int s = js_zipr_stream(z, name, collect, &b);
        if ((a == 1) != (s == 1) || (a == 1 && (len != b.len || (len && memcmp(whole, b.data, len)))))
            abort(); /* the two ways of reading disagree */
        js_buf_release(&b);
        free(whole);
    }
    js_zipr_close(z);
    unlink(path);
    return 0;
}
