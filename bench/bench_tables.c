/* Benchmark: load, compile and render tables, in process.
 * 1) the reference example, repeated;
 * 2) a generated department of many units and lines (size by argv[1],
 *    default 200000 expenditure lines).
 * Prints wall times per phase. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "juesuan/juesuan.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *datadir(void)
{
    const char *e = getenv("JUESUAN_DATA");
    return e ? e : "data";
}

typedef struct {
    js_buf sheets[4];
} gen;

static const char *const k_files[4] = {"department.csv", "units.csv", "expenditure.csv", "revenue.csv"};

static js_status get(void *ctx, const char *file, char **data, size_t *len, char *display, size_t dl,
                     js_diag *d)
{
    gen *g = ctx;
    snprintf(display, dl, "%s", file);
    for (int i = 0; i < 4; i++)
        if (!strcmp(file, k_files[i])) {
            *data = malloc(g->sheets[i].len + 1);
            memcpy(*data, g->sheets[i].data, g->sheets[i].len + 1);
            *len = g->sheets[i].len;
            return JS_OK;
        }
    *data = NULL;
    return js_diag_set(d, JS_E_IO, file, 0, 0, NULL, "absent");
}

static void generate(gen *g, long lines, int units)
{
    static const char *const xiang[] = {"2060101", "2060102", "2060201", "2060499", "2060501",
                                        "2060503", "2069999", "2080505", "2101101", "2101102",
                                        "2150801", "2150805", "2210201", "2210202", "2120803"};
    static const char *const econ[] = {"30101", "30102", "30103", "30107", "30201", "30211",
                                       "30226", "30302", "31002"};
    for (int i = 0; i < 4; i++)
        js_buf_init(&g->sheets[i], (size_t)1 << 31);
    js_buf_puts(&g->sheets[0], "项目,内容\n部门名称,基准测试局\n年度,2024\n");
    js_buf_puts(&g->sheets[1], "单位名称,单位性质\n");
    for (int u = 0; u < units; u++)
        js_buf_printf(&g->sheets[1], "单位%04d,%s\n", u, u % 3 ? "事业" : "行政");
    js_buf_puts(&g->sheets[2], "单位,功能分类科目编码,经济分类科目编码,资金来源,支出类型,项目名称,金额(元)\n");
    js_buf_puts(&g->sheets[3], "单位,功能分类科目编码,收入类型,金额(元)\n");
    unsigned seed = 12345;
    for (long i = 0; i < lines; i++) {
        seed = seed * 1103515245u + 12345u;
        int x = (int)(seed >> 8) % 15, e = (int)(seed >> 4) % 9, u = (int)(i % units);
        const char *fund = x == 14 ? "政府性基金预算财政拨款" : "一般公共预算财政拨款";
        long yuan = (long)(seed % 1000000);
        js_buf_printf(&g->sheets[2], "单位%04d,%s,%s,%s,%s,,%ld.%02ld\n", u, xiang[x], econ[e], fund,
                      seed & 1 ? "基本支出" : "项目支出", yuan, (long)(seed % 100));
        if (i % 4 == 0)
            js_buf_printf(&g->sheets[3], "单位%04d,%s,%s,%ld.00\n", u, xiang[x], fund, yuan);
    }
}

static void run(const char *label, js_workbook *(*load)(void *), void *arg, const js_profile *p, int reps)
{
    double t0 = now(), tl = 0, tc = 0, tr = 0;
    size_t bytes = 0, nfacts = 0;
    for (int r = 0; r < reps; r++) {
        double a = now();
        js_workbook *wb = load(arg);
        double b = now();
        js_diag d;
        js_tableset *ts = wb ? js_tables_compile(wb, p, -1, &d) : NULL;
        double c = now();
        if (!ts) {
            fprintf(stderr, "bench: %s failed\n", label);
            exit(1);
        }
        js_buf out;
        js_buf_init(&out, (size_t)1 << 30);
        js_render_text(ts, &out);
        js_render_json(ts, &out);
        js_render_long(ts, &out);
        bytes = out.len;
        js_buf_release(&out);
        js_workbook_facts(wb, &nfacts);
        js_tableset_free(ts);
        js_workbook_free(wb);
        tl += b - a;
        tc += c - b;
        tr += now() - c;
    }
    double total = now() - t0;
    printf("%-34s %5d run(s) %9zu facts  load %8.3f ms  compile %8.3f ms  render %8.3f ms  (%zu bytes out)  total %.3f s\n",
           label, reps, nfacts, tl / reps * 1e3, tc / reps * 1e3, tr / reps * 1e3, bytes, total);
}

static js_workbook *load_folder(void *arg)
{
    js_diag d;
    js_workbook *wb = js_workbook_load(datadir(), arg, &d);
    if (!wb)
        fprintf(stderr, "bench: %s\n", d.message);
    return wb;
}

static js_dict *g_dict;
static js_workbook *load_gen(void *arg)
{
    js_sheet_source src = {arg, get};
    js_diag d;
    js_workbook *wb = js_workbook_read(datadir(), g_dict, &src, &d);
    if (!wb)
        fprintf(stderr, "bench: %s: %s\n", d.file, d.message);
    return wb;
}

int main(int argc, char **argv)
{
    long lines = argc > 1 ? atol(argv[1]) : 200000;
    js_diag d;
    js_profile *p = js_profile_load(datadir(), "default", &d);
    g_dict = js_dict_load(datadir(), 2024, &d);
    if (!p || !g_dict) {
        fprintf(stderr, "bench: %s\n", d.message);
        return 1;
    }
    run("examples/qingshan-2024 (in process)", load_folder, "examples/qingshan-2024", p, 200);
    run("examples/synthetic-2024 (in process)", load_folder, "examples/synthetic-2024", p, 200);
    gen g;
    generate(&g, lines, 200);
    char label[64];
    snprintf(label, sizeof label, "generated %ld lines, 200 units", lines);
    run(label, load_gen, &g, p, 3);
    for (int i = 0; i < 4; i++)
        js_buf_release(&g.sheets[i]);
    js_dict_free(g_dict);
    js_profile_free(p);
    return 0;
}
