/* UTF-8 validation, display width and GB18030 conversion. */
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t js_utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            /* ASCII runs, eight bytes at a time */
            for (i++; i + 8 <= len; i += 8) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
            }
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe1 && c <= 0xec && i + 2 < len && (p[i + 1] & 0xc0) == 0x80 &&
                   (p[i + 2] & 0xc0) == 0x80) {
            /* the common case (CJK): a lead that cannot start an overlong
             * form or a surrogate, with its two continuation bytes */
            i += 3;
            continue;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return i;
        }
        for (size_t k = 1; k <= n; k++) {
            if (i + k >= len || (p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

static int cp_width(uint32_t cp)
{
    if (cp == 0)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
        (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
        (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
        return 2;
    return 1;
}

size_t js_utf8_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        uint32_t cp;
        int n;
        if (*p < 0x80) {
            cp = *p;
            n = 0;
        } else if (*p >= 0xf0) {
            cp = *p & 0x07;
            n = 3;
        } else if (*p >= 0xe0) {
            cp = *p & 0x0f;
            n = 2;
        } else {
            cp = *p & 0x1f;
            n = 1;
        }
        p++;
        for (int k = 0; k < n && (*p & 0xc0) == 0x80; k++, p++)
            cp = (cp << 6) | (*p & 0x3f);
        w += (size_t)cp_width(cp);
    }
    return w;
}

bool js_gb18030_to_utf8(const char *s, size_t len, char **out, size_t *outlen)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return false;
    size_t cap = len * 2 + 16; /* GB18030 2 bytes -> UTF-8 at most 3; 4 -> 4 */
    char *buf = malloc(cap);
    if (!buf) {
        iconv_close(cd);
        return false;
    }
    char *in = (char *)s, *o = buf;
    size_t inleft = len, oleft = cap - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (r == (size_t)-1 || inleft != 0) {
        free(buf);
        return false;
    }
    *o = '\0';
    *out = buf;
    *outlen = (size_t)(o - buf);
    return true;
}
