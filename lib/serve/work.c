/* The preparer's side (填报): the department's page with the upload form
 * and its versions, uploading (the audit runs at once), the findings of a
 * version with the written explanation each 核实 finding needs, and
 * submission. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"
#include "serve_internal.h"

static void version_row(js_buf *b, const js_text *t, const js_store_version *v)
{
    char up[24];
    datetime_text(v->uploaded_at, up);
    tx(b, t, T_VERSION_ROW, (long long)v->id, v->year,
       tx_str(t, v->phase == JS_PHASE_BUDGET ? T_PHASE_BUDGET : T_PHASE_FINAL), v->number, js_vstate_name(v->state), v->filename, up,
       v->errors, v->verifies, v->infos);
}

void version_table(js_buf *b, const js_text *t, const js_store_version *v, size_t n)
{
    tx(b, t, T_VERSION_TABLE);
    for (size_t i = 0; i < n; i++)
        version_row(b, t, &v[i]);
    js_buf_puts(b, "</tbody></table>");
}

void h_work(js_req *r)
{
    js_store_dept dept;
    js_diag d = {0};
    char code[32];
    snprintf(code, sizeof code, "%lld", (long long)r->user.dept_id);
    if (!r->user.dept_id || js_store_dept_get(r->store, code, &dept, &d) != JS_OK) {
        page_fail_text(r, 403, T_WORK_NO_DEPT);
        return;
    }
    js_store_version *v = NULL;
    size_t n = 0;
    js_store_version_list(r->store, dept.id, 0, &v, &n, &d);
    js_buf b;
    js_buf_init(&b, 1 << 24);
    js_buf csrf;
    js_buf_init(&csrf, 1024);
    page_csrf(&csrf, r);
    tx(&b, TXT(r), T_WORK_HEAD, dept.name, csrf.data ? csrf.data : "", r->srv->max_upload >> 20);
    tx(&b, TXT(r), T_PHASE_WORK_FIELD);
    js_buf_release(&csrf);
    bool any_published = false;
    for (size_t i = 0; i < n; i++)
        any_published |= v[i].state == JS_V_PUBLISHED;
    if (any_published) {
        tx(&b, TXT(r), T_WORK_CORRECT_HEAD);
        for (size_t i = 0; i < n; i++)
            if (v[i].state == JS_V_PUBLISHED)
                tx(&b, TXT(r), T_WORK_CORRECT_OPTION, (long long)v[i].id, v[i].year, phase_label(r, v[i].phase),
                   v[i].number);
        tx(&b, TXT(r), T_WORK_CORRECT_TAIL);
    }
    tx(&b, TXT(r), T_WORK_FORM_TAIL);
    if (n)
        version_table(&b, TXT(r), v, n);
    else
        tx(&b, TXT(r), T_WORK_NONE);
    js_store_version_list_free(v, n);
    page_send(r, dept.name, &b);
    js_buf_release(&b);
    js_store_dept_free(&dept);
}

/* Whether the workbook's 部门名称 (dname) names the department the
 * preparer uploads for (the same text, leading and trailing spaces
 * aside); else a 422 page saying both is sent. */
static bool same_department(js_req *r, const char *dname)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)r->user.dept_id);
    js_store_dept dept = {0};
    js_diag d = {0};
    if (js_store_dept_get(r->store, id, &dept, &d) != JS_OK) {
        page_fail_text(r, 403, T_UPLOAD_NO_DEPT);
        return false;
    }
    size_t a = strspn(dname, " \t"), n = strlen(dname + a);
    while (n && (dname[a + n - 1] == ' ' || dname[a + n - 1] == '\t'))
        n--;
    bool same = n && strlen(dept.name) == n && !memcmp(dept.name, dname + a, n);
    if (!same) {
        char msg[1024];
        char got[512];
        snprintf(got, sizeof got, "%.*s", (int)(n > 400 ? 400 : n), dname + a);
        if (n)
            tx_msg(msg, sizeof msg, TXT(r), T_UPLOAD_OTHER_DEPT, got, dept.name);
        else
            tx_msg(msg, sizeof msg, TXT(r), T_UPLOAD_NO_DEPT_NAME, dept.name);
        page_fail(r, 422, msg);
    }
    js_store_dept_free(&dept);
    return same;
}

