/* The HTTP layer: libmicrohttpd 0.9.75 in its internal thread pool with
 * epoll. The access handler is called several times per request: first
 * with no state (we allocate a js_req), then once per piece of the body
 * (fed to a post processor, bounded), then with no body left (we
 * dispatch and queue the response). Every response carries the security
 * headers. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "phase.h"
#include "serve_internal.h"

/* ---- request bodies ---- */

static js_field *field_for(js_req *r, const char *key, const char *filename)
{
    if (r->nfields && !strcmp(r->fields[r->nfields - 1].name, key))
        return &r->fields[r->nfields - 1];
    for (size_t i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, key))
            return NULL; /* a field sent twice: refused */
    if (r->nfields == JS_REQ_FIELDS || strlen(key) >= sizeof r->fields[0].name)
        return NULL;
    js_field *f = &r->fields[r->nfields++];
    snprintf(f->name, sizeof f->name, "%s", key);
    js_buf_init(&f->value, r->body_max);
    if (filename)
        f->filename = strdup(filename);
    return f;
}

static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *transfer_encoding, const char *data, uint64_t off,
                                  size_t size)
{
    (void)kind, (void)content_type, (void)transfer_encoding, (void)off;
    js_req *r = cls;
    js_field *f = field_for(r, key, filename);
    if (!f) {
        r->bad_body = true;
        return MHD_NO;
    }
    if (size && !js_buf_append(&f->value, data, size)) {
        r->too_big = true;
        return MHD_NO;
    }
    if (!size)
        js_buf_append(&f->value, "", 0);
    return MHD_YES;
}

static void req_free(js_req *r)
{
    if (r->pp)
        MHD_destroy_post_processor(r->pp);
    for (size_t i = 0; i < r->nfields; i++) {
        js_buf_release(&r->fields[i].value);
        free(r->fields[i].filename);
    }
    if (r->authed)
        js_store_user_free(&r->user);
    js_buf_release(&r->body);
    free(r);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    if (*con_cls)
        req_free(*con_cls);
    *con_cls = NULL;
}

/* ---- responses ---- */

#define CSP_BASE "default-src 'none'; img-src 'self' data:; form-action 'self'; " \
                 "frame-ancestors 'none'; base-uri 'none'"

/* The response of r with its headers (NULL: out of memory). */
static struct MHD_Response *make_response(js_req *r)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(r->body.len, r->body.data,
                                                                 MHD_RESPMEM_MUST_FREE);
    if (!resp)
        return NULL;
    r->body.data = NULL; /* the response owns it now */
    r->body.len = r->body.cap = 0;
    char csp[256];
    snprintf(csp, sizeof csp, CSP_BASE "; style-src %s",
             r->style_hash[0] ? r->style_hash : "'self'");
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    MHD_add_response_header(resp, "Content-Security-Policy", csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control",
                            r->cache_control                ? r->cache_control
                            : r->cacheable && !r->authed ? "public, max-age=300"
                                                         : "no-store");
    for (size_t i = 0; i < r->nheader; i++)
        MHD_add_response_header(resp, r->header[i].name, r->header[i].value);
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    if (r->cookie[0])
        MHD_add_response_header(resp, "Set-Cookie", r->cookie);
    if (r->disposition[0])
        MHD_add_response_header(resp, "Content-Disposition", r->disposition);
    if (r->etag[0])
        MHD_add_response_header(resp, "ETag", r->etag);
    return resp;
}

/* A response every anonymous visitor may get as it is. */
static bool shareable(const js_req *r)
{
    return !r->post && r->status == 200 && r->cacheable && !r->authed && !r->cookie[0];
}

static enum MHD_Result send_response(js_req *r, int64_t gen)
{
    size_t bytes = r->body.len;
    unsigned status = r->status ? r->status : 200;
    bool keep = gen >= 0 && shareable(r);
    if (keep)
        public_cache_etag(r->body.data, r->body.len, r->etag);
    struct MHD_Response *resp = make_response(r);
    if (!resp)
        return MHD_NO;
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    if (!(keep && public_cache_put(r->srv, r->url, gen, status, resp, bytes, r->etag)))
        MHD_destroy_response(resp);
    return ret;
}

/* ---- the access handler ---- */

static void peer(js_req *r)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    r->addr[0] = '\0';
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, r->addr, sizeof r->addr);
    js_server *s = r->srv;
    r->https = s->behind_https;
    if (s->trusted_proxy && !strcmp(r->addr, s->trusted_proxy)) {
        const char *proto = req_header(r, "X-Forwarded-Proto");
        if (proto && !strcmp(proto, "https"))
            r->https = true;
        const char *fwd = req_header(r, "X-Forwarded-For");
        if (fwd) { /* the last address is the one the proxy saw */
            const char *last = strrchr(fwd, ',');
            last = last ? last + 1 : fwd;
            while (*last == ' ')
                last++;
            snprintf(r->addr, sizeof r->addr, "%s", last);
        }
    }
}

static js_store *thread_store(js_server *s)
{
    js_store *st = pthread_getspecific(s->store_key);
    if (!st) {
        st = js_store_open(s->db, NULL);
        if (st)
            pthread_setspecific(s->store_key, st);
    }
    return st;
}

/* For an anonymous GET or HEAD (no cookie), whose response is the same for
 * everyone: the public generation it is answered under; else -1. */
