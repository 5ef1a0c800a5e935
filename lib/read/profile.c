/* Loading profiles and table definitions from JSON (see profile.h and
 * docs/profiles.md). */
#include "juesuan/profile.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "arena.h"
#include "fileio.h"
#include "json_read.h"
#include "juesuan/workbook.h"

struct js_profile {
    js_arena arena;
    const char *name;
    const char *title;
    const char *zero;
    json_t *measures;     /* object: name -> filter object */
    json_t *checks;       /* object: workbook-check settings, or NULL */
    json_t *performance;  /* object: 绩效 scoring settings, or NULL */
    json_t *wording;      /* object: name -> the profile's fixed wording */
    json_t *absent;       /* object: sheet -> severity of a needed input it lacks */
    json_t *aliases;      /* object: table id -> {an ancestor's column name: this layout's} */
    js_perf_row *perf_rows; /* the 自评表's layout (in the arena) */
    size_t nperf_rows;
    int percent_decimals; /* narrative: digits of a percentage */
    bool strip_zeros;     /* narrative: 2841.00 万元 as 2841 */
    int publication_days; /* the statutory period of publication after approval */
    bool budget;          /* "phase": "budget" (docs/budget.md) */
    js_tabledef *tables;
    size_t ntables;
    const char *lineage[JS_MAX_PROFILE_DEPTH]; /* itself, then its ancestors */
    size_t nlineage;
};

typedef struct {
    js_profile *p;
    const char *file;
    js_diag *d;
} ctx;

static js_status bad(ctx *c, const char *fmt, const char *what)
{
    return js_diag_set(c->d, JS_E_INPUT, c->file, 0, 0, NULL, fmt, what);
}

/* Rejects keys of obj not in the NULL-terminated list allowed (a typo such
 * as "fliter" must not be ignored silently). */
static js_status known_keys(ctx *c, json_t *obj, const char *what, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = !strcmp(*a, key);
        if (!ok)
            return js_diag_set(c->d, JS_E_INPUT, c->file, 0, 0, NULL, "%s中有未知的键「%s」", what, key);
    }
    return JS_OK;
}

static const char *const k_table_keys[] = {"number", "title", "unit_label", "amount_unit", "note", "empty_text",
                                           "empty_when", "filter", "blocks", "heading", "columns",
                                           "rows", "footer", NULL};
static const char *const k_block_keys[] = {"heading", "columns", "rows", NULL};
static const char *const k_column_keys[] = {"kind", "key", "heading", "no", "filter", NULL};
static const char *const k_row_keys[] = {"kind", "row", "through", "label", "filter", "of", "levels",
                                         "codes", "numbered", "keep_empty", NULL};
static const char *const k_footer_keys[] = {"block", "label", "filter", NULL};
static const char *const k_profile_keys[] = {"name", "title", "description", "inherits", "zero",
                                             "measures", "tables", "checks", "narrative",
                                             "performance", "wording", "absent", "publication_days",
                                             "perf_table", "column_aliases", "phase", "own_tables", NULL};
static const char *const k_perf_keys[] = {"execution_weight", "rate_decimals", "score_from_displayed_rate",
                                          "shortfall_rate_percent", "grade_percent",
                                          "project_categories", "project_attributes", "project_types", NULL};
static const char *const k_perf_row_keys[] = {"for", "when", "head", "each", "cells", NULL};
static const char *const k_perf_cell_keys[] = {"text", "field", "span", "options", "blank", "not_applicable",
                                               "merge", NULL};
static const char *const k_narrative_keys[] = {"percent_decimals", "strip_zeros", NULL};

js_profile *js_profile_new(const char *name)
{
    js_profile *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    js_arena_init(&p->arena);
    p->name = js_arena_strdup(&p->arena, name);
    p->lineage[0] = p->name;
    p->nlineage = 1;
    p->title = p->name;
    p->zero = "";
    p->measures = json_object();
    p->wording = json_object();
    p->absent = json_object();
    p->aliases = json_object();
    p->percent_decimals = 1;
    p->strip_zeros = true;
    return p;
}

void js_profile_free(js_profile *p)
{
    if (!p)
        return;
    json_decref(p->measures);
    json_decref(p->wording);
    json_decref(p->absent);
    json_decref(p->aliases);
    json_decref(p->checks);
    json_decref(p->performance);
    free(p->tables);
    js_arena_release(&p->arena);
    free(p);
}

const char *js_profile_name(const js_profile *p) { return p->name; }
const char *js_profile_title(const js_profile *p) { return p->title; }
size_t js_profile_ntables(const js_profile *p) { return p->ntables; }
const js_tabledef *js_profile_table(const js_profile *p, size_t i) { return &p->tables[i]; }
const char *js_profile_zero_text(const js_profile *p) { return p->zero; }
int js_profile_publication_days(const js_profile *p) { return p->publication_days; }
bool js_profile_is_budget(const js_profile *p) { return p->budget; }

/* The wording every profile must give (after inheritance). */
static const char *const k_required_wording[] = {"mark_failed", "entity_department", "entity_unit",
                                                 "self_department", "self_unit", NULL};

