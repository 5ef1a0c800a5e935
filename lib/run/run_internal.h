/* What the pipeline's own files (run.c, run_build.c, batch.c) share. */
#ifndef JS_RUN_INTERNAL_H
#define JS_RUN_INTERNAL_H

#include "juesuan/run.h"

const char *js_run_shared_datadir(const js_run_shared *s);
js_run_shared *js_run_shared_of(const js_run *r);
/* The tables, writable: the build marks them when forced past errors. */
js_tableset *js_run_tables_mut(js_run *r, js_diag *d);
/* Was the run opened for a draft? */
bool js_run_draft(const js_run *r);
/* js_run_build; nested: dir lies in an output set being staged (a batch's),
 * so the outputs are written in place and committed with that set. */
js_status js_run_build_in(js_run *r, const char *dir, bool nested, unsigned kinds, bool force, bool *refused,
                          js_diag *d);

#endif
