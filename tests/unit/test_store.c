/* The portal's store, against a real database: SQLite in a temporary
 * folder when run without arguments, or the database of the URL given
 * (tests/store.t runs it against SQLite and a PostgreSQL it starts).
 *
 *   test_store [URL]               the tests (TAP)
 *   test_store --writer URL        uploads, publishes and logs until killed,
 *                                  printing each acknowledged write
 *   test_store --check-acked URL F every write acknowledged in file F present
 *                                  and whole, the log's chain intact (TAP)
 *
 * Tampering goes straight to the database (sqlite3 / libpq), the way an
 * intruder with file or superuser access would. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "juesuan/limits.h"
#include "juesuan/store.h"
#include "tap.h"

#define T0 1700000000 /* "now" in the tests */
#define PW "correct horse battery"

static const char *g_url;

/* ---- raw access ---------------------------------------------------------- */

static bool is_pg(void)
{
    return !strncmp(g_url, "postgres", 8);
}

/* Runs sql on the database directly; returns the first column of the first
 * row as text (malloc'd, "" when none) or NULL on error (printed). */
static char *raw(const char *sql)
{
    char *out = NULL;
    if (is_pg()) {
        PGconn *c = PQconnectdb(g_url);
        PGresult *r = PQexec(c, sql);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
            out = strdup(PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "");
        else
            printf("# raw: %s\n", strtok(PQerrorMessage(c), "\n"));
        PQclear(r);
        PQfinish(c);
        return out;
    }
    sqlite3 *h;
    sqlite3_open_v2(g_url, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_URI, NULL);
    sqlite3_stmt *st = NULL;
    const char *tail = sql;
    bool good = true;
    while (good && tail && *tail) {
        if (sqlite3_prepare_v2(h, tail, -1, &st, &tail) != SQLITE_OK) {
            good = false;
            break;
        }
        if (!st)
            break;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (!out)
                out = strdup(sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
        if (rc != SQLITE_DONE)
            good = false;
        sqlite3_finalize(st);
        st = NULL;
    }
    if (!good) {
        printf("# raw: %s\n", sqlite3_errmsg(h));
        free(out);
        out = NULL;
    } else if (!out) {
        out = strdup("");
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static bool raw_ok(const char *sql)
{
    char *r = raw(sql);
    free(r);
    return r != NULL;
}

static long long raw_int(const char *sql)
{
    char *r = raw(sql);
    long long v = r ? strtoll(r, NULL, 10) : -1;
    free(r);
    return v;
}

/* ---- helpers ------------------------------------------------------------- */

static js_store *open_store(void)
{
    js_diag d;
    js_store *s = js_store_open(g_url, &d);
    if (!s)
        printf("# open: %s\n", d.message);
    return s;
}

static int64_t add_user(js_store *s, const char *login, unsigned roles, int64_t dept)
{
    int64_t id = 0;
    js_diag d;
    int rc = js_store_user_add(s, 0, login, NULL, PW, roles, dept, &id, &d);
    if (rc != JS_OK)
        printf("# user_add %s: %s\n", login, d.message);
    return id;
}

static int64_t upload(js_store *s, int64_t actor, int64_t dept, int year, int errors,
                      int64_t corrects, const char *reason)
{
    static const char file[] = "PK\x03\x04 not really a workbook \0 with a NUL";
    int64_t id = 0;
    js_diag d;
    int rc = js_store_version_add(s, actor, dept, year, "决算.xlsx", file, sizeof file,
                                  "{\"findings\":[]}", errors, 1, 2, corrects, reason, T0, &id, &d);
    if (rc != JS_OK)
        printf("# version_add: %s\n", d.message);
    return id;
}

static js_vstate state_of(js_store *s, int64_t id)
{
    js_store_version v;
    js_diag d;
    if (js_store_version_get(s, id, &v, &d) != JS_OK)
        return (js_vstate)-1;
    js_vstate st = v.state;
    js_store_version_free(&v);
    return st;
}

/* ---- the tests ----------------------------------------------------------- */

static int64_t g_dept, g_dept2, g_prep, g_prep2, g_rev1, g_rev2, g_pub, g_admin;

static void test_open(js_store *s)
{
    is_str(js_store_backend(s), is_pg() ? "postgresql" : "sqlite", "backend from the URL");
    ok(js_store_schema_version(s) == 4, "schema version 4 (got %d)", js_store_schema_version(s));
    js_store *again = open_store();
    ok(again && js_store_schema_version(again) == 4, "reopening migrates nothing");
    js_store_close(again);
    js_diag d;
    ok(!js_store_open("mysql://localhost/x", &d) && d.status == JS_E_USAGE &&
           strstr(d.message, "mysql://"),
       "an unknown URL scheme is refused: %s", d.message);
    if (!is_pg()) {
        char *mode = raw("PRAGMA journal_mode");
        is_str(mode, "wal", "SQLite runs in WAL mode");
        free(mode);
        ok(raw_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'version'"
                   " AND sql LIKE '%STRICT'") == 1,
           "tables are STRICT");
    }
}

static void test_depts(js_store *s)
{
    js_diag d;
    ok(js_store_dept_add(s, "qingshan-slj", "武汉市青山区经济信息化和科技创新局", NULL, &g_dept, &d) ==
           JS_OK && g_dept > 0,
       "add a department");
    ok(js_store_dept_add(s, "other", "'; DROP TABLE dept; --", "default", &g_dept2, &d) == JS_OK,
       "a name with SQL in it is just text");
    ok(js_store_dept_add(s, "qingshan-slj", "x", NULL, NULL, &d) == JS_STORE_CONFLICT &&
           strstr(d.message, "已存在"),
       "a code taken: %s", d.message);
    ok(js_store_dept_add(s, "Bad Code", "x", NULL, NULL, &d) == JS_E_INPUT, "a bad code: %s",
       d.message);
    ok(js_store_dept_add(s, "2024", "x", NULL, NULL, &d) == JS_E_INPUT, "an all-digit code: %s",
       d.message);
    js_store_dept x;
    ok(js_store_dept_get(s, "qingshan-slj", &x, &d) == JS_OK && x.id == g_dept &&
           !strcmp(x.profile, "default"),
       "get by code, profile defaults to 'default'");
    js_store_dept_free(&x);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%" PRId64, g_dept2);
    ok(js_store_dept_get(s, idtext, &x, &d) == JS_OK && !strcmp(x.name, "'; DROP TABLE dept; --"),
       "get by id; the name stored verbatim");
    js_store_dept_free(&x);
    ok(js_store_dept_get(s, "nowhere", &x, &d) == JS_STORE_NOT_FOUND, "an unknown department");
    js_store_dept *v;
    size_t n;
    ok(js_store_dept_list(s, &v, &n, &d) == JS_OK && n == 2 && !strcmp(v[0].code, "other") &&
           !strcmp(v[1].code, "qingshan-slj"),
       "list by code");
    js_store_dept_list_free(v, n);
}

static void test_users(js_store *s)
{
    js_diag d;
    int64_t id;
    ok(js_store_user_add(s, 0, "p0", NULL, PW, JS_ROLE_PREPARER, 0, &id, &d) == JS_E_INPUT &&
           strstr(d.message, "部门"),
       "a preparer needs a department: %s", d.message);
    ok(js_store_user_add(s, 0, "p0", NULL, "short", JS_ROLE_REVIEWER, 0, &id, &d) == JS_E_INPUT,
       "a short password: %s", d.message);
    ok(js_store_user_add(s, 0, "p 0", NULL, PW, JS_ROLE_REVIEWER, 0, &id, &d) == JS_E_INPUT,
       "a login with a space: %s", d.message);
    ok(js_store_user_add(s, 0, "p0", NULL, PW, 64, 0, &id, &d) == JS_E_INPUT, "an unknown role");
    ok(js_store_user_add(s, 0, "p0", NULL, PW, JS_ROLE_PREPARER, 9999, &id, &d) ==
           JS_STORE_NOT_FOUND,
       "an unknown department: %s", d.message);
    g_prep = add_user(s, "prep", JS_ROLE_PREPARER, g_dept);
    g_prep2 = add_user(s, "prep2", JS_ROLE_PREPARER, g_dept2);
    g_rev1 = add_user(s, "rev1", JS_ROLE_REVIEWER, 0);
    g_rev2 = add_user(s, "rev2", JS_ROLE_REVIEWER | JS_ROLE_PREPARER, g_dept);
    g_pub = add_user(s, "pub", JS_ROLE_PUBLISHER, 0);
    g_admin = add_user(s, "管理员", JS_ROLE_ADMIN, 0);
    ok(g_prep && g_prep2 && g_rev1 && g_rev2 && g_pub && g_admin, "six users added");
    ok(js_store_user_add(s, 0, "prep", NULL, PW, JS_ROLE_REVIEWER, 0, &id, &d) == JS_STORE_CONFLICT,
       "a login taken: %s", d.message);
    char *hash = raw("SELECT pwhash FROM account WHERE login = 'prep'");
    ok(hash && !strncmp(hash, "$argon2id$v=19$m=19456,t=2,p=1$", 31),
       "argon2id, 19 MiB, 2 passes: %.32s", hash ? hash : "(none)");
    free(hash);
    js_store_user u;
    ok(js_store_user_get(s, g_prep, &u, &d) == JS_OK && !strcmp(u.login, "prep") &&
           !strcmp(u.display, "prep") && u.roles == JS_ROLE_PREPARER && u.dept_id == g_dept &&
           !u.disabled && u.created > 0,
       "get a user");
    js_store_user_free(&u);
    js_store_user *v;
    size_t n;
    ok(js_store_user_list(s, &v, &n, &d) == JS_OK && n == 6 && !strcmp(v[0].login, "prep"),
       "list users by login (%zu)", n);
    js_store_user_list_free(v, n);
    is_str(js_role_name(JS_ROLE_REVIEWER), "审核", "role name");
    ok(js_role_parse("发布") == JS_ROLE_PUBLISHER && js_role_parse("admin") == JS_ROLE_ADMIN &&
           js_role_parse("boss") == 0,
       "role parse");
}

static void test_login(js_store *s)
{
    js_diag d;
    int64_t uid;
    ok(js_store_login(s, "prep", PW, "10.0.0.1", T0, &uid, &d) == JS_OK && uid == g_prep,
       "login with the right password");
    char wrong[sizeof d.message], unknown[sizeof d.message];
    ok(js_store_login(s, "prep", "wrong password", "10.0.0.1", T0, &uid, &d) == JS_STORE_DENIED &&
           uid == 0,
       "a wrong password is denied");
    snprintf(wrong, sizeof wrong, "%s", d.message);
    ok(js_store_login(s, "nobody", PW, "10.0.0.1", T0, &uid, &d) == JS_STORE_DENIED,
       "an unknown login is denied");
    snprintf(unknown, sizeof unknown, "%s", d.message);
    is_str(wrong, unknown, "the same message for both");
    /* per login: 5 failures lock the login out, even with the password */
    char addr[32];
    for (int k = 0; k < 4; k++) {
        snprintf(addr, sizeof addr, "10.0.1.%d", k);
        js_store_login(s, "rev1", "nope nope", addr, T0 + k, &uid, &d);
    }
    ok(js_store_login(s, "rev1", PW, "10.0.2.1", T0 + 5, &uid, &d) == JS_OK, "4 failures: not yet");
    for (int k = 0; k < 5; k++) {
        snprintf(addr, sizeof addr, "10.0.3.%d", k);
        js_store_login(s, "rev1", "nope nope", addr, T0 + 10 + k, &uid, &d);
    }
    int rc = js_store_login(s, "rev1", PW, "10.0.1.3", T0 + 20, &uid, &d);
    ok(rc == JS_STORE_DENIED && strstr(d.message, "次数过多"),
       "5 failures: the right password is refused too: %d %s", rc, d.message);
    ok(js_store_login(s, "rev1", PW, "10.0.1.3", T0 + 14 + JS_LOGIN_WINDOW + 1, &uid, &d) == JS_OK,
       "after the window the login works again");
    /* per address: failures on several logins lock the address out */
    for (int k = 0; k < 5; k++) {
        char login[16];
        snprintf(login, sizeof login, "guess%d", k);
        js_store_login(s, login, "nope nope", "10.9.9.9", T0 + 100, &uid, &d);
    }
    ok(js_store_login(s, "pub", PW, "10.9.9.9", T0 + 101, &uid, &d) == JS_STORE_DENIED,
       "5 failures from one address: refused from there");
    ok(js_store_login(s, "pub", PW, "10.9.9.8", T0 + 101, &uid, &d) == JS_OK && uid == g_pub,
       "the same login from elsewhere works");
    /* disabled */
    ok(js_store_user_disable(s, g_admin, "prep2", true, &d) == JS_OK, "disable a user");
    ok(js_store_login(s, "prep2", PW, "10.0.0.2", T0 + 200, &uid, &d) == JS_STORE_DENIED &&
           !strcmp(d.message, wrong),
       "a disabled user cannot log in (generic message)");
    ok(js_store_user_disable(s, g_admin, "prep2", false, &d) == JS_OK &&
           js_store_login(s, "prep2", PW, "10.0.0.2", T0 + 201, &uid, &d) == JS_OK,
       "enabled again");
    ok(js_store_user_disable(s, g_admin, "ghost", true, &d) == JS_STORE_NOT_FOUND, "disable: unknown login");
    ok(js_store_user_passwd(s, g_admin, "prep2", "a new password", &d) == JS_OK &&
           js_store_login(s, "prep2", "a new password", "10.0.0.2", T0 + 202, &uid, &d) == JS_OK &&
           js_store_login(s, "prep2", PW, "10.0.0.2", T0 + 203, &uid, &d) == JS_STORE_DENIED,
       "a new password replaces the old");
    ok(raw_int("SELECT count(*) FROM audit_log WHERE action = 'login.fail'") >= 10 &&
           raw_int("SELECT count(*) FROM audit_log WHERE action = 'login.throttled'") >= 2 &&
           raw_int("SELECT count(*) FROM audit_log WHERE action = 'login'") >= 5,
       "every outcome logged");
    ok(raw_int("SELECT count(*) FROM audit_log WHERE detail LIKE '%" PW "%'"
               " OR detail LIKE '%nope nope%' OR detail LIKE '%a new password%'") == 0,
       "no password in the log");
}

static void test_sessions(js_store *s)
{
    js_diag d;
    js_store_session_new sn;
    ok(js_store_session_create(s, g_rev2, "10.0.0.3", T0, &sn, &d) == JS_OK &&
           strlen(sn.token) == 43 && strlen(sn.csrf) == 43 && strcmp(sn.token, sn.csrf) != 0,
       "a session: token and CSRF of 43 base64url characters");
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM session WHERE token_hash = '%s' OR csrf = '%s'", sn.token,
             sn.token); /* test-only raw SQL over a value the test made */
    ok(raw_int(sql) == 0, "the token itself is not stored");
    int64_t uid;
    char csrf[48];
    ok(js_store_session_check(s, sn.token, T0 + 100, 1800, 43200, &uid, csrf, &d) == JS_OK &&
           uid == g_rev2 && !strcmp(csrf, sn.csrf),
       "check: the user and the CSRF token");
    ok(js_store_session_check(s, sn.token, T0 + 100 + 1801, 1800, 43200, &uid, csrf, &d) ==
           JS_STORE_NOT_FOUND && uid == 0 && !csrf[0],
       "idle timeout");
    ok(js_store_session_check(s, sn.token, T0 + 100 + 1700, 1800, 43200, &uid, csrf, &d) == JS_OK,
       "use within the idle time keeps it alive");
    char seen_sql[200];
    snprintf(seen_sql, sizeof seen_sql, "SELECT last_seen FROM session WHERE csrf = '%s'", sn.csrf);
    ok(js_store_session_check(s, sn.token, T0 + 1800 + 59, 1800, 43200, &uid, csrf, &d) == JS_OK &&
           raw_int(seen_sql) == T0 + 1800,
       "a use less than a minute after the last-seen time writes nothing");
    ok(js_store_session_check(s, sn.token, T0 + 1800 + 60, 1800, 43200, &uid, csrf, &d) == JS_OK &&
           raw_int(seen_sql) == T0 + 1860,
       "a use a minute after it writes the new last-seen time");
    ok(js_store_session_check(s, sn.token, T0 + 1860 + 59, 1800, 43200, &uid, csrf, &d) == JS_OK &&
           js_store_session_check(s, sn.token, T0 + 1860 + 1801, 1800, 43200, &uid, csrf, &d) ==
               JS_STORE_NOT_FOUND,
       "idle: expired 1800 s after the last written use, at most a minute before 1800 s after the last use");
    js_store_session_create(s, g_rev2, "10.0.0.3", T0, &sn, &d);
    js_store_session_check(s, sn.token, T0 + 1800, 1800, 43200, &uid, csrf, &d);
    int64_t t = T0 + 100 + 1700;
    while (t + 1700 <= T0 + 43200) {
        t += 1700;
        js_store_session_check(s, sn.token, t, 1800, 43200, &uid, csrf, &d);
    }
    ok(js_store_session_check(s, sn.token, t, 1800, 43200, &uid, csrf, &d) == JS_OK &&
           js_store_session_check(s, sn.token, T0 + 43201, 1800, 43200, &uid, csrf, &d) ==
           JS_STORE_NOT_FOUND,
       "absolute timeout, however busy");
    js_store_session_new s2;
    js_store_session_create(s, g_rev2, "10.0.0.3", T0, &s2, &d);
    ok(js_store_session_revoke(s, s2.token, &d) == JS_OK &&
           js_store_session_check(s, s2.token, T0 + 1, 1800, 43200, &uid, csrf, &d) ==
               JS_STORE_NOT_FOUND,
       "a revoked session is gone");
    ok(js_store_session_check(s, "forged-token", T0, 1800, 43200, &uid, csrf, &d) ==
           JS_STORE_NOT_FOUND,
       "an unknown token");
    js_store_session_create(s, g_rev2, "10.0.0.3", T0, &s2, &d);
    ok(js_store_user_grant(s, g_admin, "rev2", JS_ROLE_REVIEWER, 0, &d) == JS_OK &&
           js_store_session_check(s, s2.token, T0 + 1, 1800, 43200, &uid, csrf, &d) ==
               JS_STORE_NOT_FOUND,
       "a role change revokes the user's sessions");
    js_store_user u;
    js_store_user_get(s, g_rev2, &u, &d);
    ok(u.roles == JS_ROLE_REVIEWER && u.dept_id == 0, "the new roles");
    js_store_user_free(&u);
    js_store_session_create(s, g_rev2, "10.0.0.3", T0, &s2, &d);
    js_store_user_disable(s, g_admin, "rev2", true, &d);
    js_store_user_disable(s, g_admin, "rev2", false, &d);
    ok(js_store_session_check(s, s2.token, T0 + 1, 1800, 43200, &uid, csrf, &d) ==
           JS_STORE_NOT_FOUND,
       "disabling revokes the user's sessions");
    js_store_session_create(s, g_rev2, "10.0.0.3", T0 + 90000, &s2, &d);
    long long before = raw_int("SELECT count(*) FROM session");
    int64_t pruned = 0;
    ok(js_store_session_prune(s, T0 + 80000, &pruned, &d) == JS_OK && pruned == before - 1 &&
           raw_int("SELECT count(*) FROM session") == 1 &&
           js_store_session_check(s, s2.token, T0 + 90001, 1800, 43200, &uid, csrf, &d) == JS_OK,
       "pruning deletes old and revoked sessions (%lld), keeps the live one", (long long)pruned);
}

static void test_path(js_store *s)
{
    js_diag d;
    static const char file[] = "PK\x03\x04 not really a workbook \0 with a NUL";
    int64_t bad = upload(s, g_prep, g_dept, 2024, 2, 0, NULL);
    ok(js_store_submit(s, g_prep, bad, T0, &d) == JS_STORE_CONFLICT && strstr(d.message, "错误"),
       "a version with errors cannot be submitted: %s", d.message);
    int64_t v1 = upload(s, g_prep, g_dept, 2024, 0, 0, NULL);
    js_store_version v;
    ok(js_store_version_get(s, v1, &v, &d) == JS_OK && v.number == 2 && v.state == JS_V_DRAFT &&
           v.size == sizeof file && v.uploaded_by == g_prep && v.errors == 0 && v.verifies == 1 &&
           v.infos == 2 && !strcmp(v.filename, "决算.xlsx") && !v.reason,
       "upload: draft number 2 of the department-year");
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)file, sizeof file);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    is_str(v.sha256, hex, "the file's SHA-256");
    js_store_version_free(&v);
    void *data;
    size_t size;
    ok(js_store_version_file(s, v1, &data, &size, &d) == JS_OK && size == sizeof file &&
           !memcmp(data, file, size),
       "the file back byte for byte");
    free(data);
    char *json;
    ok(js_store_version_findings(s, v1, &json, &d) == JS_OK && !strcmp(json, "{\"findings\":[]}"),
       "the findings back");
    free(json);
    ok(js_store_explain(s, g_prep, v1, "R-101@表1", "第一稿", &d) == JS_OK &&
           js_store_explain(s, g_prep, v1, "R-101@表1", "已核实：上年数据口径调整", &d) == JS_OK &&
           js_store_explain(s, g_prep, v1, "R-007", "<script>alert(1)</script>", &d) == JS_OK,
       "explanations, one replaced");
    js_store_note *notes;
    size_t n;
    ok(js_store_explanations(s, v1, &notes, &n, &d) == JS_OK && n == 2 &&
           !strcmp(notes[1].key, "R-101@表1") && !strcmp(notes[1].text, "已核实：上年数据口径调整") &&
           !strcmp(notes[0].text, "<script>alert(1)</script>"),
       "explanations back, the later text kept");
    js_store_note_list_free(notes, n);

    ok(js_store_approve(s, g_rev1, v1, T0, &d) == JS_STORE_CONFLICT && strstr(d.message, "草稿"),
       "a draft cannot be approved: %s", d.message);
    ok(js_store_submit(s, g_prep, v1, T0 + 10, &d) == JS_OK && state_of(s, v1) == JS_V_SUBMITTED,
       "submit");
    ok(js_store_submit(s, g_prep, v1, T0 + 10, &d) == JS_STORE_CONFLICT, "submit twice");
    ok(js_store_explain(s, g_prep, v1, "R-101@表1", "late", &d) == JS_STORE_CONFLICT,
       "no explanation after submission");
    ok(js_store_return(s, g_rev1, v1, "", T0, &d) == JS_E_INPUT, "return needs a comment");
    ok(js_store_return(s, g_rev1, v1, "表3 与表1 不符，请核对", T0 + 20, &d) == JS_OK &&
           state_of(s, v1) == JS_V_RETURNED,
       "return with a comment");
    js_store_comment *cm;
    ok(js_store_comments(s, v1, &cm, &n, &d) == JS_OK && n == 1 && cm[0].author == g_rev1 &&
           cm[0].at == T0 + 20 && !strcmp(cm[0].text, "表3 与表1 不符，请核对"),
       "the comment");
    js_store_comment_list_free(cm, n);
    ok(js_store_explain(s, g_prep, v1, "R-102", "returned: may explain again", &d) == JS_OK,
       "explain while returned");
    ok(js_store_submit(s, g_prep, v1, T0 + 30, &d) == JS_OK, "resubmit");
    int64_t self = upload(s, g_rev1, g_dept, 2023, 0, 0, NULL);
    js_store_submit(s, g_rev1, self, T0, &d);
    ok(js_store_approve(s, g_rev1, self, T0, &d) == JS_STORE_DENIED && strstr(d.message, "自己"),
       "four eyes: no approving one's own upload: %s", d.message);
    ok(js_store_approve(s, g_rev2, self, T0, &d) == JS_OK, "another reviewer may");
    ok(js_store_publish(s, g_pub, v1, NULL, 0, T0, &d) == JS_STORE_CONFLICT,
       "a submitted version cannot be published");
    ok(js_store_approve(s, g_rev1, v1, T0 + 40, &d) == JS_OK && state_of(s, v1) == JS_V_APPROVED,
       "approve");
    ok(js_store_approve(s, g_rev2, v1, T0 + 41, &d) == JS_STORE_CONFLICT, "approve twice");

    static const char html[] = "<!doctype html><title>报告</title>";
    static const unsigned char pdf[] = {'%', 'P', 'D', 'F', 0, 1, 2, 255};
    js_store_output_in outs[] = {
        {"report.html", "text/html; charset=utf-8", html, sizeof html - 1},
        {"report.pdf", "application/pdf", pdf, sizeof pdf},
    };
    js_store_output_in evil[] = {{"../etc/passwd", "text/plain", "x", 1}};
    ok(js_store_publish(s, g_pub, v1, evil, 1, T0, &d) == JS_E_INPUT, "an output name with a path: %s",
       d.message);
    ok(js_store_publish(s, g_pub, v1, outs, 2, T0 + 50, &d) == JS_OK &&
           state_of(s, v1) == JS_V_PUBLISHED,
       "publish with outputs");
    js_store_output o;
    ok(js_store_output_get(s, v1, "report.pdf", &o, &d) == JS_OK && o.size == sizeof pdf &&
           !memcmp(o.data, pdf, sizeof pdf) && !strcmp(o.content_type, "application/pdf"),
       "an output back byte for byte");
    crypto_hash_sha256(h, pdf, sizeof pdf);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    is_str(o.sha256, hex, "the output's SHA-256");
    js_store_output_free(&o);
    ok(js_store_output_get(s, v1, "report.md", &o, &d) == JS_STORE_NOT_FOUND, "an output not stored");
    js_store_output *ol;
    ok(js_store_output_list(s, v1, &ol, &n, &d) == JS_OK && n == 2 &&
           !strcmp(ol[0].name, "report.html") && ol[0].size == sizeof html - 1 && !ol[0].data,
       "the outputs listed without data");
    js_store_output_list_free(ol, n);

    ok(upload(s, g_prep, g_dept, 2024, 0, 0, NULL) == 0, "no plain upload once published");
    ok(upload(s, g_prep, g_dept, 2024, 0, v1, NULL) == 0, "a correction needs a reason");
    ok(upload(s, g_prep, g_dept, 2024, 0, self, "wrong year") == 0,
       "a correction of something not published");
    int64_t v2 = upload(s, g_prep, g_dept, 2024, 0, v1, "表5 数字录入错误");
    ok(v2 > 0, "a correction is a new version");
    js_store_submit(s, g_prep, v2, T0 + 60, &d);
    js_store_approve(s, g_rev1, v2, T0 + 61, &d);
    ok(js_store_publish(s, g_pub, v2, outs, 1, T0 + 62, &d) == JS_OK, "the correction published");
    ok(js_store_version_get(s, v1, &v, &d) == JS_OK && v.state == JS_V_CORRECTED &&
           v.corrected_by == v2 && v.published_at == T0 + 50,
       "the old version is 已更正, pointing to the new one, still there");
    js_store_version_free(&v);
    ok(js_store_version_get(s, v2, &v, &d) == JS_OK && v.corrects == v1 &&
           !strcmp(v.reason, "表5 数字录入错误") && v.reviewed_by == g_rev1 &&
           v.published_by == g_pub && v.submitted_at == T0 + 60,
       "the new version: what it corrects and why, who and when");
    js_store_version_free(&v);
    ok(js_store_output_get(s, v1, "report.pdf", &o, &d) == JS_OK, "the old outputs stay");
    js_store_output_free(&o);

    js_store_version *vl;
    ok(js_store_version_list(s, g_dept, 2024, &vl, &n, &d) == JS_OK && n == 3 &&
           vl[0].id == v2 && vl[2].id == bad,
       "versions of a department-year, newest first");
    js_store_version_list_free(vl, n);
    ok(js_store_version_list(s, g_dept, 0, &vl, &n, &d) == JS_OK && n == 4 && vl[3].id == self,
       "versions of every year");
    js_store_version_list_free(vl, n);
    ok(js_store_version_list_state(s, JS_V_PUBLISHED, 2024, &vl, &n, &d) == JS_OK && n == 1 &&
           vl[0].id == v2,
       "published versions of 2024");
    js_store_version_list_free(vl, n);
    ok(js_store_withdraw(s, g_pub, v2, NULL, T0, &d) == JS_E_INPUT, "withdraw needs a reason");
    ok(js_store_withdraw(s, g_pub, v2, "误发布", T0 + 70, &d) == JS_OK &&
           state_of(s, v2) == JS_V_WITHDRAWN,
       "withdraw");
    ok(js_store_withdraw(s, g_pub, v2, "again", T0 + 70, &d) == JS_STORE_CONFLICT, "withdraw twice");
    is_str(js_vstate_name(JS_V_CORRECTED), "已更正", "state names");
    ok(js_store_version_get(s, 99999, &v, &d) == JS_STORE_NOT_FOUND, "an unknown version");
    ok(js_store_version_add(s, g_prep, 99999, 2024, "x.xlsx", "x", 1, "", 0, 0, 0, 0, NULL, T0,
                            NULL, &d) == JS_STORE_NOT_FOUND,
       "an upload to an unknown department");
}

