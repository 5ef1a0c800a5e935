/* Batch mode (juesuan/batch.h): every department of a folder through its
 * own run, on worker threads; the consolidation of those that pass, by
 * year; the summary. */
#include "juesuan/batch.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "juesuan/output.h"
#include "juesuan/region.h"
#include "run_internal.h"
#include "strmap.h"

#define MAX_YEARS 16
#define MAX_JOBS 64

typedef enum { DEPT_PASSED, DEPT_FAILED, DEPT_UNREADABLE } dept_outcome;
static const char *const k_outcome[] = {"passed", "failed", "unreadable"};

typedef struct {
    char rule[32];
    js_severity severity;
    size_t count;
    size_t departments; /* in the totals: how many departments have it */
} rule_count;

typedef struct {
    char *path, *name;
    char *department, *profile; /* NULL when unreadable */
    char *key;                  /* department and year, for duplicates */
    dev_t dev;                  /* the file or folder, for links to the same one */
    ino_t ino;
    int year;
    const js_dict *dict;        /* the workbook's dictionary (the shared cache's) */
    dept_outcome outcome;
    char *message;              /* why unreadable, or why outputs failed */
    bool published;             /* outputs written / consolidated */
    size_t sev[JS_SEV_COUNT];
    rule_count *rules;
    size_t nrules;
} dept;

typedef struct {
    int year;
    js_region *region;
    bool duplicates; /* two departments of the same name: not consolidated */
} year_slot;

typedef struct {
    int year;
    size_t departments;
    char dir[64];      /* 汇总 or 汇总-YEAR */
    size_t sev[JS_SEV_COUNT];
    char *message;     /* when it could not be compiled or written */
} region_result;

struct js_batch {
    js_batch_options o;
    js_run_shared *s;
    const char *dir;
    dept *depts;
    size_t n;
    atomic_size_t next;
    size_t done;          /* under lock */
    pthread_mutex_t lock; /* years, done */
    pthread_cond_t progressed;
    year_slot years[MAX_YEARS];
    int nyears;
    region_result rr[MAX_YEARS];
    js_strmap seen;       /* department and year -> index, under lock */
    js_outset *set;       /* the whole output folder, staged */
};

typedef struct js_batch batch;

/* Whether dir holds the regular file name: 1, 0, or -1 with errno when
 * dir cannot be looked into. */
static int has_file(const char *dir, const char *name)
{
    char path[4352];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
        return errno = ENAMETOOLONG, -1;
    if (stat(path, &st) == 0)
        return S_ISREG(st.st_mode);
    return errno == ENOENT ? 0 : -1;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a > b && !strcmp(s + a - b, tail);
}

bool js_is_batch_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && has_file(path, "department.csv") == 0 &&
           !js_workbook_folder_has(path, "department.csv");
}

/* By name, then by path: a folder and an .xlsx of the same name come in
 * the same order whatever the directory's. */
static int by_name(const void *a, const void *b)
{
    const dept *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->path, y->path);
}

static void refuse(dept *x, const char *fmt, const char *what)
{
    char msg[8400];
    snprintf(msg, sizeof msg, fmt, x->path, what);
    x->message = strdup(msg);
    x->outcome = DEPT_UNREADABLE;
}

static int by_file(const void *a, const void *b)
{
    const dept *x = *(const dept *const *)a, *y = *(const dept *const *)b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Links to one workbook would count it twice: each but the first (in name
 * order) of the entries of one file is refused, naming the first. By
 * sorting, not by comparing each with every one before it (10 000
 * departments were 50 million comparisons). */
static void refuse_links(dept *v, size_t n)
{
    dept **by = n ? malloc(n * sizeof *by) : NULL;
    if (!by) { /* out of memory: each with every one before it */
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i && !v[i].message; j++)
                if (v[j].dev == v[i].dev && v[j].ino == v[i].ino)
                    refuse(&v[i], "%s：与 %s 是同一个工作簿（链接），已跳过", v[j].path);
        return;
    }
    for (size_t i = 0; i < n; i++)
        by[i] = &v[i];
    qsort(by, n, sizeof *by, by_file);
    for (size_t i = 1, first = 0; i < n; i++) {
        if (by[i]->dev != by[first]->dev || by[i]->ino != by[first]->ino)
            first = i;
        else if (!by[i]->message)
            refuse(by[i], "%s：与 %s 是同一个工作簿（链接），已跳过", by[first]->path);
    }
    free(by);
}

