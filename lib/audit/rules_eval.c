/* Evaluating rules over a view (exact or printed). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "consistency.h"
#include "printed.h"
#include "rules_ast.h"

const char *const js_rule_op_text[] = {"=", "<=", ">=", "<", ">"};

/* A side of a comparison: its value as read (printed or exact), the closed
 * interval [lo, hi] in 分 of the exact amounts it can stand for
 * (printed_interval), and how many non-blank printed figures it adds. */
typedef struct {
    js_fen v;
    js_fen lo, hi;
    int n;
    int nx; /* non-blank figures printed to the 分 (exact) */
} val;

/* A cell a rule read: table, row, column name and index, and the side of
 * the comparison. */
typedef struct {
    const js_vtable *t;
    const js_vrow *row;
    const char *col;
    int c;
    char side;
} addend_ref;

/* A column found: by table, block and the name's pointer (the rule's, or
 * the table's own column name). */
typedef struct {
    const js_vtable *t;
    const char *name;
    int block, c;
} col_seen;

#define COLS_SEEN 64 /* a power of two */

/* A table found: by its id's bytes packed into a number (0 when empty). */
typedef struct {
    uint32_t key;
    const js_vtable *t;
} table_seen;

#define TABLES_SEEN 32 /* a power of two */

typedef struct {
    col_seen seen[COLS_SEEN]; /* kept over every rule of a run: the view stays */
    table_seen tables[TABLES_SEEN]; /* table_of's answers (kept too) */
    const js_view *v;
    const rule *r;
    const js_vtable *cur_t;
    const js_vrow *cur_row;
    const char *cur_col;
    char side;
    addend_ref adds[JS_MAX_ADDENDS]; /* the cells read, made into js_addend only for a finding */
    size_t nadds;
    bool na;              /* a column is absent from a row's block: not applicable */
    char err[256];        /* a rule that does not fit the tables */
    js_consist *cs;       /* collects the identity as a constraint, or NULL */
    int sign;             /* +1 or -1: the sign a cell read now enters left - right with */
} ectx;

static const js_vtable *table_of(ectx *e, const char *id)
{
    /* the tables found, by the id's bytes (a rule's char[4]: "01", "07b"),
     * packed into a number: rules name the same few tables again and
     * again, each node with its own copy of the id */
    size_t len = strnlen(id, 4);
    uint32_t key = 0;
    memcpy(&key, id, len < 4 ? len : 0);
    table_seen *s = len < 4 ? &e->tables[(key ^ key >> 8 ^ key >> 16) & (TABLES_SEEN - 1)] : NULL;
    if (s && s->key == key && s->t)
        return s->t;
    const js_vtable *t = js_view_find(e->v, id);
    if (s) /* a longer id (not a rule's) is not kept */
        *s = (table_seen){key, t};
    if (!t && !e->err[0])
        snprintf(e->err, sizeof e->err, "没有表%s", id);
    return t;
}

/* Column index of name in row's block; -1 (and na or err set) when none.
 * The columns found are kept (e->seen): rules read the same cells' columns
 * again and again. */
static int column_of(ectx *e, const js_vtable *t, const js_vrow *row, const char *name)
{
    col_seen *s = &e->seen[((uintptr_t)name >> 4 ^ (uintptr_t)t >> 6 ^ (unsigned)row->block) & (COLS_SEEN - 1)];
    if (s->t == t && s->name == name && s->block == row->block)
        return s->c;
    bool anywhere = false;
    for (int c = 0; c < t->ncols; c++) {
        if (t->cols[c].block < 0 || strcmp(t->cols[c].name, name))
            continue;
        if (t->cols[c].block == row->block) {
            *s = (col_seen){t, name, row->block, c};
            return c;
        }
        anywhere = true;
    }
    if (anywhere)
        e->na = true;
    else if (!e->err[0])
        snprintf(e->err, sizeof e->err, "表%s没有列「%s」", t->id, name);
    return -1;
}

