/* The outputs stored with a published version (report.html, tables.xlsx …),
 * byte for byte with their SHA-256. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char k_get[] = "SELECT name, content_type, sha256, size, data FROM output"
                            " WHERE version_id = ? AND name = ?";
static const char k_list[] = "SELECT name, content_type, sha256, size FROM output"
                             " WHERE version_id = ? ORDER BY name";

static bool fill(db_res *r, size_t i, js_store_output *o, bool data)
{
    memset(o, 0, sizeof *o);
    o->name = db_dup(r, i, 0);
    o->content_type = db_dup(r, i, 1);
    snprintf(o->sha256, sizeof o->sha256, "%s", db_text0(r, i, 2));
    o->size = (size_t)db_int(r, i, 3);
    if (data) {
        size_t n;
        o->data = db_take(r, i, 4, &n);
        if (!o->data)
            o->data = calloc(1, 1);
        o->size = n;
    }
    return o->name && o->content_type && (!data || o->data);
}

int js_store_output_get(js_store *s, int64_t version, const char *name, js_store_output *out,
                        js_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!name)
        return store_fail(d, JS_STORE_NOT_FOUND, "缺少输出文件名");
    db_res r;
    int rc = db_exec(s->c, k_get, DB_ARGS(A_INT(version), A_TEXT(name)), &r, d);
    if (rc != JS_OK)
        return rc;
    if (r.rows == 0)
        rc = store_fail(d, JS_STORE_NOT_FOUND, "版本 %lld 没有输出文件 '%s'", (long long)version, name);
    else if (!fill(&r, 0, out, true))
        rc = store_fail(d, JS_E_NOMEM, "内存不足");
    db_res_free(&r);
    if (rc != JS_OK)
        js_store_output_free(out);
    return rc;
}

int js_store_output_list(js_store *s, int64_t version, js_store_output **out, size_t *n,
                         js_diag *d)
{
    *out = NULL;
    *n = 0;
    db_res r;
    int rc = db_exec(s->c, k_list, DB_ARGS(A_INT(version)), &r, d);
    if (rc != JS_OK)
        return rc;
    js_store_output *v = calloc(r.rows ? r.rows : 1, sizeof *v);
    for (size_t i = 0; v && i < r.rows; i++) {
        if (!fill(&r, i, &v[i], false)) {
            js_store_output_list_free(v, i + 1);
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

void js_store_output_free(js_store_output *o)
{
    if (!o)
        return;
    free(o->name);
    free(o->content_type);
    free(o->data);
    memset(o, 0, sizeof *o);
}

void js_store_output_list_free(js_store_output *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        js_store_output_free(&v[i]);
    free(v);
}
