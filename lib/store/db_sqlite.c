/* The SQLite backend: one connection in WAL mode with foreign keys on and a
 * busy timeout, every write transaction BEGIN IMMEDIATE (a deferred
 * transaction that later writes fails at once when another connection
 * writes, whatever the timeout), statements prepared once per connection. */
#include "db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/store.h"

#define STMT_CACHE 64
#define BUSY_TIMEOUT_MS 10000

typedef struct {
    db base;
    sqlite3 *h;
    struct {
        const char *sql; /* the statement's text, by address: SQL is constant */
        sqlite3_stmt *st;
    } cache[STMT_CACHE];
} db_sqlite;

extern const char db_sqlite_bootstrap[];
extern const char *const db_sqlite_migrations[];

static int fail(db_sqlite *c, int rc, js_diag *d)
{
    int ext = sqlite3_extended_errcode(c->h);
    int st = JS_E_IO;
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        st = JS_STORE_CONFLICT;
    else if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        st = JS_E_INPUT;
    js_diag_set(d, (js_status)st, NULL, 0, 0, NULL, "数据库错误（SQLite %d）：%s", rc,
                sqlite3_errmsg(c->h));
    return st;
}

static sqlite3_stmt *prepare(db_sqlite *c, const char *sql, js_diag *d)
{
    size_t slot = ((uintptr_t)sql >> 3) % STMT_CACHE;
    for (size_t k = 0; k < STMT_CACHE; k++) {
        size_t i = (slot + k) % STMT_CACHE;
        if (c->cache[i].sql == sql)
            return c->cache[i].st;
        if (!c->cache[i].sql) {
            slot = i;
            break;
        }
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        fail(c, rc, d);
        return NULL;
    }
    if (c->cache[slot].sql) /* the cache is full: keep it uncached */
        return st;
    c->cache[slot].sql = sql;
    c->cache[slot].st = st;
    return st;
}

static bool cached(const db_sqlite *c, const sqlite3_stmt *st)
{
    for (size_t k = 0; k < STMT_CACHE; k++)
        if (c->cache[k].st == st)
            return true;
    return false;
}

static int bind(db_sqlite *c, sqlite3_stmt *st, const db_arg *args, size_t nargs, js_diag *d)
{
    if ((int)nargs != sqlite3_bind_parameter_count(st))
        return js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "SQL 参数个数不符：%s",
                           sqlite3_sql(st));
    for (size_t k = 0; k < nargs; k++) {
        int i = (int)k + 1, rc;
        switch (args[k].t) {
        case DB_INT: rc = sqlite3_bind_int64(st, i, args[k].i); break;
        case DB_TEXT: rc = sqlite3_bind_text(st, i, args[k].s, -1, SQLITE_TRANSIENT); break;
        case DB_BLOB:
            rc = sqlite3_bind_blob64(st, i, args[k].p ? args[k].p : "", args[k].n,
                                     SQLITE_TRANSIENT);
            break;
        default: rc = sqlite3_bind_null(st, i); break;
        }
        if (rc != SQLITE_OK)
            return fail(c, rc, d);
    }
    return JS_OK;
}

static bool add_row(sqlite3_stmt *st, db_res *res, size_t *cap)
{
    size_t cols = (size_t)sqlite3_column_count(st);
    if (res->rows == 0)
        res->cols = cols;
    if ((res->rows + 1) * cols > *cap) {
        size_t n = *cap ? *cap * 2 : cols * 8;
        while (n < (res->rows + 1) * cols)
            n *= 2;
        db_cell *p = realloc(res->cells, n * sizeof *p);
        if (!p)
            return false;
        res->cells = p;
        *cap = n;
    }
    db_cell *row = &res->cells[res->rows * cols];
    memset(row, 0, cols * sizeof *row);
    res->rows++;
    for (size_t k = 0; k < cols; k++) {
        int t = sqlite3_column_type(st, (int)k);
        if (t == SQLITE_NULL) {
            row[k].null = true;
        } else if (t == SQLITE_INTEGER) {
            row[k].i = sqlite3_column_int64(st, (int)k);
        } else {
            const void *p = t == SQLITE_BLOB ? sqlite3_column_blob(st, (int)k)
                                             : (const void *)sqlite3_column_text(st, (int)k);
            size_t n = (size_t)sqlite3_column_bytes(st, (int)k);
            row[k].s = malloc(n + 1);
            if (!row[k].s)
                return false;
            if (n)
                memcpy(row[k].s, p, n);
            row[k].s[n] = '\0';
            row[k].n = n;
            row[k].i = t == SQLITE_FLOAT ? (int64_t)sqlite3_column_double(st, (int)k) : 0;
        }
    }
    return true;
}

