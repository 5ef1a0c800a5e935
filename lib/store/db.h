/* The store's database connection: the small interface both backends
 * (db_sqlite.c, db_pg.c) implement, and the one the domain layer
 * (store_*.c) writes its SQL against.
 *
 * SQL is written once, with `?` placeholders; the PostgreSQL backend
 * numbers them ($1, $2, …) before sending. Values only ever travel as
 * parameters. A result is read whole into memory (db_res), so a caller
 * never holds a cursor across statements. */
#ifndef JS_STORE_DB_H
#define JS_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"

typedef enum { DB_NULL, DB_INT, DB_TEXT, DB_BLOB } db_type;

/* One parameter. Text and blobs are borrowed for the call. */
typedef struct {
    db_type t;
    int64_t i;
    const char *s;
    const void *p;
    size_t n;
} db_arg;

#define A_NULL ((db_arg){.t = DB_NULL})
#define A_INT(x) ((db_arg){.t = DB_INT, .i = (int64_t)(x)})
#define A_TEXT(x) db_text_arg(x)
#define A_BLOB(ptr, len) ((db_arg){.t = DB_BLOB, .p = (ptr), .n = (len)})
#define A_REF(x) db_ref_arg(x)

/* A NULL string is SQL NULL. */
static inline db_arg db_text_arg(const char *s)
{
    return s ? (db_arg){.t = DB_TEXT, .s = s} : A_NULL;
}

/* An optional reference: 0 is SQL NULL. */
static inline db_arg db_ref_arg(int64_t id)
{
    return id ? A_INT(id) : A_NULL;
}

/* One cell of a result: bytes (NUL-terminated; blobs too) or NULL, and the
 * integer value when the column holds one. */
typedef struct {
    bool null;
    int64_t i;
    char *s;
    size_t n;
} db_cell;

/* A whole result: rows × cols cells. */
typedef struct {
    size_t rows, cols;
    db_cell *cells;
} db_res;

void db_res_free(db_res *r);
/* Cell accessors; a NULL cell reads as 0, NULL, or "" (db_text0). */
int64_t db_int(const db_res *r, size_t row, size_t col);
const char *db_text(const db_res *r, size_t row, size_t col);
const char *db_text0(const db_res *r, size_t row, size_t col);
/* A malloc'd copy of a text cell (NULL for SQL NULL, or out of memory). */
char *db_dup(const db_res *r, size_t row, size_t col);

/* Takes a cell's bytes out of the result (the caller frees them); NULL
 * for SQL NULL. */
char *db_take(db_res *r, size_t row, size_t col, size_t *n);

typedef struct db db;

/* A backend. Every function fills d on failure. exec returns JS_OK,
 * JS_STORE_CONFLICT when a uniqueness rule refused the write (or the
 * database gave up on a deadlock), JS_E_INPUT when a reference does not
 * exist (foreign key), JS_E_IO otherwise; res may be NULL when the caller
 * wants no rows. */
typedef struct {
    const char *name; /* "sqlite", "postgresql" */
    int (*exec)(db *c, const char *sql, const db_arg *args, size_t nargs, db_res *res,
                js_diag *d);
    /* Runs a script of statements without parameters (schema only). */
    int (*script)(db *c, const char *sql, js_diag *d);
    /* A write transaction: SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN. */
    int (*begin)(db *c, js_diag *d);
    /* A read-only transaction on one snapshot, taking no write lock: SQLite
     * BEGIN (deferred); PostgreSQL REPEATABLE READ, READ ONLY. Ended by
     * rollback. */
    int (*begin_read)(db *c, js_diag *d);
    int (*commit)(db *c, js_diag *d);
    void (*rollback)(db *c);
    /* Begins the transaction that migrates the schema, serialised against
     * other processes opening the same database. */
    int (*begin_migration)(db *c, js_diag *d);
    void (*close)(db *c);
    /* Creates the table of applied schema versions when it is missing. */
    const char *bootstrap;
    /* The schema: migrations[v - 1] takes the database from version v - 1
     * to v; the list ends with NULL. */
    const char *const *migrations;
} db_ops;

struct db {
    const db_ops *ops;
};

/* Opens a connection; NULL and d filled when it cannot. */
db *db_sqlite_open(const char *path, js_diag *d);
db *db_pg_open(const char *url, js_diag *d);

/* Shorthands through c->ops. */
int db_exec(db *c, const char *sql, const db_arg *args, size_t nargs, db_res *res,
            js_diag *d);
#define DB_ARGS(...) ((const db_arg[]){__VA_ARGS__}), \
    (sizeof((const db_arg[]){__VA_ARGS__}) / sizeof(db_arg))

#endif
