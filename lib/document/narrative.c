/* The narrative template language (see narrative.h, docs/templates.md). */
#define _GNU_SOURCE /* memrchr */
#include "narrative.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cnnum.h"
#include "findings.h"
#include "juesuan/perf.h"
#include "rules_ast.h"
#include "strmap.h"
#include "vec.h"
#include "workbook_schema.h"

#define MAX_BINDINGS 256
#define MAX_ITEMS 4096
#define MAX_LOOP_DEPTH 8

typedef __int128 i128;

/* ---- values ---------------------------------------------------------- */

typedef struct item item;

/* V_ABSENT: an input the workbook does not give (a sheet, a column or a
 * key not filed). It is neither zero nor empty: arithmetic and comparisons
 * with it are absent too, a condition on it decides nothing, and a
 * sentence that prints it is dropped (docs/templates.md). */
typedef enum { V_NONE, V_NUM, V_TEXT, V_ITEM, V_ABSENT } vkind;

typedef struct {
    vkind k;
    bool money;      /* a number in 分 */
    i128 n, d;       /* number = n / d, d > 0 */
    const char *s;   /* text */
    const item *it;  /* loop item */
    const char *gap; /* empty texts and absent values: what is missing, else NULL */
    const char *sheet; /* the sheet (file name) that would give it */
} value;

/* A loop element: a table row (or a group of rows by code prefix), a unit,
 * or a row of a keyed sheet. */
struct item {
    char code[8];
    const char *name;
    int index;               /* 1-based */
    int count;               /* items in the loop */
    const js_table *t;
    int block;
    js_fen *cells;           /* per column of the block */
    const char *unit_kind;   /* units: 性质 */
    const js_perf_item *perf;/* 绩效项目 */
};

typedef struct {
    const char *name;
    value v;
} binding;

typedef enum { K_TEXT, K_EXPR, K_IF, K_ELIF, K_ELSE, K_END, K_FOR, K_SET, K_SECTION } tok_kind;

typedef struct xnode xnode; /* a compiled expression */

typedef struct {
    tok_kind k;
    const char *s; /* text, or the tag's contents */
    size_t len;
    long line;
    int match;     /* IF/ELIF/ELSE: next branch or END; FOR: END */
    /* compiled once (compile_tokens) */
    const xnode *x;     /* EXPR: the expression; IF/ELIF: the condition; SET: the value */
    const char *filter; /* EXPR: after |, or NULL */
    const char *name;   /* SET, FOR: the variable; SECTION: the counter or NULL (interned) */
    const char *sep, *src; /* FOR: between items, and the loop's source */
    const char *err;    /* a statement that cannot run: its message, given when reached */
} tok;

/* The variables of report.vars: rules expressions, parsed once. */
typedef struct {
    const char *name; /* interned */
    node *n;
    long line;
} var_def;

/* A template compiled once (js_narrative_compile) and run read-only for
 * each department, on any thread. Errors of the text are kept and given
 * when the run reaches them, as an interpreter reading the text would. */
struct js_narrative_tpl {
    js_arena arena;
    char *name, *vars_name;
    char *text;         /* the template's text, which the tokens point into */
    tok *toks;
    size_t ntoks;
    js_status tok_st;   /* the template does not read: why, given after the vars */
    js_diag tok_diag;
    js_ruleset *rs;     /* holds the vars' expressions */
    var_def *vars;
    size_t nvars, capvars;
    js_status vars_st;  /* a line of the vars that does not read: given after the lines before it */
    js_diag vars_diag;
    const char **names; /* every name bound or looked up, once: bindings compare pointers */
    size_t nnames, capnames;
    js_strmap name_index; /* a name's index in names (its key: the copy there) */
    const char *n_year, *n_prev, *n_dept;
};

/* Names looked up by name_index, by their address. */
typedef struct {
    struct { const char *name; int index; } seen[32];
    int n;
} name_memo;

/* A 一般公共预算 年初预算 line for budget_of: its 项, amount and the
 * (wrapping) sum of the lines before it in 项 order. */
typedef struct {
    uint32_t func;
    uint64_t amount, before;
} budget_line;

typedef struct {
    const char *name;
    const js_tableset *ts;
    const js_workbook *wb;
    const js_dict *dict;
    const js_narrative_options *opt;
    js_findings *gaps;
    js_buf *out;
    js_narrative_figures *figs;
    js_diag *d;
    js_arena arena;
    size_t ngaps;
    char budget_prefix[8]; /* the last budget_of asked, and its sum */
    js_fen budget_sum;
    bool budget_known;
    int budget_given;     /* budget.csv given: 1, 0, or -1 not asked yet */
    budget_line *budget_lines; /* budget_of's facts, gathered once, by 项 */
    size_t nbudget_lines;
    uint64_t budget_total;
    bool budget_gathered;
    const char **needs; /* "sheet\x1fwhat" of the absent inputs reported */
    size_t nneeds, capneeds;
    tok *toks;            /* the template's (read only), or being read by tokenize */
    size_t ntoks, captoks;
    struct { const void *def; int block; const char *name; int k; } cols[32]; /* column_index asked */
    name_memo fields, filters; /* field_of and filter_of asked */
    int ncols;
    bool sec_known;       /* section_of looked through out up to sec_len: last heading at sec_at */
    size_t sec_len, sec_at;
    binding *b;           /* MAX_BINDINGS of them (malloc'd apart: not zeroed) */
    int nb;
    bool failed;
    long line; /* of the tag being evaluated */
} nctx;

/* The first len bytes at s (fewer at a NUL) as a string in buf of n
 * bytes, cut to fit: what snprintf "%.*s" gives, without its cost (a
 * template's tokens and codes are copied thousands of times per
 * department). */
static void tok_copy(char *buf, size_t n, const char *s, size_t len)
{
    len = strnlen(s, len);
    if (len >= n)
        len = n - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
}

/* a, b and c one after the other in buf of n bytes, cut to fit: what
 * snprintf "%s%s%s" gives, without its cost (keys and messages of the
 * inputs a department lacks are made for every one of them). */
static void join3(char *buf, size_t n, const char *a, const char *b, const char *c)
{
    size_t o = 0;
    for (const char *part[3] = {a, b, c}, **p = part; p < part + 3; p++)
        for (const char *q = *p; *q && o + 1 < n; q++)
            buf[o++] = *q;
    buf[o] = '\0';
}

/* The number the first digits of code make (strtoul of that prefix). */
static uint32_t code_prefix(const char *code, size_t digits)
{
    uint32_t v = 0;
    for (size_t i = 0; i < digits && code[i] >= '0' && code[i] <= '9'; i++)
        v = v * 10 + (uint32_t)(code[i] - '0');
    return v;
}

static js_status fail(nctx *c, const char *fmt, const char *what)
{
    if (!c->failed)
        js_diag_set(c->d, JS_E_INPUT, c->name, c->line, 0, NULL, fmt, what);
    c->failed = true;
    return JS_E_INPUT;
}

static i128 gcd128(i128 a, i128 b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b;
    while (b) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static value num(i128 n, i128 d, bool money)
{
    value v = {.k = V_NUM, .n = n, .d = d, .money = money};
    if (v.d < 0) {
        v.n = -v.n;
        v.d = -v.d;
    }
    i128 g = gcd128(v.n, v.d);
    if (g > 1) {
        v.n /= g;
        v.d /= g;
    }
    return v;
}

static value text(const char *s) { return (value){.k = V_TEXT, .s = s ? s : ""}; }

static bool truthy(value v)
{
    return (v.k == V_NUM && v.n != 0) || (v.k == V_TEXT && v.s[0]) || v.k == V_ITEM;
}

/* Not given: an absent value or a text the workbook lacks. */
static bool missing(value v) { return v.k == V_ABSENT || (v.k == V_TEXT && !v.s[0] && v.gap); }

/* The heading of the section being written (for messages): the last line
 * of c->out that starts with '#'. What was looked through is remembered:
 * only what was written since is looked through the next time (each gap
 * asked, and the whole section was read back for each). Whatever cuts the
 * output (exec_section) forgets it. */
static void section_of(nctx *c, char *buf, size_t n)
{
    const js_buf *out = c->out;
    const char *d = out->data ? out->data : "", *h = NULL;
    size_t from = c->sec_known ? c->sec_len : 0, at = c->sec_known ? c->sec_at : SIZE_MAX;
    /* the last line start in [from, len) holding a '#': line by line from
     * the end (memrchr), not byte by byte */
    size_t lo = from ? from - 1 : 0, end = out->len ? out->len - 1 : 0;
    bool found = false;
    while (end > lo) {
        const char *nl = memrchr(d + lo, '\n', end - lo);
        if (!nl)
            break;
        if (nl[1] == '#') {
            at = (size_t)(nl - d) + 1;
            found = true;
            break;
        }
        end = (size_t)(nl - d);
    }
    if (!found && from == 0 && out->len && d[0] == '#')
        at = 0;
    c->sec_known = true;
    c->sec_len = out->len;
    c->sec_at = at;
    if (at != SIZE_MAX)
        h = d + at;
    buf[0] = '\0';
    if (h) {
        h += strspn(h, "# ");
        tok_copy(buf, n, h, strcspn(h, "\n"));
    }
}

/* Records, once per input, that the document needed an input the workbook
 * does not give: an N-002 finding at the profile's severity for its sheet. */
/* Whether "sheet\x1fwhat" is reported for the first time (then remembered). */
static bool first_time(nctx *c, const char *sheet, const char *what)
{
    char key[512];
    join3(key, sizeof key, sheet, "\x1f", what);
    for (size_t i = 0; i < c->nneeds; i++)
        if (!strcmp(c->needs[i], key))
            return false;
    const char *kept = js_arena_strdup(&c->arena, key);
    if (!kept || !js_vec_reserve(&c->needs, &c->capneeds, c->nneeds + 1, sizeof *c->needs))
        return false;
    c->needs[c->nneeds++] = kept;
    return true;
}

static void need(nctx *c, const char *sheet, const char *what)
{
    if (!first_time(c, sheet, what) || !c->gaps)
        return;
    const char *sev = js_profile_absent_severity(js_tableset_profile(c->ts), sheet);
    js_severity level = JS_SEV_VERIFY;
    for (int k = 0; k < JS_SEV_COUNT; k++)
        if (!strcmp(sev, js_severity_names[k]))
            level = (js_severity)k;
    char section[256];
    section_of(c, section, sizeof section);
    js_finding *f = section[0] ? js_findings_add(c->gaps, "N-002", level, "报告需要的数据未填报：%s（用于“%s”）", what, section)
                               : js_findings_add(c->gaps, "N-002", level, "报告需要的数据未填报：%s", what);
    if (f)
        snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(c->wb, sheet));
}

/* A code the glossary leaves out for want of a 说明 in the dictionary (nor
 * its 款's): an N-003 finding naming it, once. */
static void unexplained(nctx *c, const item *it)
{
    if (!first_time(c, "说明", it->code) || !c->gaps)
        return;
    js_findings_add(c->gaps, "N-003", JS_SEV_VERIFY, "名词解释略去了科目 %s %s：科目表（%d年版）没有它及其款的说明",
                    it->code, it->name, js_dict_edition(c->dict));
}

/* An input the workbook does not give, recorded as needed. */
static value absent(nctx *c, const char *sheet, const char *what)
{
    const char *w = js_arena_strdup(&c->arena, what);
    need(c, sheet, w ? w : what);
    return (value){.k = V_ABSENT, .gap = w ? w : "", .sheet = sheet};
}

