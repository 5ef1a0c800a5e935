/* Spreadsheet cells as CSV text (see sheet_cell.h). */
#include "sheet_cell.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/money.h"

void js_cell_number_text(const char *v, char *buf, size_t n)
{
    size_t digits = 0;
    for (const char *p = v; *p; p++)
        digits += *p >= '0' && *p <= '9';
    if (!strpbrk(v, "eE") && digits <= 15) {
        snprintf(buf, n, "%s", v);
        return;
    }
    double x = strtod(v, NULL); /* the spreadsheet boundary */
    snprintf(buf, n, "%.15g", x);
    if (!strpbrk(buf, "eE"))
        return;
    snprintf(buf, n, "%.6f", x);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
}

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

bool js_cell_serial_date(double serial, bool date1904, char *buf, size_t n)
{
    if (!(serial >= 0 && serial < 3000000)) /* NaN too */
        return false;
    long s = (long)floor(serial), base;
    if (date1904) {
        base = days_from_civil(1904, 1, 1);
    } else {
        if (s < 1)
            return false;
        if (s == 60)
            s = 59; /* the 1900-02-29 that never was */
        base = days_from_civil(1899, 12, s < 60 ? 31 : 30);
    }
    long y;
    unsigned m, d;
    civil_from_days(base + s, &y, &m, &d);
    if (y > 9999)
        return false;
    snprintf(buf, n, "%04ld-%02u-%02u", y, m, d);
    return true;
}

bool js_cell_format_is_date(int id, const char *code)
{
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
        return true;
    if (!code)
        return false;
    for (const char *p = code; *p; p++) {
        if (*p == '"') { /* quoted text */
            const char *q = strchr(p + 1, '"');
            if (!q)
                return false;
            p = q;
        } else if (*p == '\\' || *p == '_' || *p == '*') { /* escaped, padding and fill characters */
            if (!p[1])
                return false;
            p++;
        } else if (*p == '[') { /* colour, condition, locale; [h] [m] [s] are elapsed time */
            const char *q = strchr(p, ']');
            if (!q)
                return false;
            if (q - p == 2 && strchr("hHmMsS", p[1]))
                return true;
            p = q;
        } else if (*p == ';') {
            return false; /* the positive section decides */
        } else if (strchr("dDmMyYhHsS", *p) || !strncmp(p, "年", 3) || !strncmp(p, "月", 3) ||
                   !strncmp(p, "日", 3)) {
            return true;
        }
    }
    return false;
}

static bool leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool js_cell_date(const char *text, size_t len, char *buf, size_t n)
{
    char a[64];
    size_t al;
    if (!js_number_ascii(text, len, a, sizeof a, &al)) {
        /* 年 月 日 as separators: map them, then read as ASCII */
        char t[128];
        size_t tl = 0;
        for (size_t i = 0; i < len && tl + 1 < sizeof t;) {
            if (i + 3 <= len && (!memcmp(text + i, "年", 3) || !memcmp(text + i, "月", 3))) {
                t[tl++] = '-';
                i += 3;
            } else if (i + 3 <= len && !memcmp(text + i, "日", 3) && i + 3 == len) {
                i += 3;
            } else {
                t[tl++] = text[i++];
            }
        }
        if (!js_number_ascii(t, tl, a, sizeof a, &al))
            return false;
    }
    long v[3];
    int k = 0;
    const char *p = a, *end = a + al;
    while (p < end && *p == ' ')
        p++;
    while (end > p && end[-1] == ' ')
        end--;
    char sep = 0;
    while (k < 3) {
        if (p == end || *p < '0' || *p > '9')
            return false;
        long x = 0;
        int digits = 0;
        while (p < end && *p >= '0' && *p <= '9' && digits < 5)
            x = x * 10 + (*p++ - '0'), digits++;
        if ((k == 0 && digits != 4) || (k > 0 && digits > 2))
            return false;
        v[k++] = x;
        if (k == 3)
            break;
        if (p == end || !strchr("-/.", *p) || (sep && *p != sep))
            return false;
        sep = *p++;
    }
    if (p != end)
        return false;
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (v[0] < 1900 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > (long)mdays[v[1] - 1] + (v[1] == 2 && leap(v[0])))
        return false;
    snprintf(buf, n, "%04ld-%02ld-%02ld", v[0], v[1], v[2]);
    return true;
}

bool js_cell_code_digits(const char *text, size_t len, char *buf, size_t n)
{
    size_t al;
    snprintf(buf, n, "%.*s", (int)len, text);
    char a[64];
    if (!js_number_ascii(text, len, a, sizeof a, &al))
        return false;
    size_t b = 0;
    while (b < al && a[b] == ' ')
        b++;
    while (al > b && a[al - 1] == ' ')
        al--;
    size_t e = b;
    while (e < al && a[e] >= '0' && a[e] <= '9')
        e++;
    if (e == b || e - b + 1 > n)
        return false;
    if (e < al) { /* a zero fraction only */
        if (a[e] != '.' || e + 1 == al)
            return false;
        for (size_t i = e + 1; i < al; i++)
            if (a[i] != '0')
                return false;
    }
    memcpy(buf, a + b, e - b);
    buf[e - b] = '\0';
    return true;
}
