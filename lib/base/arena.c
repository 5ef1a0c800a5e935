/* Bump allocator. */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct js_arena_block {
    js_arena_block *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void js_arena_init(js_arena *a) { a->head = NULL; }

void js_arena_release(js_arena *a)
{
    js_arena_block *b = a->head;
    while (b) {
        js_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

/* n bytes aligned for any type, not zeroed. */
static void *arena_raw(js_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    js_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    return p;
}

void *js_arena_alloc(js_arena *a, size_t n)
{
    void *p = arena_raw(a, n);
    if (p)
        memset(p, 0, n);
    return p;
}

char *js_arena_strndup(js_arena *a, const char *s, size_t n)
{
    char *p = arena_raw(a, n + 1); /* every byte written below: not zeroed first */
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *js_arena_strdup(js_arena *a, const char *s) { return js_arena_strndup(a, s, strlen(s)); }

void js_arena_adopt(js_arena *a, js_arena *src)
{
    if (!src->head)
        return;
    js_arena_block *tail = src->head;
    while (tail->next)
        tail = tail->next;
    tail->next = a->head;
    a->head = src->head;
    src->head = NULL;
}
