/* What the score's own files share (score_def.c, score.c, score_render.c). */
#ifndef JS_SCORE_INTERNAL_H
#define JS_SCORE_INTERNAL_H

#include <jansson.h>

#include "juesuan/score.h"

/* The generic kinds of check an item names (docs/score.md). */
typedef enum {
    JS_SCORE_PUBLISHED_WITHIN,
    JS_SCORE_TABLES_COMPLETE,
    JS_SCORE_INPUTS,
    JS_SCORE_AUDIT_ERRORS,
    JS_SCORE_VERIFY_EXPLAINED,
    JS_SCORE_CODE_DEPTH,
    JS_SCORE_MACHINE_READABLE,
    JS_SCORE_KIND_COUNT
} js_score_kind_id;
extern const char *const js_score_kind_names[JS_SCORE_KIND_COUNT];

/* score.json, validated (js_scoredef_parse): every item has its keys. */
struct js_scoredef {
    json_t *root;
};

/* The kind of a validated check object, -1 when unknown. */
int js_score_kind(json_t *check);

struct js_score {
    char *title;
    char *version;
    char *department;
    int year;
    char *profile;
    bool from_tables; /* scored from a tables.json (no workbook) */
    js_score_item *items;
    size_t nitems;
};

#endif
