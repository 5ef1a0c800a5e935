/* The bundle of a region-year: one zip of the open data of every
 * department's current published version of the year, built when a
 * publication (or a withdrawal) changes what is published and kept in the
 * store (js_store_bundle_*), never built per request:
 *
 *   manifest.json              what is inside: each department, its
 *                              version, phase, publication time and
 *                              files; the region-year's package
 *   <dept>/tables-long.csv     the long table (of its 决算)
 *   <dept>/tables.json         the nine tables
 *   <dept>/budget/tables-long.csv  its published 预算's long table and
 *   <dept>/budget/tables.json      tables, when it has one (apart from the
 *                              决算's; not in the region's package, whose
 *                              fiscal data is the 决算's)
 *   <dept>/datapackage.json    the Fiscal Data Package and the data it
 *   <dept>/fiscal-data.csv     describes, when the version has them
 *                              among its outputs
 *   datapackage.json           the region-year's Fiscal Data Package:
 *   fiscal-data.csv            every department's fiscal-data.csv one
 *                              after the other (when any has one)
 *   SHA256SUMS                 the SHA-256 of every other member, in the
 *                              format of sha256sum -c
 *
 * The bytes depend only on what is published (members in a fixed order,
 * dated 1980-01-01 by zip_write), so rebuilding yields the same zip and
 * the same checksum. The store's record says which versions it holds
 * ("contents"); a reader finding it stale rebuilds it. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "jsonout.h"
#include "juesuan/fdp.h"
#include "zip_write.h"

/* Bump when the layout changes, so that stored bundles are rebuilt. */
#define BUNDLE_LAYOUT "juesuan-bundle-3"

/* The outputs of each version that go into the bundle, when present
 * (tables-long.csv and tables.json always are). */
static const char *const bundle_files[] = {"tables-long.csv", "tables.json", JS_FDP_PACKAGE, JS_FDP_CSV};
#define NFILES (sizeof bundle_files / sizeof bundle_files[0])

static int by_dept(const void *a, const void *b)
{
    const js_store_version *x = a, *y = b;
    if (x->dept_id != y->dept_id)
        return x->dept_id < y->dept_id ? -1 : 1;
    return (int)x->phase - (int)y->phase; /* the 决算 first */
}

/* What the bundle of year must hold: the layout and the ids of the year's
 * published versions (by department). */
static int wanted(js_store *st, int year, js_store_version **v, size_t *n, js_buf *contents, js_diag *d)
{
    int rc = js_store_version_list_state(st, JS_V_PUBLISHED, year, v, n, d);
    if (rc != JS_OK)
        return rc;
    qsort(*v, *n, sizeof **v, by_dept);
    js_buf_puts(contents, BUNDLE_LAYOUT ":");
    for (size_t i = 0; i < *n; i++)
        js_buf_printf(contents, "%s%lld", i ? "," : "", (long long)(*v)[i].id);
    return js_buf_ok(contents) ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
}

static void sum_line(js_buf *sums, const void *data, size_t n, const char *path)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    js_buf_printf(sums, "%s  %s\n", hex, path);
}

static const js_store_dept *find_dept(const js_store_dept *depts, size_t nd, int64_t id)
{
    for (size_t i = 0; i < nd; i++)
        if (depts[i].id == id)
            return &depts[i];
    return NULL;
}

/* Adds the files of version v of dept to the zip, its sums and the
 * manifest's entry; its fiscal-data.csv to the region's (*nfdp: the
 * departments it holds). */
static int add_version(js_store *st, js_zipw *z, js_buf *sums, json_t *list, js_buf *fdp, size_t *nfdp,
                       const js_store_dept *dept, const js_store_version *v, js_diag *d)
{
    char when[32];
    api_time(v->published_at, when);
    json_t *files = json_array();
    bool budget = v->phase == JS_PHASE_BUDGET;
    json_array_append_new(list, json_pack("{s:s,s:s,s:i,s:s,s:s,s:o}", "code", dept->code, "name", dept->name,
                                          "version", v->number, "phase", js_phase_id(v->phase), "published_at",
                                          when, "files", files));
    for (size_t k = 0; k < (budget ? 2 : NFILES); k++) {
        js_store_output o;
        int rc = js_store_output_get(st, v->id, bundle_files[k], &o, d);
        if (rc == JS_STORE_NOT_FOUND && k >= 2)
            continue; /* an optional file this version lacks */
        if (rc != JS_OK)
            return rc;
        char path[160];
        snprintf(path, sizeof path, "%s/%s%s", dept->code, budget ? "budget/" : "", bundle_files[k]);
        js_zipw_add(z, path, o.data, o.size);
        sum_line(sums, o.data, o.size, path);
        if (!strcmp(bundle_files[k], JS_FDP_CSV)) {
            if (js_fdp_csv_append(fdp, o.data, o.size) != JS_OK) {
                js_store_output_free(&o);
                return js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "无法汇总财政数据包（表头不同或超过大小限制）");
            }
            (*nfdp)++;
        }
        json_array_append_new(files, json_pack("{s:s,s:I,s:s}", "name", path, "size", (json_int_t)o.size,
                                               "sha256", o.sha256));
        js_store_output_free(&o);
    }
    return JS_OK;
}

