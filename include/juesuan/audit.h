/* The audit: declarative 勾稽 rules over tables, and checks of a workbook's
 * lines. Rules are data (data/rules/PROFILE/NAME.rules, docs/rules.md).
 *
 * Tables are audited through a "view": the tables as rows of cells, either
 * exact (compiled from a workbook, in 分: equal means equal) or printed
 * (read from a tables.json: every figure is a rounded 万元 value standing
 * for the exact amounts in a half-open interval, so an identity over n
 * printed figures may be off by up to 0.01 万元 × ⌊(n − 1)/2⌋; a difference
 * some exact amounts explain is an `info` rounding tail, any other the
 * rule's severity; docs/rules.md derives it). */
#ifndef JUESUAN_AUDIT_H
#define JUESUAN_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/buf.h"
#include "juesuan/diag.h"
#include "juesuan/money.h"
#include "juesuan/profile.h"
#include "juesuan/tables.h"
#include "juesuan/workbook.h"

typedef enum { JS_SEV_ERROR, JS_SEV_VERIFY, JS_SEV_INFO, JS_SEV_COUNT } js_severity;
extern const char *const js_severity_names[JS_SEV_COUNT];    /* error verify info */
extern const char *const js_severity_labels[JS_SEV_COUNT];   /* 错误 核实 提示 */

/* ---- views ---------------------------------------------------------- */

typedef struct {
    const char *name; /* heading path joined by '/', e.g. 本年支出/基本支出 */
    int block;
} js_vcol;

typedef struct {
    int rowno;        /* 行次, 0 when none */
    int pos;          /* position among printed rows */
    int block;
    int level;        /* 3, 5, 7 for code rows, else 0 */
    char code[8];
    const char *name;
    js_fen *val;      /* per column of the table; columns of other blocks unused */
    bool *blank;      /* per column: printed blank */
} js_vrow;

typedef struct {
    const char *id;   /* "01" */
    const char *number;
    js_vcol *cols;
    int ncols;
    js_vrow *rows;
    int nrows;
    js_fen half;      /* printed: half the unit of a figure's last digit, in 分
                       * (5000 for 万元 to two decimals; 0 for 元 to the 分,
                       * exact); 0 in an exact view */
} js_vtable;

typedef struct js_view js_view;

/* A view of compiled tables (exact). Borrows ts, which must outlive it. */
js_view *js_view_from_tables(const js_tableset *ts, js_diag *d);
/* A view of a tables.json (printed). name is used in messages. */
js_view *js_view_from_json(const char *name, const char *json, size_t len, js_diag *d);
void js_view_free(js_view *v);
/* The profile a tables.json names ("" for compiled views or when absent). */
const char *js_view_profile(const js_view *v);
bool js_view_printed(const js_view *v);
size_t js_view_count(const js_view *v);
js_vtable *js_view_table(const js_view *v, size_t i);
/* The table with this id, NULL when none. */
js_vtable *js_view_find(const js_view *v, const char *id);

/* ---- findings ------------------------------------------------------- */

typedef struct {
    char table[8];     /* "" when none */
    char row[64];      /* 行次 "#27", a code, or a label */
    char row_name[128];/* the row's label as printed */
    char column[128];
    char value[32];    /* printed 万元 */
    js_fen fen;
    char side;         /* 'L' or 'R' */
} js_addend;

typedef struct {
    const char *rule;      /* rule id */
    js_severity severity;
    char *message;         /* Chinese */
    /* location: a table cell, or a workbook file and line */
    char table[8];
    char row[64];       /* as in js_addend */
    char row_name[128];
    char column[128];
    char file[512];
    long line;
    bool has_values;
    bool yuan;          /* a figure printed in 元 to the 分 took part: the text
                         * gives the values and addends in 元 */
    js_fen expected, actual, difference; /* difference = actual - expected */
    js_addend *addends;
    size_t naddends;
    size_t addcap;         /* internal: capacity of addends */
    /* A rule's findings past JS_MAX_FINDINGS_PER_RULE are not kept: one
     * finding of that rule says how many more there were, and this is
     * that number (0 on every other finding). */
    size_t omitted;
    /* A finding on a report's text: the page, the section heading and the
     * sentence it quotes (NULL when none), and the bytes [mark, mark +
     * marklen) of the quote it concerns (marklen 0: the whole sentence). */
    int page;
    const char *section;
    const char *quote;
    size_t mark, marklen;
} js_finding;

typedef struct js_findings js_findings;

js_findings *js_findings_new(void);
void js_findings_free(js_findings *f);
size_t js_findings_count(const js_findings *f);
const js_finding *js_findings_at(const js_findings *f, size_t i);
/* Findings of one severity. */
size_t js_findings_by_severity(const js_findings *f, js_severity s);
/* Rules evaluated and how many of them raised no finding. */
void js_findings_stats(const js_findings *f, size_t *rules_run, size_t *rules_passed);
/* Rules run that found nothing to check (counted in rules_run, not passed). */
size_t js_findings_not_applicable(const js_findings *f);
const char *js_findings_version(const js_findings *f);

/* Renders findings: text (grouped by severity then table; ANSI colour when
 * colour is true), JSON, CSV. */
js_status js_findings_text(const js_findings *f, bool colour, js_buf *out);
js_status js_findings_json(const js_findings *f, js_buf *out);
js_status js_findings_csv(const js_findings *f, js_buf *out);
/* Renders the findings on a printed report as one HTML page (escaped,
 * deterministic): the recovered tables of tables_json (the form
 * js_check_report_tables gives; NULL: the findings alone) with every cell
 * a finding names highlighted and the findings beside their table, and the
 * findings on the text beside the sentence they quote, with its page. */
js_status js_findings_html(const js_findings *f, const char *tables_json, size_t len, js_buf *out);

/* ---- rules ---------------------------------------------------------- */

typedef struct js_ruleset js_ruleset;

/* Loads every .rules file of data/rules/PROFILE/ (falling back to the
 * profile's parents as the profile itself does). */
js_ruleset *js_rules_load(const char *datadir, const js_profile *p, js_diag *d);
/* Parses rule text (one file) into rs; rs may be fresh from js_rules_new. */
js_ruleset *js_rules_new(void);
js_status js_rules_parse(js_ruleset *rs, const char *name, const char *text, size_t len,
                         js_diag *d);
void js_rules_free(js_ruleset *rs);
size_t js_rules_count(const js_ruleset *rs);
const char *js_rules_version(const js_ruleset *rs);
/* Id and severity of rule i. */
const char *js_rules_id(const js_ruleset *rs, size_t i);

/* Evaluates every rule over v, appending to out. */
js_status js_rules_run(const js_ruleset *rs, const js_view *v, js_findings *out, js_diag *d);

/* ---- workbook checks ------------------------------------------------ */

/* Checks the workbook's lines and the figures stated beside them
 * (docs/rules.md lists them), appending to out. Returns JS_OK, or
 * JS_E_INPUT with d filled when a setting of the profile's "checks" is
 * malformed (sangong_econ). */
js_status js_workbook_check(const js_workbook *wb, const js_profile *p, js_findings *out,
                            js_diag *d);

#endif
