/* "Did you mean": the name nearest a text that matched none, for messages. */
#ifndef JS_NEAREST_H
#define JS_NEAREST_H

#include <stddef.h>

/* Among the n names name_at(ctx, i), the one nearest text by edit
 * distance over code points (or containing it, or contained in it), when it
 * is near enough to be a slip — at most a third of the shorter one's
 * characters differ; NULL when none is. Names of more than 256 code points
 * are not compared. */
const char *js_nearest_name(const char *text, const char *(*name_at)(const void *ctx, size_t i), const void *ctx,
                            size_t n);

#endif