/* Two stores approve one version at the same moment: one wins. */
typedef struct {
    pthread_barrier_t *go;
    js_store *s;
    int64_t actor, version;
    int rc;
    bool publish; /* publish instead of approve */
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    js_diag d;
    pthread_barrier_wait(r->go);
    if (r->publish)
        r->rc = js_store_publish(r->s, r->actor, r->version, NULL, 0, T0, &d);
    else
        r->rc = js_store_approve(r->s, r->actor, r->version, T0, &d);
    return NULL;
}

/* Runs r1 and r2 at the same moment; true when exactly one succeeded and
 * the other got a conflict. */
static bool one_wins(racer *r1, racer *r2)
{
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, 2);
    r1->go = r2->go = &go;
    pthread_t t1, t2;
    pthread_create(&t1, NULL, race, r1);
    pthread_create(&t2, NULL, race, r2);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    pthread_barrier_destroy(&go);
    bool once = (r1->rc == JS_OK) + (r2->rc == JS_OK) == 1 &&
                (r1->rc == JS_STORE_CONFLICT || r2->rc == JS_STORE_CONFLICT);
    if (!once)
        printf("# %d and %d\n", r1->rc, r2->rc);
    return once;
}

static int64_t approved(js_store *s, int year)
{
    js_diag d;
    int64_t v = upload(s, g_prep, g_dept, year, 0, 0, NULL);
    js_store_submit(s, g_prep, v, T0, &d);
    js_store_approve(s, g_rev1, v, T0, &d);
    return v;
}