/* ---- lookups into the tables and the workbook ------------------------ */

static const js_table *table_by_id(nctx *c, const char *id)
{
    for (size_t i = 0; i < js_tableset_count(c->ts); i++)
        if (!strcmp(js_tableset_table(c->ts, i)->def->id, id))
            return js_tableset_table(c->ts, i);
    return NULL;
}

/* Column index in block of t whose joined heading is name, or the
 * profile's alias of name (an ancestor's template naming this layout's
 * column); -1 when none. */
static int column_index(const nctx *c, const js_table *t, int block, const char *name)
{
    const char *alias = js_profile_column_alias(js_tableset_profile(c->ts), t->def->id, name);
    if (alias)
        name = alias;
    const js_blockdef *b = &t->def->blocks[block];
    for (int k = 0; k < b->ncols; k++) {
        char joined[256] = "";
        for (int l = 0; l < b->cols[k].depth; l++)
            snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", l ? "/" : "",
                     b->cols[k].heading[l]);
        if (b->cols[k].kind == JS_COLK_AMOUNT && !strcmp(joined, name))
            return k;
    }
    return -1;
}

/* The column of a loop item's table named name (column_index), the answers
 * kept: a loop asks the same few for each of its items. */
static int item_column(nctx *c, const item *it, const char *name)
{
    for (int i = 0; i < c->ncols; i++)
        if (c->cols[i].def == it->t->def && c->cols[i].block == it->block &&
            (c->cols[i].name == name || !strcmp(c->cols[i].name, name)))
            return c->cols[i].k;
    int k = column_index(c, it->t, it->block, name);
    if (c->ncols < (int)(sizeof c->cols / sizeof c->cols[0]))
        c->cols[c->ncols++] = (__typeof__(c->cols[0])){it->t->def, it->block, name, k};
    return k;
}

/* Does the 7-digit 项 func start with the digits of prefix ("" matches)? */
static bool func_has_prefix(uint32_t func, const char *prefix, size_t pl)
{
    uint32_t want = 0, scale = 10000000;
    for (size_t i = 0; i < pl; i++) {
        if (prefix[i] < '0' || prefix[i] > '9' || pl > 7)
            return false;
        want = want * 10 + (uint32_t)(prefix[i] - '0');
        scale /= 10;
    }
    return func / scale == want;
}

/* Whether the workbook gives budget.csv (asked for every item's 预算). */
static bool budget_given(nctx *c)
{
    if (c->budget_given < 0)
        c->budget_given = js_workbook_given(c->wb, "budget.csv", NULL, NULL);
    return c->budget_given;
}

static int by_func(const void *a, const void *b)
{
    uint32_t x = ((const budget_line *)a)->func, y = ((const budget_line *)b)->func;
    return x < y ? -1 : x > y;
}

/* The first of the n sorted budget lines whose 项 is at least func. */
static size_t budget_at(const budget_line *l, size_t n, uint64_t func)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l[mid].func < func)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The 一般公共预算 年初预算 of the codes starting with prefix; the last
 * answer is kept, since a template asks for one item's budget several
 * times in a row. The budget lines are gathered once, sorted by 项 with
 * running totals: a prefix is a range of 项 (a template asks for a
 * hundred items' budgets). */
static js_fen budget_of(nctx *c, const char *prefix)
{
    if (c->budget_known && !strcmp(c->budget_prefix, prefix))
        return c->budget_sum;
    size_t n, pl = strlen(prefix);
    const js_fact *f = js_workbook_facts(c->wb, &n);
    if (!c->budget_gathered) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += f[i].source == JS_SRC_BUDGET && f[i].fund == JS_FUND_GENERAL;
        c->budget_lines = k ? js_arena_alloc(&c->arena, k * sizeof *c->budget_lines) : NULL;
        for (size_t i = 0; c->budget_lines && i < n; i++)
            if (f[i].source == JS_SRC_BUDGET && f[i].fund == JS_FUND_GENERAL)
                c->budget_lines[c->nbudget_lines++] = (budget_line){f[i].func, (uint64_t)f[i].amount, 0};
        if (c->nbudget_lines)
            qsort(c->budget_lines, c->nbudget_lines, sizeof *c->budget_lines, by_func);
        uint64_t run = 0; /* wrapping: a difference of two is exact when the sum fits */
        for (size_t i = 0; i < c->nbudget_lines; i++)
            c->budget_lines[i].before = run, run += c->budget_lines[i].amount;
        c->budget_total = run;
        c->budget_gathered = c->budget_lines || !k;
    }
    js_fen sum = 0;
    if (c->budget_gathered) {
        /* the 项 starting with the pl digits of prefix: [want, want + 1) × scale */
        uint64_t want = 0, scale = 10000000;
        bool ok = pl <= 7;
        for (size_t i = 0; i < pl && ok; i++) {
            ok = prefix[i] >= '0' && prefix[i] <= '9';
            want = want * 10 + (uint64_t)(prefix[i] - '0');
            scale /= 10;
        }
        const budget_line *l = c->budget_lines;
        size_t m = c->nbudget_lines, a = ok ? budget_at(l, m, want * scale) : 0,
               b = ok ? budget_at(l, m, (want + 1) * scale) : 0;
        uint64_t upto_b = b < m ? l[b].before : c->budget_total, upto_a = a < m ? l[a].before : c->budget_total;
        sum = (js_fen)(upto_b - upto_a);
    } else { /* out of memory: from the facts */
        for (size_t i = 0; i < n; i++)
            if (f[i].source == JS_SRC_BUDGET && f[i].fund == JS_FUND_GENERAL && func_has_prefix(f[i].func, prefix, pl))
                sum += f[i].amount;
    }
    if (pl < sizeof c->budget_prefix) {
        memcpy(c->budget_prefix, prefix, pl + 1);
        c->budget_sum = sum;
        c->budget_known = true;
    }
    return sum;
}

/* The reason of the first note whose 7-digit code (js_code_str) is code
 * and which gives one. A 7-digit code is compared as a number (every item
 * asks, against every note). */
static const char *budget_reason(nctx *c, const char *code)
{
    size_t n, len = strlen(code);
    const js_budget_note *notes = js_workbook_budget_notes(c->wb, &n);
    bool digits = len == 7;
    for (size_t k = 0; k < len && digits; k++)
        digits = code[k] >= '0' && code[k] <= '9';
    uint32_t want = digits ? code_prefix(code, 7) : 0;
    for (size_t i = 0; i < n; i++) {
        if (notes[i].func < 10000000u) {
            if (!digits || notes[i].func != want)
                continue; /* its text has 7 digits: not code */
        } else {
            char s[8];
            js_code_str(notes[i].func, 7, s);
            if (strcmp(s, code))
                continue;
        }
        if (notes[i].reason[0])
            return notes[i].reason;
    }
    return "";
}

static const char *dict_name(nctx *c, const char *code, size_t digits)
{
    if (strlen(code) < digits)
        return "";
    const js_code *jc = js_dict_find(c->dict, JS_DICT_FUNC, code_prefix(code, digits < 8 ? digits : 7), (int)digits);
    return jc ? jc->name : "";
}

/* The dictionary's 说明 of a code; for a 项 without one, its 款's
 * (docs/dictionaries.md); "" when neither has one. */
static const char *code_note(nctx *c, const char *code)
{
    size_t len = strlen(code);
    for (size_t digits = len; digits >= 5; digits -= 2) {
        const js_code *jc = js_dict_find(c->dict, JS_DICT_FUNC, code_prefix(code, digits < 8 ? digits : 7), (int)digits);
        if (jc && jc->note && jc->note[0])
            return jc->note;
    }
    return "";
}

/* A text of text.csv, or a gap. */
static value workbook_text(nctx *c, const char *key)
{
    const char *s = js_workbook_text(c->wb, "text.csv", key);
    value v = text(s ? s : "");
    if (!v.s[0]) {
        char what[256];
        join3(what, sizeof what, "文本「", key, "」");
        v = absent(c, "text.csv", what);
        v.k = V_TEXT;
        v.s = "";
    }
    return v;
}

/* ---- loop sources ---------------------------------------------------- */

static const char *skip_sp(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Reads one word (up to a space); returns the position after it. */
static const char *word_at(const char *p, char *w, size_t n)
{
    p = skip_sp(p);
    size_t k = 0;
    while (*p && *p != ' ' && *p != '\t' && k + 1 < n)
        w[k++] = *p++;
    w[k] = '\0';
    return p;
}

static int level_of(const char *w)
{
    return !strcmp(w, "类") ? 3 : !strcmp(w, "款") ? 5 : !strcmp(w, "项") ? 7 : 0;
}

/* Adds the code rows of table t grouped at `level` digits (rows of that
 * level, or deeper rows summed by prefix); prefixes limits the codes. */
static js_status add_table_items(nctx *c, const js_table *t, int level, char prefixes[][8], int npref,
                                 item **items, size_t *n, size_t *cap)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const js_trow *row = &t->rows[r];
        if (row->kind != JS_TROW_CODE || row->level < level)
            continue;
        if (row->level > level) {
            /* use deeper rows only when the table has no row at this level */
            bool has = false;
            for (size_t q = 0; q < t->nrows && !has; q++)
                has = t->rows[q].kind == JS_TROW_CODE && t->rows[q].level == level &&
                      !strncmp(t->rows[q].code, row->code, (size_t)level);
            if (has)
                continue;
        }
        char code[8];
        tok_copy(code, sizeof code, row->code, (size_t)level);
        bool ok = npref == 0;
        for (int k = 0; k < npref && !ok; k++)
            ok = !strncmp(code, prefixes[k], strlen(prefixes[k]));
        if (!ok)
            continue;
        int ncols = t->def->blocks[row->block].ncols;
        item *it = NULL;
        for (size_t k = 0; k < *n && !it; k++)
            if (!strcmp((*items)[k].code, code) && (*items)[k].t == t)
                it = &(*items)[k];
        if (!it) {
            if (*n == MAX_ITEMS || !js_vec_reserve(items, cap, *n + 1, sizeof **items))
                return fail(c, "%s", "循环项过多");
            it = &(*items)[(*n)++];
            memset(it, 0, sizeof *it);
            memcpy(it->code, code, sizeof it->code);
            it->t = t;
            it->block = row->block;
            it->name = row->level == level ? row->name : "";
            it->cells = js_arena_alloc(&c->arena, sizeof(js_fen) * (size_t)ncols);
            if (!it->cells)
                return fail(c, "%s", "内存不足");
        }
        if (!it->name[0] || row->level == level) {
            const js_code *jc = js_dict_find(c->dict, row->econ ? JS_DICT_ECON : JS_DICT_FUNC,
                                             code_prefix(code, sizeof code - 1), level);
            it->name = row->level == level ? row->name : jc ? jc->name : "";
        }
        for (int k = 0; k < ncols; k++)
            it->cells[k] += row->cells[k];
    }
    return JS_OK;
}

static const js_perf *perf_of(nctx *c) { return c->opt->perf; }

#define PERF_ITEMS "perf_items.csv"
/* columns of perf_items.csv (lib/read/workbook_schema.h) */
enum { P_OUTPUT = JS_PERF_OUTPUT, P_PROBLEM = JS_PERF_PROBLEM, P_NEXT = JS_PERF_NEXT, P_TITLE = JS_PERF_TEXT_TITLE,
       P_ORDER = JS_PERF_ORDER };

