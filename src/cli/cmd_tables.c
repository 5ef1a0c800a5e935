/* juesuan tables: compile the tables and print them in one format. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_tables(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "tables", "pufod", &o))
        return EXIT_USAGE;
    const char *format = o.format ? o.format : "text";
    static const char *const formats[] = {"text", "json", "csv", "long"};
    int which = js_vocab_find(formats, 4, format);
    if (which < 0)
        return cli_usage_error("tables", "未知格式 '%s'（可用 text、json、csv、long）", format);
    js_run_shared *s;
    js_run *r;
    int rc = cli_open("tables", &o, &s, &r);
    if (rc != EXIT_OK)
        return rc;
    js_diag d;
    js_diag_clear(&d);
    const js_tableset *ts = js_run_tables(r, &d);
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    const js_cofog *cw = NULL; /* the long table's crosswalk */
    bool ready = ts && (which != 3 || (cw = js_run_cofog(r, &d)));
    js_status st = !ready     ? d.status
                   : which == 0 ? js_render_text(ts, &out)
                   : which == 1 ? js_render_json(ts, &out)
                   : which == 2 ? js_render_csv_tables(ts, &out)
                                : js_render_long(ts, cw, &out);
    if (ready && st != JS_OK)
        js_diag_set(&d, st, NULL, 0, 0, NULL, "输出过大或内存不足");
    rc = st != JS_OK ? cli_fail(&d) : cli_emit(o.output, &out);
    js_buf_release(&out);
    cli_close(s, r);
    return rc;
}
