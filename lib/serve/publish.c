/* Publication: the approved version's outputs, built once into a
 * temporary folder, stored with it in one transaction of the store. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "juesuan/output.h"
#include "serve_internal.h"

static const struct { const char *name, *type; } published[] = {
    {"report.html", "text/html; charset=utf-8"},
    {"report.pdf", "application/pdf"},
    {"report.md", "text/markdown; charset=utf-8"},
    {"tables.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    {"tables.json", "application/json; charset=utf-8"},
    {"tables-long.csv", "text/csv; charset=utf-8"},
    {"tables.txt", "text/plain; charset=utf-8"},
    {"performance.json", "application/json; charset=utf-8"},
    {"audit.json", "application/json; charset=utf-8"},
};
#define NPUBLISHED (sizeof published / sizeof published[0])

int version_publish(js_store *st, js_run_shared *sh, int64_t actor, int64_t id, js_diag *d)
{
    char *tmp = NULL;
    js_store_output_in out[NPUBLISHED];
    char *data[NPUBLISHED] = {0};
    size_t n = 0;
    int rc = version_build(st, sh, id, false, &tmp, d);
    for (size_t i = 0; rc == JS_OK && i < NPUBLISHED; i++) {
        char path[1200];
        size_t len;
        snprintf(path, sizeof path, "%s/out/%s", tmp, published[i].name);
        rc = js_read_file(path, JS_MAX_OUTPUT_BYTES, &data[i], &len, d);
        out[n++] = (js_store_output_in){published[i].name, published[i].type, data[i], len};
    }
    if (rc == JS_OK)
        rc = js_store_publish(st, actor, id, out, n, (int64_t)time(NULL), d);
    for (size_t i = 0; i < NPUBLISHED; i++)
        free(data[i]);
    rm_tree(tmp);
    free(tmp);
    return rc;
}