static int perf_order(nctx *c, const js_perf_item *p)
{
    const char *o = js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, P_ORDER);
    return o[0] ? (int)js_workbook_sheet_number(c->wb, PERF_ITEMS, p->row, P_ORDER) : 100000 + (int)p->row;
}

/* Fills *items (malloc'd, freed by the caller, also on failure) from
 * SOURCE := part ("+" part)*; part := TABLE "by" LEVEL ["in" PREFIX…]
 *         ["nonzero" COLUMN] | "单位". Items with the same code as an
 * earlier item are dropped. */
static js_status collect(nctx *c, const char *src, item **items, size_t *n)
{
    size_t cap = 0;
    *items = NULL;
    *n = 0;
    char part[512];
    const char *p = src;
    while (*p) {
        const char *plus = strstr(p, " + ");
        size_t len = plus ? (size_t)(plus - p) : strlen(p);
        tok_copy(part, sizeof part, p, len);
        p += len + (plus ? 3 : 0);
        char w[64];
        const char *q = word_at(part, w, sizeof w);
        if (!strcmp(w, "绩效项目")) {
            const js_perf *pf = perf_of(c);
            if (!pf)
                return JS_E_INPUT;
            size_t first = *n;
            for (size_t k = 0; k < js_perf_count(pf); k++) {
                const js_perf_item *pi = js_perf_item_at(pf, k);
                if (pi->whole)
                    continue;
                if (!js_vec_reserve(items, &cap, *n + 1, sizeof **items))
                    return fail(c, "%s", "内存不足");
                item *it = &(*items)[(*n)++];
                memset(it, 0, sizeof *it);
                it->name = pi->name;
                it->perf = pi;
            }
            /* in the order the 情况说明 gives (说明顺序), else the sheet's */
            for (size_t a = first + 1; a < *n; a++)
                for (size_t b2 = a; b2 > first && perf_order(c, (*items)[b2 - 1].perf) > perf_order(c, (*items)[b2].perf); b2--) {
                    item t = (*items)[b2];
                    (*items)[b2] = (*items)[b2 - 1];
                    (*items)[b2 - 1] = t;
                }
            continue;
        }
        if (!strcmp(w, "单位")) {
            size_t nu;
            const js_unit *u = js_workbook_units(c->wb, &nu);
            for (size_t k = 0; k < nu; k++) {
                if (!js_vec_reserve(items, &cap, *n + 1, sizeof **items))
                    return fail(c, "%s", "内存不足");
                item *it = &(*items)[(*n)++];
                memset(it, 0, sizeof *it);
                it->name = u[k].name;
                it->unit_kind = js_unit_kind_names[u[k].kind];
            }
            continue;
        }
        const js_table *t = w[0] == 'T' ? table_by_id(c, w + 1) : NULL;
        if (!t)
            return fail(c, "循环来源中没有表 %s（应为 T05 by 项 之类）", w);
        char by[16], lw[16];
        q = word_at(q, by, sizeof by);
        q = word_at(q, lw, sizeof lw);
        int level = level_of(lw);
        if (strcmp(by, "by") || !level)
            return fail(c, "循环来源应为“表 by 类|款|项”：%s", part);
        char prefixes[16][8];
        int npref = 0;
        const char *nonzero = NULL;
        bool explained = false;
        while (*(q = skip_sp(q))) {
            q = word_at(q, w, sizeof w);
            if (!strcmp(w, "in")) {
                while (*(q = skip_sp(q)) && isdigit((unsigned char)*q) && npref < 16)
                    q = word_at(q, prefixes[npref++], 8);
            } else if (!strcmp(w, "explained")) {
                explained = true;
            } else if (!strcmp(w, "nonzero")) {
                char col[128];
                q = word_at(q, col, sizeof col);
                nonzero = js_arena_strdup(&c->arena, col);
            } else {
                return fail(c, "循环来源中有无法识别的 '%s'", w);
            }
        }
        size_t before = *n;
        if (add_table_items(c, t, level, prefixes, npref, items, n, &cap) != JS_OK)
            return JS_E_INPUT;
        if (nonzero) {
            size_t w2 = before;
            for (size_t k = before; k < *n; k++) {
                int col = item_column(c, &(*items)[k], nonzero);
                if (col < 0)
                    return fail(c, "nonzero 后的列 '%s' 不在表中", nonzero);
                if ((*items)[k].cells[col])
                    (*items)[w2++] = (*items)[k];
            }
            *n = w2;
        }
        if (explained) { /* a code without a 说明 is left out, and said so */
            size_t w2 = before;
            for (size_t k = before; k < *n; k++) {
                if (code_note(c, (*items)[k].code)[0])
                    (*items)[w2++] = (*items)[k];
                else
                    unexplained(c, &(*items)[k]);
            }
            *n = w2;
        }
    }
    /* drop repeated codes (a 项 in 05 and again in 03): the codes kept so
     * far in a map, as a list of 30,000 units (no code) or of thousands of
     * 项 would cost a comparison with every item kept before */
    size_t w = 0;
    js_strmap seen = {0};
    bool few = *n <= 64; /* then a map costs more than comparing (most loops) */
    for (size_t k = 0; k < *n; k++) {
        const char *code = (*items)[k].code;
        bool repeated = false;
        for (size_t j = 0; few && code[0] && j < w && !repeated; j++)
            repeated = !strcmp((*items)[j].code, code);
        if (repeated || (!few && code[0] && js_strmap_get(&seen, code, strlen(code)) >= 0))
            continue;
        (*items)[w] = (*items)[k];
        if (!few && code[0] && !js_strmap_put(&seen, (*items)[w].code, 0)) {
            js_strmap_free(&seen);
            return fail(c, "%s", "内存不足");
        }
        w++;
    }
    js_strmap_free(&seen);
    *n = w;
    for (size_t k = 0; k < *n; k++) {
        (*items)[k].index = (int)k + 1;
        (*items)[k].count = (int)*n;
    }
    return JS_OK;
}

/* ---- expressions ----------------------------------------------------- */

static bool ident_char(const char *p)
{
    switch (*p) { /* a switch, not strchr: called for every byte of every name */
    case '\0': case ' ': case '\t': case '\n': case '+': case '-': case '*': case '/': case '(': case ')':
    case '<': case '>': case '=': case '!': case ',': case '.': case '[': case ']': case '"': case '|':
        return false;
    default:
        return true;
    }
}

/* name and every bound name are interned when the template is compiled:
 * one pointer is one name. */
static value lookup(nctx *c, const char *name)
{
    for (int i = c->nb - 1; i >= 0; i--)
        if (c->b[i].name == name)
            return c->b[i].v;
    fail(c, "没有名为“%s”的数据", name);
    return (value){.k = V_NONE};
}

/* The fields of a loop item, by name (item_field). */
enum {
    F_CODE, F_NAME, F_SHORT, F_INDEX, F_LAST, F_KIND, F_BUDGET, F_EXEC, F_RATE, F_POINTS, F_OUTPUT, F_PROBLEM,
    F_NEXT, F_TITLE, F_CLASS, F_KUAN, F_NOTE, F_REASON, F_USE, F_UNKNOWN
};

static const char *const k_fields[F_UNKNOWN] = {
    "编码", "名称", "短名", "序号", "是末项", "性质", "预算", "执行", "执行率", "总分", "主要产出和效益",
    "发现的问题及原因", "下一步改进措施", "说明标题", "类名", "款名", "说明", "原因", "用途"};

/* The index of name f in names[0..count) (count when none), kept in m
 * by f's address: the template's names (and this file's literals) are
 * looked up once per run, not compared for every item and every tag. */
static int name_index(name_memo *m, const char *f, const char *const *names, int count)
{
    for (int i = 0; i < m->n; i++)
        if (m->seen[i].name == f)
            return m->seen[i].index;
    int k = 0;
    while (k < count && strcmp(f, names[k]))
        k++;
    if (m->n < (int)(sizeof m->seen / sizeof m->seen[0]))
        m->seen[m->n++] = (__typeof__(m->seen[0])){f, k};
    return k;
}

/* The field called f (a loop asks for the same few fields of every item). */
static int field_of(nctx *c, const char *f) { return name_index(&c->fields, f, k_fields, F_UNKNOWN); }

static value item_field(nctx *c, const item *it, const char *f)
{
    int field = field_of(c, f);
    switch (field) {
    case F_CODE:
        return text(it->code);
    case F_NAME:
        return text(it->name);
    case F_SHORT: {
        size_t n = strlen(it->name), sl = strlen("支出");
        if (n > sl && !strcmp(it->name + n - sl, "支出"))
            return text(js_arena_strndup(&c->arena, it->name, n - sl));
        return text(it->name);
    }
    case F_INDEX:
        return num(it->index, 1, false);
    case F_LAST:
        return num(it->index == it->count, 1, false);
    case F_KIND:
        return text(it->unit_kind);
    default:
        break;
    }
    if (it->perf) {
        const js_perf_item *p = it->perf;
        char buf[256];
        switch (field) {
        case F_BUDGET:
            return num(p->budget, 1, true);
        case F_EXEC:
            return num(p->executed, 1, true);
        case F_RATE:
            js_perf_rate(p, buf, sizeof buf);
            return text(js_arena_strdup(&c->arena, buf));
        case F_POINTS:
            js_perf_points(p->total, buf, sizeof buf);
            return text(js_arena_strdup(&c->arena, buf));
        case F_OUTPUT:
            return text(js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, P_OUTPUT));
        case F_PROBLEM:
            return text(js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, P_PROBLEM));
        case F_NEXT:
            return text(js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, P_NEXT));
        case F_TITLE:
            return text(js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, P_TITLE));
        default:
            break;
        }
    }
    switch (field) {
    case F_CLASS:
        return text(dict_name(c, it->code, 3));
    case F_KUAN:
        return text(dict_name(c, it->code, 5));
    case F_NOTE: {
        const char *note = code_note(c, it->code);
        value v = text(note);
        if (!note[0]) {
            char what[64];
            snprintf(what, sizeof what, "科目 %s %s 的说明", it->code, it->name);
            v.gap = js_arena_strdup(&c->arena, what);
        }
        return v;
    }
    case F_BUDGET:
        return budget_given(c) ? num(budget_of(c, it->code), 1, true) : absent(c, "budget.csv", "年初预算");
    case F_REASON: {
        if (!budget_given(c))
            return absent(c, "budget.csv", "年初预算的差异原因");
        value v = text(budget_reason(c, it->code));
        if (!v.s[0]) {
            char what[64];
            snprintf(what, sizeof what, "年初预算「%s」的差异原因", it->code);
            v = absent(c, "budget.csv", what);
            v.k = V_TEXT;
            v.s = "";
        }
        return v;
    }
    case F_USE: {
        char key[64];
        join3(key, sizeof key, "用途:", it->code, "");
        return workbook_text(c, js_arena_strdup(&c->arena, key));
    }
    default:
        break;
    }
    fail(c, "循环项没有字段“%s”", f);
    return (value){.k = V_NONE};
}

/* ---- functions --------------------------------------------------------- */

/* A call's arguments: quoted texts, or for a numeric function one value. */
typedef struct {
    const char *text[3];
    int n;
    value first;
} fargs;

typedef struct fdef fdef;
struct fdef {
    const char *name;
    int min, max;        /* number of arguments */
    bool numeric;        /* takes an expression, not quoted texts */
    value (*impl)(nctx *c, const fdef *f, const fargs *a);
    const char *sheet;   /* the sheet a lookup function reads */
    const char *doc;     /* for `juesuan help templates` and docs/templates.md */
};

