/* The 功能分类 → COFOG crosswalk (juesuan/cofog.h): two small CSV files,
 * checked when read (every COFOG code named exists, every 功能分类 code
 * has 3, 5 or 7 digits and appears once). */
#include "juesuan/cofog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csv.h"
#include "juesuan/dict.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"

#define MAX_COFOG_NAMES 256
#define MAX_COFOG_ROWS 4096

struct js_cofog {
    js_arena arena;
    const char *names[110]; /* by slot_of: a division's at 10 × its number, a group's after it */
    const char *zh[110];    /* the same codes' 名称 column, NULL without it */
    size_t nnames;
    js_cofog_map *rows;   /* file order */
    js_cofog_map **index; /* by (code, digits) */
    size_t nrows;
};

/* Opens file and checks its header starts with the columns want. */
static js_csv *open_with(const char *file, const char *data, size_t len, const char *const *want, size_t n,
                         js_diag *d)
{
    js_csv *csv = js_csv_open(file, data, len, d);
    int r = csv ? js_csv_next(csv, d) : -1;
    bool header = r > 0 && js_csv_nfields(csv) >= n;
    for (size_t i = 0; header && i < n; i++)
        header = !strcmp(js_csv_field(csv, i), want[i]);
    if (csv && !header) {
        if (r >= 0) {
            char cols[128] = "";
            for (size_t i = 0; i < n; i++)
                snprintf(cols + strlen(cols), sizeof cols - strlen(cols), "%s%s", i ? "," : "", want[i]);
            js_diag_set(d, JS_E_INPUT, file, 1, 0, NULL, "表头应为“%s”", cols);
        }
        js_csv_free(csv);
        return NULL;
    }
    return csv;
}

/* A COFOG code: "01".."10" or a group "01.1".."10.9". */
static bool cofog_code(const char *s)
{
    size_t n = strlen(s);
    if ((n != 2 && n != 4) || s[0] < '0' || s[0] > '1' || s[1] < '0' || s[1] > '9' || (s[0] == '1' && s[1] != '0') ||
        (s[0] == '0' && s[1] == '0'))
        return false;
    return n == 2 || (s[2] == '.' && s[3] >= '1' && s[3] <= '9');
}

/* Where a COFOG code's name is kept: 10 × the division's number, plus
 * the group's digit ("01" → 10, "01.3" → 13, "10.9" → 109). */
static size_t slot_of(const char *code)
{
    return (size_t)((code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] ? code[3] - '0' : 0));
}

/* The name of a COFOG code, or NULL when it is not one cofog.csv names. */
static const char *name_of(const js_cofog *c, const char *code)
{
    return cofog_code(code) ? c->names[slot_of(code)] : NULL;
}

static js_status read_names(js_cofog *c, const char *file, const char *data, size_t len, js_diag *d)
{
    static const char *const want[] = {"code", "name"};
    js_csv *csv = open_with(file, data, len, want, 2, d);
    if (!csv)
        return d && d->status ? d->status : JS_E_INPUT;
    bool zh = js_csv_nfields(csv) > 2 && !strcmp(js_csv_field(csv, 2), "名称"); /* the header, still current */
    js_status st = JS_OK;
    int r = 0;
    while (st == JS_OK && (r = js_csv_next(csv, d)) > 0) {
        const char *code = js_csv_field(csv, 0);
        const char *name_zh = zh && js_csv_nfields(csv) > 2 ? js_csv_field(csv, 2) : "";
        if (!cofog_code(code) || name_of(c, code) || !*js_csv_field(csv, 1))
            st = js_diag_set(d, JS_E_INPUT, file, js_csv_line(csv), 1, "code", "'%s' 不是有效的 COFOG 编码，或重复，或缺少名称",
                             code);
        else if (c->nnames == MAX_COFOG_NAMES)
            st = js_diag_set(d, JS_E_LIMIT, file, js_csv_line(csv), 0, NULL, "COFOG 编码超过 %d 个", MAX_COFOG_NAMES);
        else if (!(c->names[slot_of(code)] = js_arena_strdup(&c->arena, js_csv_field(csv, 1))) ||
                 (*name_zh && !(c->zh[slot_of(code)] = js_arena_strdup(&c->arena, name_zh))))
            st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        else
            c->nnames++;
    }
    if (st == JS_OK && r < 0)
        st = d && d->status ? d->status : JS_E_INPUT;
    js_csv_free(csv);
    return st;
}

