/* The demo portal: departments from bundled and generated workbooks, each
 * taken through the whole path, and one user per role. */
#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "phase.h"
#include "serve_internal.h"
#include "zip_write.h"

const char *const js_serve_demo_logins[4] = {"demo-preparer", "demo-reviewer", "demo-publisher", "demo-admin"};
static const char *const demo_names[4] = {"演示填报员", "演示审核员", "演示发布员", "演示管理员"};
static const unsigned demo_roles[4] = {JS_ROLE_PREPARER, JS_ROLE_REVIEWER, JS_ROLE_PUBLISHER, JS_ROLE_ADMIN};

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The bytes an upload of path would carry: an .xlsx as it is, a folder's
 * CSV sheets zipped (in name order). */
static js_status upload_bytes(const char *path, js_buf *out, js_diag *d)
{
    struct stat sb;
    if (stat(path, &sb))
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法读取");
    if (!S_ISDIR(sb.st_mode)) {
        char *data;
        size_t len;
        js_status st = js_read_file(path, JS_MAX_FILE_BYTES, &data, &len, d);
        if (st == JS_OK)
            js_buf_append(out, data, len);
        free(data);
        return st;
    }
    DIR *dir = opendir(path);
    if (!dir)
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法读取目录");
    char *names[256] = {0};
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir)) && n < 256;) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".csv"))
            names[n++] = strdup(e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof names[0], by_name);
    js_zipw z;
    js_status st = js_zipw_init(&z, 6) ? JS_OK : JS_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char file[1200];
        char *data = NULL;
        size_t len = 0;
        snprintf(file, sizeof file, "%s/%s", path, names[i]);
        if (st == JS_OK && (st = js_read_file(file, JS_MAX_FILE_BYTES, &data, &len, d)) == JS_OK)
            js_zipw_add(&z, names[i], data, len);
        free(data);
        free(names[i]);
    }
    if (st == JS_OK && js_zipw_finish(&z))
        js_buf_append(out, z.out.data, z.out.len);
    else if (st == JS_OK)
        st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    js_zipw_release(&z);
    return st;
}

/* The preparer's written explanation of each 核实 finding of version id
 * (findings: its stored audit), as the portal requires before submission. */
static int explain_demo(js_store *st, int64_t actor, int64_t id, const char *findings, js_diag *d)
{
    json_t *root = json_loads(findings, 0, NULL), *seen = json_object(), *f;
    size_t i;
    int rc = JS_OK;
    json_array_foreach(json_object_get(root, "findings"), i, f) {
        const char *sev = json_string_value(json_object_get(f, "severity"));
        char key[512];
        finding_key(f, seen, key, sizeof key);
        if (rc == JS_OK && sev && !strcmp(sev, "verify"))
            rc = js_store_explain(st, actor, id, key, "演示说明：已核实，数据无误。", d);
    }
    json_decref(seen);
    json_decref(root);
    return rc;
}

