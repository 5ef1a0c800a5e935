/* juesuan template: write an empty workbook. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* True when dir exists and holds anything. */
static bool non_empty(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    struct dirent *e;
    bool any = false;
    while (!any && (e = readdir(d)))
        any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return any;
}

int cmd_template(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "template", "oFq", &o))
        return EXIT_USAGE;
    if (o.workbook)
        return cli_usage_error("template", "多余的参数 '%s'（目录用 -o 指定）", o.workbook);
    if (!o.output)
        return cli_usage_error("template", "缺少输出目录（-o 目录）");
    size_t n = strlen(o.output);
    if (cli_is_stdout(o.output))
        return cli_write_xlsx(NULL, o.output); /* the .xlsx template */
    if (n > 5 && !strcmp(o.output + n - 5, ".xlsx")) {
        FILE *f = fopen(o.output, "r");
        if (f && !o.force) {
            fclose(f);
            return cli_usage_error("template", "%s 已存在；为免覆盖，请换一个文件名或加 --force", o.output);
        }
        if (f)
            fclose(f);
        int rc = cli_write_xlsx(NULL, o.output);
        if (rc == EXIT_OK && !o.quiet)
            printf("%s\n", o.output);
        return rc;
    }
    if (non_empty(o.output) && !o.force)
        return cli_usage_error("template", "目录 %s 不是空的；为免覆盖已填写的工作簿，请换一个目录或加 --force",
                               o.output);
    js_diag d;
    js_diag_clear(&d);
    if (js_template_write(o.output, &d) != JS_OK)
        return cli_fail(&d);
    if (!o.quiet)
        printf("%s\n", o.output);
    return EXIT_OK;
}
