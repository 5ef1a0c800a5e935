/* The disclosure document: the narrative (情况说明 and the other parts)
 * written from the tables and the workbook by the profile's templates
 * (data/profiles/<name>/report.tpl and report.vars; docs/templates.md), the
 * nine tables and the charts; rendered as Markdown and as one
 * self-contained HTML file. */
#ifndef JUESUAN_REPORT_H
#define JUESUAN_REPORT_H

#include <stdbool.h>

#include "juesuan/audit.h"
#include "juesuan/buf.h"
#include "juesuan/perf.h"
#include "juesuan/tables.h"

typedef struct js_report js_report;

/* Expands the profile's templates over ts (and its workbook) with the
 * scored self-evaluations pf. A sentence that needs an input the workbook
 * lacks is recorded as a finding in gaps (when not NULL) and, with draft,
 * shown as 【待补充：…】 in the text. The result borrows ts and pf. NULL and
 * d filled on error (a template that does not parse or refers to unknown
 * data). */
js_report *js_report_build(const char *datadir, const js_tableset *ts, const js_perf *pf, bool draft,
                           js_findings *gaps, js_diag *d);
void js_report_free(js_report *r);

/* The profile p's templates (report.tpl and report.vars, from p or its
 * parents under datadir) read and compiled once, for js_report_build_from
 * over any number of tablesets of that profile, on any number of threads
 * at once (it is only read). An error in the templates' text is given by
 * each build that reaches it; NULL (d filled) when a file is missing or
 * unreadable. Borrows p, which must outlive it. */
typedef struct js_report_template js_report_template;
js_report_template *js_report_template_load(const char *datadir, const js_profile *p, js_diag *d);
void js_report_template_free(js_report_template *rt);
/* As js_report_build, with templates compiled before; ts's profile must
 * be the one rt was loaded for. */
js_report *js_report_build_from(const js_report_template *rt, const js_tableset *ts, const js_perf *pf, bool draft,
                                js_findings *gaps, js_diag *d);

/* The template language's functions (docs/templates.md), from the table the
 * engine calls them by: name, least and most arguments, what it gives; at
 * most cap. Returns how many there are. */
size_t js_report_template_functions(const char **names, int *min, int *max, const char **docs, size_t cap);

js_status js_report_markdown(const js_report *r, js_buf *out);
js_status js_report_html(const js_report *r, js_buf *out);
/* The whole document as PDF (cairo + pango, Noto CJK SC), A4, with a title
 * page, contents with page numbers and page numbers; same input, same bytes.
 * The renderer is a plugin (juesuan-pdf.so) loaded on first use; d says why
 * when it cannot be loaded. */
js_status js_report_pdf(const js_report *r, js_buf *out, js_diag *d);
/* The tables as .xlsx (as js_render_xlsx) followed by one sheet per
 * 绩效自评表, appended to out. */
js_status js_report_xlsx(const js_report *r, js_buf *out, js_diag *d);

#endif
