/* See xlsx_book.h. The parts follow ECMA-376 (SpreadsheetML), written
 * with only the elements the tables use, in the order the schema wants. */
#include "xlsx_book.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "strmap.h"
#include "vec.h"
#include "zip_write.h"

enum { CELL_BLANK, CELL_TEXT, CELL_NUMBER };

typedef struct {
    uint32_t row, col, seq;
    int style, kind;
    uint32_t text;      /* CELL_TEXT: index in the shared strings */
    const char *number; /* CELL_NUMBER: the decimal text */
} xcell;

typedef struct {
    uint32_t r1, c1, r2, c2;
} xrange;

typedef struct {
    uint32_t c1, c2;
    double chars;
    int style;
} xcols;

typedef struct {
    uint32_t row, col;
    const char *text;
} xcomment;

typedef struct {
    xrange at;
    const char *range;
} xlist;

struct js_xsheet {
    js_xbook *book;
    const char *name;
    xcell *cells;
    size_t ncells, cells_cap;
    xrange *merges;
    size_t nmerges, merges_cap;
    xcols *cols;
    size_t ncols, cols_cap;
    struct xheight {
        uint32_t row;
        double points;
    } *heights;
    size_t nheights, heights_cap;
    xcomment *comments;
    size_t ncomments, comments_cap;
    xlist *lists;
    size_t nlists, lists_cap;
    bool hidden;
    uint32_t freeze;
    int paper;
    bool landscape, one_page;
    bool repeat;
    uint32_t repeat1, repeat2;
};

struct js_xbook {
    js_arena arena;
    bool failed;
    bool bad_sheet;     /* a sheet name was refused: */
    char bad_name[128]; /* this one */
    bool too_big;       /* a cell Excel cannot hold: */
    char big_what[256]; /* what and where, for the message */
    js_xstyle *styles; /* [0] is the default */
    size_t nstyles, styles_cap;
    js_xsheet **sheets;
    size_t nsheets, sheets_cap;
    js_strmap text_index;
    const char **texts;
    size_t ntexts, texts_cap, text_uses;
};

js_xbook *js_xbook_new(void)
{
    js_xbook *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    js_arena_init(&b->arena);
    if (!js_vec_reserve(&b->styles, &b->styles_cap, 1, sizeof *b->styles)) {
        free(b);
        return NULL;
    }
    b->styles[0] = (js_xstyle){0};
    b->nstyles = 1;
    return b;
}

void js_xbook_free(js_xbook *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->nsheets; i++) {
        free(b->sheets[i]->cells);
        free(b->sheets[i]->merges);
        free(b->sheets[i]->cols);
        free(b->sheets[i]->heights);
        free(b->sheets[i]->comments);
        free(b->sheets[i]->lists);
        free(b->sheets[i]);
    }
    free(b->sheets);
    free(b->styles);
    free(b->texts);
    js_strmap_free(&b->text_index);
    js_arena_release(&b->arena);
    free(b);
}

static bool same_style(const js_xstyle *a, const js_xstyle *b)
{
    return a->bold == b->bold && a->size == b->size && a->align == b->align && a->vcenter == b->vcenter &&
           a->wrap == b->wrap && a->border == b->border && a->fill == b->fill &&
           !strcmp(a->numfmt ? a->numfmt : "", b->numfmt ? b->numfmt : "");
}

int js_xbook_style(js_xbook *b, const js_xstyle *s)
{
    for (size_t i = 0; i < b->nstyles; i++)
        if (same_style(&b->styles[i], s))
            return (int)i;
    if (b->failed || !js_vec_reserve(&b->styles, &b->styles_cap, b->nstyles + 1, sizeof *b->styles)) {
        b->failed = true;
        return 0;
    }
    js_xstyle *n = &b->styles[b->nstyles];
    *n = *s;
    if (s->numfmt && !(n->numfmt = js_arena_strdup(&b->arena, s->numfmt)))
        b->failed = true;
    return (int)b->nstyles++;
}

/* Excel's rules for a sheet name: 1 to 31 characters, none of []:*?/\
 * or a control character, no apostrophe first or last, unique (ignoring
 * ASCII case). */
static bool valid_sheet_name(const js_xbook *b, const char *name)
{
    size_t chars = 0, len = strlen(name);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        chars += (*p & 0xc0) != 0x80;
        if (*p < 0x20 || strchr("[]:*?/\\", *p))
            return false;
    }
    if (chars == 0 || chars > 31 || name[0] == '\'' || name[len - 1] == '\'')
        return false;
    for (size_t i = 0; i < b->nsheets; i++)
        if (!strcasecmp(b->sheets[i]->name, name))
            return false;
    return true;
}

js_xsheet *js_xbook_sheet(js_xbook *b, const char *name)
{
    if (!b->failed && !valid_sheet_name(b, name)) {
        snprintf(b->bad_name, sizeof b->bad_name, "%s", name);
        b->bad_sheet = b->failed = true;
    }
    js_xsheet *s = b->failed ? NULL : calloc(1, sizeof *s);
    if (!s || !(s->name = js_arena_strdup(&b->arena, name)) ||
        !js_vec_reserve(&b->sheets, &b->sheets_cap, b->nsheets + 1, sizeof *b->sheets)) {
        free(s);
        b->failed = true;
        return NULL;
    }
    s->book = b;
    return b->sheets[b->nsheets++] = s;
}

