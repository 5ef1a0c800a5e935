/* Amount parsing and formatting: exact integer 分, 四舍五入 to 万元. */
#include "juesuan/money.h"

#include <stdio.h>
#include <string.h>

#define MAX_AMOUNT_CHARS 64

/* One recognised multi-byte character and its ASCII stand-in. */
struct mapping {
    const char *utf8;
    char ascii;
};

static const struct mapping k_map[] = {
    {"\xef\xbc\x8c", ','}, /* ， full-width comma */
    {"\xef\xbc\x8e", '.'}, /* ． full-width point */
    {"\xef\xbc\x8d", '-'}, /* － full-width minus */
    {"\xe2\x88\x92", '-'}, /* − minus sign */
    {"\xe2\x80\x94", '~'}, /* — em dash: only a blank marker, never a minus */
    {"\xe2\x80\x93", '~'}, /* – en dash: likewise */
    {"\xef\xbc\x88", '('}, /* （ */
    {"\xef\xbc\x89", ')'}, /* ） */
    {"\xef\xbc\x8b", '+'}, /* ＋ */
    {"\xe3\x80\x80", ' '}, /* ideographic space */
};

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

bool js_number_ascii(const char *s, size_t len, char *out, size_t cap, size_t *outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        char a = 0;
        size_t step = 1;
        if (c < 0x80) {
            a = (char)c;
        } else if (c == 0xef && i + 2 < len && (unsigned char)s[i + 1] == 0xbc &&
                   (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            a = (char)('0' + ((unsigned char)s[i + 2] - 0x90));
            step = 3;
        } else {
            for (size_t m = 0; m < sizeof k_map / sizeof k_map[0]; m++) {
                size_t n = strlen(k_map[m].utf8);
                if (i + n <= len && memcmp(s + i, k_map[m].utf8, n) == 0) {
                    a = k_map[m].ascii;
                    step = n;
                    break;
                }
            }
            if (!a)
                return false;
        }
        if (o + 1 >= cap)
            return false;
        out[o++] = a;
        i += step;
    }
    out[o] = '\0';
    *outlen = o;
    return true;
}

static bool fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return false;
}

/* The common case, ASCII digits with an optional fraction of at most the
 * unit's decimals ("15540.32"), short enough not to overflow; false for
 * anything else, which the full parser then reads. */
/* The n (1 to 8) ASCII digits at s as a number, or -1 when one is not a
 * digit: eight bytes at a time (SWAR), reading s[0..n) only. */
