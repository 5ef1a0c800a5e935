/* Option parsing, data directory, diagnostics and compilation shared by the
 * subcommands. */
#include <stddef.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef JUESUAN_DATADIR
#define JUESUAN_DATADIR "/usr/local/share/juesuan"
#endif

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "juesuan %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n（用法见 juesuan help %s）\n", cmd);
    return EXIT_USAGE;
}

static const struct {
    char letter;
    const char *longname;
    size_t offset;
} k_opts[] = {
    {'p', "--profile", offsetof(cli_opts, profile)},
    {'u', "--unit", offsetof(cli_opts, unit)},
    {'f', "--format", offsetof(cli_opts, format)},
    {'o', "--output", offsetof(cli_opts, output)},
    {'d', "--data", offsetof(cli_opts, datadir)},
    {'O', "--only", offsetof(cli_opts, only)},
    {'j', "--jobs", offsetof(cli_opts, jobs)},
    {'a', "--approved", offsetof(cli_opts, approved)},
    {'P', "--published", offsetof(cli_opts, published)},
};

bool cli_parse(int argc, char **argv, const char *cmd, const char *allowed, cli_opts *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (o->workbook) {
                cli_usage_error(cmd, "多余的参数 '%s'", a);
                return false;
            }
            o->workbook = a;
            continue;
        }
        bool quiet = !strcmp(a, "-q") || !strcmp(a, "--quiet");
        if (quiet || !strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            if (!strchr(allowed, quiet ? 'q' : 'v')) {
                cli_usage_error(cmd, "此命令没有选项 %s", a);
                return false;
            }
            *(quiet ? &o->quiet : &o->verbose) = true;
            if (o->quiet && o->verbose) {
                cli_usage_error(cmd, "-q（--quiet）和 -v（--verbose）不能同时使用");
                return false;
            }
            continue;
        }
        if (!strcmp(a, "--force") || !strcmp(a, "--draft")) {
            bool force = a[2] == 'f';
            if (!strchr(allowed, force ? 'F' : 'D')) {
                cli_usage_error(cmd, "此命令没有选项 %s", a);
                return false;
            }
            *(force ? &o->force : &o->draft) = true;
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < sizeof k_opts / sizeof k_opts[0]; k++) {
            char shortname[3] = {'-', k_opts[k].letter, 0};
            size_t ll = strlen(k_opts[k].longname);
            const char *value = NULL;
            if (!strcmp(a, k_opts[k].longname) || !strcmp(a, shortname)) {
                if (i + 1 >= argc) {
                    cli_usage_error(cmd, "选项 %s 缺少参数", a);
                    return false;
                }
                value = argv[++i];
            } else if (!strncmp(a, k_opts[k].longname, ll) && a[ll] == '=') {
                value = a + ll + 1;
            } else {
                continue;
            }
            if (!strchr(allowed, k_opts[k].letter)) {
                cli_usage_error(cmd, "此命令没有选项 %s", k_opts[k].longname);
                return false;
            }
            *(const char **)((char *)o + k_opts[k].offset) = value;
            found = true;
            break;
        }
        if (!found) {
            cli_usage_error(cmd, "未知选项 '%s'", a);
            return false;
        }
    }
    /* -o - is standard output, for the commands that write one stream
     * (convert and template: an .xlsx; to a folder they refuse it) */
    if (o->output && !strcmp(o->output, "-") && strcmp(cmd, "tables") && strcmp(cmd, "check") &&
        strcmp(cmd, "score") && strcmp(cmd, "convert") && strcmp(cmd, "template")) {
        cli_usage_error(cmd, "-o - （标准输出）只用于 tables、check、score、convert 和 template；此命令写出目录");
        return false;
    }
    return true;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_datadir(const cli_opts *o)
{
    static char found[PATH_MAX + 32];
    if (o && o->datadir)
        return o->datadir;
    const char *env = getenv("JUESUAN_DATA");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const rel[] = {"/../data", "/../share/juesuan"};
            for (size_t k = 0; k < 2; k++) {
                char probe[PATH_MAX + 64];
                snprintf(found, sizeof found, "%s%s", exe, rel[k]);
                if (snprintf(probe, sizeof probe, "%s/profiles", found) < (int)sizeof probe &&
                    is_dir(probe))
                    return found;
            }
        }
    }
    return JUESUAN_DATADIR;
}