static val cell(ectx *e, const js_vtable *t, const js_vrow *row, const char *col)
{
    val out = {0, 0, 0, 0, 0};
    if (!col) {
        if (!e->cur_col) {
            if (!e->err[0])
                snprintf(e->err, sizeof e->err, "引用表%s时缺少列名", t->id);
            return out;
        }
        col = e->cur_col;
    }
    int c = column_of(e, t, row, col);
    if (c < 0)
        return out;
    out.v = out.lo = out.hi = row->val[c];
    if (js_view_printed(e->v) && !row->blank[c]) {
        js_printed_interval(out.v, t->half, &out.lo, &out.hi);
        out.n = t->half > 0; /* a figure printed to the 分 is exact */
        out.nx = t->half == 0;
    }
    if (e->nadds < JS_MAX_ADDENDS)
        e->adds[e->nadds++] = (addend_ref){t, row, col, c, e->side};
    if (e->cs)
        js_consist_term(e->cs, t, row, c, e->sign);
    return out;
}

static void make_addend(const addend_ref *ref, js_addend *a)
{
    js_addend_of(ref->t, ref->row, ref->c, ref->col, ref->side, a);
}

static const char *current_code(ectx *e)
{
    if (!e->cur_row || !e->cur_row->code[0]) {
        if (!e->err[0])
            snprintf(e->err, sizeof e->err, "[$] 只能用于 each row 且该行有编码");
        return NULL;
    }
    return e->cur_row->code;
}

/* Is the row's code the string want? Inline, byte by byte (codes are at
 * most 7 bytes; most rows differ in the first few): every row a selection
 * looks at comes here. */
static bool same_code(const char *code, const char *want)
{
    size_t i = 0;
    while (want[i] && code[i] == want[i])
        i++;
    return code[i] == want[i];
}

/* Is code (a row's: at most 7 bytes, NUL-terminated) of length len and
 * does it start with the pl bytes of p (pl < len)? This runs for every
 * row a child selection looks at. */
static bool child_code(const char *code, size_t len, const char *p, size_t pl)
{
    if (!len || strnlen(code, 8) != len)
        return false;
    for (size_t i = 0; i < pl; i++) /* pl < len <= 7: inline */
        if (code[i] != p[i])
            return false;
    return true;
}

/* Does row belong to the selection? children_len: for child selections, the
 * code length of the children (computed by the caller). */
static bool selected(ectx *e, const rowsel *s, const js_vrow *row, size_t children_len)
{
    switch (s->kind) {
    case SEL_ROWNO:
        return row->rowno == s->a;
    case SEL_RANGE:
        return row->rowno >= s->a && row->rowno <= s->b;
    case SEL_CODE:
        return same_code(row->code, s->code);
    case SEL_LEVEL:
        return row->code[0] && row->level == s->a;
    case SEL_LABEL:
        return row->name[0] == s->label[0] && !strcmp(row->name, s->label);
    case SEL_CURRENT: {
        const char *c = current_code(e);
        return c && same_code(row->code, c);
    }
    case SEL_CHILDREN:
    case SEL_CURRENT_CHILDREN: {
        /* children_len is longer than p when there are children, else 0 */
        const char *p = s->kind == SEL_CHILDREN ? s->code : current_code(e);
        return p && child_code(row->code, children_len, p, strlen(p));
    }
    }
    return false;
}

/* The shortest code length below prefix among the rows of t. */
static size_t children_len(ectx *e, const js_vtable *t, const rowsel *s)
{
    if (s->kind != SEL_CHILDREN && s->kind != SEL_CURRENT_CHILDREN)
        return 0;
    const char *p = s->kind == SEL_CHILDREN ? s->code : current_code(e);
    if (!p)
        return 0;
    size_t best = 0, pl = strlen(p);
    for (int i = 0; pl < 7 && i < t->nrows; i++) {
        const char *code = t->rows[i].code;
        size_t same = 0;
        while (same < pl && code[same] == p[same]) /* inline: pl < 7 */
            same++;
        if (code[pl] && same == pl) { /* longer, with the same first pl bytes */
            size_t l = pl + 1 + strnlen(code + pl + 1, 7 - pl - 1);
            if (!best || l < best)
                best = l;
        }
    }
    return best;
}

