/* Summing facts by their dimensions (see fact_sum.h). */
#include "fact_sum.h"

#include <stdlib.h>

#include "beside.h"
#include "huge.h"
#include "juesuan/limits.h"
#include "juesuan/money.h"
#include "strmap.h" /* js_fold_mul */

#define PARALLEL_FACTS 200000 /* from this many facts on, two threads sum */

/* The first word of x's key, under unit (x's own or the one it is summed
 * under); the second word is its codes. */
static uint64_t key1(const js_fact *x, uint32_t unit)
{
    return (uint64_t)x->source | (uint64_t)x->fund << 8 | (uint64_t)x->spend << 16 | (uint64_t)x->item << 24 |
           (uint64_t)unit << 32;
}

static void pack(const js_fact *x, uint64_t *k1, uint64_t *k2)
{
    *k1 = key1(x, x->unit);
    *k2 = (uint64_t)x->func | (uint64_t)x->econ << 32;
}

/* The hash of the key k1, k2: where its slot is, or probing for it
 * starts, in a table of any size. */
/* The two words' product folded, folded again with a constant: keys a
 * little apart (codes 2010101 and 2010102) make products a multiple of
 * the other word apart, whose low bits alone would fill the table in
 * strides; the second product's high half, folded in, moves them with
 * every bit. The constants keep the first factor from being zero: the
 * first word's high half is a unit (fewer than JS_MAX_UNITS) or
 * UINT32_MAX, never 0xa0761d64. Two multiplies where MurmurHash3's
 * finaliser (and the word's own multiply) took three. */
static inline uint64_t hash_of(uint64_t k1, uint64_t k2)
{
    return js_fold_mul(js_fold_mul(k1 ^ 0xa0761d6478bd642fULL, k2 ^ 0xe7037ed1a0b428dbULL), 0x8ebc6af09c88c6e3ULL);
}

static inline size_t home_of(const js_fact_summer *s, uint64_t k1, uint64_t k2)
{
    return (size_t)hash_of(k1, k2) & (s->nslots - 1);
}

static size_t find_slot(const js_fact_summer *s, uint64_t k1, uint64_t k2)
{
    size_t i = home_of(s, k1, k2);
    while (s->slots[i].at && (s->slots[i].k1 != k1 || s->slots[i].k2 != k2))
        i = (i + 1) & (s->nslots - 1);
    return i;
}

static bool grow(js_fact_summer *s)
{
    if (s->cap >= UINT32_MAX / 4)
        return false;
    size_t cap = s->cap ? 2 * s->cap : 64;
    js_fact *sums = realloc(s->sums, cap * sizeof *sums);
    if (!sums)
        return false;
    s->sums = sums;
    js_fact_slot *slots = js_table_alloc(2 * cap * sizeof *slots);
    if (!slots)
        return false;
    js_fact_slot *old = s->slots;
    size_t nold = s->nslots;
    s->cap = cap;
    s->slots = slots;
    s->nslots = 2 * cap;
    for (size_t k = 0; k < nold; k++)
        if (old[k].at)
            s->slots[find_slot(s, old[k].k1, old[k].k2)] = old[k];
    free(old);
    return true;
}

void js_fact_summer_flush(js_fact_summer *s)
{
    for (size_t i = 0; i < s->nslots; i++)
        if (s->slots[i].at)
            s->sums[s->slots[i].at - 1].amount = s->slots[i].total;
}

static const uint32_t k_pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

/* A code of digits digits cut to its first keep (0: dropped). */
static inline uint32_t cut_code(uint32_t code, int digits, int keep)
{
    /* whole and dropped codes are the common cases: no division */
    if (keep >= digits)
        return code;
    return keep ? code / k_pow10[digits - keep] * k_pow10[digits - keep] : 0;
}

/* x with its codes cut to depth t. */
static js_fact cut(js_fact x, js_fact_depth t)
{
    x.func = cut_code(x.func, 7, t.func);
    x.econ = cut_code(x.econ, 5, t.econ);
    return x;
}