static value fn_known(nctx *c, const fdef *f, const fargs *a)
{
    (void)c, (void)f;
    return num(!missing(a->first), 1, false);
}

static value fn_round(nctx *c, const fdef *f, const fargs *a)
{
    (void)c, (void)f;
    value v = a->first;
    if (v.k != V_NUM)
        return v;
    /* to the printed 0.01 万元, half away from zero */
    i128 step = JS_FEN_PER_WAN / 100, an = v.n < 0 ? -v.n : v.n;
    i128 q = (an * 2 + step * v.d) / (step * v.d * 2) * step;
    return num(v.n < 0 ? -q : q, 1, v.money);
}

static value fn_abs(nctx *c, const fdef *f, const fargs *a)
{
    (void)c, (void)f;
    value v = a->first;
    if (v.k == V_NUM && v.n < 0)
        v.n = -v.n;
    return v;
}

static value fn_text(nctx *c, const fdef *f, const fargs *a)
{
    (void)f;
    return workbook_text(c, a->text[0]);
}

static value fn_filed(nctx *c, const fdef *f, const fargs *a)
{
    (void)f;
    const char *file = js_sheet_file(a->text[0]);
    if (!file) {
        fail(c, "没有名为“%s”的工作表", a->text[0]);
        return (value){.k = V_NONE};
    }
    bool given = js_workbook_given(c->wb, file, NULL, NULL);
    if (!given)
        need(c, file, js_sheet_title(file));
    return num(given, 1, false);
}

static value fn_budget_total(nctx *c, const fdef *f, const fargs *a)
{
    (void)f, (void)a;
    return budget_given(c) ? num(budget_of(c, ""), 1, true)
                                                              : absent(c, "budget.csv", "年初预算");
}

static value fn_units(nctx *c, const fdef *f, const fargs *a)
{
    (void)f, (void)a;
    size_t nu;
    js_workbook_units(c->wb, &nu);
    return num((i128)nu, 1, false);
}

/* 绩效项目数() and 部门整体绩效(字段) */
static value fn_perf(nctx *c, const fdef *f, const fargs *a)
{
    const js_perf *pf = perf_of(c);
    if (!js_workbook_given(c->wb, "perf_items.csv", NULL, NULL))
        return absent(c, "perf_items.csv", "绩效自评");
    if (!pf)
        return (value){.k = V_NONE};
    size_t count = 0;
    const js_perf_item *whole = NULL;
    for (size_t k = 0; k < js_perf_count(pf); k++) {
        count += !js_perf_item_at(pf, k)->whole;
        if (js_perf_item_at(pf, k)->whole)
            whole = js_perf_item_at(pf, k);
    }
    if (f->max == 0)
        return num((i128)count, 1, false);
    if (!whole)
        return text("");
    item *it = js_arena_alloc(&c->arena, sizeof *it);
    if (!it)
        return (value){.k = V_NONE};
    it->name = whole->name;
    it->perf = whole;
    return item_field(c, it, a->text[0]);
}

/* A cell of a keyed sheet: (key) or (key, column); absent when the sheet,
 * the key or the column is not given, or a text cell is blank. */
static value fn_sheet(nctx *c, const fdef *f, const fargs *a)
{
    const char *column = a->n > 1 ? a->text[1] : NULL, *t;
    js_fen v;
    bool given;
    int kind = js_workbook_value_given(c->wb, f->sheet, a->text[0], column, &t, &v, &given);
    if (kind < 0) {
        fail(c, "%s 没有这一列", f->name);
        return (value){.k = V_NONE};
    }
    if (given && (kind != 0 || t[0]))
        return kind == 0 ? text(t) : num(v, 1, kind == 1);
    char what[256];
    snprintf(what, sizeof what, "%s「%s」%s%s", js_sheet_title(f->sheet), a->text[0], column ? "的" : "",
             column ? column : "");
    value r = absent(c, f->sheet, what);
    if (kind == 0) { /* a text: absent and empty */
        r.k = V_TEXT;
        r.s = "";
    }
    return r;
}

/* The sheet each fact source is read from and, for the optional 上年预算数
 * columns of the budget phase, the column: what says whether the
 * workbook gives the source (docs/budget.md). */
static const struct {
    const char *sheet, *column;
} k_source_input[JS_SRC_COUNT] = {
    [JS_SRC_EXP] = {"expenditure.csv", NULL},
    [JS_SRC_REV] = {"revenue.csv", NULL},
    [JS_SRC_CARRY_OPEN] = {"carryover.csv", NULL},
    [JS_SRC_CARRY_CLOSE] = {"carryover.csv", NULL},
    [JS_SRC_SURPLUS_USE] = {"surplus.csv", NULL},
    [JS_SRC_SURPLUS_ALLOC] = {"surplus.csv", NULL},
    [JS_SRC_BUDGET] = {"budget.csv", NULL},
    [JS_SRC_SG_BUDGET] = {"sangong.csv", NULL},
    [JS_SRC_SG_ACTUAL] = {"sangong.csv", NULL},
    [JS_SRC_B_EXP] = {"budget_expenditure.csv", NULL},
    [JS_SRC_B_EXP_PRIOR] = {"budget_expenditure.csv", "上年预算数"},
    [JS_SRC_B_REV] = {"budget_revenue.csv", NULL},
    [JS_SRC_B_REV_PRIOR] = {"budget_revenue.csv", "上年预算数"},
    [JS_SRC_B_CARRY] = {"budget_carryover.csv", NULL},
    [JS_SRC_B_SG] = {"budget_sangong.csv", NULL},
    [JS_SRC_B_SG_PRIOR] = {"budget_sangong.csv", "上年预算数"},
    [JS_SRC_B_OPS] = {"budget_figures.csv", NULL},
    [JS_SRC_B_OPS_PRIOR] = {"budget_figures.csv", "上年预算数"},
    [JS_SRC_BUDGET_GIVEN] = {"budget.csv", "年初预算数"},
};

/* 合计("来源") or 合计("来源", "资金来源"): the exact sum of the facts of a
 * source (the names of docs/profiles.md and docs/budget.md), of one fund
 * when named; absent when the workbook does not give the source (its
 * sheet, or its optional column). */
static value fn_source_total(nctx *c, const fdef *f, const fargs *a)
{
    (void)f;
    int src = js_vocab_find(js_source_names, JS_SRC_COUNT, a->text[0]);
    int fund = a->n > 1 ? js_vocab_find(js_fund_names, JS_FUND_COUNT, a->text[1]) : -1;
    if (src < 0 || (a->n > 1 && fund < 0)) {
        fail(c, "合计：没有名为“%s”的来源或资金来源", src < 0 ? a->text[0] : a->text[1]);
        return (value){.k = V_NONE};
    }
    const char *sheet = k_source_input[src].sheet, *column = k_source_input[src].column;
    bool given = src == JS_SRC_BUDGET ? js_workbook_has_initial_budget(c->wb)
                 : column           ? js_workbook_money_unit(c->wb, sheet, column) >= 0
                                    : js_workbook_has_sheet(c->wb, sheet);
    if (!given) {
        char what[128];
        snprintf(what, sizeof what, "%s%s%s", column ? js_sheet_title(sheet) : "", column ? "的" : "",
                 column ? column : js_sheet_title(sheet));
        return absent(c, sheet, what);
    }
    size_t n;
    const js_fact *x = js_workbook_facts(c->wb, &n);
    i128 sum = 0;
    for (size_t i = 0; i < n; i++)
        if (x[i].source == src && (fund < 0 || x[i].fund == fund))
            sum += x[i].amount;
    return num(sum, 1, true);
}

/* 绩效目标项目数() and 绩效目标预算(): the projects budget_targets.csv sets
 * targets for, and the 预算支出 of the budget lines of those projects (by
 * 项目名称). */
static value fn_targets(nctx *c, const fdef *f, const fargs *a)
{
    (void)a;
    if (!js_workbook_given(c->wb, "budget_targets.csv", NULL, NULL))
        return absent(c, "budget_targets.csv", "绩效目标");
    int ncols;
    size_t rows = js_workbook_sheet_size(c->wb, "budget_targets.csv", &ncols), count = 0;
    js_strmap named = {0};
    bool ok = true;
    for (size_t r = 0; r < rows && ok; r++) {
        const char *name = js_workbook_sheet_cell(c->wb, "budget_targets.csv", r, JS_BTGT_PROJECT);
        if (js_strmap_get(&named, name, strlen(name)) < 0)
            ok = js_strmap_put(&named, name, (uint32_t)count++);
    }
    i128 sum = 0;
    if (ok && strcmp(f->name, "绩效目标预算") == 0) {
        size_t np, n;
        const char *const *projects = js_workbook_fact_projects(c->wb, &np);
        const js_fact *x = js_workbook_facts(c->wb, &n);
        for (size_t i = 0; i < n; i++)
            if (x[i].source == JS_SRC_B_EXP && x[i].project < np &&
                js_strmap_get(&named, projects[x[i].project], strlen(projects[x[i].project])) >= 0)
                sum += x[i].amount;
    }
    js_strmap_free(&named);
    if (!ok)
        return (value){.k = V_NONE};
    return strcmp(f->name, "绩效目标预算") == 0 ? num(sum, 1, true) : num((i128)count, 1, false);
}

static const fdef k_functions[] = {
    {"已知", 1, 1, true, fn_known, NULL, "1 when the expression's every input is given, else 0 (never absent)"},
    {"取整", 1, 1, true, fn_round, NULL, "an amount rounded to the printed 0.01 万元, half away from zero"},
    {"abs", 1, 1, true, fn_abs, NULL, "the absolute value"},
    {"文本", 1, 1, false, fn_text, NULL, "a text of the 文本 sheet by 章节 (empty and absent when not given)"},
    {"已填", 1, 1, false, fn_filed, NULL, "1 when the sheet (Chinese name or file name) was filed, else 0 (and the need is reported)"},
    {"年初预算合计", 0, 0, false, fn_budget_total, NULL, "the 一般公共预算 年初预算 of every 项 (absent without 年初预算)"},
    {"单位数", 0, 0, false, fn_units, NULL, "the number of units"},
    {"绩效项目数", 0, 0, false, fn_perf, NULL, "the number of evaluated projects (absent without 绩效自评)"},
    {"部门整体绩效", 1, 1, false, fn_perf, NULL, "a field of the 部门整体 evaluation (预算, 执行, 执行率, 总分 …)"},
    {"部门", 1, 1, false, fn_sheet, "department.csv", "a value of the 部门信息 sheet by 项目"},
    {"上年", 1, 1, false, fn_sheet, "prior_year.csv", "a prior-year total of the 上年数 sheet"},
    {"其他", 1, 1, false, fn_sheet, "figures.csv", "an amount of the 其他金额 sheet (机关运行经费 …)"},
    {"三公", 2, 2, false, fn_sheet, "sangong.csv", "a cell of the 三公经费 sheet: (项目, 列)"},
    {"采购", 2, 2, false, fn_sheet, "procurement.csv", "a cell of the 政府采购 sheet: (类别, 列)"},
    {"资产", 1, 1, false, fn_sheet, "assets.csv", "a count of the 资产 sheet"},
    {"合计", 1, 2, false, fn_source_total, NULL,
     "the sum of a fact source's amounts, of one fund when named: (来源) or (来源, 资金来源) (absent when the source is not given)"},
    {"预算三公", 2, 2, false, fn_sheet, "budget_sangong.csv", "a cell of the 三公经费预算 sheet: (项目, 列)"},
    {"预算其他", 1, 2, false, fn_sheet, "budget_figures.csv", "an amount of the 预算其他金额 sheet: (项目) or (项目, 列)"},
    {"预算采购", 2, 2, false, fn_sheet, "budget_procurement.csv", "a cell of the 政府采购预算 sheet: (类别, 列)"},
    {"绩效目标项目数", 0, 0, false, fn_targets, NULL, "the number of projects with 绩效目标 (absent without the sheet)"},
    {"绩效目标预算", 0, 0, false, fn_targets, NULL, "the 预算支出 of the projects with 绩效目标 (absent without the sheet)"},
};

