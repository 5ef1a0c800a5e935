/* Spending by COFOG division, read back from a published fiscal-data.csv
 * (juesuan/fdp.h; docs/open-data.md): the executed expenditure flows
 * summed exactly by their COFOG division, the lines COFOG does not count
 * (excluded) and those without a division (unmapped) apart, by their
 * 功能分类 款. Columns are found by name, so a package with more columns
 * (a later layout) still reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "juesuan/fdp.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "vec.h"

enum { C_DEPT, C_DIRECTION, C_PHASE, C_KIND, C_LEI, C_LEI_NAME, C_KUAN, C_KUAN_NAME, C_DIV, C_DIV_NAME, C_CONF,
       C_AMOUNT, C_COUNT };
static const char *const k_columns[C_COUNT] = {
    "department",     "direction", "phase",          "value_kind",          "func_lei_code",    "func_lei_name",
    "func_kuan_code", "func_kuan_name", "cofog_division", "cofog_division_name", "cofog_confidence", "amount"};

typedef struct {
    js_cofog_part **items;
    size_t *n, cap;
} part_list;

/* The part of code in list (added, named name, when new); NULL when out of
 * memory. Lists are short (ten divisions; the 款 of a few exclusions). */
static js_cofog_part *part_of(part_list *l, const char *code, const char *name)
{
    for (size_t i = 0; i < *l->n; i++)
        if (!strcmp((*l->items)[i].code, code))
            return &(*l->items)[i];
    if (!js_vec_reserve(l->items, &l->cap, *l->n + 1, sizeof **l->items))
        return NULL;
    js_cofog_part *p = &(*l->items)[(*l->n)++];
    memset(p, 0, sizeof *p);
    snprintf(p->code, sizeof p->code, "%s", code);
    snprintf(p->name, sizeof p->name, "%s", name);
    return p;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(((const js_cofog_part *)a)->code, ((const js_cofog_part *)b)->code);
}

static bool digits(const char *s, size_t n)
{
    if (strlen(s) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The departments seen, sorted, to count the distinct ones. */
typedef struct {
    char **names;
    size_t n, cap;
} name_set;

/* Adds name when absent; false when out of memory. */
static bool name_add(name_set *s, const char *name)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->names[mid], name);
        if (!c)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    char *copy = strdup(name);
    if (!copy || !js_vec_reserve(&s->names, &s->cap, s->n + 1, sizeof *s->names)) {
        free(copy);
        return false;
    }
    memmove(s->names + lo + 1, s->names + lo, (s->n - lo) * sizeof *s->names);
    s->names[lo] = copy;
    s->n++;
    return true;
}

static void name_set_release(name_set *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->names[i]);
    free(s->names);
}

/* Finds every column of k_columns in the header just read. */
static js_status header(js_csv *csv, const char *file, size_t col[C_COUNT], js_diag *d)
{
    for (int k = 0; k < C_COUNT; k++) {
        col[k] = SIZE_MAX;
        for (size_t i = 0; i < js_csv_nfields(csv); i++)
            if (!strcmp(js_csv_field(csv, i), k_columns[k]))
                col[k] = i;
        if (col[k] == SIZE_MAX)
            return js_diag_set(d, JS_E_INPUT, file, js_csv_line(csv), 0, k_columns[k],
                               "财政数据包的表头缺少列“%s”", k_columns[k]);
    }
    return JS_OK;
}

static const char *cell(js_csv *csv, const size_t col[C_COUNT], int k)
{
    return col[k] < js_csv_nfields(csv) ? js_csv_field(csv, col[k]) : "";
}

