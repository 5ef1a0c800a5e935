/* Uploaded workbooks: staged in a private temporary folder (an .xlsx as
 * it is; a .zip of a CSV folder unpacked, its members' names and sizes
 * checked first: flat .csv names only, bounded sizes and ratios), then
 * read and audited through the pipeline. */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "juesuan/output.h"
#include "phase.h"
#include "serve_internal.h"
#include "zip_read.h"

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void rm_tree(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *make_tmp(void)
{
    char path[] = "/tmp/juesuan-serve-XXXXXX";
    return mkdtemp(path) ? strdup(path) : NULL;
}

/* A member name we accept: optionally one folder, then NAME.csv with
 * plain characters (letters, digits, '_', '-', '.', any UTF-8 beyond
 * ASCII); its file name goes to *base. */
static bool csv_member(const char *name, size_t len, char *base, size_t cap)
{
    const char *slash = memchr(name, '/', len);
    if (slash) {
        if (slash == name || memchr(slash + 1, '/', len - (size_t)(slash + 1 - name)))
            return false;
        len -= (size_t)(slash + 1 - name);
        name = slash + 1;
    }
    if (len < 5 || len >= cap || memcmp(name + len - 4, ".csv", 4) || name[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!(c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.'))
            return false;
    }
    memcpy(base, name, len);
    base[len] = '\0';
    return true;
}

static js_status unpack_csv_zip(js_zipr *z, const char *dir, js_diag *d)
{
    uint64_t total = 0;
    size_t n = js_zipr_count(z), found = 0;
    char base[256];
    for (size_t i = 0; i < n; i++) { /* every member checked before any is unpacked */
        size_t len;
        uint64_t size, packed;
        const char *name = js_zipr_member(z, i, &len, &size, &packed);
        if (len && name[len - 1] == '/')
            continue; /* a folder */
        if (!csv_member(name, len, base, sizeof base))
            return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL,
                               "压缩包中的「%.*s」不是工作簿的 CSV 文件（应为一个文件夹中的 *.csv）",
                               (int)(len > 200 ? 200 : len), name);
        total += size;
        if (total > JS_SERVE_MAX_UNZIPPED || size > (packed + 1) * JS_SERVE_MAX_ZIP_RATIO)
            return js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL,
                               "压缩包解压后过大（上限 %ld MB，压缩比上限 %d）", JS_SERVE_MAX_UNZIPPED >> 20,
                               JS_SERVE_MAX_ZIP_RATIO);
        found++;
    }
    if (!found)
        return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "压缩包中没有 CSV 文件");
    for (size_t i = 0; i < n; i++) {
        size_t len;
        uint64_t size, packed;
        const char *name = js_zipr_member(z, i, &len, &size, &packed);
        if ((len && name[len - 1] == '/') || !csv_member(name, len, base, sizeof base))
            continue;
        char member[1024], path[2048];
        snprintf(member, sizeof member, "%.*s", (int)len, name);
        snprintf(path, sizeof path, "%s/%s", dir, base);
        char *data;
        size_t dlen;
        if (js_zipr_read(z, member, &data, &dlen) != 1)
            return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "压缩包中的「%s」已损坏，无法解压", base);
        if (access(path, F_OK) == 0) {
            free(data);
            return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "压缩包中有两个「%s」", base);
        }
        js_status st = js_write_file_atomic(path, data, dlen, d);
        free(data);
        if (st != JS_OK)
            return st;
    }
    return JS_OK;
}

js_status upload_stage(const void *data, size_t size, char **tmp, char **path, js_diag *d)
{
    *tmp = *path = NULL;
    if (size < 4 || memcmp(data, "PK\3\4", 4))
        return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL,
                           "上传的文件不是 Excel 工作簿（.xlsx），也不是 CSV 文件夹的 .zip 压缩包");
    if (!(*tmp = make_tmp()))
        return js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "无法创建临时目录");
    char zpath[1200];
    snprintf(zpath, sizeof zpath, "%s/upload.zip", *tmp);
    js_status st = js_write_file_atomic(zpath, data, size, d);
    if (st != JS_OK)
        return st;
    js_zipr *z = js_zipr_open(zpath, NULL);
    if (!z)
        return js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "上传的压缩文件已损坏，无法读取");
    uint64_t s1, p1;
    bool xlsx = js_zipr_stat(z, "[Content_Types].xml", &s1, &p1) && js_zipr_stat(z, "xl/workbook.xml", &s1, &p1);
    char out[1200];
    if (xlsx) {
        js_zipr_close(z);
        snprintf(out, sizeof out, "%s/workbook.xlsx", *tmp);
        if (rename(zpath, out))
            return js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "无法保存上传的工作簿");
    } else {
        snprintf(out, sizeof out, "%s/workbook", *tmp);
        if (mkdir(out, 0700)) {
            js_zipr_close(z);
            return js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "无法创建临时目录");
        }
        st = unpack_csv_zip(z, out, d);
        js_zipr_close(z);
        remove(zpath);
        if (st != JS_OK)
            return st;
    }
    *path = strdup(out);
    return *path ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
}

/* Findings name files inside the temporary folder: keep what follows it. */
static void relative_locations(json_t *root, const char *tmp)
{
    size_t tl = strlen(tmp), i;
    json_t *f;
    json_array_foreach(json_object_get(root, "findings"), i, f) {
        json_t *loc = json_object_get(f, "location");
        const char *file = json_string_value(json_object_get(loc, "file"));
        if (!file || strncmp(file, tmp, tl))
            continue;
        const char *rest = file + tl;
        while (*rest == '/')
            rest++;
        if (!strncmp(rest, "workbook/", 9))
            rest += 9;
        else if (!strncmp(rest, "workbook.xlsx", 13))
            rest = *(rest + 13) == '!' ? rest + 14 : rest;
        json_object_set_new(loc, "file", json_string(rest));
    }
}

