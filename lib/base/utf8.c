/* UTF-8 validation, display width and GB18030 conversion. */
#include "utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The first invalid sequence (or, with nul, NUL byte), a byte at a time. */
static size_t scalar_check(const char *s, size_t len, bool nul)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        size_t n;
        uint32_t cp;
        if (c < 0x80) {
            if (nul && c == 0)
                return i;
            /* ASCII runs, eight bytes at a time */
            for (i++; i + 8 <= len; i += 8) {
                uint64_t w;
                memcpy(&w, p + i, 8);
                uint64_t zero = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
                if ((w & 0x8080808080808080ULL) || (nul && zero))
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

size_t js_utf8_invalid_at_scalar(const char *s, size_t len)
{
    return scalar_check(s, len, false);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

/* Block-wise validation with SSSE3 table lookups (after Keiser and
 * Lemire, "Validating UTF-8 in less than one instruction per byte", 2021):
 * each byte pair is classified by three 16-entry tables indexed by the
 * high and low nibble of the first byte and the high nibble of the second;
 * an error bit survives their AND only for an invalid pair. Third and
 * fourth bytes of long sequences are checked against the lead two or three
 * bytes back. The first block with an error is handed to the scalar check
 * for the exact offset. */
enum {
    E_SHORT = 1 << 0,     /* a lead not followed by a continuation */
    E_LONG = 1 << 1,      /* a continuation after ASCII */
    E_OVER3 = 1 << 2,     /* E0 80..9F */
    E_LARGE = 1 << 3,     /* F4 90..BF, F5.. */
    E_SURR = 1 << 4,      /* ED A0..BF */
    E_OVER2 = 1 << 5,     /* C0, C1 */
    E_LARGE8_OVER4 = 1 << 6, /* F5.. 80..8F; F0 80..8F */
    E_CONTS = 1 << 7,     /* a continuation after a continuation */
    E_CARRY = E_SHORT | E_LONG | E_CONTS
};

__attribute__((target("ssse3"))) static inline __m128i lookup(__m128i nibbles, __m128i table)
{
    return _mm_shuffle_epi8(table, nibbles);
}

enum { L = E_CARRY | E_LARGE | E_LARGE8_OVER4, C2 = E_LONG | E_OVER2 | E_CONTS };
static const unsigned char t_first_high[16] = {
        E_LONG, E_LONG, E_LONG, E_LONG, E_LONG, E_LONG, E_LONG, E_LONG, E_CONTS, E_CONTS, E_CONTS, E_CONTS,
        E_SHORT | E_OVER2, E_SHORT, E_SHORT | E_OVER3 | E_SURR, E_SHORT | E_LARGE | E_LARGE8_OVER4};
static const unsigned char t_first_low[16] = {
        E_CARRY | E_OVER3 | E_OVER2 | E_LARGE8_OVER4, E_CARRY | E_OVER2, E_CARRY, E_CARRY, E_CARRY | E_LARGE,
        L, L, L, L, L, L, L, L, L | E_SURR, L, L};
static const unsigned char t_second_high[16] = {
        E_SHORT, E_SHORT, E_SHORT, E_SHORT, E_SHORT, E_SHORT, E_SHORT, E_SHORT,
        C2 | E_OVER3 | E_LARGE8_OVER4, C2 | E_OVER3 | E_LARGE, C2 | E_SURR | E_LARGE, C2 | E_SURR | E_LARGE,
        E_SHORT, E_SHORT, E_SHORT, E_SHORT};

__attribute__((target("ssse3"))) static __m128i block_errors(__m128i in, __m128i prev)
{
    const __m128i low4 = _mm_set1_epi8(0x0f);
    const __m128i first_high = _mm_loadu_si128((const __m128i *)t_first_high);
    const __m128i first_low = _mm_loadu_si128((const __m128i *)t_first_low);
    const __m128i second_high = _mm_loadu_si128((const __m128i *)t_second_high);
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i pair = _mm_and_si128(
        _mm_and_si128(lookup(_mm_and_si128(_mm_srli_epi16(prev1, 4), low4), first_high),
                      lookup(_mm_and_si128(prev1, low4), first_low)),
        lookup(_mm_and_si128(_mm_srli_epi16(in, 4), low4), second_high));
    /* 0x80 where the byte two back is a 3- or 4-byte lead, or three back a
     * 4-byte lead: exactly there two continuations in a row are right */
    __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8(0xe0 - 0x80));
    __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8(0xf0 - 0x80));
    __m128i must = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(-0x80));
    return _mm_xor_si128(must, pair);
}

__attribute__((target("ssse3"))) static inline bool any_error(__m128i in, __m128i prev)
{
    return _mm_movemask_epi8(_mm_cmpeq_epi8(block_errors(in, prev), _mm_setzero_si128())) != 0xffff;
}

/* The NUL bytes of a block, as a bit mask of its first n bytes. */
__attribute__((target("ssse3"))) static inline unsigned nuls(__m128i in, size_t n)
{
    unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(in, _mm_setzero_si128()));
    return n >= 16 ? m : m & ((1u << n) - 1);
}

/* Whether some block (16 bytes) has an error (or, with nul, a NUL); *at is
 * the first one's offset. */
