/* The name index (strmap.c) against a plain list searched key by key, on
 * random keys of every length around the inline limit and the hash's
 * sixteen-byte steps, and the hash against a byte-at-a-time rewrite of its
 * definition. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "rng.h"
#include "tap.h"

/* The n bytes at s as a number, the first the lowest: a byte at a time. */
static uint64_t word(const char *s, size_t n)
{
    uint64_t w = 0;
    for (size_t b = 0; b < n; b++)
        w |= (uint64_t)(unsigned char)s[b] << (8 * b);
    return w;
}

static uint64_t fold(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The definition of js_strmap_hash, its words made a byte at a time:
 * up to sixteen bytes, the first and last eight (four below eight; below
 * four the first, middle and last bytes); a longer key, each sixteen bytes
 * before its last sixteen folded into the seed, then those; the length
 * last. */
static uint64_t slow_hash(const char *s, size_t len)
{
    const uint64_t p0 = 0xa0761d6478bd642fULL, p1 = 0xe7037ed1a0b428dbULL, p2 = 0x8ebc6af09c88c6e3ULL;
    uint64_t seed = p0, a = 0, b = 0;
    if (len > 16) {
        for (size_t i = 0; i + 16 < len; i += 16)
            seed = fold(word(s + i, 8) ^ p1, word(s + i + 8, 8) ^ seed);
        a = word(s + len - 16, 8);
        b = word(s + len - 8, 8);
    } else if (len >= 4) {
        size_t w = len >= 8 ? 8 : 4;
        a = word(s, w);
        b = word(s + len - w, w);
    } else if (len > 0) {
        a = word(s, 1) << 16 | word(s + len / 2, 1) << 8 | word(s + len - 1, 1);
    }
    return fold(p1 ^ len, fold(a ^ p1, b ^ seed ^ p2));
}

#define NKEYS 20000

static int by_value(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    /* the hash: every length 0..80, at every alignment */
    char buf[128];
    int bad = 0;
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(round % 81), off = next() % 8;
        for (size_t i = 0; i < len; i++)
            buf[off + i] = (char)(next() & 0xff);
        if (js_strmap_hash(buf + off, len) != slow_hash(buf + off, len))
            bad++;
    }
    ok(bad == 0, "the hash equals its byte-at-a-time definition (%d of 2000 differ)", bad);

    /* the map: random keys (some sharing long prefixes, some with NULs
     * past their end in the lookup's buffer) against a list */
    static char keys[NKEYS][100];
    static size_t lens[NKEYS];
    js_strmap m = {0};
    size_t n = 0;
    int wrong = 0;
    for (size_t i = 0; i < NKEYS; i++) {
        size_t len = 1 + next() % 90;
        bool prefix = i > 0 && next() % 4 == 0;
        for (size_t k = 0; k < len; k++) {
            char c = (char)('a' + next() % 3); /* few letters: near misses */
            keys[i][k] = prefix && k < lens[i - 1] ? keys[i - 1][k] : c;
        }
        keys[i][len] = '\0';
        lens[i] = len;
        /* the first of equal keys keeps its value */
        long want = -1;
        for (size_t j = 0; j < i && want < 0; j++)
            if (lens[j] == len && !memcmp(keys[j], keys[i], len))
                want = (long)j;
        if (js_strmap_get(&m, keys[i], len) != want)
            wrong++;
        if (!js_strmap_put(&m, keys[i], (uint32_t)i))
            wrong++;
        if (want < 0)
            n++;
        long got = js_strmap_get(&m, keys[i], len);
        if (got != (want < 0 ? (long)i : want))
            wrong++;
    }
    ok(wrong == 0, "every key found with its first value, none before it was put (%d wrong)", wrong);
    ok(m.n == n, "distinct keys counted (%zu, want %zu)", m.n, n);
    /* lookups of a key's prefixes and extensions that were never put */
    wrong = 0;
    for (size_t i = 0; i < NKEYS; i += 7) {
        char probe[101];
        memcpy(probe, keys[i], lens[i]);
        probe[lens[i]] = 'z';
        if (js_strmap_get(&m, probe, lens[i] + 1) >= 0)
            wrong++;
        if (js_strmap_get_hashed(&m, keys[i], lens[i], js_strmap_hash(keys[i], lens[i])) < 0)
            wrong++;
    }
    ok(wrong == 0, "keys with a byte more are absent, hashed lookups find the rest (%d wrong)", wrong);
    js_strmap_free(&m);

    /* names such as a region's units: no two of 300 000 share a hash */
    size_t count = 300000;
    uint64_t *h = malloc(count * sizeof *h);
    for (size_t i = 0; i < count; i++) {
        int len = snprintf(buf, sizeof buf, "生成部门%05zu第%zu中心", i / 30 + 1, i % 30 + 1);
        h[i] = js_strmap_hash(buf, (size_t)len);
    }
    qsort(h, count, sizeof *h, by_value);
    int same = 0;
    for (size_t i = 1; i < count; i++)
        same += h[i] == h[i - 1];
    ok(same == 0, "300 000 generated unit names have 300 000 hashes (%d equal)", same);
    /* their home slots in a map of 65 536: as many distinct as at random
     * (65 536 × (1 - e^(-30 000 / 65 536)), about 24 070) */
    static unsigned char home[65536];
    size_t homes = 0;
    for (size_t i = 0; i < 30000; i++) {
        int len = snprintf(buf, sizeof buf, "生成部门%05zu第%zu中心", i + 1, i % 5 + 1);
        homes += !home[js_strmap_hash(buf, (size_t)len) & 65535]++;
    }
    ok(homes > 23500, "30 000 unit names fall in %zu home slots of 65 536 (random: about 24 070)", homes);
    free(h);

    /* keys of every inline length, looked up with one byte changed at
     * every place: none found (the compare a word at a time) */
    js_strmap one = {0};
    static char same_len[64][64];
    wrong = 0;
    for (size_t len = 1; len <= 60; len++) {
        memset(same_len[len], 'a', len);
        wrong += !js_strmap_put(&one, same_len[len], (uint32_t)len);
    }
    for (size_t len = 1; len <= 60; len++) {
        char probe[64];
        memcpy(probe, same_len[len], len);
        wrong += js_strmap_get(&one, probe, len) != (long)len;
        for (size_t at = 0; at < len; at++) {
            probe[at] = 'b';
            wrong += js_strmap_get(&one, probe, len) >= 0;
            probe[at] = 'a';
        }
    }
    ok(wrong == 0, "keys of 1 to 60 bytes found, and with any one byte changed not found (%d wrong)", wrong);
    js_strmap_free(&one);
    return done_testing();
}
