/* The findings on a printed report as one HTML page (see
 * js_findings_html in juesuan/audit.h): the recovered tables with the
 * cells the findings name highlighted, each table's findings beside it,
 * and the findings on the text beside the sentence they quote. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"

/* How a cell is concerned by a finding: the figure found wrong (or the
 * left side of an identity), or one of the figures it was compared with. */
enum { MARK_NONE, MARK_PART, MARK_HIT };

typedef struct {
    const js_findings *f;
    const js_finding **order; /* numbered from 1 in this order */
    size_t n;
    js_buf *out;
} page;

static const char k_style[] =
    "body{font-family:\"Noto Sans CJK SC\",sans-serif;margin:1.5em;color:#222;line-height:1.5}"
    "h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}"
    ".blocks{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}"
    ".beside{display:grid;grid-template-columns:minmax(0,3fr) minmax(16em,2fr);gap:1.5em;align-items:start}"
    "@media (max-width:50em){.beside{grid-template-columns:1fr}}"
    "table{border-collapse:collapse;margin-bottom:1em;font-size:.9em}"
    "caption{text-align:left;font-weight:bold}"
    "th,td{border:1px solid #bbb;padding:.15em .4em}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.hit{background:#f8c4c4;outline:2px solid #c00}td.part{background:#fff1c2}"
    "sup a{color:#c00;text-decoration:none;font-weight:bold;margin-left:.2em}"
    ".card{border-left:4px solid #999;padding:.3em .7em;margin-bottom:.8em;background:#fafafa}"
    ".card.error{border-color:#c00}.card.verify{border-color:#d90}.card.info{border-color:#39c}"
    ".card .head{font-weight:bold}.card .vals{color:#555;font-size:.9em}"
    "blockquote{margin:.3em 0;padding:.3em .7em;background:#fff;border:1px dashed #bbb}"
    "mark{background:#f8c4c4;font-weight:bold}.muted{color:#666;font-size:.9em}";

static void esc(page *p, const char *s) { js_buf_html(p->out, s ? s : "", false); }

static void escn(page *p, const char *s, size_t n)
{
    char buf[1024];
    while (n) {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
        esc(p, buf);
        s += k;
        n -= k;
    }
}

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* o's string k, escaped, between open and close; nothing when o has none. */
static void field_in(page *p, const json_t *o, const char *k, const char *open, const char *close)
{
    if (!str(o, k))
        return;
    js_buf_puts(p->out, open);
    esc(p, str(o, k));
    js_buf_puts(p->out, close);
}

/* The finding's number (1-based). */
static size_t number_of(const page *p, const js_finding *x)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->order[i] == x)
            return i + 1;
    return 0;
}

/* A row's key as findings name it (js_vrow_key): "#行次", code, or label. */
static void row_key(const json_t *row, char *buf, size_t n)
{
    json_int_t no = json_integer_value(json_object_get(row, "row"));
    const char *code = str(row, "code");
    if (no > 0)
        snprintf(buf, n, "#%lld", (long long)no);
    else if (code && *code)
        snprintf(buf, n, "%s", code);
    else
        snprintf(buf, n, "%s", str(row, "name") ? str(row, "name") : "");
}

