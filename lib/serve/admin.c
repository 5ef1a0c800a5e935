/* The administrator's pages (管理): users and their roles, departments,
 * and the audit log. Every change goes through the store, which records
 * it in the log. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_internal.h"

static const js_role all_roles[] = {JS_ROLE_PREPARER, JS_ROLE_REVIEWER, JS_ROLE_PUBLISHER, JS_ROLE_ADMIN};

static void roles_text(js_buf *b, unsigned roles)
{
    bool first = true;
    for (size_t i = 0; i < 4; i++)
        if (roles & all_roles[i]) {
            js_buf_printf(b, "%s%s", first ? "" : "、", js_role_name(all_roles[i]));
            first = false;
        }
}

static void role_boxes(js_buf *b)
{
    for (size_t i = 0; i < 4; i++)
        js_buf_printf(b, "<label class=\"inline\"><input type=\"checkbox\" name=\"role%zu\" value=\"1\"> %s</label> ", i,
                      js_role_name(all_roles[i]));
}

static void dept_select(js_buf *b, const js_req *r, const js_store_dept *depts, size_t nd)
{
    tx(b, TXT(r), T_ADMIN_DEPT_SELECT);
    for (size_t i = 0; i < nd; i++) {
        js_buf_printf(b, "<option value=\"%lld\">", (long long)depts[i].id);
        html(b, depts[i].name);
        js_buf_puts(b, "</option>");
    }
    js_buf_puts(b, "</select></label>");
}

void h_admin(js_req *r)
{
    js_store_user *u = NULL;
    js_store_dept *depts = NULL;
    size_t nu = 0, nd = 0;
    js_diag d = {0};
    js_store_user_list(r->store, &u, &nu, &d);
    js_store_dept_list(r->store, &depts, &nd, &d);
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_ADMIN_HEAD);
    for (size_t i = 0; i < nu; i++) {
        js_buf_puts(&b, "<tr><td>");
        html(&b, u[i].login);
        js_buf_puts(&b, "</td><td>");
        html(&b, u[i].display);
        js_buf_puts(&b, "</td><td>");
        roles_text(&b, u[i].roles);
        js_buf_puts(&b, "</td><td>");
        for (size_t k = 0; k < nd; k++)
            if (depts[k].id == u[i].dept_id)
                html(&b, depts[k].name);
        js_buf_printf(&b, "</td><td>%s</td></tr>", tx_str(TXT(r), u[i].disabled ? T_ADMIN_DISABLED : T_ADMIN_ACTIVE));
    }
    tx(&b, TXT(r), T_ADMIN_ADD_USER);
    page_csrf(&b, r);
    tx(&b, TXT(r), T_ADMIN_USER_FIELDS);
    role_boxes(&b);
    dept_select(&b, r, depts, nd);
    tx(&b, TXT(r), T_ADMIN_GRANT);
    page_csrf(&b, r);
    tx(&b, TXT(r), T_ADMIN_LOGIN_FIELD);
    role_boxes(&b);
    dept_select(&b, r, depts, nd);
    tx(&b, TXT(r), T_ADMIN_DISABLE);
    page_csrf(&b, r);
    tx(&b, TXT(r), T_ADMIN_DISABLE_FIELDS);
    for (size_t i = 0; i < nd; i++)
        tx(&b, TXT(r), T_ADMIN_DEPT_ITEM, depts[i].name, depts[i].code, depts[i].profile);
    tx(&b, TXT(r), T_ADMIN_ADD_DEPT);
    page_csrf(&b, r);
    tx(&b, TXT(r), T_ADMIN_DEPT_FIELDS);
    js_store_user_list_free(u, nu);
    js_store_dept_list_free(depts, nd);
    page_send(r, tx_str(TXT(r), T_ADMIN_TITLE), &b);
    js_buf_release(&b);
}

static unsigned roles_of(const js_req *r)
{
    unsigned roles = 0;
    for (size_t i = 0; i < 4; i++) {
        char name[8];
        snprintf(name, sizeof name, "role%zu", i);
        if (req_field(r, name))
            roles |= all_roles[i];
    }
    return roles;
}

static void done(js_req *r, int rc, const js_diag *d)
{
    if (rc != JS_OK)
        page_store_fail(r, rc, d);
    else
        page_redirect(r, "/admin/");
}

static bool text_ok(const char *s, size_t max) { return s && *s && strlen(s) <= max; }

void h_admin_user(js_req *r)
{
    const char *login = req_field(r, "login"), *display = req_field(r, "display"),
               *password = req_field(r, "password"), *dept = req_field(r, "dept");
    int64_t dept_id = 0, id;
    js_diag d = {0};
    if (!text_ok(login, 64) || !text_ok(display, 200) || !text_ok(password, 1000) ||
        (dept && *dept && !parse_id(dept, &dept_id))) {
        page_fail_text(r, 400, T_ADMIN_USER_MISSING);
        return;
    }
    if (strlen(password) < 12) {
        page_fail_text(r, 400, T_ADMIN_PASSWORD_SHORT);
        return;
    }
    done(r, js_store_user_add(r->store, r->user.id, login, display, password, roles_of(r), dept_id, &id, &d), &d);
}

void h_admin_grant(js_req *r)
{
    const char *login = req_field(r, "login"), *dept = req_field(r, "dept");
    int64_t dept_id = 0;
    js_diag d = {0};
    if (!text_ok(login, 64) || (dept && *dept && !parse_id(dept, &dept_id))) {
        page_fail_text(r, 400, T_ADMIN_LOGIN_MISSING);
        return;
    }
    done(r, js_store_user_grant(r->store, r->user.id, login, roles_of(r), dept_id, &d), &d);
}

void h_admin_disable(js_req *r)
{
    const char *login = req_field(r, "login");
    js_diag d = {0};
    if (!text_ok(login, 64)) {
        page_fail_text(r, 400, T_ADMIN_LOGIN_MISSING);
        return;
    }
    done(r, js_store_user_disable(r->store, r->user.id, login, req_field(r, "enable") == NULL, &d), &d);
}

void h_admin_dept(js_req *r)
{
    const char *code = req_field(r, "code"), *name = req_field(r, "name"), *profile = req_field(r, "profile");
    js_diag d = {0};
    int64_t id;
    bool code_ok = text_ok(code, 64) && code[0] != '-';
    for (const char *p = code; code_ok && *p; p++)
        code_ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
    if (!code_ok || !text_ok(name, 200) || !text_ok(profile, 60)) {
        page_fail_text(r, 400, T_ADMIN_DEPT_BAD);
        return;
    }
    done(r, js_store_dept_add_as(r->store, r->user.id, code, name, profile, &id, &d), &d);
}

void h_log(js_req *r)
{
    js_store_event *e = NULL;
    size_t n = 0;
    int64_t count = 0;
    js_diag d = {0};
    js_buf b;
    js_buf_init(&b, 1 << 24);
    int rc = js_store_log_verify(r->store, &count, &d);
    tx(&b, TXT(r), T_LOG_HEAD, tx_str(TXT(r), rc == JS_OK ? T_LOG_OK : T_LOG_BROKEN), (long long)count);
    if (rc != JS_OK) {
        js_buf_puts(&b, "<p class=\"error\">");
        html(&b, d.message);
        js_buf_puts(&b, "</p>");
    }
    int64_t after = count > 500 ? count - 500 : 0;
    js_store_log_list(r->store, after, 500, &e, &n, &d);
    tx(&b, TXT(r), T_LOG_TABLE);
    for (size_t i = n; i-- > 0;) {
        char at[24];
        datetime_text(e[i].at, at);
        js_buf_printf(&b, "<tr><td>%lld</td><td>%s</td><td>%lld</td><td>", (long long)e[i].seq, at,
                      (long long)e[i].actor);
        html(&b, e[i].action);
        js_buf_puts(&b, "</td><td>");
        html(&b, e[i].entity);
        js_buf_puts(&b, "</td><td>");
        html(&b, e[i].detail);
        js_buf_puts(&b, "</td><td>");
        html(&b, e[i].addr);
        js_buf_puts(&b, "</td></tr>");
    }
    js_buf_puts(&b, "</tbody></table></div>");
    js_store_event_list_free(e, n);
    page_send(r, tx_str(TXT(r), T_LOG_TITLE), &b);
    js_buf_release(&b);
}