/* The workbooks of dir, sorted before anything is decided: folders with a
 * department.csv (or 部门信息.csv) and .xlsx, .xls and .et files; a folder
 * that cannot be looked into is a department that cannot be read. */
static bool list_workbooks(const char *dir, dept **out, size_t *n)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return false;
    dept *v = NULL;
    size_t cap = 0;
    *n = 0;
    for (struct dirent *e; (e = readdir(dp));) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0)
            continue;
        int has = S_ISDIR(st.st_mode) ? has_file(path, "department.csv") : 0;
        int err = errno;
        if (has == 0 && S_ISDIR(st.st_mode) && js_workbook_folder_has(path, "department.csv"))
            has = 1; /* named by its Chinese title */
        bool xlsx = !S_ISDIR(st.st_mode) &&
                    (ends_with(e->d_name, ".xlsx") || ends_with(e->d_name, ".xls") || ends_with(e->d_name, ".et"));
        if (!has && !xlsx)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            dept *bigger = realloc(v, cap * sizeof *v);
            if (!bigger)
                break;
            v = bigger;
        }
        dept *x = &v[(*n)++];
        memset(x, 0, sizeof *x);
        x->path = strdup(path);
        x->name = strdup(e->d_name);
        x->dev = st.st_dev;
        x->ino = st.st_ino;
        if (xlsx)
            *strrchr(x->name, '.') = '\0';
        if (has < 0)
            refuse(x, "%s：无法读取目录：%s", js_errno_text(err));
    }
    closedir(dp);
    if (*n)
        qsort(v, *n, sizeof *v, by_name);
    /* A folder and an .xlsx of the same name would write the same outputs. */
    for (size_t i = 1; i < *n; i++)
        if (!strcmp(v[i].name, v[i - 1].name) && !v[i].message)
            refuse(&v[i], "%s：与 %s 同名，输出目录会相互覆盖，已跳过（请改名）", v[i - 1].path);
    refuse_links(v, *n);
    *out = v;
    return true;
}

/* Adds a department to the consolidation of its year. */
static js_status consolidate(batch *b, const js_workbook *wb, js_diag *d)
{
    pthread_mutex_lock(&b->lock);
    js_region *r = NULL;
    for (int i = 0; i < b->nyears && !r; i++)
        if (b->years[i].year == js_workbook_year(wb))
            r = b->years[i].region;
    if (!r && b->nyears < MAX_YEARS && (r = js_region_new()))
        b->years[b->nyears++] = (year_slot){js_workbook_year(wb), r, false};
    pthread_mutex_unlock(&b->lock);
    if (!r)
        return js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "年度超过 %d 个", MAX_YEARS);
    return js_region_add(r, wb, d);
}

static void count_findings(dept *x, const js_findings *f)
{
    for (size_t i = 0; i < js_findings_count(f); i++) {
        const js_finding *g = js_findings_at(f, i);
        x->sev[g->severity]++;
        size_t k = 0;
        while (k < x->nrules && (strcmp(x->rules[k].rule, g->rule) || x->rules[k].severity != g->severity))
            k++; /* a rule may find at several severities (N-002): counted apart */
        if (k == x->nrules) {
            rule_count *bigger = realloc(x->rules, (k + 1) * sizeof *bigger);
            if (!bigger)
                continue;
            x->rules = bigger;
            rule_count *rc = &x->rules[x->nrules++];
            *rc = (rule_count){"", g->severity, 0, 1};
            snprintf(rc->rule, sizeof rc->rule, "%s", g->rule);
        }
        x->rules[k].count++;
    }
}

/* The message of d, malloc'd (NULL when out of memory). */
static char *diag_text(const js_diag *d)
{
    char msg[2048];
    js_diag_format(d, msg, sizeof msg);
    return strdup(msg);
}


/* Where a department's outputs go (under departments/, apart from the
 * region's own 汇总/ and summary files), or with department NULL a
 * consolidation's: inside the staged output folder. */
static void out_dir(const batch *b, const char *department, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s%s", js_outset_dir(b->set), department ? "departments/" : "", department ? department : name);
}

/* Is x the first of its department and year to finish? Remembered under
 * the lock, so that a later one is not consolidated; which one came first
 * depends on the threads, so all of them are reported when all are done
 * (mark_duplicates) and their year is not consolidated. */
