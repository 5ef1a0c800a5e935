/* Huge-page hints for big tables (see huge.h). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "huge.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGE_BYTES ((size_t)2 << 20)

void js_huge_hint(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    uintptr_t start = ((uintptr_t)p + HUGE_BYTES - 1) & ~(uintptr_t)(HUGE_BYTES - 1);
    uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)(HUGE_BYTES - 1);
    if (p && end > start)
        madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

/* bytes rounded up to whole 2 MiB pages, 2 MiB-aligned and hinted; 0 and
 * NULL when the size overflows or memory is out. */
static void *huge_pages(size_t bytes, size_t *whole)
{
    *whole = (bytes + HUGE_BYTES - 1) & ~(HUGE_BYTES - 1);
    void *p = *whole >= bytes ? aligned_alloc(HUGE_BYTES, *whole) : NULL;
    js_huge_hint(p, *whole);
    return p;
}

void *js_huge_buffer(size_t bytes)
{
    size_t whole;
    return bytes < HUGE_BYTES ? malloc(bytes ? bytes : 1) : huge_pages(bytes, &whole);
}

void *js_table_alloc(size_t bytes)
{
    /* A table of 2 MiB or more starts on a 2 MiB boundary, so that every
     * 2 MiB of it can be one huge page (a calloc'd one starts anywhere:
     * a 2 MiB table then had no whole huge page in it, and a 4 MiB one
     * one); it is hinted before its pages are touched, then zeroed. A
     * smaller one: calloc. */
    if (bytes < HUGE_BYTES)
        return calloc(1, bytes ? bytes : 1);
    size_t whole;
    void *p = huge_pages(bytes, &whole);
    if (p)
        memset(p, 0, whole);
    return p;
}
