/* Classification dictionaries (see dict.h). */
#include "juesuan/dict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "csv.h"
#include "fileio.h"
#include "juesuan/limits.h"
#include "vec.h"

typedef struct {
    js_code *codes;     /* file order */
    size_t n, cap;
    uint32_t *slots;    /* hash index: index + 1 into codes, 0 empty */
    size_t nslots;      /* a power of two, at least twice n */
} code_list;

struct js_dict {
    int edition;
    js_arena arena;
    code_list lists[2];
    js_former_name *former; /* former.csv, when the edition has one */
    size_t nformer, formercap;
};

static const char *const k_kind_name[2] = {"功能分类科目", "经济分类科目"};

js_dict *js_dict_new(int edition)
{
    js_dict *d = calloc(1, sizeof *d);
    if (d) {
        d->edition = edition;
        js_arena_init(&d->arena);
    }
    return d;
}

void js_dict_free(js_dict *dict)
{
    if (!dict)
        return;
    for (int k = 0; k < 2; k++) {
        free(dict->lists[k].codes);
        free(dict->lists[k].slots);
    }
    free(dict->former);
    js_arena_release(&dict->arena);
    free(dict);
}

int js_dict_edition(const js_dict *dict) { return dict->edition; }

static uint64_t key_of(uint32_t code, int digits) { return ((uint64_t)(uint8_t)digits << 32) | code; }

/* The slot of key: where it is, or the empty one where it would go. */
static size_t slot_of(const code_list *l, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    size_t i = (size_t)(h ^ h >> 32) & (l->nslots - 1);
    while (l->slots[i] && key_of(l->codes[l->slots[i] - 1].code, l->codes[l->slots[i] - 1].digits) != key)
        i = (i + 1) & (l->nslots - 1);
    return i;
}

/* Indexes codes[l->n - 1], growing the table as needed. */
static bool index_last(code_list *l)
{
    if (2 * l->n > l->nslots) {
        size_t n = l->nslots ? 2 * l->nslots : 64;
        uint32_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return false;
        free(l->slots);
        l->slots = slots;
        l->nslots = n;
        for (size_t i = 0; i + 1 < l->n; i++)
            l->slots[slot_of(l, key_of(l->codes[i].code, l->codes[i].digits))] = (uint32_t)i + 1;
    }
    const js_code *e = &l->codes[l->n - 1];
    l->slots[slot_of(l, key_of(e->code, e->digits))] = (uint32_t)l->n;
    return true;
}


uint32_t js_code_parent(uint32_t code, int digits)
{
    if (digits == 7)
        return code / 100;
    if (digits == 5)
        return code / 100;
    return 0;
}

void js_code_str(uint32_t code, int digits, char *buf)
{
    /* by hand: this runs for every line in some checks */
    if (digits < 1 || digits > 7 || code >= 10000000u) {
        snprintf(buf, 8, "%0*u", digits, (unsigned)code);
        return;
    }
    buf[digits] = '\0';
    for (int i = digits - 1; i >= 0; i--, code /= 10)
        buf[i] = (char)('0' + code % 10);
}

/* Parses text[0..n) as a code of allowed lengths; 0 on success. */
static int parse_span(const char *text, size_t n, uint32_t *code, int *digits)
{
    if (n == 0 || n > 9)
        return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        v = v * 10 + (uint32_t)(text[i] - '0');
    }
    *code = v;
    *digits = (int)n;
    return 0;
}

/* Parses text as a code of allowed lengths; 0 on success. */
static int parse_digits(const char *text, uint32_t *code, int *digits)
{
    return parse_span(text, strlen(text), code, digits);
}

#define DICT_FIELDS 8 /* a dictionary's columns read: 编码, 名称, 说明 (and a few spare) */

/* The next record of c as spans (field[i], len[i]; *n of them, at most
 * DICT_FIELDS): a plain line straight from the input, any other (quoted,
 * CRLF, blank, wider) through the record reader. Returns as js_csv_next. */
static int next_record(js_csv *c, const char **field, size_t *len, size_t *n, js_diag *d)
{
    js_csv_mark m = js_csv_tell(c);
    size_t nf = js_csv_plain(c, field, len, DICT_FIELDS);
    for (size_t i = 0; i < nf; i++)
        if (len[i]) {
            *n = nf;
            return 1;
        }
    if (nf)
        js_csv_seek(c, m); /* a blank line: the record reader skips it */
    int r = js_csv_next(c, d);
    if (r > 0) {
        *n = js_csv_nfields(c) < DICT_FIELDS ? js_csv_nfields(c) : DICT_FIELDS;
        for (size_t i = 0; i < *n; i++) {
            field[i] = js_csv_field(c, i);
            len[i] = js_csv_field_len(c, i);
        }
    }
    return r;
}

