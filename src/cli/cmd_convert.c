/* juesuan convert: a workbook folder to .xlsx, or a .xlsx to a folder. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static bool is_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n > 5 && !strcmp(p + n - 5, ".xlsx");
}

/* The workbook folder as the .xlsx path (all or nothing: the library
 * writes a temporary sibling and renames it). */
int cli_write_xlsx(const char *folder, const char *path)
{
    js_diag d;
    js_diag_clear(&d);
    return js_workbook_write_xlsx(folder, path, &d) == JS_OK ? EXIT_OK : cli_fail(&d);
}

int cmd_convert(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "convert", "od", &o))
        return EXIT_USAGE;
    if (!o.workbook || !o.output)
        return cli_usage_error("convert", "用法：juesuan convert 来源 -o 目标");
    js_diag d;
    js_diag_clear(&d);
    int rc;
    if (is_xlsx(o.workbook)) {
        rc = js_workbook_xlsx_to_csv(o.workbook, o.output, &d) == JS_OK ? EXIT_OK : cli_fail(&d);
    } else if (is_xlsx(o.output)) {
        rc = cli_write_xlsx(o.workbook, o.output);
    } else {
        return cli_usage_error("convert", "来源或目标之一应为 .xlsx 文件");
    }
    if (rc == EXIT_OK)
        printf("%s\n", o.output);
    return rc;
}
