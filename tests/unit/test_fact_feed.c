/* The sums made while a workbook is read (js_fact_feed, fact_sum.c)
 * against sums made here fact by fact with a list searched key by key: on
 * random facts of a few units, funds and codes, fed in two halves merged
 * as the reader merges them; every sum (zero ones too), its order of first
 * appearance and its first line; the depths kept; an overflow named at
 * its fact. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fact_sum.h"
#include "rng.h"
#include "tap.h"


#define NUNITS 50
#define NFACTS 20000
#define HALF 12000

/* A sum made here: the dimensions of its first fact (unit and codes as
 * summed), its first line, its total. */
typedef struct {
    js_fact key;
    int64_t total;
} ref_sum;

static uint32_t cut(uint32_t code, int digits, int keep)
{
    uint32_t p = 1;
    for (int i = keep; i < digits; i++)
        p *= 10;
    return keep ? code / p * p : 0;
}

static bool same_key(const js_fact *a, const js_fact *b)
{
    return a->source == b->source && a->fund == b->fund && a->spend == b->spend && a->item == b->item &&
           a->unit == b->unit && a->func == b->func && a->econ == b->econ;
}

/* The sums of facts[0..n) at depth t, every unit under the first of its
 * kind, zero facts left out, zero sums kept: searched key by key. */
static size_t reference(const js_fact *facts, size_t n, const js_unit *units, js_fact_depth t, ref_sum *out)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        js_fact x = facts[i];
        if (x.amount == 0)
            continue;
        if (x.unit != UINT32_MAX) {
            uint32_t u = 0;
            while (units[u].kind != units[x.unit].kind)
                u++;
            x.unit = u;
        }
        x.func = cut(x.func, 7, t.func);
        x.econ = cut(x.econ, 5, t.econ);
        size_t k = 0;
        while (k < m && !same_key(&out[k].key, &x))
            k++;
        if (k == m)
            out[m++] = (ref_sum){x, 0};
        out[k].total += x.amount;
    }
    return m;
}

