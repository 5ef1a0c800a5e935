/* Recognising a profile's tables in a report's lines and rebuilding them
 * as the printed tables.json (docs/formats.md, docs/reading.md).
 *
 * Each table is found by its title (or an alias of the profile's reading
 * data), its columns by the 栏次 row or the column headings, its rows by
 * 行次, classification code, or label; a label wrapped onto the next line
 * is joined to its row; a code lost or split by the extraction is rebuilt
 * from its neighbours and the dictionary. */
#ifndef JS_PRINTED_TABLES_H
#define JS_PRINTED_TABLES_H

#include <jansson.h>
#include <stdbool.h>

#include "juesuan/dict.h"
#include "juesuan/profile.h"
#include "printed_layout.h"
#include "report_text.h"

typedef struct {
    int year;              /* from the first title, 0 when none */
    char department[256];  /* after 部门：, "" when none */
    char unit[16];         /* 万元 or 元 as the tables say, "" when none */
    int ntables;           /* tables found */
    int first_page;        /* page of the first table */
} js_ptmeta;

/* How many of profile p's tables have their title in doc (choosing a
 * layout). */
size_t js_printed_titles(const js_rdoc *doc, const js_profile *p, const js_playout *l);

/* The year a report's table titles give (0 when none is recognised). */
int js_printed_year(const js_rdoc *doc, const js_profile *p, const js_playout *l);

/* The tables of profile p found in doc, as the "tables" array of a
 * tables.json (new reference; NULL when out of memory). in_table[i] is set
 * for every line i that belongs to a table. dict may be NULL (codes are
 * then not rebuilt). */
json_t *js_printed_tables(const js_rdoc *doc, const js_profile *p, const js_playout *l,
                          const js_dict *dict, js_ptmeta *meta, bool *in_table);

#endif
