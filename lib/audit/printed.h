/* What a printed 万元 figure says about the exact amount behind it
 * (docs/rules.md, "Two modes"). */
#ifndef JS_PRINTED_H
#define JS_PRINTED_H

#include "juesuan/money.h"

/* One printed unit (0.01 万元) and half of it, in 分. */
#define JS_PRINTED_UNIT (JS_FEN_PER_WAN / 100)
#define JS_PRINTED_HALF (JS_PRINTED_UNIT / 2)

/* The closed interval [*lo, *hi] of exact amounts in 分 that round half
 * away from zero to the printed figure p (in 分), half being half the unit
 * of its last printed digit (JS_PRINTED_HALF for 万元 to two decimals):
 * [p - half, p + half) for p > 0, (p - half, p + half] for p < 0,
 * (-half, half) for a printed 0.00; as 分 are whole, the open ends lose one
 * 分. half 0 (a figure printed to the 分, 元 to two decimals) is exact:
 * [p, p]. A blank cell is exactly 0 and is not passed here. */
void js_printed_interval(js_fen p, js_fen half, js_fen *lo, js_fen *hi);

/* The largest difference n non-blank printed figures on the two sides of
 * an identity can show: 0.01 万元 × ⌊(n − 1) / 2⌋, in 分. */
js_fen js_printed_tolerance(int n);

#endif