const char *js_profile_absent_severity(const js_profile *p, const char *sheet)
{
    const char *s = json_string_value(json_object_get(p->absent, sheet));
    if (!s)
        s = json_string_value(json_object_get(p->absent, "*"));
    return s ? s : "verify";
}

const char *js_profile_wording(const js_profile *p, const char *key)
{
    const char *s = json_string_value(json_object_get(p->wording, key));
    return s ? s : "";
}
size_t js_profile_lineage_count(const js_profile *p) { return p->nlineage; }
int js_profile_percent_decimals(const js_profile *p) { return p->percent_decimals; }

long js_profile_perf_option(const js_profile *p, const char *key, long dflt)
{
    json_t *v = p->performance ? json_object_get(p->performance, key) : NULL;
    return json_is_integer(v) ? (long)json_integer_value(v) : json_is_boolean(v) ? json_is_true(v) : dflt;
}
bool js_profile_strip_zeros(const js_profile *p) { return p->strip_zeros; }

long js_profile_perf_grade(const js_profile *p, const char *grade)
{
    json_t *g = p->performance ? json_object_get(json_object_get(p->performance, "grade_percent"), grade) : NULL;
    return json_is_integer(g) ? (long)json_integer_value(g) : -1;
}

size_t js_profile_perf_table(const js_profile *p, const js_perf_row **rows)
{
    *rows = p->perf_rows;
    return p->nperf_rows;
}

size_t js_profile_perf_labels(const js_profile *p, const char *key, const char **out, size_t max)
{
    json_t *list = p->performance ? json_object_get(p->performance, key) : NULL;
    size_t n = 0, i;
    json_t *v;
    json_array_foreach(list, i, v) if (n < max) out[n++] = json_string_value(v);
    return n;
}

bool js_profile_check_values(const js_profile *p, const char *key, size_t *n, const char **out,
                             size_t max)
{
    json_t *list = p->checks ? json_object_get(p->checks, key) : NULL;
    if (!list)
        return false;
    *n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) if (*n < max) out[(*n)++] = json_string_value(v);
    return true;
}
const char *js_profile_lineage(const js_profile *p, size_t i) { return p->lineage[i]; }

const char *js_profile_column_alias(const js_profile *p, const char *table, const char *name)
{
    return json_string_value(json_object_get(json_object_get(p->aliases, table), name));
}

static const char *dup_str(ctx *c, json_t *v, const char *dflt)
{
    if (!v)
        return dflt;
    if (!json_is_string(v))
        return NULL;
    return js_arena_strdup(&c->p->arena, json_string_value(v));
}

/* Bitmask from a list of names of a vocabulary. */
static js_status names_mask(ctx *c, json_t *list, const char *key, const char *const *names,
                            int n, uint32_t *mask)
{
    if (!json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > JS_MAX_FILTER_VALUES)
        return bad(c, "过滤条件「%s」应为非空的名称列表", key);
    uint32_t m = 0;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        int k = json_is_string(v) ? js_vocab_find(names, n, json_string_value(v)) : -1;
        if (k < 0)
            return js_diag_set(c->d, JS_E_INPUT, c->file, 0, 0, NULL,
                               "过滤条件「%s」中的 '%s' 不是允许的值", key,
                               json_is_string(v) ? json_string_value(v) : "?");
        m |= 1u << k;
    }
    *mask = *mask ? (*mask & m) : m;
    if (*mask == 0)
        return bad(c, "过滤条件「%s」与引用的条件没有交集", key);
    return JS_OK;
}

/* Reads a list of code strings whose lengths are in `lengths` (a bit per
 * digit count) into an arena array. */
static js_status code_list(ctx *c, json_t *list, const char *key, unsigned lengths, size_t max,
                           js_prefix **out, size_t *n)
{
    if (!json_is_array(list) || json_array_size(list) > max)
        return bad(c, "「%s」应为编码列表", key);
    js_prefix *p = js_arena_alloc(&c->p->arena, sizeof *p * (json_array_size(list) + 1));
    if (!p)
        return js_diag_set(c->d, JS_E_NOMEM, c->file, 0, 0, NULL, "内存不足");
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        size_t len = strlen(s);
        if (len < 1 || len > 7 || !(lengths & (1u << len)) || strspn(s, "0123456789") != len)
            return js_diag_set(c->d, JS_E_INPUT, c->file, 0, 0, NULL, "「%s」中的 '%s' 不是有效编码",
                               key, s);
        p[i].code = (uint32_t)strtoul(s, NULL, 10);
        p[i].digits = (uint8_t)len;
    }
    *out = p;
    *n = json_array_size(list);
    return JS_OK;
}

static js_status prefixes(ctx *c, json_t *list, const char *key, js_prefix **out, uint8_t *n)
{
    if (*n)
        return bad(c, "过滤条件「%s」不能与引用的条件重复设置", key);
    if (json_is_array(list) && json_array_size(list) == 0)
        return bad(c, "过滤条件「%s」应为非空的编码列表", key);
    size_t count;
    js_status st = code_list(c, list, key, 0xfe, JS_MAX_FILTER_VALUES, out, &count);
    *n = (uint8_t)count;
    return st;
}

