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

/* Appends the chart as an inline <svg> (role="img", with a <title>). */
void js_chart_svg(const js_chart *c, js_buf *out);

#endif