js_status js_dict_parse(js_dict *dict, js_dict_kind kind, const char *name,
                        const char *data, size_t len, js_diag *d)
{
    code_list *l = &dict->lists[kind];
    js_csv *c = js_csv_open(name, data, len, d);
    if (!c)
        return d ? d->status : JS_E_INPUT;
    js_status st = JS_OK;
    int r = js_csv_next(c, d);
    if (r <= 0 || js_csv_nfields(c) < 2 || strcmp(js_csv_field(c, 0), "编码") ||
        strcmp(js_csv_field(c, 1), "名称")) {
        st = r < 0 ? d->status
                   : js_diag_set(d, JS_E_INPUT, name, 1, 0, NULL, "科目表的表头应为“编码,名称,说明”");
        goto out;
    }
    const char *f[DICT_FIELDS];
    size_t fl[DICT_FIELDS], nf;
    while ((r = next_record(c, f, fl, &nf, d)) > 0) {
        long line = js_csv_line(c);
        uint32_t code;
        int digits;
        for (size_t i = nf; i < 3; i++) { /* a missing 名称 or 说明 is empty */
            f[i] = "";
            fl[i] = 0;
        }
        int clen = (int)fl[0]; /* the code, in messages */
        if (parse_span(f[0], fl[0], &code, &digits) ||
            !(digits == 3 || digits == 5 || (digits == 7 && kind == JS_DICT_FUNC))) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 1, "编码", "'%.*s' 不是有效的%s编码",
                             clen, f[0], k_kind_name[kind]);
            goto out;
        }
        if (l->n == JS_MAX_DICT_CODES) {
            st = js_diag_set(d, JS_E_LIMIT, name, line, 0, NULL, "科目超过 %d 个",
                             JS_MAX_DICT_CODES);
            goto out;
        }
        if (digits > 3) {
            uint32_t parent = js_code_parent(code, digits);
            if (!js_dict_find(dict, kind, parent, digits - 2)) {
                st = js_diag_set(d, JS_E_INPUT, name, line, 1, "编码",
                                 "'%.*s' 的上级科目不在它前面", clen, f[0]);
                goto out;
            }
        }
        if (js_dict_find(dict, kind, code, digits)) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 1, "编码", "编码 '%.*s' 重复",
                             clen, f[0]);
            goto out;
        }
        if (!js_vec_reserve(&l->codes, &l->cap, l->n + 1, sizeof *l->codes)) {
            st = js_diag_set(d, JS_E_NOMEM, name, line, 0, NULL, "内存不足");
            goto out;
        }
        js_code *e = &l->codes[l->n];
        e->code = code;
        e->digits = (uint8_t)digits;
        e->name = js_arena_strndup(&dict->arena, f[1], fl[1]);
        e->note = js_arena_strndup(&dict->arena, f[2], fl[2]);
        e->order = (uint32_t)l->n;
        if (!e->name || !e->note) {
            st = js_diag_set(d, JS_E_NOMEM, name, line, 0, NULL, "内存不足");
            goto out;
        }
        l->n++;
        if (!index_last(l)) {
            st = js_diag_set(d, JS_E_NOMEM, name, line, 0, NULL, "内存不足");
            goto out;
        }
    }
    if (r < 0)
        st = d ? d->status : JS_E_INPUT;
out:
    js_csv_free(c);
    return st;
}

js_dict *js_dict_load(const char *datadir, int edition, js_diag *d)
{
    static const char *const files[3] = {"functional.csv", "economic.csv", "former.csv"};
    js_dict *dict = js_dict_new(edition);
    if (!dict) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    for (int k = 0; k < 3; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/dict/%d/%s", datadir, edition, files[k]);
        if (k == 2 && access(path, F_OK) != 0)
            break; /* former.csv is optional */
        char *data;
        size_t len;
        if (js_read_file(path, JS_MAX_FILE_BYTES, &data, &len, d) != JS_OK) {
            js_dict_free(dict);
            return NULL;
        }
        js_status st = k == 2 ? js_dict_parse_former(dict, path, data, len, d)
                              : js_dict_parse(dict, (js_dict_kind)k, path, data, len, d);
        free(data);
        if (st != JS_OK) {
            js_dict_free(dict);
            return NULL;
        }
    }
    return dict;
}

const js_code *js_dict_find(const js_dict *dict, js_dict_kind kind, uint32_t code, int digits)
{
    const code_list *l = &dict->lists[kind];
    if (!l->nslots)
        return NULL;
    size_t i = slot_of(l, key_of(code, digits));
    return l->slots[i] ? &l->codes[l->slots[i] - 1] : NULL;
}

const js_code *js_dict_codes(const js_dict *dict, js_dict_kind kind, size_t *n)
{
    *n = dict->lists[kind].n;
    return dict->lists[kind].codes;
}

static const char *level_name(js_dict_kind kind, int digits)
{
    if (digits == 3)
        return "类级";
    if (digits == 5)
        return "款级";
    return kind == JS_DICT_FUNC ? "项级" : "?";
}

