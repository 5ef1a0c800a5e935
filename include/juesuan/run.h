/* The pipeline of one department-year, as one object: read → compile →
 * score (绩效) → narrate → audit → render. Every program that checks or
 * builds a workbook (the command line, a server, a batch worker) goes
 * through it, so each stage runs at most once per run and its result is
 * kept for the stages after it.
 *
 * Stages are run on demand: asking for the findings runs every stage they
 * need (tables, scores, the narrative whose gaps the audit reports) and no
 * other. Results are owned by the run and live until js_run_free.
 *
 * Threads: a run is used by one thread at a time. Different runs may work
 * on several threads at once; what they share (js_run_shared: the
 * dictionaries, profiles and rule sets, loaded once) is safe to share. */
#ifndef JUESUAN_RUN_H
#define JUESUAN_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/audit.h"
#include "juesuan/buf.h"
#include "juesuan/cofog.h"
#include "juesuan/diag.h"
#include "juesuan/perf.h"
#include "juesuan/report.h"
#include "juesuan/score.h"
#include "juesuan/tables.h"
#include "juesuan/workbook.h"

/* What runs may share: the data directory's dictionaries, profiles and
 * rule sets, each loaded once on first use. Thread-safe. */
typedef struct js_run_shared js_run_shared;

/* datadir is copied. NULL when out of memory. */
js_run_shared *js_run_shared_new(const char *datadir);
/* The data directory s was made with (owned by s). */
const char *js_run_shared_datadir(const js_run_shared *s);
/* Frees s and everything it loaded (no run may use it any more). */
void js_run_shared_free(js_run_shared *s);

typedef struct {
    const char *profile; /* NULL: the one the workbook names */
    const char *unit;    /* NULL: the whole department; else a unit's name or number */
    bool draft;          /* show missing texts as 【待补充：…】 */
    bool tables_only;    /* only js_run_tables will be asked for (and no unit): the workbook's
                            lines are summed as read (js_workbook_open_summed), the other
                            stages fail with JS_E_INTERNAL */
} js_run_options;

typedef struct js_run js_run;

/* Reads the workbook at path (a folder of CSV sheets or an .xlsx) and its
 * profile. s is borrowed and must outlive the run; o and path are copied.
 * NULL and d filled on error: JS_E_INPUT/JS_E_LIMIT for bad input, JS_E_IO
 * when it cannot be read, JS_E_USAGE for a profile or unit that does not
 * exist. */
js_run *js_run_open(js_run_shared *s, const js_run_options *o, const char *path, js_diag *d);
/* After js_run_open failed on bad input: every input error of the workbook
 * at path, up to JS_MAX_INPUT_ERRORS, as js_workbook_input_errors gives
 * them (release e with js_input_errors_release). Returns how many. */
size_t js_run_input_errors(js_run_shared *s, const char *path, js_input_errors *e);
/* A run over a workbook made by the caller (the consolidation of a
 * region): takes ownership of wb (also on failure); the profile is named.
 * Its audit is the rules alone (a consolidation has no lines or texts of
 * its own to check) and it writes the tables, not a document. */
js_run *js_run_adopt(js_run_shared *s, js_workbook *wb, const char *profile, js_diag *d);
void js_run_free(js_run *r);

const js_workbook *js_run_workbook(const js_run *r);
const js_profile *js_run_profile(const js_run *r);
const char *js_run_profile_name(const js_run *r);

/* The stages. Each returns its result (owned by r), running the stages it
 * needs first, each once; NULL and d filled when one fails. */
const js_tableset *js_run_tables(js_run *r, js_diag *d);
const js_perf *js_run_perf(js_run *r, js_diag *d);
/* The document; the sentences it could not write are recorded as findings
 * for the audit. */
const js_report *js_run_report(js_run *r, js_diag *d);
/* Every finding: the workbook's lines, the 勾稽 rules, the self-evaluations
 * and what the document needed but the workbook does not give. */
const js_findings *js_run_findings(js_run *r, js_diag *d);

/* The COFOG crosswalk of the workbook's dictionary edition (juesuan/cofog.h;
 * data/cofog/), read once and kept (owned by r): the cofog columns of the
 * long table and of the Fiscal Data Package. NULL and d filled when the
 * edition has none (JS_E_USAGE) or it cannot be read. */
const js_cofog *js_run_cofog(js_run *r, js_diag *d);

/* The score of the disclosure (juesuan/score.h), after the audit it
 * scores: the items of the profile's score.json. ctx gives what the
 * workbook does not hold (approval date, explanations, downloads; NULL:
 * nothing); the score is computed once, in the context of the first call. */
const js_score *js_run_score(js_run *r, const js_score_context *ctx, js_diag *d);

