/* Fuzz target: the cell readers of sheet_cell.h — typed dates, codes by
 * the amounts' rule, number formats, numbers as shown and date serials —
 * and the nearest-name search of "did you mean". */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"
#include "sheet_cell.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *name_at(const void *ctx, size_t i) { return ((const char *const *)ctx)[i]; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), buf[64];
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);
    js_cell_date(text, len, buf, sizeof buf);
    js_cell_code_digits(text, len, buf, sizeof buf);
    js_cell_format_is_date((int)len, text);
    if (len < 40 && strspn(text, "0123456789.eE+-") == len) {
        js_cell_number_text(text, buf, sizeof buf);
        double v = strtod(text, NULL);
        js_cell_serial_date(v, false, buf, sizeof buf);
        js_cell_serial_date(v, true, buf, sizeof buf);
    }
    static const char *const names[] = {"某某区某某局(本级)", "某某区某某中心", "甲"};
    js_nearest_name(text, name_at, names, 3);
    free(text);
    return 0;
}