/* Makes the sum of key k1, k2 in slot e, from x (dimensions under unit,
 * cut to t) with nothing summed yet: seldom (once a sum), so out of the
 * loops that add. */
static __attribute__((noinline)) void new_sum(js_fact_summer *s, js_fact_slot *e, uint64_t k1, uint64_t k2,
                                              const js_fact *x, uint32_t unit, js_fact_depth t)
{
    js_fact *sum = &s->sums[s->n];
    *sum = *x;
    sum->unit = unit;
    sum->func = cut_code(x->func, 7, t.func);
    sum->econ = cut_code(x->econ, 5, t.econ);
    sum->amount = 0;
    *e = (js_fact_slot){k1, k2, (uint32_t)++s->n, 0};
}

/* Adds x's amount to the sum of key k1, k2 (x's dimensions, under unit,
 * cut to t; h = hash_of(k1, k2)), made when new from x with nothing summed
 * yet: the keys are given so that a caller summing one fact at several
 * depths packs them once, from registers, and a feed hashes them once.
 * Inlined in the loops that add (a call of eight arguments cost as much as
 * the probe). */
static inline __attribute__((always_inline)) bool add_hashed(js_fact_summer *s, uint64_t k1, uint64_t k2,
                                                             uint64_t h, const js_fact *x, uint32_t unit,
                                                             js_fact_depth t, bool *overflow)
{
    if (__builtin_expect(s->n == s->cap, 0) && !grow(s)) {
        *overflow = false;
        return false;
    }
    /* *overflow is written on failure only: a store through a bool pointer
     * may alias anything, and made the loops that add reload their state */
    size_t mask = s->nslots - 1, i = (size_t)h & mask;
    js_fact_slot *e = &s->slots[i];
    while (e->at && (e->k1 != k1 || e->k2 != k2))
        e = &s->slots[i = (i + 1) & mask];
    if (!e->at)
        new_sum(s, e, k1, k2, x, unit, t);
    if (__builtin_add_overflow(e->total, x->amount, &e->total)) {
        *overflow = true;
        return false;
    }
    return true;
}

static bool add_keyed(js_fact_summer *s, uint64_t k1, uint64_t k2, const js_fact *x, uint32_t unit,
                      js_fact_depth t, bool *overflow)
{
    *overflow = false;
    return add_hashed(s, k1, k2, hash_of(k1, k2), x, unit, t, overflow);
}

bool js_fact_summer_add(js_fact_summer *s, const js_fact *x, bool *overflow)
{
    uint64_t k1, k2;
    pack(x, &k1, &k2);
    return add_keyed(s, k1, k2, x, x->unit, (js_fact_depth){7, 5}, overflow);
}

js_fact *js_fact_summer_take(js_fact_summer *s, size_t *n)
{
    js_fact_summer_flush(s);
    size_t w = 0;
    for (size_t k = 0; k < s->n; k++)
        if (s->sums[k].amount != 0)
            s->sums[w++] = s->sums[k];
    js_fact *out = w ? s->sums : NULL;
    if (!w)
        free(s->sums);
    free(s->slots);
    *s = (js_fact_summer){0};
    *n = w;
    return out;
}

void js_fact_summer_free(js_fact_summer *s)
{
    free(s->sums);
    free(s->slots);
    *s = (js_fact_summer){0};
}

size_t js_fact_depths_deepest(const js_fact_depth *depths, size_t k, js_fact_depth *out)
{
    size_t n = 0;
    for (size_t j = 0; j < k; j++) {
        bool covered = false;
        for (size_t i = 0; i < k && !covered; i++)
            covered = i != j && depths[i].func >= depths[j].func && depths[i].econ >= depths[j].econ &&
                      (depths[i].func != depths[j].func || depths[i].econ != depths[j].econ || i < j);
        if (!covered)
            out[n++] = depths[j];
    }
    return n;
}

