/* Growing an array of elements in place. */
#ifndef JS_VEC_H
#define JS_VEC_H

#include <stdbool.h>
#include <stdlib.h>

/* Makes room for at least need elements of size elem in *items (capacity
 * *cap, doubled as needed). false when out of memory; *items is unchanged
 * then. */
static inline bool js_vec_reserve(void *items, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*(void **)items, n * elem);
    if (!p)
        return false;
    *(void **)items = p;
    *cap = n;
    return true;
}

#endif
