/* A table laid out as a grid of text cells, as printed: header lines
 * (block headings, multi-level column headings, 栏次), body lines with the
 * blocks side by side, and footer lines. Shared by the text and CSV
 * renderers. */
#ifndef JS_GRID_H
#define JS_GRID_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/tables.h"

typedef enum { JS_ALIGN_LEFT, JS_ALIGN_RIGHT, JS_ALIGN_CENTER } js_align;

typedef struct {
    const char *text; /* "" when empty */
    int span;         /* columns covered; 0 when covered by a cell to the left */
    js_align align;
} js_gcell;

typedef struct {
    int ncols;
    int nhead;        /* header lines */
    bool no_line;     /* the last header line is the 栏次 line */
    int nlines;       /* all lines */
    js_gcell *cells;  /* nlines * ncols */
    char *strings;    /* owned storage of formatted amounts */
} js_grid;

/* Lays out table t; thousands selects 1,234.56 amounts. */
bool js_grid_build(const js_tableset *ts, const js_table *t, bool thousands, js_grid *g);
void js_grid_release(js_grid *g);

/* The heading lines merged as the template prints them: down each column,
 * a heading takes the empty cells around it (above it, up to the heading
 * before, and below it) as one cell, the 栏次 line staying a line. For each
 * heading cell (line l < nhead, column c; index l * ncols + c) rows[] is
 * the number of lines the cell drawn there spans (0: covered by a cell
 * above, or by one to the left) and from[] the line whose text it shows.
 * The arrays hold nhead * ncols entries. */
void js_grid_head_merge(const js_grid *g, int *rows, int *from);

/* The lines printed under table t, in order: its note, remark and empty
 * text, those that are present. Returns how many (at most 3). */
int js_table_tail(const js_table *t, const char *lines[3]);
static inline js_gcell *js_grid_at(const js_grid *g, int line, int col)
{
    return &g->cells[(size_t)line * (size_t)g->ncols + (size_t)col];
}

/* Formats an amount cell as printed: in the unit table t declares
 * ("amount_unit": 万元 rounded half away from zero, or 元; t NULL: 万元)
 * with two decimals, or the profile's zero text. */
void js_format_amount(const js_profile *p, const js_tabledef *t, js_fen v, bool thousands, char *buf, size_t n);

#endif