static js_status parse_filter(ctx *c, json_t *obj, js_filter *f, int depth);

static js_status use_measure(ctx *c, json_t *v, js_filter *f, int depth)
{
    if (depth > 4)
        return bad(c, "%s", "引用（use）嵌套过深");
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) {
            js_status st = use_measure(c, e, f, depth);
            if (st != JS_OK)
                return st;
        }
        return JS_OK;
    }
    if (!json_is_string(v))
        return bad(c, "%s", "「use」应为口径名称或名称列表");
    json_t *m = json_object_get(c->p->measures, json_string_value(v));
    if (!m)
        return bad(c, "没有名为 '%s' 的口径（measures）", json_string_value(v));
    return parse_filter(c, m, f, depth + 1);
}

static js_status parse_filter(ctx *c, json_t *obj, js_filter *f, int depth)
{
    if (!obj)
        return JS_OK;
    if (!json_is_object(obj))
        return bad(c, "%s", "过滤条件应为对象");
    const char *key;
    json_t *v;
    js_status st = JS_OK;
    json_object_foreach(obj, key, v) {
        if (!strcmp(key, "use"))
            st = use_measure(c, v, f, depth);
        else if (!strcmp(key, "source"))
            st = names_mask(c, v, key, js_source_names, JS_SRC_COUNT, &f->sources);
        else if (!strcmp(key, "fund"))
            st = names_mask(c, v, key, js_fund_names, JS_FUND_COUNT, &f->funds);
        else if (!strcmp(key, "spend"))
            st = names_mask(c, v, key, js_spend_names, JS_SPEND_COUNT, &f->spends);
        else if (!strcmp(key, "item"))
            st = names_mask(c, v, key, js_sg_item_names, JS_SG_COUNT, &f->items);
        else if (!strcmp(key, "unit_kind"))
            st = names_mask(c, v, key, js_unit_kind_names, JS_UNIT_KIND_COUNT, &f->unit_kinds);
        else if (!strcmp(key, "func"))
            st = prefixes(c, v, key, &f->func_in, &f->nfunc_in);
        else if (!strcmp(key, "func_not"))
            st = prefixes(c, v, key, &f->func_out, &f->nfunc_out);
        else if (!strcmp(key, "econ"))
            st = prefixes(c, v, key, &f->econ_in, &f->necon_in);
        else if (!strcmp(key, "econ_not"))
            st = prefixes(c, v, key, &f->econ_out, &f->necon_out);
        else
            st = bad(c, "未知的过滤条件「%s」", key);
        if (st != JS_OK)
            return st;
    }
    return JS_OK;
}

static js_status parse_column(ctx *c, json_t *o, js_coldef *col)
{
    if (!json_is_object(o))
        return bad(c, "%s", "列定义应为对象");
    if (known_keys(c, o, "列定义", k_column_keys) != JS_OK)
        return c->d ? c->d->status : JS_E_INPUT;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    static const char *const kinds[] = {"amount", "label", "code", "rowno"};
    int k = kind ? js_vocab_find(kinds, 4, kind) : 0;
    if (k < 0)
        return bad(c, "未知的列类型 '%s'", kind);
    col->kind = (js_colkind)k;
    col->key = dup_str(c, json_object_get(o, "key"), NULL);
    col->no = dup_str(c, json_object_get(o, "no"), "");
    if (!col->key || !col->no)
        return bad(c, "%s", "列须有字符串「key」");
    json_t *h = json_object_get(o, "heading");
    if (!json_is_array(h) || json_array_size(h) == 0 || json_array_size(h) > JS_MAX_HEADING_DEPTH)
        return bad(c, "列「%s」的 heading 应为 1 至 4 个字符串", col->key);
    size_t i;
    json_t *v;
    json_array_foreach(h, i, v) {
        col->heading[i] = dup_str(c, v, NULL);
        if (!col->heading[i])
            return bad(c, "列「%s」的 heading 应为字符串", col->key);
    }
    col->depth = (int)json_array_size(h);
    return parse_filter(c, json_object_get(o, "filter"), &col->filter, 0);
}

