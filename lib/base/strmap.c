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

/* Eight bytes a step, each step a multiply and a shift that brings its
 * high bits down; the last step reads the last eight bytes (overlapping
 * the one before) and the length is mixed in first, so that keys of every
 * length differ. The result is the same on every machine of one byte
 * order. */
uint64_t js_strmap_hash(const char *s, size_t len)
{
    const uint64_t k1 = 0x9E3779B97F4A7C15ULL, k2 = 0xff51afd7ed558ccdULL, k3 = 0xc4ceb9fe1a85ec53ULL;
    uint64_t h = (uint64_t)len * k1, w = 0;
    if (len >= 8) {
        for (size_t i = 0; i + 8 < len; i += 8) {
            h = (h ^ load8(s + i)) * k2;
            h ^= h >> 32;
        }
        w = load8(s + len - 8);
    } else {
        for (size_t i = 0; i < len; i++)
            w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    }
    h = (h ^ w) * k2;
    h ^= h >> 32;
    h *= k3;
    return h ^ (h >> 29);
}

static bool holds(const js_strmap_slot *e, const char *s, size_t len, uint16_t tag)
{
    if (e->tag != tag)
        return false;
    if (e->state == 1)
        return e->len == len && memcmp(e->k.text, s, len) == 0;
    return e->k.far.len == len && memcmp(e->k.far.key, s, len) == 0;
}

/* The slot holding s (hash h), or the empty slot where it would go. */
static size_t slot(const js_strmap *m, const char *s, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    uint16_t tag = (uint16_t)(h >> 48);
    while (m->slots[i].state && !holds(&m->slots[i], s, len, tag))
        i = (i + 1) & (m->cap - 1);
    return i;
}

long js_strmap_get_hashed(const js_strmap *m, const char *s, size_t len, uint64_t h)
{
    if (!m->cap)
        return -1;
    const js_strmap_slot *e = &m->slots[slot(m, s, len, h)];
    return e->state ? (long)e->value : -1;
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
