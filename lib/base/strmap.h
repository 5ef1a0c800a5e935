/* A map from strings (borrowed, not copied) to indexes: open addressing
 * with linear probing, for the workbook's units and project names. */
#ifndef JS_STRMAP_H
#define JS_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char **keys;
    uint32_t *values;
    size_t n, cap; /* cap is 0 or a power of two */
} js_strmap;

/* The index stored for the len bytes at s, or -1. */
long js_strmap_get(const js_strmap *m, const char *s, size_t len);
/* Stores value for key (NUL-terminated, must outlive the map); false when
 * out of memory. An existing key keeps its first value. */
bool js_strmap_put(js_strmap *m, const char *key, uint32_t value);
void js_strmap_free(js_strmap *m);

#endif
