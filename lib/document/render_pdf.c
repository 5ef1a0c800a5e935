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
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts.h"
#include "grid.h"
#include "pdf_fonts.h"
#include "report_model.h"

#define PAGE_W 595.28 /* A4 portrait; landscape pages swap the two */
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (p->pw - 2 * MARGIN)
#define BOTTOM (p->ph - MARGIN)
#define PI 3.14159265358979323846
/* One type size for every table, as the template prints them: a table too
 * wide for a portrait page is set on landscape pages, not shrunk. */
#define TABLE_PT 8.0
#define CAPTION_PT 9.5

typedef struct {
    const js_report *r;
    cairo_t *cr;
    bool draw;        /* second pass */
    int page;         /* 1-based */
    double y;
    int *part_page;   /* page of each block that is a level-2 heading */
    double pw, ph;    /* the current page's size */
    GHashTable *paragraphs; /* key -> PangoLayout: each line of text laid out
                               once for both passes (NULL: each time) */
    struct block_memo *blocks; /* per block of the report, for both passes
                                  (NULL: measured each time) */
} pdf;

/* What is measured of a block of the report once for both passes (the
 * second lays out exactly as the first did): whether its table is set on
 * landscape pages, and the room the heading needs at the foot of a page
 * (at the page width it was measured for). */
struct block_memo {
    signed char wide; /* 0: not known yet, 1: portrait, 2: landscape */
    double keep, keep_pw; /* keep_pw 0: not known yet */
};

/* ---- what a thread keeps from one PDF to the next -------------------- */

/* Each thread that renders (the program's, a batch's workers) keeps one
 * pango context on its font map (pango's default font map is per thread),
 * the font descriptions it has parsed, and what it has measured: a text's
 * size at a font and size, and the even width of a wrapped text (the
 * same headings come back in every table of every department). Layouts
 * are made on that context instead of a context of their own each, and a
 * measurement is a lookup after the first time. Pure functions of their
 * keys, so the document is the same bytes. Freed when the thread ends. */
#define MAX_FONTS 32
#define MEMO_MAX 200000 /* measurements kept per thread before starting afresh */

typedef struct {
    const char *font; /* one of the literal font names of this file */
    double size;
    PangoFontDescription *fd;
} font_entry;

typedef struct {
    PangoContext *ctx;
    font_entry fonts[MAX_FONTS];
    int nfonts;
    GHashTable *memo;    /* key (see memo_key) -> measure */
    GHashTable *layouts; /* key -> PangoLayout kept between documents (kept_layout) */
    cairo_font_options_t *options; /* the surface's, as ctx was last updated to */
} worker;

typedef struct {
    int w, h; /* pango units: a natural size */
    double d; /* an even width */
} measure;

static pthread_key_t g_worker_key;
static pthread_once_t g_worker_once = PTHREAD_ONCE_INIT;

static void worker_free(void *arg)
{
    worker *w = arg;
    if (!w)
        return;
    for (int i = 0; i < w->nfonts; i++)
        pango_font_description_free(w->fonts[i].fd);
    if (w->memo)
        g_hash_table_destroy(w->memo);
    if (w->layouts)
        g_hash_table_destroy(w->layouts);
    if (w->ctx)
        g_object_unref(w->ctx);
    if (w->options)
        cairo_font_options_destroy(w->options);
    free(w);
}

static guint key_hash(gconstpointer k);
static gboolean key_equal(gconstpointer a, gconstpointer b);

static void worker_key(void) { pthread_key_create(&g_worker_key, worker_free); }

/* This thread's state, made on first use (NULL when out of memory). */
static worker *worker_get(void)
{
    pthread_once(&g_worker_once, worker_key);
    worker *w = pthread_getspecific(g_worker_key);
    if (w)
        return w;
    if (!(w = calloc(1, sizeof *w)))
        return NULL;
    w->ctx = pango_font_map_create_context(pdf_fonts_map());
    w->memo = g_hash_table_new_full(key_hash, key_equal, g_free, g_free);
    w->layouts = g_hash_table_new_full(key_hash, key_equal, g_free, g_object_unref);
    pango_context_set_language(w->ctx, pango_language_from_string("zh-cn"));
    pthread_setspecific(g_worker_key, w);
    return w;
}

/* Brings the thread's context to cr's surface (its font options and
 * matrix, as pango_cairo_create_layout would) unless they are those it was
 * last brought to. pango_cairo_update_context marks the context changed
 * even when nothing is (it sets the matrix again), and every layout made
 * on the context (the paragraphs kept for the second pass, the cells kept
 * from one document to the next) would then be laid out again: for a list
 * of 30,000 units, a second full layout of every line. */
