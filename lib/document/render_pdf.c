/* The report as PDF, drawn with cairo and pango in Noto Serif/Sans CJK SC.
 * Built as the plugin juesuan-pdf.so, loaded only when a PDF is asked for
 * (pdf_plugin.c), so that no other command pays for loading the graphics
 * libraries.
 *
 * A4, a title page, contents with page numbers, page numbers, tables split
 * across pages with their headings repeated, charts from the same model as
 * the SVG, selectable text, a fixed creation date. Two passes: the first
 * lays out to learn the page of every part, the second draws. */
#include <cairo-pdf.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "report_model.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define BOTTOM (PAGE_H - MARGIN)
#define PI 3.14159265358979323846

typedef struct {
    const js_report *r;
    cairo_t *cr;
    bool draw;        /* second pass */
    int page;         /* 1-based */
    double y;
    int *part_page;   /* page of each block that is a level-2 heading */
} pdf;

static PangoLayout *layout_for(pdf *p, const char *font, double size, double width)
{
    PangoLayout *l = pango_cairo_create_layout(p->cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_context_set_language(pango_layout_get_context(l), pango_language_from_string("zh-cn"));
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    return l;
}

static void footer(pdf *p)
{
    if (!p->draw || p->page <= 1)
        return;
    char buf[32];
    snprintf(buf, sizeof buf, "— %d —", p->page - 1);
    PangoLayout *l = layout_for(p, "Noto Sans CJK SC", 8, TEXT_W);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    pango_layout_set_text(l, buf, -1);
    cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN / 2);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void new_page(pdf *p)
{
    footer(p);
    if (p->draw)
        cairo_show_page(p->cr);
    p->page++;
    p->y = MARGIN;
}

/* One line of a paragraph (no line break in the len bytes at text), split
 * across pages line by line as pango wraps it. */
static void text_lines(pdf *p, const char *text, int len, const char *font, double size, double indent,
                       PangoAlignment align)
{
    PangoLayout *l = layout_for(p, font, size, TEXT_W);
    pango_layout_set_alignment(l, align);
    pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    pango_layout_set_spacing(l, (int)(size * 0.5 * PANGO_SCALE));
    pango_layout_set_text(l, text, len);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    double base = 0; /* layout y of the current page's first line */
    double top = p->y;
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        double ly = r.y / (double)PANGO_SCALE, lh = r.height / (double)PANGO_SCALE;
        if (top + ly - base + lh > BOTTOM) {
            new_page(p);
            base = ly;
            top = p->y;
        }
        if (p->draw) {
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            int baseline = pango_layout_iter_get_baseline(it);
            cairo_move_to(p->cr, MARGIN + r.x / (double)PANGO_SCALE, top + baseline / (double)PANGO_SCALE - base);
            pango_cairo_show_layout_line(p->cr, line);
        }
        p->y = top + ly - base + lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
}

/* Text paragraph (or heading). Each of its lines (a list of thousands of
 * units) is a layout of its own, placed as pango places the paragraphs of
 * one layout (the line spacing between them): one layout of the whole
 * list costs time quadratic in its length. */
static void text_block(pdf *p, const char *text, const char *font, double size, double indent,
                       PangoAlignment align, double space_after)
{
    for (;;) {
        const char *nl = strchr(text, '\n');
        text_lines(p, text, nl ? (int)(nl - text) : -1, font, size, indent, align);
        if (!nl)
            break;
        p->y += (int)(size * 0.5 * PANGO_SCALE) / (double)PANGO_SCALE;
        text = nl + 1;
    }
    p->y += space_after;
}

/* ---- tables ----------------------------------------------------------- */

typedef struct {
    const char *text;
    int span;
    bool right, head;
} tcell;

typedef struct {
    tcell *cells; /* nrows × ncols, span 0 = covered */
    int nrows, ncols, nhead;
} ttable;

static double cell_height(pdf *p, const char *text, double w, double size)
{
    PangoLayout *l = layout_for(p, "Noto Sans CJK SC", size, w - 4);
    pango_layout_set_text(l, text, -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    g_object_unref(l);
    return ph / (double)PANGO_SCALE + 4;
}

static void draw_row(pdf *p, const ttable *t, int r, const double *x, double h, double size)
{
    if (!p->draw)
        return;
    for (int c = 0; c < t->ncols; c++) {
        const tcell *cell = &t->cells[r * t->ncols + c];
        if (cell->span == 0)
            continue;
        double w = x[c + cell->span] - x[c];
        cairo_rectangle(p->cr, x[c], p->y, w, h);
        if (cell->head) {
            cairo_set_source_rgb(p->cr, 0.94, 0.94, 0.94);
            cairo_fill_preserve(p->cr);
        }
        cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
        cairo_set_line_width(p->cr, 0.4);
        cairo_stroke(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        PangoLayout *l = layout_for(p, "Noto Sans CJK SC", size, w - 4);
        pango_layout_set_alignment(l, cell->head ? PANGO_ALIGN_CENTER : cell->right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        pango_layout_set_text(l, cell->text, -1);
        cairo_move_to(p->cr, x[c] + 2, p->y + 2);
        pango_cairo_show_layout(p->cr, l);
        g_object_unref(l);
    }
}

static void table_block(pdf *p, const ttable *t)
{
    const double size = t->ncols > 8 ? 6.0 : 7.5;
    double *natural = calloc((size_t)t->ncols + 1, sizeof *natural), *x = calloc((size_t)t->ncols + 2, sizeof *x);
    double *h = calloc((size_t)t->nrows + 1, sizeof *h);
    if (!natural || !x || !h)
        goto out;
    /* column widths: natural widths of single cells, scaled to the page */
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const tcell *cell = &t->cells[r * t->ncols + c];
            if (cell->span != 1)
                continue;
            PangoLayout *l = layout_for(p, "Noto Sans CJK SC", size, -1);
            pango_layout_set_text(l, cell->text, -1);
            int pw, ph;
            pango_layout_get_size(l, &pw, &ph);
            g_object_unref(l);
            double w = pw / (double)PANGO_SCALE + 6;
            if (w > natural[c])
                natural[c] = w > 160 ? 160 : w;
        }
    /* Figures keep their natural width; text columns share what is left. */
    bool *numeric = calloc((size_t)t->ncols + 1, sizeof *numeric);
    double fixed = 0, flexible = 0;
    for (int c = 0; c < t->ncols; c++) {
        if (natural[c] < 18)
            natural[c] = 18;
        for (int r = t->nhead; r < t->nrows && numeric; r++)
            if (t->cells[r * t->ncols + c].right && t->cells[r * t->ncols + c].text[0])
                numeric[c] = true;
        if (numeric && numeric[c])
            fixed += natural[c];
        else
            flexible += natural[c];
    }
    double scale_flex = flexible > 0 ? (TEXT_W - fixed) / flexible : 1, scale_all = 1;
    if (fixed + flexible <= TEXT_W || scale_flex < 0.3) { /* fits, or too little room: scale all */
        scale_flex = scale_all = TEXT_W / (fixed + flexible);
    }
    x[0] = MARGIN;
    for (int c = 0; c < t->ncols; c++)
        x[c + 1] = x[c] + natural[c] * (numeric && numeric[c] ? scale_all : scale_flex);
    free(numeric);
    for (int r = 0; r < t->nrows; r++) {
        h[r] = 12;
        for (int c = 0; c < t->ncols; c++) {
            const tcell *cell = &t->cells[r * t->ncols + c];
            if (cell->span == 0)
                continue;
            double ch = cell_height(p, cell->text, x[c + cell->span] - x[c], size);
            if (ch > h[r])
                h[r] = ch;
        }
    }
    /* the headings stay with the first row of the body */
    double keep = 0;
    for (int r = 0; r <= t->nhead && r < t->nrows; r++)
        keep += h[r];
    if (p->y + keep > BOTTOM)
        new_page(p);
    for (int r = 0; r < t->nrows; r++) {
        if (p->y + h[r] > BOTTOM) {
            new_page(p);
            for (int k = 0; k < t->nhead && r >= t->nhead; k++) { /* headings again */
                draw_row(p, t, k, x, h[k], size);
                p->y += h[k];
            }
        }
        draw_row(p, t, r, x, h[r], size);
        p->y += h[r];
    }
    p->y += 8;
out:
    free(natural);
    free(x);
    free(h);
}

static void grid_table(pdf *p, const js_table *t)
{
    js_grid g;
    if (!js_grid_build(p->r->ts, t, true, &g))
        return;
    if (p->y + 90 > BOTTOM) /* the caption stays with the table */
        new_page(p);
    char cap[1024];
    snprintf(cap, sizeof cap, "%s\n%s　%s：%s　%s", t->title, t->def->number, js_tableset_entity_label(p->r->ts),
             js_tableset_entity(p->r->ts), t->def->unit_label);
    text_block(p, cap, "Noto Sans CJK SC", 8.5, 0, PANGO_ALIGN_CENTER, 4);
    ttable tt = {calloc((size_t)(g.nlines * g.ncols) + 1, sizeof(tcell)), g.nlines, g.ncols, g.nhead};
    if (tt.cells) {
        for (int l = 0; l < g.nlines; l++)
            for (int c = 0; c < g.ncols; c++) {
                const js_gcell *x = js_grid_at(&g, l, c);
                tt.cells[l * g.ncols + c] = (tcell){x->text, x->span, x->align == JS_ALIGN_RIGHT, l < g.nhead};
            }
        table_block(p, &tt);
        free(tt.cells);
    }
    js_grid_release(&g);
    const char *tail[3];
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++)
        text_block(p, tail[k], "Noto Serif CJK SC", 8, 0, PANGO_ALIGN_LEFT, 4);
}

static void sheet_table(pdf *p, const char *sheet)
{
    const js_workbook *wb = js_tableset_workbook(p->r->ts);
    int nc;
    size_t nr = js_workbook_sheet_size(wb, sheet, &nc);
    if (!nr || nc <= 0)
        return;
    ttable t = {calloc((nr + 1) * (size_t)nc, sizeof(tcell)), (int)nr + 1, nc, 1};
    if (!t.cells)
        return;
    for (int c = 0; c < nc; c++)
        t.cells[c] = (tcell){js_workbook_sheet_heading(sheet, c), 1, false, true};
    for (size_t r = 0; r < nr; r++)
        for (int c = 0; c < nc; c++)
            t.cells[(r + 1) * (size_t)nc + (size_t)c] = (tcell){js_workbook_sheet_cell(wb, sheet, r, c), 1, false, false};
    table_block(p, &t);
    free(t.cells);
}

static void perf_tables(pdf *p)
{
    const js_report *r = p->r;
    for (size_t i = 0; r->perf && i < js_perf_count(r->perf); i++) {
        const js_perf_item *it = js_perf_item_at(r->perf, i);
        perf_tab pt = {0};
        js_report_perf_table(r, it, &pt);
        text_block(p, js_report_perf_title(r, it), "Noto Sans CJK SC", 9, 0, PANGO_ALIGN_CENTER, 4);
        ttable t = {calloc(pt.n * PERF_COLS + 1, sizeof(tcell)), (int)pt.n, PERF_COLS, 0};
        for (size_t k = 0; t.cells && k < pt.n; k++)
            for (int c = 0; c < PERF_COLS; c++)
                t.cells[k * PERF_COLS + (size_t)c] = (tcell){pt.rows[k].text[c] ? pt.rows[k].text[c] : "",
                                                             pt.rows[k].text[c] ? pt.rows[k].span[c] : 0, false,
                                                             pt.rows[k].head};
        if (t.cells)
            table_block(p, &t);
        free(t.cells);
        js_report_perf_table_free(&pt);
    }
}

/* ---- charts ----------------------------------------------------------- */

static void label(pdf *p, const char *text, double x, double y, double size, PangoAlignment align, double width)
{
    PangoLayout *l = layout_for(p, "Noto Sans CJK SC", size, width);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text, -1);
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void chart_block(pdf *p, const js_chart *c)
{
    const double h = 200;
    if (p->y + h + 20 > BOTTOM)
        new_page(p);
    if (p->draw) {
        static const double col[][3] = {{0.12, 0.35, 0.65}, {0.85, 0.51, 0.17}, {0.23, 0.61, 0.36}, {0.72, 0.27, 0.24}};
        js_fen max = 0, total = 0;
        for (size_t i = 0; i < c->n; i++) {
            if (c->values[i] > max)
                max = c->values[i];
            if (c->values[i] > 0)
                total += c->values[i];
        }
        char v[32];
        if (c->kind == JS_CHART_BAR) {
            double slot = TEXT_W / (double)(c->n ? c->n : 1), base = p->y + h - 24;
            for (size_t i = 0; i < c->n; i++) {
                double bh = max > 0 && c->values[i] > 0 ? (h - 60) * (double)c->values[i] / (double)max : 0;
                double bx = MARGIN + slot * (double)i + slot * 0.3;
                cairo_set_source_rgb(p->cr, col[i % 4][0], col[i % 4][1], col[i % 4][2]);
                cairo_rectangle(p->cr, bx, base - bh, slot * 0.4, bh);
                cairo_fill(p->cr);
                cairo_set_source_rgb(p->cr, 0, 0, 0);
                js_money_format_wan(c->values[i], false, v, sizeof v);
                label(p, v, bx - 20, base - bh - 14, 8, PANGO_ALIGN_CENTER, slot * 0.4 + 40);
                label(p, c->labels[i], bx - 20, base + 4, 8, PANGO_ALIGN_CENTER, slot * 0.4 + 40);
            }
        } else {
            double cx = MARGIN + 110, cy = p->y + h / 2, rad = 80, a = -PI / 2;
            for (size_t i = 0; i < c->n; i++) {
                if (c->values[i] <= 0 || total <= 0)
                    continue;
                double a2 = a + 2 * PI * (double)c->values[i] / (double)total;
                cairo_set_source_rgb(p->cr, col[i % 4][0], col[i % 4][1], col[i % 4][2]);
                cairo_move_to(p->cr, cx, cy);
                cairo_arc(p->cr, cx, cy, rad, a, a2);
                cairo_close_path(p->cr);
                cairo_fill(p->cr);
                a = a2;
            }
            cairo_set_source_rgb(p->cr, 0, 0, 0);
            for (size_t i = 0; i < c->n; i++) {
                char line[256];
                js_money_format_wan(c->values[i], false, v, sizeof v);
                snprintf(line, sizeof line, "■ %s %s万元", c->labels[i], v);
                label(p, line, MARGIN + 240, p->y + 40 + 16.0 * (double)i, 8.5, PANGO_ALIGN_LEFT, 250);
            }
        }
    }
    p->y += h;
    text_block(p, c->title, "Noto Sans CJK SC", 8.5, 0, PANGO_ALIGN_CENTER, 10);
}

/* ---- the document ---------------------------------------------------- */

static void run(pdf *p)
{
    const js_report *r = p->r;
    p->page = 1;
    p->y = MARGIN;
    /* title page: the first heading and the paragraphs under it (the date) */
    size_t i = 0;
    p->y = PAGE_H / 3;
    for (; i < r->n && (i == 0 || r->blocks[i].k == B_PARA); i++)
        text_block(p, r->blocks[i].text, "Noto Serif CJK SC", i == 0 ? 22 : 14, 0, PANGO_ALIGN_CENTER, 30);
    if (js_tableset_mark(r->ts)) {
        char m[128];
        snprintf(m, sizeof m, "【%s】", js_tableset_mark(r->ts));
        text_block(p, m, "Noto Serif CJK SC", 14, 0, PANGO_ALIGN_CENTER, 10);
    }
    new_page(p);
    /* contents */
    text_block(p, "目　录", "Noto Serif CJK SC", 16, 0, PANGO_ALIGN_CENTER, 16);
    for (size_t k = i; k < r->n; k++)
        if (r->blocks[k].k == B_HEADING && r->blocks[k].level <= 3) {
            char line[1024];
            snprintf(line, sizeof line, "%s%s\t%d", r->blocks[k].level == 3 ? "　　" : "", r->blocks[k].text,
                     p->part_page[k] - 1);
            PangoLayout *l = layout_for(p, "Noto Serif CJK SC", r->blocks[k].level == 2 ? 11 : 9.5, TEXT_W);
            PangoTabArray *tabs = pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, (int)(TEXT_W - 30));
            pango_layout_set_tabs(l, tabs);
            pango_tab_array_free(tabs);
            pango_layout_set_text(l, line, -1);
            int pw, ph;
            pango_layout_get_size(l, &pw, &ph);
            if (p->y + ph / (double)PANGO_SCALE > BOTTOM)
                new_page(p);
            if (p->draw) {
                cairo_move_to(p->cr, MARGIN, p->y);
                pango_cairo_show_layout(p->cr, l);
            }
            p->y += ph / (double)PANGO_SCALE + 4;
            g_object_unref(l);
        }
    for (; i < r->n; i++) {
        const block *b = &r->blocks[i];
        switch (b->k) {
        case B_HEADING:
            if (b->level <= 2)
                new_page(p);
            else if (p->y + 60 > BOTTOM)
                new_page(p);
            p->part_page[i] = p->page;
            text_block(p, b->text, "Noto Serif CJK SC", b->level <= 2 ? 15 : 12, 0,
                       b->level <= 2 ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT, 10);
            break;
        case B_PARA:
            text_block(p, b->text, "Noto Serif CJK SC", 10.5, strchr(b->text, '\n') ? 0 : 21, PANGO_ALIGN_LEFT, 6);
            break;
        case B_TABLE:
            grid_table(p, b->table);
            break;
        case B_SHEET:
            sheet_table(p, b->sheet);
            break;
        case B_PERF:
            perf_tables(p);
            break;
        case B_CHART:
            chart_block(p, &b->chart);
            break;
        }
    }
    footer(p);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return js_buf_append(closure, data, len) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* The plugin's entry point (the loader, pdf_plugin.c, calls it one PDF at
 * a time). */
__attribute__((visibility("default"))) js_status js_pdf_plugin_render(const js_report *r, js_buf *out);

js_status js_pdf_plugin_render(const js_report *r, js_buf *out)
{
    int *pages = calloc(r->n + 1, sizeof *pages);
    if (!pages)
        return JS_E_NOMEM;
    /* pass 1: page numbers, on a surface that draws nothing */
    cairo_surface_t *probe = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(probe);
    pdf p = {r, cr, false, 1, MARGIN, pages};
    run(&p);
    cairo_destroy(cr);
    cairo_surface_destroy(probe);
    /* pass 2: the document */
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_buf, out, PAGE_W, PAGE_H);
    const char *date = js_workbook_text(js_tableset_workbook(r->ts), "department.csv", "公开日期");
    char iso[64];
    snprintf(iso, sizeof iso, "%.10sT00:00:00Z", date && strlen(date) >= 10 ? date : "2000-01-01");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, iso);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, iso);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->title ? r->title : "");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "juesuan");
    cr = cairo_create(s);
    p = (pdf){r, cr, true, 1, MARGIN, pages};
    run(&p);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    free(pages);
    return cs == CAIRO_STATUS_SUCCESS && js_buf_ok(out) ? JS_OK : JS_E_IO;
}
