/* One version as the staff see it (findings, explanations, comments, the
 * differences from the previous version and the previous year, the draft
 * report) with the actions its state and the user's roles allow: submit,
 * return, approve, publish, withdraw; and the queue of the finance
 * bureau (审核 and 发布). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/output.h"
#include "serve_internal.h"

static void action_form(js_buf *b, const js_req *r, int64_t id, const char *action, text_id button,
                        const char *field, text_id label)
{
    js_buf_printf(b, "<form method=\"post\" action=\"/version/%lld/%s\" class=\"stack action\">", (long long)id, action);
    page_csrf(b, r);
    if (field)
        tx(b, TXT(r), T_ACTION_FIELD, tx_str(TXT(r), label), field);
    tx(b, TXT(r), T_ACTION_BUTTON, tx_str(TXT(r), button));
}

/* The same department's previous version of the phase (number below) and
 * its latest published version of the phase in the previous year. */
static void neighbours(js_req *r, const js_store_version *v, int64_t *prev, int64_t *last_year)
{
    js_store_version *all = NULL;
    size_t n = 0;
    js_diag d = {0};
    *prev = *last_year = 0;
    if (js_store_version_list(r->store, v->dept_id, v->year, &all, &n, &d) == JS_OK)
        for (size_t i = 0; i < n && !*prev; i++) /* newest first */
            if (all[i].number < v->number && all[i].phase == v->phase)
                *prev = all[i].id;
    js_store_version_list_free(all, n);
    if (js_store_version_list(r->store, v->dept_id, v->year - 1, &all, &n, &d) == JS_OK)
        for (size_t i = 0; i < n && !*last_year; i++)
            if (all[i].state == JS_V_PUBLISHED && all[i].phase == v->phase)
                *last_year = all[i].id;
    js_store_version_list_free(all, n);
}

static void comments(js_req *r, js_buf *b, int64_t id)
{
    js_store_comment *c = NULL;
    size_t n = 0;
    js_diag d = {0};
    if (js_store_comments(r->store, id, &c, &n, &d) != JS_OK || !n) {
        js_store_comment_list_free(c, n);
        return;
    }
    tx(b, TXT(r), T_COMMENTS_HEAD);
    for (size_t i = 0; i < n; i++) {
        char at[24];
        datetime_text(c[i].at, at);
        js_store_user u;
        bool named = js_store_user_get(r->store, c[i].author, &u, &d) == JS_OK;
        js_buf_printf(b, "<li><span class=\"note\">%s ", at);
        html(b, named ? u.display : "");
        js_buf_puts(b, "</span><br>");
        js_buf_html(b, c[i].text, true);
        js_buf_puts(b, "</li>");
        if (named)
            js_store_user_free(&u);
    }
    js_buf_puts(b, "</ul>");
    js_store_comment_list_free(c, n);
}

