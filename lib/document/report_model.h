/* The document model behind js_report, shared by its renderers (Markdown
 * and HTML in report.c, PDF in render_pdf.c). */
#ifndef JS_REPORT_MODEL_H
#define JS_REPORT_MODEL_H

#include "arena.h"
#include "charts.h"
#include "juesuan/perf.h"
#include "juesuan/report.h"

/* js_report_build_from with the tables as the rules see them (view, of
 * ts; borrowed, or NULL), so that a run makes that view once for the
 * document's variables and its rules. */
js_report *js_report_build_viewed(const js_report_template *rt, const js_tableset *ts, const js_perf *pf,
                                  bool draft, const js_view *view, js_findings *gaps, js_diag *d);

typedef enum { B_HEADING, B_PARA, B_TABLE, B_CHART, B_SHEET, B_PERF } block_kind;

typedef struct {
    block_kind k;
    int level;             /* heading: 1-3 */
    const char *text;      /* heading / paragraph */
    const js_table *table; /* B_TABLE */
    js_chart chart;        /* B_CHART */
    const char *sheet;     /* B_SHEET: a keyed sheet printed as a table */
    char anchor[16];
} block;

struct js_report {
    js_arena arena;
    const js_tableset *ts;
    const js_perf *perf;   /* the scored self-evaluations (borrowed) */
    block *blocks;
    size_t n, cap;
    const char *title;
    /* the 自评表 layout's fields by number (perf_field in report.c), found
     * once: perf_fields[row][cell], then [row][ncells] for its "when" */
    signed char perf_fields[JS_PERF_TABLE_ROWS][JS_PERF_TABLE_COLS + 1];
};

/* A self-evaluation table as rows of cells on a grid of PERF_COLS columns. */
#define PERF_COLS 7
typedef struct {
    const char *text[PERF_COLS];
    int span[PERF_COLS]; /* 0: covered by the cell to the left */
    bool head;
} perf_row;

typedef struct {
    perf_row *rows;
    size_t n, cap;
    js_arena arena; /* the cells' text */
} perf_tab;

/* The 自评表 of an evaluation as rows of cells, into t (zeroed first; free
 * it with js_report_perf_table_free: renderers may run on several threads,
 * so the table owns its text rather than borrowing the report's arena), and
 * its title. */
void js_report_perf_table(const js_report *r, const js_perf_item *it, perf_tab *t);
void js_report_perf_table_free(perf_tab *t);
const char *js_report_perf_title(const js_report *r, const js_perf_item *it);

#endif
