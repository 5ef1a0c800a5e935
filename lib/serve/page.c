/* Responses: the portal's pages inside data/portal/layout.html (whose
 * {{title}}, {{nav}} and {{body}} are replaced), error pages, redirects,
 * and the small formatting helpers every page uses. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "serve_internal.h"

void html(js_buf *b, const char *s) { js_buf_html(b, s ? s : "", false); }

void page_csrf(js_buf *b, const js_req *r)
{
    js_buf_puts(b, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html(b, r->csrf);
    js_buf_puts(b, "\">");
}

/* The portal's calendar is China Standard Time (UTC+8, no summer time). */
static void cst(int64_t t, struct tm *tm)
{
    time_t x = (time_t)(t + 8 * 3600);
    gmtime_r(&x, tm);
}

void date_text(int64_t t, char out[16])
{
    struct tm tm;
    cst(t, &tm);
    snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
}

void datetime_text(int64_t t, char out[24])
{
    struct tm tm;
    cst(t, &tm);
    snprintf(out, 24, "%04d-%02d-%02d %02d:%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100);
}

static void nav(js_buf *b, const js_req *r)
{
    tx(b, TXT(r), T_NAV_HOME);
    if (!r->authed) {
        tx(b, TXT(r), T_NAV_LOGIN);
        return;
    }
    if (r->user.roles & JS_ROLE_PREPARER)
        tx(b, TXT(r), T_NAV_WORK);
    if (r->user.roles & (JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER))
        tx(b, TXT(r), T_NAV_REVIEW);
    if (r->user.roles & JS_ROLE_ADMIN)
        tx(b, TXT(r), T_NAV_ADMIN);
    js_buf_puts(b, " <form class=\"inline\" method=\"post\" action=\"/logout\">");
    page_csrf(b, r);
    js_buf_puts(b, "<span class=\"who\">");
    html(b, r->user.display);
    tx(b, TXT(r), T_NAV_LOGOUT);
}

void page_send(js_req *r, const char *title, const js_buf *body)
{
    js_buf out;
    js_buf_init(&out, JS_MAX_OUTPUT_BYTES);
    for (const char *p = r->srv->layout; *p;) {
        const char *q = strstr(p, "{{");
        if (!q) {
            js_buf_puts(&out, p);
            break;
        }
        js_buf_append(&out, p, (size_t)(q - p));
        if (!strncmp(q, "{{title}}", 9))
            html(&out, title);
        else if (!strncmp(q, "{{nav}}", 7))
            nav(&out, r);
        else if (!strncmp(q, "{{body}}", 8))
            js_buf_append(&out, body->data ? body->data : "", body->len);
        else {
            js_buf_puts(&out, "{{");
            p = q + 2;
            continue;
        }
        p = strstr(q, "}}") + 2;
    }
    js_buf_release(&r->body);
    r->body = out;
    r->ctype = "text/html; charset=utf-8";
    if (!r->status)
        r->status = 200;
}

void page_fail(js_req *r, unsigned status, const char *message)
{
    if (api_path(r->url)) { /* a program asked: the error as JSON */
        api_fail(r, status, message);
        return;
    }
    js_buf b;
    js_buf_init(&b, 1 << 20);
    tx(&b, TXT(r), T_FAIL_HEADING, message);
    r->status = status;
    r->location[0] = '\0';
    r->style_hash[0] = '\0';
    r->cacheable = false;
    r->disposition[0] = '\0';
    page_send(r, tx_str(TXT(r), T_FAIL_TITLE), &b);
    js_buf_release(&b);
}

void page_fail_text(js_req *r, unsigned status, text_id id)
{
    page_fail(r, status, tx_str(TXT(r), id));
}

void page_redirect(js_req *r, const char *location)
{
    r->status = 303;
    snprintf(r->location, sizeof r->location, "%s", location);
    js_buf_reset(&r->body);
    r->ctype = "text/plain; charset=utf-8";
}

void page_store_fail(js_req *r, int rc, const js_diag *d)
{
    unsigned status = rc == JS_STORE_CONFLICT ? 409 : rc == JS_STORE_NOT_FOUND ? 404
                    : rc == JS_STORE_DENIED ? 403 : rc == JS_E_INPUT || rc == JS_E_USAGE ? 400 : 500;
    page_fail(r, status, d->message[0] ? d->message : tx_str(TXT(r), T_FAIL_STORE));
}

void h_css(js_req *r)
{
    js_buf_append(&r->body, r->srv->css, r->srv->css_len);
    r->ctype = "text/css; charset=utf-8";
    r->cacheable = true;
    r->status = 200;
}

/* Browsers ask for it on pages that name none (the stored reports): no
 * icon, and no error either. */
void h_favicon(js_req *r)
{
    r->status = 204;
    r->cacheable = true;
    r->ctype = "image/x-icon";
}
