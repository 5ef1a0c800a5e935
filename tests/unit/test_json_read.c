/* The JSON reader gives jansson's value for every text it reads itself,
 * and hands every other text to jansson (the same value or the same
 * error): the profiles and score items of data/, and texts built to sit
 * on each edge of what it takes on. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "json_read.h"
#include "tap.h"

/* The compact text of v with its keys in order, or a copy of "(null)". */
static char *text_of(const json_t *v)
{
    return v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER) : strdup("(null)");
}

/* Both readers on data[0..len): jansson's value (or error) through
 * js_json_read; whether the plain reader took the text on itself. */
static int agree(const char *data, size_t len, const char *name, int *plain_read)
{
    json_error_t e1, e2;
    json_t *want = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e1);
    json_t *got = js_json_read(data, len, &e2);
    json_t *plain = js_json_read_plain(data, len);
    char *w = text_of(want), *g = text_of(got), *p = text_of(plain);
    int same = !strcmp(w, g) && (!plain || !strcmp(w, p)) && (want || !strcmp(e1.text, e2.text)) &&
               (want || (e1.line == e2.line && e1.column == e2.column));
    if (!same)
        printf("# %s: jansson %s (%s), js_json_read %s (%s), plain %s\n", name, w, want ? "" : e1.text, g,
               got ? "" : e2.text, p);
    if (plain_read)
        *plain_read = plain != NULL;
    free(w);
    free(g);
    free(p);
    json_decref(want);
    json_decref(got);
    json_decref(plain);
    return same;
}

static int nfiles, nsame, nplain;

static int each_json(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || n < 5 || strcmp(path + n - 5, ".json"))
        return 0;
    char *data;
    size_t len;
    js_diag d;
    if (js_read_file(path, 1 << 24, &data, &len, &d) != JS_OK)
        return 1;
    int plain;
    nfiles++;
    nsame += agree(data, len, path, &plain);
    nplain += plain;
    free(data);
    return 0;
}

/* One text: the same as jansson's, read by the plain reader or not. */
static void one(const char *text, int plain_expected, const char *what)
{
    int plain = 0;
    int same = agree(text, strlen(text), what, &plain);
    ok(same && plain == plain_expected, "%s: %s (%s)", what, same ? "jansson's result" : "differs",
       plain ? "read here" : "read by jansson");
}

int main(void)
{
    const char *datadir = getenv("JUESUAN_DATA");
    if (!datadir)
        datadir = "data";
    ok(nftw(datadir, each_json, 16, FTW_PHYS) == 0 && nfiles > 20, "read %d JSON files of data/", nfiles);
    ok(nsame == nfiles, "every file of data/ gives jansson's value (%d of %d)", nsame, nfiles);
    ok(nplain * 10 >= nfiles * 9, "the plain reader takes on most of them itself (%d of %d)", nplain, nfiles);

    one("{}", 1, "empty object");
    one(" [ ] ", 1, "empty array, spaces around");
    one("{\"a\": [1, -2, 0, -0, 123456789012345678], \"b\": {\"c\": null, \"d\": true, \"e\": false}}", 1,
        "nesting, integers, words");
    one("{\"b\": 1, \"a\": 2, \"c\": 3}", 1, "key order kept");
    one("{\"名称\": \"一般公共预算财政拨款\\n（含\\t\\\"引号\\\"\\\\ \\/ \\b\\f\\r）\"}", 1, "short escapes");
    one("{\"a\\nb\": 1}", 0, "escape in a key: jansson's");
    one("{\"a\": \"\\u4e00\"}", 0, "\\u escape: jansson's");
    one("{\"a\": 1.5}", 0, "real: jansson's");
    one("{\"a\": 1e3}", 0, "exponent: jansson's");
    one("{\"a\": 1234567890123456789}", 0, "19 digits: jansson's");
    one("{\"a\": 99999999999999999999}", 0, "too big an integer: jansson's error");
    one("{\"a\": 01}", 0, "leading zero: jansson's error");
    one("{\"a\": -}", 0, "a lone minus: jansson's error");
    one("{\"a\": 1, \"a\": 2}", 0, "duplicate key: jansson's error");
    one("{\"a\": 1,}", 0, "trailing comma: jansson's error");
    one("[1 2]", 0, "no comma: jansson's error");
    one("{\"a\" 1}", 0, "no colon: jansson's error");
    one("{\"a\": tru}", 0, "a short word: jansson's error");
    one("{\"a\": truex}", 0, "a longer word: jansson's error");
    one("{\"a\": \"x\ty\"}", 0, "control character in a string: jansson's error");
    one("{\"a\": \"x", 0, "no closing quote: jansson's error");
    one("{\"a\": \"\xff\"}", 0, "not UTF-8: jansson's error");
    one("{\"a\": \"\xed\xa0\x80\"}", 0, "a surrogate in UTF-8: jansson's error");
    one("\"text\"", 0, "a string at the top: jansson's error");
    one("17", 0, "a number at the top: jansson's error");
    one("{} x", 0, "text after the value: jansson's error");
    one("", 0, "nothing: jansson's error");
    one("\xef\xbb\xbf{}", 0, "a byte order mark: jansson's error");
    char deep[2 * 300 + 1];
    memset(deep, '[', 300);
    memset(deep + 300, ']', 300);
    deep[600] = '\0';
    one(deep, 0, "300 levels deep: jansson's");
    return done_testing();
}
