/* juesuan score: the score of a disclosure, from a workbook or a
 * tables.json. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_score(int argc, char **argv)
{
    cli_opts o;
    if (!cli_parse(argc, argv, "score", "pufodaP", &o))
        return EXIT_USAGE;
    const char *format = o.format ? o.format : "text";
    static const char *const formats[] = {"text", "json"};
    int which = js_vocab_find(formats, 2, format);
    if (which < 0)
        return cli_usage_error("score", "未知格式 '%s'（可用 text、json）", format);
    js_score_context ctx;
    js_score_context_init(&ctx);
    ctx.approved = o.approved;
    ctx.published = o.published;
    js_diag d;
    js_diag_clear(&d);
    js_run_shared *s = NULL;
    js_run *r = NULL;
    js_score *own = NULL;
    const js_score *score = NULL;
    int rc = EXIT_OK;
    if (o.workbook && js_workbook_kind(o.workbook) == JS_BOOK_JSON) {
        if (o.unit)
            return cli_usage_error("score", "--unit 只用于工作簿");
        if (!(s = js_run_shared_new(cli_datadir(&o))))
            rc = EXIT_IO;
        else if (!(score = own = js_score_tables_json(s, o.workbook, o.profile, &ctx, &d)))
            rc = cli_fail(&d);
    } else if ((rc = cli_open("score", &o, &s, &r)) == EXIT_OK && !(score = js_run_score(r, &ctx, &d))) {
        rc = cli_fail(&d);
    }
    if (score) {
        js_buf out;
        js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
        js_status st = which == 1 ? js_score_json(score, &out) : js_score_text(score, &out);
        rc = st != JS_OK ? EXIT_IO : cli_emit(o.output, &out);
        js_buf_release(&out);
    }
    js_score_free(own);
    cli_close(s, r);
    return rc;
}