static void put_ref(js_buf *o, uint32_t row, uint32_t col);

size_t js_xlsx_text_length(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        n += (c & 0xc0) != 0x80; /* a character */
        n += c >= 0xf0;          /* beyond the BMP: a surrogate pair */
    }
    return n;
}

/* Refuses (sticky) a cell Excel cannot hold: past its last row or column,
 * or a text over JS_MAX_XLSX_CELL_CHARS. */
static bool fits(js_xsheet *s, uint32_t row, uint32_t col, const char *text)
{
    js_xbook *b = s->book;
    if (row < JS_MAX_XLSX_ROW && col < JS_MAX_XLSX_COLUMNS &&
        (!text || js_xlsx_text_length(text, strlen(text)) <= JS_MAX_XLSX_CELL_CHARS))
        return true;
    if (!b->failed && (row >= JS_MAX_XLSX_ROW || col >= JS_MAX_XLSX_COLUMNS)) {
        snprintf(b->big_what, sizeof b->big_what, "工作表“%s”超过 Excel 的 %ld 行、%d 列上限", s->name,
                 JS_MAX_XLSX_ROW, JS_MAX_XLSX_COLUMNS);
    } else if (!b->failed) {
        js_buf at;
        js_buf_init(&at, 32);
        put_ref(&at, row, col);
        snprintf(b->big_what, sizeof b->big_what, "工作表“%s”的单元格 %s 超过 Excel 每个单元格 %d 个字符的上限",
                 s->name, at.data ? at.data : "", JS_MAX_XLSX_CELL_CHARS);
        js_buf_release(&at);
    }
    b->too_big = !b->failed || b->too_big;
    b->failed = true;
    return false;
}

static xcell *add_cell(js_xsheet *s, uint32_t row, uint32_t col, int style, int kind)
{
    js_xbook *b = s->book;
    if (b->failed || !js_vec_reserve(&s->cells, &s->cells_cap, s->ncells + 1, sizeof *s->cells)) {
        b->failed = true;
        return NULL;
    }
    xcell *c = &s->cells[s->ncells];
    *c = (xcell){.row = row, .col = col, .seq = (uint32_t)s->ncells, .style = style, .kind = kind};
    s->ncells++;
    return c;
}

/* The shared-string index of text, added when new. */
static bool intern(js_xbook *b, const char *text, uint32_t *index)
{
    long k = js_strmap_get(&b->text_index, text, strlen(text));
    if (k < 0) {
        const char *copy = js_arena_strdup(&b->arena, text);
        if (!copy || !js_vec_reserve(&b->texts, &b->texts_cap, b->ntexts + 1, sizeof *b->texts) ||
            !js_strmap_put(&b->text_index, copy, (uint32_t)b->ntexts))
            return false;
        k = (long)b->ntexts;
        b->texts[b->ntexts++] = copy;
    }
    *index = (uint32_t)k;
    b->text_uses++;
    return true;
}

void js_xsheet_text(js_xsheet *s, uint32_t row, uint32_t col, const char *text, int style)
{
    xcell *c = fits(s, row, col, text) ? add_cell(s, row, col, style, text[0] ? CELL_TEXT : CELL_BLANK) : NULL;
    if (c && text[0] && !intern(s->book, text, &c->text))
        s->book->failed = true;
}

/* -?digits(.digits)? */
static bool plain_decimal(const char *s)
{
    s += *s == '-';
    size_t i = strspn(s, "0123456789");
    if (i == 0)
        return false;
    if (s[i] == '.') {
        size_t f = strspn(s + i + 1, "0123456789");
        return f > 0 && !s[i + 1 + f];
    }
    return !s[i];
}

void js_xsheet_number(js_xsheet *s, uint32_t row, uint32_t col, const char *decimal, int style)
{
    if (!plain_decimal(decimal)) {
        js_xsheet_text(s, row, col, decimal, style);
        return;
    }
    xcell *c = fits(s, row, col, NULL) ? add_cell(s, row, col, style, CELL_NUMBER) : NULL;
    if (c && !(c->number = js_arena_strdup(&s->book->arena, decimal)))
        s->book->failed = true;
}

void js_xsheet_merge(js_xsheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2, const char *text, int style)
{
    js_xbook *b = s->book;
    if (b->failed || !js_vec_reserve(&s->merges, &s->merges_cap, s->nmerges + 1, sizeof *s->merges)) {
        b->failed = true;
        return;
    }
    s->merges[s->nmerges++] = (xrange){r1, c1, r2, c2};
    for (uint32_t r = r1; r <= r2; r++)
        for (uint32_t c = c1; c <= c2; c++)
            js_xsheet_text(s, r, c, r == r1 && c == c1 ? text : "", style);
}

void js_xsheet_width(js_xsheet *s, uint32_t c1, uint32_t c2, double chars, int style)
{
    js_xbook *b = s->book;
    if (b->failed || !js_vec_reserve(&s->cols, &s->cols_cap, s->ncols + 1, sizeof *s->cols)) {
        b->failed = true;
        return;
    }
    s->cols[s->ncols++] = (xcols){c1, c2, chars, style};
}

