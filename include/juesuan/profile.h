/* Profiles: a region × year template, as data under data/profiles/<name>/.
 * A profile names its tables; each table is defined in tables/<id>.json
 * (docs/profiles.md documents the format). A profile may inherit another:
 * its table files then replace the top-level keys they name. */
#ifndef JUESUAN_PROFILE_H
#define JUESUAN_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/limits.h"

/* A code prefix: the first `digits` digits of a code equal `code`. */
typedef struct {
    uint32_t code;
    uint8_t digits;
} js_prefix;

/* A conjunction of constraints on facts. Empty sets mean "any". */
typedef struct {
    uint32_t sources;   /* bit per js_source, 0 = any */
    uint32_t funds;     /* bit per js_fund */
    uint32_t spends;    /* bit per js_spend */
    uint32_t items;     /* bit per js_sg_item */
    uint32_t unit_kinds;/* bit per js_unit_kind */
    js_prefix *func_in, *func_out, *econ_in, *econ_out;
    uint8_t nfunc_in, nfunc_out, necon_in, necon_out;
} js_filter;

typedef enum { JS_COLK_AMOUNT, JS_COLK_LABEL, JS_COLK_CODE, JS_COLK_ROWNO } js_colkind;

typedef struct {
    js_colkind kind;
    const char *key;
    const char *heading[JS_MAX_HEADING_DEPTH];
    int depth;
    const char *no;     /* 栏次 text, "" when none */
    js_filter filter;   /* amount columns */
} js_coldef;

typedef enum {
    JS_ROWK_ITEM,       /* a fixed row with a filter */
    JS_ROWK_BLANK,      /* empty rows (a range of 行次) */
    JS_ROWK_SUM,        /* sum of other rows of the block, by 行次 */
    JS_ROWK_TOTAL,      /* everything the columns select */
    JS_ROWK_FUNCTIONAL, /* one row per functional code */
    JS_ROWK_ECONOMIC    /* one row per economic code */
} js_rowkind;

typedef struct {
    js_rowkind kind;
    int rowno;          /* 行次 (first 行次 for code rows), 0 when none */
    int through;        /* last 行次 of a blank range */
    const char *label;
    js_filter filter;
    int *of;            /* SUM: 行次 of the rows added */
    int nof;
    uint8_t levels;     /* FUNCTIONAL/ECONOMIC: bit 3, 5, 7 = digits shown */
    js_prefix *codes;   /* fixed list of codes (kept even when empty) */
    int ncodes;
    bool numbered;      /* prefix names with 一、二、… */
    bool keep_empty;    /* show rows whose cells are all zero */
} js_rowdef;

typedef struct {
    const char *heading;  /* over the whole block, may be "" */
    js_coldef *cols;
    int ncols;
    js_rowdef *rows;
    int nrows;
} js_blockdef;

typedef struct {
    int block;
    const char *label;
    js_filter filter;
} js_footdef;

typedef struct {
    const char *id;        /* "01" … */
    const char *number;    /* 公开01表 */
    const char *title;     /* may hold {年度} and {部门} */
    const char *unit_label;
    bool yuan;             /* "amount_unit": amounts print in 元 (else 万元) */
    const char *note;
    const char *empty_text;
    bool has_empty_when;
    js_filter empty_when;  /* empty when this sums to zero; else all cells */
    js_filter filter;      /* applies to every cell */
    js_blockdef blocks[JS_MAX_BLOCKS];
    int nblocks;
    js_footdef *footers;
    int nfooters;
} js_tabledef;

typedef struct js_profile js_profile;

/* Loads data/profiles/<name>/ from datadir. NULL and d filled on error. */
js_profile *js_profile_load(const char *datadir, const char *name, js_diag *d);
void js_profile_free(js_profile *p);

const char *js_profile_name(const js_profile *p);
const char *js_profile_title(const js_profile *p);
size_t js_profile_ntables(const js_profile *p);
const js_tabledef *js_profile_table(const js_profile *p, size_t i);
/* The profile's name, then its parent's, and so on (i < lineage_count). */
size_t js_profile_lineage_count(const js_profile *p);
const char *js_profile_lineage(const js_profile *p, size_t i);
/* The column of table (id "05") that an ancestor's rules, report.vars and
 * report.tpl call name, as this profile's layout names it
 * ("column_aliases" of profile.json, docs/profiles.md); NULL when the
 * name is not aliased. */