static void test_race(js_store *s)
{
    js_store *a = open_store(), *b = open_store();
    int rounds = 20, one_winner = 0;
    for (int k = 0; k < rounds && a && b; k++) {
        js_diag d;
        int64_t v = upload(s, g_prep, g_dept, 2000 + k, 0, 0, NULL);
        js_store_submit(s, g_prep, v, T0, &d);
        racer r1 = {NULL, a, g_rev1, v, -1, false}, r2 = {NULL, b, g_rev2, v, -1, false};
        bool once = one_wins(&r1, &r2);
        js_store_version ver;
        js_store_version_get(s, v, &ver, &d);
        one_winner += once && ver.state == JS_V_APPROVED &&
                      ver.reviewed_by == (r1.rc == JS_OK ? g_rev1 : g_rev2);
        js_store_version_free(&ver);
    }
    ok(one_winner == rounds, "two stores approving at once: one approval, one conflict (%d of %d rounds)",
       one_winner, rounds);
    long long approvals = raw_int("SELECT count(*) FROM audit_log WHERE action = 'version.approve'");
    ok(approvals == rounds + 3, "one approval logged per version (%lld)", approvals);
    /* Two approved versions of one department-year published at once: one
     * is published, the other refused. */
    int published_once = 0;
    for (int k = 0; k < 5 && a && b; k++) {
        int64_t v1 = approved(s, 1990 + k), v2 = approved(s, 1990 + k);
        racer r1 = {NULL, a, g_pub, v1, -1, true}, r2 = {NULL, b, g_pub, v2, -1, true};
        bool once = one_wins(&r1, &r2);
        js_store_version *vl;
        size_t n;
        js_diag d;
        js_store_version_list_state(s, JS_V_PUBLISHED, 1990 + k, &vl, &n, &d);
        published_once += once && n == 1 && vl[0].id == (r1.rc == JS_OK ? v1 : v2);
        js_store_version_list_free(vl, n);
    }
    ok(published_once == 5, "two versions of one department-year published at once: one is (%d of 5 rounds)",
       published_once);
    js_store_close(a);
    js_store_close(b);
}