void h_version(js_req *r)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    unsigned roles = r->user.roles;
    bool own = (roles & JS_ROLE_PREPARER) && r->user.dept_id == v.dept_id;
    bool editable = own && (v.state == JS_V_DRAFT || v.state == JS_V_RETURNED);
    js_buf b;
    js_buf_init(&b, 1 << 24);
    char up[24], sha[17];
    datetime_text(v.uploaded_at, up);
    snprintf(sha, sizeof sha, "%.16s", v.sha256);
    tx(&b, TXT(r), T_VERSION_HEAD, dept.name, v.year,
       tx_str(TXT(r), v.phase == JS_PHASE_BUDGET ? T_PHASE_BUDGET : T_PHASE_FINAL), v.number,
       js_vstate_name(v.state), v.filename, (long long)v.size, sha, up, v.errors, v.verifies, v.infos);
    if (v.phase == JS_PHASE_BUDGET && v.approval_date[0])
        tx(&b, TXT(r), T_PHASE_APPROVAL_FACT, v.approval_date);
    else if (v.phase == JS_PHASE_BUDGET)
        tx(&b, TXT(r), T_PHASE_APPROVAL_NONE);
    if (v.corrects && v.reason)
        tx(&b, TXT(r), T_VERSION_REASON, v.reason);
    js_buf_puts(&b, "</dl>");
    if (v.state != JS_V_PUBLISHED && v.state != JS_V_CORRECTED)
        tx(&b, TXT(r), T_VERSION_DRAFT_LINK, (long long)v.id);
    else
        tx(&b, TXT(r), T_VERSION_PUBLIC_LINK, v.year, dept.code, v.number);
    comments(r, &b, v.id);
    tx(&b, TXT(r), T_VERSION_FINDINGS);
    int missing = findings_view(r, &b, &v, editable);
    /* what this user may do now */
    if (editable) {
        if (v.errors)
            tx(&b, TXT(r), T_VERSION_HAS_ERRORS);
        else if (missing)
            tx(&b, TXT(r), T_VERSION_MISSING, missing);
        else
            action_form(&b, r, v.id, "submit", T_ACT_SUBMIT, NULL, T_ACT_SUBMIT);
    }
    if ((roles & JS_ROLE_REVIEWER) && v.state == JS_V_SUBMITTED) {
        int64_t prev, last_year;
        neighbours(r, &v, &prev, &last_year);
        diff_versions(r, &b, prev, v.id, tx_str(TXT(r), T_DIFF_PREVIOUS));
        diff_versions(r, &b, last_year, v.id, tx_str(TXT(r), T_DIFF_LAST_YEAR));
        tx(&b, TXT(r), T_REVIEW_HEAD);
        if (v.uploaded_by == r->user.id)
            tx(&b, TXT(r), T_REVIEW_OWN);
        else
            action_form(&b, r, v.id, "approve", T_ACT_APPROVE, NULL, T_ACT_APPROVE);
        action_form(&b, r, v.id, "return", T_ACT_RETURN, "comment", T_ACT_RETURN_FIELD);
    }
    if ((roles & JS_ROLE_PUBLISHER) && v.state == JS_V_APPROVED)
        action_form(&b, r, v.id, "publish", T_ACT_PUBLISH, NULL, T_ACT_PUBLISH);
    if ((roles & JS_ROLE_PUBLISHER) && v.state == JS_V_PUBLISHED)
        action_form(&b, r, v.id, "withdraw", T_ACT_WITHDRAW, "reason", T_ACT_WITHDRAW_FIELD);
    char title[300];
    tx_msg(title, sizeof title, TXT(r), T_VERSION_TITLE, dept.name, v.number);
    page_send(r, title, &b);
    js_buf_release(&b);
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}

void h_draft(js_req *r)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    char *tmp = NULL;
    js_diag d = {0};
    js_status st = version_build(r->srv->phases, r->store, r->srv->shared, v.id, true, NULL, &tmp, &d);
    char path[1200];
    char *text = NULL;
    size_t len = 0;
    if (st == JS_OK) {
        snprintf(path, sizeof path, "%s/out/report.html", tmp);
        st = js_read_file(path, JS_MAX_OUTPUT_BYTES, &text, &len, &d);
    }
    rm_tree(tmp);
    free(tmp);
    if (st != JS_OK) {
        char msg[1024];
        js_diag_format(&d, msg, sizeof msg);
        page_fail(r, 422, msg[0] ? msg : tx_str(TXT(r), T_DRAFT_FAILED));
    } else {
        /* the mark, right after <body…> */
        const char *body = strstr(text, "<body");
        const char *gt = body ? strchr(body, '>') : NULL;
        size_t at = gt ? (size_t)(gt + 1 - text) : 0;
        js_buf_append(&r->body, text, at);
        tx(&r->body, TXT(r), T_DRAFT_MARK, v.number, js_vstate_name(v.state));
        js_buf_append(&r->body, text + at, len - at);
        /* its inline style, allowed by hash */
        report_style_hash(r, text, len);
        r->status = 200;
        r->ctype = "text/html; charset=utf-8";
    }
    free(text);
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}

