/* The table engine (see tables.h). */
#include "juesuan/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cnnum.h"
#include "fact_sum.h"
#include "juesuan/limits.h"
#include "vec.h"

struct js_tableset {
    js_arena arena;
    const js_workbook *wb;
    const js_profile *p;
    const char *entity;
    const char *mark;
    bool unit;
    js_fact *sets[JS_MAX_TABLES]; /* the workbook's facts summed at each depth the tables need */
    size_t nsets;
    js_table *tables;
    size_t n;
};

/* What the engine keeps beside each row while compiling. */
typedef struct {
    const js_rowdef *def; /* its definition, NULL for spacers and footers */
    bool keep;            /* shown even when every cell is zero */
    uint32_t code;        /* a code row's code as a number (its digits: level) */
} row_info;

/* State while compiling one table. */
typedef struct {
    js_tableset *ts;
    const js_tabledef *def;
    const js_fact *facts;
    size_t nfacts;
    const js_unit *units;
    int unit;
    int func_digits, econ_digits; /* digits of the codes in facts (table_digits) */
    js_trow *rows;
    row_info *info;              /* per row */
    size_t n, cap_rows, cap_info;
    js_diag *d;
} build;

static const uint32_t k_pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

static bool prefix_match(const js_prefix *p, uint8_t n, uint32_t code, int digits)
{
    if (code == 0)
        return false;
    for (uint8_t i = 0; i < n; i++)
        if (p[i].digits <= digits && code / k_pow10[digits - p[i].digits] == p[i].code)
            return true;
    return false;
}

static bool bit_ok(uint32_t mask, uint8_t v)
{
    return !mask || (v != JS_NONE && v < 32 && (mask & (1u << v)));
}

static bool passes(const js_filter *f, const js_fact *x, const js_unit *units)
{
    if (!bit_ok(f->sources, x->source) || !bit_ok(f->funds, x->fund) ||
        !bit_ok(f->spends, x->spend) || !bit_ok(f->items, x->item))
        return false;
    if (f->unit_kinds &&
        (x->unit == UINT32_MAX || !(f->unit_kinds & (1u << units[x->unit].kind))))
        return false;
    if (f->nfunc_in && !prefix_match(f->func_in, f->nfunc_in, x->func, 7))
        return false;
    if (f->nfunc_out && prefix_match(f->func_out, f->nfunc_out, x->func, 7))
        return false;
    if (f->necon_in && !prefix_match(f->econ_in, f->necon_in, x->econ, 5))
        return false;
    if (f->necon_out && prefix_match(f->econ_out, f->necon_out, x->econ, 5))
        return false;
    return true;
}

bool js_filter_match(const js_filter *f, const js_fact *x, const js_unit *units)
{
    return passes(f, x, units);
}

static bool fact_in_scope(const build *b, const js_fact *x)
{
    return x->amount != 0 && (b->unit < 0 || x->unit == (uint32_t)b->unit) &&
           passes(&b->def->filter, x, b->units);
}

static js_trow *new_row(build *b, js_trow_kind kind, int block, const js_rowdef *rd)
{
    if (!js_vec_reserve(&b->rows, &b->cap_rows, b->n + 1, sizeof *b->rows) ||
        !js_vec_reserve(&b->info, &b->cap_info, b->n + 1, sizeof *b->info))
        return NULL;
    const js_blockdef *bd = &b->def->blocks[block];
    js_trow *r = &b->rows[b->n];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->block = block;
    r->name = "";
    r->cells = js_arena_alloc(&b->ts->arena, sizeof(js_fen) * (size_t)bd->ncols);
    if (!r->cells)
        return NULL;
    b->info[b->n] = (row_info){rd, true, 0};
    b->n++;
    return r;
}

