/* Big tables probed at random (hash tables of units, project names and
 * fact sums over a region's million lines): on 4 KiB pages almost every
 * probe of a table of several megabytes misses the TLB too, and in a
 * virtual machine a page walk costs several memory reads. These ask the
 * kernel for 2 MiB pages (transparent huge pages, `madvise` mode); a
 * refused hint changes nothing but speed. */
#ifndef JS_HUGE_H
#define JS_HUGE_H

#include <stddef.h>

/* bytes of zeroed memory, its 2 MiB pages hinted when at least 2 MiB;
 * NULL when out of memory. Freed with free(). */
void *js_table_alloc(size_t bytes);
/* Hints the 2 MiB pages wholly inside p[0..bytes) (e.g. a realloc'd array). */
void js_huge_hint(void *p, size_t bytes);
/* bytes of memory not cleared (a buffer about to be written, e.g. a
 * window a file is read into), 2 MiB-aligned and hinted from 2 MiB; NULL
 * when out of memory. Freed with free(). */
void *js_huge_buffer(size_t bytes);

#endif