void h_upload(js_req *r)
{
    const js_field *f = req_file(r, "file");
    const char *corrects_s = req_field(r, "corrects"), *reason = req_field(r, "reason");
    const char *phase_s = req_field(r, "phase");
    js_diag d = {0};
    int64_t corrects = 0;
    upload_facts facts = {.phase = phase_s && *phase_s ? js_phase_parse(phase_s) : -1};
    if (!f || !f->value.len) {
        page_fail_text(r, 400, T_UPLOAD_NO_FILE);
        return;
    }
    if (phase_s && *phase_s && facts.phase < 0) {
        page_fail_text(r, 400, T_PHASE_BAD);
        return;
    }
    if (corrects_s && *corrects_s && !parse_id(corrects_s, &corrects)) {
        page_fail_text(r, 400, T_UPLOAD_BAD_CORRECTS);
        return;
    }
    if (corrects && (!reason || !*reason)) {
        page_fail_text(r, 400, T_UPLOAD_NO_REASON);
        return;
    }
    char *tmp = NULL, *path = NULL;
    js_buf json;
    js_buf_init(&json, JS_MAX_OUTPUT_BYTES);
    int counts[3] = {0};
    js_status st = upload_stage(f->value.data, f->value.len, &tmp, &path, &d);
    if (st == JS_OK)
        st = upload_audit(r->srv->phases, r->srv->shared, path, tmp, &json, counts, &facts, &d);
    int year = facts.year;
    rm_tree(tmp);
    free(tmp);
    free(path);
    if (st != JS_OK) {
        char msg[1024];
        js_diag_format(&d, msg, sizeof msg);
        js_buf_release(&json);
        page_fail(r, st == JS_E_INPUT || st == JS_E_LIMIT ? 422 : 500, msg[0] ? msg : tx_str(TXT(r), T_UPLOAD_UNREADABLE));
        return;
    }
    if (!same_department(r, facts.dept)) {
        js_buf_release(&json);
        return;
    }
    if (corrects) {
        js_store_version old;
        bool ok = js_store_version_get(r->store, corrects, &old, &d) == JS_OK;
        ok = ok && old.dept_id == r->user.dept_id && old.state == JS_V_PUBLISHED && old.year == year &&
             (int)old.phase == facts.phase;
        if (ok || old.id)
            js_store_version_free(&old);
        if (!ok) {
            js_buf_release(&json);
            page_fail_text(r, 409, T_UPLOAD_CORRECTS_SCOPE);
            return;
        }
    }
    const char *name = f->filename && *f->filename ? f->filename : "workbook";
    int64_t id = 0;
    int rc = js_store_version_add_phase(r->store, r->user.id, r->user.dept_id, year, (js_phase)facts.phase,
                                        facts.approval_date, name, f->value.data, f->value.len, json.data,
                                        counts[0], counts[1], counts[2], corrects, corrects ? reason : NULL,
                                        req_now(), &id, &d);
    js_buf_release(&json);
    if (rc != JS_OK) {
        page_store_fail(r, rc, &d);
        return;
    }
    char loc[64];
    snprintf(loc, sizeof loc, "/version/%lld", (long long)id);
    page_redirect(r, loc);
}

/* ---- findings ---- */

/* The key naming finding f (rule, location, and its rank among findings
 * with the same two), as explanations are stored under. */
void finding_key(json_t *f, json_t *seen, char *key, size_t cap)
{
    json_t *loc = json_object_get(f, "location");
    const char *rule = json_string_value(json_object_get(f, "rule"));
    const char *file = json_string_value(json_object_get(loc, "file"));
    const char *table = json_string_value(json_object_get(loc, "table"));
    const char *row = json_string_value(json_object_get(loc, "row"));
    const char *col = json_string_value(json_object_get(loc, "column"));
    json_int_t line = json_integer_value(json_object_get(loc, "line"));
    char base[400];
    snprintf(base, sizeof base, "%s|%s:%lld|%s/%s/%s", rule ? rule : "", file ? file : "", (long long)line,
             table ? table : "", row ? row : "", col ? col : "");
    json_int_t k = json_integer_value(json_object_get(seen, base)) + 1;
    json_object_set_new(seen, base, json_integer(k));
    snprintf(key, cap, "%s#%lld", base, (long long)k);
}

static const char *note_for(const js_store_note *notes, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(notes[i].key, key))
            return notes[i].text;
    return NULL;
}

static void location_text(js_buf *b, const js_text *t, json_t *loc)
{
    const char *file = json_string_value(json_object_get(loc, "file"));
    const char *table = json_string_value(json_object_get(loc, "table"));
    const char *row = json_string_value(json_object_get(loc, "row"));
    const char *row_name = json_string_value(json_object_get(loc, "row_name"));
    const char *col = json_string_value(json_object_get(loc, "column"));
    json_int_t line = json_integer_value(json_object_get(loc, "line"));
    if (table && *table) {
        tx(b, t, T_LOC_TABLE, table);
        if (row && *row) {
            tx(b, t, T_LOC_ROW, row);
            if (row_name && *row_name)
                tx(b, t, T_LOC_ROW_NAME, row_name);
        }
        if (col && *col)
            tx(b, t, T_LOC_COLUMN, col);
    } else if (file && *file) {
        html(b, file);
        if (line)
            tx(b, t, T_LOC_LINE, (long long)line);
    } else
        tx(b, t, T_LOC_WORKBOOK);
}

