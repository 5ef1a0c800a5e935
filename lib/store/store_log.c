/* The audit log: append-only (the schema's triggers refuse UPDATE and
 * DELETE), each entry hashed with the previous entry's hash, and the chain's
 * head (last seq and hash) kept in log_head so that losing the last entries
 * shows too. Appends are serialised by the UPDATE of log_head, which every
 * appending transaction makes first (a row lock in PostgreSQL; SQLite has
 * one writer anyway). */
#include "store_internal.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/buf.h"
#include "juesuan/limits.h"

#define VERIFY_PAGE 1000

/* The entry's hash: SHA-256 over a canonical, length-prefixed encoding of
 * every field and the previous hash. */
static bool entry_hash(int64_t seq, int64_t at, int64_t actor, const char *action,
                       const char *entity, const char *detail, const char *addr,
                       const char *prev, char out[65])
{
    js_buf b;
    js_buf_init(&b, 4 * (size_t)JS_MAX_STORE_TEXT + 512);
    js_buf_printf(&b, "juesuan-log-1\n%" PRId64 "\n%" PRId64 "\n%" PRId64 "\n", seq, at, actor);
    const char *fields[] = {action, entity, detail, addr, prev};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        js_buf_printf(&b, "%zu:", strlen(fields[k]));
        js_buf_puts(&b, fields[k]);
        js_buf_putc(&b, '\n');
    }
    bool good = js_buf_ok(&b);
    if (good)
        store_sha256_hex(b.data, b.len, out);
    js_buf_release(&b);
    return good;
}

static const char k_head_next[] =
    "UPDATE log_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
static const char k_head_set[] = "UPDATE log_head SET hash = ? WHERE id = 1";
static const char k_insert[] =
    "INSERT INTO audit_log (seq, at, actor, action, entity, detail, addr, prev, hash)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

int store_log_append(js_store *s, int64_t actor, const char *action, const char *entity,
                     const char *detail, const char *addr, int64_t now, js_diag *d)
{
    entity = entity ? entity : "";
    detail = detail ? detail : "";
    addr = addr ? addr : "";
    db_res r;
    int rc = db_exec(s->c, k_head_next, NULL, 0, &r, d);
    if (rc != JS_OK)
        return rc;
    int64_t seq = db_int(&r, 0, 0);
    char prev[65], hash[65];
    snprintf(prev, sizeof prev, "%s", db_text0(&r, 0, 1));
    db_res_free(&r);
    if (!entry_hash(seq, now, actor, action, entity, detail, addr, prev, hash))
        return store_fail(d, JS_E_NOMEM, "内存不足");
    rc = db_exec(s->c, k_insert,
                 DB_ARGS(A_INT(seq), A_INT(now), A_INT(actor), A_TEXT(action), A_TEXT(entity),
                         A_TEXT(detail), A_TEXT(addr), A_TEXT(prev), A_TEXT(hash)),
                 NULL, d);
    if (rc == JS_OK)
        rc = db_exec(s->c, k_head_set, DB_ARGS(A_TEXT(hash)), NULL, d);
    return rc;
}

int js_store_log(js_store *s, int64_t actor, const char *action, const char *entity,
                 const char *detail, const char *addr, int64_t now, js_diag *d)
{
    if (!action || !*action)
        return store_fail(d, JS_E_USAGE, "审计日志缺少事件名称");
    int rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    rc = store_log_append(s, actor, action, entity, detail, addr, now, d);
    return store_tx_end(s, rc, d);
}

static const char k_list[] =
    "SELECT seq, at, actor, action, entity, detail, addr, prev, hash FROM audit_log"
    " WHERE seq > ? ORDER BY seq LIMIT ?";

