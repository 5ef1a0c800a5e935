/* What the read API's files (api*.c) share: JSON and byte responses with
 * their ETag, Cache-Control and CORS headers, the query string's
 * parameters, and pagination. Documented for users in docs/api/. */
#ifndef JS_SERVE_API_H
#define JS_SERVE_API_H

#include <jansson.h>

#include "serve_internal.h"

/* Lists change when something is published; a version's content never
 * changes, but it may be withdrawn, so caches keep it an hour at most. */
#define API_CACHE_LIST "public, max-age=60"
#define API_CACHE_VERSION "public, max-age=3600"

/* api_fail with the text id (text.h; data/portal/text.json). */
void api_fail_text(js_req *r, unsigned status, text_id id);

/* Adds a response header (value formatted; cut at 159 bytes). */
void api_header(js_req *r, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Checks that the query string names only parameters in allowed (a NULL-
 * terminated list), each once; else sends 400 and returns false. */
bool api_query_ok(js_req *r, const char *const *allowed);
/* A query parameter's value, NULL when not given. */
const char *api_query(const js_req *r, const char *name);

typedef struct {
    long limit, offset;
} api_page;

/* Reads limit and offset (defaults 50 and 0; limit 1…500, offset
 * 0…1000000); sends 400 and returns false when out of bounds. */
bool api_page_parse(js_req *r, api_page *p);
/* Whether the i-th item (from 0) of a list is on page p. */
bool api_page_holds(const api_page *p, size_t i);
/* {"limit", "offset", "total", "next", "previous"}: the links repeat the
 * query's parameters in keep (NULL-terminated). */
json_t *api_page_json(const js_req *r, const api_page *p, size_t total, const char *const *keep);

/* Sends root (released here) as JSON with a strong ETag of its bytes and
 * cache as Cache-Control; 304 without a body when the request's
 * If-None-Match names that ETag. */
void api_send_json(js_req *r, json_t *root, const char *cache);
/* Sends data (copied) as ctype with the ETag of its SHA-256 (hex); 304 as
 * above. */
void api_send_bytes(js_req *r, const void *data, size_t n, const char *ctype, const char *sha256_hex,
                    const char *cache);

/* Version v of dept as the API shows it (api_catalog.c); peers: the
 * versions of its department-year, for the numbers of corrects and
 * corrected_by. */
json_t *api_version_json(js_req *r, const js_store_dept *dept, const js_store_version *v,
                         const js_store_version *const *peers, size_t npeers);

/* One published version of the address /api/v1/versions/:year/:dept/:v
 * (api_version.c). */
typedef struct {
    js_store_dept dept;
    js_store_version *all; /* the department-year's versions, newest first */
    size_t n;
    const js_store_version *v;
    const js_store_version **peers; /* pointers into all */
} api_one;
/* Loads the version of the address, listed publicly; else an error is
 * sent and false returned (nothing to free). content: the caller serves
 * its content (a withdrawn version then answers 410). */
bool api_one_load(js_req *r, api_one *o, bool content);
void api_one_free(api_one *o);
/* {"of": the version (year, department, number)} followed by the members
 * of body (released here). */
json_t *api_of(const api_one *o, json_t *body);

/* A Unix time as 2025-09-10T14:03:00+08:00 (the portal's calendar). */
void api_time(int64_t t, char out[32]);
/* A JSON string, or null for a NULL s. */
json_t *api_str(const char *s);

#endif