/* Output kinds of js_run_build, as a bit set. */
enum {
    JS_OUT_JSON = 1 << 0,        /* tables.json */
    JS_OUT_TXT = 1 << 1,         /* tables.txt */
    JS_OUT_LONG = 1 << 2,        /* tables-long.csv */
    JS_OUT_CSV = 1 << 3,         /* table-NN.csv */
    JS_OUT_MD = 1 << 4,          /* report.md */
    JS_OUT_HTML = 1 << 5,        /* report.html */
    JS_OUT_PDF = 1 << 6,         /* report.pdf */
    JS_OUT_XLSX = 1 << 7,        /* tables.xlsx */
    JS_OUT_PERFORMANCE = 1 << 8, /* performance.json */
    JS_OUT_AUDIT = 1 << 9,       /* audit.json, audit.txt */
    JS_OUT_SCORE = 1 << 10,      /* score.json */
    JS_OUT_FDP = 1 << 11,        /* datapackage.json, fiscal-data.csv */
    JS_OUT_ALL = (1 << 12) - 1,
    JS_OUT_TABLES = JS_OUT_JSON | JS_OUT_TXT | JS_OUT_LONG | JS_OUT_CSV | JS_OUT_AUDIT
};
/* The kinds' names in bit order (json txt long csv md html pdf xlsx
 * performance audit score fdp), and the parser of a comma-separated list of them:
 * false and *bad (the first unknown name, not NUL-terminated) with its
 * length on an unknown name. */
extern const char *const js_out_kind_names[];
bool js_out_kinds_parse(const char *list, unsigned *kinds, const char **bad, size_t *badlen);

/* Writes the outputs named by kinds into dir (created if missing), all or
 * nothing (score.json: the score of js_run_score when it was asked for
 * before, in its context; else in the build's own): after the audit, unless an error finding stands; with force (or
 * in a run opened for a draft), an error finding does not stop it and every
 * output is marked (the profile's mark for a failed audit). Returns JS_OK when written; JS_E_INPUT with
 * *refused set when the audit has errors and force is false (nothing
 * written; the findings say why). */
js_status js_run_build(js_run *r, const char *dir, unsigned kinds, bool force, bool *refused, js_diag *d);

/* Audits a printed tables.json (the form `build` writes, or one read back
 * from a published report): the rules only, on printed figures. profile
 * NULL: the one the file names. Findings go to f. */
js_status js_check_tables_json(js_run_shared *s, const char *path, const char *profile, js_findings *f,
                               js_diag *d);
/* Scores a printed tables.json (audited as js_check_tables_json does):
 * the items that need the workbook are unknown. profile NULL: the one the
 * file names. The caller owns the result; NULL and d filled on error. */
js_score *js_score_tables_json(js_run_shared *s, const char *path, const char *profile, const js_score_context *ctx,
                               js_diag *d);

/* Reads a published report (PDF or extracted text, include/juesuan/read.h)
 * and audits it: the rules on its printed tables, a table marked empty
 * that has data, and its narrative against its tables (docs/reading.md).
 * Findings on the text carry the file and page and quote the sentence.
 * profile NULL: the layout that fits. Errors as js_printed_read. */
js_status js_check_report(js_run_shared *s, const char *path, const char *profile, js_findings *f, js_diag *d);
/* As js_check_report, and appends to tables (when not NULL) the tables and
 * narrative read, as `juesuan read` writes them (for js_findings_html). */
js_status js_check_report_tables(js_run_shared *s, const char *path, const char *profile, js_findings *f,
                                 js_buf *tables, js_diag *d);
/* Whether path names a report to read back (.pdf, .txt, or a PDF by its
 * signature) rather than a workbook or a tables.json. */
bool js_is_report_file(const char *path);
/* Whether path is a regular file that is a PDF (by its name or its
 * signature; a FIFO or device is never opened). */
bool js_is_pdf_file(const char *path);

/* A folder of published reports checked at once, each on its own (one
 * unreadable report does not stop the others), on jobs threads. */
typedef struct {
    char *path;
    js_status status;     /* JS_OK: findings hold its audit; else diag says why */
    js_diag diag;
    js_findings *findings;
} js_report_result;
typedef struct js_report_batch js_report_batch;
/* Whether dir holds PDF reports and no workbook (a sub-folder with a
 * department.csv, an .xlsx) to check. */
bool js_is_report_folder(const char *dir);
/* Checks every PDF of dir (in file-name order); NULL and d filled when
 * the folder cannot be read. s is borrowed. */
js_report_batch *js_report_batch_run(js_run_shared *s, const char *dir, const char *profile, int jobs,
                                     js_diag *d);
size_t js_report_batch_count(const js_report_batch *b);
const js_report_result *js_report_batch_at(const js_report_batch *b, size_t i);
void js_report_batch_free(js_report_batch *b);
/* The batch's results as text (a line per report with its counts and its
 * errors, an unreadable one with the reason, then the totals and the
 * findings by rule) or as JSON (docs/reading.md: "juesuan-report-check",
 * each report's status and findings, and a summary by rule). */
js_status js_report_batch_text(const js_report_batch *b, js_buf *out);
js_status js_report_batch_json(const js_report_batch *b, js_buf *out);
/* 2 when a report could not be read, else 1 when one has an error finding,
 * else 0. */
int js_report_batch_outcome(const js_report_batch *b);

#endif