static js_status nomem(build *b) { return js_diag_set(b->d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足"); }

/* Sort key putting a code after its parent: 206 < 20601 < 2060101 < 20602. */
static uint64_t code_key(uint32_t code, int digits, int full)
{
    return ((uint64_t)code * k_pow10[full - digits]) * 8 + (uint64_t)digits;
}

typedef struct {
    uint32_t code;
    uint8_t digits;
    bool fixed;
} code_item;

/* A set of code keys (open addressing; a slot holds key + 1, 0 is empty). */
typedef struct {
    uint64_t *slots;
    size_t cap, n;
} keyset;

static bool keyset_add(keyset *s, uint64_t key, bool *added)
{
    if (2 * (s->n + 1) > s->cap) {
        keyset bigger = {calloc(s->cap ? 2 * s->cap : 64, sizeof *bigger.slots), s->cap ? 2 * s->cap : 64, 0};
        if (!bigger.slots)
            return false;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i]) {
                bool ignored;
                keyset_add(&bigger, s->slots[i] - 1, &ignored);
            }
        free(s->slots);
        *s = bigger;
    }
    size_t i = (size_t)((key + 1) * 0x9E3779B97F4A7C15ULL >> 20) & (s->cap - 1);
    while (s->slots[i] && s->slots[i] != key + 1)
        i = (i + 1) & (s->cap - 1);
    *added = !s->slots[i];
    if (*added) {
        s->slots[i] = key + 1;
        s->n++;
    }
    return true;
}

static int cmp_code_items(const void *a, const void *b)
{
    const code_item *x = a, *y = b;
    int full = 7;
    uint64_t kx = code_key(x->code, x->digits, full), ky = code_key(y->code, y->digits, full);
    return kx < ky ? -1 : kx > ky;
}

/* Adds the rows of a functional or economic row definition. */
static js_status add_code_rows(build *b, int block, const js_rowdef *rd)
{
    bool econ = rd->kind == JS_ROWK_ECONOMIC;
    js_dict_kind dk = econ ? JS_DICT_ECON : JS_DICT_FUNC;
    int full = econ ? 5 : 7;
    const js_blockdef *bd = &b->def->blocks[block];
    const js_dict *dict = js_workbook_dict(b->ts->wb);
    size_t cap = (size_t)rd->ncodes + 64, n = 0;
    code_item *items = malloc(cap * sizeof *items);
    if (!items)
        return nomem(b);
    keyset seen = {NULL, 0, 0};
    for (int i = 0; i < rd->ncodes; i++) {
        items[n++] = (code_item){rd->codes[i].code, rd->codes[i].digits, true};
        bool added;
        if (!keyset_add(&seen, code_key(rd->codes[i].code, rd->codes[i].digits, full), &added)) {
            free(items);
            free(seen.slots);
            return nomem(b);
        }
    }
    /* Codes that carry money under the definition's scope. A fixed list only
     * grows below its own 类 (a missing 类 is caught by the coverage check). */
    for (size_t f = 0; f < b->nfacts; f++) {
        const js_fact *x = &b->facts[f];
        uint32_t code = econ ? x->econ : x->func;
        if (!code || !fact_in_scope(b, x) || !passes(&rd->filter, x, b->units))
            continue;
        bool any = false;
        for (int c = 0; c < bd->ncols && !any; c++)
            any = bd->cols[c].kind == JS_COLK_AMOUNT && passes(&bd->cols[c].filter, x, b->units);
        if (!any)
            continue;
        for (int digits = 3; digits <= full; digits += 2) {
            if (!(rd->levels & (1u << digits)))
                continue;
            uint32_t pc = code / k_pow10[full - digits];
            if (rd->ncodes) {
                bool under = false;
                for (int i = 0; i < rd->ncodes && !under; i++)
                    under = rd->codes[i].digits == 3 && rd->codes[i].code == pc / k_pow10[digits - 3];
                if (!under)
                    continue;
            }
            bool added;
            if (!keyset_add(&seen, code_key(pc, digits, full), &added)) {
                free(items);
                free(seen.slots);
                return nomem(b);
            }
            if (!added)
                continue;
            if (n == cap) {
                cap *= 2;
                code_item *ni = realloc(items, cap * sizeof *ni);
                if (!ni) {
                    free(items);
                    return nomem(b);
                }
                items = ni;
            }
            items[n++] = (code_item){pc, (uint8_t)digits, false};
        }
    }
    free(seen.slots);
    if (!rd->ncodes) {
        qsort(items, n, sizeof *items, cmp_code_items);
    } else {
        /* Keep the fixed order; place each extra code after the last row
         * that sorts before it. */
        for (size_t i = (size_t)rd->ncodes; i < n; i++) {
            code_item it = items[i];
            size_t at = 0;
            for (size_t k = 0; k < i; k++)
                if (code_key(items[k].code, items[k].digits, full) < code_key(it.code, it.digits, full))
                    at = k + 1;
            memmove(&items[at + 1], &items[at], (i - at) * sizeof *items);
            items[at] = it;
        }
    }
    int rowno = rd->rowno;
    for (size_t i = 0; i < n; i++) {
        const js_code *jc = js_dict_find(dict, dk, items[i].code, items[i].digits);
        char code[8];
        js_code_str(items[i].code, items[i].digits, code);
        if (!jc) {
            free(items);
            return js_diag_set(b->d, JS_E_INPUT, b->def->id, 0, 0, NULL,
                               "表%s定义中的科目 %s 不在 %d 年版科目表中", b->def->id, code,
                               js_dict_edition(dict));
        }
        js_trow *r = new_row(b, JS_TROW_CODE, block, rd);
        if (!r) {
            free(items);
            return nomem(b);
        }
        memcpy(r->code, code, sizeof r->code);
        r->level = items[i].digits;
        r->econ = econ;
        r->rowno = rowno ? rowno++ : 0;
        if (rd->numbered) {
            char num[32];
            js_chinese_number((int)i + 1, num, sizeof num);
            size_t len = strlen(num) + strlen(jc->name) + 8;
            char *name = js_arena_alloc(&b->ts->arena, len);
            if (!name) {
                free(items);
                return nomem(b);
            }
            snprintf(name, len, "%s、%s", num, jc->name);
            r->name = name;
        } else {
            r->name = jc->name;
        }
        /* Fixed rows are always shown; found ones only with money. */
        b->info[b->n - 1].keep = items[i].fixed || rd->keep_empty;
        b->info[b->n - 1].code = items[i].code;
    }
    free(items);
    return JS_OK;
}

