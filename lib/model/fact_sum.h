/* Facts summed by everything the table engine looks at, so that compiling
 * costs per distinct (source, fund, spend, item, unit, 项, 款) instead of
 * per line. */
#ifndef JS_FACT_SUM_H
#define JS_FACT_SUM_H

#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/limits.h"
#include "juesuan/workbook.h"

/* A slot of the hash table: the dimensions packed in two words, the
 * index + 1 of their sum (0: empty) and its running total, so that adding
 * to a sum reads and writes one slot (sums[at - 1].amount is written when
 * the sums are taken). */
typedef struct {
    uint64_t k1, k2;
    uint32_t at;
    js_fen total;
} js_fact_slot;

/* An accumulator of sums: a hash table over the dimensions. */
typedef struct {
    js_fact *sums;
    size_t n, cap;       /* sums */
    js_fact_slot *slots;
    size_t nslots;       /* power of two */
} js_fact_summer;

/* Adds x to the sum of its dimensions (a new sum keeps x's sheet line).
 * false when out of memory or when the sum leaves the range of js_fen. */
bool js_fact_summer_add(js_fact_summer *s, const js_fact *x, bool *overflow);
/* Writes the running totals into the sums: s->sums[0..n) are then the
 * sums. */
void js_fact_summer_flush(js_fact_summer *s);
/* The sums that are not zero, as a malloc'd array the caller owns (NULL
 * when none); empties s. */
js_fact *js_fact_summer_take(js_fact_summer *s, size_t *n);
void js_fact_summer_free(js_fact_summer *s);

/* How deep a set of sums looks into the codes (js_sum_depth). */
typedef js_sum_depth js_fact_depth;

/* Facts summed as they are read (a workbook read for its tables only,
 * js_workbook_open_summed): every fact of a unit summed under the first
 * unit of its kind (first_of_kind, as js_fact_sum with unit < 0 does), at
 * each of a few depths, facts of amount zero left out. A fact's slots are
 * loaded JS_FEED_AHEAD facts before it is added, so that probing a table
 * bigger than the caches does not wait on each line. The sums, zero ones
 * included, keep the order and sheet line of their first fact: summed
 * again by js_fact_sum at their depth or a shallower one they give what
 * the facts would. */
#define JS_FEED_AHEAD 16
/* A pending fact's second key word at one depth and the hash of its key,
 * worked out once, when the fact is given (to load its slot), and used
 * again when it is added. */
typedef struct {
    uint64_t k2, hash;
} js_feed_key;
typedef struct {
    js_fact_summer s[JS_MAX_TABLES]; /* one per depth */
    js_fact_depth depth[JS_MAX_TABLES];
    bool whole[JS_MAX_TABLES];      /* the depth keeps or drops each code whole */
    uint64_t keep2[JS_MAX_TABLES];  /* then the bits of the second key word it keeps */
    size_t k;
    uint8_t *kind;        /* of each unit: a byte a unit stays in the caches */
    uint32_t first_of_kind[JS_UNIT_KIND_COUNT];
    js_fact ring[JS_FEED_AHEAD]; /* given, not yet added, oldest at head */
    uint64_t k1[JS_FEED_AHEAD];  /* the first key word of each */
    js_feed_key *keys;           /* JS_FEED_AHEAD × k: of ring[i] at depth j, keys[i * k + j] */
    size_t head, n;
} js_fact_feed;

/* The depths of depths[0..k) that no other covers (no fewer digits of
 * either code; of equal ones the first), into out; returns how many. */
size_t js_fact_depths_deepest(const js_fact_depth *depths, size_t k, js_fact_depth *out);
/* units[0..nunits) are the workbook's, every one read; depths[0..k) (k
 * from 1 to JS_MAX_TABLES) those no other covers. false when out of
 * memory. */
bool js_fact_feed_init(js_fact_feed *f, const js_unit *units, size_t nunits, const js_fact_depth *depths,
                       size_t k);
/* Gives x (summed now or a few facts later). false when out of memory or
 * a sum leaves the range of js_fen; *bad is then the fact whose addition
 * failed and *overflow says which. */
bool js_fact_feed_add(js_fact_feed *f, const js_fact *x, js_fact *bad, bool *overflow);
/* Gives sum, made by another feed at depth j of the same depths (zero ones
 * too: they keep the order of first appearance), its sheet line moved by
 * lines; pending facts are added first. */
bool js_fact_feed_add_sum(js_fact_feed *f, size_t j, const js_fact *sum, uint32_t lines, js_fact *bad,
                          bool *overflow);
/* Adds what is pending and gives the sums of depth j, zero ones included,
 * as malloc'd arrays the caller owns (NULL when none): sums[j], n[j].
 * Empties f but for its depths; false as js_fact_feed_add. */
bool js_fact_feed_finish(js_fact_feed *f, js_fact **sums, size_t *n, js_fact *bad, bool *overflow);
void js_fact_feed_free(js_fact_feed *f);

/* Sums wb's facts with equal dimensions, at each of depths[0..k) (k at
 * most JS_MAX_TABLES: one per table), in one pass over the facts. unit < 0: every unit's facts, where a unit counts
 * only by its kind (the facts of all units of a kind are given the first
 * unit of that kind, or the kind itself when by_kind); unit >= 0: that
 * unit's facts and the department-level ones (no unit). A sum keeps the
 * sheet line of its first fact; sums of zero are dropped. Fills outs[j]
 * (malloc'd, NULL when nothing is left) and ns[j]; false with d filled when
 * out of memory or a sum leaves the range of js_fen (naming the line). */
/* When wb was read summed (js_workbook_summed), its facts are already the
 * sums of a js_fact_feed: unit must be < 0 (JS_E_INTERNAL otherwise), and
 * the result is the same as from the facts. */
bool js_fact_sum(const js_workbook *wb, int unit, bool by_kind, const js_fact_depth *depths, size_t k,
                 js_fact **outs, size_t *ns, js_diag *d);

#endif