static inline int64_t eight_digits(const char *s, size_t n)
{
    uint64_t v = 0; /* the digits in its high n bytes, '0' below them */
    if (n >= 4) {
        uint32_t lo, hi; /* the first four and the last four, overlapping */
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        v = (uint64_t)hi << 32 | (uint64_t)lo << (8 * (8 - n));
    } else {
        for (size_t i = 0; i < n; i++)
            v |= (uint64_t)(unsigned char)s[i] << (8 * (8 - n + i));
    }
    if (n < 8)
        v |= 0x3030303030303030ULL >> (8 * n);
    if ((((v & 0xF0F0F0F0F0F0F0F0ULL) | (((v + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) !=
         0x3333333333333333ULL))
        return -1;
    v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
    v = (v & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
    return (int64_t)((v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32);
}

static bool plain_amount(const char *s, size_t len, js_money_unit unit, js_fen *out)
{
    bool yuan = unit == JS_UNIT_YUAN;
    /* the commonest form of all, yuan with two decimals ("15540.32"), a
     * word at a time; the same value as the loop below gives */
    if (yuan && len >= 4 && len <= 18 && s[len - 3] == '.') {
        size_t n = len - 3;
        int64_t hi = n > 8 ? eight_digits(s, n - 8) : 0, lo = eight_digits(s + (n > 8 ? n - 8 : 0), n > 8 ? 8 : n);
        unsigned f1 = (unsigned char)s[len - 2] - '0', f2 = (unsigned char)s[len - 1] - '0';
        if (hi >= 0 && lo >= 0 && f1 <= 9 && f2 <= 9) {
            *out = (hi * 100000000 + lo) * JS_FEN_PER_YUAN + (js_fen)(f1 * 10 + f2);
            return true;
        }
    }
    size_t maxdec = yuan ? 2 : 6, maxwhole = yuan ? 15 : 12, i = 0, f = 0;
    int64_t whole = 0, frac = 0;
    for (; i < len && i < maxwhole && (unsigned)(s[i] - '0') <= 9; i++)
        whole = whole * 10 + (s[i] - '0');
    if (i == 0)
        return false;
    if (i < len) {
        if (s[i++] != '.')
            return false;
        for (; i < len && f < maxdec && (unsigned)(s[i] - '0') <= 9; i++, f++)
            frac = frac * 10 + (s[i] - '0');
        if (f == 0 || i != len)
            return false;
    }
    for (; f < maxdec; f++)
        frac *= 10;
    *out = whole * (yuan ? JS_FEN_PER_YUAN : JS_FEN_PER_WAN) + frac;
    return true;
}

/* js_money_parse of what plain_amount does not read: out of line, so
 * that the common case has no frame for its buffer. */
static __attribute__((noinline)) bool parse_full(const char *s, size_t len, js_money_unit unit, int flags,
                                                 js_fen *out, const char **why)
{
    char buf[MAX_AMOUNT_CHARS];
    size_t n = 0;

    if (len > 4 * MAX_AMOUNT_CHARS)
        return fail(why, "金额过长");

    /* A unit word at the end overrides the column's unit. */
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (ends_with(s, len, "万元")) {
        unit = JS_UNIT_WAN;
        len -= strlen("万元");
    } else if (ends_with(s, len, "元")) {
        unit = JS_UNIT_YUAN;
        len -= strlen("元");
    }
    if (!js_number_ascii(s, len, buf, sizeof buf, &n))
        return fail(why, "不是有效的金额（含有非数字字符）");

    size_t b = 0, e = n;
    while (b < e && (buf[b] == ' ' || buf[b] == '\t'))
        b++;
    while (e > b && (buf[e - 1] == ' ' || buf[e - 1] == '\t'))
        e--;

    const char *p = buf + b;
    size_t plen = e - b;

    if (plen == 0 || (plen == 1 && (p[0] == '-' || p[0] == '~'))) {
        if (flags & JS_MONEY_BLANK_ZERO) {
            *out = 0;
            return true;
        }
        return fail(why, plen ? "金额不能用“-”表示" : "金额为空");
    }

    bool negative = false;
    if (p[0] == '(') {
        if (p[plen - 1] != ')')
            return fail(why, "括号不配对");
        negative = true;
        p++;
        plen -= 2;
    }
    if (plen > 0 && (p[0] == '-' || p[0] == '+')) {
        if (negative)
            return fail(why, "负号与括号不能同时使用");
        negative = p[0] == '-';
        p++;
        plen--;
    }
    if (plen == 0)
        return fail(why, "不是有效的金额");

    /* Integer part, with thousands commas in groups of three if any. */
    int64_t whole = 0;
    size_t i = 0, digits = 0, group = 0;
    bool commas = false;
    for (; i < plen && p[i] != '.'; i++) {
        char c = p[i];
        if (c == ',') {
            if (digits == 0 || (commas && group != 3) || (!commas && group > 3))
                return fail(why, "千分位逗号位置不对");
            commas = true;
            group = 0;
            continue;
        }
        if (c < '0' || c > '9')
            return fail(why, "不是有效的金额");
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, c - '0', &whole))
            return fail(why, "金额超出范围");
        digits++;
        group++;
    }
    if (digits == 0)
        return fail(why, "不是有效的金额（缺少整数部分）");
    if (commas && group != 3)
        return fail(why, "千分位逗号位置不对");

    /* Fraction. */
    int64_t frac = 0;
    int fdigits = 0;
    if (i < plen) {
        i++; /* '.' */
        if (i == plen)
            return fail(why, "小数点后缺少数字");
        for (; i < plen; i++) {
            char c = p[i];
            if (c < '0' || c > '9')
                return fail(why, "不是有效的金额");
            if (fdigits >= 18)
                return fail(why, "小数位数过多");
            frac = frac * 10 + (c - '0');
            fdigits++;
        }
    }

    int maxdec = unit == JS_UNIT_YUAN ? 2 : 6;
    int64_t scale = unit == JS_UNIT_YUAN ? JS_FEN_PER_YUAN : JS_FEN_PER_WAN;
    if (fdigits > maxdec)
        return fail(why, unit == JS_UNIT_YUAN ? "以元为单位的金额最多两位小数（到分）"
                                              : "以万元为单位的金额最多六位小数（到分）");
    for (int k = fdigits; k < maxdec; k++)
        frac *= 10;

    int64_t v;
    if (__builtin_mul_overflow(whole, scale, &v) || __builtin_add_overflow(v, frac, &v))
        return fail(why, "金额超出范围");
    *out = negative ? -v : v;
    return true;
}

bool js_money_parse(const char *s, size_t len, js_money_unit unit, int flags,
                    js_fen *out, const char **why)
{
    return plain_amount(s, len, unit, out) || parse_full(s, len, unit, flags, out, why);
}

int64_t js_money_round_wan_cents(js_fen fen)
{
    const int64_t step = JS_FEN_PER_WAN / 100; /* 0.01 万元 = 10000 分 */
    int64_t q = fen / step, r = fen % step;
    if (r >= step / 2)
        q++;
    else if (r <= -step / 2)
        q--;
    return q;
}

static size_t format_cents(int64_t cents, bool thousands, char *buf, size_t n)
{
    char digits[32];
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    /* the digits by hand: every amount of every table comes here */
    char rev[24];
    int len = 0;
    for (uint64_t w = mag / 100;; w /= 10) {
        rev[len++] = (char)('0' + w % 10);
        if (w < 10)
            break;
    }
    for (int k = 0; k < len; k++)
        digits[k] = rev[len - 1 - k];
    char out[48];
    size_t o = 0;
    if (cents < 0)
        out[o++] = '-';
    for (int k = 0; k < len; k++) {
        if (thousands && k > 0 && (len - k) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[k];
    }
    out[o++] = '.';
    out[o++] = (char)('0' + mag % 100 / 10);
    out[o++] = (char)('0' + mag % 10);
    out[o] = '\0';
    if (n == 0)
        return o;
    size_t w = o < n - 1 ? o : n - 1;
    memcpy(buf, out, w);
    buf[w] = '\0';
    return o;
}

size_t js_money_format_wan(js_fen fen, bool thousands, char *buf, size_t n)
{
    return format_cents(js_money_round_wan_cents(fen), thousands, buf, n);
}

size_t js_money_format_yuan(js_fen fen, char *buf, size_t n)
{
    return format_cents(fen, false, buf, n);
}

size_t js_money_format_yuan_grouped(js_fen fen, bool thousands, char *buf, size_t n)
{
    return format_cents(fen, thousands, buf, n);
}

bool js_money_percent(js_fen num, js_fen den, int decimals, char *buf, size_t n)
{
    if (n)
        buf[0] = '\0';
    if (den == 0)
        return false;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    __int128 scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    __int128 a = (__int128)num * 100 * scale, b = den;
    bool neg = (a < 0) != (b < 0);
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    __int128 q = (a * 2 + b) / (b * 2); /* half away from zero */
    char digits[64];
    size_t k = 0;
    for (int i = 0; q > 0 || i <= decimals; i++, q /= 10) { /* least significant first */
        if (i == decimals && decimals)
            digits[k++] = '.';
        digits[k++] = (char)('0' + (int)(q % 10));
    }
    digits[k] = '\0';
    neg = neg && strspn(digits, "0.") < k; /* no "-0.0" */
    size_t o = 0;
    if (neg && o + 1 < n)
        buf[o++] = '-';
    while (k && o + 1 < n)
        buf[o++] = digits[--k];
    if (n)
        buf[o] = '\0';
    return true;
}
