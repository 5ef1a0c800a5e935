/* The score's items as data: score.json of a profile (docs/score.md),
 * checked once when loaded so that scoring never meets a malformed item. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "juesuan/output.h"
#include "juesuan/score.h"
#include "score_internal.h"
#include "workbook_schema.h"

const char *const js_score_kind_names[JS_SCORE_KIND_COUNT] = {
    "published_within", "tables_complete", "inputs", "audit_errors", "verify_explained", "code_depth",
    "machine_readable",
};

typedef struct {
    const char *name;
    js_diag *d;
} pctx;

static js_status bad(pctx *c, const char *item, const char *fmt, const char *arg)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, arg);
    return item ? js_diag_set(c->d, JS_E_INPUT, c->name, 0, 0, NULL, "评分项 %s：%s", item, msg)
                : js_diag_set(c->d, JS_E_INPUT, c->name, 0, 0, NULL, "%s", msg);
}

/* Whether every key of o is one of keys (NULL-terminated); else the error. */
static js_status known_keys(pctx *c, const char *item, json_t *o, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        size_t i = 0;
        while (keys[i] && strcmp(keys[i], k))
            i++;
        if (!keys[i])
            return bad(c, item, "未知的键 '%s'", k);
    }
    return JS_OK;
}

static bool is_text(json_t *o, const char *key, bool required)
{
    json_t *v = json_object_get(o, key);
    return v ? json_is_string(v) && json_string_length(v) > 0 : !required;
}

/* One input of an "inputs" check: a sheet of the workbook, and a key and
 * column of a keyed sheet. */
static js_status check_input(pctx *c, const char *item, json_t *in)
{
    static const char *const keys[] = {"sheet", "key", "column", "label", NULL};
    if (!json_is_object(in))
        return bad(c, item, "%s", "inputs 的每项应为对象");
    js_status st = known_keys(c, item, in, keys);
    if (st != JS_OK)
        return st;
    if (!is_text(in, "sheet", true) || !is_text(in, "key", false) || !is_text(in, "column", false) ||
        !is_text(in, "label", false))
        return bad(c, item, "%s", "inputs 的 sheet 必填，sheet、key、column、label 应为非空文字");
    int s = js_sheet_index(json_string_value(json_object_get(in, "sheet")));
    if (s < 0)
        return bad(c, item, "工作簿没有工作表 '%s'", json_string_value(json_object_get(in, "sheet")));
    const char *col = json_string_value(json_object_get(in, "column"));
    if ((col || json_object_get(in, "key")) && !js_sheets[s].keyed)
        return bad(c, item, "工作表 %s 不是按项目填写的表，不能指定 key、column", js_sheets[s].file);
    bool found = !col;
    for (int k = 1; k < js_sheets[s].ncols && !found; k++)
        found = !strcmp(js_sheets[s].cols[k].name, col);
    return found ? JS_OK : bad(c, item, "工作表中没有列 '%s'", col);
}

static js_status check_check(pctx *c, const char *item, json_t *chk)
{
    static const char *const keys[] = {"kind", "inputs", "sections", "except", "table", "digits", NULL};
    if (!json_is_object(chk))
        return bad(c, item, "%s", "check 应为对象");
    js_status st = known_keys(c, item, chk, keys);
    if (st != JS_OK)
        return st;
    int kind = js_score_kind(chk);
    if (kind < 0)
        return bad(c, item, "%s", "check 的 kind 应为 published_within、tables_complete、inputs、audit_errors、"
                                  "verify_explained、code_depth 或 machine_readable");
    json_t *inputs = json_object_get(chk, "inputs"), *sections = json_object_get(chk, "sections");
    json_t *except = json_object_get(chk, "except");
    json_t *table = json_object_get(chk, "table"), *digits = json_object_get(chk, "digits");
    if (kind != JS_SCORE_INPUTS && (inputs || sections || except))
        return bad(c, item, "%s", "只有 inputs 类的检查有 inputs、sections、except");
    if (kind != JS_SCORE_CODE_DEPTH && (table || digits))
        return bad(c, item, "%s", "只有 code_depth 类的检查有 table、digits");
    if (kind == JS_SCORE_CODE_DEPTH) {
        json_int_t n = json_is_integer(digits) ? json_integer_value(digits) : 0;
        if (!is_text(chk, "table", true) || (n != 3 && n != 5 && n != 7))
            return bad(c, item, "%s", "code_depth 须有 table（表号）和 digits（3、5 或 7）");
    }
    if (kind == JS_SCORE_INPUTS) {
        if (!json_is_array(inputs) || (sections && !json_is_array(sections)) || (except && !json_is_array(except)))
            return bad(c, item, "%s", "inputs 类的检查须有 inputs 数组，sections、except 应为数组");
        if (json_array_size(inputs) > JS_SCORE_MAX_INPUTS)
            return bad(c, item, "%s", "inputs 过多");
        for (size_t i = 0; i < json_array_size(inputs); i++)
            if ((st = check_input(c, item, json_array_get(inputs, i))) != JS_OK)
                return st;
        for (size_t i = 0; i < json_array_size(sections) + json_array_size(except); i++) {
            size_t ns = json_array_size(sections);
            json_t *s = i < ns ? json_array_get(sections, i) : json_array_get(except, i - ns);
            if (!json_is_string(s) || !json_string_length(s))
                return bad(c, item, "%s", "sections、except 的每项应为非空文字（章节标题的一部分；sections 中 * 表示全部）");
        }
    }
    return JS_OK;
}

