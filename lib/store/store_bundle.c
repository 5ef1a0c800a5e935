/* The bundle of each year: one zip of the year's published open data,
 * replaced whole when it is rebuilt (see store.h). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char k_put[] =
    "INSERT INTO bundle (year, contents, sha256, size, built_at, data) VALUES (?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (year) DO UPDATE SET contents = excluded.contents, sha256 = excluded.sha256,"
    " size = excluded.size, built_at = excluded.built_at, data = excluded.data";
static const char k_get[] = "SELECT year, contents, sha256, size, built_at, data FROM bundle WHERE year = ?";
static const char k_get_meta[] = "SELECT year, contents, sha256, size, built_at FROM bundle WHERE year = ?";

int js_store_bundle_put(js_store *s, int year, const char *contents, const void *data, size_t size,
                        int64_t now, js_diag *d)
{
    char sha[65];
    store_sha256_hex(data, size, sha);
    int rc = store_tx_begin(s, d);
    if (rc != JS_OK)
        return rc;
    rc = db_exec(s->c, k_put,
                 DB_ARGS(A_INT(year), A_TEXT(contents), A_TEXT(sha), A_INT((int64_t)size), A_INT(now),
                         A_BLOB(data ? data : "", size)),
                 NULL, d);
    return store_tx_end(s, rc, d);
}

static bool fill(db_res *r, size_t i, void *elem)
{
    js_store_bundle *b = elem;
    b->year = (int)db_int(r, i, 0);
    b->contents = db_dup(r, i, 1);
    snprintf(b->sha256, sizeof b->sha256, "%s", db_text0(r, i, 2));
    b->size = (size_t)db_int(r, i, 3);
    b->built_at = db_int(r, i, 4);
    if (r->cols > 5) {
        size_t n = 0;
        b->data = db_take(r, i, 5, &n);
        if (!b->data)
            b->data = calloc(1, 1);
        if (!b->data || n != b->size)
            return false;
    }
    return b->contents != NULL;
}

static void release(void *elem) { js_store_bundle_free(elem); }

int js_store_bundle_get(js_store *s, int year, bool with_data, js_store_bundle *out, js_diag *d)
{
    memset(out, 0, sizeof *out);
    int rc = store_get(s, with_data ? k_get : k_get_meta, DB_ARGS(A_INT(year)), sizeof *out, fill, release,
                       out, d);
    if (rc == JS_STORE_NOT_FOUND)
        store_fail(d, rc, "%d 年度尚无打包下载", year);
    return rc;
}

void js_store_bundle_free(js_store_bundle *b)
{
    if (!b)
        return;
    free(b->contents);
    free(b->data);
    memset(b, 0, sizeof *b);
}