size_t js_report_template_functions(const char **names, int *min, int *max, const char **docs, size_t cap)
{
    size_t n = sizeof k_functions / sizeof k_functions[0];
    for (size_t i = 0; i < n && i < cap; i++) {
        names[i] = k_functions[i].name;
        min[i] = k_functions[i].min;
        max[i] = k_functions[i].max;
        docs[i] = k_functions[i].doc;
    }
    return n;
}

/* ---- expressions, compiled once ---------------------------------------- */

/* An expression is read once, when its template is compiled, into a tree
 * evaluated for each department (reading it again for each was half of a
 * batch check). The reader is the grammar's recursive descent; where the
 * text has an error it leaves an X_FAIL node in its place, so that the
 * evaluation gives the first error in the order the text reads, after
 * the errors of what stands before it, as when text was read while
 * evaluated. */
typedef enum { X_VALUE, X_NAME, X_FIELD, X_COL, X_CALL, X_NOT, X_NEG, X_ARITH, X_CMP, X_AND, X_OR, X_SEQ, X_FAIL } xkind;

struct xnode {
    xkind k;
    int op;               /* X_ARITH: + - * /; X_CMP: index in k_cmp_ops */
    value v;              /* X_VALUE: a number or a quoted text */
    const char *s;        /* X_NAME, X_FIELD: the name (interned; a field may be NULL: none given);
                             X_COL: the column (NULL: no ]); X_FAIL: the message */
    const char *misfit;   /* X_FIELD, X_COL: the error when the value is not a loop item (what the
                             text after it then reads as) */
    const fdef *f;        /* X_CALL: the function, NULL when unknown */
    const char *unclosed; /* X_CALL: no ), or NULL */
    const char *bad;      /* X_CALL: unknown function or arguments, or NULL */
    const xnode *a, *b;   /* operands; X_SEQ: a, then the error b */
    const xnode *args[3]; /* X_CALL */
    int nargs;
};

static const char *const k_cmp_ops[] = {">=", "<=", "==", "!=", ">", "<"};

/* What a misfit postfix reads as: where the expression stands. */
enum { CTX_TOP, CTX_PAREN, CTX_ARG };

/* The reader of an expression at compile time. */
typedef struct {
    js_narrative_tpl *t;
    const char *p;
    int ctx;
    bool nomem;
    xnode scratch; /* written into when out of memory (the compile then fails) */
} px;

/* The one copy of name[0..n) in t's names: NULL when out of memory. */
static const char *intern(js_narrative_tpl *t, const char *name, size_t n)
{
    long i = js_strmap_get(&t->name_index, name, n);
    if (i >= 0)
        return t->names[i];
    char *copy = js_arena_strndup(&t->arena, name, n);
    if (!copy || t->nnames >= UINT32_MAX ||
        !js_vec_reserve(&t->names, &t->capnames, t->nnames + 1, sizeof *t->names) ||
        !js_strmap_put(&t->name_index, copy, (uint32_t)t->nnames))
        return NULL;
    t->names[t->nnames++] = copy;
    return copy;
}

static const char *px_intern(px *e, const char *name, size_t n)
{
    const char *s = intern(e->t, name, n);
    e->nomem |= !s;
    return s ? s : "";
}

static xnode *xnew(px *e, xkind k)
{
    xnode *x = js_arena_alloc(&e->t->arena, sizeof *x);
    if (!x) {
        e->nomem = true;
        x = &e->scratch;
        memset(x, 0, sizeof *x);
    }
    x->k = k;
    return x;
}

/* fmt with what, as fail() would write it, kept in the template. */
static const char *xmsg(px *e, const char *fmt, const char *what)
{
    char buf[2048]; /* cut to the diagnostic's size when given */
    snprintf(buf, sizeof buf, fmt, what);
    const char *s = js_arena_strdup(&e->t->arena, buf);
    e->nomem |= !s;
    return s ? s : "内存不足";
}

static xnode *xfail(px *e, const char *fmt, const char *what)
{
    xnode *x = xnew(e, X_FAIL);
    x->s = xmsg(e, fmt, what);
    return x;
}

/* a, then the error err */
static xnode *xseq(px *e, const xnode *a, const xnode *err)
{
    xnode *x = xnew(e, X_SEQ);
    x->a = a;
    x->b = err;
    return x;
}

static const xnode *x_or(px *e);

static void px_ws(px *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n')
        e->p++;
}

static bool px_kw(px *e, const char *w)
{
    px_ws(e);
    size_t n = strlen(w);
    if (strncmp(e->p, w, n) || isalnum((unsigned char)e->p[n]))
        return false;
    e->p += n;
    return true;
}

static const char *px_ident(px *e)
{
    px_ws(e);
    const char *s = e->p;
    while (ident_char(e->p))
        e->p++;
    return s == e->p ? NULL : px_intern(e, s, (size_t)(e->p - s));
}

/* A quoted text (or the error that there is none). */
static const xnode *px_string(px *e)
{
    px_ws(e);
    if (*e->p != '"')
        return xfail(e, "这里应有带引号的文字：%.20s", e->p);
    const char *s = ++e->p;
    while (*e->p && *e->p != '"')
        e->p++;
    xnode *x = xnew(e, X_VALUE);
    const char *copy = js_arena_strndup(&e->t->arena, s, (size_t)(e->p - s));
    e->nomem |= !copy;
    x->v = text(copy);
    if (*e->p)
        e->p++;
    return x;
}

/* The error a postfix . or [ makes after a value that is not a loop item:
 * the text from it on is what the enclosing expression then fails on. */
static const char *misfit(px *e)
{
    return e->ctx == CTX_PAREN ? xmsg(e, "缺少 )：%.20s", e->p)
           : e->ctx == CTX_ARG ? xmsg(e, "表达式不完整：%.20s", e->p)
                               : xmsg(e, "多余的内容：%.30s", e->p);
}

static const xnode *px_call(px *e, const char *fn)
{
    xnode *x = xnew(e, X_CALL);
    for (size_t i = 0; i < sizeof k_functions / sizeof k_functions[0] && !x->f; i++)
        if (!strcmp(k_functions[i].name, fn))
            x->f = &k_functions[i];
    px_ws(e);
    e->p++; /* ( */
    px_ws(e);
    int ctx = e->ctx;
    e->ctx = CTX_ARG;
    while (*e->p && *e->p != ')' && x->nargs < 3) {
        x->args[x->nargs++] = x->f && x->f->numeric ? x_or(e) : px_string(e);
        px_ws(e);
        if (*e->p == ',')
            e->p++;
        px_ws(e);
    }
    e->ctx = ctx;
    if (*e->p == ')')
        e->p++;
    else
        x->unclosed = xmsg(e, "函数 %s 缺少 )", fn);
    if (!x->f || x->nargs < x->f->min || x->nargs > x->f->max)
        x->bad = xmsg(e, "未知函数“%s”或参数不对", fn);
    return x;
}

static const xnode *px_primary(px *e)
{
    px_ws(e);
    if (*e->p == '(') {
        e->p++;
        int ctx = e->ctx;
        e->ctx = CTX_PAREN;
        const xnode *v = x_or(e);
        e->ctx = ctx;
        px_ws(e);
        if (*e->p == ')') {
            e->p++;
            return v;
        }
        return xseq(e, v, xfail(e, "缺少 )：%.20s", e->p));
    }
    if (*e->p == '"')
        return px_string(e);
    if (isdigit((unsigned char)*e->p)) {
        i128 n = 0, d = 1;
        bool frac = false;
        int digits = 0;
        while (isdigit((unsigned char)*e->p) || (*e->p == '.' && !frac)) {
            if (*e->p != '.' && ++digits > 18)
                return xfail(e, "%s", "数字过长");
            if (*e->p == '.')
                frac = true;
            else {
                n = n * 10 + (*e->p - '0');
                if (frac)
                    d *= 10;
            }
            e->p++;
        }
        xnode *x = xnew(e, X_VALUE);
        x->v = num(n, d, false);
        return x;
    }
    const char *id = px_ident(e);
    if (!id)
        return xfail(e, "表达式不完整：%.20s", e->p);
    px_ws(e);
    if (*e->p == '(')
        return px_call(e, id);
    xnode *v = xnew(e, X_NAME);
    v->s = id;
    for (;;) {
        if (*e->p == '.') {
            xnode *f = xnew(e, X_FIELD);
            f->a = v;
            f->misfit = misfit(e);
            e->p++;
            f->s = px_ident(e);
            v = f;
        } else if (*e->p == '[') {
            xnode *k = xnew(e, X_COL);
            k->a = v;
            k->misfit = misfit(e);
            const char *close = strchr(e->p, ']');
            if (!close)
                return k;
            char col[256];
            snprintf(col, sizeof col, "%.*s", (int)(close - e->p - 1), e->p + 1);
            k->s = js_arena_strdup(&e->t->arena, col);
            e->nomem |= !k->s;
            e->p = close + 1;
            v = k;
        } else {
            return v;
        }
    }
}

static const xnode *px_unary(px *e)
{
    if (px_kw(e, "not")) {
        xnode *x = xnew(e, X_NOT);
        x->a = px_unary(e);
        return x;
    }
    px_ws(e);
    if (*e->p == '-') {
        e->p++;
        xnode *x = xnew(e, X_NEG);
        x->a = px_unary(e);
        return x;
    }
    return px_primary(e);
}

/* left-associative operators of one level: * / or + - */
static const xnode *px_binary(px *e, const char *ops, const xnode *(*operand)(px *))
{
    const xnode *v = operand(e);
    for (;;) {
        px_ws(e);
        char op = *e->p;
        if (!op || !strchr(ops, op))
            return v;
        e->p++;
        xnode *x = xnew(e, X_ARITH);
        x->op = op;
        x->a = v;
        x->b = operand(e);
        v = x;
    }
}

static const xnode *px_product(px *e) { return px_binary(e, "*/", px_unary); }
static const xnode *px_sum(px *e) { return px_binary(e, "+-", px_product); }

static const xnode *px_comparison(px *e)
{
    const xnode *a = px_sum(e);
    px_ws(e);
    for (int i = 0; i < 6; i++) {
        size_t n = strlen(k_cmp_ops[i]);
        if (strncmp(e->p, k_cmp_ops[i], n))
            continue;
        e->p += n;
        xnode *x = xnew(e, X_CMP);
        x->op = i;
        x->a = a;
        x->b = px_sum(e);
        return x;
    }
    return a;
}

/* operand (word operand)*: and over comparisons, or over ands */
static const xnode *px_logic(px *e, const char *word, xkind k, const xnode *(*operand)(px *))
{
    const xnode *v = operand(e);
    while (px_kw(e, word)) {
        xnode *x = xnew(e, k);
        x->a = v;
        x->b = operand(e);
        v = x;
    }
    return v;
}

