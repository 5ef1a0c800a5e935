/* Normalising printed report text (see printed_normalise.h). */
#include <string.h>
#include <utf8proc.h>

#include "printed_normalise.h"

/* CJK Radicals Supplement forms that NFKC leaves, as the ideograph they
 * stand for in extracted text (domain-cn.md §6). */
static const struct {
    utf8proc_int32_t from, to;
} k_radicals[] = {
    {0x2E8C, 0x5C0F}, {0x2E9C, 0x65E5}, {0x2E9D, 0x6708}, {0x2EA0, 0x6C11}, {0x2EAE, 0x7AF9},
    {0x2EB7, 0x7F8A}, {0x2EC4, 0x897F}, {0x2EC5, 0x89C1}, {0x2EC6, 0x89D2}, {0x2EC8, 0x8BA0},
    {0x2EC9, 0x8D1D}, {0x2ECB, 0x8F66}, {0x2ED0, 0x9485}, {0x2ED3, 0x957F}, {0x2ED4, 0x95E8},
    {0x2EDA, 0x9875}, {0x2EDB, 0x98CE}, {0x2EDC, 0x98DE}, {0x2EE0, 0x9963}, {0x2EE2, 0x9A6C},
    {0x2EE3, 0x9AA8}, {0x2EE4, 0x9B3C}, {0x2EE5, 0x9C7C}, {0x2EE6, 0x9E1F}, {0x2EE7, 0x5364},
    {0x2EE8, 0x9EA6}, {0x2EE9, 0x9EC4}, {0x2EEA, 0x9EFE}, {0x2EEC, 0x9F50}, {0x2EEE, 0x9F7F},
    {0x2EF0, 0x9F99}, {0x2EF3, 0x9F9F},
};

static utf8proc_int32_t fold_cp(utf8proc_int32_t c)
{
    if (c >= 0x2F00 && c <= 0x2FDF) { /* Kangxi radicals: NFKC maps each to one ideograph */
        utf8proc_int32_t out[4];
        int last;
        if (utf8proc_decompose_char(c, out, 4, UTF8PROC_COMPAT, &last) == 1)
            return out[0];
        return c;
    }
    if (c >= 0x2E80 && c <= 0x2EFF) {
        for (size_t i = 0; i < sizeof k_radicals / sizeof *k_radicals; i++)
            if (k_radicals[i].from == c)
                return k_radicals[i].to;
        return c;
    }
    if (c >= 0xFF10 && c <= 0xFF19)
        return '0' + (c - 0xFF10);
    switch (c) {
    case 0xFF0E: return '.';
    case 0xFF05: return '%';
    case 0xFF0D: return '-';
    case 0x3000: case 0x00A0: case '\t': case '\r': case '\n': return ' ';
    default: return c;
    }
}

static bool is_cjk(utf8proc_int32_t c)
{
    return (c >= 0x3000 && c <= 0x303F) || (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFF00 && c <= 0xFFEF) || c == 0x201C || c == 0x201D;
}

bool js_pn_has_cjk(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t c;
    utf8proc_ssize_t k;
    while (*p && (k = utf8proc_iterate(p, -1, &c)) > 0) {
        if (c >= 0x3400 && c <= 0x9FFF)
            return true;
        p += k;
    }
    return false;
}

char *js_pn_fold(js_arena *a, const char *s, size_t n)
{
    /* Folding never lengthens a character's encoding: decode into code
     * points, fold, drop spaces next to CJK, encode. */
    utf8proc_int32_t *cp = js_arena_alloc(a, sizeof *cp * (n + 1));
    char *out = js_arena_alloc(a, n + 1);
    if (!cp || !out)
        return NULL;
    size_t m = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t left = n;
    while (left > 0) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)left, &c);
        if (k <= 0) { /* invalid byte: drop it */
            p++, left--;
            continue;
        }
        p += k, left -= (size_t)k;
        if (c == 0xFEFF || c == 0x200B || (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
            continue;
        cp[m++] = fold_cp(c);
    }
    size_t o = 0;
    for (size_t i = 0; i < m; i++) {
        if (cp[i] == ' ') {
            size_t j = i;
            while (j < m && cp[j] == ' ')
                j++;
            /* leading, trailing and CJK-adjacent spaces go; others become one */
            if (o == 0 || j == m || is_cjk(cp[j]) || (i > 0 && is_cjk(cp[i - 1]))) {
                i = j - 1;
                continue;
            }
            out[o++] = ' ';
            i = j - 1;
            continue;
        }
        utf8proc_uint8_t buf[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cp[i], buf);
        memcpy(out + o, buf, (size_t)k);
        o += (size_t)k;
    }
    out[o] = '\0';
    return out;
}

char *js_pn_squeeze(js_arena *a, const char *s)
{
    char *out = js_arena_alloc(a, strlen(s) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            out[o++] = *s;
    out[o] = '\0';
    return out;
}

js_pn_kind js_pn_number(const char *s, int decimals, char *out, size_t n)
{
    while (*s == ' ')
        s++;
    if (!strcmp(s, "-") || !strcmp(s, "—") || !strcmp(s, "--") || !strcmp(s, "－"))
        return JS_PN_DASH;
    char digits[64];
    size_t o = 0;
    bool neg = false, point = false, sep = false;
    int after = 0;
    const char *p = s;
    if (*p == '-')
        neg = true, p++;
    if (!(*p >= '0' && *p <= '9'))
        return JS_PN_TEXT;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (o + 1 >= sizeof digits)
                return JS_PN_TEXT;
            digits[o++] = *p;
            if (point)
                after++;
        } else if (*p == '.') {
            if (point || o + 1 >= sizeof digits)
                return JS_PN_TEXT;
            point = true;
            digits[o++] = '.';
        } else if (*p == ',') {
            if (point)
                return JS_PN_TEXT;
            sep = true;
        } else if (*p != ' ') {
            return JS_PN_TEXT;
        }
    }
    if (point && after == 0)
        return JS_PN_TEXT;
    if (o + (size_t)(decimals > after ? decimals - after : 0) + 3 > n)
        return JS_PN_TEXT;
    size_t w = 0;
    if (neg)
        out[w++] = '-';
    memcpy(out + w, digits, o);
    w += o;
    if (!point && !sep) {
        out[w] = '\0';
        return JS_PN_INT;
    }
    if (!point && decimals > 0)
        out[w++] = '.';
    for (int k = after; k < decimals; k++)
        out[w++] = '0';
    out[w] = '\0';
    return JS_PN_AMOUNT;
}