/* Stores working at once: appends keep one chain; parallel wrong
 * passwords cannot outrun the throttle. */
#define PAR 6

typedef struct {
    pthread_barrier_t *go;
    int k, rc;
} worker;

static void *appender(void *arg)
{
    worker *w = arg;
    js_store *s = open_store();
    pthread_barrier_wait(w->go);
    w->rc = s ? JS_OK : JS_E_IO;
    for (int i = 0; i < 40 && w->rc == JS_OK; i++) {
        js_diag d;
        w->rc = js_store_log(s, w->k, "parallel", "test", NULL, NULL, T0, &d);
    }
    js_store_close(s);
    return NULL;
}

static void *guesser(void *arg)
{
    worker *w = arg;
    js_store *s = open_store();
    pthread_barrier_wait(w->go);
    js_diag d;
    int64_t uid;
    w->rc = s ? js_store_login(s, "pub", "guess guess", "10.7.7.7", T0 + 5000, &uid, &d) : JS_E_IO;
    js_store_close(s);
    return NULL;
}

static void run_workers(void *(*fn)(void *), worker *w)
{
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, PAR);
    pthread_t t[PAR];
    for (int k = 0; k < PAR; k++) {
        w[k] = (worker){&go, k + 1, -1};
        pthread_create(&t[k], NULL, fn, &w[k]);
    }
    for (int k = 0; k < PAR; k++)
        pthread_join(t[k], NULL);
    pthread_barrier_destroy(&go);
}

