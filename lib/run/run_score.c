/* The score stage of the pipeline: what a run (or a tables.json) gives the
 * score engine (juesuan/score.h). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/output.h"
#include "run_internal.h"

js_score *js_run_score_compute(js_run *r, const js_findings *f, const js_score_context *ctx, js_diag *d)
{
    const js_scoredef *sd = js_run_shared_scoredef(js_run_shared_of(r), js_run_profile_name(r), d);
    const js_tableset *ts = sd ? js_run_tables(r, d) : NULL;
    js_view *v = ts ? js_view_from_tables(ts, d) : NULL;
    const char **empty = v ? calloc(js_tableset_count(ts) + 1, sizeof *empty) : NULL;
    if (!empty) {
        js_view_free(v);
        if (v)
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    for (size_t i = 0; i < js_tableset_count(ts); i++)
        empty[i] = js_tableset_table(ts, i)->empty_text;
    const js_workbook *wb = js_run_workbook(r);
    js_score_input in = {.profile = js_run_profile(r), .view = v, .empty_texts = empty, .wb = wb, .findings = f,
                         .ctx = ctx, .department = js_tableset_entity(ts), .year = js_workbook_year(wb)};
    js_score *s = js_score_compute(sd, &in, d);
    free(empty);
    js_view_free(v);
    return s;
}

/* The 空表说明 of each table of the view, from the tables.json text (the
 * view has read and checked it, so a table's place is its place there). */
static const char **empty_texts(json_t *root, const js_view *v)
{
    const char **out = calloc(js_view_count(v) + 1, sizeof *out);
    json_t *tables = json_object_get(root, "tables");
    for (size_t i = 0; out && i < js_view_count(v); i++) {
        json_t *t = json_array_get(tables, i);
        if (json_is_string(json_object_get(t, "id")) &&
            !strcmp(json_string_value(json_object_get(t, "id")), js_view_table(v, i)->id))
            out[i] = json_string_value(json_object_get(t, "empty_text"));
    }
    return out;
}

js_score *js_score_tables_json(js_run_shared *s, const char *path, const char *profile, const js_score_context *ctx,
                               js_diag *d)
{
    char *text;
    size_t len;
    if (js_read_file(path, JS_MAX_JSON_BYTES, &text, &len, d) != JS_OK)
        return NULL;
    js_score *score = NULL;
    js_findings *f = js_findings_new();
    js_view *v = f ? js_view_from_json(path, text, len, d) : NULL;
    json_t *root = v ? json_loadb(text, len, 0, NULL) : NULL;
    const char *named = v ? js_view_profile(v) : "";
    const char *name = profile ? profile : *named ? named : "default";
    const js_scoredef *sd = root ? js_run_shared_scoredef(s, name, d) : NULL;
    const js_profile *p = sd ? js_run_shared_profile(s, name, d) : NULL;
    const char **empty = p && v ? empty_texts(root, v) : NULL;
    if (empty && js_check_tables_text(s, path, text, len, name, f, d) == JS_OK) {
        json_t *year = json_object_get(root, "year");
        json_t *entity = json_object_get(root, "entity"), *dept = json_object_get(root, "department");
        js_score_input in = {.profile = p, .view = v, .empty_texts = empty, .wb = NULL, .findings = f, .ctx = ctx,
                             .department = json_is_string(entity) ? json_string_value(entity)
                                                                  : json_string_value(dept),
                             .year = json_is_integer(year) ? (int)json_integer_value(year) : 0};
        score = js_score_compute(sd, &in, d);
    } else if (!f || (v && !root) || (p && !empty)) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    free(empty);
    json_decref(root);
    js_view_free(v);
    js_findings_free(f);
    free(text);
    return score;
}
