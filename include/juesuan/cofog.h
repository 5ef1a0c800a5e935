/* The crosswalk from the 支出功能分类 to COFOG (the UN Classification of
 * the Functions of Government), as data: data/cofog/cofog.csv names the
 * COFOG divisions and groups, data/cofog/<edition>.csv maps each 类 and 款
 * (and a few 项) of a dictionary edition to one of them, with a confidence
 * (H, M, L) and a note (docs/open-data.md says how it was made and where it
 * is approximate). It is juesuan's own mapping: no official one exists. */
#ifndef JUESUAN_COFOG_H
#define JUESUAN_COFOG_H

#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"

typedef struct {
    uint32_t code;          /* the 功能分类 code it maps */
    uint8_t digits;         /* 3, 5 or 7 */
    const char *cofog;      /* "04.5" (a group) or "09" (a division); "" when excluded from COFOG expenditure */
    const char *division;   /* "04"; "" when excluded */
    const char *division_name; /* English name of the division */
    const char *group;      /* "04.5"; "" when mapped to a division only or excluded */
    const char *group_name;
    char confidence;        /* 'H', 'M' or 'L' */
    const char *note;       /* Chinese, may be "" */
} js_cofog_map;

typedef struct js_cofog js_cofog;

/* Loads data/cofog/cofog.csv and data/cofog/<edition>.csv from datadir;
 * with edition -1, the names file alone (no crosswalk: js_cofog_find finds
 * nothing). NULL and d filled on error (JS_E_USAGE when the edition has no
 * crosswalk). The caller owns the result. */
js_cofog *js_cofog_load(const char *datadir, int edition, js_diag *d);
/* Parses the two files held in memory (names: data/cofog/cofog.csv;
 * crosswalk: an edition's file, or NULL for the names alone); for
 * js_cofog_load and fuzzing. */
js_cofog *js_cofog_parse(const char *names_file, const char *names, size_t names_len, const char *cw_file,
                         const char *crosswalk, size_t cw_len, js_diag *d);
void js_cofog_free(js_cofog *c);

/* The mapping of a functional code of digits digits: its own row, else its
 * 款's, else its 类's; NULL when none. */
const js_cofog_map *js_cofog_find(const js_cofog *c, uint32_t code, int digits);
/* The Chinese name (the names file's column 名称) of a COFOG division or
 * group; NULL when the code or its 名称 is not there. */
const char *js_cofog_name_zh(const js_cofog *c, const char *code);
/* Every row of the crosswalk, in file order. */
const js_cofog_map *js_cofog_rows(const js_cofog *c, size_t *n);

#endif
