/* What the public browse and compare pages share (browse_*.c; docs/portal.md
 * "Browse and compare"): the region's published department-years, a
 * published version's tables (its stored tables.json, exact amounts in 分),
 * the figures a page can show or rank by (a cell of a table, or a key
 * figure of data/portal/figures.json), and the CSV and JSON downloads of a
 * page's data.
 *
 * Absent is not zero: a department-year not published, a table or row a
 * report does not have, a workbook figure not given is absent, and every
 * function here says so (false) rather than giving 0. */
#ifndef JS_SERVE_BROWSE_H
#define JS_SERVE_BROWSE_H

#include <jansson.h>

#include "serve_internal.h"

#define BROWSE_MAX_TABLES 16
#define BROWSE_MAX_COLS 32
#define BROWSE_MAX_ITEMS 5    /* department-years compared at once */
#define BROWSE_MAX_FIGURES 16 /* key figures in data/portal/figures.json */
#define BROWSE_MAX_YEARS 64
#define BROWSE_PERCENT_DECIMALS 2

/* ---- the region's published department-years (browse_data.c) ---- */

/* One published department-year: its current published version. */
typedef struct {
    const js_store_dept *dept;
    const js_store_version *v;
} bdy;

typedef struct {
    js_store_dept *depts;
    size_t ndepts;
    js_store_version *versions;
    size_t nversions;
    bdy *items; /* by department (the store's order), newest year first */
    size_t n;
    int years[BROWSE_MAX_YEARS]; /* the years with something published, newest first */
    size_t nyears;
} bregion;

/* Loads every published department-year; false (a 500 page sent) when the
 * store cannot be read. Free with bregion_free. */
bool bregion_load(js_req *r, bregion *g);
void bregion_free(bregion *g);
const bdy *bregion_find(const bregion *g, const char *code, int year);
/* Whether v was published within its department's statutory period. */
bool bdy_on_time(js_req *r, const bdy *x);

/* ---- a version's tables ---- */

typedef struct {
    int block;
    const char *key;    /* the column's key in tables.json */
    char heading[192];  /* block heading and heading path, joined by / */
} bcol;

typedef struct {
    int block;
    char key[48];       /* stable within the table: k<code>, r<行次>, total, f<n>; b<block> before it past block 0 */
    const char *code;   /* NULL for a label row */
    const char *name;
    json_t *cells;      /* borrowed from the set's JSON */
} brow;

typedef struct {
    const char *id, *number, *title;
    bcol cols[BROWSE_MAX_COLS]; /* the amount columns, in order */
    int ncols;
    brow *rows;
    size_t nrows;
} btable;

typedef struct {
    json_t *root;
    btable t[BROWSE_MAX_TABLES];
    size_t n;
} btables;

/* The tables of published version id (its tables.json); false when there
 * are none or they cannot be read. Free with btables_free (also after
 * false). */
bool btables_load(js_req *r, int64_t id, btables *out);
void btables_free(btables *b);
const btable *btables_find(const btables *b, const char *id);
const brow *btable_row(const btable *t, const char *key);
/* The union of table id's rows over nsets sets, in order: each set's rows
 * in its order, a row not seen before placed after the row before it
 * (rows matched by key). Returns how many; *rows (malloc'd, the caller
 * frees it) points at the first set's row of each. */
size_t btables_union_rows(const btables *sets, size_t nsets, const char *id, const brow ***rows);
/* The index of the amount column of block and key; -1 when none. */
int btable_col(const btable *t, int block, const char *key);
/* The exact amount of a row's column; false when the row has no such cell. */
bool brow_cell(const brow *row, const bcol *col, js_fen *fen);
/* A table's title without its leading "2024年度" (reports of several years). */
const char *btable_plain_title(const char *title);
/* "2010101 行政运行", or the row's label. */
void brow_label(const brow *row, char *buf, size_t n);

/* ---- figures ---- */

typedef struct {
    char id[64];      /* in addresses: a key figure's id, or <table>-<row key>-c<column> */
    char label[256];
    char table[8];    /* a table's cell: table id, row key, column (1-based, */
    char row[48];
    int col;
    char colkey[48];  /* or 0 and the column by block and key, as figures.json names it) */
    int block;
    char sheet[48];   /* or a keyed workbook figure: sheet file and key */
    char key[96];
} bfigure;

/* One figure as figures.json writes it (id, label, and table/row/column
 * with block, or sheet/key) into g; false when x is not one. */
bool bfigure_parse(json_t *x, bfigure *g);
/* The key figures of data/portal/figures.json into f; how many, -1 (with
 * a message in d) when the file is unreadable or wrong. */
int bfigures_key(js_server *s, bfigure *f, int max, js_diag *d);
/* The figure of an address: a key figure's id or a table cell's; false
 * when it is neither. The label of a cell is left empty. */
bool bfigure_find(const bfigure *keys, int nkeys, const char *id, bfigure *out);
/* A table cell's figure id and label (table number, row, column). */
void bfigure_of_cell(const btable *t, const brow *row, int col, bfigure *out);
/* The value of f in version v (whose tables are t, or NULL when not
 * loaded: a table figure is then absent); false when absent. A workbook
 * figure reads the version's stored workbook. */
bool bfigure_value(js_req *r, const bfigure *f, const js_store_version *v, const btables *t, js_fen *fen);

/* ---- formatting and downloads ---- */

/* Appends fen in 万元 with thousands separators. */
void bwan(js_buf *b, js_fen fen);
/* Appends the change from base to v: "+1,234.56（+12.35%）", without the
 * percentage when base is 0. */
void bchange(js_buf *b, js_fen base, js_fen v);
/* 万元 and 元 texts of fen, and the percentage of change (empty when none),
 * as the downloads write them. */
void bwan_text(js_fen fen, char out[40]);
void byuan_text(js_fen fen, char out[40]);
/* A download: csv (UTF-8 with a BOM, for Excel) or the JSON root
 * (released), with filename in Content-Disposition; kept in the public
 * cache like the pages. */
void bsend_csv(js_req *r, js_buf *csv, const char *filename);
void bsend_json(js_req *r, json_t *root, const char *filename);
/* Appends one CSV line of n fields (each quoted as needed). */
void bcsv_line(js_buf *b, size_t n, const char *const *fields);
/* The base name and extension of a download's name ("figures.csv"):
 * false unless the extension is csv or json. */
bool bfile_kind(const char *file, char *base, size_t cap, bool *json);
/* The query string's value of name, NULL when absent; with name NULL, ""
 * when the query string has any parameter, NULL when none. */
const char *bquery(const js_req *r, const char *name);

/* ---- the handlers (routes.c) ---- */
void h_browse_home(js_req *r);      /* browse_pages.c */
void h_browse_home_data(js_req *r);
void h_browse_dept(js_req *r);
void h_browse_dept_data(js_req *r);
void h_compare_form(js_req *r);     /* browse_compare.c */
void h_compare(js_req *r);
void h_compare_data(js_req *r);
void h_rank_index(js_req *r);       /* browse_rank.c */
void h_rank(js_req *r);
void h_rank_data(js_req *r);
void h_cofog(js_req *r);            /* browse_cofog.c */
void h_cofog_csv(js_req *r);
void h_cofog_json(js_req *r);
void h_api_cofog(js_req *r);

#endif
