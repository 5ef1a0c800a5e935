/* juesuan template: write an empty workbook. */
#include <stdio.h>

#include "cli.h"

int cmd_template(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "template", "o", &o))
        return EXIT_USAGE;
    if (o.workbook)
        return cli_usage_error("template", "多余的参数 '%s'（目录用 -o 指定）", o.workbook);
    if (!o.output)
        return cli_usage_error("template", "缺少输出目录（-o 目录）");
    js_diag d;
    js_diag_clear(&d);
    if (js_template_write(o.output, &d) != JS_OK)
        return cli_fail(&d);
    printf("%s\n", o.output);
    return EXIT_OK;
}
