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

static void action_form(js_buf *b, const js_req *r, int64_t id, const char *action, const char *button,
                        const char *field, const char *label)
{
    js_buf_printf(b, "<form method=\"post\" action=\"/version/%lld/%s\" class=\"stack action\">", (long long)id, action);
    page_csrf(b, r);
    if (field)
        js_buf_printf(b, "<label>%s <textarea name=\"%s\" rows=\"3\" required></textarea></label>", label, field);
    js_buf_printf(b, "<button type=\"submit\">%s</button></form>", button);
}

/* The same department's previous version (number below) and its latest
 * published version of the previous year. */
static void neighbours(js_req *r, const js_store_version *v, int64_t *prev, int64_t *last_year)
{
    js_store_version *all = NULL;
    size_t n = 0;
    js_diag d = {0};
    *prev = *last_year = 0;
    if (js_store_version_list(r->store, v->dept_id, v->year, &all, &n, &d) == JS_OK)
        for (size_t i = 0; i < n && !*prev; i++) /* newest first */
            if (all[i].number < v->number)
                *prev = all[i].id;
    js_store_version_list_free(all, n);
    if (js_store_version_list(r->store, v->dept_id, v->year - 1, &all, &n, &d) == JS_OK)
        for (size_t i = 0; i < n && !*last_year; i++)
            if (all[i].state == JS_V_PUBLISHED)
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
    js_buf_puts(b, "<h2>审核意见</h2><ul class=\"comments\">");
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
    js_buf_puts(&b, "<h1>");
    html(&b, dept.name);
    js_buf_printf(&b, " %d 年度 第 %d 版</h1><dl class=\"facts\"><dt>状态</dt><dd class=\"state\">%s</dd><dt>文件</dt><dd>",
                  v.year, v.number, js_vstate_name(v.state));
    html(&b, v.filename);
    char up[24];
    datetime_text(v.uploaded_at, up);
    js_buf_printf(&b, "（%lld 字节，SHA-256 <code>%.16s…</code>）</dd><dt>上传</dt><dd>%s</dd>"
                      "<dt>审核结果</dt><dd>错误 %d，核实 %d，提示 %d</dd>",
                  (long long)v.size, v.sha256, up, v.errors, v.verifies, v.infos);
    if (v.corrects && v.reason) {
        js_buf_puts(&b, "<dt>更正原因</dt><dd>");
        html(&b, v.reason);
        js_buf_puts(&b, "</dd>");
    }
    js_buf_puts(&b, "</dl>");
    if (v.state != JS_V_PUBLISHED && v.state != JS_V_CORRECTED)
        js_buf_printf(&b, "<p><a href=\"/version/%lld/draft.html\">查看报告草稿</a></p>", (long long)v.id);
    else
        js_buf_printf(&b, "<p><a href=\"/%d/%s/v%d/\">查看公开页面</a></p>", v.year, dept.code, v.number);
    comments(r, &b, v.id);
    js_buf_puts(&b, "<h2 id=\"findings\">审核发现</h2>");
    int missing = findings_view(r, &b, &v, editable);
    /* what this user may do now */
    if (editable) {
        if (v.errors)
            js_buf_puts(&b, "<p class=\"error\">有错误，不能提交。请修改工作簿后重新上传。</p>");
        else if (missing)
            js_buf_printf(&b, "<p class=\"error\">还有 %d 个需要核实的问题没有书面说明。</p>", missing);
        else
            action_form(&b, r, v.id, "submit", "提交审核", NULL, NULL);
    }
    if ((roles & JS_ROLE_REVIEWER) && v.state == JS_V_SUBMITTED) {
        int64_t prev, last_year;
        neighbours(r, &v, &prev, &last_year);
        diff_versions(r, &b, prev, v.id, "与上一版本的差异");
        diff_versions(r, &b, last_year, v.id, "与上年度公开版本的差异");
        js_buf_puts(&b, "<h2>审核</h2>");
        if (v.uploaded_by == r->user.id)
            js_buf_puts(&b, "<p class=\"note\">这是您本人上传的版本，须由其他审核人员审核。</p>");
        else
            action_form(&b, r, v.id, "approve", "审核通过", NULL, NULL);
        action_form(&b, r, v.id, "return", "退回修改", "comment", "退回意见");
    }
    if ((roles & JS_ROLE_PUBLISHER) && v.state == JS_V_APPROVED)
        action_form(&b, r, v.id, "publish", "发布", NULL, NULL);
    if ((roles & JS_ROLE_PUBLISHER) && v.state == JS_V_PUBLISHED)
        action_form(&b, r, v.id, "withdraw", "撤回", "reason", "撤回原因");
    char title[300];
    snprintf(title, sizeof title, "%s 第 %d 版", dept.name, v.number);
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
    js_status st = version_build(r->store, r->srv->shared, v.id, true, &tmp, &d);
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
        page_fail(r, 422, msg[0] ? msg : "无法生成报告草稿。");
    } else {
        /* the mark, right after <body…> */
        const char *body = strstr(text, "<body");
        const char *gt = body ? strchr(body, '>') : NULL;
        size_t at = gt ? (size_t)(gt + 1 - text) : 0;
        js_buf_append(&r->body, text, at);
        js_buf_printf(&r->body, "<p role=\"note\"><strong>【草稿】第 %d 版（%s），尚未公开</strong></p>",
                      v.number, js_vstate_name(v.state));
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
            rc = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "退回须写明意见（不超过 8000 字节）。");
        else
            rc = js_store_return(r->store, r->user.id, v.id, comment, req_now(), &d);
    } else if (which == 1)
        rc = js_store_approve(r->store, r->user.id, v.id, req_now(), &d);
    else if (which == 2) {
        if (!reason || !*reason || strlen(reason) > 8000)
            rc = js_diag_set(&d, JS_E_INPUT, NULL, 0, 0, NULL, "撤回须写明原因（不超过 8000 字节）。");
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
        rc = version_publish(r->store, r->srv->shared, r->user.id, v.id, &d);
    else
        js_diag_set(&d, JS_E_USAGE, NULL, 0, 0, NULL, "只有已审核的版本可以发布。");
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

static void queue(js_req *r, js_buf *b, js_vstate st, const char *heading)
{
    js_store_version *v = NULL;
    size_t n = 0;
    js_diag d = {0};
    js_buf_printf(b, "<h2>%s</h2>", heading);
    if (js_store_version_list_state(r->store, st, 0, &v, &n, &d) != JS_OK || !n) {
        js_buf_puts(b, "<p>无。</p>");
        js_store_version_list_free(v, n);
        return;
    }
    js_buf_puts(b, "<table class=\"list\"><thead><tr><th>部门</th><th>版本</th><th>审核结果</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        js_store_dept dept;
        char code[32];
        snprintf(code, sizeof code, "%lld", (long long)v[i].dept_id);
        bool named = js_store_dept_get(r->store, code, &dept, &d) == JS_OK;
        js_buf_puts(b, "<tr><td>");
        html(b, named ? dept.name : "");
        js_buf_printf(b, "</td><td><a href=\"/version/%lld\">%d 年度 第 %d 版</a></td><td>错误 %d，核实 %d</td></tr>",
                      (long long)v[i].id, v[i].year, v[i].number, v[i].errors, v[i].verifies);
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
    js_buf_puts(&b, "<h1>审核与发布</h1>");
    if (r->user.roles & JS_ROLE_REVIEWER)
        queue(r, &b, JS_V_SUBMITTED, "待审核");
    if (r->user.roles & JS_ROLE_PUBLISHER) {
        queue(r, &b, JS_V_APPROVED, "已审核，待发布");
        queue(r, &b, JS_V_PUBLISHED, "已发布（可撤回）");
    }
    page_send(r, "审核与发布", &b);
    js_buf_release(&b);
}
