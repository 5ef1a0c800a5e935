/* UTF-8 validation: the block-wise check gives the scalar reference's
 * offset on valid text, on every kind of invalid sequence at every
 * position, and on many random byte strings; display widths. */
#include <stdint.h>
#include <stdlib.h>

#include "rng.h"
#include "tap.h"
#include "utf8.h"

/* the upper half of the shared generator, from this test's own seed */
static unsigned next32(void) { return (unsigned)(next() >> 32); }

/* Both block widths give the reference's offset. */
static int agree(const char *s, size_t len)
{
    size_t want = js_utf8_invalid_at_scalar(s, len);
    return js_utf8_invalid_at(s, len) == want && js_utf8_invalid_at_narrow(s, len, false) == want;
}

/* Both block widths stop at the first NUL or invalid byte, want. */
static int text_agrees(const char *s, size_t len, size_t want)
{
    return js_utf8_text_invalid_at(s, len) == want && js_utf8_invalid_at_narrow(s, len, true) == want;
}

int main(void)
{
    rng = 0x9e3779b97f4a7c15ULL; /* this test's seed */
    /* valid text of every length around the 16-byte blocks */
    static const char text[] = "生成部门00001(本级),2160201,一般公共预算财政拨款,基本支出,𠀀é,15540.32\n";
    char buf[4096];
    size_t n = 0;
    while (n + sizeof text < sizeof buf) {
        memcpy(buf + n, text, sizeof text - 1);
        n += sizeof text - 1;
    }
    int bad = 0;
    for (size_t len = 0; len <= n; len++) {
        /* cut at a character start only */
        if (len < n && ((unsigned char)buf[len] & 0xc0) == 0x80)
            continue;
        bad += !agree(buf, len) || js_utf8_invalid_at(buf, len) != len;
    }
    ok(bad == 0, "valid text of every length is valid (%d wrong)", bad);

    /* each invalid sequence at each position of valid text */
    static const char *const wrong[] = {
        "\x80",         "\xbf",         "\xc0\xaf",     "\xc1\xbf",     "\xc2",         "\xc2\x41",
        "\xe0\x80\x80", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf", "\xe4\xb8",     "\xe4\x41\x80",
        "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "\xfe", "\xf0\x90\x80",
        "\xe4\xb8\xad\x80", "\xf0\x90\x80\x80\x80"};
    int wrong_at = 0, cases = 0;
    for (size_t w = 0; w < sizeof wrong / sizeof *wrong; w++) {
        size_t wl = strlen(wrong[w]);
        for (size_t at = 0; at < 200; at++) {
            if (((unsigned char)buf[at] & 0xc0) == 0x80)
                continue;
            char t[512];
            memcpy(t, buf, at);
            memcpy(t + at, wrong[w], wl);
            memcpy(t + at + wl, buf + at, 100);
            size_t len = at + wl + 100;
            cases++;
            if (!agree(t, len) || js_utf8_invalid_at(t, len) > at + wl)
                wrong_at++;
        }
    }
    ok(wrong_at == 0, "%d invalid sequences placed in valid text: the offset is the reference's (%d wrong)", cases,
       wrong_at);

    /* random strings over the bytes that matter */
    static const unsigned char bytes[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
                                          0xdf, 0xe0, 0xe1, 0xe4, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff};
    int differ = 0;
    for (int k = 0; k < 200000; k++) {
        char t[96];
        size_t len = next32() % sizeof t;
        for (size_t i = 0; i < len; i++)
            t[i] = (char)bytes[next32() % sizeof bytes];
        differ += !agree(t, len);
    }
    ok(differ == 0, "200 000 random strings: same offset as the reference (%d differ)", differ);
    /* mostly valid CJK with a rare bad byte, long enough for many blocks */
    differ = 0;
    for (int k = 0; k < 20000; k++) {
        char t[600];
        size_t len = 0;
        while (len + 4 < sizeof t) {
            unsigned r = next32() % 100;
            if (r < 40) {
                memcpy(t + len, "\xe4\xb8\xad", 3);
                len += 3;
            } else if (r < 99) {
                t[len++] = (char)('0' + r % 10);
            } else {
                t[len++] = (char)bytes[next32() % sizeof bytes];
            }
        }
        differ += !agree(t, len);
    }
    ok(differ == 0, "20 000 long mostly-CJK strings: same offset as the reference (%d differ)", differ);

    /* every two-byte string, and every three- and four-byte string that
     * starts with a lead of a long sequence, after 14 ASCII bytes so that
     * it straddles a block boundary */
    differ = 0;
    char t[20] = "aaaaaaaaaaaaaa";
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            t[14] = (char)a;
            t[15] = (char)b;
            differ += !agree(t, 16);
            if (a < 0xe0)
                continue;
            for (unsigned c = 0; c < 256; c++) {
                t[16] = (char)c;
                differ += !agree(t, 17);
                if (a >= 0xf0)
                    for (unsigned e = 0x7f; e <= 0xc0; e++) {
                        t[17] = (char)e;
                        differ += !agree(t, 18);
                    }
            }
        }
    ok(differ == 0, "every 2- and 3-byte string, 4-byte ones by lead: same offset as the reference (%d differ)", differ);

    /* with NUL counted as invalid: the first of the reference's offset
     * and the first NUL */
    differ = 0;
    for (int k = 0; k < 100000; k++) {
        char u[80];
        size_t len = next32() % sizeof u;
        for (size_t i = 0; i < len; i++)
            u[i] = (char)(next32() % 8 ? "a\xe4\xb8\xad,"[next32() % 5] : bytes[next32() % sizeof bytes]);
        const char *z = memchr(u, '\0', len);
        size_t inv = js_utf8_invalid_at_scalar(u, len), want = z && (size_t)(z - u) < inv ? (size_t)(z - u) : inv;
        differ += !text_agrees(u, len, want);
    }
    ok(differ == 0, "100 000 strings with NULs: text check stops at the first NUL or invalid byte (%d differ)", differ);
    /* a NUL at every position of valid text, through the checks of four
     * blocks at a time and of one */
    differ = 0;
    for (size_t at = 0; at < 300; at++) {
        char v[400];
        memcpy(v, buf, sizeof v);
        v[at] = '\0';
        size_t inv = js_utf8_invalid_at_scalar(v, sizeof v), want = at < inv ? at : inv;
        differ += !text_agrees(v, sizeof v, want);
    }
    ok(differ == 0, "a NUL at each of 300 positions: found there or at the invalid byte before (%d differ)", differ);
    ok(js_utf8_text_invalid_at("abc", 4) == 3 && js_utf8_text_invalid_at("0123456789abcdef\0", 17) == 16 &&
           js_utf8_text_invalid_at("0123456789abcdefg", 17) == 17,
       "a NUL in the last, padded block is found; the padding is not");

    ok(js_utf8_width("ab中文") == 6, "width: CJK counts two");
    return done_testing();
}
