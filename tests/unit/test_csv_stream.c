/* The CSV reader over a file read a window at a time (js_csv_open_stream)
 * against the same bytes read whole (js_csv_open): the same records,
 * lines, spans and messages, with records across the windows' ends,
 * records longer than a window, characters cut by a window's end, the
 * two halves of js_csv_split; and what makes it give up or fail. */
#define _GNU_SOURCE /* mkstemp */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "rng.h"
#include "tap.h"

typedef struct {
    char *p;
    size_t n, cap;
} text;

static void put(text *t, const char *s, size_t n)
{
    if (t->n + n + 1 > t->cap) {
        t->cap = (t->n + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = '\0';
}

static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }

/* What a reader reads, as text: "@line:a|b;" a record, then "ERR:line:col:msg". */
static int read_out(js_csv *c, text *out)
{
    js_diag d;
    js_diag_clear(&d);
    int r = 1;
    for (long k = 0; r > 0; k++) {
        const char *field[16];
        size_t flen[16], nf;
        js_csv_mark at = js_csv_tell(c);
        char rec[64];
        /* as the workbook reads: plain lines (now and then one read ahead
         * and read again as a record; blank ones skipped), else records */
        nf = (k % 3 ? js_csv_plain : js_csv_plain_ahead)(c, field, flen, 16);
        bool blank = nf > 0; /* skipped, as js_csv_next skips it */
        for (size_t i = 0; i < nf; i++)
            for (size_t b = 0; b < flen[i]; b++)
                blank = blank && (field[i][b] == ' ' || field[i][b] == '\t');
        if (blank)
            continue;
        if (nf && k % 5 == 0) {
            js_csv_seek(c, at);
            nf = 0;
        }
        if (nf) {
            snprintf(rec, sizeof rec, "@%ld:", js_csv_line(c));
            puts_(out, rec);
            for (size_t i = 0; i < nf; i++) {
                puts_(out, i ? "|" : "");
                put(out, field[i], flen[i]);
            }
            puts_(out, ";");
            continue;
        }
        if ((r = js_csv_next(c, &d)) <= 0)
            break;
        snprintf(rec, sizeof rec, "@%ld:", js_csv_line(c));
        puts_(out, rec);
        for (size_t i = 0; i < js_csv_nfields(c); i++) {
            puts_(out, i ? "|" : "");
            put(out, js_csv_field(c, i), js_csv_field_len(c, i));
        }
        puts_(out, ";");
    }
    if (r < 0) {
        char e[1200];
        snprintf(e, sizeof e, "ERR:%ld:%d:%s", d.line, d.col, d.message);
        puts_(out, e);
    }
    return r;
}

/* Reads c's records to the end: js_csv_next's last result; *records
 * read and the line of the last (when not NULL); d the error. */
static int drain(js_csv *c, js_diag *d, long *records, long *last)
{
    int r = 1;
    long n = 0;
    js_diag_clear(d);
    while (c && (r = js_csv_next(c, d)) > 0) {
        n++;
        if (last)
            *last = js_csv_line(c);
    }
    *records = n;
    return r;
}

static char path[64];

static int write_file(const text *t)
{
    FILE *f = fopen(path, "wb");
    fwrite(t->p, 1, t->n, f);
    fclose(f);
    return open(path, O_RDONLY);
}

/* Reads t whole and streamed (windows of window bytes, 0: the reader's
 * own; split after its first record when split):
 * whether both read the same; *streamed whether the file was streamed. */
static bool same_both_ways(const text *t, bool split, size_t window, bool *streamed, char *why, size_t whylen)
{
    text a = {0}, b = {0};
    js_diag d;
    js_diag_clear(&d);
    int fd = write_file(t);
    js_csv *whole = js_csv_open("t.csv", t->p, t->n, &d), *stream = window ? js_csv_open_stream_window("t.csv", fd, t->n, window)
                                  : js_csv_open_stream("t.csv", fd, t->n);
    *streamed = stream != NULL;
    js_csv *halves[2][2] = {{whole, NULL}, {stream, NULL}};
    for (int w = 0; w < 2 && *streamed; w++) {
        text *out = w ? &b : &a;
        if (split && js_csv_next(halves[w][0], &d) > 0) {
            puts_(out, js_csv_field(halves[w][0], 0));
            js_csv_split(halves[w][0], 1, &halves[w][1]);
        }
        /* the second half as the workbook takes it: when the first was
         * read without an error and the split was not given up */
        if (read_out(halves[w][0], out) == 0 && halves[w][1] && !js_csv_split_voided(halves[w][0])) {
            puts_(out, "(second half)");
            read_out(halves[w][1], out);
        }
    }
    bool same = *streamed && a.n == b.n && !memcmp(a.p, b.p, a.n);
    size_t at = 0;
    while (*streamed && at < a.n && at < b.n && a.p[at] == b.p[at])
        at++;
    snprintf(why, whylen, "%zu and %zu bytes read, first difference at %zu: …%.40s… / …%.40s…", a.n, b.n, at,
             at < a.n ? a.p + at : "", at < b.n ? b.p + at : "");
    for (int w = 0; w < 2; w++) {
        js_csv_free(halves[w][1]);
        js_csv_free(halves[w][0]);
    }
    close(fd);
    free(a.p);
    free(b.p);
    return same;
}

/* About bytes of random records: plain lines, quoted cells with commas,
 * quotes and line breaks, CRLF, blank lines, three-byte characters (cut
 * by a window's end now and then), long cells. */
static void random_csv(text *t, size_t bytes)
{
    puts_(t, "单位,编码,金额\n");
    while (t->n < bytes) {
        uint64_t x = next();
        int cells = 1 + (int)(x % 5);
        for (int i = 0; i < cells; i++) {
            uint64_t y = next();
            puts_(t, i ? "," : "");
            switch (y % 11) {
            case 0:
                puts_(t, "\"引号,里\"\"有\"\"\n换行\"");
                break;
            case 1:
                puts_(t, "生成部门");
                break;
            case 2:
                if (y % 1000 == 2) { /* longer than a plain line may be, now and then */
                    for (int k = 0; k < 30000; k++)
                        puts_(t, "长单元格");
                }
                break;
            default: {
                char cell[24];
                snprintf(cell, sizeof cell, "%llu", (unsigned long long)(y >> 20));
                puts_(t, cell);
            }
            }
        }
        uint64_t z = next() % 40;
        puts_(t, z == 0 ? "\r\n" : z == 1 ? "\n\n" : "\n");
    }
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/juesuan-csv-stream-XXXXXX");
    int tmp = mkstemp(path);
    ok(tmp >= 0, "a temporary file");
    close(tmp);
    char why[300];
    bool streamed;

    for (int round = 0; round < 4; round++) {
        text t = {0};
        random_csv(&t, (size_t)(3 + round) << 20);
        bool same = same_both_ways(&t, round % 2, 0, &streamed, why, sizeof why);
        ok(streamed && same, "%zu bytes of random records%s, streamed as read whole: %s", t.n,
           round % 2 ? " in two halves" : "", why);
        free(t.p);
    }

    /* Windows of a few bytes to a few KiB: every line across a window's
     * end (plain lines are no longer read plain there, records are). */
    for (size_t window = 8; window <= 8192; window *= 4) {
        text t = {0};
        random_csv(&t, 300000);
        bool same = same_both_ways(&t, window % 3 == 2, window, &streamed, why, sizeof why);
        ok(streamed && same, "%zu bytes in windows of %zu bytes, streamed as read whole: %s", t.n, window, why);
        free(t.p);
    }

    /* A record longer than the window (it grows), a BOM, a file that ends
     * without a line break, a character at each window edge. */
    {
        text t = {0};
        put(&t, "\xef\xbb\xbf", 3);
        puts_(&t, "a,b\n");
        for (int k = 0; k < 9; k++) { /* nine cells of 240 000 bytes: 2.16 MB in one record */
            puts_(&t, k ? "," : "");
            for (int i = 0; i < 80000; i++)
                puts_(&t, "字");
        }
        puts_(&t, "\n");
        while (t.n < (5u << 20))
            puts_(&t, "单位甲,12345\n");
        puts_(&t, "末行,1");
        ok(same_both_ways(&t, false, 0, &streamed, why, sizeof why) && streamed,
           "a record of 2.16 MB, a BOM, no final line break: %s", why);
        free(t.p);
    }

    /* Errors: the same messages at the same lines. */
    {
        text t = {0};
        while (t.n < (3u << 20))
            puts_(&t, "单位甲,12345\n");
        puts_(&t, "x,\"never closed\n");
        ok(same_both_ways(&t, false, 0, &streamed, why, sizeof why) && streamed, "a quote left open at the end: %s",
           why);
        t.n = 0;
        while (t.n < (3u << 20))
            puts_(&t, "单位甲,12345\n");
        puts_(&t, "x,a\"b\n");
        for (int i = 0; i < 100; i++)
            puts_(&t, "单位甲,12345\n");
        ok(same_both_ways(&t, false, 0, &streamed, why, sizeof why) && streamed, "a stray quote past the first window: %s",
           why);
        free(t.p);
    }

    /* A first window that is not UTF-8 text (or holds two BOMs) is read
     * whole by js_csv_open; past it, such a byte is an error at its line. */
    {
        static const struct {
            const char *bytes;
            const char *what;
        } odd[] = {{"\xff", "a byte that is not UTF-8"},
                   {"\xca\xd5", "GB18030"},
                   {"\xe5\xad", "a character cut short at the end"},
                   {"\0", "a NUL"}};
        for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
            size_t n = strlen(odd[i].bytes) + !odd[i].bytes[0];
            text t = {0}, early = {0};
            puts_(&early, "单位甲,12345\n");
            put(&early, odd[i].bytes, n);
            puts_(&early, ",1\n");
            while (early.n < (3u << 20))
                puts_(&early, "单位甲,12345\n");
            int fd = write_file(&early);
            js_csv *c = js_csv_open_stream("t.csv", fd, early.n);
            ok(c == NULL, "%s in the first window: read whole instead", odd[i].what);
            js_csv_free(c);
            close(fd);
            free(early.p);
            long line = 1;
            while (t.n < (3u << 20))
                puts_(&t, "单位甲,12345\n"), line++;
            put(&t, odd[i].bytes, n);
            puts_(&t, "\n");
            fd = write_file(&t);
            c = js_csv_open_stream("t.csv", fd, t.n);
            js_diag d;
            long records;
            int r = drain(c, &d, &records, NULL);
            ok(c && r < 0 && d.status == JS_E_INPUT && d.line == line &&
                   strstr(d.message, odd[i].bytes[0] ? "编码" : "空字符"),
               "%s at line %ld, past the first window: %ld: %s", odd[i].what, line, d.line, d.message);
            js_csv_free(c);
            close(fd);
            free(t.p);
        }
        text t = {0};
        puts_(&t, "\xef\xbb\xbf\xef\xbb\xbf" "a\n");
        while (t.n < (3u << 20))
            puts_(&t, "单位甲,12345\n");
        int fd = write_file(&t);
        js_csv *c = js_csv_open_stream("t.csv", fd, t.n);
        ok(c == NULL, "two BOMs: read whole instead");
        js_csv_free(c);
        close(fd);
        free(t.p);
    }

    /* A file that changes while it is read: an error, not other bytes. */
    {
        text t = {0};
        while (t.n < (6u << 20))
            puts_(&t, "单位甲,12345\n");
        int fd = write_file(&t);
        js_csv *c = js_csv_open_stream("t.csv", fd, t.n);
        ok(c && truncate(path, (off_t)(t.n / 2)) == 0, "the file cut short after the first window");
        js_diag d;
        long records;
        int r = drain(c, &d, &records, NULL);
        ok(r < 0 && d.status == JS_E_IO && strstr(d.message, "变短"), "reading it fails after %ld records: %s",
           records, d.message);
        js_csv_free(c);
        close(fd);
        fd = write_file(&t);
        c = js_csv_open_stream("t.csv", fd, t.n);
        FILE *more = fopen(path, "ab");
        ok(c && more && fputs("单位乙,1\n", more) >= 0 && fclose(more) == 0, "the file grown after the first window");
        r = drain(c, &d, &records, NULL);
        ok(r < 0 && d.status == JS_E_IO && strstr(d.message, "变大"), "reading it fails after %ld records: %s",
           records, d.message);
        js_csv_free(c);
        close(fd);
        free(t.p);
    }

    /* A split given up: the first half opens a quoted field (here one
     * holding line breaks across the cut, in the middle of the file); it
     * reads on to the end, and the second half stops. */
    {
        text t = {0};
        puts_(&t, "a,b\n");
        long lines = 1;
        for (int half = 0; half < 2; half++) {
            for (int i = 0; i < 200000; i++)
                puts_(&t, "单位甲,12345\n"), lines++;
            if (!half) {
                puts_(&t, "\"quoted\n");
                for (int i = 0; i < 10; i++)
                    puts_(&t, "inside\n");
                puts_(&t, "\",2\n");
                lines += 12;
            }
        }
        int fd = write_file(&t);
        js_csv *c = js_csv_open_stream("t.csv", fd, t.n), *second = NULL;
        js_diag d;
        js_diag_clear(&d);
        bool split = c && js_csv_next(c, &d) > 0 && js_csv_split(c, 1, &second);
        long records, last = 0;
        int r = drain(c, &d, &records, &last);
        ok(split && r == 0 && js_csv_split_voided(c) && last == lines,
           "voided: the first half read %ld records to line %ld of %ld", records, last, lines);
        long after;
        r = drain(second, &d, &after, NULL);
        ok(second && r < 0 && after < 200000, "the second half stopped (%ld records read)", after);
        js_csv_free(second);
        js_csv_free(c);
        close(fd);
        free(t.p);
    }
    unlink(path);
    return done_testing();
}