const char *js_dict_check(const js_dict *dict, js_dict_kind kind, const char *text,
                          int need_digits, uint32_t *code, int *digits, char *msgbuf,
                          size_t msglen)
{
    const char *what = k_kind_name[kind];
    if (parse_digits(text, code, digits)) {
        snprintf(msgbuf, msglen, "%s编码 '%s' 不是数字编码", what, text);
        return msgbuf;
    }
    bool ok_len = *digits == 3 || *digits == 5 || (*digits == 7 && kind == JS_DICT_FUNC);
    if (!ok_len) {
        snprintf(msgbuf, msglen, "%s编码 '%s' 有 %d 位，位数不对（%s）", what, text, *digits,
                 kind == JS_DICT_FUNC ? "类3位、款5位、项7位" : "类3位、款5位");
        return msgbuf;
    }
    if (need_digits && *digits != need_digits) {
        snprintf(msgbuf, msglen, "此处需要%s（%d位）科目，'%s' 是%s科目", level_name(kind, need_digits),
                 need_digits, text, level_name(kind, *digits));
        return msgbuf;
    }
    if (!js_dict_find(dict, kind, *code, *digits)) {
        snprintf(msgbuf, msglen, "%s编码 '%s' 不在 %d 年版科目表中", what, text, dict->edition);
        return msgbuf;
    }
    return NULL;
}

js_status js_dict_parse_former(js_dict *dict, const char *name, const char *data, size_t len, js_diag *d)
{
    js_csv *c = js_csv_open(name, data, len, d);
    if (!c)
        return d ? d->status : JS_E_INPUT;
    js_status st = JS_OK;
    int r = js_csv_next(c, d);
    if (r <= 0 || js_csv_nfields(c) < 4 || strcmp(js_csv_field(c, 0), "分类") || strcmp(js_csv_field(c, 1), "编码") ||
        strcmp(js_csv_field(c, 2), "旧名称") || strcmp(js_csv_field(c, 3), "新名称启用版本")) {
        st = r < 0 ? d->status
                   : js_diag_set(d, JS_E_INPUT, name, 1, 0, NULL, "旧名称表的表头应为“分类,编码,旧名称,新名称启用版本”");
        goto out;
    }
    while ((r = js_csv_next(c, d)) > 0) {
        long line = js_csv_line(c);
        const char *kind = js_csv_field(c, 0), *old = js_csv_field(c, 2), *since = js_csv_field(c, 3);
        js_dict_kind k = !strcmp(kind, "功能") ? JS_DICT_FUNC : JS_DICT_ECON;
        uint32_t code;
        int digits;
        if (strcmp(kind, "功能") && strcmp(kind, "经济")) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 1, "分类", "分类应为“功能”或“经济”，而不是 '%s'", kind);
            goto out;
        }
        const js_code *cur = parse_digits(js_csv_field(c, 1), &code, &digits) ? NULL
                                                                              : js_dict_find(dict, k, code, digits);
        if (!cur) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 2, "编码", "'%s' 不是本版本的%s编码", js_csv_field(c, 1),
                             k_kind_name[k]);
            goto out;
        }
        if (!*old || !strcmp(old, cur->name)) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 3, "旧名称", "旧名称 '%s' 应不同于现名称 '%s'", old,
                             cur->name);
            goto out;
        }
        char *end;
        long year = strtol(since, &end, 10);
        if (*end || year < 1990 || year > dict->edition) {
            st = js_diag_set(d, JS_E_INPUT, name, line, 4, "新名称启用版本", "'%s' 不是 1990 到 %d 之间的年份", since,
                             dict->edition);
            goto out;
        }
        if (dict->nformer == JS_MAX_DICT_CODES ||
            !js_vec_reserve(&dict->former, &dict->formercap, dict->nformer + 1, sizeof *dict->former)) {
            st = js_diag_set(d, dict->nformer == JS_MAX_DICT_CODES ? JS_E_LIMIT : JS_E_NOMEM, name, line, 0, NULL,
                             "旧名称过多或内存不足");
            goto out;
        }
        js_former_name *f = &dict->former[dict->nformer];
        *f = (js_former_name){k, code, (uint8_t)digits, js_arena_strdup(&dict->arena, old), (int)year};
        if (!f->name) {
            st = js_diag_set(d, JS_E_NOMEM, name, line, 0, NULL, "内存不足");
            goto out;
        }
        dict->nformer++;
    }
    if (r < 0)
        st = d ? d->status : JS_E_INPUT;
out:
    js_csv_free(c);
    return st;
}

const js_former_name *js_dict_former_names(const js_dict *dict, size_t *n)
{
    *n = dict->nformer;
    return dict->former;
}

bool js_dict_is_former(const js_dict *dict, js_dict_kind kind, uint32_t code, int digits, const char *name)
{
    for (size_t i = 0; i < dict->nformer; i++) {
        const js_former_name *f = &dict->former[i];
        if (f->kind == kind && f->code == code && f->digits == digits && !strcmp(f->name, name))
            return true;
    }
    return false;
}