static int get_int(json_t *o, const char *key, int dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

static js_status parse_codes(ctx *c, json_t *list, js_rowdef *r)
{
    if (!list)
        return JS_OK;
    size_t n;
    js_status st = code_list(c, list, "codes", (1u << 3) | (1u << 5) | (1u << 7), 4096, &r->codes, &n);
    r->ncodes = (int)n;
    r->keep_empty = true;
    return st;
}

static js_status parse_row(ctx *c, json_t *o, js_rowdef *r)
{
    if (!json_is_object(o))
        return bad(c, "%s", "行定义应为对象");
    if (known_keys(c, o, "行定义", k_row_keys) != JS_OK)
        return c->d ? c->d->status : JS_E_INPUT;
    const char *kind = json_string_value(json_object_get(o, "kind"));
    static const char *const kinds[] = {"item", "blank", "sum", "total", "functional", "economic"};
    int k = kind ? js_vocab_find(kinds, 6, kind) : 0;
    if (k < 0)
        return bad(c, "未知的行类型 '%s'", kind);
    r->kind = (js_rowkind)k;
    r->rowno = get_int(o, "row", 0);
    r->through = get_int(o, "through", r->rowno);
    if (r->rowno < 0 || r->rowno > 100000 || r->through < r->rowno || r->through > 100000)
        return bad(c, "%s", "行次（row/through）无效");
    r->label = dup_str(c, json_object_get(o, "label"), "");
    if (!r->label)
        return bad(c, "%s", "label 应为字符串");
    r->numbered = json_is_true(json_object_get(o, "numbered"));
    r->keep_empty = json_is_true(json_object_get(o, "keep_empty"));
    json_t *levels = json_object_get(o, "levels");
    if (levels) {
        size_t i;
        json_t *v;
        if (!json_is_array(levels))
            return bad(c, "%s", "levels 应为列表，如 [3,5,7]");
        json_array_foreach(levels, i, v) {
            json_int_t l = json_is_integer(v) ? json_integer_value(v) : 0;
            if (l != 3 && l != 5 && l != 7)
                return bad(c, "%s", "levels 只能包含 3、5、7");
            r->levels |= (uint8_t)(1u << l);
        }
    } else {
        r->levels = r->kind == JS_ROWK_ECONOMIC ? (1u << 3) | (1u << 5) : 1u << 7;
    }
    json_t *of = json_object_get(o, "of");
    if (r->kind == JS_ROWK_SUM) {
        if (!json_is_array(of) || json_array_size(of) == 0 || json_array_size(of) > 64)
            return bad(c, "%s", "sum 行须有 of（行次列表）");
        r->of = js_arena_alloc(&c->p->arena, sizeof(int) * json_array_size(of));
        if (!r->of)
            return js_diag_set(c->d, JS_E_NOMEM, c->file, 0, 0, NULL, "内存不足");
        size_t i;
        json_t *v;
        json_array_foreach(of, i, v) r->of[i] = json_is_integer(v) ? (int)json_integer_value(v) : -1;
        r->nof = (int)json_array_size(of);
    }
    js_status st = parse_codes(c, json_object_get(o, "codes"), r);
    if (st != JS_OK)
        return st;
    return parse_filter(c, json_object_get(o, "filter"), &r->filter, 0);
}

static js_status parse_block(ctx *c, json_t *o, js_blockdef *b)
{
    b->heading = dup_str(c, json_object_get(o, "heading"), "");
    json_t *cols = json_object_get(o, "columns"), *rows = json_object_get(o, "rows");
    if (!b->heading || !json_is_array(cols) || !json_is_array(rows) ||
        json_array_size(cols) == 0 || json_array_size(cols) > JS_MAX_TABLE_COLUMNS ||
        json_array_size(rows) > 4096)
        return bad(c, "%s", "表块须有 columns（1 至 32 列）和 rows");
    b->ncols = (int)json_array_size(cols);
    b->nrows = (int)json_array_size(rows);
    b->cols = js_arena_alloc(&c->p->arena, sizeof *b->cols * (size_t)b->ncols);
    b->rows = js_arena_alloc(&c->p->arena, sizeof *b->rows * (size_t)b->nrows + 1);
    if (!b->cols || !b->rows)
        return js_diag_set(c->d, JS_E_NOMEM, c->file, 0, 0, NULL, "内存不足");
    for (int i = 0; i < b->ncols; i++) {
        js_status st = parse_column(c, json_array_get(cols, (size_t)i), &b->cols[i]);
        if (st != JS_OK)
            return st;
        for (int j = 0; j < i; j++)
            if (!strcmp(b->cols[j].key, b->cols[i].key))
                return bad(c, "列 key '%s' 重复", b->cols[i].key);
    }
    for (int i = 0; i < b->nrows; i++) {
        js_status st = parse_row(c, json_array_get(rows, (size_t)i), &b->rows[i]);
        if (st != JS_OK)
            return st;
    }
    return JS_OK;
}

static js_status parse_table(ctx *c, json_t *o, const char *id, js_tabledef *t)
{
    if (!json_is_object(o))
        return bad(c, "%s", "表定义应为 JSON 对象");
    memset(t, 0, sizeof *t);
    if (known_keys(c, o, "表定义", k_table_keys) != JS_OK)
        return c->d ? c->d->status : JS_E_INPUT;
    t->id = js_arena_strdup(&c->p->arena, id);
    t->number = dup_str(c, json_object_get(o, "number"), "");
    t->title = dup_str(c, json_object_get(o, "title"), "");
    t->unit_label = dup_str(c, json_object_get(o, "unit_label"), "金额单位：万元");
    t->note = dup_str(c, json_object_get(o, "note"), "");
    t->empty_text = dup_str(c, json_object_get(o, "empty_text"), "");
    if (!t->id || !t->number || !t->title || !t->unit_label || !t->note || !t->empty_text)
        return bad(c, "%s", "number、title、unit_label、note、empty_text 应为字符串");
    json_t *au = json_object_get(o, "amount_unit");
    if (au && (!json_is_string(au) || (strcmp(json_string_value(au), "元") && strcmp(json_string_value(au), "万元"))))
        return bad(c, "%s", "amount_unit 应为 \"元\" 或 \"万元\"");
    t->yuan = au && !strcmp(json_string_value(au), "元");
    js_status st = parse_filter(c, json_object_get(o, "filter"), &t->filter, 0);
    if (st != JS_OK)
        return st;
    json_t *ew = json_object_get(o, "empty_when");
    if (ew) {
        t->has_empty_when = true;
        if ((st = parse_filter(c, ew, &t->empty_when, 0)) != JS_OK)
            return st;
    }
    json_t *blocks = json_object_get(o, "blocks");
    if (blocks) {
        if (!json_is_array(blocks) || json_array_size(blocks) == 0 ||
            json_array_size(blocks) > JS_MAX_BLOCKS)
            return bad(c, "%s", "blocks 应为 1 至 4 个表块");
        t->nblocks = (int)json_array_size(blocks);
        for (int i = 0; i < t->nblocks; i++) {
            json_t *bo = json_array_get(blocks, (size_t)i);
            if (!json_is_object(bo))
                return bad(c, "%s", "表块应为对象");
            if ((st = known_keys(c, bo, "表块", k_block_keys)) != JS_OK ||
                (st = parse_block(c, bo, &t->blocks[i])) != JS_OK)
                return st;
        }
    } else {
        t->nblocks = 1;
        if ((st = parse_block(c, o, &t->blocks[0])) != JS_OK)
            return st;
    }
    json_t *foot = json_object_get(o, "footer");
    if (foot) {
        if (!json_is_array(foot) || json_array_size(foot) > 8)
            return bad(c, "%s", "footer 应为列表");
        t->nfooters = (int)json_array_size(foot);
        t->footers = js_arena_alloc(&c->p->arena, sizeof *t->footers * (size_t)t->nfooters + 1);
        if (!t->footers)
            return js_diag_set(c->d, JS_E_NOMEM, c->file, 0, 0, NULL, "内存不足");
        for (int i = 0; i < t->nfooters; i++) {
            json_t *f = json_array_get(foot, (size_t)i);
            js_footdef *fd = &t->footers[i];
            if (!json_is_object(f) || (st = known_keys(c, f, "footer", k_footer_keys)) != JS_OK)
                return json_is_object(f) ? st : bad(c, "%s", "footer 的每项应为对象");
            fd->block = get_int(f, "block", -1);
            fd->label = dup_str(c, json_object_get(f, "label"), "");
            if (fd->block < 0 || fd->block >= t->nblocks || !fd->label)
                return bad(c, "%s", "footer 须有有效的 block 和 label");
            if ((st = parse_filter(c, json_object_get(f, "filter"), &fd->filter, 0)) != JS_OK)
                return st;
        }
    }
    return JS_OK;
}

static json_t *load_json(const char *path, js_diag *d)
{
    char *data;
    size_t len;
    if (js_read_file(path, JS_MAX_JSON_BYTES, &data, &len, d) != JS_OK)
        return NULL;
    json_error_t err;
    json_t *j = js_json_read(data, len, &err);
    free(data);
    if (!j)
        js_diag_set(d, JS_E_INPUT, path, err.line, err.column, NULL, "JSON 格式错误：%s", err.text);
    return j;
}

static js_status add_table(js_profile *p, json_t *o, const char *id, const char *file, js_diag *d)
{
    if (p->ntables == JS_MAX_TABLES)
        return js_diag_set(d, JS_E_LIMIT, file, 0, 0, NULL, "表超过 %d 张", JS_MAX_TABLES);
    js_tabledef *nt = realloc(p->tables, sizeof *nt * (p->ntables + 1));
    if (!nt)
        return js_diag_set(d, JS_E_NOMEM, file, 0, 0, NULL, "内存不足");
    p->tables = nt;
    ctx c = {p, file, d};
    js_status st = parse_table(&c, o, id, &p->tables[p->ntables]);
    if (st == JS_OK)
        p->ntables++;
    return st;
}

js_status js_profile_parse_table(js_profile *p, const char *name, const char *json, size_t len,
                                 js_diag *d)
{
    json_error_t err;
    json_t *j = js_json_read(json, len, &err);
    if (!j)
        return js_diag_set(d, JS_E_INPUT, name, err.line, err.column, NULL, "JSON 格式错误：%s",
                           err.text);
    js_status st = add_table(p, j, name, name, d);
    json_decref(j);
    return st;
}

/* Reads profile `name` and its ancestors: chain[0] is the profile itself. */
static js_status load_chain(const char *datadir, const char *name, json_t **chain, char **dirs,
                            int *n, js_diag *d)
{
    for (*n = 0; name; (*n)++) {
        if (*n == JS_MAX_PROFILE_DEPTH)
            return js_diag_set(d, JS_E_INPUT, name, 0, 0, NULL, "配置继承层级过深（或循环继承）");
        if (!*name || strchr(name, '/') || strchr(name, '.'))
            return js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "配置名称 '%s' 无效", name);
        size_t len = strlen(datadir) + strlen(name) + 32;
        dirs[*n] = malloc(len);
        if (!dirs[*n])
            return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        snprintf(dirs[*n], len, "%s/profiles/%s", datadir, name);
        char path[4096];
        snprintf(path, sizeof path, "%s/profile.json", dirs[*n]);
        struct stat st;
        bool absent = stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
        chain[*n] = load_json(path, d);
        if (!chain[*n]) {
            if (absent) /* one that is there but cannot be read is named with the reason */
                return js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "没有名为 '%s' 的配置（%s）",
                                   name, dirs[*n]);
            return d ? d->status : JS_E_INPUT;
        }
        json_t *inh = json_object_get(chain[*n], "inherits");
        name = json_is_string(inh) ? json_string_value(inh) : NULL;
    }
    return JS_OK;
}

