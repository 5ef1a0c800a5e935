/* Adding findings (internal to the audit). */
#ifndef JS_FINDINGS_H
#define JS_FINDINGS_H

#include "juesuan/audit.h"

/* Appends a finding; copies every string. The message is printf-formatted.
 * Returns the stored finding (to add addends), NULL when out of memory. */
js_finding *js_findings_add(js_findings *f, const char *rule, js_severity sev, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));
bool js_finding_addend(js_findings *f, js_finding *x, const js_addend *a);
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
