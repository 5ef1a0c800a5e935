/* String-to-index map (see strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t slot(const js_strmap *m, const char *s, size_t len)
{
    size_t i = (size_t)hash(s, len) & (m->cap - 1);
    while (m->keys[i] && (strncmp(m->keys[i], s, len) != 0 || m->keys[i][len] != '\0'))
        i = (i + 1) & (m->cap - 1);
    return i;
}

long js_strmap_get(const js_strmap *m, const char *s, size_t len)
{
    if (!m->cap)
        return -1;
    size_t i = slot(m, s, len);
    return m->keys[i] ? (long)m->values[i] : -1;
}

bool js_strmap_put(js_strmap *m, const char *key, uint32_t value)
{
    if (2 * (m->n + 1) > m->cap) {
        js_strmap bigger = {NULL, NULL, 0, m->cap ? 2 * m->cap : 16};
        bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
        bigger.values = malloc(bigger.cap * sizeof *bigger.values);
        if (!bigger.keys || !bigger.values) {
            js_strmap_free(&bigger);
            return false;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = slot(&bigger, m->keys[i], strlen(m->keys[i]));
                bigger.keys[j] = m->keys[i];
                bigger.values[j] = m->values[i];
            }
        bigger.n = m->n;
        js_strmap_free(m);
        *m = bigger;
    }
    size_t len = strlen(key);
    size_t i = slot(m, key, len);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->values[i] = value;
        m->n++;
    }
    return true;
}

void js_strmap_free(js_strmap *m)
{
    free(m->keys);
    free(m->values);
    m->keys = NULL;
    m->values = NULL;
    m->n = m->cap = 0;
}
