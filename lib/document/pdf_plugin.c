/* js_report_pdf: loads the PDF renderer (juesuan-pdf.so, render_pdf.c) on
 * first use. Only the PDF needs pango, cairo and fontconfig; loading them
 * costs every process several milliseconds and megabytes, so the program
 * itself does not link them. The plugin is looked for in $JUESUAN_PDF, next
 * to the executable (the build tree), in ../lib/juesuan/ beside it (an
 * installed tree), then in the build-time library directory. */
#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "juesuan/report.h"

#ifndef JUESUAN_LIBDIR
#define JUESUAN_LIBDIR "/usr/local/lib/juesuan"
#endif
#define PLUGIN "juesuan-pdf.so"

typedef js_status (*render_fn)(const js_report *r, js_buf *out);

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static render_fn g_render;
static char g_why[1024]; /* why the plugin could not be loaded */

static void *try_open(const char *path)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h && !g_why[0] && access(path, F_OK) == 0)
        snprintf(g_why, sizeof g_why, "PDF 模块无法加载（系统报告“%s”）", dlerror()); /* there but unusable: say why */
    return h;
}

static void load(void)
{
    char tried[3 * PATH_MAX + 256] = "";
    void *h = NULL;
    const char *env = getenv("JUESUAN_PDF");
    if (env && *env) {
        h = try_open(env);
        snprintf(tried, sizeof tried, "%s", env);
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
        if (slash)
            *slash = '\0';
        const char *const rel[] = {"/" PLUGIN, "/../lib/juesuan/" PLUGIN};
        for (size_t k = 0; slash && k < 2 && !h; k++) {
            char path[PATH_MAX + 32];
            snprintf(path, sizeof path, "%s%s", exe, rel[k]);
            h = try_open(path);
        }
        if (!h)
            h = try_open(JUESUAN_LIBDIR "/" PLUGIN);
        snprintf(tried, sizeof tried, "%s/%s、%s/../lib/juesuan/%s、%s/%s", slash ? exe : ".", PLUGIN,
                 slash ? exe : ".", PLUGIN, JUESUAN_LIBDIR, PLUGIN);
    }
    if (h && !(g_render = (render_fn)(uintptr_t)dlsym(h, "js_pdf_plugin_render")))
        snprintf(g_why, sizeof g_why, "%s 中没有 js_pdf_plugin_render", PLUGIN);
    else if (!h && !g_why[0])
        snprintf(g_why, sizeof g_why, "找不到 PDF 模块 %s（查找了 %s；可用环境变量 JUESUAN_PDF 指定）", PLUGIN,
                 tried);
}

js_status js_report_pdf(const js_report *r, js_buf *out, js_diag *d)
{
    pthread_once(&g_once, load);
    if (!g_render)
        return js_diag_set(d, JS_E_IO, "report.pdf", 0, 0, NULL, "%s", g_why);
    /* Threads render at once: each has its own pango context and font map
     * (render_pdf.c); fontconfig and cairo lock what they share. */
    js_status st = g_render(r, out);
    return st == JS_OK ? JS_OK : js_diag_set(d, st, "report.pdf", 0, 0, NULL, "PDF 输出失败（输出过大或内存不足）");
}