static js_status add_rows(build *b, int block)
{
    const js_blockdef *bd = &b->def->blocks[block];
    for (int i = 0; i < bd->nrows; i++) {
        const js_rowdef *rd = &bd->rows[i];
        js_trow *r;
        switch (rd->kind) {
        case JS_ROWK_BLANK:
            for (int k = rd->rowno; k <= rd->through; k++) {
                if (!(r = new_row(b, JS_TROW_BLANK, block, NULL)))
                    return nomem(b);
                r->rowno = k;
            }
            break;
        case JS_ROWK_FUNCTIONAL:
        case JS_ROWK_ECONOMIC: {
            js_status st = add_code_rows(b, block, rd);
            if (st != JS_OK)
                return st;
            break;
        }
        default:
            r = new_row(b, rd->kind == JS_ROWK_SUM ? JS_TROW_SUM
                           : rd->kind == JS_ROWK_TOTAL ? JS_TROW_TOTAL : JS_TROW_ITEM,
                        block, rd);
            if (!r)
                return nomem(b);
            r->rowno = rd->rowno;
            r->name = rd->label;
            break;
        }
    }
    return JS_OK;
}

/* A sum of the table left the range of js_fen at fact x. */
static js_status overflow_at(const build *b, const js_fact *x)
{
    return js_diag_set(b->d, JS_E_INPUT, js_workbook_source_file(b->ts->wb, x->source), (long)x->sheet_line, 0,
                       NULL, "%s的金额合计超出范围", b->def->number);
}

static js_status add_to(build *b, js_fen *cell, const js_fact *x)
{
    return js_fen_add(*cell, x->amount, cell) ? JS_OK : overflow_at(b, x);
}

/* Does fact x belong to code row i? */
static bool code_row_match(const build *b, size_t i, const js_fact *x)
{
    bool econ = b->info[i].def->kind == JS_ROWK_ECONOMIC;
    uint32_t code = econ ? x->econ : x->func;
    int full = econ ? 5 : 7;
    return code && code / k_pow10[full - b->rows[i].level] == b->info[i].code;
}

/* Code rows of a block sorted by (kind, digits, code), so that a fact finds
 * its rows by one binary search per level instead of a scan of every row. */
typedef struct {
    uint64_t key;
    size_t row;
} row_key;

static uint64_t row_key_of(bool econ, int digits, uint32_t code)
{
    return (uint64_t)econ << 40 | (uint64_t)digits << 32 | code;
}

static int cmp_row_key(const void *a, const void *b)
{
    uint64_t x = ((const row_key *)a)->key, y = ((const row_key *)b)->key;
    return x < y ? -1 : x > y;
}

/* Sorts the code rows of [from, to) into keys and, unless plain is NULL,
 * lists the other rows that take facts (totals, fixed lines) in plain; both
 * sized to - from. */