/* A message about row i (0-based) of the 自评表's layout. */
static js_status bad_row(ctx *c, const char *fmt, size_t i)
{
    char row[24];
    snprintf(row, sizeof row, "%zu", i + 1);
    return bad(c, fmt, row);
}

/* One cell of row i of the 自评表's layout: a text, or an object with a
 * text or a field. */
static js_status perf_cell(ctx *c, json_t *v, size_t i, js_perf_cell *cell)
{
    memset(cell, 0, sizeof *cell);
    cell->span = 1;
    if (json_is_string(v)) {
        cell->text = dup_str(c, v, NULL);
        return JS_OK;
    }
    if (json_is_object(v) && known_keys(c, v, "perf_table 的单元格", k_perf_cell_keys) != JS_OK)
        return JS_E_INPUT;
    json_t *span = json_object_get(v, "span"), *merge = json_object_get(v, "merge");
    cell->text = dup_str(c, json_object_get(v, "text"), NULL);
    cell->field = dup_str(c, json_object_get(v, "field"), NULL);
    cell->options = dup_str(c, json_object_get(v, "options"), NULL);
    cell->blank = dup_str(c, json_object_get(v, "blank"), NULL);
    cell->not_applicable = dup_str(c, json_object_get(v, "not_applicable"), NULL);
    cell->merge = json_is_true(merge);
    if (span)
        cell->span = json_is_integer(span) ? (int)json_integer_value(span) : 0;
    if (!json_is_object(v) || !cell->text == !cell->field || cell->span < 1 || cell->span > JS_PERF_TABLE_COLS ||
        (merge && !json_is_boolean(merge)))
        return bad_row(c, "perf_table 第 %s 行的单元格应为文字，或 {\"text\" 或 \"field\", \"span\": 1-7, …}", i);
    return JS_OK;
}