__attribute__((target("ssse3"))) static bool bad_block(const unsigned char *p, size_t len, bool nul, size_t *at)
{
    __m128i prev = _mm_setzero_si128();
    size_t i = 0;
    /* four blocks a step, their errors (and NULs) gathered before one
     * test; a step with one is looked at again block by block below */
    for (; i + 64 <= len; i += 64) {
        __m128i a = _mm_loadu_si128((const __m128i *)(p + i)), b = _mm_loadu_si128((const __m128i *)(p + i + 16)),
                c = _mm_loadu_si128((const __m128i *)(p + i + 32)), d = _mm_loadu_si128((const __m128i *)(p + i + 48));
        __m128i err = _mm_or_si128(_mm_or_si128(block_errors(a, prev), block_errors(b, a)),
                                   _mm_or_si128(block_errors(c, b), block_errors(d, c)));
        if (nul) {
            const __m128i z = _mm_setzero_si128();
            err = _mm_or_si128(err, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, z), _mm_cmpeq_epi8(b, z)),
                                                 _mm_or_si128(_mm_cmpeq_epi8(c, z), _mm_cmpeq_epi8(d, z))));
        }
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, _mm_setzero_si128())) != 0xffff)
            break;
        prev = d;
    }
    for (; i + 16 <= len; i += 16) {
        __m128i in = _mm_loadu_si128((const __m128i *)(p + i));
        if (any_error(in, prev) || (nul && nuls(in, 16))) {
            *at = i;
            return true;
        }
        prev = in;
    }
    /* the tail padded with ASCII NULs, which also ends any sequence the
     * input leaves open */
    unsigned char last[16] = {0};
    memcpy(last, p + i, len - i);
    __m128i in = _mm_loadu_si128((const __m128i *)last);
    *at = i;
    return any_error(in, prev) || (nul && nuls(in, len - i));
}

/* The same on 32 bytes at a time (AVX2): the tables in both 16-byte lanes,
 * the bytes one, two and three back taken across the lanes. */
__attribute__((target("avx2"))) static inline __m256i back(__m256i in, __m256i prev, int n)
{
    __m256i joined = _mm256_permute2x128_si256(prev, in, 0x21); /* prev's high lane, in's low */
    switch (n) {
    case 1:
        return _mm256_alignr_epi8(in, joined, 15);
    case 2:
        return _mm256_alignr_epi8(in, joined, 14);
    default:
        return _mm256_alignr_epi8(in, joined, 13);
    }
}

__attribute__((target("avx2"))) static __m256i block_errors32(__m256i in, __m256i prev)
{
    const __m256i low4 = _mm256_set1_epi8(0x0f);
    const __m256i first_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t_first_high));
    const __m256i first_low = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t_first_low));
    const __m256i second_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t_second_high));
    __m256i prev1 = back(in, prev, 1);
    __m256i pair = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(first_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low4)),
                         _mm256_shuffle_epi8(first_low, _mm256_and_si256(prev1, low4))),
        _mm256_shuffle_epi8(second_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), low4)));
    __m256i third = _mm256_subs_epu8(back(in, prev, 2), _mm256_set1_epi8(0xe0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(back(in, prev, 3), _mm256_set1_epi8(0xf0 - 0x80));
    __m256i must = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(-0x80));
    return _mm256_xor_si256(must, pair);
}

/* bad_block with AVX2: 64 bytes a step; *at is a 64-byte step's offset
 * or the padded tail's. */
__attribute__((target("avx2"))) static bool bad_block32(const unsigned char *p, size_t len, bool nul, size_t *at)
{
    __m256i prev = _mm256_setzero_si256();
    const __m256i z = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(p + i)), b = _mm256_loadu_si256((const __m256i *)(p + i + 32));
        __m256i err = _mm256_or_si256(block_errors32(a, prev), block_errors32(b, a));
        if (nul)
            err = _mm256_or_si256(err, _mm256_or_si256(_mm256_cmpeq_epi8(a, z), _mm256_cmpeq_epi8(b, z)));
        if (!_mm256_testz_si256(err, err)) {
            *at = i;
            return true;
        }
        prev = b;
    }
    /* the tail (under 64 bytes) padded with ASCII NULs, which also end any
     * sequence the input leaves open; NULs counted in the input's bytes */
    unsigned char last[64] = {0};
    memcpy(last, p + i, len - i);
    __m256i a = _mm256_loadu_si256((const __m256i *)last), b = _mm256_loadu_si256((const __m256i *)(last + 32));
    __m256i err = _mm256_or_si256(block_errors32(a, prev), block_errors32(b, a));
    *at = i;
    if (!_mm256_testz_si256(err, err))
        return true;
    if (!nul)
        return false;
    uint64_t zeros = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, z)) |
                     (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, z)) << 32;
    return len - i < 64 ? (zeros & ((1ULL << (len - i)) - 1)) != 0 : zeros != 0;
}

/* wide: 32-byte blocks where the processor has them */
static size_t check(const char *s, size_t len, bool nul, bool wide)
{
    if (!__builtin_cpu_supports("ssse3"))
        return scalar_check(s, len, nul);
    const unsigned char *p = (const unsigned char *)s;
    size_t at;
    wide = wide && __builtin_cpu_supports("avx2");
    if (!(wide ? bad_block32(p, len, nul, &at) : bad_block(p, len, nul, &at)))
        return len;
    /* The blocks before are valid except a sequence open at their end: its
     * lead is at most three bytes back. */
    size_t from = at >= 3 ? at - 3 : 0;
    while (from < at && (p[from] & 0xc0) == 0x80)
        from++;
    return from + scalar_check(s + from, len - from, nul);
}
#else
static size_t check(const char *s, size_t len, bool nul, bool wide)
{
    (void)wide;
    return scalar_check(s, len, nul);
}
#endif

size_t js_utf8_invalid_at(const char *s, size_t len)
{
    return check(s, len, false, true);
}

size_t js_utf8_invalid_at_narrow(const char *s, size_t len, bool nul)
{
    return check(s, len, nul, false);
}

size_t js_utf8_text_invalid_at(const char *s, size_t len)
{
    return check(s, len, true, true);
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
