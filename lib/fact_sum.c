/* Summing facts by their dimensions (see fact_sum.h). */
#include "fact_sum.h"

#include <stdlib.h>

#include "juesuan/money.h"

/* The 64-bit finaliser of MurmurHash3: every input bit moves every output
 * bit, so linear probing sees no clusters. */
static uint64_t mix(uint64_t z)
{
    z ^= z >> 33;
    z *= 0xff51afd7ed558ccdULL;
    z ^= z >> 33;
    z *= 0xc4ceb9fe1a85ec53ULL;
    return z ^ (z >> 33);
}

static uint64_t key_hash(const js_fact *x)
{
    uint64_t a = (uint64_t)x->source | (uint64_t)x->fund << 8 | (uint64_t)x->spend << 16 |
                 (uint64_t)x->item << 24 | (uint64_t)x->unit << 32;
    uint64_t b = (uint64_t)x->func | (uint64_t)x->econ << 32;
    return mix(a ^ mix(b));
}

static bool same_key(const js_fact *x, const js_fact *y)
{
    return x->source == y->source && x->fund == y->fund && x->spend == y->spend && x->item == y->item &&
           x->unit == y->unit && x->func == y->func && x->econ == y->econ;
}

static size_t find_slot(const js_fact_summer *s, const js_fact *x)
{
    size_t i = (size_t)key_hash(x) & (s->nslots - 1);
    while (s->slots[i] && !same_key(&s->sums[s->slots[i] - 1], x))
        i = (i + 1) & (s->nslots - 1);
    return i;
}

static bool grow(js_fact_summer *s)
{
    if (s->cap >= UINT32_MAX / 4)
        return false;
    size_t cap = s->cap ? 2 * s->cap : 1024;
    js_fact *sums = realloc(s->sums, cap * sizeof *sums);
    if (!sums)
        return false;
    s->sums = sums;
    uint32_t *slots = calloc(2 * cap, sizeof *slots);
    if (!slots)
        return false;
    free(s->slots);
    s->cap = cap;
    s->slots = slots;
    s->nslots = 2 * cap;
    for (size_t k = 0; k < s->n; k++)
        s->slots[find_slot(s, &s->sums[k])] = (uint32_t)k + 1;
    return true;
}

bool js_fact_summer_add(js_fact_summer *s, const js_fact *x, bool *overflow)
{
    *overflow = false;
    if (s->n == s->cap && !grow(s))
        return false;
    size_t i = find_slot(s, x);
    if (!s->slots[i]) {
        s->sums[s->n] = *x;
        s->slots[i] = (uint32_t)++s->n;
        return true;
    }
    js_fen *sum = &s->sums[s->slots[i] - 1].amount;
    *overflow = !js_fen_add(*sum, x->amount, sum);
    return !*overflow;
}

js_fact *js_fact_summer_take(js_fact_summer *s, size_t *n)
{
    size_t w = 0;
    for (size_t k = 0; k < s->n; k++)
        if (s->sums[k].amount != 0)
            s->sums[w++] = s->sums[k];
    js_fact *out = w ? s->sums : NULL;
    if (!w)
        free(s->sums);
    free(s->slots);
    *s = (js_fact_summer){NULL, 0, 0, NULL, 0};
    *n = w;
    return out;
}

void js_fact_summer_free(js_fact_summer *s)
{
    free(s->sums);
    free(s->slots);
    *s = (js_fact_summer){NULL, 0, 0, NULL, 0};
}

js_fact *js_fact_sum(const js_workbook *wb, int unit, bool by_kind, size_t *out_n, js_diag *d)
{
    size_t n, nunits;
    const js_fact *facts = js_workbook_facts(wb, &n);
    const js_unit *units = js_workbook_units(wb, &nunits);
    uint32_t first_of_kind[JS_UNIT_KIND_COUNT];
    for (uint32_t k = 0; k < JS_UNIT_KIND_COUNT; k++)
        first_of_kind[k] = by_kind ? k : UINT32_MAX;
    for (size_t u = nunits; !by_kind && u-- > 0;)
        first_of_kind[units[u].kind] = (uint32_t)u;
    js_fact_summer s = {NULL, 0, 0, NULL, 0};
    *out_n = 0;
    for (size_t f = 0; f < n; f++) {
        js_fact x = facts[f];
        if (x.amount == 0 || (unit >= 0 && x.unit != (uint32_t)unit && x.unit != UINT32_MAX))
            continue;
        if (unit < 0 && x.unit != UINT32_MAX)
            x.unit = first_of_kind[units[x.unit].kind];
        bool overflow;
        if (!js_fact_summer_add(&s, &x, &overflow)) {
            js_fact_summer_free(&s);
            if (overflow)
                js_diag_set(d, JS_E_INPUT, js_workbook_source_file(wb, x.source), (long)x.sheet_line, 0,
                            NULL, "金额合计超出范围");
            else
                js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            return NULL;
        }
    }
    return js_fact_summer_take(&s, out_n);
}

bool js_fact_project(const js_fact *facts, size_t n, int func_digits, int econ_digits, js_fact **out,
                     size_t *out_n, const js_fact **overflow)
{
    static const uint32_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
    uint32_t fcut = pow10[7 - func_digits], ecut = pow10[5 - econ_digits];
    js_fact_summer s = {NULL, 0, 0, NULL, 0};
    *out = NULL;
    *out_n = 0;
    *overflow = NULL;
    for (size_t f = 0; f < n; f++) {
        js_fact x = facts[f];
        x.func = x.func / fcut * fcut;
        x.econ = x.econ / ecut * ecut;
        bool over;
        if (!js_fact_summer_add(&s, &x, &over)) {
            js_fact_summer_free(&s);
            *overflow = over ? &facts[f] : NULL;
            return false;
        }
    }
    *out = js_fact_summer_take(&s, out_n);
    return true;
}
