/* Huge-page hints for big tables (see huge.h). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "huge.h"

#include <stdint.h>
#include <stdlib.h>
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

void *js_table_alloc(size_t bytes)
{
    /* A big calloc is fresh pages from the kernel, zeroed when first
     * touched (no memset: zeroing them again would cost a pass over the
     * table), and hinted before they are. */
    void *p = calloc(1, bytes ? bytes : 1);
    if (p && bytes >= HUGE_BYTES)
        js_huge_hint(p, bytes);
    return p;
}