static void overflow(ectx *e)
{
    if (!e->err[0])
        snprintf(e->err, sizeof e->err, "金额合计超出范围");
}

/* out = l + r, or l - r when sub (the interval of a difference runs from
 * l.lo - r.hi to l.hi - r.lo); false on overflow. */
static bool val_combine(const val *l, const val *r, bool sub, val *out)
{
    out->n = l->n + r->n;
    out->nx = l->nx + r->nx;
    if (sub)
        return js_fen_sub(l->v, r->v, &out->v) && js_fen_sub(l->lo, r->hi, &out->lo) &&
               js_fen_sub(l->hi, r->lo, &out->hi);
    return js_fen_add(l->v, r->v, &out->v) && js_fen_add(l->lo, r->lo, &out->lo) &&
           js_fen_add(l->hi, r->hi, &out->hi);
}

static val eval(ectx *e, const node *n)
{
    val out = {0, 0, 0, 0, 0};
    switch (n->kind) {
    case N_NUM:
        out.v = out.lo = out.hi = n->num;
        if (e->cs)
            js_consist_constant(e->cs, e->sign < 0 ? -n->num : n->num);
        return out;
    case N_BARE:
        if (!e->cur_row) {
            if (!e->err[0])
                snprintf(e->err, sizeof e->err, "「%s」只能用于 each row", n->col);
            return out;
        }
        return cell(e, e->cur_t, e->cur_row, n->col);
    case N_CELL:
    case N_SUM: {
        const js_vtable *t = table_of(e, n->table); /* NUL-terminated by the parser */
        if (!t)
            return out;
        size_t clen = children_len(e, t, &n->sel);
        /* what selected() would look up for every row, looked up once: the
         * code asked ($: the current row's, when the table has rows), the
         * parent of the children */
        sel_kind k = n->sel.kind;
        const char *want = k == SEL_CODE ? n->sel.code
                           : k == SEL_CURRENT && t->nrows ? current_code(e)
                           : k == SEL_CHILDREN ? n->sel.code
                           : k == SEL_CURRENT_CHILDREN ? current_code(e)
                                                       : NULL;
        size_t wl = want ? strlen(want) : 0;
        bool by_code = k == SEL_CODE || k == SEL_CURRENT, children = k == SEL_CHILDREN || k == SEL_CURRENT_CHILDREN;
        if ((by_code || children) && !want)
            return out; /* no current code: nothing is selected (err set) */
        for (int i = 0; i < t->nrows; i++) {
            const char *code = t->rows[i].code;
            if (by_code ? !same_code(code, want)
                : children ? !child_code(code, clen, want, wl)
                           : !selected(e, &n->sel, &t->rows[i], clen))
                continue;
            val c = cell(e, t, &t->rows[i], n->col);
            if (!js_fen_add(out.v, c.v, &out.v) || !js_fen_add(out.lo, c.lo, &out.lo) ||
                !js_fen_add(out.hi, c.hi, &out.hi))
                overflow(e);
            out.n += c.n;
            out.nx += c.nx;
            if (n->kind == N_CELL)
                break;
        }
        return out;
    }
    case N_ADD:
    case N_SUB: {
        val l = eval(e, n->l);
        if (n->kind == N_SUB)
            e->sign = -e->sign;
        val r = eval(e, n->r);
        if (n->kind == N_SUB)
            e->sign = -e->sign;
        if (!val_combine(&l, &r, n->kind == N_SUB, &out))
            overflow(e);
        return out;
    }
    }
    return out;
}

/* A context for rule r over v: every field cleared but the cells read,
 * which check_once counts from zero (the whole of adds is 10 KB: clearing
 * it for each rule was a tenth of a check). */