static uint64_t key_of(uint32_t code, int digits) { return (uint64_t)code * 10 + (uint64_t)digits; }

static int by_key(const void *a, const void *b)
{
    uint64_t x = key_of((*(js_cofog_map *const *)a)->code, (*(js_cofog_map *const *)a)->digits);
    uint64_t y = key_of((*(js_cofog_map *const *)b)->code, (*(js_cofog_map *const *)b)->digits);
    return x < y ? -1 : x > y;
}

/* One row of the crosswalk into m. */
static js_status read_row(js_cofog *c, js_csv *csv, const char *file, js_cofog_map *m, js_diag *d)
{
    long line = js_csv_line(csv);
    const char *code = js_csv_field(csv, 0), *to = js_csv_nfields(csv) > 2 ? js_csv_field(csv, 2) : "";
    const char *conf = js_csv_nfields(csv) > 3 ? js_csv_field(csv, 3) : "";
    size_t n = strlen(code);
    bool digits = n == 3 || n == 5 || n == 7;
    for (size_t i = 0; i < n && digits; i++)
        digits = code[i] >= '0' && code[i] <= '9';
    if (!digits)
        return js_diag_set(d, JS_E_INPUT, file, line, 1, "code", "'%s' 不是 3、5 或 7 位的功能分类编码", code);
    if (*to && !name_of(c, to))
        return js_diag_set(d, JS_E_INPUT, file, line, 3, "cofog", "'%s' 不是 cofog.csv 中的 COFOG 编码", to);
    if (strlen(conf) != 1 || !strchr("HML", conf[0]))
        return js_diag_set(d, JS_E_INPUT, file, line, 4, "confidence", "可信度应为 H、M 或 L，而不是 '%s'", conf);
    m->code = (uint32_t)strtoul(code, NULL, 10);
    m->digits = (uint8_t)n;
    m->confidence = conf[0];
    char division[5] = {to[0], to[0] ? to[1] : '\0', '\0'}; /* sized as a group code: gcc cannot see slot_of stop at the NUL */
    m->cofog = js_arena_strdup(&c->arena, to);
    m->division = js_arena_strdup(&c->arena, division);
    m->division_name = *division ? name_of(c, division) : "";
    m->group = js_arena_strdup(&c->arena, strlen(to) == 4 ? to : "");
    m->group_name = strlen(to) == 4 ? name_of(c, to) : "";
    m->note = js_arena_strdup(&c->arena, js_csv_nfields(csv) > 4 ? js_csv_field(csv, 4) : "");
    if (!m->cofog || !m->division || !m->group || !m->note)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (!m->division_name)
        return js_diag_set(d, JS_E_INPUT, file, line, 3, "cofog", "cofog.csv 中没有大类 '%s'", division);
    return JS_OK;
}

