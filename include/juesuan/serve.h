/* The portal: an HTTP server (libmicrohttpd, internal thread pool with
 * epoll) over the store (store.h) and the pipeline (run.h). Departments
 * upload their workbooks, the audit runs at once, reviewers return or
 * approve, publishers publish, and anonymous visitors read what is
 * published (docs/portal.md).
 *
 * Every page is rendered on the server, in Chinese, and works without
 * script. Routes are a table (js_serve_route) naming the roles each needs;
 * every handler checks role and department on the server.
 *
 * Threads: each worker thread of the pool opens its own store connection
 * on first use and closes it when the thread ends. */
#ifndef JUESUAN_SERVE_H
#define JUESUAN_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "juesuan/diag.h"
#include "juesuan/run.h"
#include "juesuan/store.h"

typedef struct {
    const char *db;        /* store URL (store.h) */
    const char *datadir;   /* the data directory (profiles, rules, data/portal) */
    const char *addr;      /* numeric IPv4 address to listen on, "127.0.0.1" by default */
    unsigned port;         /* 0: any free port (js_serve_port says which) */
    unsigned workers;      /* threads of the pool; 0: 2 */
    bool behind_https;     /* a TLS proxy in front: __Host- cookie, Secure */
    const char *trusted_proxy; /* peer address whose X-Forwarded-Proto/-For are believed; NULL: none */
    size_t max_upload;     /* bytes of one upload; 0: JS_SERVE_MAX_UPLOAD */
    const char *region;    /* the region's name (the read API's /api/v1/regions); NULL: none given */
} js_serve_options;

#define JS_SERVE_MAX_UPLOAD (32L * 1024 * 1024)  /* one uploaded workbook */
#define JS_SERVE_MAX_UNZIPPED (128L * 1024 * 1024) /* a CSV folder's .zip, unpacked */
#define JS_SERVE_MAX_ZIP_RATIO 200                 /* unpacked : packed, per member */
#define JS_SERVE_MAX_FORM (256L * 1024)            /* a form without a file */
#define JS_SERVE_MAX_CONNECTIONS 512
#define JS_SERVE_TIMEOUT 60                        /* seconds of an idle connection */
#define JS_SERVE_SESSION_IDLE (30 * 60)
#define JS_SERVE_SESSION_ABSOLUTE (12 * 60 * 60)
#define JS_SERVE_API_LIMIT_DEFAULT 50              /* a page of the read API's lists */
#define JS_SERVE_API_LIMIT_MAX 500                 /* the largest page */
#define JS_SERVE_API_OFFSET_MAX 1000000            /* the farthest offset */
#define JS_SERVE_CONNECTION_MEMORY (16L * 1024) /* a connection's headers and
                                        * read buffer; libmicrohttpd
                                        * 0.9.75 zeroes all of it before
                                        * each request of a connection */
#define JS_SERVE_PUBLIC_PAGES 1024   /* anonymous responses kept in memory */
#define JS_SERVE_PUBLIC_BYTES (64L * 1024 * 1024) /* their bytes in all */
#define JS_SERVE_PUBLIC_RECHECK_MS 250 /* how often the store's public
                                        * generation is asked: another
                                        * instance's publication shows
                                        * within this time */

typedef struct js_server js_server;

/* Opens the store (to check it), loads data/portal and starts listening.
 * The options' strings are copied. NULL and d filled on error (JS_E_IO:
 * cannot listen or open the store; JS_E_USAGE: a bad option). */
js_server *js_serve_start(const js_serve_options *o, js_diag *d);
/* The port listened on. */
unsigned js_serve_port(const js_server *s);
/* Stops listening, waits for the requests being served, frees s. */
void js_serve_stop(js_server *s);

/* The route table, for documentation and the authorization test: route i
 * (i < js_serve_route_count()) as its method, its pattern (":year",
 * ":dept", ":v" (v1, v2 …), ":file", ":id" stand for path parameters) and
 * who may use it ("public", "login", or role names joined by '|'). */
size_t js_serve_route_count(void);
void js_serve_route_info(size_t i, const char **method, const char **pattern, const char **who);

/* The demo: seeds an empty store with the workbooks at paths (folders of
 * CSV sheets or .xlsx files; each becomes a department with the code at
 * the same index; a code given again is the same department, another
 * year), taking each through upload, submission, approval and
 * publication (a workbook whose audit has errors stays a draft), and adds
 * one user per role (logins js_serve_demo_logins: the preparer belongs to
 * the first department), each with a random password written into
 * passwords. JS_STORE_CONFLICT when the store already holds departments.
 * shared is borrowed. */
extern const char *const js_serve_demo_logins[4];
int js_serve_demo_seed(js_store *st, js_run_shared *shared, const char *const *paths,
                       const char *const *codes, size_t n, char passwords[4][24], js_diag *d);

#endif