static void ectx_init(ectx *e, const js_view *v, const rule *r)
{
    e->v = v;
    e->r = r;
    e->cur_t = NULL;
    e->cur_row = NULL;
    e->cur_col = NULL;
    e->side = 0;
    e->nadds = 0;
    e->na = false;
    e->err[0] = '\0';
    e->cs = NULL;
    e->sign = 0;
}

struct js_rules_evaluator {
    ectx e;
};

js_rules_evaluator *js_rules_evaluator_new(const js_view *v)
{
    js_rules_evaluator *ev = malloc(sizeof *ev);
    if (!ev)
        return NULL;
    memset(ev->e.seen, 0, sizeof ev->e.seen);
    memset(ev->e.tables, 0, sizeof ev->e.tables);
    ectx_init(&ev->e, v, NULL);
    return ev;
}

bool js_rules_evaluate(js_rules_evaluator *ev, const node *n, js_fen *out, char *err, size_t errlen)
{
    ectx *e = &ev->e;
    ectx_init(e, e->v, NULL);
    *out = eval(e, n).v;
    bool ok = !e->err[0] && !e->na;
    if (!ok)
        snprintf(err, errlen, "%s", e->err[0] ? e->err : "列不在该行所在的表块");
    return ok;
}

void js_rules_evaluator_free(js_rules_evaluator *ev) { free(ev); }

bool js_rules_eval_expression(const node *n, const js_view *v, js_fen *out, char *err, size_t errlen)
{
    js_rules_evaluator *ev = js_rules_evaluator_new(v);
    if (!ev) {
        snprintf(err, errlen, "内存不足");
        return false;
    }
    bool ok = js_rules_evaluate(ev, n, out, err, errlen);
    js_rules_evaluator_free(ev);
    return ok;
}

typedef enum { OUT_PASS, OUT_TAIL, OUT_FAIL } outcome;

/* diff: the printed (or exact) difference of the two sides; d: the
 * interval of the exact differences they can stand for. PASS when the
 * figures as read satisfy op, TAIL when only some exact amounts behind them
 * do, FAIL when none can. */
static outcome compare(cmp_op op, js_fen diff, const val *d)
{
    bool exact, possible;
    switch (op) {
    case OP_EQ:
        exact = diff == 0;
        possible = d->lo <= 0 && d->hi >= 0;
        break;
    case OP_LE:
        exact = diff <= 0;
        possible = d->lo <= 0;
        break;
    case OP_GE:
        exact = diff >= 0;
        possible = d->hi >= 0;
        break;
    case OP_LT:
        exact = diff < 0;
        possible = d->lo < 0;
        break;
    default:
        exact = diff > 0;
        possible = d->hi > 0;
        break;
    }
    return exact ? OUT_PASS : possible ? OUT_TAIL : OUT_FAIL;
}

/* Fills {表} {行} {列} of the rule's message. */
static void fill_message(const ectx *e, const char *number, const char *rowname, const char *col,
                         char *buf, size_t n)
{
    size_t o = 0;
    for (const char *p = e->r->message; *p && o + 1 < n;) {
        const char *rep = NULL;
        if (!strncmp(p, "{表}", strlen("{表}")))
            rep = number;
        else if (!strncmp(p, "{行}", strlen("{行}")))
            rep = rowname;
        else if (!strncmp(p, "{列}", strlen("{列}")))
            rep = col;
        if (rep) {
            o += (size_t)snprintf(buf + o, n - o, "%s", rep);
            p += strlen("{表}");
        } else {
            buf[o++] = *p++;
        }
        if (o >= n)
            o = n - 1;
        buf[o] = '\0';
    }
    buf[o < n ? o : n - 1] = '\0';
}

/* Evaluates the comparison in the current context; returns false on a rule
 * error (reported by the caller). Adds a finding on failure or tail. */
