/* Fuzz target: the CSV reader (encoding detection, quoting, limits), and
 * js_csv_plain against it: a line read plain has the fields and line
 * number the record reader gives it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "juesuan/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_diag d;
    js_csv *c = js_csv_open("fuzz.csv", (const char *)data, size, &d);
    if (!c)
        return 0;
    for (;;) {
        js_csv_mark at = js_csv_tell(c);
        const char *field[JS_MAX_COLUMNS];
        size_t len[JS_MAX_COLUMNS];
        size_t nf = js_csv_plain(c, field, len, JS_MAX_COLUMNS);
        long line = js_csv_line(c);
        bool blank = true;
        for (size_t i = 0; i < nf; i++)
            for (size_t k = 0; k < len[i]; k++)
                blank = blank && (field[i][k] == ' ' || field[i][k] == '\t');
        if (nf)
            js_csv_seek(c, at);
        if (js_csv_next(c, &d) <= 0)
            break;
        if (nf && !blank) {
            if (js_csv_nfields(c) != nf || js_csv_line(c) != line)
                abort();
            for (size_t i = 0; i < nf; i++)
                if (js_csv_field_len(c, i) != len[i] || memcmp(js_csv_field(c, i), field[i], len[i]))
                    abort();
        }
    }
    js_csv_free(c);
    return 0;
}