static void test_parallel(js_store *s)
{
    worker w[PAR];
    long before = raw_int("SELECT count(*) FROM audit_log");
    run_workers(appender, w);
    bool all = true;
    for (int k = 0; k < PAR; k++)
        all = all && w[k].rc == JS_OK;
    js_diag d;
    int64_t count = 0;
    ok(all && js_store_log_verify(s, &count, &d) == JS_OK && count == before + PAR * 40,
       "%d stores appending at once: one unbroken chain of %lld entries", PAR, (long long)count);

    before = raw_int("SELECT count(*) FROM audit_log WHERE action = 'login.fail' AND addr = '10.7.7.7'");
    for (int k = 0; k < 4; k++) {
        int64_t uid;
        js_store_login(s, "pub", "guess guess", "10.7.7.7", T0 + 5000, &uid, &d);
    }
    run_workers(guesser, w);
    int denied = 0;
    for (int k = 0; k < PAR; k++)
        denied += w[k].rc == JS_STORE_DENIED;
    long fails = raw_int("SELECT count(*) FROM audit_log WHERE action = 'login.fail' AND addr = '10.7.7.7'");
    long throttled = raw_int("SELECT count(*) FROM audit_log WHERE action = 'login.throttled' AND addr = '10.7.7.7'");
    ok(denied == PAR && fails - before == JS_LOGIN_MAX_FAILURES && throttled == PAR - 1,
       "4 failures, then %d guesses at once: exactly one more is checked, the rest throttled"
       " (%ld checked, %ld throttled)", PAR, fails - before, throttled);
}

