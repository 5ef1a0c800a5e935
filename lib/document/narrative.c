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

typedef struct {
    tok_kind k;
    const char *s; /* text, or the tag's contents */
    size_t len;
    long line;
    int match;     /* IF/ELIF/ELSE: next branch or END; FOR: END */
} tok;

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
    const char **needs; /* "sheet\x1fwhat" of the absent inputs reported */
    size_t nneeds, capneeds;
    tok *toks;
    size_t ntoks, captoks;
    binding b[MAX_BINDINGS];
    int nb;
    bool failed;
    long line; /* of the tag being evaluated */
} nctx;

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

/* The heading of the section being written (for messages). */
static void section_of(const js_buf *out, char *buf, size_t n)
{
    const char *d = out->data ? out->data : "", *h = NULL;
    for (size_t i = out->len; i-- > 0 && !h;)
        if (d[i] == '#' && (i == 0 || d[i - 1] == '\n'))
            h = d + i;
    buf[0] = '\0';
    if (h) {
        h += strspn(h, "# ");
        snprintf(buf, n, "%.*s", (int)strcspn(h, "\n"), h);
    }
}

/* Records, once per input, that the document needed an input the workbook
 * does not give: an N-002 finding at the profile's severity for its sheet. */
/* Whether "sheet\x1fwhat" is reported for the first time (then remembered). */
static bool first_time(nctx *c, const char *sheet, const char *what)
{
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s", sheet, what);
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
    section_of(c->out, section, sizeof section);
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

/* The 一般公共预算 年初预算 of the codes starting with prefix; the last
 * answer is kept, since a template asks for one item's budget several
 * times in a row. */
static js_fen budget_of(nctx *c, const char *prefix)
{
    if (c->budget_known && !strcmp(c->budget_prefix, prefix))
        return c->budget_sum;
    size_t n;
    const js_fact *f = js_workbook_facts(c->wb, &n);
    js_fen sum = 0;
    size_t pl = strlen(prefix);
    for (size_t i = 0; i < n; i++)
        if (f[i].source == JS_SRC_BUDGET && f[i].fund == JS_FUND_GENERAL && func_has_prefix(f[i].func, prefix, pl))
            sum += f[i].amount;
    if (pl < sizeof c->budget_prefix) {
        memcpy(c->budget_prefix, prefix, pl + 1);
        c->budget_sum = sum;
        c->budget_known = true;
    }
    return sum;
}

static const char *budget_reason(nctx *c, const char *code)
{
    size_t n;
    const js_budget_note *notes = js_workbook_budget_notes(c->wb, &n);
    for (size_t i = 0; i < n; i++) {
        char s[8];
        js_code_str(notes[i].func, 7, s);
        if (!strcmp(s, code) && notes[i].reason[0])
            return notes[i].reason;
    }
    return "";
}

static const char *dict_name(nctx *c, const char *code, size_t digits)
{
    if (strlen(code) < digits)
        return "";
    char p[8];
    snprintf(p, sizeof p, "%.*s", (int)digits, code);
    const js_code *jc = js_dict_find(c->dict, JS_DICT_FUNC, (uint32_t)strtoul(p, NULL, 10), (int)digits);
    return jc ? jc->name : "";
}

/* The dictionary's 说明 of a code; for a 项 without one, its 款's
 * (docs/dictionaries.md); "" when neither has one. */
static const char *code_note(nctx *c, const char *code)
{
    size_t len = strlen(code);
    for (size_t digits = len; digits >= 5; digits -= 2) {
        char p[8];
        snprintf(p, sizeof p, "%.*s", (int)digits, code);
        const js_code *jc = js_dict_find(c->dict, JS_DICT_FUNC, (uint32_t)strtoul(p, NULL, 10), (int)digits);
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
        snprintf(what, sizeof what, "文本「%s」", key);
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
        snprintf(code, sizeof code, "%.*s", level, row->code);
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
                                             (uint32_t)strtoul(code, NULL, 10), level);
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
        snprintf(part, sizeof part, "%.*s", (int)len, p);
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
                int col = column_index(c, t, (*items)[k].block, nonzero);
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
    for (size_t k = 0; k < *n; k++) {
        const char *code = (*items)[k].code;
        if (code[0] && js_strmap_get(&seen, code, strlen(code)) >= 0)
            continue;
        (*items)[w] = (*items)[k];
        if (code[0] && !js_strmap_put(&seen, (*items)[w].code, 0)) {
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

typedef struct {
    nctx *c;
    const char *p;
} ex;

static value expr_or(ex *e);

static void ex_ws(ex *e)
{
    while (*e->p == ' ' || *e->p == '\t' || *e->p == '\n')
        e->p++;
}

static bool ex_kw(ex *e, const char *w)
{
    ex_ws(e);
    size_t n = strlen(w);
    if (strncmp(e->p, w, n) || isalnum((unsigned char)e->p[n]))
        return false;
    e->p += n;
    return true;
}

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

static const char *ex_ident(ex *e)
{
    ex_ws(e);
    const char *s = e->p;
    while (ident_char(e->p))
        e->p++;
    return s == e->p ? NULL : js_arena_strndup(&e->c->arena, s, (size_t)(e->p - s));
}

static const char *ex_string(ex *e)
{
    ex_ws(e);
    if (*e->p != '"') {
        fail(e->c, "这里应有带引号的文字：%.20s", e->p);
        return "";
    }
    const char *s = ++e->p;
    while (*e->p && *e->p != '"')
        e->p++;
    const char *r = js_arena_strndup(&e->c->arena, s, (size_t)(e->p - s));
    if (*e->p)
        e->p++;
    return r;
}

static value lookup(nctx *c, const char *name)
{
    for (int i = c->nb - 1; i >= 0; i--)
        if (!strcmp(c->b[i].name, name))
            return c->b[i].v;
    fail(c, "没有名为“%s”的数据", name);
    return (value){.k = V_NONE};
}

static value item_field(nctx *c, const item *it, const char *f)
{
    if (!strcmp(f, "编码"))
        return text(it->code);
    if (!strcmp(f, "名称"))
        return text(it->name);
    if (!strcmp(f, "短名")) {
        size_t n = strlen(it->name), sl = strlen("支出");
        if (n > sl && !strcmp(it->name + n - sl, "支出"))
            return text(js_arena_strndup(&c->arena, it->name, n - sl));
        return text(it->name);
    }
    if (!strcmp(f, "序号"))
        return num(it->index, 1, false);
    if (!strcmp(f, "是末项"))
        return num(it->index == it->count, 1, false);
    if (!strcmp(f, "性质"))
        return text(it->unit_kind);
    if (it->perf) {
        const js_perf_item *p = it->perf;
        char buf[256];
        if (!strcmp(f, "预算"))
            return num(p->budget, 1, true);
        if (!strcmp(f, "执行"))
            return num(p->executed, 1, true);
        if (!strcmp(f, "执行率") || !strcmp(f, "总分")) {
            if (!strcmp(f, "执行率"))
                js_perf_rate(p, buf, sizeof buf);
            else
                js_perf_points(p->total, buf, sizeof buf);
            return text(js_arena_strdup(&c->arena, buf));
        }
        static const struct { const char *f; int col; } cols[] = {
            {"主要产出和效益", P_OUTPUT}, {"发现的问题及原因", P_PROBLEM}, {"下一步改进措施", P_NEXT},
            {"说明标题", P_TITLE}};
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            if (!strcmp(f, cols[k].f))
                return text(js_workbook_sheet_cell(c->wb, PERF_ITEMS, p->row, cols[k].col));
    }
    if (!strcmp(f, "类名"))
        return text(dict_name(c, it->code, 3));
    if (!strcmp(f, "款名"))
        return text(dict_name(c, it->code, 5));
    if (!strcmp(f, "说明")) {
        const char *note = code_note(c, it->code);
        value v = text(note);
        if (!note[0]) {
            char what[64];
            snprintf(what, sizeof what, "科目 %s %s 的说明", it->code, it->name);
            v.gap = js_arena_strdup(&c->arena, what);
        }
        return v;
    }
    if (!strcmp(f, "预算") && !js_workbook_given(c->wb, "budget.csv", NULL, NULL))
        return absent(c, "budget.csv", "年初预算");
    if (!strcmp(f, "预算"))
        return num(budget_of(c, it->code), 1, true);
    if (!strcmp(f, "原因") && !js_workbook_given(c->wb, "budget.csv", NULL, NULL))
        return absent(c, "budget.csv", "年初预算的差异原因");
    if (!strcmp(f, "原因")) {
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
    if (!strcmp(f, "用途")) {
        char key[64];
        snprintf(key, sizeof key, "用途:%s", it->code);
        return workbook_text(c, js_arena_strdup(&c->arena, key));
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
    return js_workbook_given(c->wb, "budget.csv", NULL, NULL) ? num(budget_of(c, ""), 1, true)
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

static value call(ex *e, const char *fn)
{
    nctx *c = e->c;
    const fdef *f = NULL;
    for (size_t i = 0; i < sizeof k_functions / sizeof k_functions[0] && !f; i++)
        if (!strcmp(k_functions[i].name, fn))
            f = &k_functions[i];
    fargs a = {.first = {.k = V_NONE}};
    ex_ws(e);
    e->p++; /* ( */
    ex_ws(e);
    while (*e->p && *e->p != ')' && a.n < 3) {
        if (f && f->numeric)
            a.first = expr_or(e);
        else
            a.text[a.n] = ex_string(e);
        a.n++;
        ex_ws(e);
        if (*e->p == ',')
            e->p++;
        ex_ws(e);
    }
    if (*e->p == ')')
        e->p++;
    else
        fail(c, "函数 %s 缺少 )", fn);
    if (!f || a.n < f->min || a.n > f->max) {
        fail(c, "未知函数“%s”或参数不对", fn);
        return (value){.k = V_NONE};
    }
    /* the value points into the arena or the workbook, never into a */
    // cppcheck-suppress returnDanglingLifetime
    return f->impl(c, f, &a);
}

static value primary(ex *e)
{
    nctx *c = e->c;
    ex_ws(e);
    if (*e->p == '(') {
        e->p++;
        value v = expr_or(e);
        ex_ws(e);
        if (*e->p == ')')
            e->p++;
        else
            fail(c, "缺少 )：%.20s", e->p);
        return v;
    }
    if (*e->p == '"')
        return text(ex_string(e));
    if (isdigit((unsigned char)*e->p)) {
        i128 n = 0, d = 1;
        bool frac = false;
        int digits = 0;
        while (isdigit((unsigned char)*e->p) || (*e->p == '.' && !frac)) {
            if (*e->p != '.' && ++digits > 18) {
                fail(c, "%s", "数字过长");
                return (value){.k = V_NONE};
            }
            if (*e->p == '.')
                frac = true;
            else {
                n = n * 10 + (*e->p - '0');
                if (frac)
                    d *= 10;
            }
            e->p++;
        }
        return num(n, d, false);
    }
    const char *id = ex_ident(e);
    if (!id) {
        fail(c, "表达式不完整：%.20s", e->p);
        return (value){.k = V_NONE};
    }
    ex_ws(e);
    if (*e->p == '(')
        return call(e, id);
    value v = lookup(c, id);
    for (;;) {
        if (*e->p == '.' && v.k == V_ITEM) {
            e->p++;
            const char *f = ex_ident(e);
            v = f ? item_field(c, v.it, f) : (value){.k = V_NONE};
        } else if (*e->p == '[' && v.k == V_ITEM) {
            const char *close = strchr(e->p, ']');
            if (!close) {
                fail(c, "%s", "缺少 ]");
                return v;
            }
            char col[256];
            snprintf(col, sizeof col, "%.*s", (int)(close - e->p - 1), e->p + 1);
            e->p = close + 1;
            int k = v.it->t ? column_index(c, v.it->t, v.it->block, col) : -1;
            if (k < 0) {
                fail(c, "循环项没有列“%s”", col);
                return (value){.k = V_NONE};
            }
            v = num(v.it->cells[k], 1, true);
        } else {
            return v;
        }
    }
}

static value unary(ex *e)
{
    if (ex_kw(e, "not")) {
        value v = unary(e);
        return v.k == V_ABSENT ? v : num(!truthy(v), 1, false);
    }
    ex_ws(e);
    if (*e->p == '-') {
        e->p++;
        value v = unary(e);
        if (v.k == V_NUM)
            v.n = -v.n;
        return v;
    }
    return primary(e);
}

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

static value product(ex *e)
{
    value v = unary(e);
    for (;;) {
        ex_ws(e);
        char op = *e->p;
        if (op != '*' && op != '/')
            return v;
        e->p++;
        v = arith(e->c, v, op, unary(e));
    }
}

static value sum(ex *e)
{
    value v = product(e);
    for (;;) {
        ex_ws(e);
        char op = *e->p;
        if (op != '+' && op != '-')
            return v;
        e->p++;
        v = arith(e->c, v, op, product(e));
    }
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

static value comparison(ex *e)
{
    value a = sum(e);
    ex_ws(e);
    static const char *const ops[] = {">=", "<=", "==", "!=", ">", "<"};
    for (int i = 0; i < 6; i++) {
        size_t n = strlen(ops[i]);
        if (strncmp(e->p, ops[i], n))
            continue;
        e->p += n;
        value b = sum(e);
        if (a.k == V_ABSENT || b.k == V_ABSENT)
            return a.k == V_ABSENT ? a : b;
        int r = cmp_values(a, b);
        bool t = i == 0 ? r >= 0 : i == 1 ? r <= 0 : i == 2 ? r == 0 : i == 3 ? r != 0 : i == 4 ? r > 0 : r < 0;
        return num(t, 1, false);
    }
    return a;
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

static value expr_and(ex *e)
{
    value v = comparison(e);
    while (ex_kw(e, "and"))
        v = logic(v, comparison(e), true);
    return v;
}

static value expr_or(ex *e)
{
    value v = expr_and(e);
    while (ex_kw(e, "or"))
        v = logic(v, expr_and(e), false);
    return v;
}

static value eval_text(nctx *c, const char *s, const char **rest)
{
    ex e = {c, s};
    value v = expr_or(&e);
    ex_ws(&e);
    if (rest)
        *rest = e.p;
    else if (*e.p && !c->failed)
        fail(c, "多余的内容：%.30s", e.p);
    return v;
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
    if (digits)
        snprintf(f, sizeof f, ".%0*llu", digits, frac);
    if (strip) {
        size_t l = strlen(f);
        while (l && f[l - 1] == '0')
            f[--l] = '\0';
        if (l == 1)
            f[0] = '\0';
    }
    snprintf(buf, len, "%s%llu%s", neg && q ? "-" : "", whole, f);
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
    section_of(out, section, sizeof section);
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

static void format(nctx *c, value v, const char *filter, js_buf *out)
{
    char buf[64];
    if (v.k == V_TEXT && filter && !strcmp(filter, "日期")) {
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
        for (const char *q = v.s; *q; q++) {
            bool line_start = q == v.s ? (out->len == 0 || out->data[out->len - 1] == '\n') : q[-1] == '\n';
            if (*q == GAP_MARK || *q == JS_FIGURE_OPEN || *q == JS_FIGURE_CLOSE)
                continue;
            if (line_start && (*q == '#' || *q == '@'))
                js_buf_puts(out, *q == '#' ? "＃" : "＠");
            else
                js_buf_putc(out, *q);
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
    if (!strcmp(filter, "万元") || !strcmp(filter, "万元2")) {
        fixed(v.n, v.d * JS_FEN_PER_WAN, 2, c->opt->strip_zeros && !strcmp(filter, "万元"), buf, sizeof buf);
    } else if (!strcmp(filter, "%") || !strcmp(filter, "百分比")) {
        fixed(v.n * 100, v.d, c->opt->percent_decimals, false, buf, sizeof buf);
        strcat(buf, "%");
    } else if (!strcmp(filter, "中文")) {
        js_chinese_number((int)(v.n / v.d), buf, sizeof buf);
    } else if (!strcmp(filter, "整数")) {
        fixed(v.n, v.d, 0, false, buf, sizeof buf);
    } else if (!strcmp(filter, "小数")) {
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
            tok t = {K_TEXT, p, (size_t)((line_start ? ls : text_end) - p), line, 0};
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
        tok t = {K_EXPR, in, (size_t)(end - in), line, 0};
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

/* The len bytes at s (no NUL among them) as a string in buf of n bytes,
 * cut to fit: what snprintf "%.*s" gives, without its cost (a template's
 * tokens are copied thousands of times per department). */
static void tok_copy(char *buf, size_t n, const char *s, size_t len)
{
    if (len >= n)
        len = n - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
}

static js_status exec_for(nctx *c, int i, int depth)
{
    tok *t = &c->toks[i];
    char spec[512];
    tok_copy(spec, sizeof spec, t->s, t->len);
    /* VAR in SOURCE [sep "…"] */
    char var[64];
    const char *p = word_at(spec, var, sizeof var);
    char in[8];
    p = word_at(p, in, sizeof in);
    if (strcmp(in, "in"))
        return fail(c, "for 应写作 for 变量 in 来源：%s", spec);
    const char *sep = "";
    char *sp = strstr((char *)p, " sep ");
    if (sp) {
        char *q1 = strchr(sp, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
        if (!q2)
            return fail(c, "%s", "sep 后应是带引号的文字");
        sep = js_arena_strndup(&c->arena, q1 + 1, (size_t)(q2 - q1 - 1));
        *sp = '\0';
    }
    item *items;
    size_t n;
    if (collect(c, skip_sp(p), &items, &n) != JS_OK) {
        free(items);
        return JS_E_INPUT;
    }
    const char *vname = js_arena_strdup(&c->arena, var);
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
            snprintf(sheet, sizeof sheet, "%.*s", (int)(len - 7), line + 7);
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
    tok *t = &c->toks[i];
    char var[64];
    char spec[128];
    tok_copy(spec, sizeof spec, t->s, t->len);
    word_at(spec, var, sizeof var);
    size_t start = c->out->len, gaps = c->ngaps;
    int mark = c->nb;
    if (var[0]) {
        value n = lookup(c, var);
        if (c->failed)
            return JS_E_INPUT;
        if (n.k != V_NUM)
            return fail(c, "section 的计数“%s”应为数字", var);
        if (bind(c, js_arena_strdup(&c->arena, var), arith(c, n, '+', num(1, 1, false))) != JS_OK)
            return JS_E_INPUT;
    }
    if (exec(c, i + 1, t->match, depth) != JS_OK)
        return JS_E_INPUT;
    if (c->ngaps != gaps)
        repair_gaps(c->out, start);
    if (!has_content(c, start)) {
        c->out->len = start;
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
        tok *t = &c->toks[i];
        c->line = t->line;
        char buf[1024];
        if (t->k == K_EXPR || t->k == K_SET)
            tok_copy(buf, sizeof buf, t->s, t->len);
        switch (t->k) {
        case K_TEXT:
            js_buf_append(c->out, t->s, t->len);
            i++;
            break;
        case K_EXPR: {
            char *bar = strrchr(buf, '|');
            const char *filter = NULL;
            if (bar) {
                *bar = '\0';
                filter = skip_sp(bar + 1);
                char *e = (char *)filter + strlen(filter);
                while (e > filter && e[-1] == ' ')
                    *--e = '\0';
            }
            format(c, eval_text(c, buf, NULL), filter, c->out);
            i++;
            break;
        }
        case K_SET: {
            char *eq = strchr(buf, '=');
            if (!eq)
                return fail(c, "set 应写作 set 名称 = 表达式：%s", buf);
            *eq = '\0';
            char name[128];
            word_at(buf, name, sizeof name);
            value v = eval_text(c, eq + 1, NULL);
            if (bind(c, js_arena_strdup(&c->arena, name), v) != JS_OK)
                return JS_E_INPUT;
            i++;
            break;
        }
        case K_IF: {
            int b = i, end = end_of(c, i);
            while (b != end) {
                tok *br = &c->toks[b];
                c->line = br->line;
                bool take = br->k == K_ELSE;
                if (!take) {
                    char cond[1024];
                    tok_copy(cond, sizeof cond, br->s, br->len);
                    value v = eval_text(c, cond, NULL);
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

/* "名称 = 表达式" lines: rules expressions over the exact tables. */
static js_status load_vars(nctx *c, const char *vars_name, const char *vars)
{
    js_view *v = js_view_from_tables(c->ts, c->d);
    js_ruleset *rs = js_rules_new();
    if (!v || !rs) {
        js_view_free(v);
        js_rules_free(rs);
        return JS_E_NOMEM;
    }
    js_status st = JS_OK;
    long line = 0;
    for (const char *p = vars; *p && st == JS_OK;) {
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
            st = js_diag_set(c->d, JS_E_INPUT, vars_name, line, 0, NULL, "应为“名称 = 表达式”");
            break;
        }
        char *ne = eq;
        while (ne > s && (ne[-1] == ' ' || ne[-1] == '\t'))
            ne--;
        const char *name = js_arena_strndup(&c->arena, s, (size_t)(ne - s));
        node *n = js_rules_parse_expression(rs, eq + 1, vars_name, line, c->d);
        js_fen value_fen;
        char err[256];
        if (!n) {
            st = c->d ? c->d->status : JS_E_INPUT;
        } else if (!js_rules_alias_node(&rs->arena, n, NULL, js_tableset_profile(c->ts))) {
            st = js_diag_set(c->d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        } else if (!js_rules_eval_expression(n, v, &value_fen, err, sizeof err)) {
            st = js_diag_set(c->d, JS_E_INPUT, vars_name, line, 0, NULL, "%s", err);
        } else {
            st = bind(c, name, num(value_fen, 1, true));
        }
    }
    js_rules_free(rs);
    js_view_free(v);
    return st;
}

js_status js_narrative_expand(const char *name, const char *tpl, const char *vars_name,
                              const char *vars, const js_tableset *ts,
                              const js_narrative_options *opt, js_findings *gaps, js_buf *out,
                              js_narrative_figures *figs, js_diag *d)
{
    nctx *c = calloc(1, sizeof *c);
    if (!c)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    js_arena_init(&c->arena);
    c->name = name;
    c->ts = ts;
    c->wb = js_tableset_workbook(ts);
    c->dict = js_workbook_dict(c->wb);
    c->opt = opt;
    c->gaps = gaps;
    c->out = out;
    c->figs = figs;
    c->d = d;
    char year[16], prev[16];
    snprintf(year, sizeof year, "%d", js_workbook_year(c->wb));
    snprintf(prev, sizeof prev, "%d", js_workbook_year(c->wb) - 1);
    js_status st = bind(c, "年度", text(js_arena_strdup(&c->arena, year)));
    if (st == JS_OK)
        st = bind(c, "上年度", text(js_arena_strdup(&c->arena, prev)));
    if (st == JS_OK)
        st = bind(c, "部门名称", text(js_tableset_entity(ts)));
    if (st == JS_OK)
        st = load_vars(c, vars_name, vars ? vars : "");
    if (st == JS_OK)
        st = tokenize(c, tpl);
    size_t start = out->len;
    if (st == JS_OK)
        st = exec(c, 0, (int)c->ntoks, 0);
    if (st == JS_OK && c->ngaps) /* without a gap there is nothing to repair */
        repair_gaps(out, start);
    if (st == JS_OK && gaps)
        js_findings_count_rule(gaps, c->ngaps == 0);
    free(c->toks);
    free(c->needs);
    js_arena_release(&c->arena);
    free(c);
    return st;
}
