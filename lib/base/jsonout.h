/* Writing a jansson value as indented JSON into a buffer. */
#ifndef JS_JSONOUT_H
#define JS_JSONOUT_H

#include <jansson.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"

/* Appends root (key order kept, one-space indent, a final newline) and
 * releases root. root may be NULL (out of memory). */
js_status js_json_out(json_t *root, js_buf *out);

#endif
