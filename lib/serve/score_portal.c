/* The score of a disclosure (docs/score.md) in the portal: computed once,
 * at publication, with what the store knows and a workbook does not — the
 * dates of approval and publication (against the profile's statutory
 * period), the written explanation of each 核实 finding, and that the
 * data are offered for download — and kept as the version's score.json;
 * then read back for the version's page, the API and the dashboard. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_portal.h"

/* ---- at publication ---- */

static bool explained_at(const js_finding *f, size_t index, void *arg)
{
    const publish_score *ps = arg;
    return index < ps->n && ps->rules[index] && !strcmp(ps->rules[index], f->rule) && ps->noted[index];
}

int publish_score_init(publish_score *ps, js_store *st, const js_store_version *v, int64_t now,
                       js_score_context *ctx, js_diag *d)
{
    memset(ps, 0, sizeof *ps);
    js_score_context_init(ctx);
    date_text(v->reviewed_at, ps->approved);
    date_text(now, ps->published);
    ctx->approved = ps->approved;
    ctx->published = ps->published;
    ctx->machine_readable = 1; /* every publication offers tables.json, the long table and the FDP */
    char *text = NULL;
    js_store_note *notes = NULL;
    size_t nn = 0;
    int rc = js_store_version_findings(st, v->id, &text, d);
    if (rc == JS_OK)
        rc = js_store_explanations(st, v->id, &notes, &nn, d);
    json_t *root = rc == JS_OK ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;
    json_t *findings = json_object_get(root, "findings"), *seen = json_object(), *f;
    size_t n = json_array_size(findings), i;
    if (rc == JS_OK && (!json_is_array(findings) || !seen))
        rc = js_diag_set(d, JS_E_INTERNAL, NULL, 0, 0, NULL, "无法读取该版本的审核结果");
    if (rc == JS_OK && n && (!(ps->rules = calloc(n, sizeof *ps->rules)) || !(ps->noted = calloc(n, 1))))
        rc = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    json_array_foreach(rc == JS_OK ? findings : NULL, i, f) {
        char key[512];
        finding_key(f, seen, key, sizeof key);
        const char *rule = json_string_value(json_object_get(f, "rule"));
        ps->rules[i] = strdup(rule ? rule : "");
        for (size_t k = 0; k < nn; k++)
            if (!strcmp(notes[k].key, key) && notes[k].text[0])
                ps->noted[i] = true;
    }
    ps->n = rc == JS_OK ? n : 0;
    if (rc == JS_OK) {
        ctx->is_explained = explained_at;
        ctx->explained_arg = ps;
    }
    json_decref(seen);
    json_decref(root);
    js_store_note_list_free(notes, nn);
    free(text);
    return rc;
}

void publish_score_release(publish_score *ps)
{
    for (size_t i = 0; ps->rules && i < ps->n; i++)
        free(ps->rules[i]);
    free(ps->rules);
    free(ps->noted);
    memset(ps, 0, sizeof *ps);
}

/* ---- read back ---- */

json_t *version_score(js_req *r, int64_t version)
{
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    char sha[65];
    json_t *root = stored_output(r, version, "score.json", &b, sha)
                       ? json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, NULL) : NULL;
    js_buf_release(&b);
    if (root && (!json_is_object(json_object_get(root, "totals")) || !json_is_array(json_object_get(root, "items")))) {
        json_decref(root);
        root = NULL;
    }
    return root;
}

int score_totals(json_t *score, int *earned, int *decided, int *total, const char **percent)
{
    json_t *t = json_object_get(score, "totals");
    *earned = (int)json_integer_value(json_object_get(t, "earned"));
    *decided = (int)json_integer_value(json_object_get(t, "decided"));
    *total = (int)json_integer_value(json_object_get(t, "total"));
    *percent = json_string_value(json_object_get(t, "percent"));
    return *total - *decided;
}

void score_section(js_req *r, js_buf *b, const js_store_version *v, const char *href)
{
    json_t *score = version_score(r, v->id);
    if (!score) {
        tx(b, TXT(r), T_SCORE_NONE);
        return;
    }
    int earned, decided, total;
    const char *percent;
    int unknown = score_totals(score, &earned, &decided, &total, &percent);
    tx(b, TXT(r), T_SCORE_HEAD, earned, decided, percent ? percent : tx_str(TXT(r), T_SCORE_NO_PERCENT), total,
       unknown, href);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(score, "items"), i, it) {
        const char *result = json_string_value(json_object_get(it, "result"));
        const char *cls = result && !strcmp(result, "pass")   ? "pass"
                          : result && !strcmp(result, "fail") ? "fail"
                                                              : "unknown";
        tx(b, TXT(r), T_SCORE_ITEM, cls, json_string_value(json_object_get(it, "id")),
           json_string_value(json_object_get(it, "dimension")), json_string_value(json_object_get(it, "name")),
           (int)json_integer_value(json_object_get(it, "weight")),
           json_string_value(json_object_get(it, "result_label")), json_string_value(json_object_get(it, "why")));
    }
    tx(b, TXT(r), T_SCORE_TAIL);
    json_decref(score);
}
