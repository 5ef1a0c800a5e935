/* Fuzz target: the amount parser and formatter. */
#include <stdint.h>
#include <string.h>

#include "juesuan/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    js_money_unit unit = data[0] & 1 ? JS_UNIT_WAN : JS_UNIT_YUAN;
    int flags = data[0] & 2 ? JS_MONEY_BLANK_ZERO : 0;
    js_fen v;
    const char *why;
    if (js_money_parse((const char *)data + 1, size - 1, unit, flags, &v, &why)) {
        char buf[64];
        js_money_format_wan(v, data[0] & 4, buf, sizeof buf);
        js_money_format_yuan(v, buf, sizeof buf);
        /* Round trip: a 元 amount printed as 元 parses back to itself. */
        js_fen back;
        if (!js_money_parse(buf, strlen(buf), JS_UNIT_YUAN, 0, &back, &why) || back != v)
            __builtin_trap();
    }
    return 0;
}