void js_xsheet_height(js_xsheet *s, uint32_t row, double points)
{
    js_xbook *b = s->book;
    if (b->failed || !js_vec_reserve(&s->heights, &s->heights_cap, s->nheights + 1, sizeof *s->heights)) {
        b->failed = true;
        return;
    }
    s->heights[s->nheights++] = (struct xheight){row, points};
}

void js_xsheet_freeze(js_xsheet *s, uint32_t row)
{
    s->freeze = row;
}

void js_xsheet_page(js_xsheet *s, int paper, bool landscape, bool one_page)
{
    s->paper = paper;
    s->landscape = landscape;
    s->one_page = one_page;
}

void js_xsheet_repeat_rows(js_xsheet *s, uint32_t r1, uint32_t r2)
{
    s->repeat = true;
    s->repeat1 = r1;
    s->repeat2 = r2;
}

void js_xsheet_comment(js_xsheet *s, uint32_t row, uint32_t col, const char *text)
{
    js_xbook *b = s->book;
    const char *copy = b->failed ? NULL : js_arena_strdup(&b->arena, text);
    if (!copy || !js_vec_reserve(&s->comments, &s->comments_cap, s->ncomments + 1, sizeof *s->comments)) {
        b->failed = true;
        return;
    }
    s->comments[s->ncomments++] = (xcomment){row, col, copy};
}

void js_xsheet_list(js_xsheet *s, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2, const char *range)
{
    js_xbook *b = s->book;
    const char *copy = b->failed ? NULL : js_arena_strdup(&b->arena, range);
    if (!copy || !js_vec_reserve(&s->lists, &s->lists_cap, s->nlists + 1, sizeof *s->lists)) {
        b->failed = true;
        return;
    }
    s->lists[s->nlists++] = (xlist){{r1, c1, r2, c2}, copy};
}

void js_xsheet_hide(js_xsheet *s)
{
    s->hidden = true;
}

/* ---- writing the parts ---------------------------------------------- */

static void put_u32(js_buf *o, uint32_t v)
{
    char d[10];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    char out[10];
    for (int i = 0; i < n; i++)
        out[i] = d[n - 1 - i];
    js_buf_append(o, out, (size_t)n);
}

/* Column letters (0 -> A, 26 -> AA). */
static void put_col(js_buf *o, uint32_t col)
{
    char d[8];
    int n = 0;
    for (uint32_t c = col + 1; c > 0; c = (c - 1) / 26)
        d[n++] = (char)('A' + (c - 1) % 26);
    for (int i = n - 1; i >= 0; i--)
        js_buf_putc(o, d[i]);
}

static void put_ref(js_buf *o, uint32_t row, uint32_t col)
{
    put_col(o, col);
    put_u32(o, row + 1);
}

/* s escaped for XML. In cell text (cell), what XML cannot hold -- control
 * characters but tab and line feed, a carriage return (which XML turns into
 * a line feed), U+FFFE and U+FFFF -- becomes Excel's _xHHHH_, and an
 * underscore that would read as such an escape is itself escaped.
 * Elsewhere (names, attributes) those characters are left out. */
static void put_xml(js_buf *o, const char *s, bool cell)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *run = s;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        const char *rep = NULL;
        char esc[8];
        size_t skip = 1;
        unsigned code = ch;
        if (ch == 0xef && (unsigned char)s[1] == 0xbf && ((unsigned char)s[2] == 0xbe || (unsigned char)s[2] == 0xbf)) {
            code = 0xfffe + ((unsigned char)s[2] & 1);
            skip = 3;
        }
        if (ch == '&')
            rep = "&amp;";
        else if (ch == '<')
            rep = "&lt;";
        else if (ch == '>')
            rep = "&gt;";
        else if (ch == '"')
            rep = "&quot;";
        else if ((ch < 0x20 && ch != '\t' && ch != '\n') || skip == 3 ||
                 (cell && ch == '_' && s[1] == 'x' && strspn(s + 2, "0123456789abcdefABCDEF") >= 4 && s[6] == '_')) {
            esc[0] = '_';
            esc[1] = 'x';
            for (int k = 0; k < 4; k++)
                esc[2 + k] = hex[(code >> (12 - 4 * k)) & 15];
            esc[6] = '_';
            esc[7] = '\0';
            rep = cell ? esc : "";
        } else {
            continue;
        }
        js_buf_append(o, run, (size_t)(s - run));
        js_buf_puts(o, rep);
        s += skip - 1;
        run = s + 1;
    }
    js_buf_append(o, run, (size_t)(s - run));
}

