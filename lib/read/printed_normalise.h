/* Normalising the text of a printed report (docs/reading.md):
 *   - compatibility forms folded: Kangxi radicals (NFKC, e.g. ⽀ → 支), the
 *     CJK Radicals Supplement forms NFKC leaves (⻔ → 门, ⻋ → 车 …, a table),
 *     full-width digits, '.', '%', '-' and the ideographic space;
 *   - spaces between two CJK characters removed (extraction artefacts);
 *   - labels keep their own punctuation otherwise (（一） stays).
 * And numbers as printed: split by spacing (37192. 3 65, 3 7 1 9 2 . 3 6 5),
 * thousands separators anywhere, blank vs "-" vs 0.00. */
#ifndef JS_PRINTED_NORMALISE_H
#define JS_PRINTED_NORMALISE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* The folded form of s[0..n) (see above), in the arena; NULL when out of
 * memory. Invalid UTF-8 bytes are dropped. */
char *js_pn_fold(js_arena *a, const char *s, size_t n);

typedef enum {
    JS_PN_TEXT,   /* not a number */
    JS_PN_DASH,   /* "-" or "—": printed as nothing */
    JS_PN_INT,    /* digits only, no separator or point (a 行次, a code, a 栏次) */
    JS_PN_AMOUNT  /* a number with a point or thousands separators */
} js_pn_kind;

/* Classifies folded cell text. For JS_PN_INT and JS_PN_AMOUNT, writes the
 * number to out (at least 40 bytes): digits with spaces and separators
 * removed, a leading '-' kept, and for an amount at least `decimals` digits
 * after the point (padded with zeros). A number longer than fits is text. */
js_pn_kind js_pn_number(const char *s, int decimals, char *out, size_t n);

/* Whether s holds at least one CJK ideograph. */
bool js_pn_has_cjk(const char *s);
/* s without any whitespace, into the arena. */
char *js_pn_squeeze(js_arena *a, const char *s);

#endif