bool js_fact_feed_init(js_fact_feed *f, const js_unit *units, size_t nunits, const js_fact_depth *depths,
                       size_t k)
{
    *f = (js_fact_feed){.kind = malloc(nunits ? nunits : 1), .k = k,
                        .keys = malloc(JS_FEED_AHEAD * (k ? k : 1) * sizeof *f->keys)};
    if (!f->kind || !f->keys) {
        js_fact_feed_free(f);
        return false;
    }
    for (size_t j = 0; j < k; j++) {
        f->depth[j] = depths[j];
        f->whole[j] = (depths[j].func == 0 || depths[j].func >= 7) && (depths[j].econ == 0 || depths[j].econ >= 5);
        f->keep2[j] = (depths[j].func ? 0xFFFFFFFFULL : 0) | (depths[j].econ ? 0xFFFFFFFFULL << 32 : 0);
    }
    for (uint32_t u = 0; u < JS_UNIT_KIND_COUNT; u++)
        f->first_of_kind[u] = UINT32_MAX;
    for (size_t u = nunits; u-- > 0;) {
        f->first_of_kind[units[u].kind] = (uint32_t)u;
        f->kind[u] = (uint8_t)units[u].kind;
    }
    return true;
}

/* Tables of fewer slots (256 KiB) are not prefetched. */
#define FEED_PREFETCH_SLOTS ((size_t)256 * 1024 / sizeof(js_fact_slot))

static inline uint64_t depth_key2(const js_fact *x, js_fact_depth t)
{
    return cut_code(x->func, 7, t.func) | (uint64_t)cut_code(x->econ, 5, t.econ) << 32;
}

/* The same in a feed at its depth j: a code kept or dropped whole (the
 * common depths) by a mask, without the branches of cut_code. */
static inline uint64_t feed_key2(const js_fact_feed *f, const js_fact *x, size_t j)
{
    if (f->whole[j])
        return ((uint64_t)x->func | (uint64_t)x->econ << 32) & f->keep2[j];
    return depth_key2(x, f->depth[j]);
}

/* Adds the oldest pending fact at every depth, by the keys and hashes
 * worked out when it was given. */
static inline __attribute__((always_inline)) bool feed_pop(js_fact_feed *f, js_fact *bad, bool *overflow)
{
    size_t at = f->head;
    const js_fact *x = &f->ring[at];
    const js_feed_key *key = &f->keys[at * f->k];
    f->head = (at + 1) % JS_FEED_AHEAD;
    f->n--;
    uint64_t k1 = f->k1[at];
    for (size_t j = 0, k = f->k; j < k; j++)
        if (!add_hashed(&f->s[j], k1, key[j].k2, key[j].hash, x, x->unit, f->depth[j], overflow)) {
            *bad = *x;
            return false;
        }
    return true;
}

bool js_fact_feed_add(js_fact_feed *f, const js_fact *x, js_fact *bad, bool *overflow)
{
    *overflow = false;
    if (x->amount == 0)
        return true;
    if (f->n == JS_FEED_AHEAD && !feed_pop(f, bad, overflow))
        return false;
    /* queued, its unit the one it is summed under, and its slots loading */
    size_t at = (f->head + f->n++) % JS_FEED_AHEAD;
    uint32_t unit = x->unit;
    if (unit != UINT32_MAX)
        unit = f->first_of_kind[f->kind[unit]];
    /* the keys from x and unit, not read back from the copy (a load
     * spanning the copy's two stores would wait for both) */
    uint64_t k1 = f->k1[at] = key1(x, unit);
    js_fact *y = &f->ring[at];
    *y = *x;
    y->unit = unit;
    js_feed_key *key = &f->keys[at * f->k];
    for (size_t j = 0; j < f->k; j++) {
        key[j].k2 = feed_key2(f, x, j);
        key[j].hash = hash_of(k1, key[j].k2);
        /* the home slot and the next (a probe often goes on: the table is
         * up to half full), of a table bigger than a core's cache (a
         * smaller one stays in it: no wait to hide) */
        if (f->s[j].nslots >= FEED_PREFETCH_SLOTS) {
            __builtin_prefetch(&f->s[j].slots[(size_t)key[j].hash & (f->s[j].nslots - 1)], 1);
            __builtin_prefetch(&f->s[j].slots[(size_t)(key[j].hash + 1) & (f->s[j].nslots - 1)], 1);
        }
    }
    return true;
}