static const xnode *px_and(px *e) { return px_logic(e, "and", X_AND, px_comparison); }
static const xnode *x_or(px *e) { return px_logic(e, "or", X_OR, px_and); }

/* The whole of s as one expression. */
static const xnode *px_top(px *e, const char *s)
{
    e->p = s;
    e->ctx = CTX_TOP;
    const xnode *v = x_or(e);
    px_ws(e);
    return *e->p ? xseq(e, v, xfail(e, "多余的内容：%.30s", e->p)) : v;
}

/* ---- evaluation -------------------------------------------------------- */

static value arith(nctx *c, value a, char op, value b)
{
    if (a.k == V_ABSENT || b.k == V_ABSENT)
        return a.k == V_ABSENT ? a : b;
    if (a.k != V_NUM || b.k != V_NUM) {
        fail(c, "%s", "只有数字可以计算");
        return (value){.k = V_NONE};
    }
    bool money = (op == '+' || op == '-') ? (a.money || b.money) : op == '*' ? (a.money ^ b.money)
                                                                            : (a.money && !b.money);
    i128 x, y, n, d;
    bool over;
    switch (op) {
    case '+':
    case '-':
        over = __builtin_mul_overflow(a.n, b.d, &x) || __builtin_mul_overflow(b.n, a.d, &y) ||
               (op == '+' ? __builtin_add_overflow(x, y, &n) : __builtin_sub_overflow(x, y, &n)) ||
               __builtin_mul_overflow(a.d, b.d, &d);
        break;
    case '*':
        over = __builtin_mul_overflow(a.n, b.n, &n) || __builtin_mul_overflow(a.d, b.d, &d);
        break;
    default:
        if (b.n == 0) {
            fail(c, "%s", "除以零（请先用 if 判断）");
            return (value){.k = V_NONE};
        }
        over = __builtin_mul_overflow(a.n, b.d, &n) || __builtin_mul_overflow(a.d, b.n, &d);
        break;
    }
    if (over) {
        fail(c, "%s", "数值超出范围");
        return (value){.k = V_NONE};
    }
    return num(n, d, money);
}

static int cmp_values(value a, value b)
{
    if (a.k == V_TEXT && b.k == V_TEXT)
        return strcmp(a.s, b.s);
    if (a.k != V_NUM || b.k != V_NUM)
        return 1;
    i128 l, r;
    if (__builtin_mul_overflow(a.n, b.d, &l) || __builtin_mul_overflow(b.n, a.d, &r))
        return (a.n < 0) - (b.n < 0); /* magnitudes beyond any amount: compare signs */
    return l < r ? -1 : l > r;
}

/* and/or of three values: a known false (and) or true (or) decides; else
 * an absent operand leaves the result absent. */
static value logic(value v, value w, bool is_and)
{
    bool vk = v.k != V_ABSENT, wk = w.k != V_ABSENT;
    if ((vk && truthy(v) != is_and) || (wk && truthy(w) != is_and))
        return num(!is_and, 1, false);
    if (!vk || !wk)
        return vk ? w : v;
    return num(is_and, 1, false);
}

static value xeval(nctx *c, const xnode *x);

static value xcall(nctx *c, const xnode *x)
{
    fargs a = {.first = {.k = V_NONE}};
    for (int k = 0; k < x->nargs; k++) {
        value v = xeval(c, x->args[k]);
        if (x->f && x->f->numeric)
            a.first = v;
        else
            a.text[k] = v.s;
        a.n++;
    }
    if (c->failed)
        return (value){.k = V_NONE};
    if (x->unclosed || x->bad) {
        fail(c, "%s", x->unclosed ? x->unclosed : x->bad);
        return (value){.k = V_NONE};
    }
    /* the value points into the arena, the template or the workbook, never into a */
    // cppcheck-suppress returnDanglingLifetime
    return x->f->impl(c, x->f, &a);
}

/* After an error nothing more is evaluated: the first error is the one
 * given. */
static value xeval(nctx *c, const xnode *x)
{
    if (c->failed)
        return (value){.k = V_NONE};
    switch (x->k) {
    case X_VALUE:
        return x->v;
    case X_NAME:
        return lookup(c, x->s);
    case X_FIELD:
    case X_COL: {
        value v = xeval(c, x->a);
        if (c->failed)
            return v;
        if (v.k != V_ITEM) {
            fail(c, "%s", x->misfit);
            return v;
        }
        if (x->k == X_FIELD)
            return x->s ? item_field(c, v.it, x->s) : (value){.k = V_NONE};
        if (!x->s) {
            fail(c, "%s", "缺少 ]");
            return v;
        }
        int k = v.it->t ? item_column(c, v.it, x->s) : -1;
        if (k < 0) {
            fail(c, "循环项没有列“%s”", x->s);
            return (value){.k = V_NONE};
        }
        return num(v.it->cells[k], 1, true);
    }
    case X_CALL:
        return xcall(c, x);
    case X_NOT: {
        value v = xeval(c, x->a);
        return v.k == V_ABSENT ? v : num(!truthy(v), 1, false);
    }
    case X_NEG: {
        value v = xeval(c, x->a);
        if (v.k == V_NUM)
            v.n = -v.n;
        return v;
    }
    case X_ARITH: {
        value a = xeval(c, x->a);
        value b = xeval(c, x->b);
        return arith(c, a, (char)x->op, b);
    }
    case X_CMP: {
        value a = xeval(c, x->a);
        value b = xeval(c, x->b);
        if (a.k == V_ABSENT || b.k == V_ABSENT)
            return a.k == V_ABSENT ? a : b;
        int r = cmp_values(a, b);
        int i = x->op;
        bool t = i == 0 ? r >= 0 : i == 1 ? r <= 0 : i == 2 ? r == 0 : i == 3 ? r != 0 : i == 4 ? r > 0 : r < 0;
        return num(t, 1, false);
    }
    case X_AND:
    case X_OR: {
        value v = xeval(c, x->a);
        value w = xeval(c, x->b);
        return logic(v, w, x->k == X_AND);
    }
    case X_SEQ: {
        value v = xeval(c, x->a);
        xeval(c, x->b);
        return v;
    }
    case X_FAIL:
        fail(c, "%s", x->s);
        break;
    }
    return (value){.k = V_NONE};
}

/* ---- formatting ------------------------------------------------------ */

/* round(n/d × 10^digits) half away from zero, as text with the point. */
static void fixed(i128 n, i128 d, int digits, bool strip, char *buf, size_t len)
{
    i128 scale = 1;
    for (int i = 0; i < digits; i++)
        scale *= 10;
    bool neg = (n < 0) != (d < 0);
    if (n < 0)
        n = -n;
    if (d < 0)
        d = -d;
    i128 q = (n * scale * 2 + d) / (d * 2); /* half away from zero */
    unsigned long long whole = (unsigned long long)(q / scale), frac = (unsigned long long)(q % scale);
    char f[32] = "";
    if (digits > 0 && digits <= 18) { /* by hand: snprintf was a tenth of the narrative */
        f[0] = '.';
        for (int i = digits; i > 0; i--, frac /= 10)
            f[i] = (char)('0' + frac % 10);
        f[digits + 1] = '\0';
    } else if (digits) {
        snprintf(f, sizeof f, ".%0*llu", digits, frac);
    }
    if (strip) {
        size_t l = strlen(f);
        while (l && f[l - 1] == '0')
            f[--l] = '\0';
        if (l == 1)
            f[0] = '\0';
    }
    char w[24];
    size_t k = sizeof w;
    w[--k] = '\0';
    do
        w[--k] = (char)('0' + whole % 10);
    while ((whole /= 10) && k > 1);
    if (neg && q)
        w[--k] = '-';
    size_t a = sizeof w - 1 - k, b = strlen(f);
    if (a + b < len) {
        memcpy(buf, w + k, a);
        memcpy(buf + a, f, b + 1);
    } else {
        snprintf(buf, len, "%s%s", w + k, f);
    }
}

#define GAP_MARK '\x01'

/* Drops the whole sentence around each gap mark: from the end of the
 * sentence before it (a 。 or the start of the line) to its own 。 or the end
 * of the line; a line left ending in ，or ；then ends in 。. Never half a
 * sentence. */
static void repair_gaps(js_buf *out, size_t from)
{
    static const char stop[] = "。";
    const size_t sl = sizeof stop - 1;
    char *d = out->data;
    size_t w = from, i = from;
    while (d && i < out->len) {
        if (d[i] != GAP_MARK) {
            d[w++] = d[i++];
            continue;
        }
        while (w > from && d[w - 1] != '\n' && !(w - from >= sl && !memcmp(d + w - sl, stop, sl)))
            w--;
        for (i++; i < out->len && d[i] != '\n';) {
            if (out->len - i >= sl && !memcmp(d + i, stop, sl)) {
                i += sl;
                break;
            }
            i++;
        }
        bool line_end = i >= out->len || d[i] == '\n';
        if (line_end && w - from >= sl && (!memcmp(d + w - sl, "，", sl) || !memcmp(d + w - sl, "；", sl)))
            memcpy(d + w - sl, stop, sl);
    }
    out->len = w;
    if (d)
        d[w] = '\0';
}

/* A sentence that needs what the workbook does not give: an N-001 error
 * (the build refuses), and in the text a 【待补充：…】 in a draft, else the
 * mark that drops the whole sentence afterwards. */
static void gap(nctx *c, value v, js_buf *out)
{
    char section[256];
    section_of(c, section, sizeof section);
    js_finding *f = c->gaps ? js_findings_add(c->gaps, "N-001", JS_SEV_ERROR,
                                              "报告的句子缺少%s%s%s%s（见 %s 第%ld行）", v.gap,
                                              section[0] ? "，在“" : "", section, section[0] ? "”中" : "",
                                              strrchr(c->name, '/') ? strrchr(c->name, '/') + 1 : c->name, c->line)
                            : NULL;
    if (f)
        snprintf(f->file, sizeof f->file, "%s", js_workbook_sheet_file(c->wb, v.sheet ? v.sheet : "text.csv"));
    c->ngaps++;
    if (c->opt->draft)
        js_buf_printf(out, "【待补充：%s】", v.gap);
    else
        js_buf_putc(out, GAP_MARK);
}

/* Whether the line being written is an @chart line. */
static bool on_chart_line(const js_buf *out)
{
    const char *nl = out->len ? memrchr(out->data, '\n', out->len) : NULL;
    size_t i = nl ? (size_t)(nl - out->data) + 1 : 0;
    return out->len - i >= 7 && !memcmp(out->data + i, "@chart ", 7);
}

/* An amount on a chart line goes to the chart as it is, in 分 (half away
 * from zero when a division left a fraction of a 分), referred to by its
 * index; the chart prints it. */
static void chart_figure(nctx *c, value v, const char *filter, js_buf *out)
{
    if (!v.money || (filter && *filter)) {
        fail(c, "%s", "图表中的数值应为金额，且不加格式（图表自己按万元标注）");
        return;
    }
    i128 an = v.n < 0 ? -v.n : v.n, q = (an * 2 + v.d) / (v.d * 2);
    js_narrative_figures *f = c->figs;
    if (q > INT64_MAX || !js_vec_reserve(&f->v, &f->cap, f->n + 1, sizeof *f->v)) {
        fail(c, "%s", "图表的金额过多或超出范围");
        return;
    }
    f->v[f->n] = (js_fen)(v.n < 0 ? -q : q);
    js_buf_printf(out, "%c%zu%c", JS_FIGURE_OPEN, f->n++, JS_FIGURE_CLOSE);
}

