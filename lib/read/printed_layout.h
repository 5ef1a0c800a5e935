/* What a profile says about reading its layout back (data/profiles/<name>/
 * reading.json, docs/reading.md): other titles a table is printed under,
 * the lines that end a table, the phrases of the narrative checks and the
 * template residue to look for. A profile without the file inherits its
 * parent's. */
#ifndef JS_PRINTED_LAYOUT_H
#define JS_PRINTED_LAYOUT_H

#include <jansson.h>

#include "juesuan/diag.h"
#include "juesuan/profile.h"

typedef struct {
    json_t *root; /* the reading.json object ({} when none) */
} js_playout;

/* Loads the reading data of profile p (its own or the nearest parent's).
 * JS_E_INPUT with d filled for a malformed file. */
js_status js_playout_load(const char *datadir, const js_profile *p, js_playout *out, js_diag *d);
void js_playout_release(js_playout *l);
/* The strings of array key (at the top level, or under table id when id
 * is not NULL); n is set to their count; NULL when none. */
json_t *js_playout_list(const js_playout *l, const char *id, const char *key);

#endif