/* Counts the 核实 findings without an explanation. With b, also writes
 * the findings (with explanation forms when editable). */
int findings_view(js_req *r, js_buf *b, const js_store_version *v, bool editable)
{
    char *json = NULL;
    js_store_note *notes = NULL;
    size_t nn = 0;
    js_diag d = {0};
    if (js_store_version_findings(r->store, v->id, &json, &d) != JS_OK)
        return -1;
    js_store_explanations(r->store, v->id, &notes, &nn, &d);
    json_t *root = json_loads(json, 0, NULL), *seen = json_object();
    free(json);
    int missing = 0;
    size_t i;
    json_t *f;
    static const char *const sev_names[] = {"error", "verify", "info"};
    static const text_id sev_labels[] = {T_SEV_ERROR, T_SEV_VERIFY, T_SEV_INFO};
    if (b)
        js_buf_puts(b, "<ol class=\"findings\">");
    json_array_foreach(json_object_get(root, "findings"), i, f) {
        const char *sev = json_string_value(json_object_get(f, "severity"));
        int s = 2;
        for (int k = 0; k < 3; k++)
            if (sev && !strcmp(sev, sev_names[k]))
                s = k;
        char key[512];
        finding_key(f, seen, key, sizeof key);
        const char *note = note_for(notes, nn, key);
        if (s == 1 && (!note || !*note))
            missing++;
        if (!b)
            continue;
        js_buf_printf(b, "<li class=\"%s\"><span class=\"sev\">%s</span> <code>", sev_names[s], tx_str(TXT(r), sev_labels[s]));
        html(b, json_string_value(json_object_get(f, "rule")));
        js_buf_puts(b, "</code> ");
        html(b, json_string_value(json_object_get(f, "message")));
        tx(b, TXT(r), T_FINDING_LOCATION);
        location_text(b, TXT(r), json_object_get(f, "location"));
        js_buf_puts(b, "</span>");
        if (s == 1) {
            if (editable) {
                js_buf_printf(b, "<form method=\"post\" action=\"/version/%lld/explain\" class=\"explain\">",
                              (long long)v->id);
                page_csrf(b, r);
                js_buf_puts(b, "<input type=\"hidden\" name=\"key\" value=\"");
                html(b, key);
                tx(b, TXT(r), T_FINDING_EXPLAIN, note);
            } else {
                tx(b, TXT(r), T_FINDING_EXPLAINED);
                if (note && *note)
                    js_buf_html(b, note, true);
                else
                    tx(b, TXT(r), T_FINDING_UNEXPLAINED);
                js_buf_puts(b, "</p>");
            }
        }
        js_buf_puts(b, "</li>");
    }
    if (b) {
        if (!i)
            tx(b, TXT(r), T_FINDING_NONE);
        js_buf_puts(b, "</ol>");
    }
    json_decref(root);
    json_decref(seen);
    js_store_note_list_free(notes, nn);
    return missing;
}

void h_explain(js_req *r)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    const char *key = req_field(r, "key"), *text = req_field(r, "text");
    js_diag d = {0};
    int rc = JS_OK;
    if (v.dept_id != r->user.dept_id)
        page_fail_text(r, 404, T_ERR_NO_VERSION);
    else if (!key || !text || !*text || strlen(key) > 600 || strlen(text) > 8000)
        page_fail_text(r, 400, T_EXPLAIN_EMPTY);
    else if ((rc = js_store_explain(r->store, r->user.id, v.id, key, text, &d)) != JS_OK)
        page_store_fail(r, rc, &d);
    else {
        char loc[64];
        snprintf(loc, sizeof loc, "/version/%lld", (long long)v.id);
        page_redirect(r, loc);
    }
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}

void h_submit(js_req *r)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    js_diag d = {0};
    int rc, missing;
    if (v.dept_id != r->user.dept_id)
        page_fail_text(r, 404, T_ERR_NO_VERSION);
    else if (v.errors > 0)
        page_fail_text(r, 409, T_SUBMIT_ERRORS);
    else if ((missing = findings_view(r, NULL, &v, false)) != 0)
        page_fail_text(r, 409, missing < 0 ? T_SUBMIT_UNREADABLE : T_SUBMIT_UNEXPLAINED);
    else if ((rc = js_store_submit(r->store, r->user.id, v.id, req_now(), &d)) != JS_OK)
        page_store_fail(r, rc, &d);
    else {
        char loc[64];
        snprintf(loc, sizeof loc, "/version/%lld", (long long)v.id);
        page_redirect(r, loc);
    }
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}
