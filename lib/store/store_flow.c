/* The path of a version: submit, return, approve, publish, withdraw. Each
 * change is one transaction that reads the version, checks the state it
 * needs and the four-eyes rule, and then moves it with an UPDATE guarded
 * by the state it read: when another store changed the version in
 * between (PostgreSQL lets both read; the second UPDATE then waits for the
 * first and matches no row), the loser gets JS_STORE_CONFLICT. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/limits.h"

typedef struct {
    int64_t id, dept_id, uploaded_by, corrects;
    int year, errors;
    js_vstate state;
} vrow;

static const char k_read[] =
    "SELECT dept_id, year, state, uploaded_by, corrects, errors FROM version WHERE id = ?";

/* Opens the transaction and reads the version; on failure the transaction
 * is already closed. */
static int begin(js_store *s, int64_t id, vrow *v, js_diag *d)
{
    memset(v, 0, sizeof *v);
    v->id = id;
    int rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    db_res r;
    rc = db_exec(s->c, k_read, DB_ARGS(A_INT(id)), &r, d);
    if (rc == JS_OK && r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "没有编号为 %lld 的版本", (long long)id);
    if (rc == JS_OK) {
        v->dept_id = db_int(&r, 0, 0);
        v->year = (int)db_int(&r, 0, 1);
        v->state = (js_vstate)db_int(&r, 0, 2);
        v->uploaded_by = db_int(&r, 0, 3);
        v->corrects = db_int(&r, 0, 4);
        v->errors = (int)db_int(&r, 0, 5);
    }
    db_res_free(&r);
    return rc == JS_OK ? rc : store_tx_end(s, rc, d);
}

static int refuse(const vrow *v, const char *what, js_diag *d)
{
    return store_fail(d, JS_STORE_CONFLICT, "版本 %lld 当前%s，不能%s", (long long)v->id,
                      js_vstate_name(v->state), what);
}

/* Runs a guarded UPDATE (its last parameter is the state read); no row
 * means another store moved the version first. */
static int move(js_store *s, const vrow *v, const char *sql, const db_arg *args, size_t nargs,
                js_diag *d)
{
    db_res r;
    int rc = db_exec(s->c, sql, args, nargs, &r, d);
    if (rc == JS_OK && r.rows == 0)
        rc = store_fail(d, JS_STORE_CONFLICT, "版本 %lld 刚被他人修改，请刷新后重试",
                        (long long)v->id);
    db_res_free(&r);
    return rc;
}

static int log_change(js_store *s, int64_t actor, const vrow *v, const char *action,
                      const char *detail, int64_t now, js_diag *d)
{
    char entity[48];
    store_entity(entity, "version", v->id);
    return store_log_append(s, actor, action, entity, detail, NULL, now, d);
}

static const char k_submit[] =
    "UPDATE version SET state = 1, submitted_at = ? WHERE id = ? AND state = ? RETURNING id";

int js_store_submit(js_store *s, int64_t actor, int64_t version, int64_t now, js_diag *d)
{
    vrow v;
    int rc = begin(s, version, &v, d);
    if (rc != JS_OK)
        return rc;
    if (v.state != JS_V_DRAFT && v.state != JS_V_RETURNED)
        rc = refuse(&v, "提交", d);
    else if (v.errors > 0)
        rc = store_fail(d, JS_STORE_CONFLICT, "版本 %lld 审核有 %d 个错误，改正后重新上传才能提交",
                        (long long)version, v.errors);
    if (rc == JS_OK)
        rc = move(s, &v, k_submit, DB_ARGS(A_INT(now), A_INT(version), A_INT(v.state)), d);
    if (rc == JS_OK)
        rc = log_change(s, actor, &v, "version.submit", NULL, now, d);
    return store_tx_end(s, rc, d);
}

static const char k_review[] = "UPDATE version SET state = ?, reviewed_by = ?, reviewed_at = ?"
                               " WHERE id = ? AND state = ? RETURNING id";
static const char k_comment[] =
    "INSERT INTO comment (version_id, author, at, text) VALUES (?, ?, ?, ?)";

