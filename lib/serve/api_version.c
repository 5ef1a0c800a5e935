/* The read API's view of one published version, at
 * /api/v1/versions/:year/:dept/:v: its facts and files, its tables (the
 * stored tables.json), its findings (as reviewed, with the written
 * explanation of each 核实 finding) and its long table (the stored
 * tables-long.csv). A withdrawn version's content answers 410 with the
 * reason; anything never published, 404. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

void api_one_free(api_one *o)
{
    js_store_version_list_free(o->all, o->n);
    js_store_dept_free(&o->dept);
    free(o->peers);
}

json_t *api_of(const api_one *o, json_t *body)
{
    json_t *out = json_pack("{s:{s:i,s:{s:s,s:s},s:i,s:s}}", "of", "year", o->v->year, "department", "code",
                            o->dept.code, "name", o->dept.name, "number", o->v->number, "phase",
                            js_phase_id(o->v->phase));
    json_object_update(out, body);
    json_decref(body);
    return out;
}

bool api_one_load(js_req *r, api_one *o, bool content)
{
    static const char *const allowed[] = {NULL};
    memset(o, 0, sizeof *o);
    if (!api_query_ok(r, allowed))
        return false;
    js_diag d = {0};
    int year = atoi(r->param[0]), number = atoi(r->param[2] + 1);
    if (js_store_dept_get(r->store, r->param[1], &o->dept, &d) != JS_OK) {
        api_fail_text(r, 404, T_API_NO_VERSION);
        return false;
    }
    if (js_store_version_list(r->store, o->dept.id, year, &o->all, &o->n, &d) != JS_OK ||
        !(o->peers = malloc((o->n ? o->n : 1) * sizeof *o->peers))) {
        api_one_free(o);
        api_fail_text(r, 500, T_API_VERSION_UNREADABLE);
        return false;
    }
    for (size_t i = 0; i < o->n; i++) {
        o->peers[i] = &o->all[i];
        if (o->all[i].number == number)
            o->v = &o->all[i];
    }
    js_vstate st = o->v ? o->v->state : JS_V_DRAFT;
    if (st == JS_V_WITHDRAWN && content) {
        char msg[600];
        api_fail(r, 410, tx_msg(msg, sizeof msg, TXT(r), T_API_WITHDRAWN, o->v->reason ? o->v->reason : ""));
    } else if (st != JS_V_PUBLISHED && st != JS_V_CORRECTED && st != JS_V_WITHDRAWN)
        api_fail_text(r, 404, T_API_NO_VERSION);
    else
        return true;
    api_one_free(o);
    return false;
}

void h_api_version(js_req *r)
{
    api_one o;
    if (!api_one_load(r, &o, false))
        return;
    json_t *root = api_version_json(r, &o.dept, o.v, o.peers, o.n);
    json_t *files = json_array();
    js_store_output *out = NULL;
    size_t n = 0;
    js_diag d = {0};
    if (o.v->state != JS_V_WITHDRAWN && js_store_output_list(r->store, o.v->id, &out, &n, &d) == JS_OK)
        for (size_t i = 0; i < n; i++) {
            char url[240];
            snprintf(url, sizeof url, "/%d/%s/v%d/%s", o.v->year, o.dept.code, o.v->number, out[i].name);
            json_array_append_new(files, json_pack("{s:s,s:s,s:I,s:s,s:s}", "name", out[i].name, "content_type",
                                                   out[i].content_type, "size", (json_int_t)out[i].size,
                                                   "sha256", out[i].sha256, "url", url));
        }
    js_store_output_list_free(out, n);
    json_object_set_new(root, "files", files);
    api_one_free(&o);
    api_send_json(r, root, API_CACHE_VERSION);
}

/* Serves the stored output name of the address's version. */
static void serve_output(js_req *r, const char *name, const char *ctype)
{
    api_one o;
    if (!api_one_load(r, &o, true))
        return;
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    char sha[65];
    bool found = stored_output(r, o.v->id, name, &b, sha);
    if (found)
        api_send_bytes(r, b.data, b.len, ctype, sha, API_CACHE_VERSION);
    else
        api_fail_text(r, 404, T_API_NO_FILE);
    if (found && strstr(ctype, "csv"))
        snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s-%d-v%d-%s\"", o.dept.code,
                 o.v->year, o.v->number, name);
    js_buf_release(&b);
    api_one_free(&o);
}

void h_api_tables(js_req *r) { serve_output(r, "tables.json", "application/json; charset=utf-8"); }

void h_api_long(js_req *r) { serve_output(r, "tables-long.csv", "text/csv; charset=utf-8"); }

void h_api_findings(js_req *r)
{
    api_one o;
    if (!api_one_load(r, &o, true))
        return;
    char *text = NULL;
    js_store_note *notes = NULL;
    size_t nn = 0;
    js_diag d = {0};
    json_t *root = NULL;
    if (js_store_version_findings(r->store, o.v->id, &text, &d) == JS_OK &&
        js_store_explanations(r->store, o.v->id, &notes, &nn, &d) == JS_OK)
        root = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    free(text);
    json_t *findings = json_object_get(root, "findings"), *seen = json_object(), *f;
    size_t i;
    json_array_foreach(findings, i, f) {
        char key[512];
        finding_key(f, seen, key, sizeof key);
        const char *note = NULL;
        for (size_t k = 0; k < nn && !note; k++)
            if (!strcmp(notes[k].key, key))
                note = notes[k].text;
        json_object_set_new(f, "explanation", api_str(note));
    }
    json_decref(seen);
    js_store_note_list_free(notes, nn);
    if (!json_is_array(findings)) {
        json_decref(root);
        api_fail_text(r, 500, T_API_FINDINGS_UNREADABLE);
    } else {
        api_send_json(r, api_of(&o, root), API_CACHE_VERSION);
    }
    api_one_free(&o);
}
