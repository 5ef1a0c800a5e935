/* The narrative template language (docs/templates.md): expands a template
 * over the tables and the workbook into Markdown-like text. */
#ifndef JS_NARRATIVE_H
#define JS_NARRATIVE_H

#include <stdbool.h>

#include "juesuan/audit.h"
#include "juesuan/buf.h"
#include "juesuan/perf.h"
#include "juesuan/report.h"
#include "juesuan/tables.h"

typedef struct {
    int percent_decimals;  /* digits after the point of a percentage */
    bool strip_zeros;      /* 2841.00 万元 prints as 2841 */
    bool draft;            /* show missing texts as 【待补充：…】 */
    const js_perf *perf;   /* the scored self-evaluations */
    const js_view *view;   /* the tables as the rules see them (the run's, for
                            * report.vars), or NULL: made when needed */
} js_narrative_options;

/* The amounts printed on @chart lines, exact (in 分), in the order
 * written: the text refers to the k-th as JS_FIGURE_OPEN k JS_FIGURE_CLOSE
 * ("\x02" "3" "\x03"), never as printed 万元. The caller frees v. */
typedef struct {
    js_fen *v;
    size_t n, cap;
} js_narrative_figures;

#define JS_FIGURE_OPEN '\x02'
#define JS_FIGURE_CLOSE '\x03'

/* A template compiled: its statements and expressions read once, to be
 * run for any number of departments, on any number of threads at once
 * (it is only read when run). */
typedef struct js_narrative_tpl js_narrative_tpl;

/* Compiles tpl (named name for messages) with its vars (vars_name; "名称 =
 * 表达式" lines, rules expressions over the tables, with profile's column
 * aliases). An error of the text is kept and given by js_narrative_run
 * where the text has it; NULL (d filled) only when out of memory. The
 * result copies what it needs of its arguments; free it with
 * js_narrative_tpl_free. */
js_narrative_tpl *js_narrative_compile(const char *name, const char *tpl, const char *vars_name,
                                       const char *vars, const js_profile *profile, js_diag *d);
void js_narrative_tpl_free(js_narrative_tpl *t);

/* Runs t over ts (whose profile t was compiled with) into out, as
 * js_narrative_expand. */
js_status js_narrative_run(const js_narrative_tpl *t, const js_tableset *ts, const js_narrative_options *opt,
                           js_findings *gaps, js_buf *out, js_narrative_figures *figs, js_diag *d);

/* Compiles and runs at once: expands tpl (named name for messages) into out, the amounts of its chart
 * lines into figs. vars holds "名称 = 表达式" lines (rules expressions over
 * the tables) evaluated first. Missing texts go to gaps as verify findings
 * (gaps may be NULL). */
js_status js_narrative_expand(const char *name, const char *tpl, const char *vars_name,
                              const char *vars, const js_tableset *ts,
                              const js_narrative_options *opt, js_findings *gaps, js_buf *out,
                              js_narrative_figures *figs, js_diag *d);

#endif
