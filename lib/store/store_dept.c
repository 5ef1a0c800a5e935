/* Departments: a short code for addresses, the name the workbook states,
 * and the profile of their reports. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX 64

/* Codes appear in addresses: lowercase letters, digits and '-'. */
static int check_code(js_diag *d, const char *code)
{
    if (!code || !*code)
        return store_fail(d, JS_E_INPUT, "缺少部门代码");
    size_t n = strlen(code);
    if (n > CODE_MAX)
        return store_fail(d, JS_E_INPUT, "部门代码超过 %d 个字符", CODE_MAX);
    for (size_t k = 0; k < n; k++) {
        char c = code[k];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return store_fail(d, JS_E_INPUT,
                              "部门代码 '%s' 只能由小写字母、数字和“-”组成", code);
    }
    if (strspn(code, "0123456789") == n)
        return store_fail(d, JS_E_INPUT, "部门代码 '%s' 不能全是数字", code);
    return JS_OK;
}

static const char k_add[] = "INSERT INTO dept (code, name, profile) VALUES (?, ?, ?) RETURNING id";

int js_store_dept_add(js_store *s, const char *code, const char *name, const char *profile,
                      int64_t *id, js_diag *d)
{
    return js_store_dept_add_as(s, 0, code, name, profile, id, d);
}

int js_store_dept_add_as(js_store *s, int64_t actor, const char *code, const char *name,
                         const char *profile, int64_t *id, js_diag *d)
{
    if (!profile || !*profile)
        profile = "default";
    int rc = check_code(d, code);
    if (rc == JS_OK)
        rc = store_check_text(d, "部门名称", name, true);
    if (rc == JS_OK)
        rc = store_check_text(d, "配置名称", profile, true);
    if (rc == JS_OK)
        rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    db_res r;
    rc = db_exec(s->c, k_add, DB_ARGS(A_TEXT(code), A_TEXT(name), A_TEXT(profile)), &r, d);
    if (rc == JS_STORE_CONFLICT)
        store_fail(d, rc, "部门代码 '%s' 已存在", code);
    int64_t got = rc == JS_OK ? store_first_id(&r) : 0;
    db_res_free(&r);
    if (rc == JS_OK) {
        char entity[48];
        store_entity(entity, "dept", got);
        rc = store_log_append(s, actor, "dept.add", entity, code, NULL, store_now(), d);
    }
    if (rc == JS_OK)
        rc = store_public_changed(s, d);
    rc = store_tx_end(s, rc, d);
    if (rc == JS_OK && id)
        *id = got;
    return rc;
}

static const char k_by_code[] = "SELECT id, code, name, profile FROM dept WHERE code = ?";
static const char k_by_id[] = "SELECT id, code, name, profile FROM dept WHERE id = ?";
static const char k_list[] = "SELECT id, code, name, profile FROM dept ORDER BY code";

static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_dept *x = elem;
    x->id = db_int(r, i, 0);
    x->code = db_dup(r, i, 1);
    x->name = db_dup(r, i, 2);
    x->profile = db_dup(r, i, 3);
    return x->code && x->name && x->profile;
}

static void release(void *elem)
{
    js_store_dept_free(elem);
}

int js_store_dept_get(js_store *s, const char *code, js_store_dept *out, js_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!code || !*code)
        return store_fail(d, JS_STORE_NOT_FOUND, "缺少部门代码");
    int rc;
    if (strspn(code, "0123456789") == strlen(code) && strlen(code) < 19)
        rc = store_get(s, k_by_id, DB_ARGS(A_INT(strtoll(code, NULL, 10))), sizeof *out, fill,
                       release, out, d);
    else
        rc = store_get(s, k_by_code, DB_ARGS(A_TEXT(code)), sizeof *out, fill, release, out, d);
    if (rc == JS_STORE_NOT_FOUND)
        store_fail(d, rc, "没有部门 '%s'", code);
    return rc;
}

int js_store_dept_list(js_store *s, js_store_dept **out, size_t *n, js_diag *d)
{
    void *v;
    int rc = store_list(s, k_list, NULL, 0, sizeof **out, fill, release, &v, n, d);
    *out = v;
    return rc;
}

void js_store_dept_free(js_store_dept *x)
{
    if (!x)
        return;
    free(x->code);
    free(x->name);
    free(x->profile);
    memset(x, 0, sizeof *x);
}

void js_store_dept_list_free(js_store_dept *v, size_t n)
{
    store_list_free(v, n, sizeof *v, release);
}