js_status upload_audit(const phase_conf *pc, js_run_shared *sh, const char *path, const char *tmp,
                       js_buf *json, int counts[3], upload_facts *facts, js_diag *d)
{
    js_run_options o = {0};
    js_run *run = phase_run_open(pc, sh, &o, path, &facts->phase, d);
    if (!run)
        return d->status ? d->status : JS_E_INPUT;
    const js_findings *f = js_run_findings(run, d);
    js_status st = JS_E_INPUT;
    js_buf raw;
    js_buf_init(&raw, JS_MAX_OUTPUT_BYTES);
    if (f && (st = js_findings_json(f, &raw)) == JS_OK) {
        json_t *root = json_loadb(raw.data, raw.len, 0, NULL);
        if (root) {
            relative_locations(root, tmp);
            char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
            js_buf_puts(json, text ? text : "");
            free(text);
            json_decref(root);
        }
        counts[0] = (int)js_findings_by_severity(f, JS_SEV_ERROR);
        counts[1] = (int)js_findings_by_severity(f, JS_SEV_VERIFY);
        counts[2] = (int)js_findings_by_severity(f, JS_SEV_INFO);
        const js_workbook *wb = js_run_workbook(run);
        const char *name = js_workbook_department(wb);
        snprintf(facts->dept, sizeof facts->dept, "%s", name ? name : "");
        facts->year = js_workbook_year(wb);
        facts->approval_date[0] = '\0';
        if (facts->phase == JS_PHASE_BUDGET)
            phase_approval_date(pc, wb, facts->approval_date);
        st = json->len ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    js_buf_release(&raw);
    js_run_free(run);
    return st;
}

/* Appends text to out with every occurrence of from replaced by to. */
static void replace_all(js_buf *out, const char *text, size_t len, const char *from, const char *to)
{
    size_t fl = strlen(from);
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *hit = fl ? memmem(p, (size_t)(end - p), from, fl) : NULL;
        if (!hit) {
            js_buf_append(out, p, (size_t)(end - p));
            break;
        }
        js_buf_append(out, p, (size_t)(hit - p));
        js_buf_puts(out, to);
        p = hit + fl;
    }
}

/* The audit's outputs in dir name the staged workbook (a temporary path,
 * new at every build): make them name the stored file instead, so that
 * the published bytes depend on the upload alone. In audit.json the name
 * is written as a JSON string's content. */
static js_status name_stored_file(const char *dir, const char *staged, const char *stored, js_diag *d)
{
    static const char *const files[] = {"audit.json", "audit.txt"};
    json_t *js = json_string(stored);
    char *quoted = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
    json_decref(js);
    js_status st = quoted ? JS_OK : js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    if (quoted) /* its content, without the quotes */
        quoted[strlen(quoted) - 1] = '\0';
    for (size_t i = 0; i < 2 && st == JS_OK; i++) {
        char path[1400], *text = NULL;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        if (access(path, F_OK) != 0)
            continue;
        if ((st = js_read_file(path, JS_MAX_OUTPUT_BYTES, &text, &len, d)) != JS_OK)
            break;
        js_buf b;
        js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
        replace_all(&b, text, len, staged, i == 0 ? quoted + 1 : stored);
        st = js_buf_ok(&b) ? js_write_file_atomic(path, b.data, b.len, d)
                           : js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "输出过大或内存不足");
        js_buf_release(&b);
        free(text);
    }
    free(quoted);
    return st;
}

js_status version_build(const phase_conf *pc, js_store *st, js_run_shared *sh, int64_t id, bool draft,
                        const js_score_context *score, char **tmp, js_diag *d)
{
    void *data = NULL;
    size_t size = 0;
    char *stage = NULL, *path = NULL;
    *tmp = NULL;
    js_store_version v;
    int rc = js_store_version_get(st, id, &v, d);
    if (rc == JS_OK) {
        rc = js_store_version_file(st, id, &data, &size, d);
        if (rc != JS_OK)
            js_store_version_free(&v);
    }
    if (rc != JS_OK)
        return rc == JS_STORE_NOT_FOUND ? JS_E_USAGE : (js_status)rc;
    js_status s = upload_stage(data, size, &stage, &path, d);
    free(data);
    char out[1200];
    snprintf(out, sizeof out, "%s/out", stage ? stage : "");
    if (s == JS_OK) {
        js_run_options o = {.draft = draft};
        int phase = (int)v.phase;
        js_run *run = phase_run_open(pc, sh, &o, path, &phase, d);
        bool refused = false;
        if (run && score && !js_run_score(run, score, d))
            s = d->status ? d->status : JS_E_INTERNAL;
        else
            s = run ? js_run_build(run, out, draft ? JS_OUT_HTML : JS_OUT_ALL, draft, &refused, d)
                    : (d->status ? d->status : JS_E_INPUT);
        js_run_free(run);
    }
    if (s == JS_OK && !draft)
        s = name_stored_file(out, path, v.filename ? v.filename : "", d);
    js_store_version_free(&v);
    free(path);
    if (s != JS_OK) {
        rm_tree(stage);
        free(stage);
        return s;
    }
    *tmp = stage;
    return JS_OK;
}
