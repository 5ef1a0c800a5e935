/* juesuan build: write every output into a directory, all or nothing. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static int visible(const struct dirent *e) { return e->d_name[0] != '.'; }

/* -v: the files written into dir, with their sizes, on standard error. */
static void list_outputs(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, visible, alphasort);
    for (int i = 0; i < n; i++) {
        char path[4352];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (stat(path, &st) == 0)
            fprintf(stderr, "  %-18s %10lld 字节\n", names[i]->d_name, (long long)st.st_size);
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

int cmd_build(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "build", "puodFDOjqv", &o))
        return EXIT_USAGE;
    unsigned kinds = JS_OUT_ALL;
    const char *bad;
    size_t badlen;
    if (o.only && !js_out_kinds_parse(o.only, &kinds, &bad, &badlen))
        return cli_usage_error("build", "--only 中的 '%.*s' 不是输出种类（可用 json,txt,long,csv,md,html,pdf,xlsx,performance,audit,score,fdp）",
                               (int)badlen, bad);
    if (!o.output)
        return cli_usage_error("build", "缺少输出目录（-o 目录）");
    if (cli_is_stdout(o.output))
        return cli_folder_not_stdout("build");
    if (o.workbook && js_is_batch_folder(o.workbook))
        return cli_batch("build", &o, kinds);
    if (o.jobs)
        return cli_usage_error("build", "--jobs 只用于批量模式（工作簿所在的目录）");
    js_run_shared *s;
    js_run *r;
    int rc = cli_open("build", &o, &s, &r);
    if (rc != EXIT_OK)
        return rc;
    js_diag d;
    js_diag_clear(&d);
    bool refused;
    js_status st = js_run_build(r, o.output, kinds, o.force, &refused, &d);
    const js_findings *f = st == JS_OK || refused ? js_run_findings(r, &d) : NULL;
    size_t errors = f ? js_findings_by_severity(f, JS_SEV_ERROR) : 0;
    if (refused) {
        js_buf b;
        js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
        js_findings_text(f, false, &b);
        fprintf(stderr, "%sjuesuan build: 审核有 %zu 个错误，未写出任何文件（确需输出可加 --force，输出将标明“%s”）\n",
                b.data ? b.data : "", errors, js_profile_wording(js_run_profile(r), "mark_failed"));
        js_buf_release(&b);
        rc = EXIT_FINDINGS;
    } else if (st != JS_OK) {
        rc = cli_fail(&d);
    } else {
        if (o.verbose)
            list_outputs(o.output);
        if (!o.quiet)
            printf("%s\n", o.output);
        rc = errors ? EXIT_FINDINGS : EXIT_OK;
    }
    cli_close(s, r);
    return rc;
}