const char *js_profile_column_alias(const js_profile *p, const char *table, const char *name);
/* The strings of the workbook-check setting key (profile.json "checks"),
 * up to max of them into out; false when the profile does not set it. */
bool js_profile_check_values(const js_profile *p, const char *key, size_t *n, const char **out,
                             size_t max);
/* Narrative settings (profile.json "narrative"): digits of a percentage
 * (default 1) and whether 万元 figures drop trailing zeros (default true). */
int js_profile_percent_decimals(const js_profile *p);
bool js_profile_strip_zeros(const js_profile *p);
/* A 绩效 scoring setting (profile.json "performance"; true/false read as
 * 1/0), or dflt when the profile does not set it. */
long js_profile_perf_option(const js_profile *p, const char *key, long dflt);

/* The 自评表's checkbox options (profile.json "performance":
 * project_categories, project_attributes, project_types) into out; returns
 * how many (0 when the profile has none). */
#define JS_PERF_MAX_OPTIONS 8
size_t js_profile_perf_labels(const js_profile *p, const char *key, const char **out, size_t max);
/* Days after the finance bureau's approval within which the report must
 * be published (profile.json "publication_days"; 20 when none is set). */
int js_profile_publication_days(const js_profile *p);
/* Whether the profile is a budget disclosure's (profile.json "phase":
 * "budget", docs/budget.md): its tables are of the workbook's budget
 * phase, which it requires. */
bool js_profile_is_budget(const js_profile *p);
/* The share of an indicator's weight (percent) a qualitative indicator of
 * grade earns (profile.json "performance": "grade_percent"); -1 when the
 * profile does not name the grade. */
long js_profile_perf_grade(const js_profile *p, const char *grade);

/* The 自评表's layout (profile.json "perf_table", docs/profiles.md): rows
 * of cells on a grid of JS_PERF_TABLE_COLS columns, each cell a text or a
 * field of the evaluation. */
#define JS_PERF_TABLE_COLS 7
#define JS_PERF_TABLE_ROWS 64
typedef enum { JS_PERF_FOR_ALL, JS_PERF_FOR_WHOLE, JS_PERF_FOR_PROJECT } js_perf_for;
typedef struct {
    const char *text;           /* a text ({权重}: the execution weight), or NULL */
    const char *field;          /* else the field printed (docs/profiles.md) */
    int span;                   /* columns it covers, >= 1 */
    const char *options;        /* a performance option list the value is ticked in, or NULL */
    const char *blank;          /* printed for an empty field, or NULL */
    const char *not_applicable; /* printed for an indicator not applicable, or NULL */
    bool merge;                 /* blank when the row above has the same value (and so do the
                                 * merged cells left of it) */
} js_perf_cell;
typedef struct {
    js_perf_for only;           /* the evaluations it is printed for */
    const char *when;           /* a field it needs not empty, or NULL */
    bool head;                  /* a heading row */
    bool each_indicator;        /* printed once per indicator */
    const js_perf_cell *cells;
    size_t ncells;
} js_perf_row;
/* The rows (owned by the profile) into *rows; returns how many. */
size_t js_profile_perf_table(const js_profile *p, const js_perf_row **rows);

/* Printed for a zero amount ("" leaves the cell blank). */
const char *js_profile_zero_text(const js_profile *p);
/* The profile's fixed wording called key (profile.json "wording":
 * mark_failed, the mark of outputs forced past a failed audit;
 * entity_department/entity_unit, the label of the entity above a table;
 * self_department/self_unit, what {本部门} becomes in a table's texts);
 * "" when the profile has none. */
const char *js_profile_wording(const js_profile *p, const char *key);
/* The severity ("error", "verify" or "info") of an input of sheet (a file
 * name) that the document needs and the workbook does not give (profile.json
 * "absent"; "*" for the other sheets; "verify" when the profile says none). */
const char *js_profile_absent_severity(const js_profile *p, const char *sheet);

/* Parses one table definition from JSON text (for tests and fuzzing);
 * measures may be NULL. */
js_status js_profile_parse_table(js_profile *p, const char *name, const char *json, size_t len,
                                 js_diag *d);
js_profile *js_profile_new(const char *name);

#endif
