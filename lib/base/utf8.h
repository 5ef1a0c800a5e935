/* UTF-8 helpers: validation, terminal display width, GB18030 conversion. */
#ifndef JS_UTF8_H
#define JS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Returns the byte offset of the first invalid UTF-8 sequence in s, or len
 * when s is valid. */
size_t js_utf8_invalid_at(const char *s, size_t len);
/* The same, where a NUL byte also counts as invalid (text has none). */
size_t js_utf8_text_invalid_at(const char *s, size_t len);
/* js_utf8_invalid_at a byte at a time: the reference the fast one is tested
 * against, and what it falls back to. */
size_t js_utf8_invalid_at_scalar(const char *s, size_t len);
/* The check with 16-byte blocks only (SSSE3), NUL invalid when nul: for
 * the tests, on a processor where the others use 32-byte blocks (AVX2). */
size_t js_utf8_invalid_at_narrow(const char *s, size_t len, bool nul);

/* Columns a terminal uses for s (East Asian wide characters count 2). */
size_t js_utf8_width(const char *s);

/* Converts GB18030 text to UTF-8 into a malloc'd buffer (*out, *outlen,
 * NUL-terminated). Returns false when s is not valid GB18030. */
bool js_gb18030_to_utf8(const char *s, size_t len, char **out, size_t *outlen);

#endif
