/* The consistency pass over a whole printed report: interval propagation
 * over the identities of the error rules (consistency.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consistency.h"
#include "consistency_model.h"
#include "findings.h"
#include "printed.h"
#include "vec.h"

/* Rules named in a finding's message; the addends list every figure. */
#define CONSIST_NAMED_RULES 3

js_consist *js_consist_new(const js_view *v)
{
    js_consist *cs = calloc(1, sizeof *cs);
    if (!cs)
        return NULL;
    cs->v = v;
    size_t n = js_view_count(v);
    cs->toff = calloc(n + 1, sizeof *cs->toff);
    if (!cs->toff) {
        free(cs);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const js_vtable *t = js_view_table(v, i);
        cs->toff[i] = cs->nvars;
        cs->nvars += (size_t)t->nrows * (size_t)t->ncols;
    }
    cs->toff[n] = cs->nvars;
    return cs;
}

void js_consist_free(js_consist *cs)
{
    if (!cs)
        return;
    free(cs->toff);
    free(cs->terms);
    free(cs->cons);
    free(cs->lo);
    free(cs->hi);
    free(cs->ev_lo);
    free(cs->ev_hi);
    free(cs->ev);
    free(cs);
}

void js_consist_begin(js_consist *cs)
{
    cs->nterms = cs->pending;
    cs->pend_k = 0;
    cs->pend_bad = false;
}

void js_consist_term(js_consist *cs, const js_vtable *t, const js_vrow *row, int col, int sign)
{
    size_t ti = (size_t)(t - js_view_table(cs->v, 0));
    if (cs->nterms >= JS_MAX_CONSIST_TERMS) {
        cs->pend_bad = true;
        return;
    }
    if (!js_vec_reserve(&cs->terms, &cs->tcap, cs->nterms + 1, sizeof *cs->terms)) {
        cs->oom = cs->pend_bad = true;
        return;
    }
    cs->terms[cs->nterms++] =
        (cterm){cs->toff[ti] + (size_t)(row - t->rows) * (size_t)t->ncols + (size_t)col, sign};
}

void js_consist_constant(js_consist *cs, js_fen k)
{
    /* Kept within ±2^62 so that forms() may negate it and subtract 1. */
    if (!js_fen_add(cs->pend_k, k, &cs->pend_k) || cs->pend_k > INT64_MAX / 2 ||
        cs->pend_k < -(INT64_MAX / 2))
        cs->pend_bad = true;
}

static int by_var(const void *a, const void *b)
{
    size_t x = ((const cterm *)a)->var, y = ((const cterm *)b)->var;
    return (x > y) - (x < y);
}

void js_consist_end(js_consist *cs, cmp_op op, const char *rule_id, const js_vtable *t,
                    const js_vrow *row, const char *col)
{
    size_t first = cs->pending, n = cs->nterms - first;
    if (cs->pend_bad ||
        !js_vec_reserve(&cs->cons, &cs->ccap, cs->ncons + 1, sizeof *cs->cons)) {
        cs->oom |= !cs->pend_bad;
        cs->nterms = first;
        return;
    }
    /* One term per cell: a cell read twice adds its coefficients. */
    cterm *tm = cs->terms + first;
    if (n) /* terms is NULL until a first term is added */
        qsort(tm, n, sizeof *tm, by_var);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && tm[m - 1].var == tm[i].var)
            tm[m - 1].coef += tm[i].coef;
        else
            tm[m++] = tm[i];
        if (tm[m - 1].coef == 0)
            m--;
    }
    cs->nterms = first + m;
    cs->pending = cs->nterms;
    if (m == 0)
        return;
    cs->cons[cs->ncons++] = (ccons){first, m, cs->pend_k, op, rule_id, t, row, col};
}

/* ---- the pass ------------------------------------------------------- */

static void var_cell(const js_consist *cs, size_t var, const js_vtable **t, const js_vrow **row,
                     int *col)
{
    size_t ti = 0;
    while (cs->toff[ti + 1] <= var)
        ti++;
    *t = js_view_table(cs->v, ti);
    size_t off = var - cs->toff[ti];
    *row = &(*t)->rows[off / (size_t)(*t)->ncols];
    *col = (int)(off % (size_t)(*t)->ncols);
}