static bool check_once(ectx *e, js_findings *out, size_t *failures)
{
    e->nadds = 0;
    e->na = false;
    e->side = 'L';
    e->sign = 1;
    if (e->cs)
        js_consist_begin(e->cs);
    val l = eval(e, e->r->lhs);
    e->side = 'R';
    e->sign = -1;
    val r = eval(e, e->r->rhs);
    if (e->err[0])
        return false;
    if (e->na)
        return true;
    val d;
    if (!val_combine(&l, &r, true, &d)) {
        overflow(e);
        return false;
    }
    js_fen diff = d.v;
    outcome o = compare(e->r->op, diff, &d);
    if (e->cs && o != OUT_FAIL)
        js_consist_end(e->cs, e->r->op, e->r->id, e->cur_t, e->cur_row, e->cur_col);
    if (o == OUT_PASS)
        return true;
    /* Where: the current row, else the first cell of the left side. */
    js_addend first_cell;
    const js_addend *first = NULL;
    if (e->nadds) {
        make_addend(&e->adds[0], &first_cell);
        first = &first_cell;
    }
    char row[64] = "", rowname[128] = "", col[128] = "";
    const char *table = e->cur_t ? e->cur_t->id : first ? first->table : "";
    if (e->cur_row) {
        js_vrow_key(e->cur_row, row, sizeof row);
        snprintf(rowname, sizeof rowname, "%s", e->cur_row->name);
    } else if (first) {
        snprintf(row, sizeof row, "%s", first->row);
        snprintf(rowname, sizeof rowname, "%s", first->row_name);
    }
    if (e->cur_col)
        snprintf(col, sizeof col, "%s", e->cur_col);
    else if (first)
        snprintf(col, sizeof col, "%s", first->column);
    const js_vtable *t = js_view_find(e->v, table);
    char msg[1024];
    fill_message(e, t ? t->number : table, rowname, col, msg, sizeof msg);
    js_finding *x;
    if (o == OUT_TAIL && d.nx) {
        /* against figures exact to the 分 the n rounded ones leave a
         * difference under n half units (not a whole number of units) */
        x = js_findings_add(out, e->r->id, JS_SEV_INFO,
                            "尾数误差（%d 个万元印刷数各自四舍五入，与 %d 个精确到分的元金额比较，允许相差不足 %d.%03d "
                            "万元）：%s",
                            d.n, d.nx, d.n * 5 / 1000, d.n * 5 % 1000, msg);
    } else if (o == OUT_TAIL) {
        char tol[32];
        js_money_format_wan(js_printed_tolerance(d.n), false, tol, sizeof tol);
        x = js_findings_add(out, e->r->id, JS_SEV_INFO,
                            "尾数误差（%d 个印刷数各自四舍五入，允许相差 %s 万元以内）：%s", d.n, tol, msg);
    } else {
        x = js_findings_add(out, e->r->id, e->r->sev, "%s（应 %s）", msg, js_rule_op_text[e->r->op]);
        (*failures)++;
    }
    if (!x)
        return true;
    snprintf(x->table, sizeof x->table, "%s", table);
    snprintf(x->row, sizeof x->row, "%s", row);
    snprintf(x->row_name, sizeof x->row_name, "%s", rowname);
    snprintf(x->column, sizeof x->column, "%s", col);
    x->has_values = true;
    x->yuan = d.nx > 0;
    x->actual = l.v;
    x->expected = r.v;
    x->difference = diff;
    for (size_t k = 0; k < e->nadds; k++) {
        js_addend a;
        make_addend(&e->adds[k], &a);
        js_finding_addend(out, x, &a);
    }
    return true;
}

bool js_vrow_has_below(const js_vtable *t, const js_vrow *row)
{
    size_t l = strlen(row->code);
    /* codes are at most 7 bytes and NUL-terminated: a longer code with the
     * same first l bytes has a byte at l (no strlen per row: this runs for
     * every row a parent-level rule looks at) */
    for (int i = 0; l && i < t->nrows; i++)
        if (t->rows[i].code[l] && !memcmp(t->rows[i].code, row->code, l))
            return true;
    return false;
}

