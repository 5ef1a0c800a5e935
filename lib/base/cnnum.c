/* Chinese numerals (see cnnum.h). */
#include "cnnum.h"

#include <stdio.h>

void js_chinese_number(int n, char *buf, size_t len)
{
    static const char *const digits[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n <= 0 || n >= 100)
        snprintf(buf, len, "%d", n);
    else if (n < 10)
        snprintf(buf, len, "%s", digits[n]);
    else
        snprintf(buf, len, "%s十%s", n / 10 == 1 ? "" : digits[n / 10], digits[n % 10]);
}
