/* Accounts and roles. Passwords are hashed with argon2id (libsodium's
 * crypto_pwhash_str, 2 passes over 19 MiB) outside any transaction, and
 * never stored, logged or returned in clear. Changing a user's password,
 * roles or enabled state revokes the user's sessions. */
#include "store_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"

#define LOGIN_MAX 64

_Static_assert(STORE_PWHASH_BYTES == crypto_pwhash_STRBYTES, "argon2id string size");

static const struct {
    js_role role;
    const char *zh, *en;
} k_roles[] = {
    {JS_ROLE_PREPARER, "填报", "preparer"},
    {JS_ROLE_REVIEWER, "审核", "reviewer"},
    {JS_ROLE_PUBLISHER, "发布", "publisher"},
    {JS_ROLE_ADMIN, "管理", "admin"},
};
#define NROLES (sizeof k_roles / sizeof k_roles[0])
#define ALL_ROLES (JS_ROLE_PREPARER | JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER | JS_ROLE_ADMIN)

const char *js_role_name(js_role r)
{
    for (size_t k = 0; k < NROLES; k++)
        if (k_roles[k].role == r)
            return k_roles[k].zh;
    return NULL;
}

js_role js_role_parse(const char *s)
{
    for (size_t k = 0; s && k < NROLES; k++)
        if (!strcmp(s, k_roles[k].zh) || !strcmp(s, k_roles[k].en))
            return k_roles[k].role;
    return (js_role)0;
}

/* The argon2id parameters: at least OWASP's 19 MiB and 2 passes. */
#define PW_OPSLIMIT 2
#define PW_MEMLIMIT (19u * 1024 * 1024)

int store_password_hash(const char *password, char out[STORE_PWHASH_BYTES], js_diag *d)
{
    if (!password)
        return store_fail(d, JS_E_INPUT, "缺少密码");
    size_t n = strlen(password), chars = 0;
    if (n > JS_MAX_PASSWORD_BYTES)
        return store_fail(d, JS_E_LIMIT, "密码超过 %d 字节", JS_MAX_PASSWORD_BYTES);
    for (size_t k = 0; k < n; k++)
        chars += ((unsigned char)password[k] & 0xC0) != 0x80;
    if (chars < JS_MIN_PASSWORD_CHARS)
        return store_fail(d, JS_E_INPUT, "密码至少 %d 个字符", JS_MIN_PASSWORD_CHARS);
    if (crypto_pwhash_str(out, password, n, PW_OPSLIMIT, PW_MEMLIMIT) != 0)
        return store_fail(d, JS_E_NOMEM, "内存不足，无法计算密码哈希");
    return JS_OK;
}

bool store_password_verify(const char *hash, const char *password, bool *rehash)
{
    size_t n = strlen(password);
    if (n > JS_MAX_PASSWORD_BYTES)
        return false;
    if (crypto_pwhash_str_verify(hash, password, n) != 0)
        return false;
    *rehash = crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0;
    return true;
}

static int check_login(js_diag *d, const char *login)
{
    int rc = store_check_text(d, "用户名", login, true);
    if (rc != JS_OK)
        return rc;
    if (strlen(login) > LOGIN_MAX)
        return store_fail(d, JS_E_INPUT, "用户名超过 %d 字节", LOGIN_MAX);
    for (const unsigned char *p = (const unsigned char *)login; *p; p++)
        if (*p <= ' ' || *p == 0x7f)
            return store_fail(d, JS_E_INPUT, "用户名不能含空白或控制字符");
    return JS_OK;
}

static int check_roles(js_diag *d, unsigned roles, int64_t dept_id)
{
    if (!roles || (roles & ~(unsigned)ALL_ROLES))
        return store_fail(d, JS_E_INPUT, "角色无效（可用：填报、审核、发布、管理）");
    if ((roles & JS_ROLE_PREPARER) && dept_id <= 0)
        return store_fail(d, JS_E_INPUT, "填报用户须指定所属部门");
    return JS_OK;
}

static void roles_text(unsigned roles, int64_t dept_id, char *buf, size_t n)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < NROLES; k++)
        if (roles & k_roles[k].role)
            o += (size_t)snprintf(buf + o, o < n ? n - o : 0, "%s%s", o ? "," : "", k_roles[k].zh);
    if (dept_id > 0 && o < n)
        snprintf(buf + o, n - o, " dept:%lld", (long long)dept_id);
}

static const char k_add[] =
    "INSERT INTO account (login, display, pwhash, roles, dept_id, disabled, created)"
    " VALUES (?, ?, ?, ?, ?, 0, ?) RETURNING id";

int js_store_user_add(js_store *s, int64_t actor, const char *login, const char *display,
                      const char *password, unsigned roles, int64_t dept_id, int64_t *id,
                      js_diag *d)
{
    if (!display || !*display)
        display = login;
    int rc = check_login(d, login);
    if (rc == JS_OK)
        rc = store_check_text(d, "姓名", display, true);
    if (rc == JS_OK)
        rc = check_roles(d, roles, dept_id);
    char hash[STORE_PWHASH_BYTES];
    if (rc == JS_OK)
        rc = store_password_hash(password, hash, d);
    if (rc == JS_OK)
        rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    int64_t now = store_now(), got = 0;
    db_res r;
    rc = db_exec(s->c, k_add,
                 DB_ARGS(A_TEXT(login), A_TEXT(display), A_TEXT(hash), A_INT(roles),
                         A_REF(dept_id), A_INT(now)),
                 &r, d);
    if (rc == JS_STORE_CONFLICT)
        store_fail(d, rc, "用户名 '%s' 已存在", login);
    else if (rc == JS_E_INPUT)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的部门", (long long)dept_id);
    if (rc == JS_OK) {
        got = store_first_id(&r);
        char entity[48], detail[LOGIN_MAX + 128], rt[96];
        store_entity(entity, "user", got);
        roles_text(roles, dept_id, rt, sizeof rt);
        snprintf(detail, sizeof detail, "%s %s", login, rt);
        rc = store_log_append(s, actor, "user.add", entity, detail, NULL, now, d);
    }
    db_res_free(&r);
    sodium_memzero(hash, sizeof hash);
    rc = store_tx_end(s, rc, d);
    if (rc == JS_OK && id)
        *id = got;
    return rc;
}

