/* js_plugin_open: finds and loads a plugin (include/juesuan/plugin.h). */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "juesuan/plugin.h"

#ifndef JUESUAN_LIBDIR
#define JUESUAN_LIBDIR "/usr/local/lib/juesuan"
#endif

/* dlopen of path; when the file exists but cannot be loaded, the loader's
 * reason goes into d (the first such reason is kept). */
static void *try_open(const char *path, const char *what, bool *told, js_diag *d)
{
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h && !*told && access(path, F_OK) == 0) {
        js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "%s无法加载（系统报告“%s”）", what, dlerror());
        *told = true;
    }
    return h;
}

void *js_plugin_open(const char *file, const char *env, const char *what, js_diag *d)
{
    bool told = false;
    const char *given = env ? getenv(env) : NULL;
    if (given && *given) {
        void *h = try_open(given, what, &told, d);
        if (!h && !told)
            js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "找不到%s %s：环境变量 %s 指定的 %s 不存在", what, file, env, given);
        return h;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (slash)
        *slash = '\0';
    const char *const rel[] = {"", "/../lib/juesuan"};
    void *h = NULL;
    for (size_t k = 0; slash && k < 2 && !h; k++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s%s/%s", exe, rel[k], file);
        h = try_open(path, what, &told, d);
    }
    if (!h) {
        char path[sizeof JUESUAN_LIBDIR + 64];
        snprintf(path, sizeof path, "%s/%s", JUESUAN_LIBDIR, file);
        h = try_open(path, what, &told, d);
    }
    if (!h && !told) {
        const char *dir = slash ? exe : ".";
        js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL,
                    "找不到%s %s（查找了 %s/%s、%s/../lib/juesuan/%s、%s/%s；请用 make install 安装，"
                    "或用环境变量 %s 指定其位置）",
                    what, file, dir, file, dir, file, JUESUAN_LIBDIR, file, env ? env : "");
    }
    return h;
}

void *js_plugin_symbol(void *h, const char *file, const char *symbol, js_diag *d)
{
    void *p = h ? dlsym(h, symbol) : NULL;
    if (!p)
        js_diag_set(d, JS_E_IO, file, 0, 0, NULL, "%s 中没有 %s（模块与程序的版本不一致？）", file, symbol);
    return p;
}
