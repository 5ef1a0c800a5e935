/* String-to-index map (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "huge.h"

_Static_assert(sizeof(js_strmap_slot) == 64, "a slot is one cache line");

static inline uint64_t load8(const char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

static inline uint64_t load4(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return w;
}

/* wyhash's scheme, written here (the tree links no hashing library, and
 * inline it costs no call): sixteen bytes a step, each step one 64 × 64
 * bit multiply folded (js_fold_mul) of the two words xor'd with constants
 * and the steps before; a key of up to sixteen bytes is read as two
 * words that may overlap (below eight bytes, four-byte words, below four
 * its first, middle and last bytes), a longer one ends with its last
 * sixteen bytes. The length is mixed in at the end, so that keys of every
 * length differ. A unit's name (some 25 bytes) is two steps, where eight
 * bytes a step took four. The result is the same on every machine of one
 * byte order. */
uint64_t js_strmap_hash(const char *s, size_t len)
{
    const uint64_t p0 = 0xa0761d6478bd642fULL, p1 = 0xe7037ed1a0b428dbULL, p2 = 0x8ebc6af09c88c6e3ULL;
    uint64_t seed = p0, a, b;
    if (len <= 16) {
        if (len >= 8) {
            a = load8(s);
            b = load8(s + len - 8);
        } else if (len >= 4) {
            a = load4(s);
            b = load4(s + len - 4);
        } else {
            a = len ? (uint64_t)(unsigned char)s[0] << 16 | (uint64_t)(unsigned char)s[len / 2] << 8 |
                          (unsigned char)s[len - 1]
                    : 0;
            b = 0;
        }
    } else {
        for (size_t i = 0; i + 16 < len; i += 16)
            seed = js_fold_mul(load8(s + i) ^ p1, load8(s + i + 8) ^ seed);
        a = load8(s + len - 16);
        b = load8(s + len - 8);
    }
    return js_fold_mul(p1 ^ len, js_fold_mul(a ^ p1, b ^ seed ^ p2));
}

/* Whether the len bytes at t (a slot's inline text, readable to
 * JS_STRMAP_INLINE + 1 bytes) are those at s: a word at a time, the last
 * word overlapping the one before, in line (memcmp was a call, and a
 * third of a lookup's instructions). */
static inline bool same_inline(const char *t, const char *s, size_t len)
{
    if (len >= 8) {
        uint64_t d = (load8(t) ^ load8(s)) | (load8(t + len - 8) ^ load8(s + len - 8));
        if (len > 16) /* up to 32 bytes: two more words, overlapping; past that, the words between */
            d |= (load8(t + 8) ^ load8(s + 8)) | (load8(t + len - 16) ^ load8(s + len - 16));
        for (size_t i = 16; i + 16 < len; i += 8)
            d |= load8(t + i) ^ load8(s + i);
        return d == 0;
    }
    if (len >= 4)
        return ((load4(t) ^ load4(s)) | (load4(t + len - 4) ^ load4(s + len - 4))) == 0;
    return memcmp(t, s, len) == 0;
}

static inline bool holds(const js_strmap_slot *e, const char *s, size_t len, uint16_t tag)
{
    if (e->tag != tag)
        return false;
    if (e->state == 1)
        return e->len == len && same_inline(e->k.text, s, len);
    return e->k.far.len == len && memcmp(e->k.far.key, s, len) == 0;
}

/* The slot holding s (hash h), or the empty slot where it would go. */
static inline size_t slot(const js_strmap *m, const char *s, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    uint16_t tag = (uint16_t)(h >> 48);
    while (m->slots[i].state && !holds(&m->slots[i], s, len, tag))
        i = (i + 1) & (m->cap - 1);
    return i;
}

/* js_strmap_get_hashed past its home slot (or a borrowed key there). */
static __attribute__((noinline)) long get_probing(const js_strmap *m, const char *s, size_t len, uint64_t h)
{
    const js_strmap_slot *e = &m->slots[slot(m, s, len, h)];
    return e->state ? (long)e->value : -1;
}

long js_strmap_get_hashed(const js_strmap *m, const char *s, size_t len, uint64_t h)
{
    if (!m->cap)
        return -1;
    /* the common case, the key inline in its home slot, in line: the
     * general loop's registers cost as much again */
    const js_strmap_slot *e = &m->slots[(size_t)h & (m->cap - 1)];
    if (e->state == 1 && e->tag == (uint16_t)(h >> 48) && e->len == len && same_inline(e->k.text, s, len))
        return (long)e->value;
    return get_probing(m, s, len, h);
}

long js_strmap_get(const js_strmap *m, const char *s, size_t len)
{
    return js_strmap_get_hashed(m, s, len, js_strmap_hash(s, len));
}

/* The slot and the one after it: at the map's load (up to one half) a
 * key is past its home slot in two lookups of five, and a slot is a cache
 * line of its own. */
void js_strmap_prefetch(const js_strmap *m, uint64_t h)
{
    if (m->cap) {
        __builtin_prefetch(&m->slots[(size_t)h & (m->cap - 1)]);
        __builtin_prefetch(&m->slots[(size_t)(h + 1) & (m->cap - 1)]);
    }
}

static const char *key_of(const js_strmap_slot *e) { return e->state == 1 ? e->k.text : e->k.far.key; }
static size_t len_of(const js_strmap_slot *e) { return e->state == 1 ? e->len : e->k.far.len; }

bool js_strmap_put(js_strmap *m, const char *key, uint32_t value)
{
    if (2 * (m->n + 1) > m->cap) {
        js_strmap bigger = {NULL, m->n, m->cap ? 2 * m->cap : 16};
        if (!(bigger.slots = js_table_alloc(bigger.cap * sizeof *bigger.slots)))
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].state) {
                const js_strmap_slot *e = &m->slots[i];
                size_t j = (size_t)js_strmap_hash(key_of(e), len_of(e)) & (bigger.cap - 1);
                while (bigger.slots[j].state)
                    j = (j + 1) & (bigger.cap - 1);
                bigger.slots[j] = *e;
            }
        js_strmap_free(m);
        *m = bigger;
    }
    size_t len = strlen(key);
    uint64_t h = js_strmap_hash(key, len);
    js_strmap_slot *e = &m->slots[slot(m, key, len, h)];
    if (!e->state) {
        e->value = value;
        e->tag = (uint16_t)(h >> 48);
        if (len <= JS_STRMAP_INLINE) {
            e->state = 1;
            e->len = (uint8_t)len;
            memcpy(e->k.text, key, len + 1);
        } else {
            e->state = 2;
            e->k.far.key = key;
            e->k.far.len = len;
        }
        m->n++;
    }
    return true;
}

void js_strmap_free(js_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->n = m->cap = 0;
}
