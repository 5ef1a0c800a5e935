/* juesuan read: a published report (PDF or text) back into tables.json. */
#include <stdio.h>

#include "cli.h"

int cmd_read(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "read", "pfod", &o))
        return EXIT_USAGE;
    if (!o.workbook)
        return cli_usage_error("read", "缺少报告文件（PDF 或文本）");
    const char *format = o.format ? o.format : "json";
    static const char *const formats[] = {"json", "tables"};
    int which = js_vocab_find(formats, 2, format);
    if (which < 0)
        return cli_usage_error("read", "未知格式 '%s'（可用 json、tables）", format);
    js_diag d;
    js_diag_clear(&d);
    js_printed *r = js_printed_read(cli_datadir(&o), o.workbook, o.profile, &d);
    if (!r)
        return cli_fail(&d);
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    int rc = js_printed_json(r, which == 0, &out) == JS_OK ? cli_emit(o.output, &out) : EXIT_IO;
    js_buf_release(&out);
    js_printed_free(r);
    return rc;
}
