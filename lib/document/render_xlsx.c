/* The tables as an Excel workbook in the official layout: one sheet per
 * table ("公开01表 收入支出决算总表"), merged multi-level headings, 行次 and
 * 栏次, thousands format, frozen headings, A4 landscape with repeated heading
 * rows; with a report, one sheet per 绩效自评表 after them. Figures are
 * stored as the decimals the tables print, never through a double. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grid.h"
#include "juesuan/render.h"
#include "report_model.h"
#include "utf8.h"
#include "xlsx_book.h"

/* A sheet name from raw: within Excel's 31 characters, without []:*?/\
 * or control characters, and without an apostrophe first or last. */
static void sheet_name(const char *raw, char *buf, size_t n)
{
    size_t o = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)raw; *p && chars < 31 && o + 5 < n;) {
        size_t len = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
        if (len == 1 && (*p < 0x20 || strchr("[]:*?/\\", *p) || (*p == '\'' && o == 0))) {
            p++;
            continue;
        }
        memcpy(buf + o, p, len);
        o += len;
        p += len;
        chars++;
    }
    while (o > 0 && buf[o - 1] == '\'')
        o--;
    buf[o] = '\0';
}

typedef struct {
    int title, head, text, num, plain, right, wrap;
    int dec[4]; /* a 自评表 figure with 0 to 3 decimals */
} formats;

static void make_formats(js_xbook *wb, formats *f)
{
    f->plain = 0;
    f->title = js_xbook_style(wb, &(js_xstyle){.bold = true, .size = 14, .align = JS_XALIGN_CENTER});
    f->right = js_xbook_style(wb, &(js_xstyle){.align = JS_XALIGN_RIGHT});
    f->head = js_xbook_style(wb, &(js_xstyle){.bold = true, .border = true, .align = JS_XALIGN_CENTER, .vcenter = true,
                                              .wrap = true, .fill = 0xF2F2F2});
    f->text = js_xbook_style(wb, &(js_xstyle){.border = true});
    f->num = js_xbook_style(wb, &(js_xstyle){.border = true, .numfmt = "#,##0.00"});
    f->wrap = js_xbook_style(wb, &(js_xstyle){.wrap = true});
    static const char *const dec[4] = {"0", "0.0", "0.00", "0.000"};
    for (int k = 0; k < 4; k++)
        f->dec[k] = js_xbook_style(wb, &(js_xstyle){.border = true, .numfmt = dec[k]});
}

/* Column widths and heading row heights of a table sheet. A column is as
 * wide as its longest figure or text (CJK counts two), and as a heading of
 * its own set in up to three even lines (none ending in a lone character),
 * a short word (four characters) kept whole; the columns together are at least as wide as the title
 * (14 pt bold over the 11 pt of the cells). A heading row is as high as its
 * most wrapped heading needs: Excel does not grow rows under merged cells.
 * Returns the columns' total width in characters. */
static double set_widths(js_xsheet *ws, const js_grid *g, const char *title, const int *down, const int *from,
                         int top)
{
    double *w = calloc((size_t)g->ncols + 1, sizeof *w), sum = 0;
    if (!w)
        return 0;
    for (int c = 0; c < g->ncols; c++) {
        w[c] = 6;
        for (int l = 0; l < g->nlines; l++) {
            const js_gcell *x = js_grid_at(g, l, c);
            double tw = (double)js_utf8_width(x->text);
            if (l < g->nhead && (x->span != 1 || !x->text[0]))
                continue;
            if (l < g->nhead && tw > 8) { /* even lines, with a character's slack */
                double lines = ceil(tw / 8) < 3 ? ceil(tw / 8) : 3;
                tw = ceil(tw / lines) + 2;
            }
            if (tw > w[c])
                w[c] = tw;
        }
        if (w[c] > 40)
            w[c] = 40;
        w[c] += 2;
        sum += w[c];
    }
    double title_w = (double)js_utf8_width(title) * 14.0 / 11.0 * 1.1;
    for (int c = 0; c < g->ncols; c++) {
        if (sum < title_w)
            w[c] += (title_w - sum) / g->ncols;
        js_xsheet_width(ws, (uint32_t)c, (uint32_t)c, w[c], 0);
    }
    for (int l = 0; l < g->nhead; l++) {
        double lines = 1;
        for (int c = 0; c < g->ncols; c++) {
            int rows = down[l * g->ncols + c]; /* a heading merged down shares the lines' height */
            const js_gcell *x = js_grid_at(g, from[l * g->ncols + c], c);
            if (rows < 1 || x->span < 1 || !x->text[0])
                continue;
            double avail = 0;
            for (int k = c; k < c + x->span && k < g->ncols; k++)
                avail += w[k];
            double need = ceil((double)js_utf8_width(x->text) / (avail - 1 > 1 ? avail - 1 : 1)) / rows;
            if (need > lines)
                lines = ceil(need);
        }
        if (lines > 1)
            js_xsheet_height(ws, (uint32_t)(top + l), 14.25 * lines + 2);
    }
    free(w);
    return sum > title_w ? sum : title_w;
}