static bool first_of_its_name(batch *b, dept *x)
{
    char year[16];
    snprintf(year, sizeof year, "\x1f%d", x->year);
    size_t n = strlen(x->department) + strlen(year) + 1;
    if (!(x->key = malloc(n)))
        return true;
    snprintf(x->key, n, "%s%s", x->department, year);
    pthread_mutex_lock(&b->lock);
    bool first = js_strmap_get(&b->seen, x->key, strlen(x->key)) < 0;
    if (first)
        js_strmap_put(&b->seen, x->key, (uint32_t)(x - b->depts));
    pthread_mutex_unlock(&b->lock);
    return first;
}

static void run_one(batch *b, dept *x)
{
    if (x->outcome == DEPT_UNREADABLE)
        return; /* refused when listed */
    js_diag d;
    js_diag_clear(&d);
    js_run_options ro = {.profile = b->o.profile};
    js_run *r = js_run_open(b->s, &ro, x->path, &d);
    const js_findings *f = r ? js_run_findings(r, &d) : NULL;
    js_status st = f ? JS_OK : d.status ? d.status : JS_E_INTERNAL;
    if (f) {
        const js_workbook *wb = js_run_workbook(r);
        x->department = strdup(js_workbook_department(wb));
        x->profile = strdup(js_run_profile_name(r));
        x->year = js_workbook_year(wb);
        x->dict = js_workbook_dict(wb);
        count_findings(x, f);
        x->outcome = x->sev[JS_SEV_ERROR] ? DEPT_FAILED : DEPT_PASSED;
        x->published = !x->sev[JS_SEV_ERROR] || b->o.force;
        if (x->department && x->published && !first_of_its_name(b, x))
            x->published = false;
        if (b->set && (x->published || !b->o.build)) {
            char dir[4096];
            bool refused;
            out_dir(b, x->name, NULL, dir, sizeof dir);
            st = js_run_build_in(r, dir, true, b->o.build ? b->o.kinds : JS_OUT_AUDIT, true, &refused, &d);
        }
        if (st == JS_OK && x->published)
            st = consolidate(b, wb, &d);
        if (st != JS_OK)
            x->published = false;
    } else {
        x->outcome = DEPT_UNREADABLE;
    }
    if (st != JS_OK)
        x->message = diag_text(&d);
    js_run_free(r);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Tells the caller what x gave (under the lock). */
static void report_department(batch *b, const dept *x, double seconds)
{
    js_batch_department r = {x->name, x->department, k_outcome[x->outcome], x->sev[JS_SEV_ERROR],
                             x->sev[JS_SEV_VERIFY], x->sev[JS_SEV_INFO], x->message, seconds};
    b->o.department(b->o.progress_ctx, b->done, b->n, &r);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;) {
        double start = b->o.department ? now() : 0;
        run_one(b, &b->depts[i]);
        double seconds = b->o.department ? now() - start : 0;
        pthread_mutex_lock(&b->lock);
        b->done++;
        if (b->o.department)
            report_department(b, &b->depts[i], seconds);
        pthread_cond_signal(&b->progressed);
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

/* Compiles, audits and (with an output folder) writes the consolidated
 * tables of slot. */
static void finish_region(batch *b, year_slot *slot, region_result *res)
{
    const dept *first = NULL;
    for (size_t i = 0; i < b->n && !first; i++)
        if (b->depts[i].published && b->depts[i].year == slot->year)
            first = &b->depts[i];
    res->year = slot->year;
    res->departments = js_region_count(slot->region);
    snprintf(res->dir, sizeof res->dir, b->nyears > 1 ? "汇总-%d" : "汇总", slot->year);
    if (slot->duplicates) {
        res->message = strdup("有部门名称和年度都相同的部门（见无法读取的部门），未汇总：同一部门不能计入两次");
        return;
    }
    char name[128];
    snprintf(name, sizeof name, "汇总（%zu个部门）", res->departments);
    js_diag d;
    js_diag_clear(&d);
    js_workbook *wb = first ? js_region_workbook(slot->region, name, slot->year, first->profile,
                                                 (js_dict *)first->dict, &d)
                            : NULL;
    js_run *r = wb ? js_run_adopt(b->s, wb, first->profile, &d) : NULL;
    const js_findings *f = r ? js_run_findings(r, &d) : NULL;
    js_status st = f ? JS_OK : d.status ? d.status : JS_E_INTERNAL;
    for (size_t i = 0; f && i < js_findings_count(f); i++)
        res->sev[js_findings_at(f, i)->severity]++;
    /* As for one department: no consolidated outputs while an error stands,
     * unless forced, and then marked. */
    if (st == JS_OK && res->sev[JS_SEV_ERROR] && b->o.build && !b->o.force)
        st = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "汇总表审核有 %zu 个错误，未写出（确需输出可加 --force）",
                         res->sev[JS_SEV_ERROR]);
    if (st == JS_OK && b->set) {
        char dir[4096];
        bool refused;
        out_dir(b, NULL, res->dir, dir, sizeof dir);
        st = js_run_build_in(r, dir, true, JS_OUT_TABLES, true, &refused, &d);
    }
    if (st != JS_OK)
        res->message = diag_text(&d);
    js_run_free(r);
}

void js_batch_counts_of(const js_batch *b, js_batch_counts *c)
{
    memset(c, 0, sizeof *c);
    c->departments = b->n;
    for (size_t i = 0; i < b->n; i++) {
        const dept *x = &b->depts[i];
        c->passed += x->outcome == DEPT_PASSED;
        c->failed += x->outcome == DEPT_FAILED;
        c->unreadable += x->outcome == DEPT_UNREADABLE;
        c->unwritten += x->outcome != DEPT_UNREADABLE && x->message;
    }
    for (int i = 0; i < b->nyears; i++) {
        c->region_failed += b->rr[i].sev[JS_SEV_ERROR] > 0;
        c->region_unwritten += !b->rr[i].sev[JS_SEV_ERROR] && b->rr[i].message;
    }
}

/* The summary files, into the staged output folder. */
static js_status write_summary(const batch *b, js_diag *d)
{
    js_buf text, json;
    js_buf_init(&text, JS_MAX_OUTPUT_BYTES);
    js_buf_init(&json, JS_MAX_OUTPUT_BYTES);
    js_status st = js_batch_summary_text(b, &text);
    if (st == JS_OK)
        st = js_batch_summary_json(b, &json);
    if (st != JS_OK)
        st = js_diag_set(d, st, NULL, 0, 0, NULL, "汇总结果过大或内存不足");
    if (st == JS_OK)
        st = js_outset_add(b->set, "summary.txt", text.data, text.len, d);
    if (st == JS_OK)
        st = js_outset_add(b->set, "summary.json", json.data, json.len, d);
    js_buf_release(&text);
    js_buf_release(&json);
    return st;
}

/* Departments of the same name and year, whatever the threads' order:
 * each is reported, naming another of them (the first, for the later
 * ones), and their year is not consolidated. */
static void mark_duplicates(batch *b)
{
    js_strmap first = {0};
    size_t *other = malloc(b->n * sizeof *other);
    if (!other)
        return;
    for (size_t i = 0; i < b->n; i++) {
        const char *key = b->depts[i].key;
        long k = key ? js_strmap_get(&first, key, strlen(key)) : -1;
        other[i] = k >= 0 ? (size_t)k : b->n;
        if (key && k < 0)
            js_strmap_put(&first, key, (uint32_t)i);
        else if (k >= 0 && other[k] == b->n)
            other[k] = i;
    }
    for (size_t i = 0; i < b->n; i++) {
        dept *x = &b->depts[i];
        if (other[i] == b->n)
            continue;
        char msg[8400];
        snprintf(msg, sizeof msg, "%s：部门名称“%s”和年度（%d）与 %s 相同：同一部门出现两次，未计入汇总", x->path,
                 x->department, x->year, b->depts[other[i]].path);
        free(x->message);
        x->message = strdup(msg);
        x->outcome = DEPT_UNREADABLE;
        x->published = false;
        for (int y = 0; y < b->nyears; y++)
            b->years[y].duplicates |= b->years[y].year == x->year;
    }
    js_strmap_free(&first);
    free(other);
}

js_batch *js_batch_run(js_run_shared *s, const char *dir, const js_batch_options *o, js_diag *d)
{
    batch *b = calloc(1, sizeof *b);
    if (!b) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    b->o = *o;
    b->s = s;
    b->dir = dir;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->progressed, NULL);
    if (!list_workbooks(dir, &b->depts, &b->n)) {
        js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "目录无法读取");
        js_batch_free(b);
        return NULL;
    }
    if (!b->n) {
        js_diag_set(d, JS_E_INPUT, dir, 0, 0, NULL, "不是工作簿目录（缺少 department.csv），其中也没有工作簿（子目录或 .xlsx）");
        js_batch_free(b);
        return NULL;
    }
    /* The whole output folder is one set: staged, then swapped in at the
     * end, so that it holds this run's outputs or the previous run's. */
    if (o->output && !(b->set = js_outset_begin(o->output, d))) {
        js_batch_free(b);
        return NULL;
    }
    int jobs = o->jobs < 1 ? 1 : o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
    if (jobs > (int)b->n)
        jobs = (int)b->n;
    pthread_t threads[MAX_JOBS];
    int started = 0;
    if (o->progress)
        o->progress(o->progress_ctx, 0, b->n);
    while (started < jobs && pthread_create(&threads[started], NULL, worker, b) == 0)
        started++;
    if (!started)
        worker(b);
    /* progress as departments finish, on the caller's thread */
    pthread_mutex_lock(&b->lock);
    for (size_t shown = 0; shown < b->n;) {
        while (b->done == shown)
            pthread_cond_wait(&b->progressed, &b->lock);
        shown = b->done;
        pthread_mutex_unlock(&b->lock);
        if (o->progress)
            o->progress(o->progress_ctx, shown, b->n);
        pthread_mutex_lock(&b->lock);
    }
    pthread_mutex_unlock(&b->lock);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* consolidations, by year */
    for (int i = 1; i < b->nyears; i++)
        for (int j = i; j > 0 && b->years[j - 1].year > b->years[j].year; j--) {
            year_slot t = b->years[j];
            b->years[j] = b->years[j - 1];
            b->years[j - 1] = t;
        }
    mark_duplicates(b);
    for (int i = 0; i < b->nyears; i++)
        finish_region(b, &b->years[i], &b->rr[i]);
    if (b->set) {
        js_status st = write_summary(b, d);
        st = st == JS_OK ? js_outset_commit(b->set, d) : (js_outset_abort(b->set), st);
        b->set = NULL;
        if (st != JS_OK) {
            js_batch_free(b);
            return NULL;
        }
    }
    return b;
}

