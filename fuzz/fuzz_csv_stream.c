/* Fuzz target: the CSV reader over a file read a window at a time
 * (js_csv_open_stream_window, a window of 8 to 71 bytes from the first
 * byte) against the same bytes read whole: UTF-8 text is streamed and read
 * the same, records, lines, spans and messages, plain lines (some read
 * ahead) and records alike (blank lines skipped); what the whole reader
 * converts or refuses is either given back at the first window or ends in
 * an error on the way. */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csv.h"
#include "juesuan/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next record of c, plain (read ahead when ahead) or not: its line
 * and fields hashed into *h; 0 at the end, -1 on error (d). */
static int next(js_csv *c, bool ahead, uint64_t *h, js_diag *d)
{
    const char *field[JS_MAX_COLUMNS];
    size_t len[JS_MAX_COLUMNS];
    size_t nf;
    bool blank;
    do { /* a blank line read plain is skipped, as js_csv_next skips it */
        nf = (ahead ? js_csv_plain_ahead : js_csv_plain)(c, field, len, JS_MAX_COLUMNS);
        blank = nf > 0;
        for (size_t i = 0; i < nf; i++)
            for (size_t k = 0; k < len[i]; k++)
                blank = blank && (field[i][k] == ' ' || field[i][k] == '\t');
    } while (blank);
    int r = 1;
    if (!nf && (r = js_csv_next(c, d)) > 0)
        nf = js_csv_nfields(c);
    *h = *h * 31 + (uint64_t)js_csv_line(c);
    for (size_t i = 0; r > 0 && i < nf; i++) {
        const char *f = js_csv_nfields(c) ? js_csv_field(c, i) : field[i];
        size_t n = js_csv_nfields(c) ? js_csv_field_len(c, i) : len[i];
        for (size_t k = 0; k < n; k++)
            *h = *h * 131 + (unsigned char)f[k];
        *h = *h * 7 + 1;
    }
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t window = 8 + data[0] % 64;
    data++, size--;
    int fd = memfd_create("fuzz.csv", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    js_diag d1, d2;
    js_diag_clear(&d1);
    js_diag_clear(&d2);
    js_csv *whole = js_csv_open("fuzz.csv", (const char *)data, size, &d1),
           *stream = js_csv_open_stream_window("fuzz.csv", fd, size, window);
    /* UTF-8 text read whole is streamed (from 6 bytes, one BOM) */
    bool text = whole && !js_csv_was_gb18030(whole);
    if (text && !stream && size >= 6 && memcmp(data, "\xef\xbb\xbf\xef\xbb\xbf", 6))
        abort();
    if (stream && !text) { /* not UTF-8 text past the first window: an error on the way */
        uint64_t h = 0;
        int r;
        for (int k = 0; (r = next(stream, k % 3 == 1, &h, &d2)) > 0; k++)
            ;
        if (r == 0)
            abort();
    }
    for (int k = 0; stream && text; k++) {
        uint64_t h1 = 0, h2 = 0;
        /* the same choice for both; a plain line read ahead is seen as is */
        bool ahead = k % 3 == 1;
        int r1 = next(whole, ahead, &h1, &d1), r2 = next(stream, ahead, &h2, &d2);
        if (r1 != r2 || h1 != h2 || (r1 < 0 && (d1.line != d2.line || d1.col != d2.col ||
                                              strcmp(d1.message, d2.message))))
            abort();
        if (r1 <= 0)
            break;
    }
    js_csv_free(whole);
    js_csv_free(stream);
    close(fd);
    return 0;
}
