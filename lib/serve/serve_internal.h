/* What the portal's files share: the server, one request as the handlers
 * see it, the route table's entry, and the page helpers. */
#ifndef JS_SERVE_INTERNAL_H
#define JS_SERVE_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/buf.h"
#include "juesuan/run.h"
#include "juesuan/serve.h"
#include "juesuan/store.h"
#include "text.h"

struct MHD_Daemon;
struct MHD_Connection;
struct MHD_PostProcessor;
struct MHD_Response;

struct js_server {
    struct MHD_Daemon *mhd;
    char *db, *datadir, *addr, *trusted_proxy, *region;
    unsigned port, workers;
    bool behind_https;
    size_t max_upload;
    js_run_shared *shared;
    pthread_key_t store_key; /* each worker thread's js_store */
    char *layout;            /* data/portal/layout.html */
    char *css;               /* data/portal/portal.css */
    js_text text[T_COUNT];   /* data/portal/text.json (text.h) */
    struct phase_conf *phases; /* data/portal/phases.json (phase.h) */
    size_t css_len;
    pthread_mutex_t lock;    /* guards periods */
    struct period { char name[64]; int days; } periods[16];
    size_t nperiods;
    struct output_slot {   /* published outputs in memory (output_cache.c) */
        int64_t version;
        char name[48];
        char sha256[65]; /* of data, hex */
        char *data;
        size_t size;
    } *cache;
    size_t cache_next, cache_bytes; /* guarded by lock, as is cache */
    /* whole anonymous responses (public_cache.c) */
    pthread_rwlock_t public_lock;  /* guards public_pages, public_bytes */
    struct public_entry *public_pages;
    size_t public_bytes;
    _Atomic int64_t public_gen;     /* the store's generation; -1 unknown */
    _Atomic int64_t public_checked; /* when it was asked, monotonic ms */
};

#define OUTPUT_CACHE_SLOTS 256

#define JS_REQ_FIELDS 16
#define JS_REQ_PARAMS 4
#define JS_REQ_HEADERS 8

typedef struct {
    char name[32];
    js_buf value;      /* the field's bytes */
    char *filename;    /* a file field's name as sent; NULL otherwise */
} js_field;

typedef struct js_req {
    js_server *srv;
    struct MHD_Connection *conn;
    const char *method, *url;
    bool post;
    /* the body */
    struct MHD_PostProcessor *pp;
    js_field fields[JS_REQ_FIELDS];
    size_t nfields;
    size_t body_bytes, body_max;
    bool too_big, bad_body;
    /* the route's path parameters */
    char param[JS_REQ_PARAMS][360]; /* 360: a compare page's five department-years */
    int nparam;
    /* who asks */
    js_store *store;
    char addr[64];
    bool https;
    bool authed;
    js_store_user user;
    char token[48], csrf[48];
    /* the response */
    unsigned status;
    js_buf body;
    const char *ctype;
    char location[256];
    char cookie[256];
    char style_hash[64]; /* 'sha256-…' of a stored report's inline style */
    bool cacheable;      /* a published output: may be cached */
    char etag[24];       /* a kept anonymous response's "…" (public_cache.c) */
    char disposition[160];
    /* set by the read API (api.c): its own Cache-Control, and headers
     * beyond the ones every response carries */
    const char *cache_control;
    struct { const char *name; char value[160]; } header[JS_REQ_HEADERS];
    size_t nheader;
} js_req;

typedef void (*js_handler)(js_req *r);

/* Who may use a route. */
enum { WHO_PUBLIC = 0, WHO_LOGIN = 0x100 };

typedef struct {
    const char *method;
    const char *pattern;
    unsigned who;      /* WHO_PUBLIC, WHO_LOGIN, or js_role bits (any of them) */
    js_handler fn;
} js_route;

/* The portal's texts, for tx() and friends (text.h). */
#define TXT(r) ((const js_text *)(r)->srv->text)

/* Dispatches r to its route: matches, checks role, CSRF and origin, calls
 * the handler (routes.c). */
void js_route_dispatch(js_req *r);

/* ---- request helpers (request.c) ---- */
/* A form field's value (NUL-terminated), NULL when not sent. */
const char *req_field(const js_req *r, const char *name);
const js_field *req_file(const js_req *r, const char *name);
const char *req_header(const js_req *r, const char *name);
const char *req_cookie(const js_req *r, const char *name);
/* "sid", or "__Host-sid" behind HTTPS (routes.c). */
const char *req_session_cookie_name(const js_req *r);
int64_t req_now(void);
/* Parses a whole decimal number into *v (false for anything else). */
bool parse_id(const char *s, int64_t *v);