static const char k_xml_head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
static const char k_ns_main[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char k_ns_rel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

static int cell_order(const void *pa, const void *pb)
{
    const xcell *a = pa, *b = pb;
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    if (a->col != b->col)
        return a->col < b->col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Excel stores a column width as the characters plus padding, in 1/256
 * of a character of the default font (7 pixels wide, 5 of padding). */
static double stored_width(double chars)
{
    double px = chars < 1 ? floor(chars * 12 + 0.5) : floor(chars * 7 + 0.5) + 5;
    return floor(px / 7 * 256) / 256;
}

static void write_sheet(js_buf *o, js_xsheet *s, bool first)
{
    /* cells mostly come row by row: sorted only when they are not */
    size_t sorted = 1;
    while (sorted < s->ncells && cell_order(&s->cells[sorted - 1], &s->cells[sorted]) < 0)
        sorted++;
    if (sorted < s->ncells)
        qsort(s->cells, s->ncells, sizeof *s->cells, cell_order);
    /* a cell written twice keeps its last value */
    size_t n = 0;
    uint32_t maxrow = 0, maxcol = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        if (n && s->cells[n - 1].row == s->cells[i].row && s->cells[n - 1].col == s->cells[i].col)
            n--;
        s->cells[n++] = s->cells[i];
        if (s->cells[i].row > maxrow)
            maxrow = s->cells[i].row;
        if (s->cells[i].col > maxcol)
            maxcol = s->cells[i].col;
    }
    s->ncells = n;
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<worksheet xmlns=\"%s\" xmlns:r=\"%s\">", k_ns_main, k_ns_rel);
    if (s->paper)
        js_buf_puts(o, "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    js_buf_puts(o, "<dimension ref=\"");
    put_ref(o, 0, 0);
    if (n) {
        js_buf_putc(o, ':');
        put_ref(o, maxrow, maxcol);
    }
    js_buf_puts(o, "\"/><sheetViews><sheetView");
    if (first)
        js_buf_puts(o, " tabSelected=\"1\"");
    js_buf_puts(o, " workbookViewId=\"0\"");
    if (s->freeze) {
        js_buf_printf(o, "><pane ySplit=\"%u\" topLeftCell=\"", (unsigned)s->freeze);
        put_ref(o, s->freeze, 0);
        js_buf_puts(o, "\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\"/></sheetView>");
    } else {
        js_buf_puts(o, "/>");
    }
    js_buf_puts(o, "</sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>");
    if (s->ncols) {
        js_buf_puts(o, "<cols>");
        for (size_t i = 0; i < s->ncols; i++) {
            const xcols *c = &s->cols[i];
            js_buf_printf(o, "<col min=\"%u\" max=\"%u\" width=\"%.10g\"", (unsigned)c->c1 + 1, (unsigned)c->c2 + 1,
                          stored_width(c->chars));
            if (c->style)
                js_buf_printf(o, " style=\"%d\"", c->style);
            js_buf_puts(o, " customWidth=\"1\"/>");
        }
        js_buf_puts(o, "</cols>");
    }
    js_buf_puts(o, "<sheetData>");
    for (size_t i = 0; i < n;) {
        uint32_t row = s->cells[i].row;
        js_buf_puts(o, "<row r=\"");
        put_u32(o, row + 1);
        js_buf_putc(o, '"');
        for (size_t k = s->nheights; k-- > 0;) /* the last height set wins */
            if (s->heights[k].row == row) {
                js_buf_printf(o, " ht=\"%.10g\" customHeight=\"1\"", s->heights[k].points);
                break;
            }
        js_buf_putc(o, '>');
        for (; i < n && s->cells[i].row == row; i++) {
            const xcell *c = &s->cells[i];
            js_buf_puts(o, "<c r=\"");
            put_ref(o, c->row, c->col);
            js_buf_putc(o, '"');
            if (c->style) {
                js_buf_puts(o, " s=\"");
                put_u32(o, (uint32_t)c->style);
                js_buf_putc(o, '"');
            }
            if (c->kind == CELL_BLANK) {
                js_buf_puts(o, "/>");
            } else if (c->kind == CELL_TEXT) {
                js_buf_puts(o, " t=\"s\"><v>");
                put_u32(o, c->text);
                js_buf_puts(o, "</v></c>");
            } else {
                js_buf_puts(o, "><v>");
                js_buf_puts(o, c->number);
                js_buf_puts(o, "</v></c>");
            }
        }
        js_buf_puts(o, "</row>");
    }
    js_buf_puts(o, "</sheetData>");
    if (s->nmerges) {
        js_buf_printf(o, "<mergeCells count=\"%zu\">", s->nmerges);
        for (size_t i = 0; i < s->nmerges; i++) {
            js_buf_puts(o, "<mergeCell ref=\"");
            put_ref(o, s->merges[i].r1, s->merges[i].c1);
            js_buf_putc(o, ':');
            put_ref(o, s->merges[i].r2, s->merges[i].c2);
            js_buf_puts(o, "\"/>");
        }
        js_buf_puts(o, "</mergeCells>");
    }
    if (s->nlists) {
        js_buf_printf(o, "<dataValidations count=\"%zu\">", s->nlists);
        for (size_t i = 0; i < s->nlists; i++) {
            const xrange *r = &s->lists[i].at;
            js_buf_puts(o, "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" "
                           "showErrorMessage=\"1\" sqref=\"");
            put_ref(o, r->r1, r->c1);
            js_buf_putc(o, ':');
            put_ref(o, r->r2, r->c2);
            js_buf_puts(o, "\"><formula1>");
            put_xml(o, s->lists[i].range, false);
            js_buf_puts(o, "</formula1></dataValidation>");
        }
        js_buf_puts(o, "</dataValidations>");
    }
    js_buf_puts(o, "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>");
    if (s->paper)
        js_buf_printf(o, "<pageSetup paperSize=\"%d\" fitToWidth=\"1\" fitToHeight=\"%d\" orientation=\"%s\"/>",
                      s->paper, s->one_page ? 1 : 0, s->landscape ? "landscape" : "portrait");
    if (s->ncomments)
        js_buf_puts(o, "<legacyDrawing r:id=\"rId1\"/>"); /* the sheet's rels: write_sheet_rels */
    js_buf_puts(o, "</worksheet>");
}

