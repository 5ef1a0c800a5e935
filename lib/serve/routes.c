/* The route table and the checks made before any handler runs: the path
 * and its parameters (each of a fixed form, so no parameter can name
 * anything outside what the store holds), the session, the role the route
 * needs, and for every POST the request's origin and its CSRF token. */
#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "browse.h"
#include "phase.h"
#include "serve_internal.h"

#define PREP JS_ROLE_PREPARER
#define REV JS_ROLE_REVIEWER
#define PUB JS_ROLE_PUBLISHER
#define ADM JS_ROLE_ADMIN

/* First match wins; literal routes come before the parameterised ones. */
static const js_route routes[] = {
    {"GET", "/", WHO_PUBLIC, h_home},
    {"GET", "/static/portal.css", WHO_PUBLIC, h_css},
    {"GET", "/favicon.ico", WHO_PUBLIC, h_favicon},
    {"GET", "/login", WHO_PUBLIC, h_login_form},
    {"POST", "/login", WHO_PUBLIC, h_login},
    {"POST", "/logout", WHO_LOGIN, h_logout},
    {"GET", "/work/", PREP, h_work},
    {"POST", "/work/upload", PREP, h_upload},
    {"GET", "/review/", REV | PUB, h_review},
    {"GET", "/version/:id", PREP | REV | PUB, h_version},
    {"GET", "/version/:id/draft.html", PREP | REV | PUB, h_draft},
    {"POST", "/version/:id/explain", PREP, h_explain},
    {"POST", "/version/:id/submit", PREP, h_submit},
    {"POST", "/version/:id/return", REV, h_return},
    {"POST", "/version/:id/approve", REV, h_approve},
    {"POST", "/version/:id/publish", PUB, h_publish},
    {"POST", "/version/:id/withdraw", PUB, h_withdraw},
    {"GET", "/admin/", ADM, h_admin},
    {"POST", "/admin/users", ADM, h_admin_user},
    {"POST", "/admin/grant", ADM, h_admin_grant},
    {"POST", "/admin/disable", ADM, h_admin_disable},
    {"POST", "/admin/depts", ADM, h_admin_dept},
    {"GET", "/admin/log", ADM, h_log},
    /* the read API (api*.c; one page per route in docs/api/) */
    {"GET", "/api/v1/regions", WHO_PUBLIC, h_api_regions},
    {"GET", "/api/v1/years", WHO_PUBLIC, h_api_years},
    {"GET", "/api/v1/years/:year/bundle.zip", WHO_PUBLIC, h_api_bundle},
    {"GET", "/api/v1/years/:year/bundle.zip.sha256", WHO_PUBLIC, h_api_bundle_sum},
    {"GET", "/api/v1/years/:year/datapackage.json", WHO_PUBLIC, h_api_region_package},
    {"GET", "/api/v1/years/:year/fiscal-data.csv", WHO_PUBLIC, h_api_region_csv},
    {"GET", "/api/v1/departments", WHO_PUBLIC, h_api_departments},
    {"GET", "/api/v1/departments/:dept", WHO_PUBLIC, h_api_department},
    {"GET", "/api/v1/versions", WHO_PUBLIC, h_api_versions},
    {"GET", "/api/v1/versions/:year/:dept/:v", WHO_PUBLIC, h_api_version},
    {"GET", "/api/v1/versions/:year/:dept/:v/tables", WHO_PUBLIC, h_api_tables},
    {"GET", "/api/v1/versions/:year/:dept/:v/findings", WHO_PUBLIC, h_api_findings},
    {"GET", "/api/v1/versions/:year/:dept/:v/long.csv", WHO_PUBLIC, h_api_long},
    {"GET", "/api/v1/versions/:year/:dept/:v/score", WHO_PUBLIC, h_api_score},
    /* the region dashboard 公开情况 (dashboard.c) */
    {"GET", "/status/:year/", WHO_PUBLIC, h_status},
    {"GET", "/status/:year/status.csv", WHO_PUBLIC, h_status_csv},
    {"GET", "/status/:year/status.json", WHO_PUBLIC, h_status_json},
    {"GET", "/api/v1/years/:year/status", WHO_PUBLIC, h_api_status},
    /* the public browse and compare pages (browse_*.c) */
    {"GET", "/departments/", WHO_PUBLIC, h_browse_home},
    {"GET", "/departments/:file", WHO_PUBLIC, h_browse_home_data},
    {"GET", "/departments/:dept/", WHO_PUBLIC, h_browse_dept},
    {"GET", "/departments/:dept/:file", WHO_PUBLIC, h_browse_dept_data},
    {"GET", "/compare/", WHO_PUBLIC, h_compare_form},
    {"GET", "/compare/:set/", WHO_PUBLIC, h_compare},
    {"GET", "/compare/:set/:file", WHO_PUBLIC, h_compare_data},
    {"GET", "/rank/:year/", WHO_PUBLIC, h_rank_index},
    {"GET", "/rank/:year/:fig/", WHO_PUBLIC, h_rank},
    {"GET", "/rank/:year/:fig/:file", WHO_PUBLIC, h_rank_data},
    /* a region-year's spending by COFOG division (browse_cofog.c) */
    {"GET", "/cofog/:year/", WHO_PUBLIC, h_cofog},
    {"GET", "/cofog/:year/cofog.csv", WHO_PUBLIC, h_cofog_csv},
    {"GET", "/cofog/:year/cofog.json", WHO_PUBLIC, h_cofog_json},
    {"GET", "/api/v1/years/:year/cofog", WHO_PUBLIC, h_api_cofog},
    /* the 预算 of a department-year and its comparison with the 决算 (phase*.c) */
    {"GET", "/:year/:dept/budget/", WHO_PUBLIC, h_budget_public},
    {"GET", "/:year/:dept/budget/:file", WHO_PUBLIC, h_budget_output},
    {"GET", "/:year/:dept/budget-vs-final.csv", WHO_PUBLIC, h_phase_compare_data},
    {"GET", "/:year/:dept/budget-vs-final.json", WHO_PUBLIC, h_phase_compare_data},
    {"GET", "/:year/", WHO_PUBLIC, h_year},
    {"GET", "/:year/:dept/", WHO_PUBLIC, h_dept_public},
    {"GET", "/:year/:dept/:file", WHO_PUBLIC, h_output_public},
    {"GET", "/:year/:dept/:v/", WHO_PUBLIC, h_version_public},
    {"GET", "/:year/:dept/:v/:file", WHO_PUBLIC, h_output_public},
};
#define NROUTES (sizeof routes / sizeof routes[0])

