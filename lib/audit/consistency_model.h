/* The identities the consistency pass gathers, shared by its two stages:
 * interval propagation (consistency.c) and the exact feasibility check
 * (consistency_lp.c). Private to lib/audit/. */
#ifndef JS_CONSISTENCY_MODEL_H
#define JS_CONSISTENCY_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "consistency.h"

/* The rule the pass reports under (docs/rules.md). */
#define CONSIST_RULE "K-001"

/* Variables are the cells of the view: table i's cell (r, c) is
 * toff[i] + r * ncols + c. */
typedef struct {
    size_t var;
    int coef;
} cterm;

/* sum(coef * x) + k  op  0 */
typedef struct {
    size_t first, n;
    js_fen k;
    cmp_op op;
    const char *rule;
    const js_vtable *t;
    const js_vrow *row;
    const char *col;
} ccons;

/* A bound narrowed: var's upper (or lower) bound by constraint cons read in
 * direction dir (+1: sum <= ..., -1: -sum <= ...); prev is the event that
 * set the same bound before (-1: the printed figure). */
typedef struct {
    size_t var, cons;
    int dir;
    bool upper;
    long prev;
} cevent;

struct js_consist {
    const js_view *v;
    size_t *toff; /* first variable of each table: rows x columns */
    size_t nvars;
    cterm *terms;
    size_t nterms, tcap;
    size_t pending; /* first term of the identity being gathered */
    js_fen pend_k;
    bool pend_bad;  /* overflow or too many terms: the identity is dropped */
    ccons *cons;
    size_t ncons, ccap;
    bool oom;
    /* the pass */
    js_fen *lo, *hi;
    long *ev_lo, *ev_hi;
    cevent *ev;
    size_t nev, evcap;
};


/* The cell of variable var. */
void js_consist_cell(const js_consist *cs, size_t var, const js_vtable **t, const js_vrow **row,
                     int *col);
/* Appends the K-001 finding: what (a sentence on the figures), the
 * identities (indexes into cons) and figures (variables) of the proof, the
 * figure at which it is located and, when bound, the bound of its exact
 * value the proof derived (expected); false when out of memory. */
bool js_consist_emit(js_consist *cs, js_findings *out, const char *what, const size_t *cons,
                     size_t ncons, const size_t *vars, size_t nvars, size_t at, bool bound,
                     js_fen expected);

/* The exact stage: is there any assignment of exact amounts (whole 分, each
 * within its printed figure's interval, blanks 0) that meets every
 * identity? When none, appends one K-001 finding naming the identities and
 * figures of the proof. *ran is false when the check could not decide
 * (iteration limit); false return: out of memory. */
bool js_consist_exact(js_consist *cs, js_findings *out, bool *ran);

#endif