/* The 自评表's layout: an array of rows {for, when, head, each, cells}. */
static js_status perf_table(ctx *c, json_t *rows)
{
    js_profile *p = c->p;
    if (!json_is_array(rows) || json_array_size(rows) > JS_PERF_TABLE_ROWS ||
        !(p->perf_rows = js_arena_alloc(&p->arena, sizeof *p->perf_rows * (json_array_size(rows) + 1))))
        return bad(c, "%s", "perf_table 应为至多 64 行的数组");
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        js_perf_row *r = &p->perf_rows[p->nperf_rows++];
        memset(r, 0, sizeof *r);
        if (!json_is_object(row))
            return bad_row(c, "perf_table 第 %s 行应为对象", i);
        if (known_keys(c, row, "perf_table 的行", k_perf_row_keys) != JS_OK)
            return JS_E_INPUT;
        json_t *cells = json_object_get(row, "cells"), *only = json_object_get(row, "for"),
               *each = json_object_get(row, "each"), *when = json_object_get(row, "when");
        const char *o = json_string_value(only), *e = json_string_value(each);
        r->only = !only ? JS_PERF_FOR_ALL : o && !strcmp(o, "whole") ? JS_PERF_FOR_WHOLE : JS_PERF_FOR_PROJECT;
        r->when = dup_str(c, when, NULL);
        r->head = json_is_true(json_object_get(row, "head"));
        r->each_indicator = e && !strcmp(e, "indicator");
        if ((only && !(o && (!strcmp(o, "whole") || !strcmp(o, "project")))) || (each && !r->each_indicator) ||
            (when && !r->when) || !json_is_array(cells) || !json_array_size(cells))
            return bad_row(c, "perf_table 第 %s 行应为 {\"for\": \"whole\"|\"project\", \"when\": 字段, "
                              "\"head\": true, \"each\": \"indicator\", \"cells\": […]}", i);
        js_perf_cell *cell = js_arena_alloc(&p->arena, sizeof *cell * json_array_size(cells));
        if (!cell)
            return js_diag_set(c->d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        r->cells = cell;
        int width = 0;
        size_t k;
        json_t *v;
        json_array_foreach(cells, k, v) {
            if (perf_cell(c, v, i, &cell[k]) != JS_OK)
                return JS_E_INPUT;
            width += cell[k].span;
            r->ncells++;
        }
        if (width > JS_PERF_TABLE_COLS)
            return bad_row(c, "perf_table 第 %s 行超过 7 列", i);
    }
    return JS_OK;
}

/* First value of key along the chain (child first). */
static json_t *chain_get(json_t **chain, int n, const char *key)
{
    for (int i = 0; i < n; i++) {
        json_t *v = json_object_get(chain[i], key);
        if (v)
            return v;
    }
    return NULL;
}

/* Whether the profile whose chain (itself, then its ancestors) is given
 * is a budget profile ("phase" of the nearest that says). */