static bool row_wanted(const rule *r, const js_vtable *t, const js_vrow *row)
{
    if (r->level == LEVEL_CODE && !row->code[0])
        return false;
    if (r->level == LEVEL_PARENT && !js_vrow_has_below(t, row))
        return false;
    if (r->level > 0 && (!row->code[0] || row->level != r->level))
        return false;
    if (r->nnames == 0)
        return true;
    for (int k = 0; k < r->nnames; k++)
        if (!strcmp(row->name, r->names[k]))
            return true;
    return false;
}

/* Is column c the first amount column of its name (01 has 金额 twice)? */
static bool first_of_name(const js_vtable *t, int c)
{
    if (t->cols[c].block < 0)
        return false;
    for (int k = 0; k < c; k++)
        if (t->cols[k].block >= 0 && !strcmp(t->cols[k].name, t->cols[c].name))
            return false;
    return true;
}

js_status js_rules_run(const js_ruleset *rs, const js_view *v, js_findings *out, js_diag *d)
{
    if (rs->version)
        js_findings_set_version(out, rs->version);
    ectx *e = malloc(sizeof *e);
    /* Printed figures: the error rules' identities, gathered for the
     * consistency pass over the whole report (consistency.h). */
    js_consist *cs = js_view_printed(v) ? js_consist_new(v) : NULL;
    if (!e || (js_view_printed(v) && !cs)) {
        free(e);
        js_consist_free(cs);
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    memset(e->seen, 0, sizeof e->seen);
    memset(e->tables, 0, sizeof e->tables);
    size_t errors = 0;
    for (size_t i = 0; i < rs->n; i++) {
        const rule *r = &rs->rules[i];
        ectx_init(e, v, r);
        e->cs = r->sev == JS_SEV_ERROR ? cs : NULL;
        size_t failures = 0, checked = 0;
        bool ok = true;
        if (r->printed_only && !js_view_printed(v)) {
            js_findings_count_rule_na(out);
            continue;
        }
        if (r->form == FORM_REQUIRE) {
            js_rules_require(r, v, out, &checked, &failures);
        } else if (r->form == FORM_PLAIN) {
            checked = 1;
            ok = check_once(e, out, &failures);
        } else {
            const js_vtable *t = table_of(e, r->table);
            e->cur_t = t;
            if (t && r->form == FORM_EACH_ROW) {
                for (int k = 0; k < t->nrows && ok; k++) {
                    if (!row_wanted(r, t, &t->rows[k]))
                        continue;
                    e->cur_row = &t->rows[k];
                    checked++;
                    if (!r->and_column) {
                        ok = check_once(e, out, &failures);
                        continue;
                    }
                    for (int c = 0; c < t->ncols && ok; c++)
                        if (t->cols[c].block == t->rows[k].block) {
                            e->cur_col = t->cols[c].name;
                            ok = check_once(e, out, &failures);
                        }
                    e->cur_col = NULL;
                }
            } else if (t) {
                for (int c = 0; c < t->ncols && ok; c++) {
                    if (!first_of_name(t, c))
                        continue;
                    e->cur_col = t->cols[c].name;
                    checked++;
                    ok = check_once(e, out, &failures);
                }
            }
            ok = ok && t;
        }
        if (!ok) {
            js_finding *x = js_findings_add(out, r->id, JS_SEV_ERROR, "规则与表不符：%s（%s）",
                                            e->err[0] ? e->err : "未知错误", r->check);
            failures++;
            (void)x;
        }
        if (ok && !checked)
            js_findings_count_rule_na(out);
        else
            js_findings_count_rule(out, failures == 0);
        if (r->sev == JS_SEV_ERROR)
            errors += failures;
    }
    free(e);
    /* A rule that fails already names the impossibility; the pass looks for
     * the ones only a chain of rules shows. */
    bool ok = true;
    if (cs && !errors)
        ok = js_consist_run(cs, out);
    js_consist_free(cs);
    return ok ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
}