static void index_rows(const build *b, size_t from, size_t to, row_key *keys, size_t *nkeys, size_t *plain,
                       size_t *nplain)
{
    *nkeys = *nplain = 0;
    for (size_t i = from; i < to; i++) {
        const js_trow *r = &b->rows[i];
        const js_rowdef *rd = b->info[i].def;
        if (r->kind == JS_TROW_BLANK || r->kind == JS_TROW_SUM || !rd)
            continue;
        if (r->kind == JS_TROW_CODE)
            keys[(*nkeys)++] = (row_key){row_key_of(rd->kind == JS_ROWK_ECONOMIC, r->level, b->info[i].code), i};
        else if (plain)
            plain[(*nplain)++] = i;
    }
    qsort(keys, *nkeys, sizeof *keys, cmp_row_key);
}

/* Appends to hit the rows the fact belongs to: the non-code rows (plain)
 * whose filter it passes, and the code rows of its codes at every level. */
static size_t rows_of_fact(const build *b, const js_fact *x, const size_t *plain, size_t nplain,
                           const row_key *keys, size_t nkeys, size_t *hit)
{
    size_t nh = 0;
    for (size_t i = 0; i < nplain; i++)
        if (passes(&b->info[plain[i]].def->filter, x, b->units))
            hit[nh++] = plain[i];
    for (int econ = 0; econ <= 1 && nkeys; econ++) {
        uint32_t code = econ ? x->econ : x->func;
        int full = econ ? 5 : 7;
        for (int digits = 3; code && digits <= full; digits += 2) {
            uint64_t k = row_key_of(econ, digits, code / k_pow10[full - digits]);
            size_t lo = 0, hi = nkeys;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (keys[mid].key < k)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (; lo < nkeys && keys[lo].key == k; lo++)
                if (passes(&b->info[keys[lo].row].def->filter, x, b->units))
                    hit[nh++] = keys[lo].row;
        }
    }
    return nh;
}

/* Sums the facts into every cell of rows [from, to) of the block: per fact,
 * the rows it belongs to are found once, then added to in every column
 * whose filter it passes. */
static js_status fill_cells(build *b, int block, size_t from, size_t to)
{
    const js_blockdef *bd = &b->def->blocks[block];
    size_t n = to - from, nplain = 0, nkeys = 0;
    size_t *hit = malloc(sizeof *hit * (n ? n : 1)), *plain = malloc(sizeof *plain * (n ? n : 1));
    row_key *keys = malloc(sizeof *keys * (n ? n : 1));
    js_status st = hit && plain && keys ? JS_OK : nomem(b);
    if (st == JS_OK)
        index_rows(b, from, to, keys, &nkeys, plain, &nplain);
    for (size_t f = 0; st == JS_OK && f < b->nfacts; f++) {
        const js_fact *x = &b->facts[f];
        if (!fact_in_scope(b, x))
            continue;
        size_t nh = rows_of_fact(b, x, plain, nplain, keys, nkeys, hit);
        for (int c = 0; nh && c < bd->ncols && st == JS_OK; c++) {
            if (bd->cols[c].kind != JS_COLK_AMOUNT || !passes(&bd->cols[c].filter, x, b->units))
                continue;
            for (size_t h = 0; h < nh && st == JS_OK; h++)
                st = add_to(b, &b->rows[hit[h]].cells[c], x);
        }
    }
    free(hit);
    free(plain);
    free(keys);
    return st;
}

static bool any_column(const build *b, int block, const js_fact *x)
{
    const js_blockdef *bd = &b->def->blocks[block];
    for (int c = 0; c < bd->ncols; c++)
        if (bd->cols[c].kind == JS_COLK_AMOUNT && passes(&bd->cols[c].filter, x, b->units))
            return true;
    return false;
}

/* A fixed list of codes must not lose money: every fact that such a row
 * set would hold must land in one of its rows, in whichever block. */
