/* juesuan convert: a workbook folder to .xlsx, or a .xlsx (.xls, .et) to a
 * folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static bool is_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n > 5 && !strcmp(p + n - 5, ".xlsx");
}

/* Copies the file at path to standard output. */
static int copy_to_stdout(const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[65536];
    size_t n;
    bool good = f != NULL;
    while (good && (n = fread(buf, 1, sizeof buf, f)) > 0)
        good = fwrite(buf, 1, n, stdout) == n;
    if (f)
        fclose(f);
    return good && fflush(stdout) == 0 ? EXIT_OK : EXIT_IO;
}

/* The workbook folder as the .xlsx path (all or nothing: the library
 * writes a temporary sibling and renames it); for "-", through a temporary
 * file to standard output (libxlsxwriter 1.1 writes files only). */
int cli_write_xlsx(const char *folder, const char *path)
{
    js_diag d;
    js_diag_clear(&d);
    if (!cli_is_stdout(path))
        return js_workbook_write_xlsx(folder, path, &d) == JS_OK ? EXIT_OK : cli_fail(&d);
    char tmp[4096];
    const char *dir = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/juesuan-%ld.xlsx", dir && *dir ? dir : "/tmp", (long)getpid());
    if (js_workbook_write_xlsx(folder, tmp, &d) != JS_OK)
        return cli_fail(&d);
    int rc = copy_to_stdout(tmp);
    remove(tmp);
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
