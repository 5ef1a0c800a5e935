/* The exact stage of the consistency pass: a linear feasibility problem
 * solved with GLPK (libglpk). Interval propagation (consistency.c) is sound
 * but not complete: from a ≥ b for every 类 and Σa = Σb it cannot see that
 * every a equals its b, since each figure's rounding slack is counted apart.
 * Here every identity is a row and every printed figure a column bounded by
 * its interval, shifted by the printed value so that the numbers stay
 * small; an elastic variable per row absorbs any violation and the problem
 * minimises their sum. A positive minimum, confirmed by GLPK's exact
 * rational simplex (glp_exact), proves that no exact amounts explain the
 * figures; the rows and columns with non-zero duals are the proof. */
#include <dlfcn.h>
#include <glpk.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consistency_model.h"
#include "findings.h"
#include "printed.h"

/* GLPK is loaded when this stage first runs (only an audit of printed
 * tables gets here), so that every other process -- tables, check and
 * build of a workbook -- is spared loading it and the five libraries it
 * needs. JS_GLPK_SONAME: the library's soname, from the Makefile. */
#ifndef JS_GLPK_SONAME
#define JS_GLPK_SONAME "libglpk.so.40"
#endif
#define GLPK_FUNCTIONS(X) X(add_cols) X(add_rows) X(create_prob) X(delete_prob) X(exact) X(free_env) X(get_col_dual) X(get_col_prim) X(get_obj_val) X(get_row_dual) X(get_row_lb) X(get_row_type) X(get_row_ub) X(get_status) X(init_smcp) X(set_col_bnds) X(set_mat_row) X(set_obj_coef) X(set_obj_dir) X(set_row_bnds) X(simplex) X(term_out)
static struct {
#define GLPK_FIELD(f) __typeof__(glp_##f) *f;
    GLPK_FUNCTIONS(GLPK_FIELD)
#undef GLPK_FIELD
} glpk;
static pthread_once_t glpk_once = PTHREAD_ONCE_INIT;
static bool glpk_loaded;