/* A column's name as findings give it: its heading path joined by '/'. */
static void col_name(const json_t *col, char *buf, size_t n)
{
    size_t i, k = 0;
    json_t *h;
    buf[0] = '\0';
    json_array_foreach(json_object_get(col, "heading"), i, h) {
        int w = snprintf(buf + k, n - k, "%s%s", i ? "/" : "", json_string_value(h) ? json_string_value(h) : "");
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
}

/* How finding x concerns cell (table, row, column). */
static int mark_of(const js_finding *x, const char *table, const char *row, const char *col)
{
    if (!strcmp(x->table, table) && !strcmp(x->row, row) && !strcmp(x->column, col))
        return MARK_HIT;
    int m = MARK_NONE;
    for (size_t k = 0; k < x->naddends; k++) {
        const js_addend *a = &x->addends[k];
        if (a->value[0] && !strcmp(a->table, table) && !strcmp(a->row, row) && !strcmp(a->column, col)) {
            int here = a->side == 'L' || x->quote ? MARK_HIT : MARK_PART;
            m = here > m ? here : m;
        }
    }
    return m;
}

/* Whether finding x concerns table id. */
static bool concerns(const js_finding *x, const char *id)
{
    if (!strcmp(x->table, id))
        return true;
    for (size_t k = 0; k < x->naddends; k++)
        if (x->addends[k].value[0] && !strcmp(x->addends[k].table, id))
            return true;
    return false;
}

static void amount_cell(page *p, const char *table, const char *row, const char *col, const char *value)
{
    int m = MARK_NONE;
    for (size_t i = 0; i < p->n; i++) {
        int here = mark_of(p->order[i], table, row, col);
        m = here > m ? here : m;
    }
    js_buf_printf(p->out, "<td class=\"n%s\"", m == MARK_HIT ? " hit" : m == MARK_PART ? " part" : "");
    if (m) {
        js_buf_puts(p->out, " title=\"");
        const char *sep = "";
        for (size_t i = 0; i < p->n; i++)
            if (mark_of(p->order[i], table, row, col)) {
                js_buf_printf(p->out, "%s%zu ", sep, i + 1);
                esc(p, p->order[i]->rule);
                sep = "；";
            }
        js_buf_puts(p->out, "\"");
    }
    js_buf_puts(p->out, ">");
    esc(p, value);
    for (size_t i = 0; m && i < p->n; i++)
        if (mark_of(p->order[i], table, row, col))
            js_buf_printf(p->out, "<sup><a href=\"#f%zu\">%zu</a></sup>", i + 1, i + 1);
    js_buf_puts(p->out, "</td>");
}

/* The message without the quote the text output appends to it. */
static size_t message_len(const js_finding *x)
{
    size_t n = strlen(x->message);
    if (!x->quote)
        return n;
    char tail[1536];
    snprintf(tail, sizeof tail, "（%s：“%s”）", x->section, x->quote);
    size_t k = strlen(tail);
    return n > k && !strcmp(x->message + n - k, tail) ? n - k : n;
}

/* One finding as a card; with anchor, it carries the id f<number>. */
static void card(page *p, const js_finding *x, bool anchor, bool quote)
{
    size_t no = number_of(p, x);
    js_buf_printf(p->out, "<div class=\"card %s\"", js_severity_names[x->severity]);
    if (anchor)
        js_buf_printf(p->out, " id=\"f%zu\"", no);
    if (anchor)
        js_buf_printf(p->out, "><div class=\"head\">%zu", no);
    else
        js_buf_printf(p->out, "><div class=\"head\"><a href=\"#f%zu\">%zu</a>", no, no);
    js_buf_printf(p->out, "　%s　[", js_severity_labels[x->severity]);
    esc(p, x->rule);
    js_buf_puts(p->out, "]</div>");
    if (quote && x->quote) {
        js_buf_printf(p->out, "<blockquote><span class=\"muted\">第%d页　", x->page);
        esc(p, x->section);
        js_buf_puts(p->out, "</span><br>");
        size_t q = strlen(x->quote), m = x->mark < q ? x->mark : q, ml = x->marklen < q - m ? x->marklen : q - m;
        escn(p, x->quote, m);
        if (ml) {
            js_buf_puts(p->out, "<mark>");
            escn(p, x->quote + m, ml);
            js_buf_puts(p->out, "</mark>");
        }
        esc(p, x->quote + m + ml);
        js_buf_puts(p->out, "</blockquote>");
    }
    js_buf_puts(p->out, "<div>");
    escn(p, x->message, message_len(x));
    js_buf_puts(p->out, "</div>");
    /* a finding on the text links to the cells it compared */
    for (size_t k = 0; quote && x->quote && k < x->naddends; k++) {
        const js_addend *a = &x->addends[k];
        js_buf_puts(p->out, "<div class=\"muted\">对照：<a href=\"#t");
        esc(p, a->table);
        js_buf_printf(p->out, "\">表%s ", a->table);
        esc(p, a->row_name[0] ? a->row_name : a->row);
        js_buf_puts(p->out, "「");
        esc(p, a->column);
        js_buf_puts(p->out, "」</a> = ");
        esc(p, a->value[0] ? a->value : "空");
        js_buf_puts(p->out, "</div>");
    }
    if (x->has_values) {
        char e[32], a[32], d[32];
        js_money_format_wan(x->expected, false, e, sizeof e);
        js_money_format_wan(x->actual, false, a, sizeof a);
        js_money_format_wan(x->difference, false, d, sizeof d);
        js_buf_printf(p->out, "<div class=\"vals\">左边 %s，右边 %s，相差 %s</div>", a, e, d);
    }
    if (!x->quote && x->file[0]) {
        js_buf_puts(p->out, "<div class=\"muted\">");
        esc(p, x->file);
        js_buf_puts(p->out, "</div>");
    }
    js_buf_puts(p->out, "</div>\n");
}

static void table_html(page *p, const json_t *t)
{
    const char *id = str(t, "id") ? str(t, "id") : "";
    js_buf_puts(p->out, "<section id=\"t");
    esc(p, id);
    js_buf_puts(p->out, "\"><h2>");
    esc(p, str(t, "number"));
    if (str(t, "title") && str(t, "number") && strcmp(str(t, "title"), str(t, "number"))) {
        js_buf_puts(p->out, "　");
        esc(p, str(t, "title"));
    }
    if (json_integer_value(json_object_get(t, "page")))
        js_buf_printf(p->out, "<span class=\"muted\">（第%lld页）</span>",
                      (long long)json_integer_value(json_object_get(t, "page")));
    js_buf_puts(p->out, "</h2>\n<div class=\"beside\"><div>");
    field_in(p, t, "unit_label", "<div class=\"muted\">", "</div>");
    field_in(p, t, "empty_text", "<div class=\"muted\">", "</div>");
    js_buf_puts(p->out, "<div class=\"blocks\">");
    size_t b;
    json_t *block;
    json_array_foreach(json_object_get(t, "blocks"), b, block) {
        const json_t *cols = json_object_get(block, "columns");
        js_buf_puts(p->out, "<table>");
        field_in(p, block, "heading", "<caption>", "</caption>");
        js_buf_puts(p->out, "<thead><tr>");
        size_t c;
        json_t *col;
        json_array_foreach(cols, c, col) {
            char name[256];
            col_name(col, name, sizeof name);
            js_buf_puts(p->out, "<th>");
            esc(p, name);
            js_buf_puts(p->out, "</th>");
        }
        js_buf_puts(p->out, "</tr></thead><tbody>\n");
        size_t r;
        json_t *row;
        json_array_foreach(json_object_get(t, "rows"), r, row) {
            if ((size_t)json_integer_value(json_object_get(row, "block")) != b)
                continue;
            char key[256];
            row_key(row, key, sizeof key);
            js_buf_puts(p->out, "<tr>");
            json_array_foreach(cols, c, col) {
                const char *kind = str(col, "kind") ? str(col, "kind") : "";
                char name[256];
                col_name(col, name, sizeof name);
                if (!strcmp(kind, "amount")) {
                    const json_t *cell = json_object_get(json_object_get(row, "cells"), str(col, "key") ? str(col, "key") : "");
                    amount_cell(p, id, key, name, str(cell, "yuan") ? str(cell, "yuan") : str(cell, "wan"));
                    continue;
                }
                js_buf_puts(p->out, "<td>");
                if (!strcmp(kind, "code"))
                    esc(p, str(row, "code"));
                else if (!strcmp(kind, "label"))
                    esc(p, str(row, "name"));
                else if (json_integer_value(json_object_get(row, "row")))
                    js_buf_printf(p->out, "%lld", (long long)json_integer_value(json_object_get(row, "row")));
                js_buf_puts(p->out, "</td>");
            }
            js_buf_puts(p->out, "</tr>\n");
        }
        js_buf_puts(p->out, "</tbody></table>\n");
    }
    js_buf_puts(p->out, "</div></div><aside>");
    size_t shown = 0;
    for (size_t i = 0; i < p->n; i++)
        if (concerns(p->order[i], id)) {
            /* a finding on the text has its card (and id) with the sentence */
            card(p, p->order[i], !p->order[i]->quote, false);
            shown++;
        }
    if (!shown)
        js_buf_puts(p->out, "<p class=\"muted\">本表没有发现问题。</p>");
    js_buf_puts(p->out, "</aside></div></section>\n");
}

js_status js_findings_html(const js_findings *f, const char *tables_json, size_t len, js_buf *out)
{
    page p = {f, NULL, js_findings_count(f), out};
    p.order = js_findings_ordered(f);
    json_t *root = tables_json ? json_loadb(tables_json, len, 0, NULL) : NULL;
    if (!p.order || (tables_json && !root)) {
        free(p.order);
        json_decref(root);
        return tables_json && p.order ? JS_E_INPUT : JS_E_NOMEM;
    }
    const char *dept = str(root, "department"), *year = NULL;
    char yb[16] = "";
    if (json_integer_value(json_object_get(root, "year")))
        snprintf(yb, sizeof yb, "%lld", (long long)json_integer_value(json_object_get(root, "year")));
    year = yb;
    const char *file = str(json_object_get(root, "source"), "file");
    js_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>审核结果");
    if (dept && *dept) {
        js_buf_puts(out, "：");
        esc(&p, dept);
    }
    js_buf_printf(out, "</title><style>%s</style></head>\n<body><h1>审核结果", k_style);
    if (dept && *dept) {
        js_buf_puts(out, "：");
        esc(&p, dept);
    }
    if (*year)
        js_buf_printf(out, "　%s年度", year);
    js_buf_puts(out, "</h1>\n<p>");
    if (file) {
        esc(&p, file);
        js_buf_puts(out, "　");
    }
    size_t run, passed;
    js_findings_stats(f, &run, &passed);
    js_buf_printf(out, "规则 %zu 条，通过 %zu 条；错误 %zu，核实 %zu，提示 %zu", run, passed,
                  js_findings_by_severity(f, JS_SEV_ERROR), js_findings_by_severity(f, JS_SEV_VERIFY),
                  js_findings_by_severity(f, JS_SEV_INFO));
    if (*js_findings_version(f)) {
        js_buf_puts(out, "；规则集版本 ");
        esc(&p, js_findings_version(f));
    }
    js_buf_puts(out, "</p>\n");
    /* the findings on the text, each with its sentence */
    size_t quoted = 0;
    for (size_t i = 0; i < p.n; i++)
        quoted += p.order[i]->quote != NULL;
    if (quoted) {
        js_buf_puts(out, "<section id=\"text\"><h2>情况说明中的问题</h2>\n");
        for (size_t i = 0; i < p.n; i++)
            if (p.order[i]->quote)
                card(&p, p.order[i], true, true);
        js_buf_puts(out, "</section>\n");
    }
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "tables"), i, t)
        table_html(&p, t);
    /* the findings that name no table of the report and no sentence */
    size_t other = 0;
    for (size_t k = 0; k < p.n; k++) {
        const js_finding *x = p.order[k];
        bool placed = x->quote != NULL;
        json_array_foreach(json_object_get(root, "tables"), i, t)
            placed |= concerns(x, str(t, "id") ? str(t, "id") : "");
        if (placed)
            continue;
        if (!other++)
            js_buf_puts(out, "<section id=\"other\"><h2>其他问题</h2>\n");
        card(&p, x, true, true);
    }
    if (other)
        js_buf_puts(out, "</section>\n");
    js_buf_puts(out, "</body></html>\n");
    free(p.order);
    json_decref(root);
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}
