/* Publication: the approved version's outputs, built once into a
 * temporary folder, stored with it in one transaction of the store:
 * every file the build wrote (report.html, report.pdf, tables.xlsx,
 * tables.json, tables-long.csv, table-NN.csv …), typed by its name. Its
 * score.json is scored with the store's facts (score_portal.c). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "juesuan/output.h"
#include "phase.h"
#include "score_portal.h"

#define MAX_OUTPUTS 64

static const char *const typed[][2] = {
    {".html", "text/html; charset=utf-8"},
    {".pdf", "application/pdf"},
    {".json", "application/json; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".md", "text/markdown; charset=utf-8"},
    {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
};

const char *output_type(const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
        size_t tl = strlen(typed[i][0]);
        if (nl > tl && !strcmp(name + nl - tl, typed[i][0]))
            return typed[i][1];
    }
    return "application/octet-stream";
}

void bundle_refresh(js_store *st, int64_t id)
{
    js_store_version v;
    js_store_bundle b;
    js_diag d = {0};
    if (js_store_version_get(st, id, &v, &d) != JS_OK)
        return;
    if (bundle_current(st, v.year, false, &b, &d) == JS_OK)
        js_store_bundle_free(&b);
    js_store_version_free(&v);
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int version_publish(const phase_conf *pc, js_store *st, js_run_shared *sh, int64_t actor, int64_t id,
                    js_diag *d)
{
    char *tmp = NULL, *names[MAX_OUTPUTS] = {0}, *data[MAX_OUTPUTS] = {0};
    js_store_output_in out[MAX_OUTPUTS];
    size_t n = 0;
    /* the score in the store's facts: approved when reviewed, published now */
    int64_t now = (int64_t)time(NULL);
    js_store_version v;
    publish_score ps = {0};
    js_score_context ctx;
    int rc = js_store_version_get(st, id, &v, d);
    /* the score's items are the 决算's (docs/score.md): a budget keeps none */
    bool scored = rc == JS_OK && v.phase == JS_PHASE_FINAL;
    if (rc == JS_OK) {
        rc = publish_score_init(&ps, st, &v, now, &ctx, d);
        js_store_version_free(&v);
    }
    if (rc == JS_OK)
        rc = version_build(pc, st, sh, id, false, &ctx, &tmp, d);
    publish_score_release(&ps);
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/out", tmp ? tmp : "");
    DIR *dh = rc == JS_OK ? opendir(dir) : NULL;
    if (rc == JS_OK && !dh)
        rc = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "无法读取生成的文件");
    for (struct dirent *e; dh && (e = readdir(dh)) && n < MAX_OUTPUTS;)
        if (e->d_name[0] != '.' && (scored || strcmp(e->d_name, "score.json")))
            names[n++] = strdup(e->d_name);
    if (dh)
        closedir(dh);
    qsort(names, n, sizeof names[0], by_name);
    for (size_t i = 0; i < n; i++) {
        char path[2400];
        size_t len = 0;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (rc == JS_OK)
            rc = js_read_file(path, JS_MAX_OUTPUT_BYTES, &data[i], &len, d);
        out[i] = (js_store_output_in){names[i], output_type(names[i]), data[i], len};
    }
    if (rc == JS_OK)
        rc = js_store_publish(st, actor, id, out, n, now, d);
    if (rc == JS_OK)
        bundle_refresh(st, id);
    for (size_t i = 0; i < n; i++) {
        free(data[i]);
        free(names[i]);
    }
    rm_tree(tmp);
    free(tmp);
    return rc;
}