static int sq_exec(db *base, const char *sql, const db_arg *args, size_t nargs, db_res *res,
                   js_diag *d)
{
    db_sqlite *c = (db_sqlite *)base;
    sqlite3_stmt *st = prepare(c, sql, d);
    if (!st)
        return d ? (int)d->status : JS_E_IO;
    int out = bind(c, st, args, nargs, d);
    size_t cap = 0;
    while (out == JS_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW) {
            out = fail(c, rc, d);
            break;
        }
        if (res && !add_row(st, res, &cap))
            out = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    if (out != JS_OK && res)
        db_res_free(res);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (!cached(c, st))
        sqlite3_finalize(st);
    return out;
}

static int sq_script(db *base, const char *sql, js_diag *d)
{
    db_sqlite *c = (db_sqlite *)base;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? JS_OK : fail(c, rc, d);
}

static const char k_begin[] = "BEGIN IMMEDIATE", k_begin_read[] = "BEGIN",
                  k_commit[] = "COMMIT", k_rollback[] = "ROLLBACK";

static int sq_begin(db *c, js_diag *d)
{
    return sq_exec(c, k_begin, NULL, 0, NULL, d);
}

static int sq_begin_read(db *c, js_diag *d)
{
    return sq_exec(c, k_begin_read, NULL, 0, NULL, d);
}

static int sq_commit(db *c, js_diag *d)
{
    return sq_exec(c, k_commit, NULL, 0, NULL, d);
}

static void sq_rollback(db *base)
{
    db_sqlite *c = (db_sqlite *)base;
    if (!sqlite3_get_autocommit(c->h))
        sq_exec(base, k_rollback, NULL, 0, NULL, NULL);
}

static void sq_close(db *base)
{
    db_sqlite *c = (db_sqlite *)base;
    if (!c)
        return;
    for (size_t k = 0; k < STMT_CACHE; k++)
        sqlite3_finalize(c->cache[k].st);
    sqlite3_close(c->h);
    free(c);
}

static const db_ops k_sqlite_ops = {
    .name = "sqlite",
    .exec = sq_exec,
    .script = sq_script,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .begin_migration = sq_begin, /* BEGIN IMMEDIATE already excludes other writers */
    .close = sq_close,
    .bootstrap = db_sqlite_bootstrap,
    .migrations = db_sqlite_migrations,
};

db *db_sqlite_open(const char *path, js_diag *d)
{
    db_sqlite *c = calloc(1, sizeof *c);
    if (!c) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    c->base.ops = &k_sqlite_ops;
    int rc = sqlite3_open_v2(path, &c->h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI |
                                 SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法打开数据库：%s",
                    c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        sq_close(&c->base);
        return NULL;
    }
    sqlite3_extended_result_codes(c->h, 1);
    sqlite3_busy_timeout(c->h, BUSY_TIMEOUT_MS);
    /* synchronous=NORMAL in WAL: a committed transaction survives the
     * process being killed; only a power loss may drop the last ones. */
    static const char setup[] = "PRAGMA foreign_keys = ON;"
                                "PRAGMA journal_mode = WAL;"
                                "PRAGMA synchronous = NORMAL;"
                                "PRAGMA trusted_schema = OFF;";
    if (sq_script(&c->base, setup, d) != JS_OK) {
        char msg[sizeof d->message];
        snprintf(msg, sizeof msg, "%s", d ? d->message : "");
        js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法打开数据库：%s", msg);
        sq_close(&c->base);
        return NULL;
    }
    return &c->base;
}