static int seed_one(const phase_conf *pc, js_store *st, js_run_shared *sh, const char *path, int phase,
                    const char *code, int64_t *dept_id, const int64_t users[4], int64_t now, js_diag *d)
{
    js_buf bytes, json;
    js_buf_init(&bytes, JS_MAX_FILE_BYTES);
    js_buf_init(&json, JS_MAX_OUTPUT_BYTES);
    char *tmp = NULL, *wb = NULL;
    int counts[3] = {0};
    upload_facts facts = {.phase = phase};
    int rc = upload_bytes(path, &bytes, d);
    if (rc == JS_OK)
        rc = upload_stage(bytes.data, bytes.len, &tmp, &wb, d);
    if (rc == JS_OK)
        rc = upload_audit(pc, sh, wb, tmp, &json, counts, &facts, d);
    rm_tree(tmp);
    free(tmp);
    free(wb);
    int64_t id = 0;
    const char *slash = strrchr(path, '/');
    char filename[300];
    snprintf(filename, sizeof filename, "%s%s", slash ? slash + 1 : path,
             strstr(path, ".xlsx") ? "" : ".zip");
    js_store_dept known;
    if (rc == JS_OK && js_store_dept_get(st, code, &known, NULL) == JS_OK) { /* its other year */
        *dept_id = known.id;
        js_store_dept_free(&known);
    } else if (rc == JS_OK)
        rc = js_store_dept_add(st, code, facts.dept, "default", dept_id, d);
    if (rc == JS_OK)
        rc = js_store_version_add_phase(st, users[0], *dept_id, facts.year, (js_phase)facts.phase,
                                        facts.approval_date, filename, bytes.data, bytes.len, json.data, counts[0],
                                        counts[1], counts[2], 0, NULL, now, &id, d);
    if (rc == JS_OK && !counts[0]) {
        rc = explain_demo(st, users[0], id, json.data, d);
        if (rc == JS_OK)
            rc = js_store_submit(st, users[0], id, now, d);
        if (rc == JS_OK)
            rc = js_store_approve(st, users[1], id, now, d);
        if (rc == JS_OK)
            rc = version_publish(pc, st, sh, users[2], id, d);
    }
    js_buf_release(&bytes);
    js_buf_release(&json);
    return rc;
}

int js_serve_demo_seed(js_store *st, js_run_shared *shared, const char *const *paths,
                       const char *const *codes, size_t n, char passwords[4][24], js_diag *d)
{
    js_store_dept *depts = NULL;
    size_t nd = 0;
    int rc = js_store_dept_list(st, &depts, &nd, d);
    js_store_dept_list_free(depts, nd);
    if (rc != JS_OK)
        return rc;
    if (nd)
    {
        js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "数据库中已有部门，演示数据只写入空数据库");
        return JS_STORE_CONFLICT;
    }
    if (sodium_init() < 0)
        return js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "libsodium 无法初始化");
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
    for (int u = 0; u < 4; u++) {
        for (int i = 0; i < 16; i++)
            passwords[u][i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
        passwords[u][16] = '\0';
    }
    /* Uploads and submissions are the command line's (actor 0), so the
     * reviewer's approval passes the four-eyes rule. */
    int64_t users[4] = {0};
    for (int u = 1; u < 4 && rc == JS_OK; u++)
        rc = js_store_user_add(st, 0, js_serve_demo_logins[u], demo_names[u], passwords[u], demo_roles[u], 0,
                               &users[u], d);
    phase_conf *pc = rc == JS_OK ? phase_conf_load(js_run_shared_datadir(shared), d) : NULL;
    if (rc == JS_OK && !pc)
        rc = d && d->status ? d->status : JS_E_NOMEM;
    int64_t first_dept = 0; /* a code given twice is one department's two years */
    for (size_t i = 0; i < n && rc == JS_OK; i++) {
        int64_t dept = 0;
        /* the fourth department was approved 35 days ago: published now, it
         * is late (the dashboard 公开情况 and the score show it) */
        int64_t now = (int64_t)time(NULL) - (i == 3 ? 35 * 86400 : 0);
        rc = seed_one(pc, st, shared, paths[i], JS_PHASE_FINAL, codes[i], &dept, users, now, d);
        if (i == 0)
            first_dept = dept;
    }
    /* the first department's budget too, when its workbook holds that
     * phase (the bundled example does): both phases of a department-year
     * and their comparison */
    if (rc == JS_OK && n) {
        int64_t dept = 0;
        js_diag quiet = {0};
        int brc = seed_one(pc, st, shared, paths[0], JS_PHASE_BUDGET, codes[0], &dept, users, (int64_t)time(NULL),
                           &quiet);
        if (brc != JS_OK && quiet.status != JS_E_INPUT) /* a workbook without the budget phase: none */
            rc = brc, *d = quiet;
    }
    free(pc);
    if (rc == JS_OK)
        rc = js_store_user_add(st, 0, js_serve_demo_logins[0], demo_names[0], passwords[0], demo_roles[0],
                               first_dept, &users[0], d);
    return rc;
}