/* ---- responses (page.c) ---- */
/* The page: the layout around body (title escaped). Status 200 unless set. */
void page_send(js_req *r, const char *title, const js_buf *body);
/* An error page with status and a Chinese message. */
void page_fail(js_req *r, unsigned status, const char *message);
/* page_fail with the text id. */
void page_fail_text(js_req *r, unsigned status, text_id id);
/* 303 See Other to location (a path of this server). */
void page_redirect(js_req *r, const char *location);
/* Appends the hidden CSRF field of r's session. */
void page_csrf(js_buf *b, const js_req *r);
/* Appends s escaped for HTML (text and double-quoted attributes). */
void html(js_buf *b, const char *s);
/* A Unix time as 2025-09-10 (UTC+8, the portal's calendar). */
void date_text(int64_t t, char out[16]);
void datetime_text(int64_t t, char out[24]);

/* ---- handlers ---- */
void h_home(js_req *r);
void h_css(js_req *r);
void h_favicon(js_req *r);
void h_year(js_req *r);
void h_dept_public(js_req *r);
void h_version_public(js_req *r);
void h_output_public(js_req *r);
void h_login_form(js_req *r);
void h_login(js_req *r);
void h_logout(js_req *r);
void h_work(js_req *r);
void h_upload(js_req *r);
void h_version(js_req *r);
void h_draft(js_req *r);
void h_explain(js_req *r);
void h_submit(js_req *r);
void h_review(js_req *r);
void h_return(js_req *r);
void h_approve(js_req *r);
void h_publish(js_req *r);
void h_withdraw(js_req *r);
void h_admin(js_req *r);
void h_admin_user(js_req *r);
void h_admin_grant(js_req *r);
void h_admin_disable(js_req *r);
void h_admin_dept(js_req *r);
void h_log(js_req *r);

/* ---- shared by the handlers (version.c) ---- */
/* The version of path parameter i (a number) if r's user may see it
 * (staff: a preparer its own department only); else a 404 page is sent and
 * false returned. */
bool version_for(js_req *r, int i, js_store_version *v, js_store_dept *dept);
/* A department's statutory period of publication in days (its profile's
 * "publication_days", 20 when the profile gives none). */
int publication_days(js_server *s, const char *profile);
/* Writes the store's d as a page with the status matching rc. */
void page_store_fail(js_req *r, int rc, const js_diag *d);

/* Allows a report.html's one inline <style> by its hash in r's CSP
 * (public.c). */
void report_style_hash(js_req *r, const char *html_text, size_t len);
/* The versions as a table (work.c). */
void version_table(js_buf *b, const js_text *t, const js_store_version *v, size_t n);
/* The findings of v (with b: written out, with a form per 核实 finding
 * when editable); returns how many 核实 findings lack an explanation, -1
 * when they cannot be read (work.c). */
int findings_view(js_req *r, js_buf *b, const js_store_version *v, bool editable);

/* ---- output_cache.c ---- */
void output_cache_init(js_server *s);
void output_cache_free(js_server *s);
/* Appends the cached bytes of (version, name) to out; false when absent. */
bool output_cache_get(js_server *s, int64_t version, const char *name, js_buf *out);
/* The same, with the bytes' SHA-256 (hex) into sha256. */
bool output_cache_get_sha(js_server *s, int64_t version, const char *name, js_buf *out, char sha256[65]);
void output_cache_put(js_server *s, int64_t version, const char *name, const void *data, size_t size);
/* Appends the stored output name of version (from the cache, else from
 * r's store, then cached) to out, its SHA-256 (hex) into sha256; false
 * when the version has no such output. */
bool stored_output(js_req *r, int64_t version, const char *name, js_buf *out, char sha256[65]);

/* ---- public_cache.c: whole anonymous responses ---- */
void public_cache_init(js_server *s);
void public_cache_free(js_server *s);
/* The generation the cache serves, asked of the store through st when
 * last asked JS_SERVE_PUBLIC_RECHECK_MS ago or more; -1 when unknown. */
int64_t public_cache_generation(js_server *s, js_store *st);
/* Something public may have changed through this server: asks at once. */
void public_cache_changed(js_server *s, js_store *st);
/* Queues the cached response of url made under gen (*ret: what
 * MHD_queue_response said), or 304 Not Modified when the request's
 * If-None-Match names its entity tag; false when there is none. */
bool public_cache_send(js_server *s, struct MHD_Connection *c, const char *url, int64_t gen,
                       int *ret);
