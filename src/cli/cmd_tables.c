/* juesuan tables: compile the tables and print them in one format. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Renders every table of ts in format into out. */
static js_status render(const js_tableset *ts, const char *format, js_buf *out)
{
    if (!strcmp(format, "text"))
        return js_render_text(ts, out);
    if (!strcmp(format, "json"))
        return js_render_json(ts, out);
    if (!strcmp(format, "long"))
        return js_render_long(ts, out);
    js_status st = JS_OK;
    for (size_t i = 0; i < js_tableset_count(ts) && st == JS_OK; i++) {
        if (i)
            js_buf_putc(out, '\n');
        st = js_render_csv_table(ts, i, i == 0, out);
    }
    return st;
}

int cmd_tables(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "tables", "pufod", &o))
        return EXIT_USAGE;
    const char *format = o.format ? o.format : "text";
    static const char *const formats[] = {"text", "json", "csv", "long"};
    if (js_vocab_find(formats, 4, format) < 0)
        return cli_usage_error("tables", "未知格式 '%s'（可用 text、json、csv、long）", format);

    js_workbook *wb;
    js_profile *p;
    js_tableset *ts;
    int rc = cli_compile("tables", &o, &wb, &p, &ts);
    if (rc != EXIT_OK)
        return rc;
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    js_status st = render(ts, format, &out);
    js_diag d;
    js_diag_clear(&d);
    if (st != JS_OK) {
        js_diag_set(&d, st, NULL, 0, 0, NULL, "输出过大或内存不足");
        rc = cli_fail(&d);
    } else if (o.output) {
        if (js_write_file_atomic(o.output, out.data ? out.data : "", out.len, &d) != JS_OK)
            rc = cli_fail(&d);
    } else if (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) {
        rc = EXIT_IO;
    }
    js_buf_release(&out);
    cli_compile_free(wb, p, ts);
    if (fflush(stdout) != 0)
        rc = EXIT_IO;
    return rc;
}