static bool phase_budget(json_t **chain, int n)
{
    json_t *phase = chain_get(chain, n, "phase");
    return json_is_string(phase) && !strcmp(json_string_value(phase), "budget");
}

/* Merges the object key of every profile of the chain into into, ancestors
 * first so that children override; false when one is not an object or a
 * merged value fails valid (NULL: any value). */
static bool merge_chain(json_t **chain, int n, const char *key, json_t *into, bool (*valid)(const json_t *))
{
    for (int i = n - 1; i >= 0; i--) {
        json_t *o = json_object_get(chain[i], key);
        if (o && (!json_is_object(o) || json_object_update(into, o) != 0))
            return false;
    }
    const char *k;
    json_t *v;
    json_object_foreach(into, k, v) if (valid && !valid(v)) return false;
    return true;
}

static bool is_text(const json_t *v) { return json_is_string(v); }

/* {name: name} of one table's column aliases */
static bool is_alias_map(const json_t *v)
{
    const char *k;
    json_t *x;
    if (!json_is_object(v))
        return false;
    json_object_foreach((json_t *)v, k, x) if (!json_string_length(x) || !*k) return false;
    return true;
}

static bool is_severity(const json_t *v)
{
    const char *s = json_string_value(v);
    return s && (!strcmp(s, "error") || !strcmp(s, "verify") || !strcmp(s, "info"));
}

