/* Status codes and the one diagnostic record the library fills.
 *
 * Every library function that can fail returns a js_status and, when it is
 * not JS_OK, fills the js_diag passed by the caller (which may be NULL when
 * the caller does not care). The message is Chinese, for the end user; the
 * location fields say where in the user's input the problem is. */
#ifndef JUESUAN_DIAG_H
#define JUESUAN_DIAG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    JS_OK = 0,
    JS_E_INPUT,    /* the user's data is wrong (bad cell, unknown code ...) */
    JS_E_USAGE,    /* the caller asked for something that does not exist */
    JS_E_IO,       /* a file could not be read or written */
    JS_E_LIMIT,    /* an input exceeds a limit of limits.h */
    JS_E_NOMEM,    /* out of memory */
    JS_E_INTERNAL  /* a bug */
} js_status;

typedef struct {
    js_status status;
    char file[512];    /* file or sheet name, empty when none */
    long line;         /* 1-based line, 0 when none */
    int col;           /* 1-based column, 0 when none */
    char colname[128]; /* column heading, empty when none */
    char message[768]; /* what is wrong, in Chinese */
    bool a1;           /* file is "book.xlsx!sheet": format the cell as sheet!F14 */
} js_diag;

/* Clears d (d may be NULL). */
void js_diag_clear(js_diag *d);

/* Fills d (when not NULL) and returns st. file may be NULL; line and col may
 * be 0. The message is printf-formatted and truncated to fit. */
js_status js_diag_set(js_diag *d, js_status st, const char *file, long line,
                      int col, const char *colname, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Writes "file:line:col: 「colname」message" (the parts present) into buf. */
void js_diag_format(const js_diag *d, char *buf, size_t n);

#endif