size_t js_serve_route_count(void) { return NROUTES; }

void js_serve_route_info(size_t i, const char **method, const char **pattern, const char **who)
{
    static char text[NROUTES][64]; /* for the command line: one thread */
    *method = routes[i].method;
    *pattern = routes[i].pattern;
    if (routes[i].who == WHO_PUBLIC)
        *who = "public";
    else if (routes[i].who == WHO_LOGIN)
        *who = "login";
    else {
        text[i][0] = '\0';
        for (int b = 0; b < 4; b++)
            if (routes[i].who & (1u << b)) {
                if (text[i][0])
                    strcat(text[i], "|");
                strcat(text[i], js_role_name((js_role)(1u << b)));
            }
        *who = text[i];
    }
}

/* ---- path parameters: each of one fixed form ---- */

static bool all(const char *s, size_t n, int (*cls)(int))
{
    for (size_t i = 0; i < n; i++)
        if (!cls((unsigned char)s[i]))
            return false;
    return true;
}

static int is_code_char(int c) { return islower(c) || isdigit(c) || c == '-'; }
static int is_set_char(int c) { return is_code_char(c) || c == ','; }
static int is_file_char(int c) { return islower(c) || isdigit(c) || c == '-' || c == '.'; }

static bool param_ok(const char *kind, const char *s, size_t n)
{
    if (!strcmp(kind, ":year"))
        return n == 4 && all(s, n, isdigit);
    if (!strcmp(kind, ":id"))
        return n >= 1 && n <= 12 && all(s, n, isdigit);
    if (!strcmp(kind, ":v"))
        return n >= 2 && n <= 7 && s[0] == 'v' && all(s + 1, n - 1, isdigit);
    if (!strcmp(kind, ":dept"))
        return n >= 1 && n <= 64 && all(s, n, is_code_char) && s[0] != '-';
    if (!strcmp(kind, ":fig")) /* a figure of the browse pages (browse.h) */
        return n >= 1 && n <= 63 && all(s, n, is_code_char) && s[0] != '-';
    if (!strcmp(kind, ":set")) /* 2 to 5 department-years, code-year,code-year… */
        return n >= 13 && n <= 5 * 70 && all(s, n, is_set_char) && s[0] != '-' && s[0] != ',' &&
               s[n - 1] != ',';
    if (!strcmp(kind, ":file")) /* name.ext: one dot, no leading dot */
        return n >= 3 && n <= 40 && all(s, n, is_file_char) && s[0] != '.' && memchr(s, '.', n) &&
               strchr(s, '.') == strrchr(s, '.') && s[n - 1] != '.';
    return false;
}

