/* Batch mode: `check DIR` and `build DIR -o OUT` over a folder of workbooks
 * (one per department: CSV folders or .xlsx files), on every core. Each
 * department is checked (and built) on its own; a department that cannot be
 * read is reported and skipped. The summary counts departments and findings
 * by rule, and the departments that pass are consolidated into the region's
 * tables (汇总), one set per year. */
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_PROFILES 16
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
    int year;
    const js_dict *dict;        /* the workbook's dictionary (the cache's) */
    dept_outcome outcome;
    char *message;              /* why unreadable, or why outputs failed */
    bool published;             /* outputs written / consolidated */
    size_t sev[JS_SEV_COUNT];
    rule_count *rules;
    size_t nrules;
} dept;

typedef struct {
    char *name;
    js_profile *p;
    js_ruleset *rs;
} profile_slot;

typedef struct {
    int year;
    js_region *region;
} year_slot;

typedef struct {
    const cli_opts *o;
    bool build;
    const char *datadir;
    dept *depts;
    size_t n;
    atomic_size_t next, done;
    js_dict_cache *dicts;
    pthread_mutex_t lock; /* profiles, years */
    profile_slot profiles[MAX_PROFILES];
    int nprofiles;
    year_slot years[MAX_YEARS];
    int nyears;
} batch;

static bool has_file(const char *dir, const char *name)
{
    char path[4352];
    struct stat st;
    return snprintf(path, sizeof path, "%s/%s", dir, name) < (int)sizeof path && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a > b && !strcmp(s + a - b, tail);
}

bool cli_is_batch(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && !has_file(path, "department.csv");
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const dept *)a)->name, ((const dept *)b)->name);
}

/* The workbooks of dir: folders with a department.csv and .xlsx files, by
 * name. */
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
        bool folder = S_ISDIR(st.st_mode) && has_file(path, "department.csv");
        bool xlsx = S_ISREG(st.st_mode) && ends_with(e->d_name, ".xlsx");
        if (!folder && !xlsx)
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
        if (xlsx)
            x->name[strlen(x->name) - 5] = '\0';
    }
    closedir(dp);
    if (*n)
        qsort(v, *n, sizeof *v, by_name);
    /* A folder and an .xlsx of the same name would write the same outputs. */
    for (size_t i = 1; i < *n; i++)
        if (!strcmp(v[i].name, v[i - 1].name)) {
            char msg[8400];
            snprintf(msg, sizeof msg, "%s：与 %s 同名，输出目录会相互覆盖，已跳过（请改名）", v[i].path,
                     v[i - 1].path);
            v[i].message = strdup(msg);
            v[i].outcome = DEPT_UNREADABLE;
        }
    *out = v;
    return true;
}

/* The profile and rule set called name, loaded once. */
static profile_slot *profile_of(batch *b, const char *name, js_diag *d)
{
    pthread_mutex_lock(&b->lock);
    profile_slot *found = NULL;
    for (int i = 0; i < b->nprofiles && !found; i++)
        if (!strcmp(b->profiles[i].name, name))
            found = &b->profiles[i];
    if (!found && b->nprofiles == MAX_PROFILES) {
        js_diag_set(d, JS_E_LIMIT, NULL, 0, 0, NULL, "配置超过 %d 种", MAX_PROFILES);
    } else if (!found) {
        js_profile *p = js_profile_load(b->datadir, name, d);
        js_ruleset *rs = p ? js_rules_load(b->datadir, p, d) : NULL;
        char *copy = rs ? strdup(name) : NULL;
        if (copy) {
            found = &b->profiles[b->nprofiles++];
            *found = (profile_slot){copy, p, rs};
        } else {
            js_rules_free(rs);
            js_profile_free(p);
        }
    }
    pthread_mutex_unlock(&b->lock);
    return found;
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
        b->years[b->nyears++] = (year_slot){js_workbook_year(wb), r};
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
        while (k < x->nrules && strcmp(x->rules[k].rule, g->rule))
            k++;
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

/* Where a department's (or a consolidation's) outputs go. */
static void out_dir(const batch *b, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, "%s/%s", b->o->output, name);
}

