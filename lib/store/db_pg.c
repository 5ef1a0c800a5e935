/* The PostgreSQL backend through libpq: every statement by PQexecParams
 * (values as parameters: integers as text, blobs in binary), results read
 * whole in binary format; transactions in READ COMMITTED, where the domain layer's guarded
 * UPDATEs settle concurrent changes (db.h). A connection lost between
 * transactions is re-established once. */
#include "db.h"

#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/store.h"

/* Type oids from PostgreSQL's pg_type.h (not installed with libpq-dev). */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25

/* The advisory lock that serialises schema migrations ("js" in ASCII). */
#define MIGRATION_LOCK 0x6a73

#define MAX_PARAMS 32

typedef struct {
    db base;
    PGconn *h;
    bool in_tx; /* between BEGIN and COMMIT/ROLLBACK: never reconnect then */
} db_pg;

extern const char db_pg_bootstrap[];
extern const char *const db_pg_migrations[];

static int result_fail(db_pg *c, PGresult *res, js_diag *d)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    int st = JS_E_IO;
    if (state && (!strcmp(state, "23505") || !strcmp(state, "40001") || !strcmp(state, "40P01")))
        st = JS_STORE_CONFLICT;
    else if (state && !strcmp(state, "23503"))
        st = JS_E_INPUT;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->h);
    char clean[512];
    snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : PQerrorMessage(c->h));
    clean[strcspn(clean, "\n")] = '\0';
    js_diag_set(d, (js_status)st, NULL, 0, 0, NULL, "数据库错误（PostgreSQL %s）：%s",
                state ? state : "-", clean);
    return st;
}

/* SQL with `?` placeholders, numbered for PostgreSQL. The text is the
 * program's own (db.h): there are no quoted question marks to skip. */
static char *number_params(const char *sql, size_t *count)
{
    size_t n = 0, len = strlen(sql);
    for (const char *p = sql; *p; p++)
        n += *p == '?';
    char *out = malloc(len + n * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0, k = 0;
    for (const char *p = sql; *p; p++) {
        if (*p == '?')
            o += (size_t)sprintf(out + o, "$%zu", ++k);
        else
            out[o++] = *p;
    }
    out[o] = '\0';
    *count = n;
    return out;
}

/* A big-endian integer of n bytes (a binary int2, int4 or int8). */
static int64_t be_int(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t k = 0; k < n; k++)
        v = v << 8 | p[k];
    if (n < 8 && (v >> (8 * n - 1)) & 1) /* sign-extend */
        v |= ~(uint64_t)0 << (8 * n);
    return (int64_t)v;
}

/* Reads a result in binary format: integers as big-endian, text and bytea
 * as their bytes. Other types do not occur in the store's SQL. */
static bool read_result(PGresult *res, db_res *out)
{
    size_t rows = (size_t)PQntuples(res), cols = (size_t)PQnfields(res);
    out->rows = rows;
    out->cols = cols;
    out->cells = calloc(rows * cols > 0 ? rows * cols : 1, sizeof *out->cells);
    if (!out->cells)
        return false;
    for (size_t i = 0; i < rows; i++) {
        for (size_t k = 0; k < cols; k++) {
            db_cell *cl = &out->cells[i * cols + k];
            if (PQgetisnull(res, (int)i, (int)k)) {
                cl->null = true;
                continue;
            }
            const unsigned char *v = (const unsigned char *)PQgetvalue(res, (int)i, (int)k);
            size_t n = (size_t)PQgetlength(res, (int)i, (int)k);
            Oid t = PQftype(res, (int)k);
            if (t == OID_INT8 || t == OID_INT4 || t == OID_INT2) {
                cl->i = be_int(v, n);
                continue;
            }
            cl->s = malloc(n + 1);
            if (!cl->s)
                return false;
            memcpy(cl->s, v, n);
            cl->s[n] = '\0';
            cl->n = n;
        }
    }
    return true;
}

/* Reconnects a connection that was lost, when no transaction is open
 * (statements of a transaction must never go on in a new session). */
static void revive(db_pg *c)
{
    if (!c->in_tx && PQstatus(c->h) == CONNECTION_BAD)
        PQreset(c->h);
}

