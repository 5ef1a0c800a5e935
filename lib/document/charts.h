/* Charts as SVG written by us: text stays text, every value is labelled. */
#ifndef JS_CHARTS_H
#define JS_CHARTS_H

#include <stddef.h>

#include "juesuan/buf.h"
#include "juesuan/money.h"

#define JS_CHART_MAX 16

typedef enum { JS_CHART_BAR, JS_CHART_PIE } js_chart_kind;

typedef struct {
    js_chart_kind kind;
    const char *title;                 /* 图1：… */
    const char *labels[JS_CHART_MAX];
    js_fen values[JS_CHART_MAX];       /* 分 */
    size_t n;
    int percent_decimals;              /* shares in a pie's legend */
} js_chart;

/* The colour of a chart's item i, as the SVG and the PDF draw it: "#rrggbb"
 * and its red, green, blue in 0..1. */
const char *js_chart_colour(size_t i, double rgb[3]);
/* Item i's share of a pie (its positive items), in percent with the
 * chart's percent_decimals, half up, from the exact figures: "12.3". */
void js_chart_share(const js_chart *c, size_t i, char *buf, size_t n);

/* Appends the chart as an inline <svg> (role="img", with a <title>). */
void js_chart_svg(const js_chart *c, js_buf *out);

#endif