/* Keeps resp (taking the caller's reference: true) as url's response
 * under gen, unless gen is no longer current or resp too big (false: the
 * caller keeps its reference). */
bool public_cache_put(js_server *s, const char *url, int64_t gen, unsigned status,
                      struct MHD_Response *resp, size_t bytes, const char *etag);
/* The entity tag of a response's bytes, quoted ("…"), into out[24]. */
void public_cache_etag(const void *data, size_t len, char out[24]);

/* ---- upload.c ---- */
/* Stages an uploaded file (an .xlsx, or a .zip of a CSV folder) in a new
 * temporary folder and returns the workbook's path in it (malloc'd; *tmp
 * the folder to remove with rm_tree). JS_E_INPUT with a Chinese message
 * for what is neither, or a zip beyond the limits. */
js_status upload_stage(const void *data, size_t size, char **tmp, char **path, js_diag *d);
/* What an upload's audit tells besides its findings: the workbook's
 * department and year, the phase audited (in: the phase asked for, -1 for
 * the one the workbook holds) and a budget's 批复 date ("" when none). */
typedef struct {
    char dept[256];
    int year;
    int phase;
    char approval_date[11];
} upload_facts;
/* Audits the workbook at path for a phase (phase.h, phase_run_open): the
 * findings JSON (locations relative to the workbook) and their counts,
 * and the facts above. */
struct phase_conf;
js_status upload_audit(const struct phase_conf *pc, js_run_shared *sh, const char *path, const char *tmp,
                       js_buf *json, int counts[3], upload_facts *facts, js_diag *d);
/* Builds the outputs (all kinds; draft: report.html only, marked) of the
 * stored file of version id into a new temporary folder (*tmp)/out; score
 * (NULL: the build's own) is the context of its score.json. The audit's
 * outputs name the stored file, not the temporary one. */
js_status version_build(const struct phase_conf *pc, js_store *st, js_run_shared *sh, int64_t id, bool draft, const js_score_context *score,
                        char **tmp, js_diag *d);
void rm_tree(const char *dir);
/* Builds and stores the outputs of approved version id: published
 * (publish.c). A store result code, d filled on failure. */
/* The content type an output is served with, from its name's ending. */
const char *output_type(const char *name);
int version_publish(const struct phase_conf *pc, js_store *st, js_run_shared *sh, int64_t actor, int64_t id,
                    js_diag *d);

/* ---- the read API under /api/v1/ (api*.c; docs/api/) ---- */
/* Whether url is under /api/: its errors are JSON (api_fail). */
bool api_path(const char *url);
/* The error as JSON ({"error": {"status", "message"}}), with CORS. */
void api_fail(js_req *r, unsigned status, const char *message);
/* A CORS preflight (OPTIONS) of an API address: 204, reads only. */
void api_preflight(js_req *r);
void h_api_regions(js_req *r);
void h_api_years(js_req *r);
void h_api_departments(js_req *r);
void h_api_department(js_req *r);
void h_api_versions(js_req *r);
void h_api_version(js_req *r);
void h_api_tables(js_req *r);
void h_api_findings(js_req *r);
void h_api_long(js_req *r);
void h_api_bundle(js_req *r);
void h_api_bundle_sum(js_req *r);
void h_api_region_package(js_req *r);
void h_api_region_csv(js_req *r);
void h_api_score(js_req *r);
/* the region dashboard 公开情况 (dashboard.c) */
void h_status(js_req *r);
void h_status_csv(js_req *r);
void h_status_json(js_req *r);
void h_api_status(js_req *r);

/* ---- bundle.c ---- */
/* The bundle of year as the store holds it, rebuilt and stored first when
 * the year's published versions changed since it was built (with_data:
 * its bytes too). JS_STORE_NOT_FOUND when nothing of the year is
 * published. */
int bundle_current(js_store *st, int year, bool with_data, js_store_bundle *out, js_diag *d);
/* Brings the bundle of version id's year up to date after the version
 * was published or withdrawn (publish.c). A failure is left for the next
 * reader of the bundle to mend: the publication stands. */
void bundle_refresh(js_store *st, int64_t id);

/* The key naming finding f among the findings (seen: the keys met so far)
 * under which its explanation is stored (work.c). */
struct json_t;
void finding_key(struct json_t *f, struct json_t *seen, char *key, size_t cap);

/* ---- diff.c ---- */
/* Appends a table of the cells that differ between the tables of two
 * stored versions (old may be 0: nothing is appended). */
void diff_versions(js_req *r, js_buf *b, int64_t old_id, int64_t new_id, const char *title);

#endif
