/* Batch mode on the command line: `check DIR` and `build DIR -o OUT` over a
 * folder of workbooks (the work is js_batch_run's): the progress bar on a
 * terminal, the summary and the exit code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_JOBS 64

static void progress(void *ctx, size_t done, size_t n)
{
    const char *cmd = ctx;
    int width = 30, filled = n ? (int)(done * (size_t)width / n) : width;
    fprintf(stderr, "\r批量%s [%.*s%*s] %zu/%zu", !strcmp(cmd, "build") ? "生成" : "审核", filled * 3,
            "■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■", width - filled, "", done, n);
    fflush(stderr);
}

/* -v: a line per department as it finishes, on standard error, written
 * at once. */
static void department(void *ctx, size_t done, size_t n, const js_batch_department *x)
{
    (void)ctx;
    const char *status = !strcmp(x->status, "passed") ? "通过" : !strcmp(x->status, "failed") ? "未通过" : "无法读取";
    char counts[128] = "", line[4096];
    if (strcmp(x->status, "unreadable"))
        snprintf(counts, sizeof counts, "（错误 %zu，核实 %zu，提示 %zu）", x->errors, x->verify, x->info);
    snprintf(line, sizeof line, "[%zu/%zu] %s%s%s：%s%s%s%s，%.0f 毫秒\n", done, n, x->name, x->department ? " " : "",
             x->department ? x->department : "", status, counts, x->message ? "：" : "", x->message ? x->message : "",
             x->seconds * 1000);
    fputs(line, stderr);
}

/* Unreadable input first, then anything not written, then error findings. */
static int exit_code(const js_batch *b)
{
    js_batch_counts c;
    js_batch_counts_of(b, &c);
    return c.unreadable                         ? EXIT_BADINPUT
           : c.unwritten || c.region_unwritten ? EXIT_IO
           : c.failed || c.region_failed       ? EXIT_FINDINGS
                                               : EXIT_OK;
}

int cli_batch(const char *cmd, const cli_opts *o, unsigned kinds)
{
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs) {
        char *end;
        jobs = strtol(o->jobs, &end, 10);
        if (*end || jobs < 1 || jobs > MAX_JOBS)
            return cli_usage_error(cmd, "--jobs 须为 1 到 %d 的整数，而不是 '%s'", MAX_JOBS, o->jobs);
    }
    if (o->unit)
        return cli_usage_error(cmd, "批量模式不能用 --unit");
    if (o->output && !strcmp(o->output, "-"))
        return cli_usage_error(cmd, "批量模式的 -o 是输出目录，不能是 -（标准输出）");
    bool tty = isatty(2) && !o->quiet && !o->verbose; /* -v: lines instead of the bar */
    js_batch_options bo = {
        .profile = o->profile,
        .build = !strcmp(cmd, "build"),
        .output = o->output,
        .kinds = kinds,
        .force = o->force,
        .jobs = jobs < 1 ? 1 : jobs > MAX_JOBS ? MAX_JOBS : (int)jobs,
        .progress = tty ? progress : NULL,
        .progress_ctx = (void *)cmd,
        .department = o->verbose ? department : NULL,
    };
    js_diag d;
    js_diag_clear(&d);
    js_run_shared *s = js_run_shared_new(cli_datadir(o));
    js_batch *b = s ? js_batch_run(s, o->workbook, &bo, &d) : NULL;
    if (tty)
        fprintf(stderr, "\r\033[K");
    int rc = !s ? EXIT_IO : !b ? cli_fail(&d) : EXIT_OK;
    if (b) {
        js_buf out;
        js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
        js_status st = o->format && !strcmp(o->format, "json") ? js_batch_summary_json(b, &out)
                                                               : js_batch_summary_text(b, &out);
        rc = st != JS_OK ? EXIT_IO : cli_emit(NULL, &out);
        if (rc == EXIT_OK)
            rc = exit_code(b);
        js_buf_release(&out);
    }
    js_batch_free(b);
    js_run_shared_free(s);
    return rc;
}