static void glpk_load(void)
{
    void *h = dlopen(JS_GLPK_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
#define GLPK_SYMBOL(f)                                                        \
    if (!(glpk.f = (__typeof__(glpk.f))(uintptr_t)dlsym(h, "glp_" #f))) \
        return;
    GLPK_FUNCTIONS(GLPK_SYMBOL)
#undef GLPK_SYMBOL
    glpk_loaded = true;
}

/* Simplex iterations per solve: the problems have a few hundred rows. */
#define LP_ITERATIONS 200000
/* The floating-point minimum above which the exact solve confirms it, and
 * the exact minimum (in 分) taken as positive; data are whole 分, so a
 * positive minimum is a rational with a small denominator. */
#define LP_SUSPECT 0.25
#define LP_POSITIVE 1e-6
#define LP_DUAL 1e-9
/* Rules tried when shortening a proof for its message. */
#define LP_SHORTEN 64
/* Right-hand sides a double holds exactly (2^53). */
#define LP_EXACT_MAX (INT64_C(1) << 53)

typedef struct {
    int type;
    double lb, ub;
    bool set;
} row_bounds;

typedef struct {
    glp_prob *lp;
    row_bounds *saved; /* per row, while shorten() has set it free */
    int *col_of;  /* variable -> column (1-based), 0: blank or unused */
    size_t *var_of;
    int ncols;
} lp_model;

static int free_model(lp_model *m)
{
    if (m->lp)
        glpk.delete_prob(m->lp);
    free(m->col_of);
    free(m->var_of);
    free(m->saved);
    return 0;
}

/* Rows: one per identity, sum(coef * y) + elastic (op) -k - sum(coef * P)
 * where y = x - P; columns: the non-blank figures, then the elastic pairs. */
/* False when out of memory or when a figure is too large for a double to
 * hold its sums exactly (*huge set): the stage then decides nothing. */
static bool build(const js_consist *cs, lp_model *m, bool *huge)
{
    m->col_of = calloc(cs->nvars + 1, sizeof *m->col_of);
    m->var_of = calloc(cs->nvars + 1, sizeof *m->var_of);
    m->saved = calloc(cs->ncons + 1, sizeof *m->saved);
    m->lp = glpk.create_prob();
    if (!m->col_of || !m->var_of || !m->saved)
        return false;
    for (size_t t = 0; t < cs->nterms; t++) {
        size_t x = cs->terms[t].var;
        if (m->col_of[x] || cs->lo[x] == cs->hi[x])
            continue;
        m->var_of[m->ncols] = x;
        m->col_of[x] = ++m->ncols;
    }
    if (m->ncols == 0 || cs->ncons > (size_t)(INT32_MAX / 4))
        return true;
    glpk.set_obj_dir(m->lp, GLP_MIN);
    glpk.add_cols(m->lp, m->ncols + 2 * (int)cs->ncons);
    for (int j = 1; j <= m->ncols; j++) {
        const js_vtable *t;
        const js_vrow *row;
        int c;
        size_t x = m->var_of[j - 1];
        js_consist_cell(cs, x, &t, &row, &c);
        glpk.set_col_bnds(m->lp, j, GLP_DB, (double)(cs->lo[x] - row->val[c]),
                         (double)(cs->hi[x] - row->val[c]));
    }
    glpk.add_rows(m->lp, (int)cs->ncons);
    int *ind = malloc(sizeof *ind * (cs->nterms + 3));
    double *val = malloc(sizeof *val * (cs->nterms + 3));
    if (!ind || !val) {
        free(ind);
        free(val);
        return false;
    }
    for (size_t i = 0; i < cs->ncons; i++) {
        const ccons *k = &cs->cons[i];
        int row = (int)i + 1, n = 0;
        /* rhs = -k - sum over every term of coef * (printed value, or the
         * fixed value of a blank or fixed figure), exact in 分 */
        js_fen rhs_fen = -k->k, part;
        for (size_t j = 0; j < k->n; j++) {
            const cterm *tm = &cs->terms[k->first + j];
            const js_vtable *t;
            const js_vrow *r;
            int c;
            js_consist_cell(cs, tm->var, &t, &r, &c);
            int col = m->col_of[tm->var];
            if (__builtin_mul_overflow((js_fen)tm->coef, col ? r->val[c] : cs->lo[tm->var], &part) ||
                !js_fen_sub(rhs_fen, part, &rhs_fen) || rhs_fen > LP_EXACT_MAX || rhs_fen < -LP_EXACT_MAX) {
                free(ind);
                free(val);
                *huge = true;
                return false;
            }
            if (col) {
                ind[++n] = col;
                val[n] = tm->coef;
            }
        }
        double rhs = (double)rhs_fen;
        int ep = m->ncols + 2 * (int)i + 1;
        ind[++n] = ep;
        val[n] = 1;
        ind[++n] = ep + 1;
        val[n] = -1;
        glpk.set_mat_row(m->lp, row, n, ind, val);
        /* integers: a < b is a <= b - 1 */
        switch (k->op) {
        case OP_EQ:
            glpk.set_row_bnds(m->lp, row, GLP_FX, rhs, rhs);
            break;
        case OP_LE:
        case OP_LT:
            glpk.set_row_bnds(m->lp, row, GLP_UP, 0, rhs - (k->op == OP_LT));
            break;
        default:
            glpk.set_row_bnds(m->lp, row, GLP_LO, rhs + (k->op == OP_GT), 0);
            break;
        }
        glpk.set_col_bnds(m->lp, ep, GLP_LO, 0, 0);
        glpk.set_col_bnds(m->lp, ep + 1, GLP_LO, 0, 0);
        glpk.set_obj_coef(m->lp, ep, 1);
        glpk.set_obj_coef(m->lp, ep + 1, 1);
    }
    free(ind);
    free(val);
    return true;
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Shortens the proof for its reader: the rules are set free one at a time
 * (in rule-set order), kept free when the rest still cannot be met
 * (a deletion filter over rules, at most LP_SHORTEN solves); the duals of
 * the last infeasible solve are the proof reported. Soundness rests on the
 * exact solve of the whole problem before; this only chooses what to name. */
static void shorten(const js_consist *cs, lp_model *m, const glp_smcp *parm)
{
    const char *tried[LP_SHORTEN];
    int ntried = 0;
    for (size_t i = 0; i < cs->ncons && ntried < LP_SHORTEN; i++) {
        const char *id = cs->cons[i].rule;
        bool seen = false;
        for (int k = 0; k < ntried && !seen; k++)
            seen = !strcmp(tried[k], id);
        if (seen)
            continue;
        tried[ntried++] = id;
        /* free every row of the rule, remembering its bounds */
        for (size_t j = 0; j < cs->ncons; j++)
            if (!strcmp(cs->cons[j].rule, id) && glpk.get_row_type(m->lp, (int)j + 1) != GLP_FR) {
                m->saved[j] = (row_bounds){glpk.get_row_type(m->lp, (int)j + 1),
                                           glpk.get_row_lb(m->lp, (int)j + 1),
                                           glpk.get_row_ub(m->lp, (int)j + 1), true};
                glpk.set_row_bnds(m->lp, (int)j + 1, GLP_FR, 0, 0);
            }
        bool still = glpk.simplex(m->lp, parm) == 0 && glpk.get_status(m->lp) == GLP_OPT &&
                     glpk.get_obj_val(m->lp) > LP_SUSPECT;
        for (size_t j = 0; j < cs->ncons; j++)
            if (m->saved[j].set) {
                if (!still)
                    glpk.set_row_bnds(m->lp, (int)j + 1, m->saved[j].type, m->saved[j].lb, m->saved[j].ub);
                m->saved[j].set = false;
            }
    }
    /* the duals of the problem as it is left */
    if (!(glpk.simplex(m->lp, parm) == 0 && glpk.get_status(m->lp) == GLP_OPT))
        glpk.exact(m->lp, parm);
}

/* The finding: the rows and figure columns with non-zero duals. */
static bool report(js_consist *cs, const lp_model *m, double minimum, js_findings *out)
{
    size_t *cons = malloc(sizeof *cons * (cs->ncons + 1));
    size_t *vars = malloc(sizeof *vars * ((size_t)m->ncols + 1));
    if (!cons || !vars) {
        free(cons);
        free(vars);
        return false;
    }
    size_t nc = 0, nv = 0, worst = 0;
    double worst_v = -1;
    for (size_t i = 0; i < cs->ncons; i++) {
        if (fabs(glpk.get_row_dual(m->lp, (int)i + 1)) > LP_DUAL)
            cons[nc++] = i;
        int ep = m->ncols + 2 * (int)i + 1;
        double v = glpk.get_col_prim(m->lp, ep) + glpk.get_col_prim(m->lp, ep + 1);
        if (v > worst_v) {
            worst_v = v;
            worst = i;
        }
    }
    for (int j = 1; j <= m->ncols; j++)
        if (fabs(glpk.get_col_dual(m->lp, j)) > LP_DUAL)
            vars[nv++] = m->var_of[j - 1];
    qsort(vars, nv, sizeof *vars, by_index);
    /* Located at the first figure of the proof, else at the identity that
     * stays most broken. */
    const ccons *k = &cs->cons[worst];
    size_t at = nv ? vars[0] : cs->terms[k->first].var;
    char gap[40], what[200];
    js_money_format_yuan((js_fen)ceil(minimum - LP_POSITIVE), gap, sizeof gap);
    snprintf(what, sizeof what, "这些数字无论各自怎样四舍五入，联立的等式和不等式合计至少还差 %s 元", gap);
    const js_vtable *t;
    const js_vrow *row;
    int c;
    js_consist_cell(cs, at, &t, &row, &c);
    bool ok = js_consist_emit(cs, out, what, cons, nc, vars, nv, at, false, row->val[c]);
    free(cons);
    free(vars);
    return ok;
}

bool js_consist_exact(js_consist *cs, js_findings *out, bool *ran)
{
    *ran = false;
    pthread_once(&glpk_once, glpk_load);
    if (!glpk_loaded) /* decided nothing, and says so */
        return js_findings_add(out, CONSIST_RULE, JS_SEV_INFO,
                               "未做精确的一致性检查：无法加载 GLPK（%s，Debian 软件包 libglpk40）",
                               JS_GLPK_SONAME) != NULL;
    lp_model m = {0};
    glpk.term_out(GLP_OFF);
    bool huge = false, ok = build(cs, &m, &huge);
    if (huge)
        ok = true; /* undecided, not out of memory */
    else if (ok && m.ncols && cs->ncons) {
        glp_smcp parm;
        glpk.init_smcp(&parm);
        parm.msg_lev = GLP_MSG_OFF;
        parm.it_lim = LP_ITERATIONS;
        parm.presolve = GLP_ON;
        if (glpk.simplex(m.lp, &parm) == 0 && glpk.get_status(m.lp) == GLP_OPT) {
            *ran = true;
            if (glpk.get_obj_val(m.lp) > LP_SUSPECT) {
                *ran = glpk.exact(m.lp, &parm) == 0 && glpk.get_status(m.lp) == GLP_OPT;
                if (*ran && glpk.get_obj_val(m.lp) > LP_POSITIVE) {
                    double minimum = glpk.get_obj_val(m.lp);
                    shorten(cs, &m, &parm);
                    ok = report(cs, &m, minimum, out);
                }
            }
        }
    } else if (ok) {
        *ran = true; /* nothing to decide: every figure fixed or no identity */
    }
    free_model(&m);
    /* GLPK keeps its environment per thread; free it so that no state (or
     * memory) outlives the call. */
    glpk.free_env();
    return ok;
}