int js_store_return(js_store *s, int64_t actor, int64_t version, const char *comment,
                    int64_t now, js_diag *d)
{
    int rc = store_check_text(d, "退回意见", comment, true);
    vrow v;
    if (rc == JS_OK)
        rc = begin(s, version, &v, d);
    if (rc != JS_OK)
        return rc;
    if (v.state != JS_V_SUBMITTED)
        rc = refuse(&v, "退回", d);
    if (rc == JS_OK)
        rc = move(s, &v, k_review,
                  DB_ARGS(A_INT(JS_V_RETURNED), A_REF(actor), A_INT(now), A_INT(version),
                          A_INT(v.state)),
                  d);
    if (rc == JS_OK)
        rc = db_exec(s->c, k_comment, DB_ARGS(A_INT(version), A_REF(actor), A_INT(now), A_TEXT(comment)),
                     NULL, d);
    if (rc == JS_OK)
        rc = log_change(s, actor, &v, "version.return", comment, now, d);
    return store_tx_end(s, rc, d);
}

int js_store_approve(js_store *s, int64_t actor, int64_t version, int64_t now, js_diag *d)
{
    vrow v;
    int rc = begin(s, version, &v, d);
    if (rc != JS_OK)
        return rc;
    if (v.state != JS_V_SUBMITTED)
        rc = refuse(&v, "审核通过", d);
    else if (v.uploaded_by == actor)
        rc = store_fail(d, JS_STORE_DENIED, "不能审核通过自己上传的版本");
    if (rc == JS_OK)
        rc = move(s, &v, k_review,
                  DB_ARGS(A_INT(JS_V_APPROVED), A_REF(actor), A_INT(now), A_INT(version),
                          A_INT(v.state)),
                  d);
    if (rc == JS_OK)
        rc = log_change(s, actor, &v, "version.approve", NULL, now, d);
    return store_tx_end(s, rc, d);
}

#define OUTPUT_NAME_MAX 128

/* Output names become the last part of an address: no separators, no
 * dot-files. */
