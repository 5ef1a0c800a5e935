/* What a handler reads from its request: form fields, headers, cookies. */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve_internal.h"

const char *req_field(const js_req *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name) && !r->fields[i].filename)
            return r->fields[i].value.len ? r->fields[i].value.data : "";
    return NULL;
}

const js_field *req_file(const js_req *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (!strcmp(r->fields[i].name, name) && r->fields[i].filename)
            return &r->fields[i];
    return NULL;
}

const char *req_header(const js_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_cookie(const js_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

int64_t req_now(void) { return (int64_t)time(NULL); }

bool parse_id(const char *s, int64_t *v)
{
    if (!s || !*s || strlen(s) > 15)
        return false;
    int64_t x = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        x = x * 10 + (*p - '0');
    }
    *v = x;
    return true;
}