void js_batch_free(js_batch *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->nyears; i++) {
        js_region_free(b->years[i].region);
        free(b->rr[i].message);
    }
    for (size_t i = 0; i < b->n; i++) {
        dept *x = &b->depts[i];
        free(x->path);
        free(x->name);
        free(x->department);
        free(x->profile);
        free(x->message);
        free(x->rules);
        free(x->key);
    }
    free(b->depts);
    js_strmap_free(&b->seen);
    js_outset_abort(b->set);
    pthread_cond_destroy(&b->progressed);
    pthread_mutex_destroy(&b->lock);
    free(b);
}

/* ---- the summary ------------------------------------------------------- */

static int by_rule(const void *a, const void *b)
{
    const rule_count *x = a, *y = b;
    int c = strcmp(x->rule, y->rule);
    return c ? c : (int)x->severity - (int)y->severity;
}

/* Findings by rule over every department: count and departments. */
static rule_count *rule_totals(const js_batch *b, size_t *n)
{
    rule_count *t = NULL;
    *n = 0;
    for (size_t i = 0; i < b->n; i++)
        for (size_t r = 0; r < b->depts[i].nrules; r++) {
            const rule_count *rc = &b->depts[i].rules[r];
            size_t k = 0;
            while (k < *n && (strcmp(t[k].rule, rc->rule) || t[k].severity != rc->severity))
                k++;
            if (k == *n) {
                rule_count *bigger = realloc(t, (k + 1) * sizeof *t);
                if (!bigger)
                    continue;
                t = bigger;
                t[k] = *rc;
                t[k].count = t[k].departments = 0;
                (*n)++;
            }
            t[k].count += rc->count;
            t[k].departments++;
        }
    if (*n)
        qsort(t, *n, sizeof *t, by_rule);
    return t;
}