static int pg_exec(db *base, const char *sql, const db_arg *args, size_t nargs, db_res *out,
                   js_diag *d)
{
    db_pg *c = (db_pg *)base;
    size_t want = 0;
    char *text = number_params(sql, &want);
    if (!text)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (want != nargs || nargs > MAX_PARAMS) {
        free(text);
        return js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "SQL 参数个数不符：%s", sql);
    }
    Oid types[MAX_PARAMS];
    const char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS], formats[MAX_PARAMS];
    char ints[MAX_PARAMS][24];
    for (size_t k = 0; k < nargs; k++) {
        lengths[k] = 0;
        formats[k] = 0;
        switch (args[k].t) {
        case DB_INT:
            types[k] = OID_INT8;
            snprintf(ints[k], sizeof ints[k], "%" PRId64, args[k].i);
            values[k] = ints[k];
            break;
        case DB_TEXT:
            types[k] = OID_TEXT;
            values[k] = args[k].s;
            break;
        case DB_BLOB:
            types[k] = OID_BYTEA;
            values[k] = args[k].p ? (const char *)args[k].p : "";
            lengths[k] = (int)args[k].n;
            formats[k] = 1;
            break;
        default:
            types[k] = 0;
            values[k] = NULL;
            break;
        }
    }
    revive(c);
    PGresult *res = PQexecParams(c->h, text, (int)nargs, types, values, lengths, formats, 1);
    free(text);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = JS_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        rc = result_fail(c, res, d);
    else if (out && !read_result(res, out))
        rc = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (rc != JS_OK && out)
        db_res_free(out);
    PQclear(res);
    return rc;
}

static int pg_script(db *base, const char *sql, js_diag *d)
{
    db_pg *c = (db_pg *)base;
    PGresult *res = PQexec(c->h, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? JS_OK : result_fail(c, res, d);
    PQclear(res);
    return rc;
}

static int begin_as(db *base, const char *sql, js_diag *d)
{
    db_pg *c = (db_pg *)base;
    revive(c);
    int rc = pg_script(base, sql, d);
    c->in_tx = rc == JS_OK;
    return rc;
}

static int pg_begin(db *c, js_diag *d)
{
    return begin_as(c, "BEGIN", d);
}

static int pg_begin_read(db *c, js_diag *d)
{
    return begin_as(c, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", d);
}

static int pg_commit(db *base, js_diag *d)
{
    db_pg *c = (db_pg *)base;
    c->in_tx = false;
    PGresult *res = PQexec(c->h, "COMMIT");
    int rc = JS_OK;
    if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = result_fail(c, res, d);
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0) /* a failed transaction rolls back */
        rc = js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "数据库错误：事务未能提交（%s）",
                         PQcmdStatus(res));
    PQclear(res);
    return rc;
}

static void pg_rollback(db *base)
{
    db_pg *c = (db_pg *)base;
    c->in_tx = false;
    if (PQtransactionStatus(c->h) != PQTRANS_IDLE)
        PQclear(PQexec(c->h, "ROLLBACK"));
}

static int pg_begin_migration(db *c, js_diag *d)
{
    int rc = pg_begin(c, d);
    if (rc == JS_OK)
        rc = pg_exec(c, "SELECT pg_advisory_xact_lock(?)", DB_ARGS(A_INT(MIGRATION_LOCK)), NULL, d);
    if (rc != JS_OK)
        pg_rollback(c);
    return rc;
}

static void pg_close(db *base)
{
    db_pg *c = (db_pg *)base;
    if (!c)
        return;
    PQfinish(c->h);
    free(c);
}

static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static const db_ops k_pg_ops = {
    .name = "postgresql",
    .exec = pg_exec,
    .script = pg_script,
    .begin = pg_begin,
    .begin_read = pg_begin_read,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .begin_migration = pg_begin_migration,
    .close = pg_close,
    .bootstrap = db_pg_bootstrap,
    .migrations = db_pg_migrations,
};

db *db_pg_open(const char *url, js_diag *d)
{
    db_pg *c = calloc(1, sizeof *c);
    if (!c) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    c->base.ops = &k_pg_ops;
    c->h = PQconnectdb(url);
    if (!c->h || PQstatus(c->h) != CONNECTION_OK) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", c->h ? PQerrorMessage(c->h) : "内存不足");
        msg[strcspn(msg, "\n")] = '\0';
        js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "无法连接 PostgreSQL 数据库：%s", msg);
        pg_close(&c->base);
        return NULL;
    }
    PQsetNoticeProcessor(c->h, quiet, NULL);
    if (pg_script(&c->base, "SET client_min_messages = warning", d) != JS_OK) {
        pg_close(&c->base);
        return NULL;
    }
    return &c->base;
}