/* Matches path against pattern segment by segment, filling r's params. */
static bool match(js_req *r, const char *pattern, const char *path)
{
    int np = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p == ':') {
            const char *pe = p;
            while (*pe && *pe != '/')
                pe++;
            const char *ue = u;
            while (*ue && *ue != '/')
                ue++;
            char kind[16];
            snprintf(kind, sizeof kind, "%.*s", (int)(pe - p), p);
            if (np == JS_REQ_PARAMS || !param_ok(kind, u, (size_t)(ue - u)) ||
                (size_t)(ue - u) >= sizeof r->param[0])
                return false;
            snprintf(r->param[np++], sizeof r->param[0], "%.*s", (int)(ue - u), u);
            p = pe;
            u = ue;
        } else if (*p++ != *u++)
            return false;
    }
    if (*p || *u)
        return false;
    r->nparam = np;
    return true;
}

/* ---- the session ---- */

static const char *cookie_name(const js_req *r) { return r->https ? "__Host-sid" : "sid"; }

static void load_session(js_req *r)
{
    const char *tok = req_cookie(r, cookie_name(r));
    if (!tok || strlen(tok) >= sizeof r->token)
        return;
    int64_t uid;
    if (js_store_session_check(r->store, tok, req_now(), JS_SERVE_SESSION_IDLE,
                               JS_SERVE_SESSION_ABSOLUTE, &uid, r->csrf, NULL) != JS_OK)
        return;
    if (js_store_user_get(r->store, uid, &r->user, NULL) != JS_OK)
        return;
    if (r->user.disabled) {
        js_store_user_free(&r->user);
        return;
    }
    snprintf(r->token, sizeof r->token, "%s", tok);
    r->authed = true;
}

/* The request comes from a page of this server: Sec-Fetch-Site, when the
 * browser sends it, says same-origin (or none: typed by the user), and
 * Origin, when sent, is this server's. */
static bool same_origin(const js_req *r)
{
    const char *site = req_header(r, "Sec-Fetch-Site");
    if (site && strcmp(site, "same-origin") && strcmp(site, "none"))
        return false;
    const char *origin = req_header(r, "Origin");
    if (!origin)
        return true;
    const char *host = req_header(r, "Host");
    if (!host)
        return false;
    char want[320];
    snprintf(want, sizeof want, "%s://%s", r->https ? "https" : "http", host);
    return !strcmp(origin, want);
}

static bool csrf_ok(const js_req *r)
{
    if (!r->authed)
        return true; /* only /login is open to a POST without a session */
    const char *t = req_field(r, "csrf");
    return t && strlen(t) == strlen(r->csrf) && sodium_memcmp(t, r->csrf, strlen(t)) == 0;
}

void js_route_dispatch(js_req *r)
{
    const js_route *hit = NULL;
    bool path_known = false;
    for (size_t i = 0; i < NROUTES && !hit; i++) {
        if (!match(r, routes[i].pattern, r->url))
            continue;
        path_known = true;
        if (!strcmp(routes[i].method, r->method) ||
            (!strcmp(r->method, "HEAD") && !strcmp(routes[i].method, "GET")))
            hit = &routes[i];
    }
    if (!hit) {
        if (path_known)
            page_fail_text(r, 405, T_ERR_METHOD);
        else
            page_fail_text(r, 404, T_ERR_NO_PAGE);
        return;
    }
    load_session(r);
    if (hit->who != WHO_PUBLIC && !r->authed) {
        page_redirect(r, "/login");
        return;
    }
    if (hit->who != WHO_PUBLIC && hit->who != WHO_LOGIN && !(r->user.roles & hit->who)) {
        page_fail_text(r, 403, T_ERR_ROLE);
        return;
    }
    if (r->post && (!same_origin(r) || !csrf_ok(r))) {
        page_fail_text(r, 403, T_ERR_ORIGIN);
        return;
    }
    hit->fn(r);
}

const char *req_session_cookie_name(const js_req *r) { return cookie_name(r); }