/* Adds one executed expenditure line (amount fen) to its part. */
static js_status add_line(js_csv *csv, const char *file, const size_t col[C_COUNT], js_fen fen,
                          js_cofog_spending *out, part_list lists[3], js_diag *d)
{
    long line = js_csv_line(csv);
    const char *division = cell(csv, col, C_DIV), *lei = cell(csv, col, C_LEI), *kuan = cell(csv, col, C_KUAN);
    bool excluded = !strcmp(cell(csv, col, C_CONF), "excluded");
    if (*division && (excluded || !digits(division, 2)))
        return js_diag_set(d, JS_E_INPUT, file, line, (int)col[C_DIV] + 1, "cofog_division",
                           excluded ? "不属 COFOG 支出（excluded）的行不应有 COFOG 大类“%s”"
                                    : "“%s”不是两位数字的 COFOG 大类编码",
                           division);
    if ((*lei && !digits(lei, 3)) || (*kuan && !digits(kuan, 5)))
        return js_diag_set(d, JS_E_INPUT, file, line, (int)col[*kuan ? C_KUAN : C_LEI] + 1,
                           *kuan ? "func_kuan_code" : "func_lei_code", "“%s”不是功能分类的类（3 位）或款（5 位）编码",
                           *kuan ? kuan : lei);
    js_cofog_part *p;
    js_fen *total;
    if (*division) {
        p = part_of(&lists[0], division, cell(csv, col, C_DIV_NAME));
        total = &out->cofog_total;
    } else {
        bool by_kuan = *kuan;
        p = part_of(&lists[excluded ? 1 : 2], by_kuan ? kuan : lei,
                    cell(csv, col, by_kuan ? C_KUAN_NAME : *lei ? C_LEI_NAME : C_KUAN_NAME));
        total = excluded ? &out->excluded_total : &out->unmapped_total;
    }
    if (!p)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    p->lines++;
    if (!js_fen_add(p->amount, fen, &p->amount) || !js_fen_add(*total, fen, total) ||
        !js_fen_add(out->expenditure_total, fen, &out->expenditure_total))
        return js_diag_set(d, JS_E_LIMIT, file, line, (int)col[C_AMOUNT] + 1, "amount", "金额合计超出可表示的范围");
    return JS_OK;
}

js_status js_fdp_cofog_spending(const char *file, const char *csv, size_t len, js_cofog_spending *out, js_diag *d)
{
    memset(out, 0, sizeof *out);
    js_csv *c = js_csv_open(file, csv, len, d);
    if (!c)
        return d && d->status ? d->status : JS_E_NOMEM;
    size_t col[C_COUNT];
    int got = js_csv_next(c, d);
    js_status st = got > 0 ? header(c, file, col, d)
                           : got == 0 ? js_diag_set(d, JS_E_INPUT, file, 1, 0, NULL, "财政数据包的 CSV 是空的")
                                      : d && d->status ? d->status : JS_E_INPUT;
    part_list lists[3] = {{&out->divisions, &out->ndivisions, 0},
                          {&out->excluded, &out->nexcluded, 0},
                          {&out->unmapped, &out->nunmapped, 0}};
    name_set depts = {0};
    char last[256] = "";
    bool any = false;
    while (st == JS_OK && (got = js_csv_next(c, d)) > 0) {
        if (strcmp(cell(c, col, C_DIRECTION), "expenditure") || strcmp(cell(c, col, C_PHASE), "executed") ||
            strcmp(cell(c, col, C_KIND), "flow"))
            continue;
        const char *amount = cell(c, col, C_AMOUNT), *why = NULL;
        js_fen fen;
        if (!js_money_parse(amount, strlen(amount), JS_UNIT_YUAN, 0, &fen, &why)) {
            st = js_diag_set(d, JS_E_INPUT, file, js_csv_line(c), (int)col[C_AMOUNT] + 1, "amount", "“%s”：%s", amount,
                             why ? why : "不是金额");
            break;
        }
        st = add_line(c, file, col, fen, out, lists, d);
        const char *dept = cell(c, col, C_DEPT);
        if (st == JS_OK && (!any || strncmp(dept, last, sizeof last))) { /* departments come in runs */
            any = true;
            snprintf(last, sizeof last, "%s", dept);
            if (!name_add(&depts, dept))
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        }
    }
    if (st == JS_OK && got < 0)
        st = d && d->status ? d->status : JS_E_INPUT;
    out->departments = depts.n;
    name_set_release(&depts);
    js_csv_free(c);
    /* qsort's base may not be NULL, even for no element (C11 7.1.4) */
    if (out->ndivisions)
        qsort(out->divisions, out->ndivisions, sizeof *out->divisions, by_code);
    if (out->nexcluded)
        qsort(out->excluded, out->nexcluded, sizeof *out->excluded, by_code);
    if (out->nunmapped)
        qsort(out->unmapped, out->nunmapped, sizeof *out->unmapped, by_code);
    return st;
}

void js_cofog_spending_release(js_cofog_spending *s)
{
    free(s->divisions);
    free(s->excluded);
    free(s->unmapped);
    memset(s, 0, sizeof *s);
}

void js_fdp_cofog_name_divisions(js_cofog_spending *s, const js_cofog *names)
{
    for (size_t i = 0; i < s->ndivisions; i++) {
        const char *zh = js_cofog_name_zh(names, s->divisions[i].code);
        snprintf(s->divisions[i].name_zh, sizeof s->divisions[i].name_zh, "%s", zh ? zh : "");
    }
}