static js_status check_item(pctx *c, json_t *it, json_t *dims, json_t *seen)
{
    static const char *const keys[] = {"id", "dimension", "name", "weight", "source", "check", NULL};
    if (!json_is_object(it) || !is_text(it, "id", true))
        return bad(c, NULL, "%s", "items 的每项应为对象，并有 id");
    const char *id = json_string_value(json_object_get(it, "id"));
    js_status st = known_keys(c, id, it, keys);
    if (st != JS_OK)
        return st;
    if (json_object_get(seen, id))
        return bad(c, id, "%s", "id 重复");
    json_object_set_new(seen, id, json_true());
    if (!is_text(it, "dimension", true) || !is_text(it, "name", true) || !is_text(it, "source", true))
        return bad(c, id, "%s", "须有 dimension、name、source（非空文字）");
    const char *dim = json_string_value(json_object_get(it, "dimension"));
    bool known = false;
    for (size_t i = 0; i < json_array_size(dims) && !known; i++)
        known = !strcmp(json_string_value(json_array_get(dims, i)), dim);
    if (!known)
        return bad(c, id, "维度 '%s' 不在 dimensions 中", dim);
    json_t *w = json_object_get(it, "weight");
    if (!json_is_integer(w) || json_integer_value(w) < 0 || json_integer_value(w) > JS_SCORE_MAX_WEIGHT)
        return bad(c, id, "%s", "weight 应为 0 到 1000 之间的整数");
    return check_check(c, id, json_object_get(it, "check"));
}

static js_status check_root(pctx *c, json_t *root)
{
    static const char *const keys[] = {"version", "title", "gap_rules", "dimensions", "items", NULL};
    if (!json_is_object(root))
        return bad(c, NULL, "%s", "评分定义应为 JSON 对象");
    js_status st = known_keys(c, NULL, root, keys);
    if (st != JS_OK)
        return st;
    json_t *dims = json_object_get(root, "dimensions"), *items = json_object_get(root, "items");
    json_t *gaps = json_object_get(root, "gap_rules");
    if (!is_text(root, "version", true) || !is_text(root, "title", true))
        return bad(c, NULL, "%s", "评分定义须有 version 和 title");
    if (!json_is_array(dims) || !json_array_size(dims) || !json_is_array(items) || !json_array_size(items))
        return bad(c, NULL, "%s", "评分定义须有非空的 dimensions 和 items 数组");
    if (json_array_size(items) > JS_SCORE_MAX_ITEMS)
        return bad(c, NULL, "%s", "评分项过多");
    for (size_t i = 0; i < json_array_size(dims); i++)
        if (!json_is_string(json_array_get(dims, i)))
            return bad(c, NULL, "%s", "dimensions 的每项应为文字");
    if (gaps && !json_is_array(gaps))
        return bad(c, NULL, "%s", "gap_rules 应为规则编号的数组");
    for (size_t i = 0; i < json_array_size(gaps); i++)
        if (!json_is_string(json_array_get(gaps, i)))
            return bad(c, NULL, "%s", "gap_rules 的每项应为规则编号");
    json_t *seen = json_object();
    if (!seen)
        return js_diag_set(c->d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    for (size_t i = 0; i < json_array_size(items) && st == JS_OK; i++)
        st = check_item(c, json_array_get(items, i), dims, seen);
    json_decref(seen);
    return st;
}

int js_score_kind(json_t *check)
{
    const char *k = json_string_value(json_object_get(check, "kind"));
    for (int i = 0; k && i < JS_SCORE_KIND_COUNT; i++)
        if (!strcmp(js_score_kind_names[i], k))
            return i;
    return -1;
}

js_scoredef *js_scoredef_parse(const char *name, const char *json, size_t len, js_diag *d)
{
    json_error_t err;
    json_t *root = js_json_read(json, len, &err);
    if (!root) {
        js_diag_set(d, JS_E_INPUT, name, err.line, err.column, NULL, "JSON 格式错误：%s", err.text);
        return NULL;
    }
    pctx c = {name, d};
    js_scoredef *def = check_root(&c, root) == JS_OK ? malloc(sizeof *def) : NULL;
    if (!def) {
        if (!d || !d->status)
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        json_decref(root);
        return NULL;
    }
    def->root = root;
    return def;
}

js_scoredef *js_scoredef_load(const char *datadir, const js_profile *p, js_diag *d)
{
    for (size_t i = 0; i < js_profile_lineage_count(p); i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/profiles/%s/score.json", datadir, js_profile_lineage(p, i));
        FILE *probe = fopen(path, "rb");
        if (!probe)
            continue;
        fclose(probe);
        char *text;
        size_t len;
        if (js_read_file(path, JS_MAX_JSON_BYTES, &text, &len, d) != JS_OK)
            return NULL;
        js_scoredef *def = js_scoredef_parse(path, text, len, d);
        free(text);
        return def;
    }
    js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "配置 '%s' 及其上级配置都没有评分定义（score.json）",
                js_profile_name(p));
    return NULL;
}

void js_scoredef_free(js_scoredef *def)
{
    if (!def)
        return;
    json_decref(def->root);
    free(def);
}

const char *js_scoredef_version(const js_scoredef *def)
{
    return json_string_value(json_object_get(def->root, "version"));
}