static int64_t shared_generation(js_server *s, struct MHD_Connection *c, const char *method)
{
    if ((strcmp(method, "GET") && strcmp(method, "HEAD")) ||
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Cookie") ||
        MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0)
        return -1; /* kept responses are by path: a query string (a search) is answered afresh */
    js_store *st = thread_store(s);
    return st ? public_cache_generation(s, st) : -1;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    js_server *s = cls;
    js_req *r = *con_cls;
    if (!r) {
        /* an anonymous GET answered from memory, before anything is made */
        int ret;
        if (public_cache_send(s, c, url, shared_generation(s, c, method), &ret))
            return (enum MHD_Result)ret;
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        r->srv = s;
        r->conn = c;
        r->url = url;
        r->method = method;
        r->post = !strcmp(method, "POST");
        js_buf_init(&r->body, JS_MAX_OUTPUT_BYTES);
        *con_cls = r;
        if (r->post) {
            const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
            const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
            bool multipart = type && !strncasecmp(type, "multipart/form-data", 19);
            r->body_max = multipart ? s->max_upload + 64 * 1024 : JS_SERVE_MAX_FORM;
            if (len && strtoull(len, NULL, 10) > r->body_max)
                r->too_big = true;
            else
                r->pp = MHD_create_post_processor(c, 16 * 1024, post_field, r);
            if (!r->pp && !r->too_big)
                r->bad_body = true;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        r->body_bytes += *upload_size;
        if (r->body_bytes > r->body_max)
            r->too_big = true;
        if (!r->too_big && !r->bad_body && r->pp &&
            MHD_post_process(r->pp, upload_data, *upload_size) != MHD_YES && !r->too_big)
            r->bad_body = true;
        *upload_size = 0;
        return MHD_YES;
    }
    r->store = thread_store(s);
    int64_t gen = shared_generation(s, c, method); /* before the store is read */
    peer(r);
    if (r->too_big)
        page_fail_text(r, 413, T_ERR_TOO_BIG);
    else if (r->bad_body)
        page_fail_text(r, 400, T_ERR_BAD_FORM);
    else if (!r->store)
        page_fail_text(r, 503, T_ERR_NO_DB);
    else if (!strcmp(method, "OPTIONS") && api_path(url))
        api_preflight(r);
    else
        js_route_dispatch(r);
    if (r->post && r->status < 400 && r->store)
        public_cache_changed(s, r->store); /* perhaps a publication */
    return send_response(r, gen);
}

/* ---- the daemon ---- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %HH in a path or query, except %00, which stays as written (no
 * parameter accepts '%', so such a path matches no route). */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls, (void)c;
    char *w = s;
    for (const char *p = s; *p; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 && (hi | lo)) {
            *w++ = (char)(hi * 16 + lo);
            p += 2;
        } else
            *w++ = *p;
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void close_store(void *p) { js_store_close(p); }

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void server_free(js_server *s)
{
    if (!s)
        return;
    free(s->db);
    free(s->datadir);
    free(s->addr);
    free(s->trusted_proxy);
    free(s->region);
    free(s->layout);
    free(s->css);
    text_free(s->text);
    phase_free(s);
    output_cache_free(s);
    public_cache_free(s);
    if (s->shared)
        js_run_shared_free(s->shared);
    pthread_key_delete(s->store_key);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

static char *read_portal_file(const char *datadir, const char *name, size_t *len, js_diag *d)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/portal/%s", datadir, name);
    char *text = NULL;
    if (js_read_file(path, JS_MAX_JSON_BYTES, &text, len, d) != JS_OK)
        return NULL;
    return text;
}

static bool load_texts(js_server *s, js_diag *d)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/portal/text.json", s->datadir);
    return text_load(s->text, path, d) == JS_OK;
}

js_server *js_serve_start(const js_serve_options *o, js_diag *d)
{
    js_server *s = calloc(1, sizeof *s);
    if (!s) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    pthread_mutex_init(&s->lock, NULL);
    output_cache_init(s);
    public_cache_init(s);
    pthread_key_create(&s->store_key, close_store);
    s->db = dup_or_null(o->db ? o->db : "juesuan.db");
    s->datadir = dup_or_null(o->datadir);
    s->addr = dup_or_null(o->addr ? o->addr : "127.0.0.1");
    s->trusted_proxy = dup_or_null(o->trusted_proxy);
    s->region = dup_or_null(o->region);
    s->port = o->port;
    s->workers = o->workers ? o->workers : 2;
    s->behind_https = o->behind_https;
    s->max_upload = o->max_upload ? o->max_upload : JS_SERVE_MAX_UPLOAD;
    size_t len;
    if (!s->db || !s->datadir || !s->addr || !(s->layout = read_portal_file(s->datadir, "layout.html", &len, d)) ||
        !(s->css = read_portal_file(s->datadir, "portal.css", &s->css_len, d)) ||
        !load_texts(s, d) || !phase_load(s, d) ||
        !(s->shared = js_run_shared_new(s->datadir))) {
        if (d && d->status == JS_OK)
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        server_free(s);
        return NULL;
    }
    js_store *st = js_store_open(s->db, d); /* creates and migrates once, before the workers */
    if (!st) {
        server_free(s);
        return NULL;
    }
    js_store_close(st);

    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)s->port);
    if (inet_pton(AF_INET, s->addr, &sa.sin_addr) != 1) {
        js_diag_set(d, JS_E_USAGE, NULL, 0, 0, NULL, "监听地址「%s」不是 IPv4 地址", s->addr);
        server_free(s);
        return NULL;
    }
    s->mhd = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)s->workers,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)JS_SERVE_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)JS_SERVE_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)JS_SERVE_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)JS_SERVE_CONNECTION_MEMORY,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)1024,
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_END);
    if (!s->mhd) {
        js_diag_set(d, JS_E_IO, NULL, 0, 0, NULL, "无法在 %s:%u 上监听（端口已被占用？）", s->addr, s->port);
        server_free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    if (di)
        s->port = di->port;
    return s;
}

unsigned js_serve_port(const js_server *s) { return s->port; }

void js_serve_stop(js_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->mhd);
    server_free(s);
}