/* Builds the zip of the versions v (published, of year) into out. */
static int build(js_store *st, int year, const js_store_version *v, size_t n, js_buf *out, js_diag *d)
{
    js_store_dept *depts = NULL;
    size_t nd = 0;
    int rc = js_store_dept_list(st, &depts, &nd, d);
    js_zipw z;
    if (rc == JS_OK && !js_zipw_init(&z, 6))
        rc = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (rc != JS_OK) {
        js_store_dept_list_free(depts, nd);
        return rc;
    }
    js_buf sums, manifest, fdp, package;
    js_buf_init(&sums, 1 << 24);
    js_buf_init(&manifest, 1 << 26);
    js_buf_init(&fdp, JS_MAX_OUTPUT_BYTES);
    js_buf_init(&package, 1 << 24);
    size_t nfdp = 0;
    json_t *list = json_array();
    for (size_t i = 0; i < n && rc == JS_OK; i++) {
        const js_store_dept *dept = find_dept(depts, nd, v[i].dept_id);
        if (dept)
            rc = add_version(st, &z, &sums, list, &fdp, &nfdp, dept, &v[i], d);
    }
    if (rc == JS_OK && nfdp) { /* the region-year's package */
        if (js_fdp_region_package(NULL, year, nfdp, JS_FDP_CSV, &package) != JS_OK)
            rc = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        else {
            js_zipw_add(&z, JS_FDP_PACKAGE, package.data, package.len);
            sum_line(&sums, package.data, package.len, JS_FDP_PACKAGE);
            js_zipw_add(&z, JS_FDP_CSV, fdp.data, fdp.len);
            sum_line(&sums, fdp.data, fdp.len, JS_FDP_CSV);
        }
    }
    if (rc == JS_OK)
        rc = js_json_out(json_pack("{s:s,s:i,s:i,s:o,s:o}", "format", "juesuan-bundle", "version", 1, "year", year,
                                   "departments", json_incref(list), "fiscal_data_package",
                                   nfdp ? json_string(JS_FDP_PACKAGE) : json_null()),
                         &manifest);
    json_decref(list);
    if (rc == JS_OK) {
        js_zipw_add(&z, "manifest.json", manifest.data, manifest.len);
        sum_line(&sums, manifest.data, manifest.len, "manifest.json");
        js_zipw_add(&z, "SHA256SUMS", sums.data, sums.len);
        if (!js_buf_ok(&sums) || !js_zipw_finish(&z) || !js_buf_append(out, z.out.data, z.out.len))
            rc = js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "打包下载超过大小限制或内存不足");
    }
    js_zipw_release(&z);
    js_buf_release(&sums);
    js_buf_release(&manifest);
    js_buf_release(&fdp);
    js_buf_release(&package);
    js_store_dept_list_free(depts, nd);
    return rc;
}

int bundle_current(js_store *st, int year, bool with_data, js_store_bundle *out, js_diag *d)
{
    js_store_version *v = NULL;
    size_t n = 0;
    js_buf contents;
    js_buf_init(&contents, 1 << 24);
    memset(out, 0, sizeof *out);
    int rc = wanted(st, year, &v, &n, &contents, d);
    if (rc == JS_OK && !n) {
        js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "%d 年度尚无公开的部门决算", year);
        rc = JS_STORE_NOT_FOUND;
    }
    if (rc == JS_OK) {
        rc = js_store_bundle_get(st, year, with_data, out, d);
        if (rc == JS_STORE_NOT_FOUND || (rc == JS_OK && strcmp(out->contents, contents.data))) {
            js_store_bundle_free(out);
            js_buf zip;
            js_buf_init(&zip, JS_MAX_OUTPUT_BYTES);
            rc = build(st, year, v, n, &zip, d);
            if (rc == JS_OK)
                rc = js_store_bundle_put(st, year, contents.data, zip.data, zip.len, (int64_t)time(NULL), d);
            js_buf_release(&zip);
            if (rc == JS_OK)
                rc = js_store_bundle_get(st, year, with_data, out, d);
        }
    }
    js_store_version_list_free(v, n);
    js_buf_release(&contents);
    return rc;
}
