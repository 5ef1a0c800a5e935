/* The exact amounts behind a printed figure (万元, or 元 to the 分). */
#include <stdint.h>

#include "printed.h"

void js_printed_interval(js_fen p, js_fen half, js_fen *lo, js_fen *hi)
{
    if (half <= 0) {
        *lo = *hi = p;
        return;
    }
    /* Saturating: a figure within half a unit of the int64 range keeps the
     * range's end (the sums that use it report the overflow). */
    if (__builtin_sub_overflow(p, half - (p <= 0), lo))
        *lo = INT64_MIN;
    if (__builtin_add_overflow(p, half - (p >= 0), hi))
        *hi = INT64_MAX;
}

js_fen js_printed_tolerance(int n)
{
    return n > 1 ? (js_fen)((n - 1) / 2) * JS_PRINTED_UNIT : 0;
}
