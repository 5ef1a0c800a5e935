/* The score of a published version in the portal (score_portal.c): its
 * context at publication, and its score.json read back. */
#ifndef JS_SERVE_SCORE_PORTAL_H
#define JS_SERVE_SCORE_PORTAL_H

#include <jansson.h>

#include "serve_internal.h"

/* What the score of a version being published is given: the dates
 * (approval: the reviewer's; publication: now, both on the portal's
 * calendar) and, per finding of its stored audit, whether it has a
 * written explanation. */
typedef struct {
    char approved[16], published[16];
    char **rules; /* per stored finding: its rule */
    bool *noted;  /* per stored finding: explained */
    size_t n;
} publish_score;

/* Fills ps and ctx (which points into ps: keep ps until the score is
 * computed) for version v published at now. A store result code. */
int publish_score_init(publish_score *ps, js_store *st, const js_store_version *v, int64_t now,
                       js_score_context *ctx, js_diag *d);
void publish_score_release(publish_score *ps);

/* The version's score.json, parsed (the caller releases it); NULL when it
 * has none (published before the score existed) or it does not parse. */
json_t *version_score(js_req *r, int64_t version);
/* Its totals (percent: NULL when nothing could be decided); returns the
 * points that could not be decided. */
int score_totals(json_t *score, int *earned, int *decided, int *total, const char **percent);
/* The score of version v as a section of its page: the totals, and each
 * item with its result and why; href: the score.json's address. */
void score_section(js_req *r, js_buf *b, const js_store_version *v, const char *href);

#endif
