/* Logging in and out. A login always gets a new session (never one the
 * browser brought along), failures say the same thing whatever went
 * wrong, and the store throttles guessing per login and per address. */
#include <stdio.h>
#include <string.h>

#include "serve_internal.h"

static void login_page(js_req *r, const char *error)
{
    js_buf b;
    js_buf_init(&b, 1 << 20);
    tx(&b, TXT(r), T_LOGIN_HEADING);
    if (error) {
        js_buf_puts(&b, "<p class=\"error\" role=\"alert\">");
        html(&b, error);
        js_buf_puts(&b, "</p>");
    }
    tx(&b, TXT(r), T_LOGIN_FORM);
    page_send(r, tx_str(TXT(r), T_LOGIN_TITLE), &b);
    js_buf_release(&b);
}

void h_login_form(js_req *r) { login_page(r, NULL); }

static void set_cookie(js_req *r, const char *value, bool clear)
{
    snprintf(r->cookie, sizeof r->cookie, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s",
             req_session_cookie_name(r), value, r->https ? "; Secure" : "",
             clear ? "; Max-Age=0" : "");
}

static const char *landing(unsigned roles)
{
    if (roles & JS_ROLE_PREPARER)
        return "/work/";
    if (roles & (JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER))
        return "/review/";
    if (roles & JS_ROLE_ADMIN)
        return "/admin/";
    return "/";
}

void h_login(js_req *r)
{
    const char *login = req_field(r, "login"), *password = req_field(r, "password");
    js_diag d = {0};
    int64_t uid = 0;
    int rc = login && password && strlen(login) < 128 && strlen(password) < 1024
                 ? js_store_login(r->store, login, password, r->addr, req_now(), &uid, &d)
                 : JS_STORE_DENIED;
    if (rc != JS_OK) {
        r->status = 401;
        login_page(r, tx_str(TXT(r), T_LOGIN_FAILED));
        return;
    }
    if (r->authed) /* a session the browser brought along ends here */
        js_store_session_revoke(r->store, r->token, NULL);
    js_store_session_new sn;
    js_store_user u;
    if (js_store_session_create(r->store, uid, r->addr, req_now(), &sn, &d) != JS_OK ||
        js_store_user_get(r->store, uid, &u, &d) != JS_OK) {
        page_fail_text(r, 500, T_LOGIN_NO_SESSION);
        return;
    }
    set_cookie(r, sn.token, false);
    page_redirect(r, landing(u.roles));
    js_store_user_free(&u);
}

void h_logout(js_req *r)
{
    js_store_session_revoke(r->store, r->token, NULL);
    js_store_log(r->store, r->user.id, "logout", "", "", r->addr, req_now(), NULL);
    set_cookie(r, "", true);
    page_redirect(r, "/");
}
