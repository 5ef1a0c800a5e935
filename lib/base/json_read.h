/* Reading JSON into jansson values, faster than json_loadb for the plain
 * documents of data/ (a profile, its tables, score items): every command
 * starts by reading them, and jansson's reader (a byte at a time through a
 * stream, each token copied) was half of `juesuan tables`. One pass over
 * the bytes builds the same values jansson builds. */
#ifndef JS_JSON_READ_H
#define JS_JSON_READ_H

#include <jansson.h>
#include <stddef.h>

/* The value of the JSON text data[0..len), as
 * json_loadb(data, len, JSON_REJECT_DUPLICATES, err) gives it: the same
 * value (caller owns the reference), or NULL with err filled by jansson.
 * The reader takes on objects, arrays, strings with the short escapes,
 * integers of up to 18 digits, true, false and null; a text with anything
 * else (a \u escape, a real number, a longer integer, a duplicate key, a
 * value too deep, any error) goes whole to json_loadb, so a value or an
 * error is always jansson's. */
json_t *js_json_read(const char *data, size_t len, json_error_t *err);

/* The part js_json_read does itself: the value, or NULL when the text is
 * one it hands to jansson (for the tests: both must agree). */
json_t *js_json_read_plain(const char *data, size_t len);

#endif