static void worker_update(worker *w, cairo_t *cr)
{
    cairo_font_options_t *o = cairo_font_options_create(), *set = cairo_font_options_create();
    cairo_surface_get_font_options(cairo_get_target(cr), o);
    cairo_get_font_options(cr, set);
    cairo_font_options_merge(o, set); /* as pango merges them */
    cairo_font_options_destroy(set);
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    const PangoMatrix *cm = pango_context_get_matrix(w->ctx);
    if (w->options && cairo_font_options_equal(o, w->options) && cm && cm->xx == m.xx && cm->yx == m.yx &&
        cm->xy == m.xy && cm->yy == m.yy) {
        cairo_font_options_destroy(o);
        return;
    }
    pango_cairo_update_context(cr, w->ctx);
    if (w->options)
        cairo_font_options_destroy(w->options);
    w->options = o;
}

/* Sets font at size on l, parsed once per thread. */
static void set_font(worker *w, PangoLayout *l, const char *font, double size)
{
    for (int i = 0; w && i < w->nfonts; i++)
        if (w->fonts[i].size == size && (w->fonts[i].font == font || !strcmp(w->fonts[i].font, font))) {
            pango_layout_set_font_description(l, w->fonts[i].fd);
            return;
        }
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_layout_set_font_description(l, fd); /* copied by the layout */
    if (w && w->nfonts < MAX_FONTS)
        w->fonts[w->nfonts++] = (font_entry){font, size, fd};
    else
        pango_font_description_free(fd);
}

/* The memo's key: what is measured (kind), font, size, width and text, as
 * bytes (the numbers' own bytes: exact, and no formatting). */
typedef struct {
    size_t len;
    char bytes[];
} memo_key_t;