static void write_table(js_xbook *wb, const js_tableset *ts, const js_table *t, const formats *f,
                        bool *ok)
{
    /* number and title without the year: "公开01表 收入支出决算总表" */
    const char *title = t->title;
    const char *nd = strstr(title, "年度");
    if (nd && nd - title <= 4)
        title = nd + strlen("年度");
    char raw[512], name[128];
    snprintf(raw, sizeof raw, "%s %s", t->def->number, title);
    sheet_name(raw, name, sizeof name);
    js_xsheet *ws = js_xbook_sheet(wb, name);
    js_grid g;
    if (!ws)
        return; /* the book's own failure, which js_xbook_bytes names */
    if (!js_grid_build(ts, t, false, &g)) {
        *ok = false;
        return;
    }
    int last = g.ncols - 1;
    js_xsheet_text(ws, 0, 0, t->def->number, f->plain);
    if (js_tableset_mark(ts)) {
        char mark[128];
        snprintf(mark, sizeof mark, "【%s】", js_tableset_mark(ts));
        js_xsheet_text(ws, 0, last > 0 ? 1 : 0, mark, f->plain);
    }
    if (last > 0)
        js_xsheet_merge(ws, 1, 0, 1, (uint32_t)last, t->title, f->title);
    else
        js_xsheet_text(ws, 1, 0, t->title, f->title);
    char dept[512];
    snprintf(dept, sizeof dept, "%s：%s", js_tableset_entity_label(ts), js_tableset_entity(ts));
    js_xsheet_text(ws, 2, 0, dept, f->plain);
    js_xsheet_text(ws, 2, (uint32_t)last, t->def->unit_label, f->right);
    const int top = 3;
    /* merged headings as the template prints them (js_grid_head_merge) */
    size_t nh = (size_t)(g.nhead ? g.nhead : 1) * (size_t)g.ncols;
    int *down = calloc(nh, sizeof *down), *from = calloc(nh, sizeof *from);
    if (!down || !from) {
        free(down);
        free(from);
        *ok = false;
        js_grid_release(&g);
        return;
    }
    js_grid_head_merge(&g, down, from);
    for (int l = 0; l < g.nlines; l++) {
        for (int c = 0; c < g.ncols; c++) {
            const js_gcell *x = js_grid_at(&g, l, c);
            bool head = l < g.nhead;
            int rows = head ? down[l * g.ncols + c] : 1;
            if (x->span == 0 || rows == 0)
                continue;
            if (head)
                x = js_grid_at(&g, from[l * g.ncols + c], c);
            uint32_t row = (uint32_t)(top + l);
            if (head && (x->span > 1 || rows > 1))
                js_xsheet_merge(ws, row, (uint32_t)c, row + (uint32_t)rows - 1, (uint32_t)(c + x->span - 1), x->text,
                                f->head);
            else if (!head && x->align == JS_ALIGN_RIGHT && x->text[0])
                js_xsheet_number(ws, row, (uint32_t)c, x->text, f->num);
            else
                js_xsheet_text(ws, row, (uint32_t)c, x->text, head ? f->head : f->text);
        }
    }
    double total = set_widths(ws, &g, t->title, down, from, top);
    int row = top + g.nlines;
    const char *tail[3];
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++)
        js_xsheet_text(ws, (uint32_t)row++, 0, tail[k], f->plain);
    js_xsheet_freeze(ws, (uint32_t)(top + g.nhead));
    /* A4, landscape when the columns are wider than a portrait page holds
     * (about 95 characters at 11 pt); a table of up to 50 rows on one page */
    js_xsheet_page(ws, 9, total > 95, g.nlines <= 50);
    js_xsheet_repeat_rows(ws, (uint32_t)top, (uint32_t)(top + g.nhead - 1));
    free(down);
    free(from);
    js_grid_release(&g);
}

/* Decimals of a plain decimal number ("41516.22" -> 2), or -1 when s is
 * not one (a rate "89.32%", a text) or has more than three. */
