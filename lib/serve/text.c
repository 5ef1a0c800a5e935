/* The wording engine of text.h: data/portal/text.json checked against the
 * declarations of text_keys.h, and texts written out with their named
 * arguments. */
#include "text.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *key, *args;
} text_decl;

static const text_decl decls[T_COUNT] = {
#define TEXT(id, key, args) {key, args},
#include "text_keys.h"
#undef TEXT
};

/* Parses a declaration's "name:t name:t" into t. */
static void declare(js_text *t, const char *args)
{
    t->nargs = 0;
    for (const char *p = args; *p && t->nargs < TEXT_MAX_ARGS;) {
        while (*p == ' ')
            p++;
        const char *colon = strchr(p, ':');
        if (!*p || !colon)
            break;
        snprintf(t->name[t->nargs], sizeof t->name[0], "%.*s", (int)(colon - p), p);
        t->type[t->nargs++] = colon[1];
        p = colon + 2;
    }
}

static int arg_index(const js_text *t, const char *name, size_t n)
{
    for (int i = 0; i < t->nargs; i++)
        if (strlen(t->name[i]) == n && !memcmp(t->name[i], name, n))
            return i;
    return -1;
}

/* Every {name} of s is declared, and every declared name used. */
static js_status check_args(const js_text *t, size_t k, const char *s, const char *path, js_diag *d)
{
    bool used[TEXT_MAX_ARGS] = {false};
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        const char *e = strchr(p, '}');
        int i = e ? arg_index(t, p + 1, (size_t)(e - p - 1)) : -1;
        if (i < 0)
            return js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "文字「%s」中的「%.*s」不是它的参数（可用：%s）",
                               decls[k].key, e ? (int)(e - p + 1) : 1, p, *decls[k].args ? decls[k].args : "无");
        used[i] = true;
    }
    for (int i = 0; i < t->nargs; i++)
        if (!used[i])
            return js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "文字「%s」没有用到参数「{%s}」", decls[k].key, t->name[i]);
    return JS_OK;
}

js_status text_load(js_text *texts, const char *path, js_diag *d)
{
    memset(texts, 0, T_COUNT * sizeof *texts);
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root)
        return js_diag_set(d, JS_E_INPUT, path, err.line, 0, NULL, "无法读取页面文字：%s", err.text);
    js_status st = json_is_object(root) ? JS_OK
                 : js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "页面文字应为一个对象（键 → 文字）");
    for (size_t k = 0; k < T_COUNT && st == JS_OK; k++) {
        const char *s = json_string_value(json_object_get(root, decls[k].key));
        if (!s) {
            st = js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "缺少页面文字「%s」（或它不是字符串）", decls[k].key);
            break;
        }
        declare(&texts[k], decls[k].args);
        int declared = 0;
        for (const char *p = decls[k].args; *p; p++)
            declared += *p == ':';
        if (declared > TEXT_MAX_ARGS) {
            st = js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "文字「%s」声明的参数超过 %d 个", decls[k].key,
                             TEXT_MAX_ARGS);
            break;
        }
        st = check_args(&texts[k], k, s, path, d);
        if (st == JS_OK && !(texts[k].s = strdup(s)))
            st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (st != JS_OK)
            break;
        size_t k = 0;
        while (k < T_COUNT && strcmp(decls[k].key, key))
            k++;
        if (k == T_COUNT)
            st = js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "页面文字「%s」不是程序使用的键（拼写有误？）", key);
    }
    json_decref(root);
    if (st != JS_OK)
        text_free(texts);
    return st;
}

void text_free(js_text *texts)
{
    for (size_t k = 0; k < T_COUNT; k++) {
        free(texts[k].s);
        texts[k].s = NULL;
    }
}

typedef union {
    long long i;
    size_t z;
    const char *s;
} arg_value;

static void collect(const js_text *t, va_list ap, arg_value *v)
{
    for (int i = 0; i < t->nargs; i++)
        switch (t->type[i]) {
        case 'd': v[i].i = va_arg(ap, int); break;
        case 'l': v[i].i = va_arg(ap, long long); break;
        case 'z': v[i].z = va_arg(ap, size_t); break;
        default: v[i].s = va_arg(ap, const char *); break;
        }
}

/* Writes t into b with the values v; html: escape 's' values. */
static void emit(js_buf *b, const js_text *t, const arg_value *v, bool html)
{
    const char *p = t->s ? t->s : "";
    for (const char *q; (q = strchr(p, '{'));) {
        js_buf_append(b, p, (size_t)(q - p));
        const char *e = strchr(q, '}');
        int i = e ? arg_index(t, q + 1, (size_t)(e - q - 1)) : -1;
        if (i < 0) { /* cannot be: text_load checked every brace */
            js_buf_puts(b, "{");
            p = q + 1;
            continue;
        }
        switch (t->type[i]) {
        case 'd': case 'l': js_buf_printf(b, "%lld", v[i].i); break;
        case 'z': js_buf_printf(b, "%zu", v[i].z); break;
        case 's':
            if (html)
                js_buf_html(b, v[i].s ? v[i].s : "", false);
            else
                js_buf_puts(b, v[i].s ? v[i].s : "");
            break;
        default: js_buf_puts(b, v[i].s ? v[i].s : ""); break;
        }
        p = e + 1;
    }
    js_buf_puts(b, p);
}

void tx(js_buf *b, const js_text *texts, text_id id, ...)
{
    arg_value v[TEXT_MAX_ARGS];
    va_list ap;
    va_start(ap, id);
    collect(&texts[id], ap, v);
    va_end(ap);
    emit(b, &texts[id], v, true);
}

const char *tx_str(const js_text *texts, text_id id)
{
    return texts[id].s ? texts[id].s : "";
}

const char *tx_msg(char *out, size_t cap, const js_text *texts, text_id id, ...)
{
    arg_value v[TEXT_MAX_ARGS];
    va_list ap;
    va_start(ap, id);
    collect(&texts[id], ap, v);
    va_end(ap);
    js_buf b;
    js_buf_init(&b, cap);
    emit(&b, &texts[id], v, false);
    snprintf(out, cap, "%.*s", (int)b.len, b.data ? b.data : "");
    js_buf_release(&b);
    return out;
}