static js_status read_crosswalk(js_cofog *c, const char *file, const char *data, size_t len, js_diag *d)
{
    static const char *const want[] = {"code", "name", "cofog", "confidence", "note"};
    js_csv *csv = open_with(file, data, len, want, 5, d);
    if (!csv)
        return d && d->status ? d->status : JS_E_INPUT;
    js_status st = JS_OK;
    size_t cap = 0;
    int r = 0;
    while (st == JS_OK && (r = js_csv_next(csv, d)) > 0) {
        if (c->nrows == MAX_COFOG_ROWS) {
            st = js_diag_set(d, JS_E_LIMIT, file, js_csv_line(csv), 0, NULL, "对照行超过 %d 行", MAX_COFOG_ROWS);
            break;
        }
        if (c->nrows == cap) {
            cap = cap ? cap * 2 : 64;
            js_cofog_map *grown = realloc(c->rows, cap * sizeof *grown);
            if (!grown) {
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
                break;
            }
            c->rows = grown;
        }
        if ((st = read_row(c, csv, file, &c->rows[c->nrows], d)) == JS_OK)
            c->nrows++;
    }
    if (st == JS_OK && r < 0)
        st = d && d->status ? d->status : JS_E_INPUT;
    js_csv_free(csv);
    if (st != JS_OK)
        return st;
    if (c->nrows && !(c->index = malloc(c->nrows * sizeof *c->index)))
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    for (size_t i = 0; i < c->nrows; i++)
        c->index[i] = &c->rows[i];
    if (c->nrows)
        qsort(c->index, c->nrows, sizeof *c->index, by_key);
    for (size_t i = 1; i < c->nrows; i++)
        if (by_key(&c->index[i - 1], &c->index[i]) == 0) {
            char code[8];
            js_code_str(c->index[i]->code, c->index[i]->digits, code);
            return js_diag_set(d, JS_E_INPUT, file, 0, 0, NULL, "功能分类编码 %s 出现了不止一次", code);
        }
    return JS_OK;
}

js_cofog *js_cofog_parse(const char *names_file, const char *names, size_t names_len, const char *cw_file,
                         const char *crosswalk, size_t cw_len, js_diag *d)
{
    js_cofog *c = calloc(1, sizeof *c);
    if (!c) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    js_arena_init(&c->arena);
    if (read_names(c, names_file, names, names_len, d) != JS_OK ||
        (crosswalk && read_crosswalk(c, cw_file, crosswalk, cw_len, d) != JS_OK)) {
        js_cofog_free(c);
        return NULL;
    }
    return c;
}

js_cofog *js_cofog_load(const char *datadir, int edition, js_diag *d)
{
    char names_path[4096], cw_path[4096];
    snprintf(names_path, sizeof names_path, "%s/cofog/cofog.csv", datadir);
    snprintf(cw_path, sizeof cw_path, "%s/cofog/%d.csv", datadir, edition);
    char *names = NULL, *cw = NULL;
    size_t nlen = 0, clen = 0;
    js_cofog *c = NULL;
    if (js_read_file(names_path, JS_MAX_JSON_BYTES, &names, &nlen, d) == JS_OK) {
        if (edition < 0) /* the names alone */
            c = js_cofog_parse(names_path, names, nlen, NULL, NULL, 0, d);
        else if (js_read_file(cw_path, JS_MAX_JSON_BYTES, &cw, &clen, d) == JS_OK)
            c = js_cofog_parse(names_path, names, nlen, cw_path, cw, clen, d);
        else if (d && d->status == JS_E_IO)
            js_diag_set(d, JS_E_USAGE, cw_path, 0, 0, NULL, "分类科目 %d 年版没有 COFOG 对照表", edition);
    }
    free(names);
    free(cw);
    return c;
}

void js_cofog_free(js_cofog *c)
{
    if (!c)
        return;
    free(c->index);
    free(c->rows);
    js_arena_release(&c->arena);
    free(c);
}

const char *js_cofog_name_zh(const js_cofog *c, const char *code)
{
    return cofog_code(code) ? c->zh[slot_of(code)] : NULL;
}

static const js_cofog_map *find_exact(const js_cofog *c, uint32_t code, int digits)
{
    size_t lo = 0, hi = c->nrows;
    uint64_t k = key_of(code, digits);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t m = key_of(c->index[mid]->code, c->index[mid]->digits);
        if (m == k)
            return c->index[mid];
        if (m < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const js_cofog_map *js_cofog_find(const js_cofog *c, uint32_t code, int digits)
{
    for (; digits >= 3; digits -= 2) {
        const js_cofog_map *m = find_exact(c, code, digits);
        if (m)
            return m;
        code /= 100;
    }
    return NULL;
}

const js_cofog_map *js_cofog_rows(const js_cofog *c, size_t *n)
{
    *n = c->nrows;
    return c->rows;
}