/* The output filters (after | in a tag), by name. */
enum { FL_DATE, FL_WAN, FL_WAN2, FL_PERCENT, FL_PERCENT_CN, FL_CHINESE, FL_WHOLE, FL_DECIMAL, FL_UNKNOWN };
static const char *const k_filters[FL_UNKNOWN] = {"日期", "万元", "万元2", "%", "百分比", "中文", "整数", "小数"};

/* The filter called f. */
static int filter_of(nctx *c, const char *f) { return name_index(&c->filters, f, k_filters, FL_UNKNOWN); }

static void format(nctx *c, value v, const char *filter, js_buf *out)
{
    char buf[64];
    if (v.k == V_TEXT && filter && filter_of(c, filter) == FL_DATE) {
        int y, m, dd;
        if (sscanf(v.s, "%d-%d-%d", &y, &m, &dd) == 3) {
            js_buf_printf(out, "%d年%d月%d日", y, m, dd);
            return;
        }
    }
    if (missing(v)) {
        gap(c, v, out);
        return;
    }
    if (v.k == V_TEXT) {
        /* A workbook text cannot start a heading or a block line, nor hold
         * the marks of a gap or of a chart's figure. */
        for (const char *q = v.s; *q;) {
            bool line_start = q == v.s ? (out->len == 0 || out->data[out->len - 1] == '\n') : q[-1] == '\n';
            if (*q == GAP_MARK || *q == JS_FIGURE_OPEN || *q == JS_FIGURE_CLOSE) {
                q++;
                continue;
            }
            if (line_start && (*q == '#' || *q == '@')) {
                js_buf_puts(out, *q == '#' ? "＃" : "＠");
                q++;
                continue;
            }
            /* the run up to a mark or the next line, at once */
            size_t n = *q == '\n' ? 1 : strcspn(q, "\n\x01\x02\x03");
            n += *q != '\n' && q[n] == '\n';
            js_buf_append(out, q, n);
            q += n;
        }
        return;
    }
    if (v.k != V_NUM) {
        fail(c, "%s", "无法输出这个值");
        return;
    }
    if (on_chart_line(out)) {
        chart_figure(c, v, filter, out);
        return;
    }
    if (!filter || !*filter) {
        if (v.money)
            filter = "万元";
        else if (v.d == 1) {
            js_buf_printf(out, "%lld", (long long)v.n);
            return;
        } else
            filter = "小数";
    }
    int fl = filter_of(c, filter);
    if (fl == FL_WAN || fl == FL_WAN2) {
        fixed(v.n, v.d * JS_FEN_PER_WAN, 2, c->opt->strip_zeros && fl == FL_WAN, buf, sizeof buf);
    } else if (fl == FL_PERCENT || fl == FL_PERCENT_CN) {
        fixed(v.n * 100, v.d, c->opt->percent_decimals, false, buf, sizeof buf);
        strcat(buf, "%");
    } else if (fl == FL_CHINESE) {
        js_chinese_number((int)(v.n / v.d), buf, sizeof buf);
    } else if (fl == FL_WHOLE) {
        fixed(v.n, v.d, 0, false, buf, sizeof buf);
    } else if (fl == FL_DECIMAL) {
        fixed(v.n, v.d, 2, true, buf, sizeof buf);
    } else {
        fail(c, "未知格式“%s”", filter);
        return;
    }
    js_buf_puts(out, buf);
}

/* ---- the template ---------------------------------------------------- */

static js_status add_tok(nctx *c, tok t)
{
    if (!js_vec_reserve(&c->toks, &c->captoks, c->ntoks + 1, sizeof *c->toks))
        return fail(c, "%s", "内存不足");
    c->toks[c->ntoks++] = t;
    return JS_OK;
}