js_status js_batch_summary_text(const js_batch *b, js_buf *out)
{
    const region_result *rr = b->rr;
    int nr = b->nyears;
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < b->n; i++)
        count[b->depts[i].outcome]++;
    js_buf_printf(out, "批量%s：%s，共 %zu 个部门\n", b->o.build ? "生成" : "审核", b->dir, b->n);
    js_buf_printf(out, "  通过 %zu 个，未通过 %zu 个（审核有错误），无法读取 %zu 个\n", count[DEPT_PASSED],
                  count[DEPT_FAILED], count[DEPT_UNREADABLE]);
    for (int i = 0; i < nr; i++) {
        js_buf_printf(out, "  %d 年度汇总：%zu 个部门", rr[i].year, rr[i].departments);
        if (rr[i].message)
            js_buf_printf(out, "，未能生成：%s\n", rr[i].message);
        else
            js_buf_printf(out, "，汇总表审核：错误 %zu，核实 %zu，提示 %zu%s%s\n", rr[i].sev[JS_SEV_ERROR],
                          rr[i].sev[JS_SEV_VERIFY], rr[i].sev[JS_SEV_INFO], b->o.output ? "；见 " : "",
                          b->o.output ? rr[i].dir : "");
    }
    size_t n;
    rule_count *t = rule_totals(b, &n);
    if (n)
        js_buf_printf(out, "按规则：\n");
    for (size_t k = 0; k < n; k++)
        js_buf_printf(out, "  %-6s %s %zu 条，%zu 个部门\n", t[k].rule, js_severity_labels[t[k].severity],
                      t[k].count, t[k].departments);
    free(t);
    for (int pass = DEPT_FAILED; pass <= DEPT_UNREADABLE; pass++) {
        if (count[pass])
            js_buf_printf(out, "%s：\n", pass == DEPT_FAILED ? "未通过的部门" : "无法读取的部门（已跳过）");
        for (size_t i = 0; i < b->n; i++) {
            const dept *x = &b->depts[i];
            if (x->outcome != (dept_outcome)pass)
                continue;
            if (pass == DEPT_FAILED)
                js_buf_printf(out, "  %s %s：错误 %zu，核实 %zu\n", x->name, x->department,
                              x->sev[JS_SEV_ERROR], x->sev[JS_SEV_VERIFY]);
            else
                js_buf_printf(out, "  %s\n", x->message ? x->message : x->path);
        }
    }
    for (size_t i = 0; i < b->n; i++)
        if (b->depts[i].outcome != DEPT_UNREADABLE && b->depts[i].message)
            js_buf_printf(out, "  %s：未能写出：%s\n", b->depts[i].name, b->depts[i].message);
    return js_buf_ok(out) ? JS_OK : JS_E_NOMEM;
}