static void run_one(batch *b, dept *x)
{
    const cli_opts *o = b->o;
    if (x->outcome == DEPT_UNREADABLE)
        return; /* refused when listed */
    js_diag d;
    js_diag_clear(&d);
    js_workbook *wb = js_workbook_open(b->datadir, b->dicts, x->path, &d);
    profile_slot *ps = wb ? profile_of(b, o->profile ? o->profile : js_workbook_profile(wb), &d) : NULL;
    js_tableset *ts = ps ? js_tables_compile(wb, ps->p, -1, &d) : NULL;
    js_findings *f = ts ? js_findings_new() : NULL;
    js_report *rep = NULL;
    js_status st = !ts ? (d.status ? d.status : JS_E_INTERNAL)
                   : !f ? js_diag_set(&d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足")
                        : cli_audit_with(wb, ps->p, ps->rs, ts, b->datadir, f, &rep, &d);
    if (st == JS_OK) {
        x->department = strdup(js_workbook_department(wb));
        x->profile = strdup(ps->name);
        x->year = js_workbook_year(wb);
        x->dict = js_workbook_dict(wb);
        count_findings(x, f);
        x->outcome = x->sev[JS_SEV_ERROR] ? DEPT_FAILED : DEPT_PASSED;
        x->published = !x->sev[JS_SEV_ERROR] || o->force;
        if (x->sev[JS_SEV_ERROR])
            js_tableset_set_mark(ts, "未通过审核");
        char dir[4096];
        out_dir(b, x->name, dir, sizeof dir);
        if (o->output && (x->published || !b->build)) {
            cli_opts only_audit = *o;
            if (!b->build)
                only_audit.only = "audit";
            st = cli_write_outputs(&only_audit, dir, wb, ps->p, ts, f, rep, &d);
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
    js_report_free(rep);
    js_findings_free(f);
    js_tableset_free(ts);
    js_workbook_free(wb);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (size_t i; (i = atomic_fetch_add(&b->next, 1)) < b->n;) {
        run_one(b, &b->depts[i]);
        atomic_fetch_add(&b->done, 1);
    }
    return NULL;
}

static void progress(const char *cmd, size_t done, size_t n)
{
    int width = 30, filled = n ? (int)(done * (size_t)width / n) : width;
    fprintf(stderr, "\r批量%s [%.*s%*s] %zu/%zu", !strcmp(cmd, "build") ? "生成" : "审核", filled * 3,
            "■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■", width - filled, "", done, n);
    fflush(stderr);
}

/* ---- the consolidation and the summary ----------------------------------- */

typedef struct {
    int year;
    size_t departments;
    char dir[64];      /* 汇总 or 汇总-YEAR */
    size_t sev[JS_SEV_COUNT];
    char *message;     /* when it could not be compiled or written */
} region_result;

/* Compiles, audits and (with -o) writes the consolidated tables of slot. */
static void finish_region(batch *b, year_slot *slot, region_result *res)
{
    const dept *first = NULL;
    for (size_t i = 0; i < b->n && !first; i++)
        if (b->depts[i].published && b->depts[i].year == slot->year)
            first = &b->depts[i];
    res->year = slot->year;
    res->departments = js_region_count(slot->region);
    snprintf(res->dir, sizeof res->dir, b->nyears > 1 ? "汇总-%d" : "汇总", slot->year);
    char name[128];
    snprintf(name, sizeof name, "汇总（%zu个部门）", res->departments);
    js_diag d;
    js_diag_clear(&d);
    profile_slot *ps = first ? profile_of(b, first->profile, &d) : NULL;
    js_workbook *wb = ps ? js_region_workbook(slot->region, name, slot->year, ps->name,
                                              (js_dict *)first->dict, &d)
                         : NULL;
    js_tableset *ts = wb ? js_tables_compile(wb, ps->p, -1, &d) : NULL;
    js_view *v = ts ? js_view_from_tables(ts, &d) : NULL;
    js_findings *f = v ? js_findings_new() : NULL;
    js_status st = !f ? (d.status ? d.status : JS_E_NOMEM) : js_rules_run(ps->rs, v, f, &d);
    for (size_t i = 0; st == JS_OK && i < js_findings_count(f); i++)
        res->sev[js_findings_at(f, i)->severity]++;
    /* As for one department: no consolidated outputs while an error stands,
     * unless forced, and then marked. */
    if (res->sev[JS_SEV_ERROR]) {
        js_tableset_set_mark(ts, "未通过审核");
        if (b->build && !b->o->force)
            st = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "汇总表审核有 %zu 个错误，未写出（确需输出可加 --force）",
                             res->sev[JS_SEV_ERROR]);
    }
    if (st == JS_OK && b->o->output) {
        cli_opts tables_only = *b->o;
        tables_only.only = "json,txt,long,csv,audit";
        char dir[4096];
        out_dir(b, res->dir, dir, sizeof dir);
        st = cli_write_outputs(&tables_only, dir, wb, ps->p, ts, f, NULL, &d);
    }
    if (st != JS_OK)
        res->message = diag_text(&d);
    js_findings_free(f);
    js_view_free(v);
    js_tableset_free(ts);
    js_workbook_free(wb);
}

static int by_rule(const void *a, const void *b)
{
    return strcmp(((const rule_count *)a)->rule, ((const rule_count *)b)->rule);
}

/* Findings by rule over every department: count and departments. */
static rule_count *rule_totals(const batch *b, size_t *n)
{
    rule_count *t = NULL;
    *n = 0;
    for (size_t i = 0; i < b->n; i++)
        for (size_t r = 0; r < b->depts[i].nrules; r++) {
            const rule_count *rc = &b->depts[i].rules[r];
            size_t k = 0;
            while (k < *n && strcmp(t[k].rule, rc->rule))
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

static void summary_text(const batch *b, const region_result *rr, int nr, js_buf *out)
{
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < b->n; i++)
        count[b->depts[i].outcome]++;
    js_buf_printf(out, "批量%s：%s，共 %zu 个部门\n", b->build ? "生成" : "审核", b->o->workbook, b->n);
    js_buf_printf(out, "  通过 %zu 个，未通过 %zu 个（审核有错误），无法读取 %zu 个\n", count[DEPT_PASSED],
                  count[DEPT_FAILED], count[DEPT_UNREADABLE]);
    for (int i = 0; i < nr; i++) {
        js_buf_printf(out, "  %d 年度汇总：%zu 个部门", rr[i].year, rr[i].departments);
        if (rr[i].message)
            js_buf_printf(out, "，未能生成：%s\n", rr[i].message);
        else
            js_buf_printf(out, "，汇总表审核：错误 %zu，核实 %zu，提示 %zu%s%s\n", rr[i].sev[JS_SEV_ERROR],
                          rr[i].sev[JS_SEV_VERIFY], rr[i].sev[JS_SEV_INFO], b->o->output ? "；见 " : "",
                          b->o->output ? rr[i].dir : "");
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
}

static js_status summary_json(const batch *b, const region_result *rr, int nr, js_buf *out)
{
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

/* Unreadable input first, then anything not written, then error findings. */
static int batch_exit_code(const batch *b, const region_result *rr)
{
    int rc = EXIT_OK;
    for (size_t i = 0; i < b->n; i++) {
        const dept *x = &b->depts[i];
        int here = x->outcome == DEPT_UNREADABLE ? EXIT_BADINPUT
                   : x->message                  ? EXIT_IO
                   : x->outcome == DEPT_FAILED   ? EXIT_FINDINGS
                                                 : EXIT_OK;
        if (here == EXIT_BADINPUT || (here && rc != EXIT_BADINPUT && rc != EXIT_IO))
            rc = here;
    }
    for (int i = 0; i < b->nyears; i++) {
        int here = rr[i].sev[JS_SEV_ERROR] ? EXIT_FINDINGS : rr[i].message ? EXIT_IO : EXIT_OK;
        if (here && (rc == EXIT_OK || (here == EXIT_IO && rc == EXIT_FINDINGS)))
            rc = here;
    }
    return rc;
}

static int jobs_of(const cli_opts *o, const char *cmd, int *jobs)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs) {
        char *end;
        n = strtol(o->jobs, &end, 10);
        if (*end || n < 1 || n > MAX_JOBS)
            return cli_usage_error(cmd, "--jobs 须为 1 到 %d 的整数，而不是 '%s'", MAX_JOBS, o->jobs);
    }
    *jobs = n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
    return EXIT_OK;
}

int cli_batch(const char *cmd, const cli_opts *o)
{
    batch b = {.o = o, .build = !strcmp(cmd, "build"), .datadir = cli_datadir(o)};
    int jobs = 1;
    int rc = jobs_of(o, cmd, &jobs);
    if (rc != EXIT_OK)
        return rc;
    if (o->unit)
        return cli_usage_error(cmd, "批量模式不能用 --unit");
    if (!list_workbooks(o->workbook, &b.depts, &b.n)) {
        fprintf(stderr, "juesuan: %s：目录无法读取\n", o->workbook);
        return EXIT_IO;
    }
    if (!b.n) {
        free(b.depts);
        fprintf(stderr, "juesuan: %s：不是工作簿目录（缺少 department.csv），其中也没有工作簿（子目录或 .xlsx）\n",
                o->workbook);
        return EXIT_BADINPUT;
    }
    b.dicts = js_dict_cache_new(b.datadir);
    pthread_mutex_init(&b.lock, NULL);
    pthread_t threads[MAX_JOBS];
    int started = 0;
    if (jobs > (int)b.n)
        jobs = (int)b.n;
    /* on a terminal, the bar from the start (however fast the work goes) */
    bool tty = isatty(2);
    if (tty)
        progress(cmd, 0, b.n);
    while (started < jobs && pthread_create(&threads[started], NULL, worker, &b) == 0)
        started++;
    if (!started)
        worker(&b);
    while (tty && atomic_load(&b.done) < b.n) {
        progress(cmd, atomic_load(&b.done), b.n);
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (tty)
        fprintf(stderr, "\r\033[K");
    /* consolidations, by year */
    region_result rr[MAX_YEARS];
    memset(rr, 0, sizeof rr);
    for (int i = 1; i < b.nyears; i++)
        for (int j = i; j > 0 && b.years[j - 1].year > b.years[j].year; j--) {
            year_slot t = b.years[j];
            b.years[j] = b.years[j - 1];
            b.years[j - 1] = t;
        }
    for (int i = 0; i < b.nyears; i++)
        finish_region(&b, &b.years[i], &rr[i]);
    js_buf text, json;
    js_buf_init(&text, JS_MAX_OUTPUT_BYTES);
    js_buf_init(&json, JS_MAX_OUTPUT_BYTES);
    summary_text(&b, rr, b.nyears, &text);
    js_status st = summary_json(&b, rr, b.nyears, &json);
    js_diag d;
    js_diag_clear(&d);
    if (st == JS_OK && o->output) {
        js_outset *set = js_outset_begin(o->output, &d);
        st = set ? js_outset_add(set, "summary.txt", text.data, text.len, &d) : d.status;
        if (st == JS_OK)
            st = js_outset_add(set, "summary.json", json.data, json.len, &d);
        st = st == JS_OK ? js_outset_commit(set, &d) : (js_outset_abort(set), st);
    }
    const js_buf *shown = o->format && !strcmp(o->format, "json") ? &json : &text;
    if (st == JS_OK && fwrite(shown->data, 1, shown->len, stdout) != shown->len)
        st = JS_E_IO;
    if (st != JS_OK)
        rc = d.status ? cli_fail(&d) : EXIT_IO;
    if (rc == EXIT_OK)
        rc = batch_exit_code(&b, rr);
    js_buf_release(&text);
    js_buf_release(&json);
    for (int i = 0; i < b.nyears; i++) {
        js_region_free(b.years[i].region);
        free(rr[i].message);
    }
    for (int i = 0; i < b.nprofiles; i++) {
        js_rules_free(b.profiles[i].rs);
        js_profile_free(b.profiles[i].p);
        free(b.profiles[i].name);
    }
    for (size_t i = 0; i < b.n; i++) {
        dept *x = &b.depts[i];
        free(x->path);
        free(x->name);
        free(x->department);
        free(x->profile);
        free(x->message);
        free(x->rules);
    }
    free(b.depts);
    js_dict_cache_free(b.dicts);
    pthread_mutex_destroy(&b.lock);
    return rc;
}