/* Index of v among the first n of the distinct values seen so far, adding
 * it when new (the lists are a handful long). */
static size_t slot(uint32_t *seen, size_t *n, uint32_t v)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == v)
            return i;
    seen[*n] = v;
    return (*n)++;
}

static void write_styles(js_buf *o, const js_xbook *b)
{
    size_t n = b->nstyles;
    uint32_t *fonts = calloc(n, sizeof *fonts), *fills = calloc(n + 2, sizeof *fills);
    size_t *font_of = calloc(n, sizeof *font_of), *fill_of = calloc(n, sizeof *fill_of), nfonts = 0, nfills = 2;
    const char **fmts = calloc(n, sizeof *fmts);
    size_t *fmt_of = calloc(n, sizeof *fmt_of), nfmts = 0;
    if (!fonts || !fills || !font_of || !fill_of || !fmts || !fmt_of) {
        o->failed = true;
        goto done;
    }
    fills[0] = fills[1] = UINT32_MAX; /* none, gray125: required first */
    for (size_t i = 0; i < n; i++) {
        const js_xstyle *s = &b->styles[i];
        font_of[i] = slot(fonts, &nfonts, (uint32_t)(s->size ? s->size : 11) << 1 | s->bold);
        fill_of[i] = s->fill ? slot(fills, &nfills, s->fill) : 0;
        fmt_of[i] = 0;
        if (s->numfmt) {
            size_t k = 0;
            while (k < nfmts && strcmp(fmts[k], s->numfmt))
                k++;
            if (k == nfmts)
                fmts[nfmts++] = s->numfmt;
            fmt_of[i] = 164 + k;
        }
    }
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<styleSheet xmlns=\"%s\">", k_ns_main);
    if (nfmts) {
        js_buf_printf(o, "<numFmts count=\"%zu\">", nfmts);
        for (size_t k = 0; k < nfmts; k++) {
            js_buf_printf(o, "<numFmt numFmtId=\"%zu\" formatCode=\"", 164 + k);
            put_xml(o, fmts[k], false);
            js_buf_puts(o, "\"/>");
        }
        js_buf_puts(o, "</numFmts>");
    }
    js_buf_printf(o, "<fonts count=\"%zu\">", nfonts);
    for (size_t k = 0; k < nfonts; k++)
        js_buf_printf(o, "<font>%s<sz val=\"%u\"/><name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>",
                      fonts[k] & 1 ? "<b/>" : "", (unsigned)(fonts[k] >> 1));
    js_buf_printf(o, "</fonts><fills count=\"%zu\"><fill><patternFill patternType=\"none\"/></fill>"
                     "<fill><patternFill patternType=\"gray125\"/></fill>", nfills);
    for (size_t k = 2; k < nfills; k++)
        js_buf_printf(o, "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FF%06X\"/><bgColor indexed=\"64\"/>"
                         "</patternFill></fill>", (unsigned)fills[k]);
    js_buf_puts(o, "</fills><borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border><border>"
                   "<left style=\"thin\"><color auto=\"1\"/></left><right style=\"thin\"><color auto=\"1\"/></right>"
                   "<top style=\"thin\"><color auto=\"1\"/></top><bottom style=\"thin\"><color auto=\"1\"/></bottom>"
                   "<diagonal/></border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
                   "fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
    js_buf_printf(o, "<cellXfs count=\"%zu\">", n);
    static const char *const halign[] = {NULL, "left", "center", "right"};
    for (size_t i = 0; i < n; i++) {
        const js_xstyle *s = &b->styles[i];
        bool align = s->align || s->vcenter || s->wrap;
        js_buf_printf(o, "<xf numFmtId=\"%zu\" fontId=\"%zu\" fillId=\"%zu\" borderId=\"%d\" xfId=\"0\"", fmt_of[i],
                      font_of[i], fill_of[i], s->border ? 1 : 0);
        if (fmt_of[i])
            js_buf_puts(o, " applyNumberFormat=\"1\"");
        if (font_of[i])
            js_buf_puts(o, " applyFont=\"1\"");
        if (fill_of[i])
            js_buf_puts(o, " applyFill=\"1\"");
        if (s->border)
            js_buf_puts(o, " applyBorder=\"1\"");
        if (!align) {
            js_buf_puts(o, "/>");
            continue;
        }
        js_buf_puts(o, " applyAlignment=\"1\"><alignment");
        if (s->align)
            js_buf_printf(o, " horizontal=\"%s\"", halign[s->align]);
        if (s->vcenter)
            js_buf_puts(o, " vertical=\"center\"");
        if (s->wrap)
            js_buf_puts(o, " wrapText=\"1\"");
        js_buf_puts(o, "/></xf>");
    }
    js_buf_puts(o, "</cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
                   "</cellStyles></styleSheet>");
done:
    free(fonts);
    free(fills);
    free(font_of);
    free(fill_of);
    free(fmts);
    free(fmt_of);
}