bool js_fact_feed_add_sum(js_fact_feed *f, size_t j, const js_fact *sum, uint32_t lines, js_fact *bad,
                          bool *overflow)
{
    *overflow = false;
    while (f->n)
        if (!feed_pop(f, bad, overflow))
            return false;
    js_fact y = *sum;
    y.sheet_line += lines;
    uint64_t k1 = key1(&y, y.unit);
    if (add_keyed(&f->s[j], k1, depth_key2(&y, f->depth[j]), &y, y.unit, f->depth[j], overflow))
        return true;
    *bad = y;
    return false;
}

bool js_fact_feed_finish(js_fact_feed *f, js_fact **sums, size_t *n, js_fact *bad, bool *overflow)
{
    *overflow = false;
    while (f->n)
        if (!feed_pop(f, bad, overflow))
            return false;
    for (size_t j = 0; j < f->k; j++) {
        js_fact_summer *s = &f->s[j];
        js_fact_summer_flush(s);
        sums[j] = s->n ? s->sums : NULL;
        n[j] = s->n;
        if (!s->n)
            free(s->sums);
        free(s->slots);
        *s = (js_fact_summer){0};
    }
    return true;
}

void js_fact_feed_free(js_fact_feed *f)
{
    for (size_t j = 0; j < f->k; j++)
        js_fact_summer_free(&f->s[j]);
    free(f->kind);
    free(f->keys);
    f->kind = NULL;
    f->keys = NULL;
    f->n = 0;
}

/* Summing part of the facts: one job per thread. */
typedef struct {
    const js_fact *facts;
    size_t from, to;
    const js_unit *units;
    const uint32_t *first_of_kind;
    int unit;
    const js_fact_depth *depths;
    const bool *from_facts; /* per depth: summed from the facts (else derived) */
    size_t k;
    js_fact_summer s[JS_MAX_TABLES]; /* one per depth */
    bool ok, overflow;
    js_fact bad;       /* the fact being added when it failed */
} sum_job;

/* Whether x is summed by job, and its first key word when it is. */
static inline bool job_key1(const sum_job *job, const js_fact *x, uint32_t *unit, uint64_t *k1)
{
    if (x->amount == 0 || (job->unit >= 0 && x->unit != (uint32_t)job->unit && x->unit != UINT32_MAX))
        return false;
    *unit = x->unit;
    if (job->unit < 0 && *unit != UINT32_MAX)
        *unit = job->first_of_kind[job->units[*unit].kind];
    *k1 = key1(x, *unit);
    return true;
}

static inline uint64_t job_key2(const js_fact *x, js_fact_depth t)
{
    return cut_code(x->func, 7, t.func) | (uint64_t)cut_code(x->econ, 5, t.econ) << 32;
}

#define AHEAD 8 /* the slots of the fact this far ahead are loaded while one is added */

/* A fact's first key word, worked out AHEAD facts before it is added. */
typedef struct {
    uint64_t k1;
    uint32_t unit;
    bool summed;
} fact_key;

static void *sum_range(void *arg)
{
    sum_job *job = arg;
    fact_key ahead[AHEAD];
    for (size_t f = job->from; f < job->to && f < job->from + AHEAD; f++) {
        fact_key *a = &ahead[f % AHEAD];
        a->summed = job_key1(job, &job->facts[f], &a->unit, &a->k1);
    }
    for (size_t f = job->from; job->ok && f < job->to; f++) {
        fact_key key = ahead[f % AHEAD];
        /* in lines of many departments the sums are probed at random:
         * the wait for a slot is hidden behind the facts before it */
        size_t g = f + AHEAD;
        fact_key *a = &ahead[g % AHEAD];
        if (g < job->to && (a->summed = job_key1(job, &job->facts[g], &a->unit, &a->k1)))
            for (size_t j = 0; j < job->k; j++)
                if (job->from_facts[j] && job->s[j].nslots)
                    __builtin_prefetch(
                        &job->s[j].slots[home_of(&job->s[j], a->k1, job_key2(&job->facts[g], job->depths[j]))]);
        if (!key.summed)
            continue;
        const js_fact *x = &job->facts[f];
        for (size_t j = 0; job->ok && j < job->k; j++)
            if (job->from_facts[j])
                job->ok = add_keyed(&job->s[j], key.k1, job_key2(x, job->depths[j]), x, key.unit, job->depths[j],
                                    &job->overflow);
        if (!job->ok)
            job->bad = *x;
    }
    return NULL;
}