static js_status tokenize(nctx *c, const char *tpl)
{
    const char *p = tpl;
    long line = 1;
    while (*p) {
        const char *open = strstr(p, "{");
        while (open && open[1] != '{' && open[1] != '%' && open[1] != '#')
            open = strstr(open + 1, "{");
        const char *text_end = open ? open : p + strlen(p);
        bool stmt = open && open[1] != '{';
        /* A statement alone on its line takes the line with it. */
        const char *ls = text_end;
        while (ls > p && (ls[-1] == ' ' || ls[-1] == '\t'))
            ls--;
        bool line_start = stmt && (ls == tpl || ls[-1] == '\n');
        if (text_end > p) {
            tok t = {.k = K_TEXT, .s = p, .len = (size_t)((line_start ? ls : text_end) - p), .line = line};
            if (t.len && add_tok(c, t) != JS_OK)
                return JS_E_INPUT;
        }
        for (const char *q = p; q < text_end; q++)
            line += *q == '\n';
        if (!open)
            break;
        const char *close = strstr(open + 2, open[1] == '{' ? "}}" : open[1] == '%' ? "%}" : "#}");
        if (!close) {
            c->line = line;
            return fail(c, "%s", "标记没有闭合");
        }
        const char *in = open + 2, *end = close;
        while (in < end && (*in == ' ' || *in == '\t'))
            in++;
        while (end > in && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        tok t = {.k = K_EXPR, .s = in, .len = (size_t)(end - in), .line = line};
        if (open[1] == '%') {
            static const struct { const char *w; tok_kind k; } kw[] = {
                {"if ", K_IF}, {"elif ", K_ELIF}, {"else", K_ELSE}, {"end", K_END}, {"for ", K_FOR}, {"set ", K_SET},
                {"section", K_SECTION},
            };
            bool known = false;
            for (size_t k = 0; k < sizeof kw / sizeof kw[0] && !known; k++)
                if (!strncmp(in, kw[k].w, strlen(kw[k].w))) {
                    t.k = kw[k].k;
                    t.s = in + strlen(kw[k].w);
                    t.len = (size_t)(end - t.s);
                    known = true;
                }
            if (!known) {
                c->line = line;
                return fail(c, "未知的标记：%.20s", in);
            }
        }
        for (const char *q = open; q < close; q++)
            line += *q == '\n';
        p = close + 2;
        if (open[1] == '#' && line_start && *p == '\n')
            p++;
        else if (line_start) {
            const char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            if (*q == '\n')
                p = q + 1, line++;
            else if (!*q)
                p = q;
        }
        if (open[1] != '#' && add_tok(c, t) != JS_OK)
            return JS_E_INPUT;
    }
    /* match if/elif/else/for with end */
    int stack[64], depth = 0;
    for (size_t i = 0; i < c->ntoks; i++) {
        tok *t = &c->toks[i];
        c->line = t->line;
        if (t->k == K_IF || t->k == K_FOR || t->k == K_SECTION) {
            if (depth == 64)
                return fail(c, "%s", "嵌套过深");
            stack[depth++] = (int)i;
        } else if (t->k == K_ELIF || t->k == K_ELSE || t->k == K_END) {
            if (!depth)
                return fail(c, "%s", "多余的 elif/else/end");
            tok *open = &c->toks[stack[depth - 1]];
            if (t->k != K_END && open->k != K_IF)
                return fail(c, "%s", "for 和 section 中不能有 elif/else");
            /* chain: the previous branch points here */
            int prev = stack[depth - 1];
            while (c->toks[prev].match)
                prev = c->toks[prev].match;
            c->toks[prev].match = (int)i;
            if (t->k == K_END)
                depth--;
        }
    }
    if (depth) {
        c->line = c->toks[stack[depth - 1]].line;
        return fail(c, "%s", "缺少 end");
    }
    return JS_OK;
}

static js_status bind(nctx *c, const char *name, value v)
{
    if (c->nb == MAX_BINDINGS)
        return fail(c, "%s", "变量过多");
    c->b[c->nb++] = (binding){name, v};
    return JS_OK;
}

static int end_of(nctx *c, int i)
{
    while (c->toks[i].k != K_END)
        i = c->toks[i].match;
    return i;
}

static js_status exec(nctx *c, int from, int to, int depth);

static js_status exec_for(nctx *c, int i, int depth)
{
    const tok *t = &c->toks[i];
    if (t->err)
        return fail(c, "%s", t->err);
    const char *sep = t->sep;
    item *items;
    size_t n;
    if (collect(c, t->src, &items, &n) != JS_OK) {
        free(items);
        return JS_E_INPUT;
    }
    const char *vname = t->name;
    js_status st = JS_OK;
    for (size_t k = 0; k < n && st == JS_OK; k++) {
        if (k)
            js_buf_puts(c->out, sep);
        int mark = c->nb;
        st = bind(c, vname, (value){.k = V_ITEM, .it = &items[k]});
        if (st == JS_OK)
            st = exec(c, i + 1, t->match, depth + 1);
        c->nb = mark;
    }
    free(items);
    return st;
}

/* Whether the output from `from` holds something to read: a line that is
 * not blank, not a heading and not a block line that prints nothing (an
 * @sheet of a sheet without rows, an @perf without self-evaluations). */
static bool has_content(nctx *c, size_t from)
{
    const char *d = c->out->data ? c->out->data : "";
    for (size_t i = from; i < c->out->len;) {
        const char *line = d + i, *nl = memchr(line, '\n', c->out->len - i);
        size_t len = nl ? (size_t)(nl - line) : c->out->len - i;
        i += len + 1;
        size_t sp = strspn(line, " \t");
        if (sp >= len || line[0] == '#')
            continue;
        int ncols;
        if (len > 7 && !strncmp(line, "@sheet ", 7)) {
            char sheet[128];
            tok_copy(sheet, sizeof sheet, line + 7, len - 7);
            if (!js_workbook_sheet_size(c->wb, sheet, &ncols))
                continue;
        } else if (len == 5 && !strncmp(line, "@perf", 5) && (!perf_of(c) || !js_perf_count(perf_of(c)))) {
            continue;
        }
        return true;
    }
    return false;
}

/* {% section [VAR] %} … {% end %}: the body (its heading first) stays only
 * when it has content (has_content, after dropping its sentences with
 * gaps); else its output and its names go, as if it were not there. VAR,
 * when given, counts the sections kept: the body sees VAR + 1. */
static js_status exec_section(nctx *c, int i, int depth)
{
    const tok *t = &c->toks[i];
    const char *var = t->name;
    size_t start = c->out->len, gaps = c->ngaps;
    int mark = c->nb;
    if (var) {
        value n = lookup(c, var);
        if (c->failed)
            return JS_E_INPUT;
        if (n.k != V_NUM)
            return fail(c, "section 的计数“%s”应为数字", var);
        if (bind(c, var, arith(c, n, '+', num(1, 1, false))) != JS_OK)
            return JS_E_INPUT;
    }
    if (exec(c, i + 1, t->match, depth) != JS_OK)
        return JS_E_INPUT;
    if (c->ngaps != gaps) {
        repair_gaps(c->out, start);
        c->sec_known = false;
    }
    if (!has_content(c, start)) {
        c->out->len = start;
        c->sec_known = false;
        if (c->out->data)
            c->out->data[start] = '\0';
        c->nb = mark;
    }
    return JS_OK;
}

static js_status exec(nctx *c, int from, int to, int depth)
{
    if (depth > MAX_LOOP_DEPTH)
        return fail(c, "%s", "循环嵌套过深");
    for (int i = from; i < to && !c->failed;) {
        const tok *t = &c->toks[i];
        c->line = t->line;
        switch (t->k) {
        case K_TEXT:
            js_buf_append(c->out, t->s, t->len);
            i++;
            break;
        case K_EXPR:
            format(c, xeval(c, t->x), t->filter, c->out);
            i++;
            break;
        case K_SET: {
            if (t->err)
                return fail(c, "%s", t->err);
            value v = xeval(c, t->x);
            if (bind(c, t->name, v) != JS_OK)
                return JS_E_INPUT;
            i++;
            break;
        }
        case K_IF: {
            int b = i, end = end_of(c, i);
            while (b != end) {
                const tok *br = &c->toks[b];
                c->line = br->line;
                bool take = br->k == K_ELSE;
                if (!take) {
                    value v = xeval(c, br->x);
                    if (v.k == V_ABSENT) { /* nothing to decide on: the sentence goes */
                        gap(c, v, c->out);
                        break;
                    }
                    take = truthy(v);
                }
                if (take) {
                    if (exec(c, b + 1, br->match, depth) != JS_OK)
                        return JS_E_INPUT;
                    break;
                }
                b = br->match;
            }
            i = end + 1;
            break;
        }
        case K_FOR:
            if (exec_for(c, i, depth) != JS_OK)
                return JS_E_INPUT;
            i = t->match + 1;
            break;
        case K_SECTION:
            if (exec_section(c, i, depth) != JS_OK)
                return JS_E_INPUT;
            i = t->match + 1;
            break;
        default:
            return fail(c, "%s", "多余的 elif/else/end");
        }
    }
    return c->failed ? JS_E_INPUT : JS_OK;
}

/* ---- compiling ------------------------------------------------------- */

/* The statements' parts and their expressions, read once. */
static void compile_tokens(js_narrative_tpl *t, px *e)
{
    for (size_t i = 0; i < t->ntoks && !e->nomem; i++) {
        tok *k = &t->toks[i];
        /* each statement read as its copy in a fixed buffer (cut to fit) */
        char buf[1024], spec[512];
        switch (k->k) {
        case K_EXPR: {
            tok_copy(buf, sizeof buf, k->s, k->len);
            char *bar = strrchr(buf, '|');
            if (bar) {
                *bar = '\0';
                char *filter = (char *)skip_sp(bar + 1), *end = filter + strlen(filter);
                while (end > filter && end[-1] == ' ')
                    *--end = '\0';
                k->filter = px_intern(e, filter, strlen(filter));
            }
            k->x = px_top(e, buf);
            break;
        }
        case K_SET: {
            tok_copy(buf, sizeof buf, k->s, k->len);
            char *eq = strchr(buf, '=');
            if (!eq) {
                k->err = xmsg(e, "set 应写作 set 名称 = 表达式：%s", buf);
                break;
            }
            *eq = '\0';
            char name[128];
            word_at(buf, name, sizeof name);
            k->name = px_intern(e, name, strlen(name));
            k->x = px_top(e, eq + 1);
            break;
        }
        case K_IF:
        case K_ELIF:
            tok_copy(buf, sizeof buf, k->s, k->len);
            k->x = px_top(e, buf);
            break;
        case K_FOR: { /* VAR in SOURCE [sep "…"] */
            tok_copy(spec, sizeof spec, k->s, k->len);
            char var[64], in[8];
            const char *p = word_at(spec, var, sizeof var);
            p = word_at(p, in, sizeof in);
            if (strcmp(in, "in")) {
                k->err = xmsg(e, "for 应写作 for 变量 in 来源：%s", spec);
                break;
            }
            k->sep = "";
            char *sp = strstr((char *)p, " sep ");
            if (sp) {
                char *q1 = strchr(sp, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
                if (!q2) {
                    k->err = xmsg(e, "%s", "sep 后应是带引号的文字");
                    break;
                }
                k->sep = px_intern(e, q1 + 1, (size_t)(q2 - q1 - 1));
                *sp = '\0';
            }
            k->src = px_intern(e, skip_sp(p), strlen(skip_sp(p)));
            k->name = px_intern(e, var, strlen(var));
            break;
        }
        case K_SECTION: {
            char var[64];
            tok_copy(spec, 128, k->s, k->len);
            word_at(spec, var, sizeof var);
            k->name = var[0] ? px_intern(e, var, strlen(var)) : NULL;
            break;
        }
        default:
            break;
        }
    }
}

/* "名称 = 表达式" lines: rules expressions over the exact tables, parsed
 * (with the profile's column aliases) up to the first line that does not
 * read, whose error is kept. */
static void compile_vars(js_narrative_tpl *t, px *e, const char *vars, const js_profile *profile)
{
    if (!(t->rs = js_rules_new())) {
        e->nomem = true;
        return;
    }
    long line = 0;
    js_diag *d = &t->vars_diag;
    for (const char *p = vars; *p && !t->vars_st && !e->nomem;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[2048];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
        p += len + (nl ? 1 : 0);
        line++;
        char *s = (char *)skip_sp(buf);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            t->vars_st = js_diag_set(d, JS_E_INPUT, t->vars_name, line, 0, NULL, "应为“名称 = 表达式”");
            break;
        }
        char *ne = eq;
        while (ne > s && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        const char *name = px_intern(e, s, (size_t)(ne - s));
        node *n = js_rules_parse_expression(t->rs, eq + 1, t->vars_name, line, d);
        if (!n)
            t->vars_st = d->status ? d->status : JS_E_INPUT;
        else if (!js_rules_alias_node(&t->rs->arena, n, NULL, profile))
            t->vars_st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        else if (js_vec_reserve(&t->vars, &t->capvars, t->nvars + 1, sizeof *t->vars))
            t->vars[t->nvars++] = (var_def){name, n, line};
        else
            e->nomem = true;
    }
}

void js_narrative_tpl_free(js_narrative_tpl *t)
{
    if (!t)
        return;
    js_rules_free(t->rs);
    free(t->vars);
    free(t->toks);
    free(t->names);
    js_strmap_free(&t->name_index);
    free(t->name);
    free(t->vars_name);
    free(t->text);
    js_arena_release(&t->arena);
    free(t);
}

js_narrative_tpl *js_narrative_compile(const char *name, const char *tpl, const char *vars_name, const char *vars,
                                       const js_profile *profile, js_diag *d)
{
    js_narrative_tpl *t = calloc(1, sizeof *t);
    nctx *c = t ? calloc(1, sizeof *c) : NULL;
    px *e = c ? calloc(1, sizeof *e) : NULL;
    if (!e) {
        free(c);
        free(t);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    js_arena_init(&t->arena);
    e->t = t;
    t->name = strdup(name);
    t->vars_name = vars_name ? strdup(vars_name) : NULL;
    t->text = strdup(tpl);
    t->n_year = px_intern(e, "年度", strlen("年度"));
    t->n_prev = px_intern(e, "上年度", strlen("上年度"));
    t->n_dept = px_intern(e, "部门名称", strlen("部门名称"));
    e->nomem |= !t->name || (vars_name && !t->vars_name) || !t->text;
    if (!e->nomem)
        compile_vars(t, e, vars ? vars : "", profile);
    /* the statements, read by tokenize as the interpreter did */
    c->name = t->name;
    c->d = &t->tok_diag;
    t->tok_st = e->nomem ? JS_OK : tokenize(c, t->text);
    t->toks = c->toks;
    t->ntoks = c->ntoks;
    if (t->tok_st == JS_OK)
        compile_tokens(t, e);
    bool nomem = e->nomem;
    free(e);
    free(c);
    if (nomem) {
        js_narrative_tpl_free(t);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    return t;
}

/* The vars' values over the tables, bound in order; the error of a line
 * that does not read after the lines before it. */
static js_status run_vars(nctx *c, const js_narrative_tpl *t)
{
    js_status st = JS_OK;
    const js_view *given = c->opt->view;
    js_view *own = t->nvars && !given ? js_view_from_tables(c->ts, c->d) : NULL;
    const js_view *v = given ? given : own;
    js_rules_evaluator *ev = t->nvars && v ? js_rules_evaluator_new(v) : NULL;
    if (t->nvars && !ev) {
        js_view_free(own);
        return v ? js_diag_set(c->d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足") : JS_E_NOMEM;
    }
    for (size_t i = 0; i < t->nvars && st == JS_OK; i++) {
        js_fen value_fen;
        char err[256];
        if (!js_rules_evaluate(ev, t->vars[i].n, &value_fen, err, sizeof err))
            st = js_diag_set(c->d, JS_E_INPUT, t->vars_name, t->vars[i].line, 0, NULL, "%s", err);
        else
            st = bind(c, t->vars[i].name, num(value_fen, 1, true));
    }
    js_rules_evaluator_free(ev);
    js_view_free(own);
    if (st == JS_OK && t->vars_st) {
        if (c->d)
            *c->d = t->vars_diag;
        st = t->vars_st;
    }
    return st;
}

js_status js_narrative_run(const js_narrative_tpl *t, const js_tableset *ts, const js_narrative_options *opt,
                           js_findings *gaps, js_buf *out, js_narrative_figures *figs, js_diag *d)
{
    nctx *c = calloc(1, sizeof *c);
    binding *b = malloc(MAX_BINDINGS * sizeof *b);
    if (!c || !b) {
        free(c);
        free(b);
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    c->b = b;
    js_arena_init(&c->arena);
    c->name = t->name;
    c->ts = ts;
    c->wb = js_tableset_workbook(ts);
    c->dict = js_workbook_dict(c->wb);
    c->opt = opt;
    c->gaps = gaps;
    c->out = out;
    c->figs = figs;
    c->d = d;
    c->toks = t->toks;
    c->ntoks = t->ntoks;
    c->budget_given = -1;
    char year[16], prev[16];
    snprintf(year, sizeof year, "%d", js_workbook_year(c->wb));
    snprintf(prev, sizeof prev, "%d", js_workbook_year(c->wb) - 1);
    js_status st = bind(c, t->n_year, text(js_arena_strdup(&c->arena, year)));
    if (st == JS_OK)
        st = bind(c, t->n_prev, text(js_arena_strdup(&c->arena, prev)));
    if (st == JS_OK)
        st = bind(c, t->n_dept, text(js_tableset_entity(ts)));
    if (st == JS_OK)
        st = run_vars(c, t);
    if (st == JS_OK && t->tok_st) {
        if (d)
            *d = t->tok_diag;
        st = t->tok_st;
    }
    size_t start = out->len;
    if (st == JS_OK)
        st = exec(c, 0, (int)c->ntoks, 0);
    if (st == JS_OK && c->ngaps) /* without a gap there is nothing to repair */
        repair_gaps(out, start);
    if (st == JS_OK && gaps)
        js_findings_count_rule(gaps, c->ngaps == 0);
    free(c->needs);
    free(c->b);
    js_arena_release(&c->arena);
    free(c);
    return st;
}

js_status js_narrative_expand(const char *name, const char *tpl, const char *vars_name,
                              const char *vars, const js_tableset *ts,
                              const js_narrative_options *opt, js_findings *gaps, js_buf *out,
                              js_narrative_figures *figs, js_diag *d)
{
    js_narrative_tpl *t = js_narrative_compile(name, tpl, vars_name, vars, js_tableset_profile(ts), d);
    js_status st = t ? js_narrative_run(t, ts, opt, gaps, out, figs, d) : JS_E_NOMEM;
    js_narrative_tpl_free(t);
    return st;
}
