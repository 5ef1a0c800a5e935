/* The portal's wording as data: every sentence, label and message a page
 * shows is a text of data/portal/text.json, looked up by key. The keys the
 * code uses are declared once (text_keys.h), each with the arguments it
 * takes; at start every declared key must be in the file, every key of the
 * file declared, and each text must use exactly its declared arguments, by
 * name ({year}), or the server does not start. */
#ifndef JS_SERVE_TEXT_H
#define JS_SERVE_TEXT_H

#include <stddef.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"

typedef enum {
#define TEXT(id, key, args) id,
#include "text_keys.h"
#undef TEXT
    T_COUNT
} text_id;

#define TEXT_MAX_ARGS 12

/* One loaded text: its words and its declared arguments. */
typedef struct {
    char *s;
    int nargs;
    char type[TEXT_MAX_ARGS];  /* d int, l long long, z size_t, s text, h markup */
    char name[TEXT_MAX_ARGS][24];
} js_text;

/* Loads and checks path into texts[T_COUNT] (owned; text_free). JS_E_INPUT
 * with a Chinese message naming the file and the key on any mismatch. */
js_status text_load(js_text *texts, const char *path, js_diag *d);
void text_free(js_text *texts);

/* Appends text id to b with its arguments, given in the order its
 * declaration names them: the text as written (it may hold markup), an 's'
 * argument escaped for HTML, an 'h' argument as it is (markup the caller
 * made). */
void tx(js_buf *b, const js_text *texts, text_id id, ...);
/* A text without arguments, as written. */
const char *tx_str(const js_text *texts, text_id id);
/* Text id with its arguments as plain text into out (no escaping: for a
 * message that page_fail escapes); returns out. */
const char *tx_msg(char *out, size_t cap, const js_text *texts, text_id id, ...);

#endif
