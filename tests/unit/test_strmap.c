/* The name index (strmap.c) against a plain list searched key by key, on
 * random keys of every length around the inline limit and the hash's
 * eight-byte steps, and the hash against a byte-at-a-time rewrite of its
 * definition. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "rng.h"
#include "tap.h"

/* The definition of js_strmap_hash, a byte at a time: the length mixed
 * in, then each whole eight-byte word before the last eight bytes, then
 * the last eight bytes (or, below eight, the bytes there are). */
static uint64_t slow_hash(const char *s, size_t len)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xff51afd7ed558ccdULL, k3 = 0xc4ceb9fe1a85ec53ULL;
    uint64_t h = (uint64_t)len * k1;
    size_t words = len >= 8 ? (len - 1) / 8 : 0; /* whole words strictly before the last byte */
    for (size_t i = 0; i < words; i++) {
        uint64_t w = 0;
        for (int b = 0; b < 8; b++)
            w |= (uint64_t)(unsigned char)s[8 * i + (size_t)b] << (8 * b);
        h = (h ^ w) * k2;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    size_t from = len >= 8 ? len - 8 : 0;
    for (size_t b = from; b < len; b++)
        w |= (uint64_t)(unsigned char)s[b] << (8 * (b - from));
    h = (h ^ w) * k2;
    h ^= h >> 32;
    h *= k3;
    return h ^ (h >> 29);
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
    free(h);
    return done_testing();
}