static guint key_hash(gconstpointer k)
{
    const memo_key_t *x = k;
    /* eight bytes at a time, each word mixed in by a multiply (the keys
     * are long: a font name, three doubles and the text) */
    uint64_t h = 0x9E3779B97F4A7C15u ^ x->len;
    size_t i = 0;
    for (; i + 8 <= x->len; i += 8) {
        uint64_t v;
        memcpy(&v, x->bytes + i, 8);
        h = (h ^ v) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    uint64_t v = 0;
    memcpy(&v, x->bytes + i, x->len - i);
    h = (h ^ v) * 0xFF51AFD7ED558CCDu;
    h ^= h >> 29;
    return (guint)h;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const memo_key_t *x = a, *y = b;
    return x->len == y->len && !memcmp(x->bytes, y->bytes, x->len);
}

/* The key in buf (of n bytes, NULL when it does not fit: not memoised);
 * tlen: the text's bytes, or -1 up to its NUL; extra: one more number. */
static memo_key_t *memo_key(char *buf, size_t n, char kind, const char *font, double size, double width,
                            double extra, const char *text, int tlen)
{
    size_t fl = strlen(font), tl = tlen < 0 ? strlen(text) : (size_t)tlen;
    size_t len = 1 + fl + 1 + 3 * sizeof(double) + tl;
    if (sizeof(memo_key_t) + len > n)
        return NULL;
    memo_key_t *k = (memo_key_t *)(void *)buf;
    char *b = k->bytes;
    *b++ = kind;
    memcpy(b, font, fl + 1);
    b += fl + 1;
    memcpy(b, &size, sizeof size);
    b += sizeof size;
    memcpy(b, &width, sizeof width);
    b += sizeof width;
    memcpy(b, &extra, sizeof extra);
    b += sizeof extra;
    memcpy(b, text, tl);
    k->len = len;
    return k;
}

/* The same key, g_malloc'd whatever its length. */
static memo_key_t *key_new(char kind, const char *font, double size, double width, double extra,
                           const char *text, int tlen)
{
    size_t n = sizeof(memo_key_t) + 1 + strlen(font) + 1 + 3 * sizeof(double) +
               (tlen < 0 ? strlen(text) : (size_t)tlen);
    return memo_key(g_malloc(n), n, kind, font, size, width, extra, text, tlen);
}

static const measure *memo_get(worker *w, const memo_key_t *key)
{
    return w && key ? g_hash_table_lookup(w->memo, key) : NULL;
}

/* Keeps value under a copy of key in t, emptied first when it holds max. */
static void table_put(GHashTable *t, guint max, const memo_key_t *key, gpointer value)
{
    if (g_hash_table_size(t) >= max)
        g_hash_table_remove_all(t);
    memo_key_t *k = g_malloc(sizeof *k + key->len);
    memcpy(k, key, sizeof *k + key->len);
    g_hash_table_replace(t, k, value);
}

/* Keeps m under a copy of key. */
static void memo_put(worker *w, const memo_key_t *key, measure m)
{
    if (!w || !key)
        return;
    measure *v = g_new(measure, 1);
    *v = m;
    table_put(w->memo, MEMO_MAX, key, v);
}

/* Room for a key: longer texts (rare in a table) are measured each time. */
#define KEY_ROOM 1024
typedef union {
    memo_key_t k;
    char bytes[KEY_ROOM];
} key_buf;

static PangoLayout *layout_for(pdf *p, const char *font, double size, double width)
{
    worker *w = worker_get();
    PangoLayout *l;
    if (w) {
        l = pango_layout_new(w->ctx);
    } else { /* no memory for the thread's state: a context of the layout's own */
        l = pango_cairo_create_layout(p->cr);
        pango_context_set_language(pango_layout_get_context(l), pango_language_from_string("zh-cn"));
    }
    set_font(w, l, font, size);
    if (width > 0) {
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    return l;
}

/* The natural size (pango units) of text on one line at font and size. */
static void natural_size(pdf *p, const char *font, const char *text, double size, int *pw, int *ph)
{
    worker *w = worker_get();
    key_buf kb;
    const memo_key_t *key = memo_key(kb.bytes, sizeof kb, 'n', font, size, 0, 0, text, -1);
    const measure *m = memo_get(w, key);
    if (m) {
        *pw = m->w;
        *ph = m->h;
        return;
    }
    PangoLayout *l = layout_for(p, font, size, -1);
    pango_layout_set_text(l, text, -1);
    pango_layout_get_size(l, pw, ph);
    g_object_unref(l);
    memo_put(w, key, (measure){*pw, *ph, 0});
}

/* Layouts kept per thread from one document to the next (the same table
 * headings, codes and zeros, contents lines, page numbers and sentences
 * come back in every department), up to KEPT_LAYOUTS of them: kept_get
 * gives a new reference to the layout kept under key (NULL: none),
 * kept_put keeps l (a reference of its own) under a copy of key. */
#define KEPT_LAYOUTS 8192
static PangoLayout *kept_get(worker *w, const memo_key_t *key)
{
    PangoLayout *l = w && key ? g_hash_table_lookup(w->layouts, key) : NULL;
    return l ? g_object_ref(l) : NULL;
}

static void kept_put(worker *w, const memo_key_t *key, PangoLayout *l)
{
    if (!w || !key)
        return;
    table_put(w->layouts, KEPT_LAYOUTS, key, g_object_ref(l));
}

/* The laid-out text at font and size, set in width (points) with align,
 * and with a tab stop 30 points before the end of the width when tab,
 * kept between documents (kind tells the callers' apart). The caller owns
 * a reference. */
static PangoLayout *kept_layout(pdf *p, char kind, const char *font, const char *text, double size, double width,
                                PangoAlignment align, bool tab)
{
    worker *w = worker_get();
    key_buf kb;
    const memo_key_t *key = w ? memo_key(kb.bytes, sizeof kb, kind, font, size, width, align, text, -1) : NULL;
    PangoLayout *l = kept_get(w, key);
    if (l)
        return l;
    l = layout_for(p, font, size, width);
    pango_layout_set_alignment(l, align);
    if (tab) {
        PangoTabArray *tabs = pango_tab_array_new_with_positions(1, TRUE, PANGO_TAB_LEFT, (int)(width - 30));
        pango_layout_set_tabs(l, tabs);
        pango_tab_array_free(tabs);
    }
    pango_layout_set_text(l, text, -1);
    kept_put(w, key, l);
    return l;
}

static void footer(pdf *p)
{
    if (!p->draw || p->page <= 1)
        return;
    char buf[32];
    snprintf(buf, sizeof buf, "— %d —", p->page - 1);
    PangoLayout *l = kept_layout(p, 'f', "Noto Sans CJK SC", buf, 8, TEXT_W, PANGO_ALIGN_CENTER, false);
    cairo_move_to(p->cr, MARGIN, p->ph - MARGIN / 2);
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

/* Starts a page in the orientation asked for unless the current page is
 * still empty and already so (a page's size is set before anything is
 * drawn on it). */
static void page_oriented(pdf *p, bool landscape)
{
    bool is = p->pw > p->ph;
    if (is == landscape)
        return;
    if (p->y > MARGIN)
        new_page(p);
    p->pw = landscape ? PAGE_H : PAGE_W;
    p->ph = landscape ? PAGE_W : PAGE_H;
    cairo_pdf_surface_set_size(cairo_get_target(p->cr), p->pw, p->ph);
}

/* The width to set a cell's text in, within w: the text's natural width
 * when it fits; else the narrowest width that keeps its number of lines, so
 * that the lines come out even and no character is left alone on the last
 * one ("功能分类科目编/码"). */
static double text_width(pdf *p, const char *font, const char *text, double w, double size)
{
    int pw, ph;
    natural_size(p, font, text, size, &pw, &ph);
    double natural = pw / (double)PANGO_SCALE;
    if (natural <= w || w <= 0)
        return w;
    worker *wk = worker_get();
    key_buf kb;
    const memo_key_t *key = memo_key(kb.bytes, sizeof kb, 'w', font, size, w, 0, text, -1);
    const measure *m = memo_get(wk, key);
    if (m)
        return m->d;
    PangoLayout *l = layout_for(p, font, size, w);
    pango_layout_set_text(l, text, -1);
    int lines = pango_layout_get_line_count(l);
    double best = w;
    /* narrower by a character at a time while the lines stay as many */
    for (double t = w - size; t >= natural / lines && t > size; t -= size) {
        pango_layout_set_width(l, (int)(t * PANGO_SCALE));
        if (pango_layout_get_line_count(l) != lines)
            break;
        best = t;
    }
    g_object_unref(l);
    memo_put(wk, key, (measure){0, 0, best});
    return best;
}

/* Whether every line of l, laid out without a width, is left to right and
 * within width points: then pango, given that width, would break none of
 * them and place each where it is. */
static bool lines_fit(PangoLayout *l, double width)
{
    int w = (int)(width * PANGO_SCALE);
    bool fit = true;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle r;
        pango_layout_iter_get_line_extents(it, NULL, &r);
        fit = pango_layout_iter_get_line_readonly(it)->resolved_dir == PANGO_DIRECTION_LTR && r.x >= 0 &&
              r.x + r.width <= w;
    } while (fit && pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return fit;
}

/* Whether the longest of the lines in the len bytes at text (-1: up to the
 * NUL) has at most n characters. */
static bool lines_at_most(const char *text, int len, long n)
{
    const char *end = len < 0 ? text + strlen(text) : text + len;
    long chars = 0;
    for (const char *c = text; c < end; c++) {
        if (*c == '\n')
            chars = 0;
        else if ((*c & 0xC0) != 0x80 && ++chars > n)
            return false;
    }
    return true;
}

/* The layout of the len bytes at text, set in lines of width points (left
 * of them: indent, aligned as align), a line of the text each paragraph.
 * Lines that are short enough to fit (a list of units) are first laid out
 * without a width, and kept so when none is wider: pango shapes each
 * line of a layout with a width twice, and the result is the same. */
static PangoLayout *paragraph_layout(pdf *p, const char *text, int len, const char *font, double size,
                                     double width, double indent, PangoAlignment align)
{
    /* tried only where every line will likely fit (a character rarely takes
     * more than 1.25 times its size, positions rounded): lines_fit decides */
    bool try_natural = align == PANGO_ALIGN_LEFT && indent >= 0 &&
                       lines_at_most(text, len, (long)((width - indent) / (size * 1.25)));
    PangoLayout *l = layout_for(p, font, size, try_natural ? -1 : width);
    pango_layout_set_alignment(l, align);
    pango_layout_set_indent(l, (int)(indent * PANGO_SCALE));
    pango_layout_set_spacing(l, (int)(size * 0.5 * PANGO_SCALE));
    pango_layout_set_text(l, text, len);
    if (try_natural && !lines_fit(l, width)) { /* laid out again at the width */
        pango_layout_set_width(l, (int)(width * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    }
    return l;
}

/* One line of a paragraph (no line break in the len bytes at text), split
 * across pages line by line as pango wraps it. */
static void text_lines(pdf *p, const char *text, int len, const char *font, double size, double indent,
                       PangoAlignment align, bool even)
{
    /* even: a centred one-line paragraph (titles, captions), set in even lines */
    double width = even ? text_width(p, font, text, TEXT_W, size) : TEXT_W;
    double left = MARGIN + (TEXT_W - width) / 2;
    /* a sentence of up to a key's room is kept between documents (the
     * same definitions and sentences come back in every department), a
     * longer text for the document's two passes */
    worker *w = worker_get();
    key_buf kb;
    const memo_key_t *kept = w ? memo_key(kb.bytes, sizeof kb, 'p', font, size, width, indent * 16 + align, text, len)
                               : NULL;
    memo_key_t *key = !kept && p->paragraphs ? key_new('p', font, size, width, indent * 16 + align, text, len) : NULL;
    PangoLayout *l = kept ? kept_get(w, kept) : key ? g_hash_table_lookup(p->paragraphs, key) : NULL;
    if (l) {
        if (key) {
            g_free(key);
            g_object_ref(l);
        }
    } else {
        l = paragraph_layout(p, text, len, font, size, width, indent, align);
        if (kept)
            kept_put(w, kept, l);
        else if (key)
            g_hash_table_replace(p->paragraphs, key, g_object_ref(l));
    }
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
            cairo_move_to(p->cr, left + r.x / (double)PANGO_SCALE, top + baseline / (double)PANGO_SCALE - base);
            pango_cairo_show_layout_line(p->cr, line);
        }
        p->y = top + ly - base + lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
}

/* Text paragraph (or heading). Its lines (a list of thousands of units)
 * are laid out LINES_A_LAYOUT at a time, each group a layout of its own:
 * pango places the paragraphs of a layout one under another with the line
 * spacing between them, as the groups are placed here, and one layout of
 * the whole list costs time quadratic in its length (a layout a line
 * costs a layout's overhead for each of thousands of lines; 4 to 16 lines
 * a layout cost least, 32 about 3% more instructions a line). */
#define LINES_A_LAYOUT 8
static void text_block(pdf *p, const char *text, const char *font, double size, double indent,
                       PangoAlignment align, double space_after)
{
    bool even = align == PANGO_ALIGN_CENTER && !strchr(text, '\n');
    for (;;) {
        const char *nl = strchr(text, '\n');
        for (int k = 1; nl && k < LINES_A_LAYOUT; k++) {
            const char *next = strchr(nl + 1, '\n');
            if (!next)
                break;
            nl = next;
        }
        text_lines(p, text, nl ? (int)(nl - text) : -1, font, size, indent, align, even);
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
    int *rows, *from; /* merged headings (js_grid_head_merge), NULL: none */
} ttable;

static double cell_height(pdf *p, const char *text, double w, double size)
{
    const char *font = "Noto Sans CJK SC";
    double tw = text_width(p, font, text, w - 4, size);
    int pw, ph;
    natural_size(p, font, text, size, &pw, &ph);
    if (pw / (double)PANGO_SCALE > tw) { /* wrapped: measured at its width */
        worker *wk = worker_get();
        key_buf kb;
        const memo_key_t *key = memo_key(kb.bytes, sizeof kb, 'h', font, size, tw, 0, text, -1);
        const measure *m = memo_get(wk, key);
        if (m) {
            ph = m->h;
        } else {
            PangoLayout *l = layout_for(p, font, size, tw);
            pango_layout_set_text(l, text, -1);
            pango_layout_get_size(l, &pw, &ph);
            g_object_unref(l);
            memo_put(wk, key, (measure){pw, ph, 0});
        }
    }
    return ph / (double)PANGO_SCALE + 4;
}

static PangoLayout *cell_layout(pdf *p, const char *font, const char *text, double size, double tw,
                                PangoAlignment align)
{
    return kept_layout(p, 'l', font, text, size, tw, align, false);
}

/* Draws one cell (its box at y, h high, and its text) with the text of
 * cell. The box is stroked cell by cell, each before its text: a table's
 * rules as one path would put the texts of a page side by side in the
 * content stream, where cairo joins them into runs placed relative to one
 * another, and pdftotext then reads the cells in another order. */
static void draw_cell(pdf *p, const tcell *cell, double x0, double w, double y, double h, double size)
{
    cairo_rectangle(p->cr, x0, y, w, h);
    if (cell->head) {
        cairo_set_source_rgb(p->cr, 0.94, 0.94, 0.94);
        cairo_fill_preserve(p->cr);
    }
    cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
    cairo_set_line_width(p->cr, 0.4);
    cairo_stroke(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    if (!cell->text[0])
        return;
    double tw = text_width(p, "Noto Sans CJK SC", cell->text, w - 4, size);
    PangoLayout *l = cell_layout(p, "Noto Sans CJK SC", cell->text, size, tw,
                                 cell->head ? PANGO_ALIGN_CENTER : cell->right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    int lw, lh;
    pango_layout_get_size(l, &lw, &lh);
    /* headings centred in their cell, both ways; a narrowed text too */
    double dx = cell->head || cell->right ? (w - 4 - tw) / (cell->head ? 2 : 1) : 0;
    double dy = cell->head ? (h - 4 - lh / (double)PANGO_SCALE) / 2 : 0;
    cairo_move_to(p->cr, x0 + 2 + dx, y + 2 + dy);
    pango_cairo_show_layout(p->cr, l);
    g_object_unref(l);
}

static void draw_row(pdf *p, const ttable *t, int r, const double *x, double h, double size)
{
    if (!p->draw)
        return;
    for (int c = 0; c < t->ncols; c++) {
        const tcell *cell = &t->cells[r * t->ncols + c];
        if (cell->span > 0)
            draw_cell(p, cell, x[c], x[c + cell->span] - x[c], p->y, h, size);
    }
}

/* The heading lines, merged as the template prints them (t->rows): drawn
 * from p->y, which moves under them. */
static void draw_head(pdf *p, const ttable *t, const double *x, const double *h, double size)
{
    double y0 = p->y;
    for (int r = 0; r < t->nhead; r++)
        p->y += h[r];
    if (!p->draw)
        return;
    double y = y0;
    for (int r = 0; r < t->nhead; y += h[r], r++)
        for (int c = 0; c < t->ncols; c++) {
            int down = t->rows ? t->rows[r * t->ncols + c] : 1;
            const tcell *cell = &t->cells[(t->from ? t->from[r * t->ncols + c] : r) * t->ncols + c];
            if (down == 0 || t->cells[r * t->ncols + c].span == 0)
                continue;
            double hh = 0;
            for (int k = r; k < r + down; k++)
                hh += h[k];
            draw_cell(p, cell, x[c], x[c + cell->span] - x[c], y, hh, size);
        }
}

/* A table's column edges and row heights at TABLE_PT on the current page. */
typedef struct {
    double *x, *h;
    double keep; /* the heading rows and the first body row, kept together */
} tlayout;

/* The natural width of each column (single cells), at least 18 pt. */
static double *natural_widths(pdf *p, const ttable *t)
{
    double *natural = calloc((size_t)t->ncols + 1, sizeof *natural);
    for (int r = 0; natural && r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const tcell *cell = &t->cells[r * t->ncols + c];
            if (cell->span != 1)
                continue;
            int pw, ph;
            natural_size(p, "Noto Sans CJK SC", cell->text, TABLE_PT, &pw, &ph);
            double w = pw / (double)PANGO_SCALE;
            /* a heading may take up to three even lines, but keeps a short
             * word ("行次") or four characters on one */
            if (cell->head && w > 4.5 * TABLE_PT)
                w = w / 3 > 4.5 * TABLE_PT ? w / 3 : 4.5 * TABLE_PT;
            w += 6;
            if (w > natural[c])
                natural[c] = w > 160 ? 160 : w;
        }
    for (int c = 0; natural && c < t->ncols; c++)
        if (natural[c] < 18)
            natural[c] = 18;
    return natural;
}

/* Whether the table needs more than a portrait page's width at TABLE_PT:
 * its figures at their width, its text columns wrapped at 100 pt. */
static bool table_wide(pdf *p, const ttable *t)
{
    double *natural = natural_widths(p, t), need = 0;
    for (int c = 0; natural && c < t->ncols; c++) {
        bool numeric = false;
        for (int r = t->nhead; r < t->nrows; r++)
            numeric = numeric || (t->cells[r * t->ncols + c].right && t->cells[r * t->ncols + c].text[0]);
        need += numeric || natural[c] < 100 ? natural[c] : 100;
    }
    free(natural);
    return need > PAGE_W - 2 * MARGIN;
}

static bool table_measure(pdf *p, const ttable *t, tlayout *L)
{
    double *natural = natural_widths(p, t);
    bool *numeric = calloc((size_t)t->ncols + 1, sizeof *numeric);
    L->x = calloc((size_t)t->ncols + 2, sizeof *L->x);
    L->h = calloc((size_t)t->nrows + 1, sizeof *L->h);
    if (!natural || !numeric || !L->x || !L->h) {
        free(natural);
        free(numeric);
        return false;
    }
    /* Figures keep their natural width; text columns share what is left. */
    double fixed = 0, flexible = 0;
    for (int c = 0; c < t->ncols; c++) {
        for (int r = t->nhead; r < t->nrows; r++)
            if (t->cells[r * t->ncols + c].right && t->cells[r * t->ncols + c].text[0])
                numeric[c] = true;
        if (numeric[c])
            fixed += natural[c];
        else
            flexible += natural[c];
    }
    double scale_flex = flexible > 0 ? (TEXT_W - fixed) / flexible : 1, scale_all = 1;
    if (fixed + flexible <= TEXT_W || scale_flex < 0.3) /* fits, or too little room: scale all */
        scale_flex = scale_all = TEXT_W / (fixed + flexible);
    L->x[0] = MARGIN;
    for (int c = 0; c < t->ncols; c++)
        L->x[c + 1] = L->x[c] + natural[c] * (numeric[c] ? scale_all : scale_flex);
    free(numeric);
    free(natural);
    L->keep = 0;
    for (int r = 0; r < t->nrows; r++) {
        L->h[r] = 12;
        for (int c = 0; c < t->ncols; c++) {
            const tcell *cell = &t->cells[r * t->ncols + c];
            if (cell->span == 0)
                continue;
            double ch = cell_height(p, cell->text, L->x[c + cell->span] - L->x[c], TABLE_PT);
            if (ch > L->h[r])
                L->h[r] = ch;
        }
        if (r <= t->nhead)
            L->keep += L->h[r];
    }
    return true;
}

static void tlayout_release(tlayout *L)
{
    free(L->x);
    free(L->h);
}

/* Draws a measured table from p->y: the heading rows stay with the first
 * body row, and come again at the top of every page the table goes on to. */
static void table_draw(pdf *p, const ttable *t, const tlayout *L)
{
    if (p->y + L->keep > BOTTOM)
        new_page(p);
    draw_head(p, t, L->x, L->h, TABLE_PT);
    for (int r = t->nhead; r < t->nrows; r++) {
        if (p->y + L->h[r] > BOTTOM) {
            new_page(p);
            draw_head(p, t, L->x, L->h, TABLE_PT); /* headings again */
        }
        draw_row(p, t, r, L->x, L->h[r], TABLE_PT);
        p->y += L->h[r];
    }
    p->y += 8;
}

static void table_block(pdf *p, const ttable *t)
{
    tlayout L;
    if (table_measure(p, t, &L))
        table_draw(p, t, &L);
    tlayout_release(&L);
}

/* The height a text block would take at the current width (memoised). */
static double text_height(pdf *p, const char *text, const char *font, double size)
{
    worker *w = worker_get();
    key_buf kb;
    const memo_key_t *key = memo_key(kb.bytes, sizeof kb, 't', font, size, TEXT_W, 0, text, -1);
    const measure *m = memo_get(w, key);
    if (m)
        return m->h / (double)PANGO_SCALE;
    PangoLayout *l = layout_for(p, font, size, TEXT_W);
    pango_layout_set_spacing(l, (int)(size * 0.5 * PANGO_SCALE));
    pango_layout_set_text(l, text, -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    g_object_unref(l);
    memo_put(w, key, (measure){pw, ph, 0});
    return ph / (double)PANGO_SCALE;
}

/* A printed table as a ttable (cells point into g) with its merged
 * headings; false when out of memory. */
static bool grid_ttable(const js_grid *g, ttable *t)
{
    size_t nh = (size_t)(g->nhead > 0 ? g->nhead : 1) * (size_t)g->ncols;
    *t = (ttable){calloc((size_t)(g->nlines * g->ncols) + 1, sizeof(tcell)), g->nlines, g->ncols, g->nhead,
                  calloc(nh, sizeof(int)), calloc(nh, sizeof(int))};
    if (!t->cells || !t->rows || !t->from)
        return false;
    for (int l = 0; l < g->nlines; l++)
        for (int c = 0; c < g->ncols; c++) {
            const js_gcell *x = js_grid_at(g, l, c);
            t->cells[l * g->ncols + c] = (tcell){x->text, x->span, x->align == JS_ALIGN_RIGHT, l < g->nhead};
        }
    js_grid_head_merge(g, t->rows, t->from);
    return true;
}

static void ttable_release(ttable *t)
{
    free(t->cells);
    free(t->rows);
    free(t->from);
}

/* Whether the table of block b is set on landscape pages. */
static bool block_wide(pdf *p, const block *b)
{
    if (b->k != B_TABLE)
        return false;
    js_grid g;
    if (!js_grid_build(p->r->ts, b->table, true, &g))
        return false;
    ttable tt;
    bool wide = grid_ttable(&g, &tt) && table_wide(p, &tt);
    ttable_release(&tt);
    js_grid_release(&g);
    return wide;
}

/* block_wide of the report's block i, measured once. */
static bool block_landscape(pdf *p, size_t i)
{
    if (!p->blocks)
        return block_wide(p, &p->r->blocks[i]);
    if (!p->blocks[i].wide)
        p->blocks[i].wide = block_wide(p, &p->r->blocks[i]) ? 2 : 1;
    return p->blocks[i].wide == 2;
}

static void grid_table(pdf *p, const js_table *t)
{
    js_grid g;
    if (!js_grid_build(p->r->ts, t, true, &g))
        return;
    char cap[1024];
    snprintf(cap, sizeof cap, "%s\n%s　%s：%s　%s", t->title, t->def->number, js_tableset_entity_label(p->r->ts),
             js_tableset_entity(p->r->ts), t->def->unit_label);
    ttable tt;
    tlayout L;
    if (grid_ttable(&g, &tt) && table_measure(p, &tt, &L)) {
        /* the caption stays with the headings and the first row */
        if (p->y + text_height(p, cap, "Noto Sans CJK SC", CAPTION_PT) + 4 + L.keep > BOTTOM)
            new_page(p);
        text_block(p, cap, "Noto Sans CJK SC", CAPTION_PT, 0, PANGO_ALIGN_CENTER, 4);
        table_draw(p, &tt, &L);
        tlayout_release(&L);
    }
    ttable_release(&tt);
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
    ttable t = {calloc((nr + 1) * (size_t)nc, sizeof(tcell)), (int)nr + 1, nc, 1, NULL, NULL};
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
        text_block(p, js_report_perf_title(r, it), "Noto Sans CJK SC", CAPTION_PT, 0, PANGO_ALIGN_CENTER, 4);
        ttable t = {calloc(pt.n * PERF_COLS + 1, sizeof(tcell)), (int)pt.n, PERF_COLS, 0, NULL, NULL};
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
        double col[3];
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
                js_chart_colour(i, col);
                cairo_set_source_rgb(p->cr, col[0], col[1], col[2]);
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
                js_chart_colour(i, col);
                cairo_set_source_rgb(p->cr, col[0], col[1], col[2]);
                cairo_move_to(p->cr, cx, cy);
                cairo_arc(p->cr, cx, cy, rad, a, a2);
                cairo_close_path(p->cr);
                cairo_fill(p->cr);
                a = a2;
            }
            /* the legend as the SVG's: the slice's colour, label, value and share */
            for (size_t i = 0; i < c->n; i++) {
                char line[256], pct[32];
                double ly = p->y + 40 + 16.0 * (double)i;
                js_chart_colour(i, col);
                cairo_set_source_rgb(p->cr, col[0], col[1], col[2]);
                cairo_rectangle(p->cr, MARGIN + 240, ly + 2, 8, 8);
                cairo_fill(p->cr);
                cairo_set_source_rgb(p->cr, 0, 0, 0);
                js_money_format_wan(c->values[i], false, v, sizeof v);
                js_chart_share(c, i, pct, sizeof pct);
                snprintf(line, sizeof line, "%s %s万元（%s%%）", c->labels[i], v, pct);
                label(p, line, MARGIN + 252, ly, 8.5, PANGO_ALIGN_LEFT, 250);
            }
        }
    }
    p->y += h;
    text_block(p, c->title, "Noto Sans CJK SC", 8.5, 0, PANGO_ALIGN_CENTER, 10);
}

/* ---- the document ---------------------------------------------------- */

/* The room a heading needs at the foot of a page: itself and the start of
 * what follows — a table's caption, headings and first row, a chart, or
 * three lines of text — so that it never stands alone there. */
static double keep_after_measure(pdf *p, const block *h, const block *next)
{
    double need = text_height(p, h->text, "Noto Serif CJK SC", 12) + 10;
    if (!next)
        return need;
    if (next->k == B_TABLE) {
        js_grid g;
        if (!js_grid_build(p->r->ts, next->table, true, &g))
            return need + 120;
        ttable tt;
        tlayout L = {0};
        if (grid_ttable(&g, &tt) && table_measure(p, &tt, &L))
            need += 2 * CAPTION_PT * 1.5 + 8 + L.keep;
        tlayout_release(&L);
        ttable_release(&tt);
        js_grid_release(&g);
        return need;
    }
    if (next->k == B_CHART)
        return need + 240;
    if (next->k == B_SHEET || next->k == B_PERF)
        return need + 80;
    return need + 3 * 10.5 * 1.5;
}


/* keep_after_measure of the report's block i, measured once a page width. */
static double keep_after(pdf *p, size_t i)
{
    const js_report *r = p->r;
    const block *next = i + 1 < r->n ? &r->blocks[i + 1] : NULL;
    if (!p->blocks)
        return keep_after_measure(p, &r->blocks[i], next);
    struct block_memo *m = &p->blocks[i];
    if (m->keep_pw != p->pw) {
        m->keep = keep_after_measure(p, &r->blocks[i], next);
        m->keep_pw = p->pw;
    }
    return m->keep;
}

static void run(pdf *p)
{
    const js_report *r = p->r;
    worker *w = worker_get();
    if (w) /* the surface's font options, as pango_cairo_create_layout takes them */
        worker_update(w, p->cr);
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
            PangoLayout *l = kept_layout(p, 'c', "Noto Serif CJK SC", line, r->blocks[k].level == 2 ? 11 : 9.5, TEXT_W,
                                         PANGO_ALIGN_LEFT, true);
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
        /* a wide table, and the heading just before it, on landscape pages */
        const block *next = i + 1 < r->n ? &r->blocks[i + 1] : NULL;
        bool landscape = block_landscape(p, i) || (b->k == B_HEADING && next && block_landscape(p, i + 1));
        if (landscape != (p->pw > p->ph) && !(b->k == B_HEADING && b->level <= 2))
            page_oriented(p, landscape);
        switch (b->k) {
        case B_HEADING:
            if (b->level <= 2) {
                new_page(p);
                page_oriented(p, landscape);
            } else if (p->y + keep_after(p, i) > BOTTOM) {
                new_page(p);
            }
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

/* The plugin's entry point (pdf_plugin.c): several threads may render at
 * once, each with its own state (worker_get). */
__attribute__((visibility("default"))) js_status js_pdf_plugin_render(const js_report *r, js_buf *out);

js_status js_pdf_plugin_render(const js_report *r, js_buf *out)
{
    int *pages = calloc(r->n + 1, sizeof *pages);
    struct block_memo *blocks = calloc(r->n + 1, sizeof *blocks);
    if (!pages || !blocks) {
        free(pages);
        free(blocks);
        return JS_E_NOMEM;
    }
    /* pass 1: page numbers, on a surface that draws nothing */
    cairo_surface_t *probe = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(probe);
    GHashTable *paragraphs = g_hash_table_new_full(key_hash, key_equal, g_free, g_object_unref);
    pdf p = {r, cr, false, 1, MARGIN, pages, PAGE_W, PAGE_H, paragraphs, blocks};
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
    p = (pdf){r, cr, true, 1, MARGIN, pages, PAGE_W, PAGE_H, paragraphs, blocks};
    run(&p);
    g_hash_table_destroy(paragraphs);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    free(pages);
    free(blocks);
    return cs == CAIRO_STATUS_SUCCESS && js_buf_ok(out) ? JS_OK : JS_E_IO;
}
