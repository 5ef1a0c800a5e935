/* Chinese numerals (see cnnum.h). */
#include "cnnum.h"

#include <stdio.h>

/* Appends s to buf (of len bytes, o used), cut to fit as snprintf would. */
static size_t put(char *buf, size_t len, size_t o, const char *s)
{
    while (*s && o + 1 < len)
        buf[o++] = *s++;
    return o;
}

void js_chinese_number(int n, char *buf, size_t len)
{
    static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n >= 100) {
        snprintf(buf, len, "%d", n);
        return;
    }
    if (!len)
        return;
    /* by hand: headings and row labels are numbered this way thousands of
     * times a batch (snprintf was a percent of a check). A cut in the
     * middle of a character is what snprintf gives too. */
    size_t o = 0;
    if (n < 10) {
        o = put(buf, len, o, digits[n]);
    } else {
        o = put(buf, len, o, n / 10 == 1 ? "" : digits[n / 10]);
        o = put(buf, len, o, "十");
        o = put(buf, len, o, digits[n % 10]);
    }
    buf[o] = '\0';
}
