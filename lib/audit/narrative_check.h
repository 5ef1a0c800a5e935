/* The narrative of a report read back, checked against its own tables
 * (docs/reading.md): every amount a sentence gives for a table cell, every
 * percentage (share, completion, change) recomputed from the figures
 * within their rounding intervals, the direction of 比上年增加/减少, parts
 * adding up to the total the text gives, statements that a table is empty,
 * and template residue. What to look for is the profile's reading data
 * ("claims", "shares", "ratios", "empty", "residue" in reading.json). */
#ifndef JS_NARRATIVE_CHECK_H
#define JS_NARRATIVE_CHECK_H

#include <jansson.h>

#include "juesuan/audit.h"
#include "juesuan/read.h"

/* Appends the findings on r's narrative to out; v is the view of r's
 * tables, reading the profile's reading data. JS_E_NOMEM on failure. */
js_status js_narrative_check(const js_printed *r, const js_view *v, const json_t *reading, js_findings *out,
                             js_diag *d);

#endif
