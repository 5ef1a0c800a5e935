/* Adding findings (internal to the audit). */
#ifndef JS_FINDINGS_H
#define JS_FINDINGS_H

#include <jansson.h>

#include "juesuan/audit.h"

/* Appends a finding; copies every string. The message is printf-formatted.
 * Returns the stored finding (to add addends), NULL when out of memory. */
js_finding *js_findings_add(js_findings *f, const char *rule, js_severity sev, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));
bool js_finding_addend(js_findings *f, js_finding *x, const js_addend *a);
/* Sets the page, section heading and quoted sentence of a finding on a
 * report's text (copied), with the bytes of the quote it concerns. */
bool js_finding_quote(js_findings *f, js_finding *x, int page, const char *section, const char *quote, size_t mark,
                      size_t marklen);
/* The findings in the order the text gives them (severity, table, file,
 * then as added); a malloc'd array the caller frees, NULL when out of
 * memory. */
const js_finding **js_findings_ordered(const js_findings *f);
/* The JSON object js_findings_json writes (a new reference; NULL when out
 * of memory). */
json_t *js_findings_json_object(const js_findings *f);
/* The JSON object of one finding (as js_findings_json writes it). */
json_t *js_finding_json(const js_finding *x);
/* Records that a rule ran (passed when it raised nothing). */
void js_findings_count_rule(js_findings *f, bool passed);
/* A rule with nothing to check in these tables (e.g. no 类 rows). */
void js_findings_count_rule_na(js_findings *f);
void js_findings_set_version(js_findings *f, const char *version);
/* Appends a copy of every finding of src to f and adds src's rule counts;
 * false when out of memory. */
bool js_findings_merge(js_findings *f, const js_findings *src);

/* A row's key as findings print it: "#27" (行次), its code, else its label. */
void js_vrow_key(const js_vrow *row, char *buf, size_t n);
/* Fills a with cell c (column name col) of row in table t, read on side
 * 'L' or 'R'. */
void js_addend_of(const js_vtable *t, const js_vrow *row, int c, const char *col, char side,
                  js_addend *a);

#endif