static js_status check_coverage(build *b)
{
    size_t nkeys = 0, nhit, nplain;
    row_key *keys = malloc(sizeof *keys * (b->n ? b->n : 1));
    size_t *hit = malloc(sizeof *hit * (b->n ? b->n : 1));
    if (!keys || !hit) {
        free(keys);
        free(hit);
        return nomem(b);
    }
    index_rows(b, 0, b->n, keys, &nkeys, NULL, &nplain);
    js_status st = JS_OK;
    for (size_t f = 0; f < b->nfacts && st == JS_OK; f++) {
        const js_fact *x = &b->facts[f];
        if (!fact_in_scope(b, x))
            continue;
        /* covered: some code row of its codes takes it */
        bool covered = false;
        nhit = rows_of_fact(b, x, NULL, 0, keys, nkeys, hit);
        for (size_t h = 0; h < nhit && !covered; h++)
            covered = any_column(b, b->rows[hit[h]].block, x);
        if (covered)
            continue;
        /* otherwise it is lost if a fixed list of codes would hold it */
        const js_rowdef *need = NULL;
        for (size_t k = 0; k < nkeys && !need; k++) {
            const js_rowdef *rd = b->info[keys[k].row].def;
            if (rd->ncodes && passes(&rd->filter, x, b->units) && any_column(b, b->rows[keys[k].row].block, x))
                need = rd;
        }
        if (need) {
            bool econ = need->kind == JS_ROWK_ECONOMIC;
            int full = econ ? 5 : 7, digits = econ ? b->econ_digits : b->func_digits;
            char code[8];
            js_code_str((econ ? x->econ : x->func) / k_pow10[full - digits], digits, code);
            st = js_diag_set(b->d, JS_E_INPUT, js_workbook_source_file(b->ts->wb, x->source), (long)x->sheet_line,
                             0, NULL, "科目 %s 的金额无法列入%s（表中没有它所属的类）", code, b->def->number);
        }
    }
    free(keys);
    free(hit);
    return st;
}

static js_status fill_sums(build *b, size_t from, size_t to, int ncols)
{
    for (size_t i = from; i < to; i++) {
        js_trow *r = &b->rows[i];
        const js_rowdef *rd = b->info[i].def;
        if (r->kind != JS_TROW_SUM)
            continue;
        for (int k = 0; k < rd->nof; k++) {
            const js_trow *src = NULL;
            for (size_t j = from; j < to && !src; j++)
                if (b->rows[j].rowno == rd->of[k] && b->rows[j].kind != JS_TROW_SUM)
                    src = &b->rows[j];
            if (!src)
                return js_diag_set(b->d, JS_E_INPUT, b->def->id, 0, 0, NULL,
                                   "表%s的合计行引用了不存在的行次 %d", b->def->id, rd->of[k]);
            for (int c = 0; c < ncols; c++)
                if (!js_fen_add(r->cells[c], src->cells[c], &r->cells[c]))
                    return js_diag_set(b->d, JS_E_INPUT, NULL, 0, 0, NULL,
                                       "%s第%d行的金额合计超出范围", b->def->number, r->rowno);
        }
    }
    return JS_OK;
}

static bool all_zero(const js_trow *r, int ncols)
{
    for (int c = 0; c < ncols; c++)
        if (r->cells[c])
            return false;
    return true;
}

static js_status add_footers(build *b)
{
    for (int i = 0; i < b->def->nfooters; i++) {
        const js_footdef *fd = &b->def->footers[i];
        const js_blockdef *bd = &b->def->blocks[fd->block];
        js_trow *r = new_row(b, JS_TROW_FOOTER, fd->block, NULL);
        if (!r)
            return nomem(b);
        r->name = fd->label;
        for (size_t f = 0; f < b->nfacts; f++) {
            const js_fact *x = &b->facts[f];
            if (!fact_in_scope(b, x) || !passes(&fd->filter, x, b->units))
                continue;
            for (int c = 0; c < bd->ncols; c++) {
                if (bd->cols[c].kind != JS_COLK_AMOUNT || !passes(&bd->cols[c].filter, x, b->units))
                    continue;
                js_status st = add_to(b, &r->cells[c], x);
                if (st != JS_OK)
                    return st;
            }
        }
    }
    return JS_OK;
}

/* Are there department-level facts (no unit, e.g. 三公) that would land in
 * a cell of this table? */
static bool department_level_data(const build *b)
{
    for (size_t f = 0; f < b->nfacts; f++) {
        const js_fact *x = &b->facts[f];
        if (x->unit != UINT32_MAX || !x->amount || !passes(&b->def->filter, x, b->units))
            continue;
        for (size_t i = 0; i < b->n; i++) {
            const js_rowdef *rd = b->info[i].def;
            if (rd && b->rows[i].kind != JS_TROW_SUM && passes(&rd->filter, x, b->units) &&
                any_column(b, b->rows[i].block, x) &&
                (b->rows[i].kind != JS_TROW_CODE || code_row_match(b, i, x)))
                return true;
        }
    }
    return false;
}

