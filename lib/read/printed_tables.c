/* Recognising a profile's tables in a report (see printed_tables.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"
#include "json_columns.h"
#include "juesuan/tables.h"
#include "printed_normalise.h"
#include "printed_tables.h"
#include "vec.h"

#define MAXC (JS_MAX_BLOCKS * JS_MAX_TABLE_COLUMNS)
#define NAME_MAX_BYTES 512

/* A table definition with its columns flattened over the blocks and the
 * x position of each column on the current page (its anchor). */
typedef struct {
    const js_tabledef *t;
    int ncols;
    int blk[MAXC];
    const js_coldef *cd[MAXC];
    double ax[MAXC];
    bool aset[MAXC];
    bool has_rowno, has_nos, has_code;
    uint64_t used[4]; /* 行次 (below 256) of rows already read, by label */
    int numbered_seen[JS_MAX_BLOCKS]; /* numbered rows found in the dictionary, by block */
} tctx;

/* A row as read. */
typedef struct {
    int block, rowno, level, page;
    js_trow_kind kind;
    char code[8];
    char name[NAME_MAX_BYTES];
    const char *wan[MAXC];
    bool named;   /* the name comes from the document (may be continued) */
    bool pending; /* not identified yet: its label may continue */
    bool unlabelled; /* figures printed without a label (the total's line) */
    bool orphan;  /* such figures waiting for the footer below them */
} prow;

/* What one line gives one block. */
typedef struct {
    char label[NAME_MAX_BYTES];
    char code[8];
    int rowno;
    const char *wan[MAXC];
    bool any_amount;
} part;

typedef struct {
    prow *rows;
    size_t n, cap;
} rows_t;

/* ---- titles ------------------------------------------------------------ */

static bool is_quote(const char *s, size_t *k)
{
    static const char *const q[] = {"“", "”", "\"", "'", "‘", "’", "「", "」", "『", "』"};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++)
        if (!strncmp(s, q[i], strlen(q[i]))) {
            *k = strlen(q[i]);
            return true;
        }
    return false;
}

