/* `require` rules: rows a table must print because another table's figures
 * imply them (docs/rules.md, "Required rows").
 *
 * `require T01 类 for T03.本年支出合计`: group T03's deepest rows (those
 * with no row below them in T03) by their 类 (the first 3 digits of the
 * code); a group whose figures in 本年支出合计 cannot add up to zero (the
 * sum of their rounding intervals, blanks exactly 0, excludes 0) implies
 * that T01 prints a row for that 类. A missing one is a finding naming the
 * table and the row, where the rules that read the row would take it as 0.
 * Without a column, any amount column of the row counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "printed.h"
#include "rules_ast.h"

/* Addends named in a finding: the first rows of the group. */
#define REQUIRE_ADDENDS 6

/* The columns of src that count: col (by name) or every amount column. */
static bool counts(const js_vtable *t, int c, const char *col)
{
    return t->cols[c].block >= 0 && (!col || !strcmp(t->cols[c].name, col));
}

typedef struct {
    js_fen lo, hi;
} span;

/* Adds row's figure in column c (its rounding interval when printed) to s;
 * false on overflow. */
static bool add_figure(bool printed, const js_vtable *t, const js_vrow *row, int c, span *s)
{
    js_fen lo = row->val[c], hi = row->val[c];
    if (row->blank[c])
        return true;
    if (printed)
        js_printed_interval(row->val[c], t->half, &lo, &hi);
    return js_fen_add(s->lo, lo, &s->lo) && js_fen_add(s->hi, hi, &s->hi);
}

static bool present(const js_vtable *t, const char *code)
{
    for (int i = 0; i < t->nrows; i++)
        if (!strcmp(t->rows[i].code, code))
            return true;
    return false;
}

static void report(const rule *r, const js_vtable *t, const js_vtable *src, const char *code,
                   size_t len, js_findings *out)
{
    static const char *const level_name[] = {[3] = "类", [5] = "款", [7] = "项"};
    /* {行}: the code and, when src prints that very row, its label. */
    char rowname[160];
    const js_vrow *same = NULL;
    for (int i = 0; i < src->nrows && !same; i++)
        if (!strcmp(src->rows[i].code, code))
            same = &src->rows[i];
    snprintf(rowname, sizeof rowname, "%s %s%s%s", level_name[r->level], code, same ? " " : "",
             same ? same->name : "");
    char msg[1024];
    size_t o = 0;
    for (const char *p = r->message; *p && o + 1 < sizeof msg;) {
        const char *rep = !strncmp(p, "{表}", strlen("{表}"))   ? t->number
                          : !strncmp(p, "{行}", strlen("{行}")) ? rowname
                                                                : NULL;
        if (rep) {
            o += (size_t)snprintf(msg + o, sizeof msg - o, "%s", rep);
            p += strlen("{表}");
        } else {
            msg[o++] = *p++;
        }
        if (o >= sizeof msg)
            o = sizeof msg - 1;
        msg[o] = '\0';
    }
    js_finding *x = js_findings_add(out, r->id, r->sev,
                                    "%s（缺少的行不能当作 0：%s在该%s下的数字见下列各行）", msg, src->number,
                                    level_name[r->level]);
    if (!x)
        return;
    snprintf(x->table, sizeof x->table, "%s", t->id);
    snprintf(x->row, sizeof x->row, "%s", code);
    size_t named = 0;
    for (int i = 0; i < src->nrows && named < REQUIRE_ADDENDS; i++) {
        const js_vrow *row = &src->rows[i];
        if (strncmp(row->code, code, len) || js_vrow_has_below(src, row))
            continue;
        for (int c = 0; c < src->ncols && named < REQUIRE_ADDENDS; c++) {
            if (!counts(src, c, r->src_col) || row->block != src->cols[c].block || row->blank[c] ||
                !row->val[c])
                continue;
            js_addend a;
            js_addend_of(src, row, c, src->cols[c].name, 'R', &a);
            if (!js_finding_addend(out, x, &a))
                return;
            named++;
            if (r->src_col)
                break;
        }
    }
}

/* A group of src's leaf rows under one code: per column, the interval of
 * their sum. */
typedef struct {
    char code[8];
    span *cols;
    bool overflow;
} group;

void js_rules_require(const rule *r, const js_view *v, js_findings *out, size_t *checked,
                      size_t *failures)
{
    /* both NUL-terminated by the parser (table_token) */
    const js_vtable *t = js_view_find(v, r->table), *src = js_view_find(v, r->src);
    if (!t || !src || src->nrows == 0)
        return;
    /* A table that prints no row at that level (a layout of 项 only) is
     * not asked for one. */
    bool prints_level = false;
    for (int i = 0; i < t->nrows && !prints_level; i++)
        prints_level = t->rows[i].code[0] && t->rows[i].level == r->level;
    if (!prints_level)
        return;
    bool named = !r->src_col;
    for (int c = 0; c < src->ncols && !named; c++)
        named = counts(src, c, r->src_col);
    if (!named) {
        js_findings_add(out, r->id, JS_SEV_ERROR, "规则与表不符：表%s没有列「%s」（%s）", src->id, r->src_col,
                        r->check);
        (*checked)++;
        (*failures)++;
        return;
    }
    size_t len = (size_t)r->level, ng = 0, ncols = (size_t)src->ncols;
    group *g = calloc((size_t)src->nrows, sizeof *g);
    span *spans = calloc((size_t)src->nrows * ncols + 1, sizeof *spans);
    if (!g || !spans) {
        free(g);
        free(spans);
        js_findings_add(out, r->id, JS_SEV_ERROR, "内存不足，未能检查%s", r->check);
        (*failures)++;
        return;
    }
    for (int i = 0; i < src->nrows; i++) {
        const js_vrow *row = &src->rows[i];
        if (strlen(row->code) < len || js_vrow_has_below(src, row))
            continue;
        size_t k = 0;
        while (k < ng && strncmp(g[k].code, row->code, len))
            k++;
        if (k == ng) {
            size_t cl = strnlen(row->code, len < sizeof g[k].code ? len : sizeof g[k].code - 1);
            memcpy(g[k].code, row->code, cl); /* "%.*s" without printf */
            g[k].code[cl] = '\0';
            g[k].cols = spans + k * ncols;
            ng++;
        }
        for (int c = 0; c < src->ncols; c++)
            if (counts(src, c, r->src_col) && row->block == src->cols[c].block &&
                !add_figure(js_view_printed(v), src, row, c, &g[k].cols[c]))
                g[k].overflow = true;
    }
    for (size_t k = 0; k < ng; k++) {
        bool implied = false;
        for (size_t c = 0; c < ncols && !implied && !g[k].overflow; c++)
            implied = g[k].cols[c].lo > 0 || g[k].cols[c].hi < 0;
        if (!implied)
            continue;
        (*checked)++;
        if (!present(t, g[k].code)) {
            report(r, t, src, g[k].code, len, out);
            (*failures)++;
        }
    }
    free(g);
    free(spans);
}