/* Adds the sums of b (zeros included) into a, in b's order: the same sums,
 * in the same order, as one job over both ranges. */
static void merge_job(sum_job *a, sum_job *b)
{
    for (size_t j = 0; a->ok && j < a->k; j++) {
        js_fact_summer_flush(&b->s[j]);
        for (size_t i = 0; a->ok && i < b->s[j].n; i++) {
            a->ok = js_fact_summer_add(&a->s[j], &b->s[j].sums[i], &a->overflow);
            a->bad = b->s[j].sums[i];
        }
    }
}

/* The sums of set (n) that are not zero, in their order, into *out (NULL
 * and 0 when none); false when memory is out. */
static bool take_nonzero(const js_fact *set, size_t n, js_fact **out, size_t *nout)
{
    size_t w = 0;
    for (size_t e = 0; e < n; e++)
        w += set[e].amount != 0;
    *out = NULL;
    *nout = w;
    if (!w)
        return true;
    if (!(*out = malloc(w * sizeof **out)))
        return false;
    w = 0;
    for (size_t e = 0; e < n; e++)
        if (set[e].amount != 0)
            (*out)[w++] = set[e];
    return true;
}

/* js_fact_sum of a workbook read summed: each depth from a set of sums
 * that covers it (the same sums in the same order as from the facts, see
 * js_fact_feed). */
static bool sum_sets(const js_workbook *wb, const js_fact_depth *depths, size_t k, js_fact **outs, size_t *ns,
                     js_diag *d)
{
    size_t nsets = js_workbook_sum_sets(wb), done = 0;
    bool ok = true, overflow = false;
    js_fact bad = {0};
    for (size_t j = 0; ok && j < k; j++) {
        size_t pick = nsets, n;
        js_fact_depth t;
        for (size_t i = 0; i < nsets && pick == nsets; i++) {
            js_workbook_sum_set(wb, i, &t, &n);
            if (t.func == depths[j].func && t.econ == depths[j].econ)
                pick = i;
        }
        for (size_t i = 0; i < nsets && pick == nsets; i++) {
            js_workbook_sum_set(wb, i, &t, &n);
            if (t.func >= depths[j].func && t.econ >= depths[j].econ)
                pick = i;
        }
        if (pick == nsets) {
            js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "no sums at depth %d,%d", depths[j].func, depths[j].econ);
            ok = overflow = false;
            break;
        }
        const js_fact *set = js_workbook_sum_set(wb, pick, &t, &n);
        if (t.func == depths[j].func && t.econ == depths[j].econ) {
            /* the set's own depth: its keys are distinct and cut already,
             * so summing it again would give it back, in its order, less
             * its zeros (js_fact_summer_take): copied, not summed */
            ok = take_nonzero(set, n, &outs[j], &ns[j]);
            if (ok)
                done++;
            else
                js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            continue;
        }
        js_fact_summer s = {0};
        for (size_t e = 0; ok && e < n; e++) {
            js_fact y = cut(set[e], depths[j]);
            if (!(ok = js_fact_summer_add(&s, &y, &overflow)))
                bad = set[e];
        }
        if (ok) {
            outs[j] = js_fact_summer_take(&s, &ns[j]);
            done++;
        } else {
            js_fact_summer_free(&s);
            if (overflow)
                js_diag_set(d, JS_E_INPUT, js_workbook_source_file(wb, bad.source), (long)bad.sheet_line, 0, NULL,
                            "金额合计超出范围");
            else
                js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        }
    }
    if (ok)
        return true;
    for (size_t i = 0; i < done; i++)
        free(outs[i]);
    return false;
}

