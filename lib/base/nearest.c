/* The nearest name for "did you mean" (see nearest.h). */
#include "nearest.h"

#include <stdbool.h>
#include <string.h>

#define MAX_CPS 256

/* The code points of s (at most MAX_CPS), their count; -1 when longer. */
static int code_points(const char *s, unsigned *out)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        if (n == MAX_CPS)
            return -1;
        unsigned c = *p, len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        for (unsigned k = 1; k < len; k++) {
            if (!p[k])
                return -1;
            c = c << 8 | p[k];
        }
        out[n++] = c;
        p += len;
    }
    return n;
}

static int distance(const unsigned *a, int na, const unsigned *b, int nb)
{
    int row[MAX_CPS + 1];
    for (int j = 0; j <= nb; j++)
        row[j] = j;
    for (int i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= nb; j++) {
            int up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[nb];
}

const char *js_nearest_name(const char *text, const char *(*name_at)(const void *ctx, size_t i), const void *ctx,
                            size_t n)
{
    unsigned a[MAX_CPS], b[MAX_CPS];
    int na = code_points(text, a);
    if (na <= 0)
        return NULL;
    const char *best = NULL;
    int best_d = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = name_at(ctx, i);
        int nb = name ? code_points(name, b) : -1;
        if (nb <= 0)
            continue;
        int d = distance(a, na, b, nb), shorter = na < nb ? na : nb;
        bool contained = strstr(name, text) || strstr(text, name);
        if ((d * 3 <= shorter || contained) && (!best || d < best_d)) {
            best = name;
            best_d = d;
        }
    }
    return best;
}