static const char k_revoke_user[] = "UPDATE session SET revoked = 1 WHERE account_id = ? AND revoked = 0";

/* One change to the account of login: sql takes (value…, login) and returns
 * the id; then the user's sessions are revoked and the change logged. */
static int change(js_store *s, int64_t actor, const char *login, const char *sql,
                  const db_arg *args, size_t nargs, const char *action, const char *detail,
                  js_diag *d)
{
    int rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    db_res r;
    rc = db_exec(s->c, sql, args, nargs, &r, d);
    if (rc == JS_E_INPUT)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "所指定的部门不存在");
    if (rc == JS_OK && r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有用户 '%s'", login);
    int64_t uid = rc == JS_OK ? store_first_id(&r) : 0;
    db_res_free(&r);
    if (rc == JS_OK)
        rc = db_exec(s->c, k_revoke_user, DB_ARGS(A_INT(uid)), NULL, d);
    if (rc == JS_OK) {
        char entity[48];
        store_entity(entity, "user", uid);
        rc = store_log_append(s, actor, action, entity, detail, NULL, store_now(), d);
    }
    return store_tx_end(s, rc, d);
}

static const char k_passwd[] = "UPDATE account SET pwhash = ? WHERE login = ? RETURNING id";

int js_store_user_passwd(js_store *s, int64_t actor, const char *login, const char *password,
                         js_diag *d)
{
    char hash[STORE_PWHASH_BYTES];
    int rc = check_login(d, login);
    if (rc == JS_OK)
        rc = store_password_hash(password, hash, d);
    if (rc != JS_OK)
        return rc;
    rc = change(s, actor, login, k_passwd, DB_ARGS(A_TEXT(hash), A_TEXT(login)), "user.passwd",
                login, d);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

static const char k_disable[] = "UPDATE account SET disabled = ? WHERE login = ? RETURNING id";

int js_store_user_disable(js_store *s, int64_t actor, const char *login, bool disabled,
                          js_diag *d)
{
    int rc = check_login(d, login);
    if (rc != JS_OK)
        return rc;
    return change(s, actor, login, k_disable, DB_ARGS(A_INT(disabled), A_TEXT(login)),
                  disabled ? "user.disable" : "user.enable", login, d);
}

static const char k_grant[] =
    "UPDATE account SET roles = ?, dept_id = ? WHERE login = ? RETURNING id";

int js_store_user_grant(js_store *s, int64_t actor, const char *login, unsigned roles,
                        int64_t dept_id, js_diag *d)
{
    int rc = check_login(d, login);
    if (rc == JS_OK)
        rc = check_roles(d, roles, dept_id);
    if (rc != JS_OK)
        return rc;
    char detail[LOGIN_MAX + 128], rt[96];
    roles_text(roles, dept_id, rt, sizeof rt);
    snprintf(detail, sizeof detail, "%s %s", login, rt);
    return change(s, actor, login, k_grant, DB_ARGS(A_INT(roles), A_REF(dept_id), A_TEXT(login)),
                  "user.grant", detail, d);
}

static const char k_get[] =
    "SELECT id, login, display, roles, dept_id, disabled, created FROM account WHERE id = ?";
static const char k_list[] =
    "SELECT id, login, display, roles, dept_id, disabled, created FROM account ORDER BY login";

static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_user *u = elem;
    u->id = db_int(r, i, 0);
    u->login = db_dup(r, i, 1);
    u->display = db_dup(r, i, 2);
    u->roles = (unsigned)db_int(r, i, 3);
    u->dept_id = db_int(r, i, 4);
    u->disabled = db_int(r, i, 5) != 0;
    u->created = db_int(r, i, 6);
    return u->login && u->display;
}

static void release(void *elem)
{
    js_store_user_free(elem);
}

int js_store_user_get(js_store *s, int64_t id, js_store_user *out, js_diag *d)
{
    int rc = store_get(s, k_get, DB_ARGS(A_INT(id)), sizeof *out, fill, release, out, d);
    if (rc == JS_STORE_NOT_FOUND)
        store_fail(d, rc, "没有编号为 %lld 的用户", (long long)id);
    return rc;
}

int js_store_user_list(js_store *s, js_store_user **out, size_t *n, js_diag *d)
{
    void *v;
    int rc = store_list(s, k_list, NULL, 0, sizeof **out, fill, release, &v, n, d);
    *out = v;
    return rc;
}

void js_store_user_free(js_store_user *u)
{
    if (!u)
        return;
    free(u->login);
    free(u->display);
    memset(u, 0, sizeof *u);
}

void js_store_user_list_free(js_store_user *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release);
}
