/* Opening a store: the backend chosen by the URL, the schema created and
 * migrated in one transaction (a newer schema refused), and the pieces the
 * domain files share (transactions, hashing, failures). */
#include "store_internal.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "juesuan/limits.h"
#include "utf8.h"

int store_fail(js_diag *d, int st, const char *fmt, ...)
{
    if (!d)
        return st;
    char msg[sizeof d->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    js_diag_set(d, (js_status)st, NULL, 0, 0, NULL, "%s", msg);
    return st;
}

int store_tx_begin(js_store *s, js_diag *d)
{
    return s->c->ops->begin(s->c, d);
}

int store_tx_end(js_store *s, int rc, js_diag *d)
{
    if (rc == JS_OK)
        rc = s->c->ops->commit(s->c, d);
    if (rc != JS_OK)
        s->c->ops->rollback(s->c);
    return rc;
}

void store_sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int store_check_text(js_diag *d, const char *what, const char *s, bool required)
{
    if (!s || !*s)
        return required ? store_fail(d, JS_E_INPUT, "缺少%s", what) : JS_OK;
    size_t n = strlen(s);
    if (n > JS_MAX_STORE_TEXT)
        return store_fail(d, JS_E_LIMIT, "%s超过 %d 字节", what, JS_MAX_STORE_TEXT);
    if (js_utf8_invalid_at(s, n) != n)
        return store_fail(d, JS_E_INPUT, "%s不是有效的 UTF-8 文本", what);
    return JS_OK;
}

int64_t store_now(void)
{
    return (int64_t)time(NULL);
}

void store_entity(char out[48], const char *kind, int64_t id)
{
    snprintf(out, 48, "%s:%lld", kind, (long long)id);
}

static const char k_public_bump[] = "UPDATE public_generation SET n = n + 1 WHERE id = 1";
static const char k_public_get[] = "SELECT n FROM public_generation WHERE id = 1";

int store_public_changed(js_store *s, js_diag *d)
{
    return db_exec(s->c, k_public_bump, NULL, 0, NULL, d);
}

int js_store_public_generation(js_store *s, int64_t *gen, js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_public_get, NULL, 0, &r, d);
    if (rc == JS_OK)
        *gen = store_first_id(&r);
    db_res_free(&r);
    return rc;
}

static const char k_lock_dept[] = "UPDATE dept SET code = code WHERE id = ? RETURNING id";

int store_lock_dept(js_store *s, int64_t dept_id, js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_lock_dept, DB_ARGS(A_INT(dept_id)), &r, d);
    if (rc == JS_OK && r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的部门", (long long)dept_id);
    db_res_free(&r);
    return rc;
}

int64_t store_first_id(const db_res *r)
{
    return db_int(r, 0, 0);
}

int store_list(js_store *s, const char *sql, const db_arg *args, size_t nargs, size_t elem,
               store_fill_fn fill, store_release_fn release, void **out, size_t *n, js_diag *d)
{
    *out = NULL;
    *n = 0;
    db_res r;
    int rc = db_exec(s->c, sql, args, nargs, &r, d);
    if (rc != JS_OK)
        return rc;
    char *v = calloc(r.rows ? r.rows : 1, elem);
    for (size_t i = 0; v && i < r.rows; i++) {
        if (!fill(&r, i, v + i * elem)) {
            store_list_free(v, i + 1, elem, release);
            v = NULL;
        }
    }
    if (v) {
        *out = v;
        *n = r.rows;
    } else {
        rc = store_fail(d, JS_E_NOMEM, "内存不足");
    }
    db_res_free(&r);
    return rc;
}

int store_get(js_store *s, const char *sql, const db_arg *args, size_t nargs, size_t elem,
              store_fill_fn fill, store_release_fn release, void *out, js_diag *d)
{
    memset(out, 0, elem);
    void *v;
    size_t n;
    int rc = store_list(s, sql, args, nargs, elem, fill, release, &v, &n, d);
    if (rc != JS_OK)
        return rc;
    if (n > 0)
        memcpy(out, v, elem);
    for (size_t i = 1; i < n; i++)
        release((char *)v + i * elem);
    free(v);
    return n > 0 ? JS_OK : JS_STORE_NOT_FOUND;
}

void store_list_free(void *v, size_t n, size_t elem, store_release_fn release)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        release((char *)v + i * elem);
    free(v);
}

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static const char k_version_sql[] = "SELECT coalesce(max(version), 0) FROM schema_version";
static const char k_version_add[] = "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)";

/* Brings the schema up to this program's version; refuses a newer one. */
static int migrate(js_store *s, js_diag *d)
{
    const db_ops *ops = s->c->ops;
    int known = 0;
    while (ops->migrations[known])
        known++;
    int rc = ops->begin_migration(s->c, d);
    if (rc != JS_OK)
        return rc;
    rc = ops->script(s->c, ops->bootstrap, d);
    db_res r;
    if (rc == JS_OK)
        rc = db_exec(s->c, k_version_sql, NULL, 0, &r, d);
    if (rc == JS_OK) {
        s->schema = (int)db_int(&r, 0, 0);
        db_res_free(&r);
        if (s->schema > known)
            rc = store_fail(d, JS_E_USAGE,
                            "数据库的结构版本（%d）比本程序支持的（%d）新，请使用更新版本的 juesuan",
                            s->schema, known);
    }
    for (int v = s->schema; rc == JS_OK && v < known; v++) {
        rc = ops->script(s->c, ops->migrations[v], d);
        if (rc == JS_OK)
            rc = db_exec(s->c, k_version_add, DB_ARGS(A_INT(v + 1), A_INT(time(NULL))), NULL, d);
        if (rc == JS_OK)
            s->schema = v + 1;
    }
    return store_tx_end(s, rc, d);
}

js_store *js_store_open(const char *url, js_diag *d)
{
    js_diag_clear(d);
    if (!url || !*url) {
        store_fail(d, JS_E_USAGE, "没有给出数据库位置");
        return NULL;
    }
    if (sodium_init() < 0) {
        store_fail(d, JS_E_INTERNAL, "无法初始化 libsodium");
        return NULL;
    }
    js_store *s = calloc(1, sizeof *s);
    if (!s) {
        store_fail(d, JS_E_NOMEM, "内存不足");
        return NULL;
    }
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
        s->c = db_pg_open(url, d);
    } else if (strstr(url, "://")) {
        store_fail(d, JS_E_USAGE, "不支持的数据库地址 '%s'（可用：SQLite 文件路径或 file:…，postgresql://…）",
                   url);
    } else {
        s->c = db_sqlite_open(url, d);
    }
    if (!s->c || migrate(s, d) != JS_OK) {
        js_store_close(s);
        return NULL;
    }
    return s;
}

void js_store_close(js_store *s)
{
    if (!s)
        return;
    if (s->c)
        s->c->ops->close(s->c);
    free(s);
}

const char *js_store_backend(const js_store *s)
{
    return s->c->ops->name;
}

int js_store_schema_version(js_store *s)
{
    return s->schema;
}
