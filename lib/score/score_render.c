/* The score as text and as JSON (score.json, docs/score.md). */
#include <string.h>

#include "jsonout.h"
#include "score_internal.h"

/* "得分 62 / 80（77.5%）；满分 100，其中无法判断 20 分" */
static void totals_line(const js_score *s, js_buf *out)
{
    int earned, decided, total;
    char pct[16];
    js_score_totals(s, &earned, &decided, &total);
    js_score_percent(s, pct, sizeof pct);
    if (decided)
        js_buf_printf(out, "得分 %d / 可判断的 %d 分（%s%%）", earned, decided, pct);
    else
        js_buf_puts(out, "没有可判断的评分项");
    js_buf_printf(out, "；满分 %d 分", total);
    if (total > decided)
        js_buf_printf(out, "，其中 %d 分无法判断", total - decided);
    js_buf_putc(out, '\n');
}

js_status js_score_text(const js_score *s, js_buf *out)
{
    js_buf_printf(out, "%s：%s %d年度（配置 %s，评分定义 %s%s）\n", s->title, s->department, s->year, s->profile,
                  s->version, s->from_tables ? "，按公开表评分" : "");
    totals_line(s, out);
    const char *dim = NULL;
    for (size_t i = 0; i < s->nitems; i++) {
        const js_score_item *x = &s->items[i];
        if (!dim || strcmp(dim, x->dimension)) {
            dim = x->dimension;
            js_buf_printf(out, "\n%s\n", dim);
        }
        js_buf_printf(out, "  [%s] %s %s（%d 分）\n        %s\n", js_score_result_labels[x->result], x->id, x->name,
                      x->weight, x->why);
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

js_status js_score_json(const js_score *s, js_buf *out)
{
    int earned, decided, total;
    char pct[16];
    js_score_totals(s, &earned, &decided, &total);
    js_score_percent(s, pct, sizeof pct);
    json_t *items = json_array();
    for (size_t i = 0; items && i < s->nitems; i++) {
        const js_score_item *x = &s->items[i];
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "id", x->id, "dimension",
                                               x->dimension, "name", x->name, "weight", x->weight, "result",
                                               js_score_result_names[x->result], "result_label",
                                               js_score_result_labels[x->result], "why", x->why, "source", x->source));
    }
    json_t *root = items ? json_pack("{s:s, s:i, s:s, s:s, s:s, s:i, s:s, s:s, s:{s:i, s:i, s:i, s:o}, s:o}", "format",
                                     "juesuan-score", "format_version", 1, "title", s->title, "version", s->version,
                                     "department", s->department, "year", s->year, "profile", s->profile, "scored_from",
                                     s->from_tables ? "tables" : "workbook", "totals", "earned", earned, "decided",
                                     decided, "total", total, "percent", decided ? json_string(pct) : json_null(),
                                     "items", items)
                         : NULL;
    return js_json_out(root, out); /* json_pack took items, also on failure */
}
