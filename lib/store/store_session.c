/* Sessions: a 256-bit random token and CSRF value (base64url), of which
 * only the token's BLAKE2b hash is stored; idle and absolute timeouts are
 * checked on every use. The last-seen time is written when it is
 * JS_STORE_SESSION_TOUCH seconds old or more, not on every request: a
 * session in use costs one write a minute, and an idle one expires
 * between idle − JS_STORE_SESSION_TOUCH and idle seconds after its last
 * use (never later). */
#include "store_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define TOKEN_BYTES 32

_Static_assert(sizeof(((js_store_session_new *)0)->token) >=
                   sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "a session token fits its field");

static void random_token(char out[48])
{
    unsigned char b[TOKEN_BYTES];
    randombytes_buf(b, sizeof b);
    sodium_bin2base64(out, 48, b, sizeof b, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(b, sizeof b);
}

/* The stored form of a token: hex of its 256-bit BLAKE2b hash. */
static void token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static const char k_create[] =
    "INSERT INTO session (token_hash, csrf, account_id, addr, created, last_seen, revoked)"
    " VALUES (?, ?, ?, ?, ?, ?, 0)";

int js_store_session_create(js_store *s, int64_t user_id, const char *addr, int64_t now,
                            js_store_session_new *out, js_diag *d)
{
    memset(out, 0, sizeof *out);
    addr = addr ? addr : "";
    int rc = store_check_text(d, "地址", addr, false);
    if (rc != JS_OK)
        return rc;
    random_token(out->token);
    random_token(out->csrf);
    char hash[65];
    token_hash(out->token, hash);
    rc = db_exec(s->c, k_create,
                 DB_ARGS(A_TEXT(hash), A_TEXT(out->csrf), A_INT(user_id), A_TEXT(addr), A_INT(now),
                         A_INT(now)),
                 NULL, d);
    if (rc == JS_E_INPUT)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的用户", (long long)user_id);
    if (rc != JS_OK)
        memset(out, 0, sizeof *out);
    return rc;
}

static const char k_find[] =
    "SELECT s.id, s.account_id, s.csrf, s.created, s.last_seen, s.revoked, a.disabled"
    " FROM session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ?";
static const char k_touch[] = "UPDATE session SET last_seen = ? WHERE id = ? AND last_seen <= ?";

int js_store_session_check(js_store *s, const char *token, int64_t now, int64_t idle,
                           int64_t absolute, int64_t *user_id, char csrf[48], js_diag *d)
{
    *user_id = 0;
    if (csrf)
        csrf[0] = '\0';
    if (!token || strlen(token) >= 48)
        return store_fail(d, JS_STORE_NOT_FOUND, "会话不存在或已过期");
    char hash[65];
    token_hash(token, hash);
    db_res r;
    int rc = db_exec(s->c, k_find, DB_ARGS(A_TEXT(hash)), &r, d);
    if (rc != JS_OK)
        return rc;
    bool live = r.rows == 1 && !db_int(&r, 0, 5) && !db_int(&r, 0, 6) &&
                now - db_int(&r, 0, 4) <= idle && now - db_int(&r, 0, 3) <= absolute;
    int64_t sid = db_int(&r, 0, 0), uid = db_int(&r, 0, 1), seen = db_int(&r, 0, 4);
    if (live && csrf)
        snprintf(csrf, 48, "%s", db_text0(&r, 0, 2));
    db_res_free(&r);
    if (!live)
        return store_fail(d, JS_STORE_NOT_FOUND, "会话不存在或已过期");
    if (now - seen >= JS_STORE_SESSION_TOUCH)
        rc = db_exec(s->c, k_touch, DB_ARGS(A_INT(now), A_INT(sid), A_INT(now - JS_STORE_SESSION_TOUCH)), NULL, d);
    if (rc != JS_OK) {
        if (csrf)
            csrf[0] = '\0';
        return rc;
    }
    *user_id = uid;
    return JS_OK;
}

static const char k_prune[] =
    "DELETE FROM session WHERE last_seen < ? OR revoked = 1 RETURNING id";

int js_store_session_prune(js_store *s, int64_t before, int64_t *n, js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, k_prune, DB_ARGS(A_INT(before)), &r, d);
    *n = rc == JS_OK ? (int64_t)r.rows : 0;
    db_res_free(&r);
    return rc;
}

static const char k_revoke[] = "UPDATE session SET revoked = 1 WHERE token_hash = ?";

int js_store_session_revoke(js_store *s, const char *token, js_diag *d)
{
    if (!token || strlen(token) >= 48)
        return JS_OK;
    char hash[65];
    token_hash(token, hash);
    return db_exec(s->c, k_revoke, DB_ARGS(A_TEXT(hash)), NULL, d);
}