static int plain_decimals(const char *s)
{
    size_t i = strspn(s, "0123456789");
    if (i == 0)
        return -1;
    if (!s[i])
        return 0;
    size_t d = s[i] == '.' ? strspn(s + i + 1, "0123456789") : 0;
    return d >= 1 && d <= 3 && !s[i + 1 + d] ? (int)d : -1;
}

/* 绩效自评表 n as a sheet "绩效自评表n 项目名称": the title, then the
 * table's rows with their merged cells, A4 portrait on one page wide. */
static void write_perf(js_xbook *wb, const js_report *r, size_t n, const formats *f, bool *ok)
{
    const js_perf_item *it = js_perf_item_at(r->perf, n);
    const char *title = js_report_perf_title(r, it);
    char raw[512], name[128];
    snprintf(raw, sizeof raw, "绩效自评表%zu %s", n + 1, it->name);
    sheet_name(raw, name, sizeof name);
    js_xsheet *ws = js_xbook_sheet(wb, name);
    perf_tab pt = {0};
    if (!ws)
        return; /* the book's own failure, which js_xbook_bytes names */
    js_report_perf_table(r, it, &pt);
    uint32_t top = 0;
    if (js_tableset_mark(r->ts)) {
        snprintf(raw, sizeof raw, "【%s】", js_tableset_mark(r->ts));
        js_xsheet_text(ws, top++, 0, raw, f->plain);
    }
    js_xsheet_merge(ws, top, 0, top, PERF_COLS - 1, title, f->title);
    for (size_t k = 0; k < pt.n; k++) {
        const perf_row *row = &pt.rows[k];
        uint32_t y = top + 1 + (uint32_t)k;
        for (int c = 0; c < PERF_COLS; c++) {
            if (!row->text[c])
                continue;
            int fm = row->head ? f->head : f->text;
            int dec = row->head ? -1 : plain_decimals(row->text[c]);
            if (row->span[c] > 1) /* a number in a merged range: merge, then write it */
                js_xsheet_merge(ws, y, (uint32_t)c, y, (uint32_t)(c + row->span[c] - 1), dec >= 0 ? "" : row->text[c],
                                dec >= 0 ? f->dec[dec] : fm);
            if (dec >= 0)
                js_xsheet_number(ws, y, (uint32_t)c, row->text[c], f->dec[dec]);
            else if (row->span[c] <= 1)
                js_xsheet_text(ws, y, (uint32_t)c, row->text[c], fm);
        }
    }
    js_xsheet_width(ws, 0, PERF_COLS - 1, 16, f->wrap);
    js_xsheet_page(ws, 9, false, false); /* A4 portrait */
    *ok = *ok && (pt.n == 0 || pt.rows);
    js_report_perf_table_free(&pt);
}

static js_status write_book(const js_tableset *ts, const js_report *r, js_buf *out, js_diag *d)
{
    static const char shown[] = "tables.xlsx";
    js_xbook *wb = js_xbook_new();
    if (!wb)
        return js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足");
    formats f;
    make_formats(wb, &f);
    bool ok = true;
    for (size_t i = 0; i < js_tableset_count(ts); i++)
        write_table(wb, ts, js_tableset_table(ts, i), &f, &ok);
    for (size_t i = 0; r && r->perf && i < js_perf_count(r->perf); i++)
        write_perf(wb, r, i, &f, &ok);
    /* A fixed creation date (the publication date) keeps the bytes the same. */
    const char *date = js_workbook_text(js_tableset_workbook(ts), "department.csv", "公开日期");
    int y = 0, m = 0, day = 0;
    if (!date || sscanf(date, "%d-%d-%d", &y, &m, &day) != 3)
        y = 0; /* no date: js_xbook_save's default */
    js_buf book;
    js_status st = ok ? js_xbook_bytes(wb, js_tableset_entity(ts), y, m, day, &book, shown, d)
                      : js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足");
    if (st == JS_OK && !js_buf_append(out, book.data, book.len))
        st = js_diag_set(d, JS_E_NOMEM, shown, 0, 0, NULL, "内存不足");
    if (ok)
        js_buf_release(&book);
    js_xbook_free(wb);
    return st;
}

js_status js_render_xlsx(const js_tableset *ts, js_buf *out, js_diag *d)
{
    return write_book(ts, NULL, out, d);
}

js_status js_report_xlsx(const js_report *r, js_buf *out, js_diag *d)
{
    return write_book(r->ts, r, out, d);
}
