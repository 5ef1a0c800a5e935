/* A bump allocator: many small allocations, freed in one call. */
#ifndef JS_ARENA_H
#define JS_ARENA_H

#include <stddef.h>

typedef struct js_arena_block js_arena_block;
typedef struct {
    js_arena_block *head;
} js_arena;

void js_arena_init(js_arena *a);
/* Frees every allocation of the arena. */
void js_arena_release(js_arena *a);
/* Zeroed memory aligned for any type, or NULL when out of memory. */
void *js_arena_alloc(js_arena *a, size_t n);
/* Copies s[0..n) plus a NUL. */
char *js_arena_strndup(js_arena *a, const char *s, size_t n);
char *js_arena_strdup(js_arena *a, const char *s);
/* Moves every allocation of src into a (they live until a is released);
 * src is left empty. */
void js_arena_adopt(js_arena *a, js_arena *src);

#endif