/* The canonical form of an entry (docs/store.md), recomputed here to
 * forge entries that hash correctly. */
static void forge_hash(int64_t seq, int64_t at, int64_t actor, const char *action,
                       const char *entity, const char *detail, const char *addr,
                       const char *prev, char out[65])
{
    char buf[4096];
    int n = snprintf(buf, sizeof buf,
                     "juesuan-log-1\n%" PRId64 "\n%" PRId64 "\n%" PRId64 "\n%zu:%s\n%zu:%s\n%zu:%s\n%zu:%s\n%zu:%s\n",
                     seq, at, actor, strlen(action), action, strlen(entity), entity,
                     strlen(detail), detail, strlen(addr), addr, strlen(prev), prev);
    unsigned char h[32];
    crypto_hash_sha256(h, (const unsigned char *)buf, (unsigned long long)n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int verify(js_store *s, int64_t *count, js_diag *d)
{
    *count = 0;
    return js_store_log_verify(s, count, d);
}

static void test_log(js_store *s)
{
    js_diag d;
    ok(js_store_dept_add_as(s, g_admin, "third", "第三个部门", NULL, NULL, &d) == JS_OK &&
           raw_int("SELECT actor FROM audit_log WHERE action = 'dept.add' AND detail = 'third'") == g_admin,
       "a department added by a user: the user in the log");
    ok(js_store_log(s, g_rev1, "logout", "user:3", NULL, "10.0.0.1", T0 + 999, &d) == JS_OK,
       "append an event");
    js_store_event *ev;
    size_t n;
    ok(js_store_log_list(s, 0, 3, &ev, &n, &d) == JS_OK && n == 3 && ev[0].seq == 1 &&
           !strcmp(ev[0].prev, "0000000000000000000000000000000000000000000000000000000000000000") &&
           !strcmp(ev[1].prev, ev[0].hash) && !strcmp(ev[2].prev, ev[1].hash),
       "the first entries, chained");
    js_store_event_list_free(ev, n);
    long long total = raw_int("SELECT count(*) FROM audit_log");
    int64_t count;
    ok(verify(s, &count, &d) == JS_OK && count == total, "the chain verifies (%lld entries)", total);
    ok(js_store_log_list(s, (int64_t)total - 1, 10, &ev, &n, &d) == JS_OK && n == 1 &&
           !strcmp(ev[0].action, "logout") && ev[0].actor == g_rev1 && ev[0].at == T0 + 999 &&
           !strcmp(ev[0].addr, "10.0.0.1") && !strcmp(ev[0].detail, ""),
       "the last entry as appended");
    js_store_event_list_free(ev, n);

    ok(!raw_ok("UPDATE audit_log SET detail = 'x' WHERE seq = 2"), "the log refuses UPDATE");
    ok(!raw_ok("DELETE FROM audit_log WHERE seq = 2"), "the log refuses DELETE");
    if (is_pg())
        ok(!raw_ok("TRUNCATE audit_log"), "the log refuses TRUNCATE");

    /* An intruder removes the guard and tampers. */
    ok(raw_ok(is_pg() ? "ALTER TABLE audit_log DISABLE TRIGGER USER"
                      : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete"),
       "(drop the guard)");
    raw_ok("UPDATE audit_log SET detail = detail || 'x' WHERE seq = 5");
    ok(verify(s, &count, &d) == JS_E_INPUT && d.line == 5 && strstr(d.message, "改动"),
       "a changed entry: %s", d.message);
    raw_ok("UPDATE audit_log SET detail = substr(detail, 1, length(detail) - 1) WHERE seq = 5");
    ok(verify(s, &count, &d) == JS_OK, "restored, it verifies");

    raw_ok("CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = 7");
    raw_ok("DELETE FROM audit_log WHERE seq = 7");
    ok(verify(s, &count, &d) == JS_E_INPUT && d.line == 7 && strstr(d.message, "删除"),
       "a deleted entry: %s", d.message);
    raw_ok("INSERT INTO audit_log SELECT * FROM saved");
    raw_ok("DROP TABLE saved");
    ok(verify(s, &count, &d) == JS_OK, "restored, it verifies");

    raw_ok("CREATE TABLE saved AS SELECT * FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)");
    raw_ok("DELETE FROM audit_log WHERE seq = (SELECT seq FROM saved)");
    ok(verify(s, &count, &d) == JS_E_INPUT && strstr(d.message, "末尾"),
       "the last entry deleted: %s", d.message);
    raw_ok("INSERT INTO audit_log SELECT * FROM saved");
    raw_ok("DROP TABLE saved");
    ok(verify(s, &count, &d) == JS_OK, "restored, it verifies");

    /* Insert a well-formed entry after seq 3: shift the rest up by one. */
    js_store_event *e;
    js_store_log_list(s, 2, 1, &e, &n, &d);
    char forged[65];
    forge_hash(4, T0, 0, "user.grant", "user:1", "root 管理", "", e[0].hash, forged);
    char sql[1024];
    raw_ok("UPDATE audit_log SET seq = seq + 100000 WHERE seq >= 4");
    raw_ok("UPDATE audit_log SET seq = seq - 99999 WHERE seq >= 100000");
    snprintf(sql, sizeof sql,
             "INSERT INTO audit_log (seq, at, actor, action, entity, detail, addr, prev, hash)"
             " VALUES (4, %d, 0, 'user.grant', 'user:1', 'root 管理', '', '%s', '%s')",
             T0, e[0].hash, forged); /* test-only raw SQL over values the test made */
    js_store_event_list_free(e, n);
    raw_ok(sql);
    raw_ok("UPDATE log_head SET seq = seq + 1");
    ok(verify(s, &count, &d) == JS_E_INPUT && d.line == 5, "an inserted entry (its own hash right): %s",
       d.message);
}

/* A year's bundle: stored with its SHA-256, read with or without its
 * bytes, replaced whole. */
static void test_bundle(js_store *s)
{
    js_diag d;
    js_store_bundle b;
    ok(js_store_bundle_get(s, 2031, true, &b, &d) == JS_STORE_NOT_FOUND, "no bundle before one is built");
    static const char zip1[] = "PK\x03\x04 first", zip2[] = "PK\x03\x04 second, longer";
    memset(&d, 0, sizeof d);
    ok(js_store_bundle_put(s, 2031, "layout:1,2", zip1, sizeof zip1, 1000, &d) == JS_OK, "a bundle is stored: %s",
       d.message);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)zip1, sizeof zip1);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    ok(js_store_bundle_get(s, 2031, false, &b, &d) == JS_OK && b.year == 2031 && b.size == sizeof zip1 &&
           !b.data && b.built_at == 1000 && !strcmp(b.contents, "layout:1,2") && !strcmp(b.sha256, hex),
       "read back without its bytes: size, time, contents, SHA-256");
    js_store_bundle_free(&b);
    ok(js_store_bundle_put(s, 2031, "layout:1,2,3", zip2, sizeof zip2, 2000, &d) == JS_OK &&
           js_store_bundle_get(s, 2031, true, &b, &d) == JS_OK && b.size == sizeof zip2 && b.data &&
           !memcmp(b.data, zip2, sizeof zip2) && !strcmp(b.contents, "layout:1,2,3") && strlen(b.sha256) == 64,
       "rebuilt: replaced whole, bytes read back");
    js_store_bundle_free(&b);
}

/* The 预算 and 决算 of one department-year: two lines of versions, numbers
 * shared, one published version each; a budget's 批复 date. */
static int64_t add_phase(js_store *s, js_phase ph, const char *approval, int64_t corrects, int *rc, js_diag *d)
{
    static const char file[] = "PK\x03\x04 a phase";
    int64_t id = 0;
    memset(d, 0, sizeof *d);
    *rc = js_store_version_add_phase(s, g_prep, g_dept, 2040, ph, approval, "wb.xlsx", file, sizeof file, "{}", 0, 0,
                                     0, corrects, corrects ? "更正" : NULL, T0, &id, d);
    return id;
}

static bool through(js_store *s, int64_t id)
{
    js_diag d;
    js_store_output_in out[] = {{"report.html", "text/html; charset=utf-8", "<p>x</p>", 8}};
    return js_store_submit(s, g_prep, id, T0, &d) == JS_OK && js_store_approve(s, g_rev1, id, T0, &d) == JS_OK &&
           js_store_publish(s, g_pub, id, out, 1, T0, &d) == JS_OK;
}

static void test_phases(js_store *s)
{
    js_diag d;
    int rc;
    add_phase(s, JS_PHASE_FINAL, "2040-01-10", 0, &rc, &d);
    ok(rc == JS_E_INPUT && strstr(d.message, "批复日期"), "a 决算 takes no 批复 date: %s", d.message);
    add_phase(s, JS_PHASE_BUDGET, "2040-1-10", 0, &rc, &d);
    ok(rc == JS_E_INPUT, "a 批复 date not written YYYY-MM-DD is refused: %s", d.message);
    int64_t b = add_phase(s, JS_PHASE_BUDGET, "2040-01-10", 0, &rc, &d);
    int64_t f = add_phase(s, JS_PHASE_FINAL, NULL, 0, &rc, &d);
    js_store_version vb, vf;
    ok(js_store_version_get(s, b, &vb, &d) == JS_OK && js_store_version_get(s, f, &vf, &d) == JS_OK &&
           vb.phase == JS_PHASE_BUDGET && !strcmp(vb.approval_date, "2040-01-10") && vb.number == 1 &&
           vf.phase == JS_PHASE_FINAL && !vf.approval_date[0] && vf.number == 2,
       "a 预算 (with its 批复 date) and a 决算 of one department-year, numbered 1 and 2");
    js_store_version_free(&vb);
    js_store_version_free(&vf);
    ok(through(s, b) && through(s, f), "each is published: one published version per phase");
    add_phase(s, JS_PHASE_BUDGET, NULL, 0, &rc, &d);
    ok(rc == JS_STORE_CONFLICT && strstr(d.message, "预算"), "another 预算 must be a correction: %s", d.message);
    add_phase(s, JS_PHASE_BUDGET, NULL, f, &rc, &d);
    ok(rc == JS_STORE_CONFLICT, "a 预算 cannot correct the 决算: %s", d.message);
    int64_t c = add_phase(s, JS_PHASE_BUDGET, "2040-01-12", b, &rc, &d);
    ok(rc == JS_OK && through(s, c) && state_of(s, b) == JS_V_CORRECTED && state_of(s, f) == JS_V_PUBLISHED,
       "a 预算's correction replaces the 预算 alone");
    ok(!strcmp(js_phase_id(JS_PHASE_BUDGET), "budget") && js_phase_parse("final") == JS_PHASE_FINAL &&
           js_phase_parse("plan") == -1 && js_phase_id((js_phase)7) == NULL,
       "phase ids: final, budget");
}

static void test_newer_schema(void)
{
    raw_ok("INSERT INTO schema_version (version, applied_at) VALUES (99, 0)");
    js_diag d;
    js_store *s = js_store_open(g_url, &d);
    ok(!s && d.status == JS_E_USAGE && strstr(d.message, "99"), "a newer schema is refused: %s",
       d.message);
    js_store_close(s);
    raw_ok("DELETE FROM schema_version WHERE version = 99");
}

/* ---- crash safety ------------------------------------------------------- */

#define CRASH_BLOB (256 * 1024)
#define CRASH_YEAR0 1900 /* upload i is the department's version of year 1900 + i */

/* The crash department and its two users (added on the first run), and
 * the number of the next upload. 0 when the database cannot be used. */
static long crash_setup(js_store *s, int64_t *dept, int64_t *prep, int64_t *rev)
{
    js_diag d;
    js_store_dept x;
    if (js_store_dept_get(s, "crash", &x, &d) == JS_OK) {
        *dept = x.id;
        js_store_dept_free(&x);
    } else if (js_store_dept_add(s, "crash", "崩溃测试", NULL, dept, &d) != JS_OK) {
        return 0;
    }
    *prep = *rev = 0;
    js_store_user *u;
    size_t n;
    if (js_store_user_list(s, &u, &n, &d) != JS_OK)
        return 0;
    for (size_t k = 0; k < n; k++) {
        if (!strcmp(u[k].login, "crash-prep"))
            *prep = u[k].id;
        if (!strcmp(u[k].login, "crash-rev"))
            *rev = u[k].id;
    }
    js_store_user_list_free(u, n);
    if (!*prep && js_store_user_add(s, 0, "crash-prep", NULL, PW, JS_ROLE_PREPARER, *dept, prep, &d) != JS_OK)
        return 0;
    if (!*rev && js_store_user_add(s, 0, "crash-rev", NULL, PW, JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER, 0,
                                   rev, &d) != JS_OK)
        return 0;
    js_store_version *v;
    if (js_store_version_list(s, *dept, 0, &v, &n, &d) != JS_OK)
        return 0;
    js_store_version_list_free(v, n);
    return (long)n + 1;
}

/* Upload i's file (tagged with i) and its one published output. */
static void crash_file(long i, unsigned char *blob)
{
    memset(blob, (int)(i & 0xff), CRASH_BLOB);
    memcpy(blob, &i, sizeof i);
}

static void crash_output(long i, char *html, size_t n)
{
    memset(html, 'a' + (int)(i % 26), n);
    snprintf(html, n, "<p>%ld</p>", i);
}

/* Until killed: uploads a version (printing "U i" once committed), takes
 * it through submit, approve and publish with an output ("P i"), and logs.
 * When the database goes away (a PostgreSQL crash), reconnects and goes on
 * with a new version. */
_Noreturn static void writer(void)
{
    static unsigned char blob[CRASH_BLOB];
    static char html[64 * 1024];
    js_store *s = NULL;
    int64_t dept = 0, prep = 0, rev = 0;
    long i = 0;
    for (;;) {
        js_diag d;
        while (!s || !i) {
            js_store_close(s);
            s = js_store_open(g_url, &d);
            i = s ? crash_setup(s, &dept, &prep, &rev) : 0;
            if (!i)
                sleep(1); /* the server is restarting */
        }
        crash_file(i, blob);
        int64_t id;
        if (js_store_version_add(s, prep, dept, CRASH_YEAR0 + (int)i, "crash.xlsx", blob, sizeof blob, "[]",
                                 0, 0, 0, 0, NULL, T0 + i, &id, &d) != JS_OK) {
            i = 0;
            continue;
        }
        printf("U %ld\n", i);
        fflush(stdout);
        crash_output(i, html, sizeof html);
        js_store_output_in out = {"report.html", "text/html", html, sizeof html};
        if (js_store_submit(s, prep, id, T0 + i, &d) != JS_OK ||
            js_store_approve(s, rev, id, T0 + i, &d) != JS_OK ||
            js_store_publish(s, rev, id, &out, 1, T0 + i, &d) != JS_OK) {
            i = 0;
            continue;
        }
        printf("P %ld\n", i);
        fflush(stdout);
        if (js_store_log(s, 0, "crash.write", "version", "n", NULL, T0 + i, &d) != JS_OK)
            i = 0;
        else
            i++;
    }
}

/* Reads the writer's acknowledgements from path ("U i", "P i" lines) and
 * checks that each is in the database. */
static int check_acked(const char *path)
{
    FILE *f = fopen(path, "r");
    ok(f != NULL, "the acknowledgements %s", path);
    js_store *s = open_store();
    ok(s != NULL, "the database opens after the crash");
    if (!f || !s) {
        if (f)
            fclose(f);
        js_store_close(s);
        return done_testing();
    }
    js_diag d;
    js_store_dept dept;
    ok(js_store_dept_get(s, "crash", &dept, &d) == JS_OK, "the department is there");
    js_store_version *v;
    size_t n;
    js_store_version_list(s, dept.id, 0, &v, &n, &d);
    static unsigned char want[CRASH_BLOB];
    static char html[64 * 1024];
    char kind;
    long i, uploads = 0, published = 0, bad = 0;
    while (fscanf(f, " %c %ld", &kind, &i) == 2) {
        const js_store_version *x = NULL;
        for (size_t k = 0; k < n; k++)
            if (v[k].year == CRASH_YEAR0 + i)
                x = &v[k];
        bool good = x != NULL;
        if (good && kind == 'U') {
            void *data = NULL;
            size_t size = 0;
            crash_file(i, want);
            good = js_store_version_file(s, x->id, &data, &size, &d) == JS_OK && size == CRASH_BLOB &&
                   !memcmp(data, want, size);
            free(data);
            uploads++;
        } else if (good && kind == 'P') {
            js_store_output o;
            crash_output(i, html, sizeof html);
            good = x->state == JS_V_PUBLISHED &&
                   js_store_output_get(s, x->id, "report.html", &o, &d) == JS_OK &&
                   o.size == sizeof html && !memcmp(o.data, html, o.size);
            js_store_output_free(&o);
            published++;
        }
        if (!good) {
            printf("# %c %ld missing or damaged\n", kind, i);
            bad++;
        }
    }
    fclose(f);
    ok(bad == 0 && uploads > 0 && published > 0,
       "every acknowledged upload (%ld) and publication (%ld) present and whole", uploads, published);
    long whole = 0;
    for (size_t k = 0; k < n; k++) {
        void *data;
        size_t size;
        if (js_store_version_file(s, v[k].id, &data, &size, &d) != JS_OK)
            continue;
        unsigned char h[32];
        char hex[65];
        crash_file(v[k].year - CRASH_YEAR0, want);
        crypto_hash_sha256(h, data, size);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        whole += size == CRASH_BLOB && !strcmp(hex, v[k].sha256) && !memcmp(data, want, size);
        free(data);
    }
    ok(whole == (long)n, "every stored upload whole, matching its hash (%ld of %zu)", whole, n);
    js_store_version_list_free(v, n);
    js_store_dept_free(&dept);
    int64_t count;
    ok(js_store_log_verify(s, &count, &d) == JS_OK, "the log's chain is intact (%" PRId64 " entries)",
       count);
    js_store_close(s);
    return done_testing();
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 2;
    if (argc == 3 && !strcmp(argv[1], "--writer")) {
        g_url = argv[2];
        writer();
    }
    if (argc == 4 && !strcmp(argv[1], "--check-acked")) {
        g_url = argv[2];
        return check_acked(argv[3]);
    }
    char dir[] = "/tmp/juesuan-store-XXXXXX", path[64];
    bool temp = argc < 2;
    if (temp) {
        if (!mkdtemp(dir))
            return 2;
        snprintf(path, sizeof path, "%s/test.db", dir);
        g_url = path;
    } else {
        g_url = argv[1];
    }
    printf("# store at %s\n", temp ? "a temporary SQLite file" : g_url);
    js_store *s = open_store();
    ok(s != NULL, "open");
    if (s) {
        test_open(s);
        test_depts(s);
        test_users(s);
        test_login(s);
        test_sessions(s);
        test_path(s);
        test_race(s);
        test_parallel(s);
        test_log(s);
        test_bundle(s);
        test_phases(s);
        js_store_close(s);
        test_newer_schema();
    }
    if (temp) {
        char f[80];
        static const char *const sfx[] = {"", "-wal", "-shm"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(f, sizeof f, "%s%s", path, sfx[k]);
            unlink(f);
        }
        rmdir(dir);
    }
    return done_testing();
}
