/* SVG charts (see charts.h). Geometry uses doubles; labels print the exact
 * 万元 figures. */
#include "charts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define JS_PI 3.14159265358979323846

static const char *const k_colours[] = {"#1f5aa6", "#d9822b", "#3a9b5c", "#b8443c",
                                        "#7a5ba6", "#8a8a8a", "#2b9bb0", "#c4a21d"};

const char *js_chart_colour(size_t i, double rgb[3])
{
    const char *hex = k_colours[i % 8];
    unsigned v = 0;
    sscanf(hex + 1, "%x", &v);
    rgb[0] = (v >> 16 & 0xff) / 255.0;
    rgb[1] = (v >> 8 & 0xff) / 255.0;
    rgb[2] = (v & 0xff) / 255.0;
    return hex;
}

void js_chart_share(const js_chart *c, size_t i, char *buf, size_t n)
{
    js_fen total = 0;
    for (size_t k = 0; k < c->n; k++)
        if (c->values[k] > 0)
            total += c->values[k];
    /* share = value / total × 100, half up to percent_decimals digits */
    int dec = c->percent_decimals < 0 ? 0 : c->percent_decimals > 6 ? 6 : c->percent_decimals;
    long long scale = 1;
    for (int k = 0; k < dec; k++)
        scale *= 10;
    __int128 num = (__int128)c->values[i] * 100 * scale * 2 + total;
    long long share = total > 0 ? (long long)(num / ((__int128)2 * total)) : 0;
    char frac[32];
    snprintf(frac, sizeof frac, "%06lld", share % scale);
    if (dec)
        snprintf(buf, n, "%lld.%s", share / scale, frac + 6 - dec);
    else
        snprintf(buf, n, "%lld", share);
}

static void esc(js_buf *out, const char *s) { js_buf_html(out, s, false); }

static void wan(js_fen v, char *buf, size_t n) { js_money_format_wan(v, false, buf, n); }

static void bar(const js_chart *c, js_buf *out)
{
    const double w = 640, h = 320, left = 60, right = 20, top = 40, bottom = 50;
    js_fen max = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->values[i] > max)
            max = c->values[i];
    double plot_h = h - top - bottom, slot = (w - left - right) / (double)(c->n ? c->n : 1);
    js_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>\n", left,
                  h - bottom, w - right, h - bottom);
    for (size_t i = 0; i < c->n; i++) {
        double bh = max > 0 && c->values[i] > 0 ? plot_h * (double)c->values[i] / (double)max : 0;
        double x = left + slot * (double)i + slot * 0.25, bw = slot * 0.5, y = h - bottom - bh;
        char v[32];
        wan(c->values[i], v, sizeof v);
        js_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", x, y,
                      bw, bh, k_colours[i % 8]);
        js_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"v\">%s</text>\n",
                      x + bw / 2, y - 6, v);
        js_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x + bw / 2, h - bottom + 22);
        esc(out, c->labels[i]);
        js_buf_puts(out, "</text>\n");
    }
}

static void pie(const js_chart *c, js_buf *out)
{
    const double cx = 170, cy = 170, r = 120;
    js_fen total = 0;
    for (size_t i = 0; i < c->n; i++)
        if (c->values[i] > 0)
            total += c->values[i];
    double angle = -JS_PI / 2;
    for (size_t i = 0; i < c->n; i++) {
        if (c->values[i] <= 0 || total <= 0)
            continue;
        double frac = (double)c->values[i] / (double)total, a2 = angle + frac * 2 * JS_PI;
        if (frac >= 0.999999) {
            js_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>\n", cx, cy, r,
                          k_colours[i % 8]);
        } else {
            js_buf_printf(out,
                          "<path d=\"M%.1f %.1f L%.2f %.2f A%.1f %.1f 0 %d 1 %.2f %.2f Z\" fill=\"%s\"/>\n", cx,
                          cy, cx + r * cos(angle), cy + r * sin(angle), r, r, frac > 0.5 ? 1 : 0,
                          cx + r * cos(a2), cy + r * sin(a2), k_colours[i % 8]);
        }
        angle = a2;
    }
    /* Legend: label, value and share (one decimal, from exact figures). */
    for (size_t i = 0; i < c->n; i++) {
        char v[32];
        wan(c->values[i], v, sizeof v);
        char pct[64];
        js_chart_share(c, i, pct, sizeof pct);
        double y = 60 + 28.0 * (double)i;
        js_buf_printf(out, "<rect x=\"330\" y=\"%.1f\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", y - 12,
                      k_colours[i % 8]);
        js_buf_printf(out, "<text x=\"352\" y=\"%.1f\">", y);
        esc(out, c->labels[i]);
        js_buf_printf(out, " <tspan class=\"v\">%s万元（%s%%）</tspan></text>\n", v, pct);
    }
}

void js_chart_svg(const js_chart *c, js_buf *out)
{
    js_buf_puts(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 340\" role=\"img\" "
                     "class=\"chart\"><title>");
    esc(out, c->title);
    js_buf_puts(out, "</title>\n");
    if (c->kind == JS_CHART_PIE)
        pie(c, out);
    else
        bar(c, out);
    js_buf_puts(out, "</svg>\n");
}
