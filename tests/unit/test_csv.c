/* The CSV reader. */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "tap.h"

/* Reads all records of s; writes "a|b;c|d;" into out, or "ERR:line:msg". */
static void read_all(const char *s, size_t len, char *out, size_t n)
{
    js_diag d;
    js_diag_clear(&d);
    out[0] = '\0';
    js_csv *c = js_csv_open("t.csv", s, len, &d);
    if (!c) {
        snprintf(out, n, "ERR:%ld:%s", d.line, d.message);
        return;
    }
    int r;
    while ((r = js_csv_next(c, &d)) > 0) {
        char rec[256] = "";
        snprintf(rec, sizeof rec, "@%ld:", js_csv_line(c));
        for (size_t i = 0; i < js_csv_nfields(c); i++) {
            strncat(rec, i ? "|" : "", sizeof rec - strlen(rec) - 1);
            strncat(rec, js_csv_field(c, i), sizeof rec - strlen(rec) - 1);
        }
        strncat(out, rec, n - strlen(out) - 1);
        strncat(out, ";", n - strlen(out) - 1);
    }
    if (r < 0)
        snprintf(out, n, "ERR:%ld:%d:%s", d.line, d.col, d.message);
    js_csv_free(c);
}

static void check(const char *s, const char *want, const char *name)
{
    char out[1024];
    read_all(s, strlen(s), out, sizeof out);
    is_str(out, want, "%s", name);
}

int main(void)
{
    check("a,b\nc,d\n", "@1:a|b;@2:c|d;", "plain records");
    check("a,b\r\nc,d", "@1:a|b;@2:c|d;", "CRLF and no final newline");
    check("a,b\rc,d\r", "@1:a|b;@2:c|d;", "CR-only line ends");
    check("\"x\ry\",1\rz,2\n", "@1:x\ry|1;@3:z|2;", "CR inside quotes counts a line");
    check("\xef\xbb\xbf" "a,b\n", "@1:a|b;", "UTF-8 BOM skipped");
    check("\"x,y\",\"say \"\"hi\"\"\"\n", "@1:x,y|say \"hi\";", "quoted comma and quotes");
    check("\"two\nlines\",z\nnext,1\n", "@1:two\nlines|z;@3:next|1;", "quoted newline keeps line numbers");
    check("a,b\n,\n \t, \nc,\n", "@1:a|b;@4:c|;", "blank records skipped");
    check("a,,c\n", "@1:a||c;", "empty middle field");
    check("", "", "empty input has no records");
    check("\"open\n", "ERR:1:1:引号没有闭合", "unterminated quote");
    check("a\"b\n", "ERR:1:1:未加引号的单元格中出现引号", "stray quote");
    check("\"a\"b\n", "ERR:1:1:引号后面有多余的字符", "text after closing quote");
    check("x\n\"a\"\"\n", "ERR:2:1:引号没有闭合", "unterminated quote on line 2");

    /* GB18030 (no BOM): 收入 = CA D5 C8 EB */
    char out[256];
    const char gb[] = "\xca\xd5\xc8\xeb,1\n";
    read_all(gb, sizeof gb - 1, out, sizeof out);
    is_str(out, "@1:收入|1;", "GB18030 converted to UTF-8");
    const char junk[] = "ok\n\xff\xfe\xff\n";
    read_all(junk, sizeof junk - 1, out, sizeof out);
    ok(strncmp(out, "ERR:2:", 6) == 0 && strstr(out, "GB18030"), "undecodable bytes: %s", out);
    const char nul[] = "a\0b\n";
    read_all(nul, sizeof nul - 1, out, sizeof out);
    ok(strstr(out, "空字符") != NULL, "NUL byte rejected: %s", out);

    /* Column limit. */
    char wide[400] = "";
    for (int i = 0; i < 70; i++)
        strcat(wide, "x,");
    strcat(wide, "x\n");
    read_all(wide, strlen(wide), out, sizeof out);
    ok(strstr(out, "超过") != NULL, "too many columns: %s", out);
    /* lines read plain (spans of the input) against the same lines read
     * as records: every length across the 16- and 32-byte blocks, commas
     * anywhere, now and then a quote, a CR or too many fields */
    {
        enum { LINES = 3000, MAXF = 8 };
        size_t cap = LINES * 130, n = 0, plain = 0, wrong = 0;
        char *text = malloc(cap);
        unsigned seed = 7;
        for (int l = 0; l < LINES; l++) {
            size_t len = 1 + (seed = seed * 1103515245u + 12345u) % 120;
            for (size_t i = 0; i < len; i++) {
                unsigned x = (seed = seed * 1103515245u + 12345u) >> 16;
                text[n++] = x % 9 == 0 ? ',' : x % 997 == 0 ? '"' : x % 991 == 0 ? '\r' : (char)('a' + x % 26);
            }
            text[n++] = '\n';
        }
        js_diag d;
        js_diag_clear(&d);
        js_csv *c = js_csv_open("t.csv", text, n, &d), *again = js_csv_open("t.csv", text, n, &d);
        for (int l = 0; c && again && l < LINES; l++) {
            const char *field[MAXF];
            size_t flen[MAXF];
            js_csv_mark at = js_csv_tell(c);
            size_t nf = js_csv_plain(c, field, flen, MAXF);
            const char *line = text + at.pos, *end = memchr(line, '\n', n - at.pos);
            if (memchr(line, '"', (size_t)(end - line)) || memchr(line, '\r', (size_t)(end - line))) {
                wrong += nf != 0; /* not plain; js_csv_next reads it otherwise (or refuses it) */
                js_csv_seek(c, (js_csv_mark){(size_t)(end + 1 - text), at.line + 1});
                continue;
            }
            js_csv_seek(again, at);
            if (js_csv_next(again, &d) <= 0)
                break;
            if (!nf) {
                wrong += js_csv_nfields(again) <= MAXF;
                js_csv_seek(c, js_csv_tell(again));
                continue;
            }
            plain++;
            wrong += nf != js_csv_nfields(again) || js_csv_line(c) != js_csv_line(again);
            for (size_t i = 0; i < nf && i < js_csv_nfields(again); i++)
                wrong += flen[i] != js_csv_field_len(again, i) || memcmp(field[i], js_csv_field(again, i), flen[i]);
        }
        ok(c && again && plain > LINES / 2 && wrong == 0, "%zu lines read plain as js_csv_next reads them (%zu differ)",
           plain, wrong);
        js_csv_free(c);
        js_csv_free(again);
        free(text);
    }
    return done_testing();
}