js_profile *js_profile_load(const char *datadir, const char *name, js_diag *d)
{
    json_t *chain[JS_MAX_PROFILE_DEPTH] = {0};
    char *dirs[JS_MAX_PROFILE_DEPTH] = {0};
    int n = 0;
    js_profile *p = NULL;
    js_status st = load_chain(datadir, name, chain, dirs, &n, d);
    if (st != JS_OK)
        goto out;
    p = js_profile_new(name);
    if (!p) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        goto out;
    }
    ctx c = {p, dirs[0], d};
    for (int k = 0; k < n; k++) {
        c.file = dirs[k];
        if (!json_is_object(chain[k]) || known_keys(&c, chain[k], "profile.json ", k_profile_keys) != JS_OK) {
            if (!json_is_object(chain[k]))
                bad(&c, "%s", "profile.json 应为 JSON 对象");
            goto fail;
        }
    }
    c.file = dirs[0];
    for (int k = 1; k < n; k++) {
        json_t *inh = json_object_get(chain[k - 1], "inherits");
        p->lineage[p->nlineage++] = js_arena_strdup(&p->arena, json_string_value(inh));
    }
    p->title = dup_str(&c, chain_get(chain, n, "title"), p->name);
    p->zero = dup_str(&c, chain_get(chain, n, "zero"), "");
    if (!p->title || !p->zero) {
        bad(&c, "%s", "profile.json 的 title、zero 应为字符串");
        goto fail;
    }
    json_t *phase = chain_get(chain, n, "phase");
    if (phase && (!json_is_string(phase) ||
                  (strcmp(json_string_value(phase), "budget") && strcmp(json_string_value(phase), "final")))) {
        bad(&c, "%s", "phase 应为 \"budget\"（预算公开）或 \"final\"（决算公开）");
        goto fail;
    }
    p->budget = phase && !strcmp(json_string_value(phase), "budget");
    json_t *days = chain_get(chain, n, "publication_days");
    p->publication_days = days ? (int)json_integer_value(days) : 20;
    if (days && (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 366)) {
        bad(&c, "%s", "publication_days 应为 1 到 366 之间的整数（批复后公开的法定天数）");
        goto fail;
    }
    if (!merge_chain(chain, n, "measures", p->measures, NULL)) {
        bad(&c, "%s", "measures 应为对象");
        goto fail;
    }
    if (!merge_chain(chain, n, "wording", p->wording, is_text)) {
        bad(&c, "%s", "wording 应为 {名称: 文字} 对象");
        goto fail;
    }
    if (!merge_chain(chain, n, "column_aliases", p->aliases, is_alias_map)) {
        bad(&c, "%s", "column_aliases 应为 {表号: {上级配置的列名: 本配置的列名}} 对象");
        goto fail;
    }
    if (!merge_chain(chain, n, "absent", p->absent, is_severity)) {
        bad(&c, "%s", "absent 应为 {工作表: \"error\"|\"verify\"|\"info\"} 对象");
        goto fail;
    }
    for (int k = 0; k_required_wording[k]; k++)
        if (!json_string_length(json_object_get(p->wording, k_required_wording[k]))) {
            bad(&c, "wording 缺少「%s」", k_required_wording[k]);
            goto fail;
        }
    json_t *narr = chain_get(chain, n, "narrative");
    if (narr) {
        json_t *pd = json_object_get(narr, "percent_decimals"), *sz = json_object_get(narr, "strip_zeros");
        if (!json_is_object(narr) || known_keys(&c, narr, "narrative ", k_narrative_keys) != JS_OK ||
            (pd && (!json_is_integer(pd) || json_integer_value(pd) < 0 || json_integer_value(pd) > 6)) ||
            (sz && !json_is_boolean(sz))) {
            bad(&c, "%s", "narrative 应为 {\"percent_decimals\": 0-6, \"strip_zeros\": true|false}");
            goto fail;
        }
        if (pd)
            p->percent_decimals = (int)json_integer_value(pd);
        if (sz)
            p->strip_zeros = json_is_true(sz);
    }
    json_t *perf = chain_get(chain, n, "performance");
    if (perf) {
        const char *key;
        json_t *v;
        if (!json_is_object(perf) || known_keys(&c, perf, "performance ", k_perf_keys) != JS_OK) {
            if (!json_is_object(perf))
                bad(&c, "%s", "performance 应为对象");
            goto fail;
        }
        json_object_foreach(perf, key, v)
        {
            if (!strncmp(key, "project_", 8)) { /* the 自评表's checkbox options */
                bool ok = json_is_array(v) && json_array_size(v) > 0 && json_array_size(v) <= JS_PERF_MAX_OPTIONS;
                size_t i;
                json_t *o;
                json_array_foreach(v, i, o) ok = ok && json_is_string(o) && json_string_length(o) > 0;
                if (!ok) {
                    bad(&c, "performance 的「%s」应为 1 至 8 个非空文字的数组", key); /* JS_PERF_MAX_OPTIONS */
                    goto fail;
                }
            } else if (!strcmp(key, "grade_percent")) { /* {等级: 0-100} */
                bool ok = json_is_object(v) && json_object_size(v) > 0;
                const char *g;
                json_t *pct;
                json_object_foreach(v, g, pct) ok = ok && json_is_integer(pct) && json_integer_value(pct) >= 0 &&
                                                     json_integer_value(pct) <= 100;
                if (!ok) {
                    bad(&c, "%s", "performance 的「grade_percent」应为 {等级: 0 至 100 的整数}");
                    goto fail;
                }
            } else if (!json_is_integer(v) && !json_is_boolean(v)) {
                bad(&c, "performance 的「%s」应为整数或 true/false", key);
                goto fail;
            }
        }
        p->performance = json_incref(perf);
    }
    json_t *layout = chain_get(chain, n, "perf_table");
    if (!layout) {
        bad(&c, "%s", "缺少 perf_table（绩效自评表的版式）");
        goto fail;
    }
    if (perf_table(&c, layout) != JS_OK)
        goto fail;
    json_t *checks = chain_get(chain, n, "checks");
    if (checks) {
        const char *key;
        json_t *list, *v;
        size_t i;
        if (!json_is_object(checks)) {
            bad(&c, "%s", "checks 应为对象");
            goto fail;
        }
        json_object_foreach(checks, key, list) {
            if (!json_is_array(list)) {
                bad(&c, "checks 的「%s」应为字符串列表", key);
                goto fail;
            }
            json_array_foreach(list, i, v) if (!json_is_string(v))
            {
                bad(&c, "checks 的「%s」应为字符串列表", key);
                goto fail;
            }
        }
        p->checks = json_incref(checks);
    }
    json_t *tables = chain_get(chain, n, "tables");
    if (!json_is_array(tables) || json_array_size(tables) == 0) {
        bad(&c, "%s", "profile.json 须列出 tables");
        goto fail;
    }
    size_t i;
    json_t *idv;
    json_array_foreach(tables, i, idv) {
        const char *id = json_string_value(idv);
        if (!id || !*id || strchr(id, '/') || strchr(id, '.')) {
            bad(&c, "%s", "tables 中的表编号无效");
            goto fail;
        }
        json_t *merged = json_object();
        char file[4096] = "";
        /* a profile with "own_tables" defines its tables whole: nothing of
         * an ancestor's file of the same id is merged into them */
        int top = 0;
        while (top < n - 1 && !json_is_true(json_object_get(chain[top], "own_tables")))
            top++;
        for (int k = top; k >= 0; k--) {
            /* tables are inherited within one phase only: a budget
             * profile's 05 is not a 决算 05 with some keys replaced */
            if (phase_budget(chain + k, n - k) != p->budget)
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/tables/%s.json", dirs[k], id);
            struct stat fst;
            if (stat(path, &fst) != 0 && errno == ENOENT) /* a parent's definition, when this one is not there */
                continue;
            json_t *t = load_json(path, d);
            if (!t || !json_is_object(t) || json_object_update(merged, t) != 0) {
                if (t && !json_is_object(t))
                    js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "表定义应为 JSON 对象");
                json_decref(t);
                json_decref(merged);
                goto fail;
            }
            json_decref(t);
            snprintf(file, sizeof file, "%s", path);
        }
        if (!file[0]) {
            json_decref(merged);
            js_diag_set(d, JS_E_INPUT, dirs[0], 0, 0, NULL, "找不到表 %s 的定义（tables/%s.json）", id, id);
            goto fail;
        }
        st = add_table(p, merged, id, file, d);
        json_decref(merged);
        if (st != JS_OK)
            goto fail;
    }
    goto out;
fail:
    js_profile_free(p);
    p = NULL;
out:
    for (int k = 0; k < JS_MAX_PROFILE_DEPTH; k++) {
        json_decref(chain[k]);
        free(dirs[k]);
    }
    return p;
}