static bool table_empty(build *b)
{
    const js_tabledef *t = b->def;
    if (t->has_empty_when) {
        js_fen sum = 0;
        for (size_t f = 0; f < b->nfacts; f++)
            if (fact_in_scope(b, &b->facts[f]) && passes(&t->empty_when, &b->facts[f], b->units))
                if (!js_fen_add(sum, b->facts[f].amount, &sum))
                    return false;
        return sum == 0;
    }
    for (size_t i = 0; i < b->n; i++)
        if (!all_zero(&b->rows[i], t->blocks[b->rows[i].block].ncols))
            return false;
    return true;
}

void js_fill_template(const char *tpl, int year, const char *entity, const char *self, char *buf, size_t n)
{
    size_t o = 0;
    if (!n)
        return;
    buf[0] = '\0';
    for (const char *p = tpl; *p && o + 1 < n;) {
        char rep[1024];
        size_t skip = 0;
        if (!strncmp(p, "{年度}", strlen("{年度}"))) {
            snprintf(rep, sizeof rep, "%d", year);
            skip = strlen("{年度}");
        } else if (!strncmp(p, "{部门}", strlen("{部门}"))) {
            snprintf(rep, sizeof rep, "%s", entity);
            skip = strlen("{部门}");
        } else if (!strncmp(p, "{本部门}", strlen("{本部门}"))) {
            snprintf(rep, sizeof rep, "%s", self);
            skip = strlen("{本部门}");
        }
        if (skip) {
            o += (size_t)snprintf(buf + o, n - o, "%s", rep);
            if (o >= n)
                o = n - 1;
            p += skip;
        } else {
            buf[o++] = *p++;
            buf[o] = '\0';
        }
    }
}

static char *fill(js_tableset *ts, const char *tpl)
{
    char buf[4096];
    js_fill_template(tpl, js_workbook_year(ts->wb), ts->entity,
                     js_profile_wording(ts->p, ts->unit ? "self_unit" : "self_department"), buf, sizeof buf);
    return js_arena_strdup(&ts->arena, buf);
}

/* Widens *fd and *ed to the digits of the codes filter f tests. */
static void filter_digits(const js_filter *f, int *fd, int *ed)
{
    for (uint8_t i = 0; i < f->nfunc_in; i++)
        *fd = f->func_in[i].digits > *fd ? f->func_in[i].digits : *fd;
    for (uint8_t i = 0; i < f->nfunc_out; i++)
        *fd = f->func_out[i].digits > *fd ? f->func_out[i].digits : *fd;
    for (uint8_t i = 0; i < f->necon_in; i++)
        *ed = f->econ_in[i].digits > *ed ? f->econ_in[i].digits : *ed;
    for (uint8_t i = 0; i < f->necon_out; i++)
        *ed = f->econ_out[i].digits > *ed ? f->econ_out[i].digits : *ed;
}

/* How many digits of the functional and economic codes the table looks at:
 * its code rows' levels and fixed codes, and every filter's prefixes. */
static void table_digits(const js_tabledef *def, int *fd, int *ed)
{
    *fd = *ed = 0;
    filter_digits(&def->filter, fd, ed);
    if (def->has_empty_when)
        filter_digits(&def->empty_when, fd, ed);
    for (int f = 0; f < def->nfooters; f++)
        filter_digits(&def->footers[f].filter, fd, ed);
    for (int k = 0; k < def->nblocks; k++) {
        const js_blockdef *bd = &def->blocks[k];
        for (int c = 0; c < bd->ncols; c++)
            filter_digits(&bd->cols[c].filter, fd, ed);
        for (int r = 0; r < bd->nrows; r++) {
            const js_rowdef *rd = &bd->rows[r];
            filter_digits(&rd->filter, fd, ed);
            int *digits = rd->kind == JS_ROWK_FUNCTIONAL ? fd : rd->kind == JS_ROWK_ECONOMIC ? ed : NULL;
            for (int l = 3; digits && l <= 7; l += 2)
                if (rd->levels & (1u << l) && l > *digits)
                    *digits = l;
            for (int i = 0; digits && i < rd->ncodes; i++)
                *digits = rd->codes[i].digits > *digits ? rd->codes[i].digits : *digits;
        }
    }
    *fd = *fd > 7 ? 7 : *fd;
    *ed = *ed > 5 ? 5 : *ed;
}

