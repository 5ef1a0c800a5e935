/* Money: int64_t 分 (cents of 元), checked arithmetic, one parser, one
 * formatter. A double never holds money. */
#ifndef JUESUAN_MONEY_H
#define JUESUAN_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t js_fen;

#define JS_FEN_PER_YUAN 100
#define JS_FEN_PER_WAN  1000000 /* 1 万元 = 10000 元 = 1000000 分 */

typedef enum { JS_UNIT_YUAN, JS_UNIT_WAN } js_money_unit;

enum {
    JS_MONEY_BLANK_ZERO = 1 /* "", "-", "—" and "－" alone read as zero */
};

/* a + b into *out; false (and *out untouched) on overflow. */
static inline bool js_fen_add(js_fen a, js_fen b, js_fen *out)
{
    return !__builtin_add_overflow(a, b, out);
}

static inline bool js_fen_sub(js_fen a, js_fen b, js_fen *out)
{
    return !__builtin_sub_overflow(a, b, out);
}

/* Parses one amount written in `unit` (元 allows at most 2 decimals, 万元 at
 * most 6). Accepts leading/trailing spaces, thousands commas in groups of
 * three (ASCII or full-width), full-width digits and point, a leading
 * minus as '-', '－' (U+FF0D) or '−' (U+2212), accounting parentheses
 * "(1,234.00)" / "（1,234.00）", and a trailing unit word "元" or "万元",
 * which overrides `unit`. With JS_MONEY_BLANK_ZERO, a blank or a lone dash
 * reads as 0. On failure returns false and points *why (when not NULL) at a
 * static Chinese message. */
bool js_money_parse(const char *s, size_t len, js_money_unit unit, int flags,
                    js_fen *out, const char **why);

/* The one rule by which numeric cells (amounts, codes, dates) are read:
 * copies s[0..len) to out as ASCII, full-width digits, point, comma,
 * minus, plus and parentheses and the ideographic space mapped to their
 * ASCII forms, em and en dashes to '~'. false when another non-ASCII
 * character occurs or out (cap bytes) is too small; *outlen excludes the
 * NUL written after it. */
bool js_number_ascii(const char *s, size_t len, char *out, size_t cap, size_t *outlen);

/* Rounds fen to 万元 with two decimals, half away from zero, and writes it
 * as "-1234.57" (or "-1,234.57" with thousands). Returns the length written
 * (buf needs at most 32 bytes). */
size_t js_money_format_wan(js_fen fen, bool thousands, char *buf, size_t n);

/* Writes fen as 元 with two decimals ("1234.50"). Returns the length. */
size_t js_money_format_yuan(js_fen fen, char *buf, size_t n);
/* The same, "1,234.50" with thousands (a table printed in 元). */
size_t js_money_format_yuan_grouped(js_fen fen, bool thousands, char *buf, size_t n);

/* (num / den) × 100 as a percentage with `decimals` digits after the point
 * (0…6), rounded half away from zero from the exact quotient: "12.35",
 * "-0.40", "300.0". false, and buf "", when den is 0 (no percentage). */
bool js_money_percent(js_fen num, js_fen den, int decimals, char *buf, size_t n);

/* fen rounded to units of 0.01 万元 (i.e. 100 元), half away from zero. */
int64_t js_money_round_wan_cents(js_fen fen);

#endif