int cli_exit_code(js_status st)
{
    switch (st) {
    case JS_OK:
        return EXIT_OK;
    case JS_E_INPUT:
    case JS_E_LIMIT:
        return EXIT_BADINPUT;
    case JS_E_USAGE:
        return EXIT_USAGE;
    default:
        return EXIT_IO;
    }
}

int cli_fail(const js_diag *d)
{
    char msg[2048];
    js_diag_format(d, msg, sizeof msg);
    fprintf(stderr, "juesuan: %s\n", msg);
    return cli_exit_code(d->status ? d->status : JS_E_INTERNAL);
}

int cli_open(const char *cmd, const cli_opts *o, js_run_shared **s, js_run **r)
{
    *r = NULL;
    *s = NULL;
    if (!o->workbook)
        return cli_usage_error(cmd, "缺少工作簿目录");
    js_diag d;
    js_diag_clear(&d);
    if (!(*s = js_run_shared_new(cli_datadir(o))))
        return EXIT_IO;
    js_run_options ro = {.profile = o->profile, .unit = o->unit, .draft = o->draft,
                         .tables_only = !strcmp(cmd, "tables")};
    if (!(*r = js_run_open(*s, &ro, o->workbook, &d))) {
        int rc = cli_fail(&d);
        /* bad input: the workbook's other errors too, the first above */
        js_input_errors e = {0};
        if (d.status == JS_E_INPUT && js_run_input_errors(*s, o->workbook, &e) > 1) {
            char first[2048], msg[2048];
            js_diag_format(&d, first, sizeof first);
            for (size_t i = 0; i < e.n; i++) {
                js_diag_format(&e.items[i], msg, sizeof msg);
                if (strcmp(msg, first))
                    fprintf(stderr, "juesuan: %s\n", msg);
            }
            if (e.total > e.n)
                fprintf(stderr, "juesuan: 另有 %zu 处错误未列出（只列出前 %d 处）\n", e.total - e.n,
                        JS_MAX_INPUT_ERRORS);
            fprintf(stderr, "juesuan: 工作簿共有 %zu 处错误，没有写出任何输出\n", e.total);
        }
        js_input_errors_release(&e);
        js_run_shared_free(*s);
        *s = NULL;
        return rc;
    }
    return EXIT_OK;
}

void cli_close(js_run_shared *s, js_run *r)
{
    js_run_free(r);
    js_run_shared_free(s);
}

bool cli_is_stdout(const char *path) { return path && !strcmp(path, "-"); }

int cli_folder_not_stdout(const char *cmd)
{
    return cli_usage_error(cmd, "此处的输出是一个目录，不能用 -o - 写到标准输出");
}

/* out to the file path (all or nothing; a device or FIFO is written
 * into), or to standard output when path is NULL or "-". */
int cli_emit(const char *path, const js_buf *out)
{
    js_diag d;
    js_diag_clear(&d);
    if (path && !cli_is_stdout(path))
        return js_write_file_atomic(path, out->data ? out->data : "", out->len, &d) == JS_OK ? EXIT_OK : cli_fail(&d);
    /* CSV for Excel starts with a BOM, except on a terminal, where it would
     * show as a stray character (docs/formats.md). */
    size_t skip = out->len >= 3 && !memcmp(out->data, "\xef\xbb\xbf", 3) && isatty(1) ? 3 : 0;
    if (out->len > skip && fwrite(out->data + skip, 1, out->len - skip, stdout) != out->len - skip)
        return EXIT_IO;
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
}