js_status js_batch_summary_json(const js_batch *b, js_buf *out)
{
    const region_result *rr = b->rr;
    int nr = b->nyears;
    json_t *root = json_object(), *list = json_array(), *rules = json_array(), *regions = json_array();
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < b->n; i++) {
        const dept *x = &b->depts[i];
        count[x->outcome]++;
        json_t *o = json_pack("{s:s, s:s, s:s}", "name", x->name, "path", x->path, "status", k_outcome[x->outcome]);
        if (x->department)
            json_object_set_new(o, "department", json_string(x->department));
        for (int s = 0; s < JS_SEV_COUNT && x->outcome != DEPT_UNREADABLE; s++)
            json_object_set_new(o, js_severity_names[s], json_integer((json_int_t)x->sev[s]));
        if (x->message)
            json_object_set_new(o, "message", json_string(x->message));
        json_object_set_new(o, "published", json_boolean(x->published));
        json_array_append_new(list, o);
    }
    size_t n;
    rule_count *t = rule_totals(b, &n);
    for (size_t k = 0; k < n; k++)
        json_array_append_new(rules, json_pack("{s:s, s:s, s:I, s:I}", "rule", t[k].rule, "severity",
                                               js_severity_names[t[k].severity], "findings",
                                               (json_int_t)t[k].count, "departments", (json_int_t)t[k].departments));
    free(t);
    for (int i = 0; i < nr; i++) {
        json_t *o = json_pack("{s:i, s:I, s:s}", "year", rr[i].year, "departments",
                              (json_int_t)rr[i].departments, "dir", rr[i].dir);
        for (int s = 0; s < JS_SEV_COUNT && !rr[i].message; s++)
            json_object_set_new(o, js_severity_names[s], json_integer((json_int_t)rr[i].sev[s]));
        if (rr[i].message)
            json_object_set_new(o, "message", json_string(rr[i].message));
        json_array_append_new(regions, o);
    }
    json_object_set_new(root, "departments", json_integer((json_int_t)b->n));
    for (int k = 0; k < 3; k++)
        json_object_set_new(root, k_outcome[k], json_integer((json_int_t)count[k]));
    json_object_set_new(root, "consolidated", regions);
    json_object_set_new(root, "rules", rules);
    json_object_set_new(root, "list", list);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return JS_E_NOMEM;
    js_buf_printf(out, "%s\n", text);
    free(text);
    return js_buf_ok(out) ? JS_OK : JS_E_NOMEM;
}