/* A title without spaces, quotes and its leading year ("2024年度"). */
static void title_key(const char *s, char *out, size_t n, int *year)
{
    size_t o = 0;
    for (const char *p = s; *p && o + 1 < n;) {
        size_t k;
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (is_quote(p, &k)) {
            p += k;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
    const char *p = out;
    int y = 0;
    while (*p >= '0' && *p <= '9' && y < 100000)
        y = y * 10 + (*p++ - '0');
    if (p > out && (!strncmp(p, "年度", strlen("年度")) || !strncmp(p, "年", strlen("年")))) {
        p += !strncmp(p, "年度", strlen("年度")) ? strlen("年度") : strlen("年");
        memmove(out, p, strlen(p) + 1);
        if (year)
            *year = y;
    } else if (year) {
        *year = 0;
    }
}

static bool starts_with(const char *s, const char *pre);

/* Whether line text is the title of table t (or an alias); the year it
 * gives into *year. */
static bool is_title(const char *text, const js_tabledef *t, const js_playout *l, int *year)
{
    char key[512], want[512], filled[512];
    /* every title names a 表; most lines do not */
    if (strlen(text) > 200 || !strstr(text, "表"))
        return false;
    title_key(text, key, sizeof key, year);
    if (!*key)
        return false;
    js_fill_template(t->title, 0, "", "", filled, sizeof filled);
    title_key(filled, want, sizeof want, NULL);
    if (!strcmp(key, want))
        return true;
    /* a title that begins with the department ({部门}{年度}年…): any name,
     * then the year, then the rest */
    if (starts_with(t->title, "{部门}")) {
        for (const char *p = key; *p; p++) {
            if (!(p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
                  p[3] >= '0' && p[3] <= '9') || (p > key && p[-1] >= '0' && p[-1] <= '9'))
                continue;
            char rest[512];
            int y;
            title_key(p, rest, sizeof rest, &y);
            if (y && !strcmp(rest, want)) {
                if (year)
                    *year = y;
                return true;
            }
        }
    }
    json_t *al = js_playout_list(l, t->id, "titles");
    size_t i;
    json_t *v;
    json_array_foreach(al, i, v) {
        if (!json_is_string(v))
            continue;
        title_key(json_string_value(v), want, sizeof want, NULL);
        if (!strcmp(key, want))
            return true;
    }
    return false;
}

/* A numbered heading that names a table of the profile (二、2024年部门收入
 * 预算总表 above the table's own title): the end of the table before it. */
static bool names_table(const js_profile *p, const js_playout *l, const char *s)
{
    static const char nums[] = "一二三四五六七八九十";
    const char *q = s;
    while (*q == ' ')
        q++;
    const char *n = q;
    for (bool more = true; more;) {
        more = false;
        for (size_t k = 0; k + 3 <= sizeof nums - 1; k += 3)
            if (!strncmp(q, nums + k, 3)) {
                q += 3;
                more = true;
            }
    }
    if (q == n || strncmp(q, "、", strlen("、")))
        return false;
    q += strlen("、");
    for (size_t t = 0; t < js_profile_ntables(p); t++)
        if (is_title(q, js_profile_table(p, t), l, NULL))
            return true;
    return false;
}

int js_printed_year(const js_rdoc *doc, const js_profile *p, const js_playout *l)
{
    for (size_t i = 0; i < doc->nlines; i++)
        for (size_t t = 0; t < js_profile_ntables(p); t++) {
            int y;
            if (is_title(doc->lines[i].joined, js_profile_table(p, t), l, &y) && y > 0)
                return y;
        }
    /* titles without the year (上海): the first "NNNN年度" of the report */
    for (size_t i = 0; i < doc->nlines && i < 40; i++) {
        const char *q = strstr(doc->lines[i].joined, "年度");
        const char *s = doc->lines[i].joined;
        if (q && q - s >= 4 && q[-1] >= '0' && q[-1] <= '9' && q[-4] >= '1' && q[-4] <= '2')
            return atoi(q - 4);
    }
    return 0;
}

size_t js_printed_titles(const js_rdoc *doc, const js_profile *p, const js_playout *l)
{
    size_t nt = js_profile_ntables(p), found = 0;
    for (size_t t = 0; t < nt; t++)
        for (size_t i = 0; i < doc->nlines; i++) {
            int y;
            if (is_title(doc->lines[i].joined, js_profile_table(p, t), l, &y)) {
                found++;
                break;
            }
        }
    return found;
}

/* ---- lines --------------------------------------------------------------- */

static bool starts_with(const char *s, const char *pre) { return !strncmp(s, pre, strlen(pre)); }

/* A page number line (—4—, - 4 -, 第 4 页). */
static bool is_page_number(const char *s)
{
    if (starts_with(s, "第") && strstr(s, "页") && strlen(s) < 20)
        return true;
    const char *p = s;
    while (*p && !(*p >= '0' && *p <= '9'))
        p++;
    /* digits inside a decoration (—4—, - 4 -); a bare number is not one: a
     * code row may hold just its code */
    if (!*p || p == s || p - s > 6)
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    return *p && strlen(p) <= 6 && !strchr(s, '.') && !js_pn_has_cjk(s);
}

/* A heading of a part of the report (第二部分 …). */
static bool is_part_heading(const char *s)
{
    return starts_with(s, "第") && strstr(s, "部分") && strstr(s, "部分") - s <= 12;
}

/* A heading of the text after the tables (reading.json "ends": 其他相关情况说明
 * of a budget report, whose text follows the last table): a short line
 * ending with one of them, spaces ignored. */
static bool ends_tables(const js_playout *l, const char *s)
{
    char key[256];
    size_t o = 0;
    for (; *s && o + 1 < sizeof key; s++)
        if (*s != ' ' && *s != '\t')
            key[o++] = *s;
    key[o] = '\0';
    if (*s)
        return false;
    size_t i;
    json_t *v;
    json_array_foreach(js_playout_list(l, NULL, "ends"), i, v) {
        size_t n = json_string_length(v);
        if (json_is_string(v) && n && o >= n && !strcmp(key + o - n, json_string_value(v)))
            return true;
    }
    return false;
}

/* A note under a table (注：…). */
static bool is_note(const char *s)
{
    return starts_with(s, "注:") || starts_with(s, "注：") || starts_with(s, "注 ") || starts_with(s, "说明：");
}

/* ---- columns ------------------------------------------------------------- */

static const char *leaf(const js_coldef *c) { return c->depth ? c->heading[c->depth - 1] : ""; }

static void ctx_init(tctx *x, const js_tabledef *t)
{
    memset(x, 0, sizeof *x);
    x->t = t;
    for (int b = 0; b < t->nblocks; b++)
        for (int c = 0; c < t->blocks[b].ncols && x->ncols < MAXC; c++) {
            const js_coldef *cd = &t->blocks[b].cols[c];
            x->blk[x->ncols] = b;
            x->cd[x->ncols++] = cd;
            x->has_rowno |= cd->kind == JS_COLK_ROWNO;
            x->has_code |= cd->kind == JS_COLK_CODE;
            x->has_nos |= cd->kind == JS_COLK_AMOUNT && cd->no && *cd->no;
        }
}

static double center(const js_rcell *c) { return (c->x0 + c->x1) / 2; }

/* A heading wrapped in its cell: the first line of it (本年收入合 of
 * 本年收入合计), at least two characters. */
static bool heading_part(const char *cell, const char *heading)
{
    size_t n = strlen(cell);
    return n >= 6 && n < strlen(heading) && !strncmp(heading, cell, n) && js_pn_has_cjk(cell);
}

/* Whether a cell's text names a heading of the table. */
static bool is_heading_word(const tctx *x, const char *s)
{
    if (!strcmp(s, "栏次") || !strcmp(s, "行次"))
        return true;
    for (int k = 0; k < x->ncols; k++)
        for (int l = 0; l < x->cd[k]->depth; l++)
            if (!strcmp(s, x->cd[k]->heading[l]) || heading_part(s, x->cd[k]->heading[l]))
                return true;
    for (int b = 0; b < x->t->nblocks; b++)
        if (*x->t->blocks[b].heading && !strcmp(s, x->t->blocks[b].heading))
            return true;
    return false;
}

/* Characters (not continuation bytes) in the n bytes at s. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The longest heading word of the table that text begins with, in bytes
 * (0 if none). */
static size_t heading_prefix(const tctx *x, const char *text)
{
    size_t best = 0;
    const char *fixed[] = {"栏次", "行次"};
    for (size_t f = 0; f < sizeof fixed / sizeof *fixed; f++)
        if (starts_with(text, fixed[f]) && strlen(fixed[f]) > best)
            best = strlen(fixed[f]);
    for (int k = 0; k < x->ncols; k++)
        for (int l = 0; l < x->cd[k]->depth; l++) {
            const char *h = x->cd[k]->heading[l];
            if (*h && starts_with(text, h) && strlen(h) > best)
                best = strlen(h);
        }
    for (int b = 0; b < x->t->nblocks; b++) {
        const char *h = x->t->blocks[b].heading;
        if (*h && starts_with(text, h) && strlen(h) > best)
            best = strlen(h);
    }
    return best;
}

/* A header cell as the headings it holds: narrow columns side by side
 * print their headings close enough for the extraction to join them
 * (决算数科目代码 of table 06's column groups). When the whole text is a
 * run of the table's headings, each gets its share of the cell's width
 * by characters (one type size); else the cell stays whole. Returns the
 * number of cells written (at most max). */
static int split_heading(js_arena *a, const tctx *x, const js_rcell *c, js_rcell *out, int max)
{
    enum { MAXP = 8 };
    size_t at[MAXP + 1], len[MAXP];
    int np = 0;
    size_t p = 0, n = strlen(c->text);
    if (max <= 0)
        return 0;
    if (!is_heading_word(x, c->text))
        while (p < n && np < MAXP) {
            while (c->text[p] == ' ')
                p++;
            size_t h = heading_prefix(x, c->text + p);
            if (!h)
                break;
            at[np] = p, len[np++] = h;
            p += h;
        }
    while (p < n && c->text[p] == ' ')
        p++;
    if (np < 2 || p < n || np > max) {
        out[0] = *c;
        return 1;
    }
    size_t total = 0;
    for (int i = 0; i < np; i++)
        total += utf8_chars(c->text + at[i], len[i]);
    double w = (c->x1 - c->x0) / (double)(total ? total : 1), pos = c->x0;
    for (int i = 0; i < np; i++) {
        char piece[NAME_MAX_BYTES];
        snprintf(piece, sizeof piece, "%.*s", (int)len[i], c->text + at[i]);
        double chars = (double)utf8_chars(piece, strlen(piece));
        out[i] = *c;
        out[i].text = js_arena_strdup(a, piece);
        if (!out[i].text)
            return 0;
        out[i].x0 = pos;
        out[i].x1 = pos + chars * w;
        pos = out[i].x1;
    }
    return np;
}

/* Reads the anchors a header line gives; returns whether it ends the
 * header (the 栏次 row, or amount headings of a table without 栏次). */
static int cell_x_cmp(const void *a, const void *b)
{
    double x = center(a), y = center(b);
    return x < y ? -1 : x > y;
}

static bool header_anchors(tctx *x, const js_rline *ln, js_rcell *hdr, int nhdr)
{
    int nos = 0, lanci = 0;
    bool has_lanci = false;
    for (int i = 0; i < ln->ncells; i++)
        has_lanci |= !strcmp(ln->cells[i].text, "栏次");
    /* 栏次 numbers: unique per table */
    for (int i = 0; i < ln->ncells; i++)
        for (int k = 0; k < x->ncols; k++)
            if (x->cd[k]->kind == JS_COLK_AMOUNT && x->cd[k]->no && *x->cd[k]->no &&
                !strcmp(ln->cells[i].text, x->cd[k]->no))
                nos++;
    bool lanci_row = x->has_nos && (nos >= 2 || (has_lanci && nos >= 1));
    if (lanci_row) {
        for (int i = 0; i < ln->ncells; i++) {
            for (int k = 0; k < x->ncols; k++)
                if (x->cd[k]->kind == JS_COLK_AMOUNT && x->cd[k]->no && !strcmp(ln->cells[i].text, x->cd[k]->no)) {
                    x->ax[k] = center(&ln->cells[i]);
                    x->aset[k] = true;
                }
            if (!strcmp(ln->cells[i].text, "栏次")) { /* the label columns that say 栏次, in order */
                for (int k = 0, seen = 0; k < x->ncols; k++)
                    if (x->cd[k]->no && !strcmp(x->cd[k]->no, "栏次") && seen++ == lanci) {
                        x->ax[k] = center(&ln->cells[i]);
                        x->aset[k] = true;
                    }
                lanci++;
            }
        }
    }
    /* headings of every header line of the page so far, matched in the
     * order of the columns, left to right */
    qsort(hdr, (size_t)nhdr, sizeof *hdr, cell_x_cmp);
    int from = 0;
    bool amounts = false;
    for (int k = 0; k < x->ncols; k++) {
        if (x->cd[k]->kind == JS_COLK_AMOUNT && x->has_nos)
            continue;
        for (int i = from; i < nhdr; i++)
            if (!strcmp(hdr[i].text, leaf(x->cd[k])) || heading_part(hdr[i].text, leaf(x->cd[k])) ||
                (x->cd[k]->kind == JS_COLK_ROWNO && !strcmp(hdr[i].text, "行次"))) {
                if (!(x->aset[k] && x->cd[k]->no && !strcmp(x->cd[k]->no, "栏次"))) {
                    x->ax[k] = center(&hdr[i]);
                    x->aset[k] = true;
                }
                amounts |= x->cd[k]->kind == JS_COLK_AMOUNT;
                from = i + 1;
                break;
            }
    }
    return lanci_row || (!x->has_nos && amounts);
}

/* The nearest anchored column to position pos, of kind want (-1 any). */
static int nearest(const tctx *x, double pos, int want)
{
    int best = -1;
    double bd = 0;
    for (int k = 0; k < x->ncols; k++) {
        if (!x->aset[k] || (want >= 0 && (int)x->cd[k]->kind != want))
            continue;
        double dd = pos > x->ax[k] ? pos - x->ax[k] : x->ax[k] - pos;
        if (best < 0 || dd < bd)
            best = k, bd = dd;
    }
    return best;
}

/* The amount column of a right-aligned figure ending at x1: the last
 * amount anchor left of its right edge, else the nearest. */
static int amount_column(const tctx *x, const js_rcell *c)
{
    int best = -1;
    for (int k = 0; k < x->ncols; k++)
        if (x->aset[k] && x->cd[k]->kind == JS_COLK_AMOUNT && x->ax[k] <= c->x1 + 0.01 &&
            (best < 0 || x->ax[k] > x->ax[best]))
            best = k;
    return best >= 0 ? best : nearest(x, center(c), JS_COLK_AMOUNT);
}

/* ---- rows ---------------------------------------------------------------- */

static const js_rowdef *rowdef_by_rowno(const js_blockdef *b, int rowno, int *idx)
{
    for (int r = 0; r < b->nrows; r++) {
        const js_rowdef *rd = &b->rows[r];
        int last = rd->kind == JS_ROWK_BLANK && rd->through ? rd->through
                   : (rd->kind == JS_ROWK_FUNCTIONAL || rd->kind == JS_ROWK_ECONOMIC) && rd->ncodes
                       ? rd->rowno + rd->ncodes - 1
                       : rd->rowno;
        if (rd->rowno && rowno >= rd->rowno && rowno <= last) {
            *idx = rowno - rd->rowno;
            return rd;
        }
    }
    return NULL;
}

static int block_of_rowno(const js_tabledef *t, int rowno)
{
    int idx;
    for (int b = 0; b < t->nblocks; b++)
        if (rowdef_by_rowno(&t->blocks[b], rowno, &idx))
            return b;
    return -1;
}

static const js_rowdef *total_def(const js_tabledef *t, int *block, int *index)
{
    for (int b = 0; b < t->nblocks; b++)
        for (int r = 0; r < t->blocks[b].nrows; r++)
            if (t->blocks[b].rows[r].kind == JS_ROWK_TOTAL) {
                *block = b;
                *index = r;
                return &t->blocks[b].rows[r];
            }
    return NULL;
}

static bool block_has_codes(const js_blockdef *b)
{
    for (int r = 0; r < b->nrows; r++)
        if (b->rows[r].kind == JS_ROWK_FUNCTIONAL || b->rows[r].kind == JS_ROWK_ECONOMIC)
            return true;
    return false;
}

static bool block_is_econ(const js_blockdef *b)
{
    for (int r = 0; r < b->nrows; r++)
        if (b->rows[r].kind == JS_ROWK_ECONOMIC)
            return true;
    return false;
}

/* Copies s into dst[n], cut at a character boundary when too long. */
static void set_text(char *dst, size_t n, const char *s)
{
    size_t k = strlen(s);
    if (k >= n) {
        k = n - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    memcpy(dst, s, k);
    dst[k] = '\0';
}

static void append_text(char *dst, size_t n, const char *s)
{
    size_t o = strlen(dst);
    set_text(dst + o, n - o, s);
}

/* Code points of s into cp (at most max); returns their count. */
static int code_points(const char *s, uint32_t *cp, int max)
{
    int n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < max) {
        uint32_t c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            c = (c << 6) | (*p++ & 0x3F);
        cp[n++] = c;
    }
    return n;
}

/* Whether printed text a is b with a few characters garbled by the
 * extraction: their longest common subsequence covers 80% of the longer. */
static bool nearly_equal(const char *a, const char *b)
{
    uint32_t x[128], y[128];
    int n = code_points(a, x, 128), m = code_points(b, y, 128);
    if (n < 4 || m < 4)
        return false;
    int prev[129] = {0}, cur[129] = {0};
    for (int i = 1; i <= n; i++) {
        for (int j = 1; j <= m; j++)
            cur[j] = x[i - 1] == y[j - 1] ? prev[j - 1] + 1 : cur[j - 1] > prev[j] ? cur[j - 1] : prev[j];
        memcpy(prev, cur, sizeof prev);
    }
    int longer = n > m ? n : m;
    return prev[m] * 5 >= longer * 4;
}

/* Footer def whose label is s, or -1. */
static int footer_of(const js_tabledef *t, const char *s)
{
    for (int f = 0; f < t->nfooters; f++)
        if (!strcmp(t->footers[f].label, s))
            return f;
    for (int f = 0; f < t->nfooters; f++)
        if (nearly_equal(s, t->footers[f].label))
            return f;
    return -1;
}

static bool push_row(rows_t *rs, const prow *r)
{
    if (!js_vec_reserve(&rs->rows, &rs->cap, rs->n + 1, sizeof *rs->rows))
        return false;
    rs->rows[rs->n++] = *r;
    return true;
}

/* The last row of block b, or NULL. */
static prow *last_of_block(rows_t *rs, int b)
{
    for (size_t i = rs->n; i-- > 0;)
        if (rs->rows[i].block == b)
            return &rs->rows[i];
    return NULL;
}

typedef struct {
    const js_rdoc *doc;
    const js_profile *p;
    const js_playout *l;
    const js_dict *dict;
    js_arena *a;
    js_ptmeta *meta;
} env;

static bool numbered(const char *label);

/* A numbered row of a row set without a fixed code list (一、一般公共服务支出
 * of the 类 a budget table shows, numbered in turn): the code of one of
 * its levels whose dictionary name (or an older edition's) is name. */
static bool dict_row(const env *e, const js_rowdef *rd, const char *name, int *seen, prow *r)
{
    js_dict_kind kind = rd->kind == JS_ROWK_ECONOMIC ? JS_DICT_ECON : JS_DICT_FUNC;
    size_t n;
    const js_code *codes = js_dict_codes(e->dict, kind, &n);
    for (size_t i = 0; i < n; i++) {
        const js_code *c = &codes[i];
        if (!(rd->levels >> c->digits & 1u) ||
            (strcmp(c->name, name) && !js_dict_is_former(e->dict, kind, c->code, c->digits, name)))
            continue;
        r->kind = JS_TROW_CODE;
        r->rowno = rd->rowno ? rd->rowno + *seen : 0; /* numbered in turn from the set's 行次 */
        ++*seen;
        r->level = c->digits;
        js_code_str(c->code, c->digits, r->code);
        return true;
    }
    return false;
}

/* A numbered row of a fixed code list (一、一般公共服务支出) found by its
 * label, for a layout without 行次: the code whose dictionary name follows
 * the numbering. */
static bool numbered_row(const env *e, tctx *x, const js_blockdef *bd, const char *label, prow *r)
{
    const char *p = strstr(label, "、");
    const char *name = p && p - label <= 12 ? p + strlen("、") : label;
    if (!e->dict)
        return false;
    for (int k = 0; k < bd->nrows; k++) {
        const js_rowdef *rd = &bd->rows[k];
        if (rd->kind != JS_ROWK_FUNCTIONAL && rd->kind != JS_ROWK_ECONOMIC)
            continue;
        if (!rd->ncodes && rd->numbered && numbered(label) && dict_row(e, rd, name, &x->numbered_seen[r->block], r))
            return true;
        for (int i = 0; i < rd->ncodes; i++) {
            js_dict_kind kind = rd->kind == JS_ROWK_ECONOMIC ? JS_DICT_ECON : JS_DICT_FUNC;
            const js_code *c = js_dict_find(e->dict, kind, rd->codes[i].code, rd->codes[i].digits);
            /* an older edition's name is read as the row it names (the
             * audit reports the name) */
            if (c && (!strcmp(c->name, name) ||
                      js_dict_is_former(e->dict, kind, rd->codes[i].code, rd->codes[i].digits, name))) {
                r->kind = JS_TROW_CODE;
                r->rowno = rd->rowno ? rd->rowno + i : 0;
                r->level = rd->codes[i].digits;
                js_code_str(rd->codes[i].code, rd->codes[i].digits, r->code);
                return true;
            }
        }
    }
    return false;
}

/* Whether a label starts with a numbering (一、 or （一）). */
static bool numbered(const char *label)
{
    static const char nums[] = "一二三四五六七八九十";
    const char *p = strstr(label, "、");
    if (starts_with(label, "（"))
        return true;
    if (!p || p == label || p - label > 12)
        return false;
    for (const char *q = label; q < p;) {
        if (*q >= '0' && *q <= '9') {
            q++;
            continue;
        }
        bool hit = false;
        for (size_t k = 0; k + 3 <= sizeof nums - 1 && !hit; k += 3)
            hit = !strncmp(q, nums + k, 3);
        if (!hit)
            return false;
        q += 3;
    }
    return true;
}

/* Whether s begins a fixed label of block bd, or the name of one of its
 * numbered codes (numbering ignored). */
static bool label_prefix(const env *e, const js_blockdef *bd, const char *s)
{
    size_t n = strlen(s);
    const char *p = strstr(s, "、");
    const char *bare = numbered(s) && p ? p + strlen("、") : s;
    for (int k = 0; k < bd->nrows; k++) {
        const js_rowdef *rd = &bd->rows[k];
        if (rd->label && !strncmp(rd->label, s, n))
            return true;
        for (int i = 0; i < rd->ncodes && e->dict && *bare; i++) {
            js_dict_kind kind = rd->kind == JS_ROWK_ECONOMIC ? JS_DICT_ECON : JS_DICT_FUNC;
            const js_code *c = js_dict_find(e->dict, kind, rd->codes[i].code, rd->codes[i].digits);
            if (c && !strncmp(c->name, bare, strlen(bare)))
                return true;
            size_t nf;
            const js_former_name *f = js_dict_former_names(e->dict, &nf);
            for (size_t j = 0; j < nf; j++)
                if (f[j].kind == kind && f[j].code == rd->codes[i].code && f[j].digits == rd->codes[i].digits &&
                    !strncmp(f[j].name, bare, strlen(bare)))
                    return true;
        }
    }
    return false;
}

static bool rowno_used(const tctx *x, int rowno)
{
    return rowno > 0 && rowno < 256 && (x->used[rowno / 64] >> (rowno % 64) & 1);
}

static void mark_rowno(tctx *x, int rowno)
{
    if (rowno > 0 && rowno < 256)
        x->used[rowno / 64] |= (uint64_t)1 << (rowno % 64);
}

/* Identifies a row by its label r->name (a layout without 行次): a footer,
 * the total, a numbered row of a fixed code list, a fixed label. */
static bool identify(const env *e, tctx *x, prow *r, bool *total_seen)
{
    const js_tabledef *t = x->t;
    const js_blockdef *bd = &t->blocks[r->block];
    int tb = 0, ti = 0;
    const js_rowdef *td = total_def(t, &tb, &ti);
    /* a label the layout prints differently (reading.json "labels") */
    const char *alias = json_string_value(json_object_get(json_object_get(e->l->root, "labels"), r->name));
    if (alias)
        set_text(r->name, sizeof r->name, alias);
    int f = footer_of(t, r->name);
    if (f >= 0) {
        r->kind = JS_TROW_FOOTER;
        r->block = t->footers[f].block;
        set_text(r->name, sizeof r->name, t->footers[f].label);
        return true;
    }
    size_t ll = strlen(r->name), tl = td && td->label ? strlen(td->label) : 0;
    if (td && tl && !*total_seen && !x->has_rowno && ll >= tl && !strcmp(r->name + ll - tl, td->label)) {
        r->kind = JS_TROW_TOTAL;
        r->block = tb;
        r->rowno = td->rowno;
        set_text(r->name, sizeof r->name, td->label);
        *total_seen = true;
        return true;
    }
    if (x->has_rowno)
        return false;
    if (numbered_row(e, x, bd, r->name, r)) {
        r->named = true;
        return true;
    }
    /* a label printed twice (一、一般公共预算财政拨款 for the year's funds and
     * again under 年初结转和结余) is the first row not yet read */
    for (int k = 0; k < bd->nrows; k++)
        if ((bd->rows[k].kind == JS_ROWK_ITEM || bd->rows[k].kind == JS_ROWK_SUM) && bd->rows[k].label &&
            !strcmp(bd->rows[k].label, r->name) && !rowno_used(x, bd->rows[k].rowno)) {
            r->kind = bd->rows[k].kind == JS_ROWK_SUM ? JS_TROW_SUM : JS_TROW_ITEM;
            r->rowno = bd->rows[k].rowno;
            mark_rowno(x, r->rowno);
            return true;
        }
    return false;
}

/* Turns one block's part of a data line into a row (or a continuation). */
static bool finish_part(const env *e, tctx *x, rows_t *rs, int b, part *pt, int page,
                        bool prev_data, bool *total_seen)
{
    (void)e;
    const js_tabledef *t = x->t;
    const js_blockdef *bd = &t->blocks[b];
    bool has_label = pt->label[0] != '\0';
    if (!has_label && !*pt->code && !pt->rowno && !pt->any_amount)
        return true;
    prow r;
    memset(&r, 0, sizeof r);
    r.block = b;
    r.page = page;
    memcpy(r.wan, pt->wan, sizeof r.wan);
    int tb = 0, ti = 0;
    const js_rowdef *td = total_def(t, &tb, &ti);
    if (pt->rowno) {
        int idx;
        const js_rowdef *rd = rowdef_by_rowno(bd, pt->rowno, &idx);
        if (rd && rd->kind == JS_ROWK_BLANK)
            return true;
        r.rowno = pt->rowno;
        if (rd && (rd->kind == JS_ROWK_FUNCTIONAL || rd->kind == JS_ROWK_ECONOMIC) && idx < rd->ncodes) {
            r.kind = JS_TROW_CODE;
            r.level = rd->codes[idx].digits;
            js_code_str(rd->codes[idx].code, rd->codes[idx].digits, r.code);
            set_text(r.name, sizeof r.name, pt->label);
            r.named = true;
        } else {
            r.kind = rd && rd->kind == JS_ROWK_SUM ? JS_TROW_SUM : rd && rd->kind == JS_ROWK_TOTAL ? JS_TROW_TOTAL : JS_TROW_ITEM;
            set_text(r.name, sizeof r.name, rd && rd->label ? rd->label : pt->label);
        }
        return push_row(rs, &r);
    }
    if (*pt->code) {
        r.kind = JS_TROW_CODE;
        set_text(r.code, sizeof r.code, pt->code);
        r.level = (int)strlen(pt->code);
        set_text(r.name, sizeof r.name, pt->label);
        r.named = true;
        return push_row(rs, &r);
    }
    if (has_label) {
        set_text(r.name, sizeof r.name, pt->label);
        if (identify(e, x, &r, total_seen))
            return push_row(rs, &r);
        /* a wrapped label goes on its row, unless it starts a known label
         * of its own; figures beside the wrapped part belong to the row
         * below (printed between two rows) */
        prow *last = last_of_block(rs, b);
        char joined[NAME_MAX_BYTES];
        set_text(joined, sizeof joined, last ? last->name : "");
        append_text(joined, sizeof joined, pt->label);
        bool own = label_prefix(e, bd, pt->label) || numbered(pt->label);
        if (!pt->any_amount) {
            if (prev_data && last && last->named && (label_prefix(e, bd, joined) || !own)) {
                append_text(last->name, sizeof last->name, pt->label);
                return true;
            }
            if (!own)
                return true;
        } else if (!x->has_rowno && prev_data && last && last->named && !own && label_prefix(e, bd, joined)) {
            append_text(last->name, sizeof last->name, pt->label);
            r.kind = JS_TROW_ITEM;
            r.unlabelled = r.orphan = true;
            return push_row(rs, &r);
        }
        /* a row whose label is not known yet (it may continue on the next
         * line), or a code row whose code the extraction lost: identified
         * again when the table is read, else rebuilt from the dictionary */
        r.kind = block_has_codes(bd) ? JS_TROW_CODE : JS_TROW_ITEM;
        r.named = r.pending = true;
        return push_row(rs, &r);
    }
    if (td && !*total_seen && pt->any_amount) {
        r.kind = JS_TROW_TOTAL;
        r.unlabelled = true;
        r.block = tb;
        set_text(r.name, sizeof r.name, td->label ? td->label : "");
        *total_seen = true;
        return push_row(rs, &r);
    }
    if (pt->any_amount) {
        /* figures without a label: the next row's, printed above its label */
        r.kind = JS_TROW_ITEM;
        r.unlabelled = r.orphan = true;
        return push_row(rs, &r);
    }
    return true;
}

/* The number of an item of a list printed apart from its label (1. of
 * "1. 一般公共预算资金"): one or two digits and a point. */
static bool list_number(const char *s)
{
    size_t d = strspn(s, "0123456789");
    return d >= 1 && d <= 2 && !strcmp(s + d, ".");
}

static bool ignored(const env *e, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(js_playout_list(e->l, NULL, "ignore"), i, v)
        if (json_is_string(v) && !strcmp(json_string_value(v), s))
            return true;
    return false;
}

/* Reads one data line into rows. */
static bool data_line(const env *e, tctx *x, rows_t *rs, const js_rline *ln, bool prev_data, bool *total_seen)
{
    const js_tabledef *t = x->t;
    part parts[JS_MAX_BLOCKS];
    memset(parts, 0, sizeof parts);
    char num[48];
    int footer_block[JS_MAX_BLOCKS];
    int nfooter = 0, nignored = 0;
    /* 类 款 项 together are a sub-heading; 款 alone may end a wrapped label */
    for (int i = 0; i < ln->ncells; i++)
        nignored += ignored(e, ln->cells[i].text);
    for (int i = 0; i < ln->ncells; i++) {
        const js_rcell *c = &ln->cells[i];
        js_pn_kind k = js_pn_number(c->text, 2, num, sizeof num);
        int near = nearest(x, center(c), -1);
        int nk = near >= 0 ? (int)x->cd[near]->kind : -1;
        if (k == JS_PN_DASH)
            continue;
        if (k == JS_PN_INT && x->has_rowno && nk == JS_COLK_ROWNO) {
            int b = block_of_rowno(t, atoi(num));
            if (b < 0)
                b = x->blk[near];
            if (!parts[b].rowno && strlen(num) < 6)
                parts[b].rowno = atoi(num);
            continue;
        }
        if (k == JS_PN_INT && (nk == JS_COLK_CODE || nk == JS_COLK_LABEL || near < 0)) {
            size_t nd = strlen(num);
            int b = near >= 0 ? x->blk[near] : 0;
            if (nd == 3 || nd == 5 || nd == 7) {
                if (strlen(parts[b].code) == 5 && nd == 3) /* 20306 599: 类款 then 款项 split */
                    memcpy(parts[b].code + 5, num + 1, 3);
                else if (!*parts[b].code)
                    memcpy(parts[b].code, num, nd + 1);
                continue;
            }
            if (nd == 2 && (strlen(parts[b].code) == 5 || strlen(parts[b].code) == 3)) {
                /* 类 款 项 in separate columns: 201 06 01 */
                memcpy(parts[b].code + strlen(parts[b].code), num, 3);
                continue;
            }
        }
        if (k == JS_PN_INT || k == JS_PN_AMOUNT) {
            int col = amount_column(x, c);
            if (col < 0)
                continue;
            if (k == JS_PN_INT)
                js_pn_number(c->text, 2, num, sizeof num), strcat(num, "");
            char fixed[48];
            if (k == JS_PN_INT)
                snprintf(fixed, sizeof fixed, "%s.00", num);
            else
                set_text(fixed, sizeof fixed, num);
            int b = x->blk[col];
            if (nfooter) /* on a footer line a figure belongs to the footer before it */
                b = footer_block[nfooter - 1];
            part *pt = &parts[b];
            int target = col;
            if (nfooter) {
                target = -1;
                for (int kk = 0; kk < x->ncols; kk++)
                    if (x->blk[kk] == b && x->cd[kk]->kind == JS_COLK_AMOUNT) {
                        target = kk;
                        break;
                    }
                if (target < 0)
                    continue;
            }
            if (!pt->wan[target]) {
                pt->wan[target] = js_arena_strdup(e->a, fixed);
                pt->any_amount = true;
            }
            continue;
        }
        /* text: a label, unless it is only stray marks (full-width
         * brackets of a letter-spaced label stay), or a sub-heading the
         * layout prints among the rows (reading.json "ignore": 类 款 项) */
        if ((!js_pn_has_cjk(c->text) && !starts_with(c->text, "（") && !starts_with(c->text, "）") &&
             !list_number(c->text)) ||
            (nignored >= 2 && ignored(e, c->text)))
            continue;
        int lk = nearest(x, center(c), JS_COLK_LABEL);
        int b = lk >= 0 ? x->blk[lk] : 0;
        char cat[NAME_MAX_BYTES];
        set_text(cat, sizeof cat, parts[b].label);
        append_text(cat, sizeof cat, c->text);
        int f = footer_of(t, cat);
        if (f >= 0) {
            b = t->footers[f].block;
            set_text(parts[b].label, sizeof parts[b].label, cat);
            if (lk >= 0 && x->blk[lk] != b)
                parts[x->blk[lk]].label[0] = '\0';
            if (nfooter < JS_MAX_BLOCKS)
                footer_block[nfooter++] = b;
            continue;
        }
        if (footer_of(t, c->text) >= 0) {
            b = t->footers[footer_of(t, c->text)].block;
            set_text(parts[b].label, sizeof parts[b].label, c->text);
            if (nfooter < JS_MAX_BLOCKS)
                footer_block[nfooter++] = b;
            continue;
        }
        append_text(parts[b].label, sizeof parts[b].label, c->text);
    }
    for (int b = 0; b < t->nblocks; b++) {
        if (!finish_part(e, x, rs, b, &parts[b], ln->page, prev_data, total_seen))
            return false;
    }
    return true;
}

static int heading_words(const tctx *x, const js_rline *ln)
{
    int n = 0;
    for (int i = 0; i < ln->ncells; i++)
        n += is_heading_word(x, ln->cells[i].text);
    return n;
}

/* A later line of a heading wrapped in its cell, at least three
 * characters (和结余 of 年初结转和结余, 金预算财 of 政府性基金预算财政拨款):
 * printed beside a merged heading centred across the lines, it shares
 * that heading's line. */
static bool heading_tail(const tctx *x, const char *s)
{
    size_t n = strlen(s);
    if (n < 9 || !js_pn_has_cjk(s))
        return false;
    for (int k = 0; k < x->ncols; k++)
        for (int l = 0; l < x->cd[k]->depth; l++) {
            const char *h = x->cd[k]->heading[l];
            size_t hn = strlen(h);
            if (hn > n && strncmp(h, s, n) && strstr(h, s))
                return true;
        }
    return false;
}

/* Whether a line is part of the table's heading. */
static bool is_header_line(const tctx *x, const js_rline *ln)
{
    int words = 0, cells = 0, nos = 0;
    bool lanci = false;
    char num[48];
    for (int i = 0; i < ln->ncells; i++) {
        js_pn_kind k = js_pn_number(ln->cells[i].text, 2, num, sizeof num);
        if (k == JS_PN_AMOUNT)
            return false;
        if (!*ln->cells[i].text)
            continue;
        cells++;
        words += is_heading_word(x, ln->cells[i].text) || heading_tail(x, ln->cells[i].text);
        for (int c = 0; c < x->ncols; c++)
            if (k == JS_PN_INT && x->cd[c]->kind == JS_COLK_AMOUNT && x->cd[c]->no &&
                !strcmp(x->cd[c]->no, ln->cells[i].text)) {
                nos++;
                break;
            }
        lanci |= !strcmp(ln->cells[i].text, "栏次") || !strcmp(ln->cells[i].text, "行次");
    }
    /* mostly headings (a row labelled like a column, 一般公共预算财政拨款
     * 29 61, is not) */
    return lanci || (words > 0 && words * 2 >= cells) || (nos >= 2 && nos == cells);
}

/* Rebuilds codes the extraction lost, from the codes around them and the
 * dictionary; takes the dictionary's name for a name cut short. */
static void mend_codes(const env *e, const tctx *x, rows_t *rs)
{
    if (!e->dict)
        return;
    for (size_t i = 0; i < rs->n; i++) {
        prow *r = &rs->rows[i];
        if (r->kind != JS_TROW_CODE)
            continue;
        js_dict_kind kind = block_is_econ(&x->t->blocks[r->block]) ? JS_DICT_ECON : JS_DICT_FUNC;
        if (!*r->code) {
            long lo = 0, hi = 99999999;
            for (size_t j = i; j-- > 0;)
                if (rs->rows[j].block == r->block && *rs->rows[j].code) {
                    lo = atol(rs->rows[j].code);
                    break;
                }
            for (size_t j = i + 1; j < rs->n; j++)
                if (rs->rows[j].block == r->block && *rs->rows[j].code) {
                    hi = atol(rs->rows[j].code);
                    break;
                }
            size_t n;
            const js_code *codes = js_dict_codes(e->dict, kind, &n);
            const js_code *found = NULL;
            int count = 0, best = -1;
            char los[16], his[16];
            snprintf(los, sizeof los, "%ld", lo);
            snprintf(his, sizeof his, "%ld", hi);
            for (size_t k = 0; k < n; k++) {
                int digits = codes[k].digits;
                char s[8];
                js_code_str(codes[k].code, digits, s);
                long v = atol(s);
                long lo_d = lo, hi_d = hi;
                /* compare at the same number of digits */
                if (lo && (int)snprintf(NULL, 0, "%ld", lo) != digits)
                    continue;
                if (hi != 99999999 && (int)snprintf(NULL, 0, "%ld", hi) != digits)
                    continue;
                if (!(v > lo_d && v < hi_d && !strcmp(codes[k].name, r->name)))
                    continue;
                /* the candidate sharing most digits with a neighbour */
                int share = 0;
                while (share < digits && s[share] == los[share])
                    share++;
                int sh2 = 0;
                while (sh2 < digits && s[sh2] == his[sh2])
                    sh2++;
                share = sh2 > share ? sh2 : share;
                if (share > best)
                    best = share, found = &codes[k], count = 1;
                else if (share == best)
                    count++;
            }
            if (count == 1) {
                js_code_str(found->code, found->digits, r->code);
                r->level = found->digits;
            }
        }
        if (*r->code && !r->rowno && !numbered(r->name)) { /* numbered rows (一、…) keep their printed name */
            const js_code *c = js_dict_find(e->dict, kind, (uint32_t)atol(r->code), (int)strlen(r->code));
            size_t nl = strlen(r->name);
            /* an older edition's name stays as printed (the audit reports it) */
            if (c && !js_dict_is_former(e->dict, kind, c->code, c->digits, r->name) &&
                (nl == 0 || (nl < strlen(c->name) && !strncmp(c->name, r->name, nl)) ||
                 nearly_equal(r->name, c->name)))
                set_text(r->name, sizeof r->name, c->name);
        }
    }
}

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

/* A row as tables.json gives it; each figure as printed, under "wan" in
 * a table in 万元, under "yuan" in one in 元. */
static json_t *row_json(const tctx *x, const prow *r, int pos, js_money_unit unit)
{
    static const char *const k_rowkind[] = {"item", "blank", "sum", "total", "code", "footer"};
    json_t *cells = json_object();
    for (int k = 0; k < x->ncols; k++)
        if (x->blk[k] == r->block && x->cd[k]->kind == JS_COLK_AMOUNT)
            json_object_set_new(cells, x->cd[k]->key,
                                json_pack("{s:o}", unit == JS_UNIT_YUAN ? "yuan" : "wan", str_or_null(r->wan[k])));
    return json_pack("{s:i, s:o, s:i, s:s, s:o, s:s, s:i, s:o, s:i}", "block", r->block, "row",
                     r->rowno ? json_integer(r->rowno) : json_null(), "pos", pos, "kind", k_rowkind[r->kind],
                     "code", str_or_null(r->code), "name", r->name, "level", r->level, "cells", cells, "page",
                     r->page);
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Whether a line starts with a classification code (3, 5 or 7 digits). */
static bool code_line(const js_rline *l)
{
    char num[48];
    size_t k;
    return l->ncells > 0 && js_pn_number(l->cells[0].text, 0, num, sizeof num) == JS_PN_INT &&
           ((k = strlen(num)) == 3 || k == 5 || k == 7);
}

/* The lines of table rows whose figures and labels sit off their code's
 * baseline (fonts with odd boxes print them a little above or below):
 * each line without a code joins the nearest line with one on its page,
 * when closer than half the rows' spacing. Only in a PDF, for a table
 * with a code column where figures stand on lines of their own; else the
 * lines as they are. In the arena; NULL when out of memory. */
static js_rline *band_rows(const env *e, const tctx *x, size_t from, size_t to)
{
    size_t m = to - from;
    js_rline *out = js_arena_alloc(e->a, sizeof *out * (m + 1));
    if (!out)
        return NULL;
    memcpy(out, e->doc->lines + from, sizeof *out * m);
    if (!e->doc->pdf || !x->has_code || m < 3)
        return out;
    char num[48];
    int figs = 0;
    size_t ngaps = 0;
    double *gaps = js_arena_alloc(e->a, sizeof *gaps * (m + 1));
    long *target = js_arena_alloc(e->a, sizeof *target * (m + 1));
    if (!gaps || !target)
        return NULL;
    for (size_t i = 0; i < m; i++) {
        bool only = out[i].ncells > 0;
        for (int c = 0; c < out[i].ncells && only; c++)
            only = js_pn_number(out[i].cells[c].text, 2, num, sizeof num) == JS_PN_AMOUNT;
        figs += only;
    }
    for (size_t i = 0, prev = m; i < m; i++)
        if (code_line(&out[i])) {
            if (prev < m && out[prev].page == out[i].page)
                gaps[ngaps++] = out[i].mid - out[prev].mid;
            prev = i;
        }
    (void)figs;
    if (ngaps < 2)
        return out;
    qsort(gaps, ngaps, sizeof *gaps, dbl_cmp);
    double half = gaps[ngaps / 2] / 2;
    for (size_t i = 0; i < m; i++) {
        target[i] = -1;
        if (code_line(&out[i]))
            continue;
        double best = half;
        for (size_t j = 0; j < m; j++)
            if (code_line(&out[j]) && out[j].page == out[i].page &&
                (out[j].mid > out[i].mid ? out[j].mid - out[i].mid : out[i].mid - out[j].mid) < best) {
                best = out[j].mid > out[i].mid ? out[j].mid - out[i].mid : out[i].mid - out[j].mid;
                target[i] = (long)j;
            }
    }
    size_t n = 0;
    for (size_t j = 0; j < m; j++) {
        if (target[j] >= 0)
            continue;
        js_rline l = out[j];
        int nc = l.ncells;
        for (size_t i = 0; i < m; i++)
            if (target[i] == (long)j)
                nc += out[i].ncells;
        if (nc != l.ncells) {
            js_rcell *cells = js_arena_alloc(e->a, sizeof *cells * (size_t)(nc + 1));
            if (!cells)
                return NULL;
            /* line by line from the top (a wrapped label continues after
             * its first line), each line's cells left to right */
            int k = 0;
            for (size_t i = 0; i < m; i++)
                for (int c = 0; (i == j || target[i] == (long)j) && c < out[i].ncells; c++)
                    cells[k++] = out[i].cells[c];
            l.cells = cells;
            l.ncells = nc;
        }
        out[n++] = l;
    }
    out[n].ncells = -1; /* end */
    return out;
}

/* Reads table t from lines [from, to) into a tables.json table object. */
static json_t *read_table(const env *e, const js_tabledef *t, size_t from, size_t to, int year, bool *in_table)
{
    tctx x;
    ctx_init(&x, t);
    rows_t rs = {0};
    bool header = true, notes = false, prev_data = false, total_seen = false;
    js_rcell hdr[JS_MAX_REPORT_CELLS];
    int nhdr = 0, hdr_page = 0;
    int page = from > 0 ? e->doc->lines[from - 1].page : 1;
    const char *empty = NULL;
    char empty_want[1024] = "";
    /* the unit the table's 单位 line gives, else its definition's */
    js_money_unit unit = t->yuan ? JS_UNIT_YUAN : JS_UNIT_WAN;
    for (size_t i = from; i < to; i++)
        in_table[i] = true;
    js_rline *lines = band_rows(e, &x, from, to);
    if (!lines)
        return NULL;
    for (size_t li = 0; li < to - from && lines[li].ncells >= 0; li++) {
        const js_rline *ln = &lines[li];
        const char *s = ln->joined;
        if (is_page_number(s))
            continue;
        if (ln->page != page) {
            page = ln->page;
            prev_data = false;
            if (is_header_line(&x, ln))
                header = true;
        }
        for (int c = 0; c < ln->ncells; c++) {
            const char *ct = ln->cells[c].text;
            const char *colon = NULL;
            if ((starts_with(ct, "部门：") || starts_with(ct, "部门:") || starts_with(ct, "单位名称：") ||
                 starts_with(ct, "编制部门：") || starts_with(ct, "编制部门:")) &&
                !*e->meta->department) {
                colon = strstr(ct, "：") ? strstr(ct, "：") + strlen("：") : strchr(ct, ':') + 1;
                set_text(e->meta->department, sizeof e->meta->department, colon);
            }
            if (strstr(ct, "单位：万元") || strstr(ct, "单位:万元")) {
                snprintf(e->meta->unit, sizeof e->meta->unit, "万元");
                unit = JS_UNIT_WAN;
            } else if (strstr(ct, "单位：元") || strstr(ct, "单位:元")) {
                snprintf(e->meta->unit, sizeof e->meta->unit, "元");
                unit = JS_UNIT_YUAN;
            }
        }
        if (t->empty_text && !*empty_want)
            js_fill_template(t->empty_text, year, e->meta->department, js_profile_wording(e->p, "self_department"),
                             empty_want, sizeof empty_want);
        if (*empty_want && strstr(s, empty_want)) {
            empty = empty_want;
            continue;
        }
        if (notes || is_note(s)) {
            notes = true;
            continue;
        }
        if (strstr(s, "部门：") || strstr(s, "部门:") || strstr(s, "单位：") || strstr(s, "单位:") ||
            strstr(s, "公开") == s)
            continue;
        /* after a data row a heading word alone is a wrapped label (支出) */
        if (is_header_line(&x, ln) && (!prev_data || heading_words(&x, ln) >= 2)) {
            if (prev_data || ln->page != hdr_page)
                nhdr = 0;
            hdr_page = ln->page;
            for (int c = 0; c < ln->ncells && nhdr < (int)(sizeof hdr / sizeof *hdr); c++)
                nhdr += split_heading(e->a, &x, &ln->cells[c], hdr + nhdr, (int)(sizeof hdr / sizeof *hdr) - nhdr);
            if (header_anchors(&x, ln, hdr, nhdr))
                header = false;
            prev_data = false;
            continue;
        }
        if (header) {
            char num[48];
            bool figures = false;
            for (int c = 0; c < ln->ncells; c++)
                figures |= js_pn_number(ln->cells[c].text, 2, num, sizeof num) == JS_PN_AMOUNT;
            if (!figures || x.has_nos)
                continue;
            header = false;
        }
        size_t before = rs.n;
        if (!data_line(e, &x, &rs, ln, prev_data, &total_seen)) {
            free(rs.rows);
            return NULL;
        }
        prev_data = rs.n > before || prev_data;
    }
    int tb0 = 0, ti0 = 0;
    const js_rowdef *td0 = total_def(t, &tb0, &ti0);
    for (size_t i = 0; i < rs.n; i++)
        if (rs.rows[i].pending) {
            rs.rows[i].pending = false;
            prow *r = &rs.rows[i];
            bool figures = false;
            for (int k = 0; k < x.ncols; k++)
                figures |= r->wan[k] != NULL;
            /* the total's label on its own line next to its figures */
            const char *tl = td0 ? td0->label : NULL;
            if (!figures && tl && *tl && !strcmp(r->name, tl)) {
                bool merged = false;
                for (size_t j = 0; j < rs.n && !merged; j++)
                    merged = rs.rows[j].kind == JS_TROW_TOTAL && rs.rows[j].unlabelled;
                if (merged) {
                    memmove(r, r + 1, sizeof *r * (rs.n - i - 1));
                    rs.n--, i--;
                    continue;
                }
            }
            identify(e, &x, r, &total_seen);
        }
    /* figures printed above their label go to the next row of their block
     * (a footer: its block's amount column), into its empty cells */
    for (size_t i = 0; i < rs.n; i++) {
        if (!rs.rows[i].orphan)
            continue;
        prow *o = &rs.rows[i];
        for (size_t j = i + 1; j < rs.n; j++) {
            prow *r = &rs.rows[j];
            if (r->orphan || r->block != o->block)
                continue;
            for (int k = 0; k < x.ncols; k++) {
                int dst = k;
                if (r->kind == JS_TROW_FOOTER) /* its figure is its block's amount */
                    for (dst = 0; dst < x.ncols && !(x.blk[dst] == r->block && x.cd[dst]->kind == JS_COLK_AMOUNT);
                         dst++)
                        ;
                if (o->wan[k] && dst < x.ncols && !r->wan[dst])
                    r->wan[dst] = o->wan[k];
            }
            break;
        }
    }
    size_t kept = 0;
    for (size_t i = 0; i < rs.n; i++)
        if (!rs.rows[i].unlabelled || rs.rows[i].kind == JS_TROW_TOTAL)
            rs.rows[kept++] = rs.rows[i];
    rs.n = kept;
    mend_codes(e, &x, &rs);
    int tb = 0, ti = 0;
    const js_rowdef *td = total_def(t, &tb, &ti);
    json_t *rows = json_array();
    int pos = 0;
    /* a total not read: blank, first when the layout prints it first, or
     * the only row of an empty table whose 合计 line reads as a heading */
    prow blank_total;
    memset(&blank_total, 0, sizeof blank_total);
    blank_total.block = tb;
    blank_total.kind = JS_TROW_TOTAL;
    blank_total.page = page;
    set_text(blank_total.name, sizeof blank_total.name, td && td->label ? td->label : "");
    if (td && !total_seen && ti == 0)
        json_array_append_new(rows, row_json(&x, &blank_total, ++pos, unit));
    for (int b = 0; b < t->nblocks; b++)
        for (size_t i = 0; i < rs.n; i++)
            if (rs.rows[i].block == b && rs.rows[i].kind != JS_TROW_FOOTER)
                json_array_append_new(rows, row_json(&x, &rs.rows[i], ++pos, unit));
    if (td && !total_seen && ti > 0 && rs.n == 0)
        json_array_append_new(rows, row_json(&x, &blank_total, ++pos, unit));
    for (size_t i = 0; i < rs.n; i++)
        if (rs.rows[i].kind == JS_TROW_FOOTER)
            json_array_append_new(rows, row_json(&x, &rs.rows[i], ++pos, unit));
    free(rs.rows);
    json_t *blocks = json_array();
    for (int b = 0; b < t->nblocks; b++)
        json_array_append_new(blocks, json_pack("{s:s, s:o}", "heading", t->blocks[b].heading, "columns",
                                                js_json_columns(&t->blocks[b])));
    char title[512];
    js_fill_template(t->title, year, e->meta->department, js_profile_wording(e->p, "self_department"), title,
                     sizeof title);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:i}", "id", t->id, "number", t->number,
                     "title", title, "amount_unit", unit == JS_UNIT_YUAN ? "元" : "万元", "unit_label",
                     t->unit_label ? t->unit_label : "", "note", str_or_null(t->note),
                     "empty_text", str_or_null(empty), "remark", json_null(), "blocks", blocks, "rows", rows, "page",
                     from > 0 ? e->doc->lines[from - 1].page : 1);
}

json_t *js_printed_tables(const js_rdoc *doc, const js_profile *p, const js_playout *l, const js_dict *dict,
                          js_ptmeta *meta, bool *in_table)
{
    js_arena a;
    js_arena_init(&a);
    env e = {doc, p, l, dict, &a, meta};
    size_t nt = js_profile_ntables(p);
    size_t *start = calloc(nt + 1, sizeof *start);
    int *years = calloc(nt + 1, sizeof *years);
    json_t *out = json_array();
    if (!start || !years || !out)
        goto fail;
    /* each table's title line (1-based; 0 when not found) */
    for (size_t i = 0; i < doc->nlines; i++)
        for (size_t t = 0; t < nt; t++)
            if (!start[t] && is_title(doc->lines[i].joined, js_profile_table(p, t), l, &years[t])) {
                start[t] = i + 1;
                break;
            }
    if (!meta->year)
        meta->year = js_printed_year(doc, p, l);
    for (size_t t = 0; t < nt; t++) {
        if (!start[t])
            continue;
        if (!meta->year && years[t])
            meta->year = years[t];
        if (!meta->first_page || doc->lines[start[t] - 1].page < meta->first_page)
            meta->first_page = doc->lines[start[t] - 1].page;
    }
    for (size_t t = 0; t < nt; t++) {
        if (!start[t])
            continue;
        size_t end = doc->nlines;
        for (size_t u = 0; u < nt; u++)
            if (start[u] > start[t] && start[u] - 1 < end)
                end = start[u] - 1;
        for (size_t i = start[t]; i < end; i++)
            if (is_part_heading(doc->lines[i].joined) || ends_tables(l, doc->lines[i].joined) ||
                names_table(p, l, doc->lines[i].joined)) {
                end = i;
                break;
            }
        in_table[start[t] - 1] = true;
        json_t *tj = read_table(&e, js_profile_table(p, t), start[t], end, meta->year, in_table);
        if (!tj)
            goto fail;
        json_array_append_new(out, tj);
        meta->ntables++;
    }
    free(start);
    free(years);
    js_arena_release(&a);
    return out;
fail:
    free(start);
    free(years);
    json_decref(out);
    js_arena_release(&a);
    return NULL;
}
