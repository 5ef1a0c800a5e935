/* Open data: the Fiscal Data Package of a department-year
 * (docs/open-data.md). fiscal-data.csv holds the workbook's money lines
 * summed by unit, functional classification (类/款/项) with its COFOG
 * division and group, economic classification (类/款), fund, spending
 * type, direction, phase and kind of value, amounts in exact 元;
 * datapackage.json describes it (Frictionless tabular data resource, FDP
 * columnTypes and the FDP 0.3 fiscal model). Same input, same bytes. */
#ifndef JUESUAN_FDP_H
#define JUESUAN_FDP_H

#include "juesuan/buf.h"
#include "juesuan/cofog.h"
#include "juesuan/tables.h"

/* The file names the build writes. */
#define JS_FDP_PACKAGE "datapackage.json"
#define JS_FDP_CSV "fiscal-data.csv"

/* datapackage.json for ts, its resource at csv_path (relative). */
js_status js_fdp_package(const js_tableset *ts, const char *csv_path, js_buf *out);
/* datapackage.json of a region-year: the package of js_fdp_package, its
 * one resource at csv_path the fiscal-data.csv of every department of the
 * year one after the other (js_fdp_csv_append); region (NULL: none) and
 * the number of departments go into its title. */
js_status js_fdp_region_package(const char *region, int year, size_t departments, const char *csv_path,
                                js_buf *out);
/* Appends a department's fiscal-data.csv (csv, len) to the region's out:
 * whole when out is empty, else without its header, which must be out's.
 * JS_E_INPUT when it has no header line or another one; JS_E_LIMIT when
 * out cannot grow. */
js_status js_fdp_csv_append(js_buf *out, const char *csv, size_t len);
/* fiscal-data.csv: the lines of ts's workbook (unit < 0: every unit, else
 * that unit's), COFOG columns from cw (NULL: left empty). JS_E_LIMIT when a
 * sum overflows or the buffer cannot grow, JS_E_NOMEM. */
js_status js_fdp_csv(const js_tableset *ts, int unit, const js_cofog *cw, js_buf *out);

#endif
