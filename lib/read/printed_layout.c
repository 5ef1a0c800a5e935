/* Loading a profile's reading data (see printed_layout.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "json_read.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "printed_layout.h"

js_status js_playout_load(const char *datadir, const js_profile *p, js_playout *out, js_diag *d)
{
    out->root = NULL;
    for (size_t i = 0; i < js_profile_lineage_count(p); i++) {
        char path[1024];
        struct stat st;
        snprintf(path, sizeof path, "%s/profiles/%s/reading.json", datadir, js_profile_lineage(p, i));
        if (stat(path, &st) != 0 && errno == ENOENT) /* else read, and a failure named */
            continue;
        char *text;
        size_t len;
        js_status s = js_read_file(path, JS_MAX_JSON_BYTES, &text, &len, d);
        if (s != JS_OK)
            return s;
        json_error_t err;
        out->root = js_json_read(text, len, &err);
        free(text);
        if (!json_is_object(out->root)) {
            json_decref(out->root);
            out->root = NULL;
            return js_diag_set(d, JS_E_INPUT, path, err.line, err.column, NULL, "读取设置格式错误：%s",
                               err.text);
        }
        return JS_OK;
    }
    out->root = json_object();
    return out->root ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
}

void js_playout_release(js_playout *l)
{
    json_decref(l->root);
    l->root = NULL;
}

json_t *js_playout_list(const js_playout *l, const char *id, const char *key)
{
    json_t *o = l->root;
    if (id)
        o = json_object_get(json_object_get(o, "tables"), id);
    json_t *a = json_object_get(o, key);
    return json_is_array(a) ? a : NULL;
}
