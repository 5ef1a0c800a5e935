/* The read API's responses: JSON (jansson) and published bytes with a
 * strong ETag (304 on If-None-Match), their Cache-Control, and CORS for
 * reads (any origin, GET/HEAD/OPTIONS, never credentials); errors as
 * JSON; the query string's parameters and pagination. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "jsonout.h"

bool api_path(const char *url) { return url && !strncmp(url, "/api/", 5); }

void api_header(js_req *r, const char *name, const char *fmt, ...)
{
    if (r->nheader == JS_REQ_HEADERS)
        return;
    va_list ap;
    va_start(ap, fmt);
    r->header[r->nheader].name = name;
    vsnprintf(r->header[r->nheader].value, sizeof r->header[0].value, fmt, ap);
    va_end(ap);
    r->nheader++;
}

static void cors(js_req *r)
{
    api_header(r, "Access-Control-Allow-Origin", "*");
    api_header(r, "Access-Control-Expose-Headers", "ETag, Repr-Digest, Content-Disposition");
}

void api_preflight(js_req *r)
{
    r->status = 204;
    r->ctype = "text/plain; charset=utf-8";
    r->cache_control = "public, max-age=86400";
    cors(r);
    api_header(r, "Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
    api_header(r, "Access-Control-Allow-Headers", "If-None-Match");
    api_header(r, "Access-Control-Max-Age", "86400");
}

void api_fail(js_req *r, unsigned status, const char *message)
{
    json_t *root = json_pack("{s:{s:i,s:s}}", "error", "status", (int)status, "message", message);
    js_buf_reset(&r->body);
    js_json_out(root, &r->body);
    r->status = status;
    r->ctype = "application/json; charset=utf-8";
    r->cache_control = "no-store";
    r->location[0] = '\0';
    r->disposition[0] = '\0';
    r->nheader = 0;
    cors(r);
    if (status == 405)
        api_header(r, "Allow", "GET, HEAD, OPTIONS");
}

void api_fail_text(js_req *r, unsigned status, text_id id) { api_fail(r, status, tx_str(TXT(r), id)); }

/* ---- the query string ---- */

struct query_check {
    const char *const *allowed;
    const char *bad;
    int seen[16];
};

static enum MHD_Result check_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind, (void)value;
    struct query_check *q = cls;
    for (int i = 0; i < 16 && q->allowed[i]; i++)
        if (!strcmp(q->allowed[i], key)) {
            if (q->seen[i]++)
                break; /* given twice */
            return MHD_YES;
        }
    q->bad = key;
    return MHD_NO;
}

bool api_query_ok(js_req *r, const char *const *allowed)
{
    struct query_check q = {allowed, NULL, {0}};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_one, &q);
    if (!q.bad)
        return true;
    char name[64], msg[300];
    snprintf(name, sizeof name, "%.60s", q.bad);
    api_fail(r, 400, tx_msg(msg, sizeof msg, TXT(r), T_API_BAD_PARAMETER, name));
    return false;
}