static int check_output(const js_store_output_in *o, js_diag *d)
{
    if (!o->name || !*o->name || strlen(o->name) > OUTPUT_NAME_MAX || o->name[0] == '.' ||
        strpbrk(o->name, "/\\") || strspn(o->name, "abcdefghijklmnopqrstuvwxyz"
                                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
                                           strlen(o->name))
        return store_fail(d, JS_E_INPUT, "输出文件名 '%s' 无效", o->name ? o->name : "");
    if (!o->content_type || !*o->content_type || strlen(o->content_type) > OUTPUT_NAME_MAX)
        return store_fail(d, JS_E_INPUT, "输出文件 '%s' 缺少类型", o->name);
    if (o->size > (size_t)JS_MAX_STORE_FILE || (!o->data && o->size))
        return store_fail(d, JS_E_LIMIT, "输出文件 '%s' 超过 %ld 字节或没有内容", o->name,
                          (long)JS_MAX_STORE_FILE);
    return JS_OK;
}

static const char k_publish[] = "UPDATE version SET state = 4, published_by = ?, published_at = ?"
                                " WHERE id = ? AND state = ? RETURNING id";
static const char k_output[] =
    "INSERT INTO output (version_id, name, content_type, sha256, size, data)"
    " VALUES (?, ?, ?, ?, ?, ?)";
static const char k_other_published[] =
    "SELECT id FROM version WHERE dept_id = ? AND year = ? AND state = 4 AND id <> ?"
    " AND phase = (SELECT phase FROM version WHERE id = ?)";
static const char k_mark_corrected[] =
    "UPDATE version SET state = CASE WHEN state = 4 THEN 5 ELSE state END, corrected_by = ?"
    " WHERE id = ?";

int js_store_publish(js_store *s, int64_t actor, int64_t version,
                     const js_store_output_in *outputs, size_t n, int64_t now, js_diag *d)
{
    int rc = JS_OK;
    for (size_t k = 0; k < n && rc == JS_OK; k++) {
        rc = check_output(&outputs[k], d);
        for (size_t j = 0; j < k && rc == JS_OK; j++)
            if (!strcmp(outputs[j].name, outputs[k].name))
                rc = store_fail(d, JS_E_INPUT, "输出文件 '%s' 重复", outputs[k].name);
    }
    vrow v;
    if (rc == JS_OK)
        rc = begin(s, version, &v, d);
    if (rc != JS_OK)
        return rc;
    if (v.state != JS_V_APPROVED)
        rc = refuse(&v, "发布", d);
    /* One published version per department-year and phase: another one must be the
     * version this one corrects (decided under the department's lock). */
    if (rc == JS_OK)
        rc = store_lock_dept(s, v.dept_id, d);
    db_res r;
    if (rc == JS_OK)
        rc = db_exec(s->c, k_other_published, DB_ARGS(A_INT(v.dept_id), A_INT(v.year), A_INT(version), A_INT(version)),
                     &r, d);
    if (rc == JS_OK) {
        int64_t other = r.rows ? db_int(&r, 0, 0) : 0;
        db_res_free(&r);
        if (other && other != v.corrects)
            rc = store_fail(d, JS_STORE_CONFLICT,
                            "该部门 %d 年度已有已发布的版本 %lld，此版本不是它的更正", v.year,
                            (long long)other);
    }
    if (rc == JS_OK)
        rc = move(s, &v, k_publish, DB_ARGS(A_REF(actor), A_INT(now), A_INT(version), A_INT(v.state)),
                  d);
    for (size_t k = 0; k < n && rc == JS_OK; k++) {
        char sha[65];
        store_sha256_hex(outputs[k].data ? outputs[k].data : "", outputs[k].size, sha);
        rc = db_exec(s->c, k_output,
                     DB_ARGS(A_INT(version), A_TEXT(outputs[k].name), A_TEXT(outputs[k].content_type),
                             A_TEXT(sha), A_INT(outputs[k].size), A_BLOB(outputs[k].data, outputs[k].size)),
                     NULL, d);
    }
    char detail[64];
    snprintf(detail, sizeof detail, "outputs:%zu", n);
    if (rc == JS_OK)
        rc = log_change(s, actor, &v, "version.publish", detail, now, d);
    if (rc == JS_OK && v.corrects) {
        rc = db_exec(s->c, k_mark_corrected, DB_ARGS(A_INT(version), A_INT(v.corrects)), NULL, d);
        vrow old = {.id = v.corrects};
        snprintf(detail, sizeof detail, "corrected_by:version:%lld", (long long)version);
        if (rc == JS_OK)
            rc = log_change(s, actor, &old, "version.corrected", detail, now, d);
    }
    if (rc == JS_OK)
        rc = store_public_changed(s, d);
    return store_tx_end(s, rc, d);
}

static const char k_withdraw[] =
    "UPDATE version SET state = 6, reason = ? WHERE id = ? AND state = ? RETURNING id";

int js_store_withdraw(js_store *s, int64_t actor, int64_t version, const char *reason,
                      int64_t now, js_diag *d)
{
    int rc = store_check_text(d, "撤回原因", reason, true);
    vrow v;
    if (rc == JS_OK)
        rc = begin(s, version, &v, d);
    if (rc != JS_OK)
        return rc;
    if (v.state != JS_V_PUBLISHED)
        rc = refuse(&v, "撤回", d);
    if (rc == JS_OK)
        rc = move(s, &v, k_withdraw, DB_ARGS(A_TEXT(reason), A_INT(version), A_INT(v.state)), d);
    if (rc == JS_OK)
        rc = log_change(s, actor, &v, "version.withdraw", reason, now, d);
    if (rc == JS_OK)
        rc = store_public_changed(s, d);
    return store_tx_end(s, rc, d);
}

static const char k_comments[] =
    "SELECT author, at, text FROM comment WHERE version_id = ? ORDER BY id";

static bool fill_comment(db_res *r, size_t i, void *elem)
{
    js_store_comment *x = elem;
    x->author = db_int(r, i, 0);
    x->at = db_int(r, i, 1);
    x->text = db_dup(r, i, 2);
    return x->text != NULL;
}

static void release_comment(void *elem)
{
    free(((js_store_comment *)elem)->text);
}

int js_store_comments(js_store *s, int64_t version, js_store_comment **out, size_t *n,
                      js_diag *d)
{
    void *v;
    int rc = store_list(s, k_comments, DB_ARGS(A_INT(version)), sizeof **out, fill_comment,
                        release_comment, &v, n, d);
    *out = v;
    return rc;
}

void js_store_comment_list_free(js_store_comment *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release_comment);
}