/* The facts summed at the depth table i looks at (js_tables_compile). */
typedef struct {
    js_fact_depth depth;
    js_fact *facts;
    size_t n;
} fact_set;

static js_status compile_table(js_tableset *ts, const js_tabledef *def, const fact_set *set, int unit,
                               js_table *out, js_diag *d)
{
    build b = {.ts = ts, .def = def, .unit = unit, .d = d};
    b.facts = set->facts;
    b.nfacts = set->n;
    b.func_digits = set->depth.func;
    b.econ_digits = set->depth.econ;
    size_t nu;
    b.units = js_workbook_units(ts->wb, &nu);
    js_status st = JS_OK;
    for (int k = 0; k < def->nblocks && st == JS_OK; k++) {
        size_t from = b.n;
        st = add_rows(&b, k);
        if (st == JS_OK)
            st = fill_cells(&b, k, from, b.n);
        if (st == JS_OK)
            st = fill_sums(&b, from, b.n, def->blocks[k].ncols);
    }
    if (st == JS_OK)
        st = check_coverage(&b);
    if (st == JS_OK)
        st = add_footers(&b);
    if (st == JS_OK) {
        /* Drop found code rows without money; number the printed rows. */
        size_t w = 0;
        int pos = 0;
        for (size_t i = 0; i < b.n; i++) {
            js_trow *r = &b.rows[i];
            if (r->kind == JS_TROW_CODE && !b.info[i].keep && all_zero(r, def->blocks[r->block].ncols))
                continue;
            r->pos = r->kind == JS_TROW_BLANK ? 0 : ++pos;
            b.rows[w++] = *r;
        }
        b.n = w;
        out->def = def;
        out->title = fill(ts, def->title);
        /* A unit's table cannot hold department-level data (三公): say so
         * rather than claim the table is empty. */
        bool dept_data = unit >= 0 && department_level_data(&b);
        out->empty_text = def->empty_text[0] && !dept_data && table_empty(&b) ? fill(ts, def->empty_text)
                                                                             : NULL;
        out->remark = dept_data ? "本表数据按部门填报，不分单位，单位表中不列示。" : NULL;
        out->rows = js_arena_alloc(&ts->arena, sizeof *out->rows * (b.n + 1));
        if (!out->title || !out->rows)
            st = nomem(&b);
        else {
            memcpy(out->rows, b.rows, sizeof *out->rows * b.n);
            out->nrows = b.n;
        }
    }
    free(b.rows);
    free(b.info);
    return st;
}

/* The distinct depths of p's tables into depths, in table order, and the
 * one of each table into set_of; returns how many. */
static size_t table_depths(const js_profile *p, js_fact_depth *depths, size_t *set_of)
{
    size_t n = 0, ntables = js_profile_ntables(p);
    for (size_t i = 0; i < ntables && i < JS_MAX_TABLES; i++) {
        js_fact_depth t;
        table_digits(js_profile_table(p, i), &t.func, &t.econ);
        size_t j = 0;
        while (j < n && (depths[j].func != t.func || depths[j].econ != t.econ))
            j++;
        if (j == n)
            depths[n++] = t;
        set_of[i] = j;
    }
    return n;
}

size_t js_tables_depths(const js_profile *p, js_sum_depth *depths)
{
    size_t set_of[JS_MAX_TABLES];
    return table_depths(p, depths, set_of);
}

/* The sources a fact may have to pass both filters (0: any). */
static uint32_t both_sources(uint32_t a, uint32_t b)
{
    return !a ? b : !b ? a : a & b;
}

uint32_t js_tables_sources(const js_profile *p)
{
    /* a combination of filters with no source named (0) takes any */
    const uint32_t any = (1u << JS_SRC_COUNT) - 1;
    uint32_t need = 0;
#define NEED(m) do { uint32_t m_ = (m); if (!m_) return any; need |= m_; } while (0)
    for (size_t i = 0; i < js_profile_ntables(p); i++) {
        const js_tabledef *t = js_profile_table(p, i);
        uint32_t table = t->filter.sources;
        if (t->has_empty_when)
            NEED(both_sources(table, t->empty_when.sources));
        for (int f = 0; f < t->nfooters; f++)
            NEED(both_sources(table, t->footers[f].filter.sources));
        for (int b = 0; b < t->nblocks; b++)
            for (int c = 0; c < t->blocks[b].ncols; c++) {
                const js_coldef *col = &t->blocks[b].cols[c];
                for (int r = 0; col->kind == JS_COLK_AMOUNT && r < t->blocks[b].nrows; r++) {
                    const js_rowdef *row = &t->blocks[b].rows[r];
                    if (row->kind != JS_ROWK_BLANK && row->kind != JS_ROWK_SUM) /* rows of facts */
                        NEED(both_sources(both_sources(table, col->filter.sources), row->filter.sources));
                }
            }
    }
#undef NEED
    return need & any;
}

