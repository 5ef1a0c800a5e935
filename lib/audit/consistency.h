/* The consistency pass over a whole printed report (docs/rules.md,
 * "Whole-report consistency"): every printed figure is a variable bounded
 * by the exact amounts it can stand for (a blank is exactly 0), every
 * identity of an error rule is a linear constraint over them; bounds are
 * narrowed by interval propagation in whole 分 until nothing changes (or a
 * fixed budget of steps is spent), and a figure whose interval empties is
 * an error (K-001) naming it and the chain of rules that proves it
 * impossible. Sound: it never fires on figures some exact amounts explain. */
#ifndef JS_CONSISTENCY_H
#define JS_CONSISTENCY_H

#include <stdbool.h>

#include "juesuan/audit.h"
#include "rules_ast.h"

typedef struct js_consist js_consist;

/* A collector over v's cells (v must outlive it); NULL when out of memory. */
js_consist *js_consist_new(const js_view *v);
void js_consist_free(js_consist *cs);

/* Gathering one identity: begin, then every cell read (with the sign it
 * enters left - right with) and every constant, then end with the
 * comparison and where the rule was evaluated (for messages; borrowed, must
 * outlive the pass). A begin without an end drops what was gathered. */
void js_consist_begin(js_consist *cs);
void js_consist_term(js_consist *cs, const js_vtable *t, const js_vrow *row, int col, int sign);
void js_consist_constant(js_consist *cs, js_fen k);
void js_consist_end(js_consist *cs, cmp_op op, const char *rule_id, const js_vtable *t,
                    const js_vrow *row, const char *col);

/* Runs the pass; appends at most one K-001 finding. False when out of
 * memory (nothing appended). */
bool js_consist_run(js_consist *cs, js_findings *out);

#endif