/* <t>t</t>, keeping the spaces at either end of a non-empty t. */
static void put_t(js_buf *o, const char *t)
{
    size_t len = strlen(t);
    bool keep = len && (strchr(" \t\n\r", t[0]) || strchr(" \t\n\r", t[len - 1]));
    js_buf_puts(o, keep ? "<t xml:space=\"preserve\">" : "<t>");
    put_xml(o, t, true);
    js_buf_puts(o, "</t>");
}

static void write_strings(js_buf *o, const js_xbook *b)
{
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<sst xmlns=\"%s\" count=\"%zu\" uniqueCount=\"%zu\">", k_ns_main, b->text_uses, b->ntexts);
    for (size_t i = 0; i < b->ntexts; i++) {
        js_buf_puts(o, "<si>");
        put_t(o, b->texts[i]);
        js_buf_puts(o, "</si>");
    }
    js_buf_puts(o, "</sst>");
}

/* ---- comments: the comments part, and the VML drawing Excel needs to
 * show them (the boxes placed as Excel places a new comment) ---------- */

static void write_comments(js_buf *o, const js_xsheet *s)
{
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<comments xmlns=\"%s\"><authors><author></author></authors><commentList>", k_ns_main);
    for (size_t i = 0; i < s->ncomments; i++) {
        js_buf_puts(o, "<comment ref=\"");
        put_ref(o, s->comments[i].row, s->comments[i].col);
        js_buf_puts(o, "\" authorId=\"0\"><text><r><rPr><sz val=\"8\"/><color indexed=\"81\"/><rFont val=\"Tahoma\"/>"
                       "<family val=\"2\"/></rPr>");
        put_t(o, s->comments[i].text);
        js_buf_puts(o, "</r></text></comment>");
    }
    js_buf_puts(o, "</commentList></comments>");
}

/* A column's and a row's size in pixels, as Excel draws them at 100%. */
static uint32_t col_pixels(const js_xsheet *s, uint32_t col)
{
    for (size_t i = s->ncols; i-- > 0;) /* the last width set wins */
        if (col >= s->cols[i].c1 && col <= s->cols[i].c2) {
            double w = s->cols[i].chars;
            return (uint32_t)(w < 1 ? floor(w * 12 + 0.5) : floor(w * 7 + 0.5) + 5);
        }
    return 64;
}

static uint32_t row_pixels(const js_xsheet *s, uint32_t row)
{
    for (size_t k = s->nheights; k-- > 0;)
        if (s->heights[k].row == row)
            return (uint32_t)(s->heights[k].points * 4 / 3);
    return 20;
}

/* The VML drawing of sheet s's comments; id is its number among the
 * drawings (from 1). A box is 128 x 74 pixels, from 15 pixels into the
 * next column and the row above (2 pixels into the first row). */
static void write_vml(js_buf *o, const js_xsheet *s, size_t id)
{
    js_buf_printf(o, "<xml xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" "
                     "xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><o:shapelayout v:ext=\"edit\"><o:idmap "
                     "v:ext=\"edit\" data=\"%zu\"/></o:shapelayout><v:shapetype id=\"_x0000_t202\" "
                     "coordsize=\"21600,21600\" o:spt=\"202\" path=\"m,l,21600r21600,l21600,xe\"><v:stroke "
                     "joinstyle=\"miter\"/><v:path gradientshapeok=\"t\" o:connecttype=\"rect\"/></v:shapetype>",
                  id);
    for (size_t i = 0; i < s->ncomments; i++) {
        uint32_t col = s->comments[i].col + 1, row = s->comments[i].row ? s->comments[i].row - 1 : 0;
        uint32_t x1 = 15, y1 = s->comments[i].row ? 10 : 2, left = x1, top = y1;
        for (uint32_t c = 0; c < col; c++)
            left += col_pixels(s, c);
        for (uint32_t r = 0; r < row; r++)
            top += row_pixels(s, r);
        uint32_t col2 = col, row2 = row, x2 = x1 + 128, y2 = y1 + 74;
        while (x2 >= col_pixels(s, col2))
            x2 -= col_pixels(s, col2++);
        while (y2 >= row_pixels(s, row2))
            y2 -= row_pixels(s, row2++);
        js_buf_printf(o, "<v:shape id=\"_x0000_s%zu\" type=\"#_x0000_t202\" style=\"position:absolute;margin-left:%.10gpt;"
                         "margin-top:%.10gpt;width:96pt;height:55.5pt;z-index:%zu;visibility:hidden\" "
                         "fillcolor=\"#ffffe1\" o:insetmode=\"auto\"><v:fill color2=\"#ffffe1\"/><v:shadow on=\"t\" "
                         "color=\"black\" obscured=\"t\"/><v:path o:connecttype=\"none\"/><v:textbox "
                         "style=\"mso-direction-alt:auto\"><div style=\"text-align:left\"></div></v:textbox>"
                         "<x:ClientData ObjectType=\"Note\"><x:MoveWithCells/><x:SizeWithCells/>"
                         "<x:Anchor>%u, %u, %u, %u, %u, %u, %u, %u</x:Anchor><x:AutoFill>False</x:AutoFill>"
                         "<x:Row>%u</x:Row><x:Column>%u</x:Column></x:ClientData></v:shape>",
                      1024 * id + 1 + i, left * 0.75, top * 0.75, i + 1, (unsigned)col, (unsigned)x1, (unsigned)row,
                      (unsigned)y1, (unsigned)col2, (unsigned)x2, (unsigned)row2, (unsigned)y2,
                      (unsigned)s->comments[i].row, (unsigned)s->comments[i].col);
    }
    js_buf_puts(o, "</xml>");
}