js_tableset *js_tables_compile(const js_workbook *wb, const js_profile *p, int unit, js_diag *d)
{
    /* A profile compiles its phase (docs/budget.md): a budget profile
     * needs the workbook's budget phase, a 决算 profile its 决算 sheets. */
    if (js_profile_is_budget(p) && !js_workbook_has_budget_phase(wb)) {
        js_diag_set(d, JS_E_INPUT, js_workbook_sheet_file(wb, "budget_expenditure.csv"), 0, 0, NULL,
                    "配置「%s」编制部门预算公开，工作簿没有预算阶段的「预算支出」表（budget_expenditure.csv）",
                    js_profile_name(p));
        return NULL;
    }
    if (!js_profile_is_budget(p) && js_workbook_has_budget_phase(wb) && !js_workbook_has_sheet(wb, "expenditure.csv")) {
        js_diag_set(d, JS_E_INPUT, js_workbook_sheet_file(wb, "expenditure.csv"), 0, 0, NULL,
                    "工作簿只有预算阶段的表，配置「%s」编制决算；编制预算公开请用 --profile budget（或部门信息的「配置」填 budget）",
                    js_profile_name(p));
        return NULL;
    }
    js_tableset *ts = calloc(1, sizeof *ts);
    if (!ts) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    js_arena_init(&ts->arena);
    ts->wb = wb;
    ts->p = p;
    size_t nunits;
    const js_unit *units = js_workbook_units(wb, &nunits);
    ts->unit = unit >= 0 && (size_t)unit < nunits;
    ts->entity = ts->unit ? units[unit].name : js_workbook_department(wb);
    ts->n = js_profile_ntables(p);
    ts->tables = js_arena_alloc(&ts->arena, sizeof *ts->tables * (ts->n + 1));
    if (!ts->tables) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        js_tableset_free(ts);
        return NULL;
    }
    /* The facts summed once per depth the tables look at: a table of 类
     * rows only, or with no economic code, then works on a few sums instead
     * of every line, and summing into small tables stays in the cache. A
     * profile has at most JS_MAX_TABLES tables (profile.c). */
    size_t set_of[JS_MAX_TABLES], counts[JS_MAX_TABLES];
    js_fact_depth depths[JS_MAX_TABLES];
    ts->nsets = table_depths(p, depths, set_of);
    bool ok = js_fact_sum(wb, ts->unit ? unit : -1, false, depths, ts->nsets, ts->sets, counts, d);
    if (!ok)
        ts->nsets = 0; /* nothing to free */
    for (size_t i = 0; ok && i < ts->n; i++) {
        fact_set set = {depths[set_of[i]], ts->sets[set_of[i]], counts[set_of[i]]};
        ok = compile_table(ts, js_profile_table(p, i), &set, unit, &ts->tables[i], d) == JS_OK;
    }
    if (!ok) {
        js_tableset_free(ts);
        return NULL;
    }
    return ts;
}

void js_tableset_free(js_tableset *ts)
{
    if (!ts)
        return;
    js_arena_release(&ts->arena);
    for (size_t j = 0; j < ts->nsets; j++)
        free(ts->sets[j]);
    free(ts);
}

size_t js_tableset_count(const js_tableset *ts) { return ts->n; }
const js_table *js_tableset_table(const js_tableset *ts, size_t i) { return &ts->tables[i]; }
const js_workbook *js_tableset_workbook(const js_tableset *ts) { return ts->wb; }
const js_profile *js_tableset_profile(const js_tableset *ts) { return ts->p; }
const char *js_tableset_entity(const js_tableset *ts) { return ts->entity; }
void js_tableset_set_mark(js_tableset *ts, const char *text) { ts->mark = text; }
const char *js_tableset_mark(const js_tableset *ts) { return ts->mark; }
const char *js_tableset_entity_label(const js_tableset *ts)
{
    return js_profile_wording(ts->p, ts->unit ? "entity_unit" : "entity_department");
}
