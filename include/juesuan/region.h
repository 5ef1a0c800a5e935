/* Consolidation (汇总): the facts of many departments summed into one
 * workbook, whose tables are the region's consolidated tables. */
#ifndef JUESUAN_REGION_H
#define JUESUAN_REGION_H

#include <stddef.h>

#include "juesuan/diag.h"
#include "juesuan/dict.h"
#include "juesuan/workbook.h"

typedef struct js_region js_region;

js_region *js_region_new(void);
/* Adds a department's facts; units count by their kind only (行政, 参公,
 * 事业), which is all the tables distinguish. May be called from several
 * threads; the order of departments does not change the result. */
js_status js_region_add(js_region *r, const js_workbook *wb, js_diag *d);
/* Departments added so far. */
size_t js_region_count(const js_region *r);
/* The consolidated workbook (one unit per unit kind named 行政单位, 参公单位,
 * 事业单位; dict borrowed). Empties r. NULL and d filled on error. */
js_workbook *js_region_workbook(js_region *r, const char *name, int year, const char *profile,
                                js_dict *dict, js_diag *d);
void js_region_free(js_region *r);

#endif
