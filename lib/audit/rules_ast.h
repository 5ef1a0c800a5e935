/* The parsed form of rules, shared by the parser and the evaluator. */
#ifndef JS_RULES_AST_H
#define JS_RULES_AST_H

#include "arena.h"
#include "juesuan/audit.h"

#include "juesuan/limits.h"

typedef enum {
    SEL_ROWNO,          /* #27 */
    SEL_RANGE,          /* #1..#8 */
    SEL_CODE,           /* 2060101 */
    SEL_CHILDREN,       /* 206* */
    SEL_LEVEL,          /* 类 款 项 */
    SEL_LABEL,          /* 合计 */
    SEL_CURRENT,        /* $ */
    SEL_CURRENT_CHILDREN /* $* */
} sel_kind;

typedef struct {
    sel_kind kind;
    int a, b;          /* 行次 or level */
    char code[8];
    const char *label;
} rowsel;

typedef enum { N_NUM, N_CELL, N_SUM, N_BARE, N_ADD, N_SUB } node_kind;

typedef struct node {
    node_kind kind;
    js_fen num;
    char table[4];
    rowsel sel;
    const char *col;   /* NULL: the current column */
    struct node *l, *r;
} node;

typedef enum { OP_EQ, OP_LE, OP_GE, OP_LT, OP_GT } cmp_op;
extern const char *const js_rule_op_text[];

typedef enum { FORM_PLAIN, FORM_EACH_ROW, FORM_EACH_COLUMN, FORM_REQUIRE } form_kind;

#define LEVEL_CODE (-1)   /* any row with a code */
#define LEVEL_PARENT (-2) /* a code row with rows below it in the same table */

typedef struct {
    const char *id;
    js_severity sev;
    bool printed_only;     /* `printed`: only over printed tables */
    const char *message;
    const char *check;     /* source text */
    form_kind form;
    char table[4];         /* of each-row / each-column; require: the table that must have the rows */
    int level;             /* each-row: 0 any row, 3/5/7, LEVEL_CODE, LEVEL_PARENT; require: 3/5/7 */
    char src[4];           /* require: the table whose rows imply them */
    const char *src_col;   /* require: its column, NULL for any amount column */
    bool and_column;       /* each-row: and each amount column of the row */
    const char *names[JS_MAX_RULE_NAMES];
    int nnames;
    node *lhs, *rhs;
    cmp_op op;
} rule;

struct js_ruleset {
    js_arena arena;
    rule *rules;
    size_t n, cap;
    const char *version;
    bool inherit;        /* a file said `inherit`: the parent's rules follow */
    bool version_locked; /* the child's version stands over its parent's */
};

/* One expression (no comparison) in rs's arena, e.g. "T01[#31].金额";
 * NULL and d filled on error. */
node *js_rules_parse_expression(js_ruleset *rs, const char *text, const char *file, long line,
                                js_diag *d);
/* Evaluates it over v outside any each-form; false with a message in err
 * when it does not fit the tables. */
/* Does t have a row whose code extends row's (a row below it)? */
bool js_vrow_has_below(const js_vtable *t, const js_vrow *row);
/* Runs a `require` rule over v (rules_require.c): appends a finding for
 * each row of r->table the printed figures of r->src imply and the table
 * lacks; *checked and *failures count the rows implied and missing. */
void js_rules_require(const rule *r, const js_view *v, js_findings *out, size_t *checked,
                      size_t *failures);
bool js_rules_eval_expression(const node *n, const js_view *v, js_fen *out, char *err, size_t errlen);
/* The same for many expressions over one view (report.vars: a few dozen a
 * department), the tables and columns found kept from one to the next:
 * js_rules_evaluator_new (NULL when out of memory; v must outlive it),
 * js_rules_evaluate as js_rules_eval_expression, js_rules_evaluator_free. */
typedef struct js_rules_evaluator js_rules_evaluator;
js_rules_evaluator *js_rules_evaluator_new(const js_view *v);
bool js_rules_evaluate(js_rules_evaluator *ev, const node *n, js_fen *out, char *err, size_t errlen);
void js_rules_evaluator_free(js_rules_evaluator *ev);

/* Renames the columns node n and its operands name (table: the table of a
 * bare column, NULL outside an each-row form) to p's aliases
 * (js_profile_column_alias), copying the names into a; false when out of
 * memory. */
bool js_rules_alias_node(js_arena *a, node *n, const char *table, const js_profile *p);
/* The same for every rule of rs. */
bool js_rules_apply_aliases(js_ruleset *rs, const js_profile *p);

#endif
