/* The narrative of a report read back, checked against its own tables
 * (docs/reading.md): every amount a sentence gives for a table cell, every
 * percentage (share, completion, change) recomputed from the figures
 * within their rounding intervals, the direction of 比上年增加/减少, parts
 * adding up to the total the text gives, statements that a table is empty,
 * template residue, and item names of an older classification edition
 * (data/dict/<edition>/former.csv), in the text and the tables. What to
 * look for is the profile's reading data ("claims", "shares", "ratios",
 * "empty", "residue" in reading.json). */
#ifndef JS_NARRATIVE_CHECK_H
#define JS_NARRATIVE_CHECK_H

#include <jansson.h>

#include "juesuan/audit.h"
#include "juesuan/dict.h"
#include "juesuan/read.h"

/* Appends the findings on r's narrative to out; v is the view of r's
 * tables, reading the profile's reading data, dict the classification
 * edition of the report's year (NULL: its old item names are not
 * checked). JS_E_NOMEM on failure. */
js_status js_narrative_check(const js_printed *r, const js_view *v, const json_t *reading, const js_dict *dict,
                             js_findings *out, js_diag *d);

#endif
