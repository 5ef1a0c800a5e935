/* Writing JSON straight into a buffer, in exactly the text jansson's
 * json_dumps(JSON_INDENT(1) | JSON_PRESERVE_ORDER) gives for the same
 * value (js_json_out): for an output written thousands of times in a
 * batch, where building, dumping and freeing a jansson tree was a third of
 * a build. The caller writes keys and values in order; the writer puts the
 * commas, line breaks and indents. */
#ifndef JS_JSON_WRITE_H
#define JS_JSON_WRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"

#define JS_JW_DEPTH 32

typedef struct {
    js_buf *out;
    int depth;
    bool empty[JS_JW_DEPTH]; /* nothing written yet in the open object or array */
    bool after_key;          /* a key was written: its value comes next */
    bool bad;                /* a text not valid UTF-8 (jansson refuses it), or too deep */
} js_jw;

void js_jw_init(js_jw *w, js_buf *out);
void js_jw_object(js_jw *w);
void js_jw_array(js_jw *w);
void js_jw_end_object(js_jw *w);
void js_jw_end_array(js_jw *w);
/* The key of the next member of the open object. */
void js_jw_key(js_jw *w, const char *key);
void js_jw_string(js_jw *w, const char *s);
/* s, or null when s is NULL or empty. */
void js_jw_string_or_null(js_jw *w, const char *s);
void js_jw_int(js_jw *w, int64_t v);
void js_jw_null(js_jw *w);
void js_jw_bool(js_jw *w, bool v);
/* A member at once: the key, then its value. */
void js_jw_kstring(js_jw *w, const char *key, const char *s);
void js_jw_kstring_or_null(js_jw *w, const char *key, const char *s);
void js_jw_kint(js_jw *w, const char *key, int64_t v);
void js_jw_kbool(js_jw *w, const char *key, bool v);
/* Ends the text with a newline (as js_json_out): JS_E_NOMEM where jansson
 * would have failed (a text not valid UTF-8), JS_E_LIMIT when the buffer
 * is full. */
js_status js_jw_finish(js_jw *w);

#endif