static bool init_bounds(js_consist *cs)
{
    size_t n = cs->nvars ? cs->nvars : 1;
    cs->lo = malloc(n * sizeof *cs->lo);
    cs->hi = malloc(n * sizeof *cs->hi);
    cs->ev_lo = malloc(n * sizeof *cs->ev_lo);
    cs->ev_hi = malloc(n * sizeof *cs->ev_hi);
    if (!cs->lo || !cs->hi || !cs->ev_lo || !cs->ev_hi)
        return false;
    for (size_t i = 0; i < js_view_count(cs->v); i++) {
        const js_vtable *t = js_view_table(cs->v, i);
        for (int r = 0; r < t->nrows; r++)
            for (int c = 0; c < t->ncols; c++) {
                size_t x = cs->toff[i] + (size_t)r * (size_t)t->ncols + (size_t)c;
                cs->ev_lo[x] = cs->ev_hi[x] = -1;
                if (t->rows[r].blank[c])
                    cs->lo[x] = cs->hi[x] = 0;
                else
                    js_printed_interval(t->rows[r].val[c], t->half, &cs->lo[x], &cs->hi[x]);
            }
    }
    return true;
}

/* floor(a / b) and ceil(a / b) for b != 0. */
static js_fen div_floor(js_fen a, js_fen b)
{
    js_fen q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static js_fen div_ceil(js_fen a, js_fen b)
{
    js_fen q = a / b;
    return (a % b != 0 && ((a < 0) == (b < 0))) ? q + 1 : q;
}

/* The least value of b * x over x's interval. */
static bool least(const js_consist *cs, js_fen b, size_t x, js_fen *out)
{
    return !__builtin_mul_overflow(b, b > 0 ? cs->lo[x] : cs->hi[x], out);
}

typedef enum { STEP_SAME, STEP_NARROWED, STEP_EMPTY, STEP_OOM } step;

/* Narrows by dir * (sum(coef * x)) <= c; *visits counts the terms read. On
 * STEP_EMPTY, *empty is the variable whose interval emptied. */
static step narrow(js_consist *cs, size_t ci, int dir, js_fen c, size_t *visits, size_t *empty)
{
    const ccons *k = &cs->cons[ci];
    const cterm *tm = cs->terms + k->first;
    js_fen smin = 0, part;
    for (size_t j = 0; j < k->n; j++)
        if (!least(cs, (js_fen)dir * tm[j].coef, tm[j].var, &part) || !js_fen_add(smin, part, &smin))
            return STEP_SAME; /* beyond int64: this identity narrows nothing */
    *visits += 2 * k->n;
    step out = STEP_SAME;
    for (size_t j = 0; j < k->n; j++) {
        js_fen b = (js_fen)dir * tm[j].coef, rest, room;
        size_t x = tm[j].var;
        if (!least(cs, b, x, &part) || !js_fen_sub(smin, part, &rest) || !js_fen_sub(c, rest, &room))
            continue;
        bool upper = b > 0;
        js_fen nb = upper ? div_floor(room, b) : div_ceil(room, b);
        if (upper ? nb >= cs->hi[x] : nb <= cs->lo[x])
            continue;
        if (!js_vec_reserve(&cs->ev, &cs->evcap, cs->nev + 1, sizeof *cs->ev))
            return STEP_OOM;
        long *evp = upper ? &cs->ev_hi[x] : &cs->ev_lo[x];
        cs->ev[cs->nev] = (cevent){x, ci, dir, upper, *evp};
        *evp = (long)cs->nev++;
        *(upper ? &cs->hi[x] : &cs->lo[x]) = nb;
        out = STEP_NARROWED;
        if (cs->lo[x] > cs->hi[x]) {
            *empty = x;
            return STEP_EMPTY;
        }
    }
    return out;
}

/* The forms dir * sum <= c of constraint k: one or two. */
static int forms(const ccons *k, int dir[2], js_fen c[2])
{
    js_fen mk = -k->k; /* |k->k| <= 2^62: js_consist_constant */
    switch (k->op) {
    case OP_EQ:
        dir[0] = 1, c[0] = mk, dir[1] = -1, c[1] = k->k;
        return 2;
    case OP_LE:
        dir[0] = 1, c[0] = mk;
        return 1;
    case OP_GE:
        dir[0] = -1, c[0] = k->k;
        return 1;
    case OP_LT:
        dir[0] = 1, c[0] = mk - 1;
        return 1;
    default:
        dir[0] = -1, c[0] = k->k - 1;
        return 1;
    }
}

/* Marks the events behind event e (the bounds its constraint read, as they
 * stood when it fired) and collects its rule and the printed figures. */
typedef struct {
    bool *seen_ev, *seen_cons, *seen_var;
    long *stack;
    size_t nstack;
    size_t *cons_order, ncons;
    size_t *vars, nvars;
} explain;

static void push_bound(const js_consist *cs, explain *ex, size_t x, bool upper, long before)
{
    long e = upper ? cs->ev_hi[x] : cs->ev_lo[x];
    while (e >= before)
        e = cs->ev[e].prev;
    if (e >= 0) {
        if (!ex->seen_ev[e]) {
            ex->seen_ev[e] = true;
            ex->stack[ex->nstack++] = e;
        }
    } else if (!ex->seen_var[x]) {
        ex->seen_var[x] = true;
        ex->vars[ex->nvars++] = x;
    }
}

static void trace(const js_consist *cs, explain *ex)
{
    while (ex->nstack) {
        long e = ex->stack[--ex->nstack];
        const cevent *ev = &cs->ev[e];
        const ccons *k = &cs->cons[ev->cons];
        if (!ex->seen_cons[ev->cons]) {
            ex->seen_cons[ev->cons] = true;
            ex->cons_order[ex->ncons++] = ev->cons;
        }
        for (size_t j = 0; j < k->n; j++) {
            const cterm *tm = &cs->terms[k->first + j];
            if (tm->var != ev->var)
                push_bound(cs, ex, tm->var, (js_fen)ev->dir * tm->coef < 0, e);
        }
    }
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

void js_consist_cell(const js_consist *cs, size_t var, const js_vtable **t, const js_vrow **row,
                     int *col)
{
    var_cell(cs, var, t, row, col);
}

static void figure_name(const js_vtable *t, const js_vrow *row, const char *col, char *buf, size_t n)
{
    if (row->name[0])
        snprintf(buf, n, "%s「%s」%s", t->number, row->name, col);
    else
        snprintf(buf, n, "%s「%s」", t->number, col);
}

/* How directly identity k bears on the proof's figures: how many of its
 * terms are figures the proof uses (vars, sorted). */
static size_t directness(const js_consist *cs, const ccons *k, const size_t *vars, size_t nvars)
{
    size_t hits = 0;
    for (size_t i = 0; i < k->n; i++) {
        size_t v = cs->terms[k->first + i].var;
        if (bsearch(&v, vars, nvars, sizeof *vars, by_size))
            hits++;
    }
    return hits;
}

/* A printed figure with its unit: "36716.36 万元", or "91016775.35 元" in
 * a table printed in 元 to the 分. */
static void figure_printed(const js_vtable *t, js_fen v, char *buf, size_t n)
{
    char num[40];
    if (t->half)
        js_money_format_wan(v, false, num, sizeof num);
    else
        js_money_format_yuan(v, num, sizeof num);
    snprintf(buf, n, "%s %s", num, t->half ? "万元" : "元");
}

/* The identities of a proof for its message: the CONSIST_NAMED_RULES most
 * direct ones (those that read most of the proof's printed figures; the
 * proof's order breaks ties), each rule once with its table and row or
 * column; *rest: how many other rules take part. */
static void rules_text(const js_consist *cs, const size_t *cons, size_t ncons, const size_t *vars,
                       size_t nvars, char *buf, size_t n, size_t *rest)
{
    size_t o = 0, named = 0;
    const char *picked[CONSIST_NAMED_RULES] = {NULL};
    buf[0] = '\0';
    *rest = 0;
    size_t *score = calloc(ncons + 1, sizeof *score);
    size_t best = 0;
    for (size_t i = 0; score && i < ncons; i++) {
        score[i] = directness(cs, &cs->cons[cons[i]], vars, nvars);
        if (score[i] > best)
            best = score[i];
    }
    /* Highest directness first; a rule named once. */
    for (size_t want = best + 1; want-- > 0 && named < CONSIST_NAMED_RULES;) {
        for (size_t i = 0; i < ncons && named < CONSIST_NAMED_RULES; i++) {
            if ((score ? score[i] : 0) != want)
                continue;
            const ccons *k = &cs->cons[cons[i]];
            bool seen = false;
            for (size_t j = 0; j < named; j++)
                seen |= !strcmp(picked[j], k->rule);
            if (seen)
                continue;
            char where[300] = "";
            if (k->row && k->col)
                snprintf(where, sizeof where, "（%s「%s」%s）", k->t->number, k->row->name, k->col);
            else if (k->row)
                snprintf(where, sizeof where, "（%s「%s」）", k->t->number, k->row->name);
            else if (k->col)
                snprintf(where, sizeof where, "（%s %s列）", k->t->number, k->col);
            int w = snprintf(buf + o, n - o, "%s%s%s", named ? "、" : "", k->rule, where);
            if (w < 0 || (size_t)w >= n - o)
                break;
            o += (size_t)w;
            picked[named++] = k->rule;
        }
    }
    free(score);
    /* The other rules of the proof, each counted once. */
    for (size_t i = 0; i < ncons; i++) {
        const char *r = cs->cons[cons[i]].rule;
        bool seen = false;
        for (size_t j = 0; j < named && !seen; j++)
            seen = !strcmp(picked[j], r);
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(cs->cons[cons[j]].rule, r);
        if (!seen)
            (*rest)++;
    }
}

bool js_consist_emit(js_consist *cs, js_findings *out, const char *what, const size_t *cons,
                     size_t ncons, const size_t *vars, size_t nvars, size_t at, bool bound,
                     js_fen expected)
{
    char rules[1400], more[64] = "";
    size_t rest;
    rules_text(cs, cons, ncons, vars, nvars, rules, sizeof rules, &rest);
    if (rest)
        snprintf(more, sizeof more, "，另有 %zu 条规则参与推算", rest);
    const js_vtable *t;
    const js_vrow *row;
    int c;
    var_cell(cs, at, &t, &row, &c);
    const char *col = t->cols[c].name;
    /* The exact stage's sentence does not name the figure: name it. */
    char named[900];
    if (!bound) {
        char name[256], printed[48];
        figure_name(t, row, col, name, sizeof name);
        figure_printed(t, row->val[c], printed, sizeof printed);
        if (row->blank[c])
            snprintf(named, sizeof named, "%s空白（即 0），与其他数字联立：%s", name, what);
        else
            snprintf(named, sizeof named, "%s印刷为 %s，与其他数字联立：%s", name, printed, what);
        what = named;
    }
    js_finding *f = js_findings_add(out, CONSIST_RULE, JS_SEV_ERROR,
                                    "整份报告不一致：%s。最直接的依据是规则 %s%s（共用到 %zu 个印刷数，空白为 0）："
                                    "没有一组精确金额能同时印成这些数，请核对这些数字",
                                    what, rules, more, nvars);
    if (!f)
        return false;
    snprintf(f->table, sizeof f->table, "%s", t->id);
    js_vrow_key(row, f->row, sizeof f->row);
    snprintf(f->row_name, sizeof f->row_name, "%s", row->name);
    snprintf(f->column, sizeof f->column, "%s", col);
    f->has_values = bound;
    f->actual = row->val[c];
    f->expected = expected;
    f->difference = f->actual - expected;
    for (size_t i = 0; i < nvars && i < JS_MAX_ADDENDS; i++) {
        const js_vtable *at_t;
        const js_vrow *ar;
        int ac;
        var_cell(cs, vars[i], &at_t, &ar, &ac);
        js_addend a;
        js_addend_of(at_t, ar, ac, at_t->cols[ac].name, vars[i] == at ? 'L' : 'R', &a);
        if (!js_finding_addend(out, f, &a))
            return false;
    }
    return true;
}

/* Appends the K-001 finding for variable x, whose interval emptied; false
 * when out of memory. */
static bool report(js_consist *cs, size_t x, js_findings *out)
{
    explain ex = {0};
    size_t nev = cs->nev ? cs->nev : 1;
    ex.seen_ev = calloc(nev, sizeof *ex.seen_ev);
    ex.stack = malloc(nev * sizeof *ex.stack);
    ex.seen_cons = calloc(cs->ncons + 1, sizeof *ex.seen_cons);
    ex.cons_order = malloc((cs->ncons + 1) * sizeof *ex.cons_order);
    ex.seen_var = calloc(cs->nvars + 1, sizeof *ex.seen_var);
    ex.vars = malloc((cs->nvars + 1) * sizeof *ex.vars);
    bool ok = ex.seen_ev && ex.stack && ex.seen_cons && ex.cons_order && ex.seen_var && ex.vars;
    if (ok) {
        ex.seen_var[x] = true;
        ex.vars[ex.nvars++] = x;
        for (int u = 0; u < 2; u++) {
            long e = u ? cs->ev_hi[x] : cs->ev_lo[x];
            if (e >= 0 && !ex.seen_ev[e]) {
                ex.seen_ev[e] = true;
                ex.stack[ex.nstack++] = e;
            }
        }
        trace(cs, &ex);
        qsort(ex.cons_order, ex.ncons, sizeof *ex.cons_order, by_size);
        qsort(ex.vars, ex.nvars, sizeof *ex.vars, by_size);
        const js_vtable *t;
        const js_vrow *row;
        int c;
        var_cell(cs, x, &t, &row, &c);
        char name[256], printed[48], plo[40], phi[40], dlo[40], dhi[40], what[600];
        figure_name(t, row, t->cols[c].name, name, sizeof name);
        js_fen olo = 0, ohi = 0;
        if (!row->blank[c])
            js_printed_interval(row->val[c], t->half, &olo, &ohi);
        figure_printed(t, row->val[c], printed, sizeof printed);
        js_money_format_yuan(olo, plo, sizeof plo);
        js_money_format_yuan(ohi, phi, sizeof phi);
        js_money_format_yuan(cs->lo[x], dlo, sizeof dlo);
        js_money_format_yuan(cs->hi[x], dhi, sizeof dhi);
        bool dl = cs->ev_lo[x] >= 0, dh = cs->ev_hi[x] >= 0;
        int w = row->blank[c] ? snprintf(what, sizeof what, "%s空白（即 0）", name)
                              : snprintf(what, sizeof what, "%s印刷为 %s（只能代表 %s 至 %s 元）", name,
                                         printed, plo, phi);
        size_t o = w > 0 && (size_t)w < sizeof what ? (size_t)w : 0;
        char bound[120];
        if (dl && dh)
            snprintf(bound, sizeof bound, "至少为 %s 元、又至多为 %s 元", dlo, dhi);
        else
            snprintf(bound, sizeof bound, "%s %s 元", dl ? "至少为" : "至多为", dl ? dlo : dhi);
        snprintf(what + o, sizeof what - o, "，而由其他数字推得其精确值%s", bound);
        ok = js_consist_emit(cs, out, what, ex.cons_order, ex.ncons, ex.vars, ex.nvars, x, true,
                             dl ? cs->lo[x] : cs->hi[x]);
    }
    free(ex.seen_ev);
    free(ex.stack);
    free(ex.seen_cons);
    free(ex.cons_order);
    free(ex.seen_var);
    free(ex.vars);
    return ok;
}

bool js_consist_run(js_consist *cs, js_findings *out)
{
    if (cs->oom || !init_bounds(cs))
        return false;
    size_t visits = 0, empty = 0;
    bool changed = true;
    while (changed && visits < JS_MAX_CONSIST_STEPS) {
        changed = false;
        for (size_t i = 0; i < cs->ncons; i++) {
            int dir[2];
            js_fen c[2];
            int nf = forms(&cs->cons[i], dir, c);
            for (int f = 0; f < nf; f++) {
                step s = narrow(cs, i, dir[f], c[f], &visits, &empty);
                if (s == STEP_OOM)
                    return false;
                if (s == STEP_EMPTY)
                    return report(cs, empty, out);
                changed |= s == STEP_NARROWED;
            }
        }
    }
    /* Propagation found nothing: the exact stage decides. */
    bool ran;
    return js_consist_exact(cs, out, &ran);
}