static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_event *e = elem;
    e->seq = db_int(r, i, 0);
    e->at = db_int(r, i, 1);
    e->actor = db_int(r, i, 2);
    e->action = db_dup(r, i, 3);
    e->entity = db_dup(r, i, 4);
    e->detail = db_dup(r, i, 5);
    e->addr = db_dup(r, i, 6);
    snprintf(e->prev, sizeof e->prev, "%s", db_text0(r, i, 7));
    snprintf(e->hash, sizeof e->hash, "%s", db_text0(r, i, 8));
    return e->action && e->entity && e->detail && e->addr;
}

static void release(void *elem)
{
    js_store_event *e = elem;
    free(e->action);
    free(e->entity);
    free(e->detail);
    free(e->addr);
}

int js_store_log_list(js_store *s, int64_t after, size_t limit, js_store_event **out,
                      size_t *n, js_diag *d)
{
    void *v;
    int64_t lim = limit > INT64_MAX ? INT64_MAX : (int64_t)limit;
    int rc = store_list(s, k_list, DB_ARGS(A_INT(after), A_INT(lim)), sizeof **out, fill, release,
                        &v, n, d);
    *out = v;
    return rc;
}

void js_store_event_list_free(js_store_event *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release);
}

static int broken(js_diag *d, int64_t seq, const char *what)
{
    store_fail(d, JS_E_INPUT, "审计日志第 %" PRId64 " 条%s", seq, what);
    if (d)
        d->line = (long)seq;
    return JS_E_INPUT;
}

static const char k_head[] = "SELECT seq, hash FROM log_head WHERE id = 1";

int js_store_log_verify(js_store *s, int64_t *count, js_diag *d)
{
    *count = 0;
    /* One snapshot, taking no write lock: appends go on meanwhile and are
     * not seen. */
    int rc = s->c->ops->begin_read(s->c, d);
    if (rc != JS_OK)
        return rc;
    db_res h;
    rc = db_exec(s->c, k_head, NULL, 0, &h, d);
    if (rc != JS_OK) {
        s->c->ops->rollback(s->c);
        return rc;
    }
    int64_t head_seq = db_int(&h, 0, 0);
    char head_hash[65];
    snprintf(head_hash, sizeof head_hash, "%s", db_text0(&h, 0, 1));
    db_res_free(&h);

    char last[65];
    memset(last, '0', 64);
    last[64] = '\0';
    int64_t seq = 0;
    for (;;) {
        js_store_event *v;
        size_t n;
        rc = js_store_log_list(s, seq, VERIFY_PAGE, &v, &n, d);
        if (rc != JS_OK)
            break;
        for (size_t i = 0; i < n && rc == JS_OK; i++) {
            char want[65];
            if (v[i].seq > head_seq)
                break; /* appended after the head was read */
            if (v[i].seq != seq + 1)
                rc = broken(d, seq + 1, "缺失（被删除）");
            else if (strcmp(v[i].prev, last) != 0)
                rc = broken(d, v[i].seq, "与前一条不相接（前一条被删除、改动，或此条是插入的）");
            else if (!entry_hash(v[i].seq, v[i].at, v[i].actor, v[i].action, v[i].entity,
                                 v[i].detail, v[i].addr, v[i].prev, want))
                rc = store_fail(d, JS_E_NOMEM, "内存不足");
            else if (strcmp(want, v[i].hash) != 0)
                rc = broken(d, v[i].seq, "的内容被改动（哈希不符）");
            if (rc == JS_OK) {
                seq = v[i].seq;
                memcpy(last, v[i].hash, 65);
                (*count)++;
            }
        }
        js_store_event_list_free(v, n);
        if (rc != JS_OK || n < VERIFY_PAGE || seq >= head_seq)
            break;
    }
    if (rc == JS_OK && seq != head_seq)
        rc = broken(d, seq + 1, "缺失（日志末尾的记录被删除）");
    else if (rc == JS_OK && strcmp(last, head_hash) != 0)
        rc = broken(d, seq, "与记录的链头不符（末尾的记录被改动或插入）");
    /* Nothing was written: roll back whatever the outcome. */
    s->c->ops->rollback(s->c);
    return rc;
}
