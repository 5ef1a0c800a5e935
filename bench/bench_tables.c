/* Benchmark: load, compile and render tables, in process.
 *   bench_tables            the two examples, 200 times each;
 *   bench_tables DIR...     each workbook three times (e.g. bench/gen's region):
 *                           the input's size, line items per second for
 *                           load + compile, and peak memory; then three
 *                           times more on one thread (big inputs not split
 *                           in halves): what one core does; then three
 *                           times read summed for the tables only
 *                           (js_workbook_open_summed, what `juesuan
 *                           tables` does) on one thread.
 * Prints wall times per phase; "facts" are those of the full read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "beside.h"
#include "juesuan/juesuan.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the whole process (every thread). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *datadir(void)
{
    const char *e = getenv("JUESUAN_DATA");
    return e ? e : "data";
}

/* Bytes of the workbook folder's CSV sheets. */
static off_t input_bytes(const char *dir)
{
    off_t sum = 0;
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (strstr(e->d_name, ".csv") && stat(path, &st) == 0)
            sum += st.st_size;
    }
    if (dp)
        closedir(dp);
    return sum;
}

static size_t full_facts; /* of the last full read: a summed one has only sums */

static void run(const char *label, js_workbook *(*load)(const char *), const char *arg, const js_profile *p, int reps,
                bool rss)
{
    double t0 = now(), tl = 0, tc = 0, tr = 0, cpu = 0;
    size_t bytes = 0, nfacts = 0;
    for (int r = 0; r < reps; r++) {
        double a = now(), ca = cpu_now();
        js_workbook *wb = load(arg);
        double b = now();
        js_diag d;
        js_tableset *ts = wb ? js_tables_compile(wb, p, -1, &d) : NULL;
        double c = now();
        cpu += cpu_now() - ca;
        if (!ts) {
            fprintf(stderr, "bench: %s failed\n", label);
            exit(1);
        }
        js_buf out;
        js_buf_init(&out, (size_t)1 << 30);
        js_render_text(ts, &out);
        js_render_json(ts, &out);
        js_render_long(ts, NULL, &out);
        bytes = out.len;
        js_buf_release(&out);
        js_workbook_facts(wb, &nfacts);
        if (js_workbook_summed(wb))
            nfacts = full_facts;
        else
            full_facts = nfacts;
        js_tableset_free(ts);
        js_workbook_free(wb);
        tl += b - a;
        tc += c - b;
        tr += now() - c;
    }
    double total = now() - t0;
    printf("%-34s %5d run(s) %9zu facts  load %8.3f ms  compile %8.3f ms  render %8.3f ms  (%zu bytes out)  total %.3f s\n",
           label, reps, nfacts, tl / reps * 1e3, tc / reps * 1e3, tr / reps * 1e3, bytes, total);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double in = (double)input_bytes(arg);
    printf("%-34s input %.1f MB, load + compile %.2f M facts/s (%.2f M per CPU second)", "", in / 1e6,
           (double)nfacts / ((tl + tc) / reps) / 1e6, (double)nfacts / (cpu / reps) / 1e6);
    if (rss) /* the process's peak so far: of the first runs only */
        printf(", peak RSS %.1f MB (%.2f x input)", (double)ru.ru_maxrss / 1024.0, (double)ru.ru_maxrss * 1024.0 / in);
    printf("\n");
}

static js_workbook *load_folder(const char *arg)
{
    js_diag d;
    js_workbook *wb = js_workbook_load(datadir(), arg, &d);
    if (!wb)
        fprintf(stderr, "bench: %s\n", d.message);
    return wb;
}

static const js_profile *summed_profile; /* what load_summed sums for */

static size_t summed_depths(void *ctx, const char *profile, js_sum_depth *depths)
{
    (void)ctx;
    (void)profile;
    return js_tables_depths(summed_profile, depths);
}

static uint32_t summed_sources(void *ctx, const char *profile)
{
    (void)ctx;
    (void)profile;
    return js_tables_sources(summed_profile);
}

static js_workbook *load_summed(const char *arg)
{
    js_diag d;
    js_sum_plan plan = {summed_depths, NULL, summed_sources};
    js_workbook *wb = js_workbook_open_summed(datadir(), NULL, arg, &plan, &d);
    if (!wb)
        fprintf(stderr, "bench: %s\n", d.message);
    return wb;
}

int main(int argc, char **argv)
{
    js_diag d;
    js_profile *p = js_profile_load(datadir(), "default", &d);
    if (!p) {
        fprintf(stderr, "bench: %s\n", d.message);
        return 1;
    }
    if (argc == 1) {
        run("examples/qingshan-2024 (in process)", load_folder, "examples/qingshan-2024", p, 200, true);
        run("examples/synthetic-2024 (in process)", load_folder, "examples/synthetic-2024", p, 200, true);
    }
    /* Generated workbooks (bench/gen): once each, with the input's size,
     * line items per second and peak memory. */
    for (int i = 1; i < argc; i++)
        run(argv[i], load_folder, argv[i], p, 3, true);
    js_beside_halves(false);
    summed_profile = p;
    for (int i = 1; i < argc; i++)
    {
        run("  the same on one thread:", load_folder, argv[i], p, 3, false);
        run("  read summed, one thread:", load_summed, argv[i], p, 3, false);
    }
    js_profile_free(p);
    return 0;
}
