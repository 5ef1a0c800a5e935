/* Checking a folder of published reports (see run.h): each report read and
 * audited on its own, on several threads; results in file-name order. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "juesuan/run.h"
#include "vec.h"

struct js_report_batch {
    js_run_shared *s;
    const char *profile;
    js_report_result *r;
    size_t n, cap, next;
    pthread_mutex_t lock;
};

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const js_report_result *)a)->path, ((const js_report_result *)b)->path);
}

static void *worker(void *arg)
{
    js_report_batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->n)
            return NULL;
        js_report_result *x = &b->r[i];
        js_diag_clear(&x->diag);
        x->findings = js_findings_new();
        x->status = x->findings ? js_check_report(b->s, x->path, b->profile, x->findings, &x->diag) : JS_E_NOMEM;
    }
}

/* A PDF of dir (not a hidden file), by its name or its signature. */
static bool is_pdf(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return name[0] != '.' && js_is_pdf_file(path);
}

bool js_is_report_folder(const char *dir)
{
    DIR *dp = opendir(dir);
    bool pdf = false, workbook = false;
    if (!dp)
        return false;
    struct dirent *de;
    while ((de = readdir(dp)) && !workbook) {
        char path[4096];
        struct stat st;
        size_t n = strlen(de->d_name);
        snprintf(path, sizeof path, "%s/%s/department.csv", dir, de->d_name);
        workbook = de->d_name[0] != '.' && ((n > 5 && !strcmp(de->d_name + n - 5, ".xlsx")) || stat(path, &st) == 0);
        pdf |= is_pdf(dir, de->d_name);
    }
    closedir(dp);
    return pdf && !workbook;
}

js_report_batch *js_report_batch_run(js_run_shared *s, const char *dir, const char *profile, int jobs, js_diag *d)
{
    js_report_batch *b = calloc(1, sizeof *b);
    DIR *dp = b ? opendir(dir) : NULL;
    if (!dp) {
        free(b);
        js_diag_set(d, b ? JS_E_IO : JS_E_NOMEM, dir, 0, 0, NULL, "无法读取目录");
        return NULL;
    }
    b->s = s;
    b->profile = profile;
    pthread_mutex_init(&b->lock, NULL);
    struct dirent *de;
    while ((de = readdir(dp))) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (!is_pdf(dir, de->d_name) || stat(path, &st) != 0)
            continue;
        char *copy = strdup(path);
        if (!copy || !js_vec_reserve(&b->r, &b->cap, b->n + 1, sizeof *b->r)) {
            free(copy);
            closedir(dp);
            js_report_batch_free(b);
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            return NULL;
        }
        memset(&b->r[b->n], 0, sizeof *b->r);
        b->r[b->n++].path = copy;
    }
    closedir(dp);
    if (b->n)
        qsort(b->r, b->n, sizeof *b->r, name_cmp);
    pthread_t threads[64];
    int started = 0;
    jobs = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
    if ((size_t)jobs > b->n)
        jobs = (int)b->n;
    while (started < jobs && pthread_create(&threads[started], NULL, worker, b) == 0)
        started++;
    if (started == 0)
        worker(b);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    return b;
}

size_t js_report_batch_count(const js_report_batch *b) { return b->n; }
const js_report_result *js_report_batch_at(const js_report_batch *b, size_t i) { return &b->r[i]; }

void js_report_batch_free(js_report_batch *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++) {
        free(b->r[i].path);
        js_findings_free(b->r[i].findings);
    }
    free(b->r);
    pthread_mutex_destroy(&b->lock);
    free(b);
}
