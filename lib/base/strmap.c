/* String-to-index map (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "huge.h"

_Static_assert(sizeof(js_strmap_slot) == 64, "a slot is one cache line");

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static bool holds(const js_strmap_slot *e, const char *s, size_t len, uint16_t tag)
{
    if (e->tag != tag)
        return false;
    if (e->state == 1)
        return e->len == len && memcmp(e->k.text, s, len) == 0;
    return len > JS_STRMAP_INLINE && strncmp(e->k.key, s, len) == 0 && e->k.key[len] == '\0';
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

long js_strmap_get(const js_strmap *m, const char *s, size_t len)
{
    if (!m->cap)
        return -1;
    const js_strmap_slot *e = &m->slots[slot(m, s, len, hash(s, len))];
    return e->state ? (long)e->value : -1;
}

void js_strmap_prefetch(const js_strmap *m, const char *s, size_t len)
{
    if (m->cap)
        __builtin_prefetch(&m->slots[(size_t)hash(s, len) & (m->cap - 1)]);
}

static const char *key_of(const js_strmap_slot *e) { return e->state == 1 ? e->k.text : e->k.key; }

bool js_strmap_put(js_strmap *m, const char *key, uint32_t value)
{
    if (2 * (m->n + 1) > m->cap) {
        js_strmap bigger = {NULL, m->n, m->cap ? 2 * m->cap : 16};
        if (!(bigger.slots = js_table_alloc(bigger.cap * sizeof *bigger.slots)))
            return false;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].state) {
                const js_strmap_slot *e = &m->slots[i];
                size_t j = (size_t)hash(key_of(e), strlen(key_of(e))) & (bigger.cap - 1);
                while (bigger.slots[j].state)
                    j = (j + 1) & (bigger.cap - 1);
                bigger.slots[j] = *e;
            }
        js_strmap_free(m);
        *m = bigger;
    }
    size_t len = strlen(key);
    uint64_t h = hash(key, len);
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
            e->k.key = key;
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
