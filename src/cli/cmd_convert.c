/* juesuan convert: a workbook folder to .xlsx, or a .xlsx (.xls, .et) to a
 * folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool is_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n > 5 && !strcmp(p + n - 5, ".xlsx");
}

/* The workbook folder (NULL: the template) as the .xlsx path, all or
 * nothing, or to standard output for "-". */
int cli_write_xlsx(const char *folder, const char *path)
{
    js_diag d;
    js_diag_clear(&d);
    js_buf out;
    js_status st = js_workbook_xlsx_bytes(folder, &out, cli_is_stdout(path) ? "（标准输出）" : path, &d);
    int rc = st == JS_OK ? cli_emit(path, &out) : cli_fail(&d);
    js_buf_release(&out);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "convert", "odq", &o))
        return EXIT_USAGE;
    if (!o.workbook || !o.output)
        return cli_usage_error("convert", "用法：juesuan convert 来源 -o 目标");
    js_diag d;
    js_diag_clear(&d);
    int rc;
    js_book_kind kind = js_workbook_kind(o.workbook);
    bool to_folder = kind == JS_BOOK_XLSX || kind == JS_BOOK_XLS || (kind == JS_BOOK_OTHER && !is_xlsx(o.output));
    if (to_folder && cli_is_stdout(o.output))
        return cli_folder_not_stdout("convert");
    if (to_folder) {
        rc = js_workbook_xlsx_to_csv(o.workbook, o.output, &d) == JS_OK ? EXIT_OK : cli_fail(&d);
    } else if (is_xlsx(o.output) || cli_is_stdout(o.output)) {
        rc = cli_write_xlsx(o.workbook, o.output);
    } else {
        return cli_usage_error("convert", "来源或目标之一应为 .xlsx 文件");
    }
    if (rc == EXIT_OK && !o.quiet && !cli_is_stdout(o.output))
        printf("%s\n", o.output);
    return rc;
}
