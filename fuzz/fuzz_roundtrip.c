/* Fuzz target: a CSV sheet through .xlsx and back (convert both ways). The
 * input is a workbook folder's text.csv; it is written as .xlsx and read
 * back into a folder. Either a step refuses it with a message, or every
 * record comes back with the same fields (the way back pads a row to the
 * heading's width: trailing empty fields are not compared). */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "juesuan/buf.h"
#include "juesuan/output.h"
#include "juesuan/xlsx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *dir, const char *name, const void *data, size_t len)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
}

/* The records of a CSV text, each field NUL-terminated, records separated
 * by a 0x1e byte, trailing empty fields dropped; NULL when it is refused. */
static char *records(const char *name, const char *text, size_t len, size_t *out_len)
{
    js_csv *c = js_csv_open(name, text, len, NULL);
    if (!c)
        return NULL;
    js_buf b;
    js_buf_init(&b, 1L << 30);
    int got;
    while ((got = js_csv_next(c, NULL)) > 0) {
        size_t n = js_csv_nfields(c);
        while (n > 0 && !js_csv_field_len(c, n - 1))
            n--;
        for (size_t k = 0; k < n; k++)
            js_buf_append(&b, js_csv_field(c, k), js_csv_field_len(c, k) + 1);
        js_buf_putc(&b, 0x1e);
    }
    js_csv_free(c);
    if (got < 0) {
        js_buf_release(&b);
        return NULL;
    }
    *out_len = b.len;
    return b.data ? b.data : calloc(1, 1);
}

static void remove_all(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/juesuan-fuzz-rt-XXXXXX";
    if (!mkdtemp(dir))
        return 0;
    char src[600], book[600], back[600];
    snprintf(src, sizeof src, "%s/src", dir);
    snprintf(book, sizeof book, "%s/book.xlsx", dir);
    snprintf(back, sizeof back, "%s/back", dir);
    size_t want_len = 0;
    char *want = records("text.csv", (const char *)data, size, &want_len);
    js_diag d;
    if (want && !mkdir(src, 0777)) {
        put(src, "text.csv", data, size);
        if (js_workbook_write_xlsx(src, book, &d) == JS_OK && js_workbook_xlsx_to_csv(book, back, &d) == JS_OK) {
            char p[700], *got_text = NULL;
            size_t got_text_len = 0, got_len = 0;
            snprintf(p, sizeof p, "%s/text.csv", back);
            if (js_read_file(p, 1L << 30, &got_text, &got_text_len, &d) != JS_OK)
                abort(); /* written, but not there */
            char *got = records(p, got_text, got_text_len, &got_len);
            /* the way back writes the heading's width: compare up to it */
            if (!got || got_len != want_len || memcmp(got, want, want_len))
                abort(); /* the round trip changed the data */
            free(got);
            free(got_text);
        }
    }
    free(want);
    remove_all(dir);
    return 0;
}
