/* Login, throttled per login and per address: each attempt first records
 * a failure in its own transaction (refused when JS_LOGIN_MAX_FAILURES
 * already stand within JS_LOGIN_WINDOW), so parallel attempts cannot
 * outrun the count; only then is the password checked, outside any
 * transaction, and a success clears the login's failures. One generic
 * message whatever failed; every outcome in the audit log. */
#include "store_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "juesuan/limits.h"

static const char k_bad[] = "用户名或密码错误";

/* A hash to check against when the login does not exist, so that the
 * answer takes as long as for a wrong password. */
static char g_dummy[STORE_PWHASH_BYTES];
static pthread_once_t g_dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    unsigned char pw[16];
    char hex[33];
    randombytes_buf(pw, sizeof pw);
    sodium_bin2hex(hex, sizeof hex, pw, sizeof pw);
    if (store_password_hash(hex, g_dummy, NULL) != JS_OK)
        g_dummy[0] = '\0';
}

static const char k_account[] = "SELECT id, pwhash, disabled FROM account WHERE login = ?";
static const char k_count[] =
    "SELECT count(*) FROM login_failure WHERE scope = ? AND key = ? AND at > ?";
static const char k_fail[] =
    "INSERT INTO login_failure (scope, key, at) VALUES (?, ?, ?) RETURNING id";
static const char k_prune[] = "DELETE FROM login_failure WHERE at <= ?";
static const char k_clear_login[] = "DELETE FROM login_failure WHERE scope = 'login' AND key = ?";
static const char k_clear_one[] = "DELETE FROM login_failure WHERE id = ?";
static const char k_rehash[] = "UPDATE account SET pwhash = ? WHERE id = ?";
/* Orders admissions: the row lock on log_head (which the log's appends take
 * anyway) makes concurrent counts on PostgreSQL wait for each other, as
 * BEGIN IMMEDIATE does on SQLite. */
static const char k_serialise[] = "UPDATE log_head SET seq = seq WHERE id = 1";

static int count_failures(js_store *s, const char *scope, const char *key, int64_t now,
                          int64_t *n, js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_count, DB_ARGS(A_TEXT(scope), A_TEXT(key), A_INT(now - JS_LOGIN_WINDOW)),
                     &r, d);
    *n = rc == JS_OK ? db_int(&r, 0, 0) : 0;
    db_res_free(&r);
    return rc;
}

static int record_failure(js_store *s, const char *scope, const char *key, int64_t now,
                          int64_t *id, js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_fail, DB_ARGS(A_TEXT(scope), A_TEXT(key), A_INT(now)), &r, d);
    *id = rc == JS_OK ? store_first_id(&r) : 0;
    db_res_free(&r);
    return rc;
}

/* The first transaction: refuses a throttled attempt (logging it) or
 * records it as a failure until it succeeds. */
static int admit(js_store *s, const char *login, const char *addr, int64_t now,
                 int64_t *addr_row, bool *throttled, js_diag *d)
{
    *throttled = false;
    int rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    int64_t by_login = 0, by_addr = 0, ignored;
    rc = db_exec(s->c, k_serialise, NULL, 0, NULL, d);
    if (rc == JS_OK)
        rc = count_failures(s, "login", login, now, &by_login, d);
    if (rc == JS_OK && *addr)
        rc = count_failures(s, "addr", addr, now, &by_addr, d);
    if (rc == JS_OK && (by_login >= JS_LOGIN_MAX_FAILURES || by_addr >= JS_LOGIN_MAX_FAILURES)) {
        *throttled = true;
        rc = store_log_append(s, 0, "login.throttled", NULL, login, addr, now, d);
        return store_tx_end(s, rc, d);
    }
    if (rc == JS_OK)
        rc = db_exec(s->c, k_prune, DB_ARGS(A_INT(now - JS_LOGIN_WINDOW)), NULL, d);
    if (rc == JS_OK)
        rc = record_failure(s, "login", login, now, &ignored, d);
    if (rc == JS_OK && *addr)
        rc = record_failure(s, "addr", addr, now, addr_row, d);
    return store_tx_end(s, rc, d);
}

int js_store_login(js_store *s, const char *login, const char *password, const char *addr,
                   int64_t now, int64_t *user_id, js_diag *d)
{
    *user_id = 0;
    addr = addr ? addr : "";
    if (!login || !password || store_check_text(NULL, "", login, true) != JS_OK ||
        store_check_text(NULL, "", addr, false) != JS_OK)
        return store_fail(d, JS_STORE_DENIED, "%s", k_bad);
    int64_t addr_row = 0;
    bool throttled;
    int rc = admit(s, login, addr, now, &addr_row, &throttled, d);
    if (rc != JS_OK)
        return rc;
    if (throttled)
        return store_fail(d, JS_STORE_DENIED, "登录失败次数过多，请 %d 分钟后再试",
                          JS_LOGIN_WINDOW / 60);

    db_res r;
    rc = db_exec(s->c, k_account, DB_ARGS(A_TEXT(login)), &r, d);
    if (rc != JS_OK)
        return rc;
    bool found = r.rows == 1, rehash = false, good;
    int64_t uid = found ? db_int(&r, 0, 0) : 0;
    if (found) {
        good = store_password_verify(db_text0(&r, 0, 1), password, &rehash);
        good = good && db_int(&r, 0, 2) == 0;
    } else {
        pthread_once(&g_dummy_once, make_dummy);
        store_password_verify(g_dummy, password, &rehash);
        good = false;
    }
    db_res_free(&r);

    char hash[STORE_PWHASH_BYTES];
    if (good && rehash && store_password_hash(password, hash, NULL) != JS_OK)
        rehash = false;
    rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    if (good) {
        rc = db_exec(s->c, k_clear_login, DB_ARGS(A_TEXT(login)), NULL, d);
        if (rc == JS_OK && addr_row)
            rc = db_exec(s->c, k_clear_one, DB_ARGS(A_INT(addr_row)), NULL, d);
        if (rc == JS_OK && rehash)
            rc = db_exec(s->c, k_rehash, DB_ARGS(A_TEXT(hash), A_INT(uid)), NULL, d);
        char entity[48];
        store_entity(entity, "user", uid);
        if (rc == JS_OK)
            rc = store_log_append(s, uid, "login", entity, login, addr, now, d);
    } else {
        rc = store_log_append(s, 0, "login.fail", NULL, login, addr, now, d);
    }
    if (rehash)
        sodium_memzero(hash, sizeof hash);
    rc = store_tx_end(s, rc, d);
    if (rc != JS_OK)
        return rc;
    if (!good)
        return store_fail(d, JS_STORE_DENIED, "%s", k_bad);
    *user_id = uid;
    return JS_OK;
}