/* The relationships of a sheet with comments (drawing id): rId1 is the
 * VML drawing its legacyDrawing names. */
static void write_sheet_rels(js_buf *o, size_t id)
{
    static const char rel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                     "<Relationship Id=\"rId1\" Type=\"%svmlDrawing\" Target=\"../drawings/vmlDrawing%zu.vml\"/>"
                     "<Relationship Id=\"rId2\" Type=\"%scomments\" Target=\"../comments%zu.xml\"/></Relationships>",
                  rel, id, rel, id);
}

/* 'name' quoted for a formula: an apostrophe is doubled. */
static void put_sheet_ref(js_buf *o, const char *name)
{
    js_buf_putc(o, '\'');
    for (const char *p = name; *p; p++) {
        if (*p == '\'')
            js_buf_putc(o, '\'');
        char one[2] = {*p, 0};
        put_xml(o, one, false);
    }
    js_buf_putc(o, '\'');
}

static void write_workbook(js_buf *o, const js_xbook *b)
{
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<workbook xmlns=\"%s\" xmlns:r=\"%s\"><bookViews><workbookView/></bookViews><sheets>", k_ns_main,
                  k_ns_rel);
    for (size_t i = 0; i < b->nsheets; i++) {
        js_buf_puts(o, "<sheet name=\"");
        put_xml(o, b->sheets[i]->name, false);
        js_buf_printf(o, "\" sheetId=\"%zu\"%s r:id=\"rId%zu\"/>", i + 1, b->sheets[i]->hidden ? " state=\"hidden\"" : "",
                      i + 1);
    }
    js_buf_puts(o, "</sheets>");
    bool any = false;
    for (size_t i = 0; i < b->nsheets; i++) {
        const js_xsheet *s = b->sheets[i];
        if (!s->repeat)
            continue;
        if (!any)
            js_buf_puts(o, "<definedNames>");
        any = true;
        js_buf_printf(o, "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"%zu\">", i);
        put_sheet_ref(o, s->name);
        js_buf_printf(o, "!$%u:$%u</definedName>", (unsigned)s->repeat1 + 1, (unsigned)s->repeat2 + 1);
    }
    if (any)
        js_buf_puts(o, "</definedNames>");
    js_buf_puts(o, "<calcPr fullCalcOnLoad=\"1\"/></workbook>");
}

static void write_workbook_rels(js_buf *o, const js_xbook *b)
{
    static const char rel[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    js_buf_puts(o, k_xml_head);
    js_buf_puts(o, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (size_t i = 0; i < b->nsheets; i++)
        js_buf_printf(o, "<Relationship Id=\"rId%zu\" Type=\"%sworksheet\" Target=\"worksheets/sheet%zu.xml\"/>", i + 1,
                      rel, i + 1);
    js_buf_printf(o, "<Relationship Id=\"rId%zu\" Type=\"%sstyles\" Target=\"styles.xml\"/>", b->nsheets + 1, rel);
    js_buf_printf(o, "<Relationship Id=\"rId%zu\" Type=\"%ssharedStrings\" Target=\"sharedStrings.xml\"/>",
                  b->nsheets + 2, rel);
    js_buf_puts(o, "</Relationships>");
}

static void write_content_types(js_buf *o, const js_xbook *b)
{
    static const char doc[] = "application/vnd.openxmlformats-officedocument.";
    size_t drawings = 0;
    for (size_t i = 0; i < b->nsheets; i++)
        drawings += b->sheets[i]->ncomments > 0;
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                     "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                     "<Default Extension=\"xml\" ContentType=\"application/xml\"/>");
    if (drawings)
        js_buf_printf(o, "<Default Extension=\"vml\" ContentType=\"%svmlDrawing\"/>", doc);
    js_buf_printf(o, "<Override PartName=\"/docProps/app.xml\" ContentType=\"%sextended-properties+xml\"/>"
                     "<Override PartName=\"/docProps/core.xml\" "
                     "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
                     "<Override PartName=\"/xl/workbook.xml\" ContentType=\"%sspreadsheetml.sheet.main+xml\"/>"
                     "<Override PartName=\"/xl/styles.xml\" ContentType=\"%sspreadsheetml.styles+xml\"/>"
                     "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"%sspreadsheetml.sharedStrings+xml\"/>",
                  doc, doc, doc, doc);
    for (size_t i = 0; i < b->nsheets; i++)
        js_buf_printf(o, "<Override PartName=\"/xl/worksheets/sheet%zu.xml\" "
                         "ContentType=\"%sspreadsheetml.worksheet+xml\"/>", i + 1, doc);
    for (size_t k = 1; k <= drawings; k++)
        js_buf_printf(o, "<Override PartName=\"/xl/comments%zu.xml\" ContentType=\"%sspreadsheetml.comments+xml\"/>", k,
                      doc);
    js_buf_puts(o, "</Types>");
}

static void write_root_rels(js_buf *o)
{
    js_buf_puts(o, k_xml_head);
    js_buf_printf(o, "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                     "<Relationship Id=\"rId1\" Type=\"%sofficeDocument\" Target=\"xl/workbook.xml\"/>"
                     "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/"
                     "metadata/core-properties\" Target=\"docProps/core.xml\"/>"
                     "<Relationship Id=\"rId3\" Type=\"%sextended-properties\" Target=\"docProps/app.xml\"/>"
                     "</Relationships>",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/",
                  "http://schemas.openxmlformats.org/officeDocument/2006/relationships/");
}

static void write_app(js_buf *o)
{
    js_buf_puts(o, k_xml_head);
    js_buf_puts(o, "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
                   "<Application>juesuan</Application></Properties>");
}

static void write_core(js_buf *o, const char *title, int year, int month, int day)
{
    if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) {
        year = 2000;
        month = day = 1;
    }
    char when[32];
    snprintf(when, sizeof when, "%04d-%02d-%02dT00:00:00Z", year, month, day);
    js_buf_puts(o, k_xml_head);
    js_buf_puts(o, "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
                   "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                   "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
                   "<dc:title>");
    put_xml(o, title ? title : "", false);
    js_buf_printf(o, "</dc:title><dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
                     "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified></cp:coreProperties>",
                  when, when);
}

