/* js_report_pdf: loads the PDF renderer (juesuan-pdf.so, render_pdf.c) on
 * first use. Only the PDF needs pango, cairo and fontconfig; loading them
 * costs every process several milliseconds and megabytes, so the program
 * itself does not link them. The plugin is found by js_plugin_open
 * (include/juesuan/plugin.h; $JUESUAN_PDF names it). */
#include <pthread.h>
#include <stdint.h>

#include "juesuan/plugin.h"
#include "juesuan/report.h"

#define PLUGIN "juesuan-pdf.so"

typedef js_status (*render_fn)(const js_report *r, js_buf *out);

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static render_fn g_render;
static js_diag g_why; /* why the plugin could not be loaded */

static void load(void)
{
    void *h = js_plugin_open(PLUGIN, "JUESUAN_PDF", "PDF 模块", &g_why);
    if (h)
        g_render = (render_fn)(uintptr_t)js_plugin_symbol(h, PLUGIN, "js_pdf_plugin_render", &g_why);
}

js_status js_report_pdf(const js_report *r, js_buf *out, js_diag *d)
{
    pthread_once(&g_once, load);
    if (!g_render)
        return js_diag_set(d, JS_E_IO, "report.pdf", 0, 0, NULL, "%s", g_why.message);
    /* Threads render at once: each has its own pango context and font map
     * (render_pdf.c); fontconfig and cairo lock what they share. */
    js_status st = g_render(r, out);
    return st == JS_OK ? JS_OK : js_diag_set(d, st, "report.pdf", 0, 0, NULL, "PDF 输出失败（输出过大或内存不足）");
}
