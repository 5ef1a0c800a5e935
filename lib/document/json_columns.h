/* The columns of a table block as tables.json writes them (key, kind,
 * heading, 栏次), shared by the rendering of compiled tables and the tables
 * read back from a report. */
#ifndef JS_JSON_COLUMNS_H
#define JS_JSON_COLUMNS_H

#include <jansson.h>

#include "juesuan/profile.h"

/* A new JSON array (NULL when out of memory). */
json_t *js_json_columns(const js_blockdef *b);

#endif