int main(void)
{
    js_unit units[NUNITS];
    for (int u = 0; u < NUNITS; u++)
        units[u] = (js_unit){"单位", (js_unit_kind)(next() % JS_UNIT_KIND_COUNT)};
    static const uint32_t funcs[] = {2010101, 2010102, 2010150, 2010201, 2050101, 2050299, 2080501, 2080505,
                                     2101101, 2101102, 2210201, 2130101};
    static const uint32_t econs[] = {0, 30101, 30102, 30199, 30201, 30229, 30301, 31002, 39999};
    js_fact *facts = calloc(NFACTS, sizeof *facts);
    for (size_t i = 0; i < NFACTS; i++) {
        js_fact *x = &facts[i];
        x->source = (uint8_t)(next() % 3 == 0 ? JS_SRC_REV : JS_SRC_EXP);
        x->fund = (uint8_t)(next() % 4 == 0 ? JS_NONE : next() % 3);
        x->spend = (uint8_t)(next() % 2);
        x->item = JS_NONE;
        x->unit = next() % 10 == 0 ? UINT32_MAX : (uint32_t)(next() % NUNITS);
        x->func = funcs[next() % (sizeof funcs / sizeof funcs[0])];
        x->econ = econs[next() % (sizeof econs / sizeof econs[0])];
        x->project = UINT32_MAX;
        x->amount = next() % 5 == 0 ? 0 : (js_fen)(next() % 2001) - 1000;
        x->sheet_line = (uint32_t)(i < HALF ? i + 2 : i - HALF + 1); /* the second half counts from 1 */
        if (i % 100 == 1) { /* a 项 of its own whose two lines cancel: a sum of zero */
            facts[i - 1].func = 2290000 + (uint32_t)i / 100;
            facts[i - 1].amount = 700;
            uint32_t line = x->sheet_line;
            *x = facts[i - 1];
            x->amount = -700;
            x->sheet_line = line;
        }
    }

    /* the depths kept: none covered by another, the first of equal ones */
    const js_fact_depth asked[] = {{7, 0}, {0, 5}, {3, 0}, {0, 0}, {5, 3}, {7, 0}};
    js_fact_depth deep[JS_MAX_TABLES];
    size_t k = js_fact_depths_deepest(asked, sizeof asked / sizeof asked[0], deep);
    ok(k == 3 && deep[0].func == 7 && deep[0].econ == 0 && deep[1].func == 0 && deep[1].econ == 5 &&
           deep[2].func == 5 && deep[2].econ == 3,
       "the depths no other covers: (7,0), (0,5), (5,3) of six asked");

    /* two halves, the second's sums added to the first's after its facts */
    js_fact_feed a, b;
    ok(js_fact_feed_init(&a, units, NUNITS, deep, k) && js_fact_feed_init(&b, units, NUNITS, deep, k),
       "two feeds");
    js_fact bad;
    bool overflow, fed = true;
    for (size_t i = 0; i < NFACTS && fed; i++)
        fed = js_fact_feed_add(i < HALF ? &a : &b, &facts[i], &bad, &overflow);
    js_fact *part[JS_MAX_TABLES], *sums[JS_MAX_TABLES];
    size_t npart[JS_MAX_TABLES], nsums[JS_MAX_TABLES];
    fed = fed && js_fact_feed_finish(&b, part, npart, &bad, &overflow);
    for (size_t j = 0; fed && j < k; j++)
        for (size_t i = 0; fed && i < npart[j]; i++)
            fed = js_fact_feed_add_sum(&a, j, &part[j][i], HALF + 1, &bad, &overflow);
    fed = fed && js_fact_feed_finish(&a, sums, nsums, &bad, &overflow);
    ok(fed, "20 000 facts fed in two halves");

    /* the facts with their lines in the whole sheet, for the reference */
    for (size_t i = HALF; i < NFACTS; i++)
        facts[i].sheet_line += HALF + 1;
    ref_sum *ref = calloc(NFACTS, sizeof *ref);
    for (size_t j = 0; fed && j < k; j++) {
        size_t m = reference(facts, NFACTS, units, deep[j], ref), wrong = 0, zeros = 0;
        for (size_t i = 0; i < m && i < nsums[j]; i++) {
            const js_fact *s = &sums[j][i];
            wrong += !same_key(s, &ref[i].key) || s->sheet_line != ref[i].key.sheet_line || s->amount != ref[i].total;
            zeros += s->amount == 0;
        }
        ok(m == nsums[j] && m > 10 && wrong == 0 && (deep[j].func < 7 || zeros > 0),
           "depth (%d,%d): %zu sums as made fact by fact (%zu made, %zu differ; %zu of zero kept for their order)",
           deep[j].func, deep[j].econ, nsums[j], m, wrong, zeros);
    }
    for (size_t j = 0; fed && j < k; j++) {
        free(part[j]);
        free(sums[j]);
    }
    js_fact_feed_free(&a);
    js_fact_feed_free(&b);

    /* a sum leaving the range of js_fen: named at the fact that made it so,
     * once the facts pending before it are added */
    js_fact big = facts[1];
    big.amount = INT64_MAX / 2 + 1;
    big.unit = UINT32_MAX;
    js_fact_feed c;
    js_fact_feed_init(&c, units, NUNITS, deep, 1);
    bool added = true;
    for (uint32_t line = 10; line < 13 && added; line++) {
        big.sheet_line = line;
        added = js_fact_feed_add(&c, &big, &bad, &overflow);
    }
    if (added)
        added = js_fact_feed_finish(&c, sums, nsums, &bad, &overflow);
    ok(!added && overflow && bad.sheet_line == 11, "an overflow is named at its line (11), not at a later one");
    js_fact_feed_free(&c);

    free(ref);
    free(facts);
    return done_testing();
}
