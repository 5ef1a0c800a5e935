/* The results both backends hand back, and the shorthand into a backend. */
#include "db.h"

#include <stdlib.h>
#include <string.h>

void db_res_free(db_res *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->rows * r->cols; k++)
        free(r->cells[k].s);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

static const db_cell *cell(const db_res *r, size_t row, size_t col)
{
    if (!r || row >= r->rows || col >= r->cols)
        return NULL;
    return &r->cells[row * r->cols + col];
}

int64_t db_int(const db_res *r, size_t row, size_t col)
{
    const db_cell *c = cell(r, row, col);
    return c && !c->null ? c->i : 0;
}

const char *db_text(const db_res *r, size_t row, size_t col)
{
    const db_cell *c = cell(r, row, col);
    return c && !c->null ? c->s : NULL;
}

const char *db_text0(const db_res *r, size_t row, size_t col)
{
    const char *s = db_text(r, row, col);
    return s ? s : "";
}

char *db_dup(const db_res *r, size_t row, size_t col)
{
    const db_cell *c = cell(r, row, col);
    if (!c || c->null || !c->s)
        return NULL;
    char *p = malloc(c->n + 1);
    if (p) {
        memcpy(p, c->s, c->n);
        p[c->n] = '\0';
    }
    return p;
}

int db_exec(db *c, const char *sql, const db_arg *args, size_t nargs, db_res *res,
            js_diag *d)
{
    if (res)
        memset(res, 0, sizeof *res);
    return c->ops->exec(c, sql, args, nargs, res, d);
}

char *db_take(db_res *r, size_t row, size_t col, size_t *n)
{
    *n = 0;
    if (!r || row >= r->rows || col >= r->cols)
        return NULL;
    db_cell *c = &r->cells[row * r->cols + col];
    char *p = c->null ? NULL : c->s;
    *n = p ? c->n : 0;
    c->s = NULL;
    return p;
}
