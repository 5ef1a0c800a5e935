/* Batch mode: every workbook of a folder (one per department: CSV folders
 * or .xlsx files) checked or built on its own, on several threads; the
 * departments that pass consolidated into the region's tables (汇总), one
 * set per year; a summary of it all. A department that cannot be read is
 * reported and skipped. */
#ifndef JUESUAN_BATCH_H
#define JUESUAN_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"
#include "juesuan/run.h"

/* Is path a folder of workbooks rather than one (a folder without a
 * department.csv of its own)? */
bool js_is_batch_folder(const char *path);

/* What one department gave, as it finishes (js_batch_options.department). */
typedef struct {
    const char *name;       /* its folder's or file's name */
    const char *department; /* 部门名称; NULL when it could not be read */
    const char *status;     /* "passed", "failed" or "unreadable" */
    size_t errors, verify, info;
    const char *message;    /* why it could not be read or written, or NULL */
    double seconds;         /* wall time of its run */
} js_batch_department;

typedef struct {
    const char *profile; /* NULL: each workbook's own */
    bool build;          /* write each department's outputs (else audit only) */
    const char *output;  /* NULL: write nothing; else every department's outputs
                            (build) or its audit (check) under output/NAME, the
                            consolidations under output/汇总[-YEAR] and the
                            summary (summary.txt, summary.json) */
    unsigned kinds;      /* build: the outputs of each department (JS_OUT_*) */
    bool force;          /* build past error findings (outputs marked) */
    int jobs;            /* worker threads, 1 or more */
    /* Called on the caller's thread with the number of departments done,
     * at the start, after each department and at the end (may be NULL). */
    void (*progress)(void *ctx, size_t done, size_t total);
    void *progress_ctx;
    /* Called as each department finishes, done of total (done counts it),
     * one call at a time but on a worker thread (may be NULL). What it is
     * given lives for the call only. ctx is progress_ctx. */
    void (*department)(void *ctx, size_t done, size_t total, const js_batch_department *x);
} js_batch_options;

typedef struct js_batch js_batch;

/* Runs the batch over the folder dir. NULL and d filled when the folder
 * cannot be listed (JS_E_IO), holds no workbook (JS_E_INPUT) or the summary
 * cannot be written; otherwise the result, whatever each department gave.
 * s is borrowed. */
js_batch *js_batch_run(js_run_shared *s, const char *dir, const js_batch_options *o, js_diag *d);
void js_batch_free(js_batch *b);

typedef struct {
    size_t departments, passed, failed, unreadable;
    size_t unwritten;        /* departments whose outputs could not be written */
    size_t region_failed;    /* consolidations with error findings */
    size_t region_unwritten; /* consolidations not made for another reason */
} js_batch_counts;
void js_batch_counts_of(const js_batch *b, js_batch_counts *c);

/* The summary as text and as JSON (docs/batch.md), appended to out. */
js_status js_batch_summary_text(const js_batch *b, js_buf *out);
js_status js_batch_summary_json(const js_batch *b, js_buf *out);

#endif
