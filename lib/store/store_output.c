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

/* The columns of k_list, and of k_get without the data. */
static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_output *o = elem;
    o->name = db_dup(r, i, 0);
    o->content_type = db_dup(r, i, 1);
    snprintf(o->sha256, sizeof o->sha256, "%s", db_text0(r, i, 2));
    o->size = (size_t)db_int(r, i, 3);
    return o->name && o->content_type;
}

/* With the data, taken out of the result. */
static bool fill_data(db_res *r, size_t i, void *elem)
{
    js_store_output *o = elem;
    size_t n;
    o->data = db_take(r, i, 4, &n);
    if (!o->data)
        o->data = calloc(1, 1);
    return fill(r, i, o) && o->data && n == o->size;
}

static void release(void *elem)
{
    js_store_output_free(elem);
}

int js_store_output_get(js_store *s, int64_t version, const char *name, js_store_output *out,
                        js_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!name)
        return store_fail(d, JS_STORE_NOT_FOUND, "缺少输出文件名");
    int rc = store_get(s, k_get, DB_ARGS(A_INT(version), A_TEXT(name)), sizeof *out, fill_data,
                       release, out, d);
    if (rc == JS_STORE_NOT_FOUND)
        store_fail(d, rc, "版本 %lld 没有输出文件 '%s'", (long long)version, name);
    return rc;
}

int js_store_output_list(js_store *s, int64_t version, js_store_output **out, size_t *n,
                         js_diag *d)
{
    void *v;
    int rc = store_list(s, k_list, DB_ARGS(A_INT(version)), sizeof **out, fill, release, &v, n, d);
    *out = v;
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
    store_list_free(v, n, sizeof *v, release);
}