static void transition(js_req *r, int which)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    js_diag d = {0};
    int rc = JS_OK;
    const char *comment = req_field(r, "comment"), *reason = req_field(r, "reason");
    if (which == 0) {
        if (!comment || !*comment || strlen(comment) > 8000)
            rc = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "%s", tx_str(TXT(r), T_RETURN_NO_COMMENT));
        else
            rc = js_store_return(r->store, r->user.id, v.id, comment, req_now(), &d);
    } else if (which == 1)
        rc = js_store_approve(r->store, r->user.id, v.id, req_now(), &d);
    else if (which == 2) {
        if (!reason || !*reason || strlen(reason) > 8000)
            rc = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "%s", tx_str(TXT(r), T_WITHDRAW_NO_REASON));
        else
            rc = js_store_withdraw(r->store, r->user.id, v.id, reason, req_now(), &d);
        if (rc == JS_OK)
            bundle_refresh(r->store, v.id);
    }
    if (rc != JS_OK)
        page_store_fail(r, rc, &d);
    else {
        char loc[64];
        snprintf(loc, sizeof loc, "/version/%lld", (long long)v.id);
        page_redirect(r, loc);
    }
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}

void h_return(js_req *r) { transition(r, 0); }
void h_approve(js_req *r) { transition(r, 1); }
void h_withdraw(js_req *r) { transition(r, 2); }

void h_publish(js_req *r)
{
    js_store_version v;
    js_store_dept dept;
    if (!version_for(r, 0, &v, &dept))
        return;
    js_diag d = {0};
    int rc = JS_STORE_CONFLICT;
    if (v.state == JS_V_APPROVED)
        rc = version_publish(r->srv->phases, r->store, r->srv->shared, r->user.id, v.id, &d);
    else
        js_diag_set(&d, JS_E_USAGE, NULL, 0, 0, NULL, "%s", tx_str(TXT(r), T_PUBLISH_NOT_APPROVED));
    if (rc != JS_OK)
        page_store_fail(r, rc, &d);
    else {
        char loc[200];
        snprintf(loc, sizeof loc, "/%d/%s/v%d/", v.year, dept.code, v.number);
        page_redirect(r, loc);
    }
    js_store_version_free(&v);
    js_store_dept_free(&dept);
}

static void queue(js_req *r, js_buf *b, js_vstate st, text_id heading)
{
    js_store_version *v = NULL;
    size_t n = 0;
    js_diag d = {0};
    tx(b, TXT(r), T_QUEUE_HEAD, tx_str(TXT(r), heading));
    if (js_store_version_list_state(r->store, st, 0, &v, &n, &d) != JS_OK || !n) {
        tx(b, TXT(r), T_QUEUE_EMPTY);
        js_store_version_list_free(v, n);
        return;
    }
    tx(b, TXT(r), T_QUEUE_TABLE);
    for (size_t i = 0; i < n; i++) {
        js_store_dept dept;
        char code[32];
        snprintf(code, sizeof code, "%lld", (long long)v[i].dept_id);
        bool named = js_store_dept_get(r->store, code, &dept, &d) == JS_OK;
        tx(b, TXT(r), T_QUEUE_ROW, named ? dept.name : "", (long long)v[i].id, v[i].year,
           tx_str(TXT(r), v[i].phase == JS_PHASE_BUDGET ? T_PHASE_BUDGET : T_PHASE_FINAL), v[i].number, v[i].errors,
           v[i].verifies);
        if (named)
            js_store_dept_free(&dept);
    }
    js_buf_puts(b, "</tbody></table>");
    js_store_version_list_free(v, n);
}

void h_review(js_req *r)
{
    js_buf b;
    js_buf_init(&b, 1 << 24);
    js_buf_puts(&b, "<h1>");
    html(&b, tx_str(TXT(r), T_REVIEW_TITLE));
    js_buf_puts(&b, "</h1>");
    if (r->user.roles & JS_ROLE_REVIEWER)
        queue(r, &b, JS_V_SUBMITTED, T_QUEUE_SUBMITTED);
    if (r->user.roles & JS_ROLE_PUBLISHER) {
        queue(r, &b, JS_V_APPROVED, T_QUEUE_APPROVED);
        queue(r, &b, JS_V_PUBLISHED, T_QUEUE_PUBLISHED);
    }
    page_send(r, tx_str(TXT(r), T_REVIEW_TITLE), &b);
    js_buf_release(&b);
}
