/* A map from strings to indexes: open addressing with linear probing, for
 * the workbook's units and project names, whose lookups (one or two a line
 * of a region's million lines, in any order) miss the caches once the
 * names outgrow them. A slot is one cache line: a key of up to
 * JS_STRMAP_INLINE bytes is copied into it, so that a lookup reads one
 * line of memory (a longer key is borrowed: it must outlive the map, and a
 * lookup of it reads the key too).
 *
 * The hash reads a key sixteen bytes a step; a caller that prefetches a
 * slot ahead of its lookup computes the hash once (js_strmap_hash) and
 * gives it to both. */
#ifndef JS_STRMAP_H
#define JS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JS_STRMAP_INLINE 55

typedef struct {
    uint32_t value;
    uint16_t tag;   /* high bits of the key's hash */
    uint8_t state;  /* 0 empty, 1 key inline (NUL-terminated), 2 key borrowed */
    uint8_t len;    /* an inline key's length */
    union {
        char text[JS_STRMAP_INLINE + 1];
        struct {
            const char *key;
            size_t len;
        } far; /* a borrowed key and its length */
    } k;
} js_strmap_slot;

typedef struct {
    js_strmap_slot *slots;
    size_t n, cap; /* cap is 0 or a power of two */
} js_strmap;

/* a × b folded to 64 bits: the high half of the product xor the low, as
 * wyhash mixes (the step of js_strmap_hash, and of the fact sums' hash). */
static inline uint64_t js_fold_mul(uint64_t a, uint64_t b)
{
    unsigned __int128 r = (unsigned __int128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

/* The hash of the len bytes at s (any bytes: no NUL needed), as every
 * function of the map computes it. */
uint64_t js_strmap_hash(const char *s, size_t len);
/* The index stored for the len bytes at s, or -1. */
long js_strmap_get(const js_strmap *m, const char *s, size_t len);
/* The same, given h = js_strmap_hash(s, len). */
long js_strmap_get_hashed(const js_strmap *m, const char *s, size_t len, uint64_t h);
/* Starts loading the slot where a key of hash h would be, for a lookup to
 * come (a hint: nothing else changes). */
void js_strmap_prefetch(const js_strmap *m, uint64_t h);
/* Stores value for key (NUL-terminated; when longer than JS_STRMAP_INLINE
 * bytes it must outlive the map); false when out of memory. An existing
 * key keeps its first value. */
bool js_strmap_put(js_strmap *m, const char *key, uint32_t value);
void js_strmap_free(js_strmap *m);

#endif