typedef struct {
    char name[64];
    js_buf xml;
} part;

js_status js_xbook_bytes(js_xbook *b, const char *title, int year, int month, int day, js_buf *out,
                         const char *shown, js_diag *d)
{
    static const char *const fixed[] = {"[Content_Types].xml", "_rels/.rels",        "docProps/app.xml",
                                        "docProps/core.xml",   "xl/workbook.xml",    "xl/_rels/workbook.xml.rels",
                                        "xl/styles.xml",       "xl/sharedStrings.xml"};
    const size_t nfixed = sizeof fixed / sizeof *fixed;
    js_buf_init(out, JS_MAX_OUTPUT_BYTES);
    if (b->bad_sheet)
        return js_diag_set(d, JS_E_INTERNAL, shown, 0, 0, NULL, "工作表名称无效：'%s'", b->bad_name);
    if (b->too_big)
        return js_diag_set(d, JS_E_LIMIT, shown, 0, 0, NULL, "%s，无法写入 .xlsx", b->big_what);
    size_t drawings = 0;
    for (size_t i = 0; i < b->nsheets; i++)
        drawings += b->sheets[i]->ncomments > 0;
    /* the fixed parts, the sheets, then per sheet with comments its rels,
     * comments and drawing */
    const size_t n = nfixed + b->nsheets + 3 * drawings;
    part *parts = b->failed ? NULL : calloc(n, sizeof *parts);
    if (!parts)
        return js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足");
    for (size_t i = 0; i < n; i++)
        js_buf_init(&parts[i].xml, JS_MAX_OUTPUT_BYTES);
    for (size_t i = 0; i < nfixed; i++)
        strcpy(parts[i].name, fixed[i]);
    write_content_types(&parts[0].xml, b);
    write_root_rels(&parts[1].xml);
    write_app(&parts[2].xml);
    write_core(&parts[3].xml, title, year, month, day);
    write_workbook(&parts[4].xml, b);
    write_workbook_rels(&parts[5].xml, b);
    write_styles(&parts[6].xml, b);
    write_strings(&parts[7].xml, b);
    part *p = parts + nfixed, *extra = p + b->nsheets;
    for (size_t i = 0, id = 0; i < b->nsheets; i++, p++) {
        const js_xsheet *s = b->sheets[i];
        snprintf(p->name, sizeof p->name, "xl/worksheets/sheet%zu.xml", i + 1);
        write_sheet(&p->xml, b->sheets[i], i == 0);
        if (!s->ncomments)
            continue;
        id++;
        snprintf(extra->name, sizeof extra->name, "xl/worksheets/_rels/sheet%zu.xml.rels", i + 1);
        write_sheet_rels(&(extra++)->xml, id);
        snprintf(extra->name, sizeof extra->name, "xl/comments%zu.xml", id);
        write_comments(&(extra++)->xml, s);
        snprintf(extra->name, sizeof extra->name, "xl/drawings/vmlDrawing%zu.vml", id);
        write_vml(&(extra++)->xml, s, id);
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++)
        ok = ok && js_buf_ok(&parts[i].xml);
    js_zipw z = {0};
    ok = ok && js_zipw_init(&z, 1);
    for (size_t i = 0; ok && i < n; i++)
        js_zipw_add(&z, parts[i].name, parts[i].xml.data, parts[i].xml.len);
    if (ok && js_zipw_finish(&z)) {
        js_buf_release(out);
        *out = z.out; /* the archive is the caller's now */
        memset(&z.out, 0, sizeof z.out);
    } else {
        ok = false;
    }
    js_zipw_release(&z);
    for (size_t i = 0; i < n; i++)
        js_buf_release(&parts[i].xml);
    free(parts);
    return ok ? JS_OK : js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足（或超过 Excel 文件的大小上限）");
}

js_status js_xbook_save(js_xbook *b, const char *path, const char *title, int year, int month, int day,
                        js_diag *d)
{
    js_buf out;
    js_status st = js_xbook_bytes(b, title, year, month, day, &out, path, d);
    if (st == JS_OK)
        st = js_write_file_atomic(path, out.data, out.len, d);
    js_buf_release(&out);
    return st;
}
