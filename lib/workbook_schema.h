/* The workbook schema: its sheets and their columns, in reading order.
 * docs/workbook.md documents the same schema for users; `juesuan template`
 * writes it out. */
#ifndef JS_WORKBOOK_SCHEMA_H
#define JS_WORKBOOK_SCHEMA_H

#include <stdbool.h>

typedef enum {
    JS_COL_TEXT,      /* free text */
    JS_COL_MONEY,     /* amount; the heading carries (元) or (万元) */
    JS_COL_FUNC,      /* 7-digit functional 项 code */
    JS_COL_ECON,      /* 5-digit economic 款 code */
    JS_COL_VOCAB,     /* one of a closed list */
    JS_COL_UNIT,      /* a unit named in units.csv */
    JS_COL_COUNT,     /* non-negative whole number */
    JS_COL_NUMBER     /* a decimal number (up to 6 decimals), kept ×10^6 */
} js_coltype;

typedef struct {
    const char *name;           /* heading without the unit suffix */
    js_coltype type;
    bool required;              /* the column must exist */
    bool cell_required;         /* cells may not be blank */
    const char *const *vocab;   /* JS_COL_VOCAB: allowed values */
    int nvocab;
    const char *doc;            /* meaning, for docs and the template */
    const char *example;        /* example value for the template */
} js_colspec;

typedef struct {
    const char *file;           /* e.g. "expenditure.csv" */
    const char *title;          /* Chinese sheet name */
    bool required;              /* the sheet must exist */
    bool keyed;                 /* key-value sheet: first column is a key */
    bool rows;                  /* kept as rows of text (non-keyed, e.g. indicators) */
    const js_colspec *cols;
    int ncols;
    const char *doc;
} js_sheetspec;

#define JS_MAX_SHEETS 32 /* room for every sheet of the schema */

extern const js_sheetspec js_sheets[];
extern const int js_nsheets;

/* Index of the sheet with this file name, or -1. */
int js_sheet_index(const char *file);
/* The file name of the sheet called name (its Chinese name or file name),
 * NULL when none. */
const char *js_sheet_file(const char *name);
/* The Chinese name of the sheet with this file name (file itself when none). */
const char *js_sheet_title(const char *file);

#endif