bool js_fact_sum(const js_workbook *wb, int unit, bool by_kind, const js_fact_depth *depths, size_t k,
                 js_fact **outs, size_t *ns, js_diag *d)
{
    if (js_workbook_summed(wb)) {
        if (unit < 0 && !by_kind && k <= JS_MAX_TABLES)
            return sum_sets(wb, depths, k, outs, ns, d);
        js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "a workbook read summed has only the department's sums");
        return false;
    }
    size_t n, nunits;
    const js_fact *facts = js_workbook_facts(wb, &n);
    const js_unit *units = js_workbook_units(wb, &nunits);
    uint32_t first_of_kind[JS_UNIT_KIND_COUNT];
    for (uint32_t u = 0; u < JS_UNIT_KIND_COUNT; u++)
        first_of_kind[u] = by_kind ? u : UINT32_MAX;
    for (size_t u = nunits; !by_kind && u-- > 0;)
        first_of_kind[units[u].kind] = (uint32_t)u;
    if (k > JS_MAX_TABLES) {
        js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "more than %d depths", JS_MAX_TABLES);
        return false;
    }
    /* Only the deepest depths are summed from the facts; one that another
     * covers (no more digits of either code) is summed from that one's sums,
     * which gives the same sums in the same order. */
    bool from_facts[JS_MAX_TABLES];
    size_t source[JS_MAX_TABLES];
    for (size_t j = 0; j < k; j++) {
        from_facts[j] = true;
        for (size_t i = 0; i < k && from_facts[j]; i++)
            if (i != j && depths[i].func >= depths[j].func && depths[i].econ >= depths[j].econ &&
                (depths[i].func != depths[j].func || depths[i].econ != depths[j].econ || i < j)) {
                from_facts[j] = false;
                source[j] = i;
            }
    }
    /* Many facts: two threads sum one half each, then the second half's
     * sums (few, they are sums) are added to the first's. */
    size_t half = n >= PARALLEL_FACTS && js_beside_halves_on() ? n / 2 : n;
    sum_job jobs[2];
    for (int i = 0; i < 2; i++)
        jobs[i] = (sum_job){.facts = facts, .from = i ? half : 0, .to = i ? n : half, .units = units,
                            .first_of_kind = first_of_kind, .unit = unit, .depths = depths,
                            .from_facts = from_facts, .k = k, .ok = true};
    js_beside b;
    js_beside_start(&b, sum_range, &jobs[1], half < n); /* else an empty range */
    sum_range(&jobs[0]);
    js_beside_finish(&b);
    if (jobs[0].ok && !jobs[1].ok) {
        jobs[0].ok = false; /* the first failure in file order */
        jobs[0].overflow = jobs[1].overflow;
        jobs[0].bad = jobs[1].bad;
    }
    merge_job(&jobs[0], &jobs[1]);
    for (size_t j = 0; jobs[0].ok && j < k; j++) {
        if (from_facts[j])
            continue;
        /* a source is itself summed from the facts: covering is transitive */
        size_t i = source[j];
        while (!from_facts[i])
            i = source[i];
        js_fact_summer *src = &jobs[0].s[i];
        js_fact_summer_flush(src);
        for (size_t e = 0; jobs[0].ok && e < src->n; e++) {
            js_fact y = cut(src->sums[e], depths[j]);
            jobs[0].ok = js_fact_summer_add(&jobs[0].s[j], &y, &jobs[0].overflow);
            jobs[0].bad = src->sums[e];
        }
    }
    bool ok = jobs[0].ok;
    for (size_t j = 0; j < k; j++) {
        js_fact_summer_free(&jobs[1].s[j]);
        if (ok)
            outs[j] = js_fact_summer_take(&jobs[0].s[j], &ns[j]);
        else
            js_fact_summer_free(&jobs[0].s[j]);
    }
    if (ok)
        return true;
    if (jobs[0].overflow)
        js_diag_set(d, JS_E_INPUT, js_workbook_source_file(wb, jobs[0].bad.source), (long)jobs[0].bad.sheet_line, 0,
                    NULL, "金额合计超出范围");
    else
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    return false;
}
