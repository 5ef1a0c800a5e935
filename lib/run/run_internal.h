/* What the pipeline's own files (run.c, run_build.c, batch.c) share. */
#ifndef JS_RUN_INTERNAL_H
#define JS_RUN_INTERNAL_H

#include "juesuan/run.h"

const char *js_run_shared_datadir(const js_run_shared *s);
js_run_shared *js_run_shared_of(const js_run *r);
/* The tables, writable: the build marks them when forced past errors. */
js_tableset *js_run_tables_mut(js_run *r, js_diag *d);
/* The unit the run is for (its index in the workbook), -1: the department. */
int js_run_unit(const js_run *r);
/* The score js_run_score computed (NULL: not asked for yet). */
const js_score *js_run_score_kept(const js_run *r);
/* Was the run opened for a draft? */
bool js_run_draft(const js_run *r);
/* js_run_build; nested: dir lies in an output set being staged (a batch's),
 * so the outputs are written in place and committed with that set. */
js_status js_run_build_in(js_run *r, const char *dir, bool nested, unsigned kinds, bool force, bool *refused,
                          js_diag *d);

/* js_check_tables_json on tables.json text in memory (name for messages). */
js_status js_check_tables_text(js_run_shared *s, const char *name, const char *text, size_t len,
                               const char *profile, js_findings *f, js_diag *d);

/* The profile called profile, loaded once per shared set. */
const js_profile *js_run_shared_profile(js_run_shared *s, const char *profile, js_diag *d);
/* The score definition of profile, loaded once per shared set. */
const js_scoredef *js_run_shared_scoredef(js_run_shared *s, const char *profile, js_diag *d);
/* Scores the run r (audited: f its findings) in context ctx (run_score.c);
 * the caller owns the result. */
js_score *js_run_score_compute(js_run *r, const js_findings *f, const js_score_context *ctx, js_diag *d);

#endif