const char *api_query(const js_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static bool number(const char *s, long lo, long hi, long *v)
{
    if (!s || !*s || strlen(s) > 9 || strspn(s, "0123456789") != strlen(s))
        return false;
    *v = strtol(s, NULL, 10);
    return *v >= lo && *v <= hi;
}

bool api_page_parse(js_req *r, api_page *p)
{
    const char *l = api_query(r, "limit"), *o = api_query(r, "offset");
    p->limit = JS_SERVE_API_LIMIT_DEFAULT;
    p->offset = 0;
    char msg[160];
    if (l && !number(l, 1, JS_SERVE_API_LIMIT_MAX, &p->limit))
        tx_msg(msg, sizeof msg, TXT(r), T_API_BAD_LIMIT, JS_SERVE_API_LIMIT_MAX);
    else if (o && !number(o, 0, JS_SERVE_API_OFFSET_MAX, &p->offset))
        tx_msg(msg, sizeof msg, TXT(r), T_API_BAD_OFFSET, JS_SERVE_API_OFFSET_MAX);
    else
        return true;
    api_fail(r, 400, msg);
    return false;
}

bool api_page_holds(const api_page *p, size_t i) { return i >= (size_t)p->offset && i < (size_t)(p->offset + p->limit); }

/* The address of r's path with the kept parameters and a page at offset. */
static json_t *page_link(const js_req *r, const api_page *p, long offset, const char *const *keep)
{
    js_buf b;
    js_buf_init(&b, 4096);
    js_buf_puts(&b, r->url);
    char sep = '?';
    for (size_t i = 0; keep && keep[i]; i++) {
        const char *v = api_query(r, keep[i]);
        if (!v)
            continue;
        js_buf_printf(&b, "%c%s=", sep, keep[i]);
        for (const unsigned char *c = (const unsigned char *)v; *c; c++) /* percent-encoded */
            if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                strchr("-._~", *c))
                js_buf_putc(&b, (char)*c);
            else
                js_buf_printf(&b, "%%%02X", *c);
        sep = '&';
    }
    js_buf_printf(&b, "%climit=%ld&offset=%ld", sep, p->limit, offset);
    json_t *s = json_stringn(b.data, b.len);
    js_buf_release(&b);
    return s;
}

json_t *api_page_json(const js_req *r, const api_page *p, size_t total, const char *const *keep)
{
    json_t *o = json_pack("{s:i,s:i,s:i}", "limit", (json_int_t)p->limit, "offset", (json_int_t)p->offset,
                          "total", (json_int_t)total);
    json_object_set_new(o, "next", (size_t)(p->offset + p->limit) < total
                                       ? page_link(r, p, p->offset + p->limit, keep) : json_null());
    json_object_set_new(o, "previous", p->offset > 0
                                           ? page_link(r, p, p->offset > p->limit ? p->offset - p->limit : 0, keep)
                                           : json_null());
    return o;
}

/* ---- bodies with an ETag ---- */

/* Whether the If-None-Match of r names etag (or is "*"). */
static bool not_modified(const js_req *r, const char *etag)
{
    const char *h = req_header(r, "If-None-Match");
    if (!h)
        return false;
    size_t el = strlen(etag);
    for (const char *p = h; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        if (!strncmp(p, "W/", 2))
            p += 2;
        if (*p == '*' || (!strncmp(p, etag, el) && (p[el] == '\0' || p[el] == ',' || p[el] == ' ')))
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

static void send_tagged(js_req *r, const char *sha256_hex, const char *ctype, const char *cache)
{
    char etag[72];
    snprintf(etag, sizeof etag, "\"%.64s\"", sha256_hex);
    r->ctype = ctype;
    r->cache_control = cache;
    r->status = 200;
    cors(r);
    api_header(r, "ETag", "%s", etag);
    if (not_modified(r, etag)) {
        r->status = 304;
        js_buf_reset(&r->body);
    }
}

static void sha256_hex(const void *data, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void api_send_json(js_req *r, json_t *root, const char *cache)
{
    js_buf_reset(&r->body);
    if (js_json_out(root, &r->body) != JS_OK) {
        api_fail_text(r, 500, T_API_NO_MEMORY);
        return;
    }
    char hex[65];
    sha256_hex(r->body.data, r->body.len, hex);
    send_tagged(r, hex, "application/json; charset=utf-8", cache);
}

void api_send_bytes(js_req *r, const void *data, size_t n, const char *ctype, const char *sha256,
                    const char *cache)
{
    js_buf_reset(&r->body);
    if (!js_buf_append(&r->body, data, n)) {
        api_fail_text(r, 500, T_API_NO_MEMORY);
        return;
    }
    send_tagged(r, sha256, ctype, cache);
}

void api_time(int64_t t, char out[32])
{
    time_t x = (time_t)(t + 8 * 3600);
    struct tm tm;
    gmtime_r(&x, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100);
}

json_t *api_str(const char *s) { return s ? json_string(s) : json_null(); }
