/* Whole responses to anonymous visitors, kept in memory: a public page or
 * output is the same bytes for every visitor until something is published,
 * withdrawn or corrected, or a department added. The store counts such
 * changes (its public generation, store.h); an entry is served only while
 * the generation it was made under is the current one.
 *
 * The generation is asked of the store at most every
 * JS_SERVE_PUBLIC_RECHECK_MS (so another portal instance's publication on
 * the same PostgreSQL shows within that time) and at once after any
 * successful change made through this server. A kept response carries an
 * entity tag (a hash of its bytes); a visitor who names it in
 * If-None-Match gets 304 Not Modified. An entry is the
 * libmicrohttpd response itself, headers included, queued as it is: a hit
 * costs a lookup and no allocation. libmicrohttpd counts the references to
 * a response, so an entry dropped while being sent lives until sent. */
#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve_internal.h"

struct public_entry {
    char *url;
    uint64_t hash;
    int64_t gen;
    size_t bytes;
    struct MHD_Response *resp;
    struct MHD_Response *not_modified; /* its 304, with the same tag */
    unsigned status;
    char etag[24];
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void drop(js_server *s, struct public_entry *e)
{
    if (!e->resp)
        return;
    MHD_destroy_response(e->resp);
    if (e->not_modified)
        MHD_destroy_response(e->not_modified);
    free(e->url);
    s->public_bytes -= e->bytes;
    memset(e, 0, sizeof *e);
}

void public_cache_init(js_server *s)
{
    pthread_rwlock_init(&s->public_lock, NULL);
    s->public_pages = calloc(JS_SERVE_PUBLIC_PAGES, sizeof *s->public_pages);
    atomic_init(&s->public_gen, -1);
    atomic_init(&s->public_checked, 0);
}

void public_cache_free(js_server *s)
{
    for (size_t i = 0; s->public_pages && i < JS_SERVE_PUBLIC_PAGES; i++)
        drop(s, &s->public_pages[i]);
    free(s->public_pages);
    pthread_rwlock_destroy(&s->public_lock);
}

/* Reads the store's generation through st; a change drops every entry. */
static void refresh(js_server *s, js_store *st)
{
    int64_t gen;
    js_diag d = {0};
    if (js_store_public_generation(st, &gen, &d) != JS_OK) {
        atomic_store(&s->public_gen, -1); /* unknown: serve nothing cached */
        return;
    }
    if (gen != atomic_load(&s->public_gen)) {
        pthread_rwlock_wrlock(&s->public_lock);
        for (size_t i = 0; i < JS_SERVE_PUBLIC_PAGES; i++)
            drop(s, &s->public_pages[i]);
        atomic_store(&s->public_gen, gen);
        pthread_rwlock_unlock(&s->public_lock);
    }
    atomic_store(&s->public_checked, now_ms());
}

void public_cache_changed(js_server *s, js_store *st)
{
    refresh(s, st);
}

int64_t public_cache_generation(js_server *s, js_store *st)
{
    int64_t t = now_ms();
    if (t - atomic_load(&s->public_checked) >= JS_SERVE_PUBLIC_RECHECK_MS)
        refresh(s, st);
    return atomic_load(&s->public_gen);
}

/* The slot of url: where it is, or else the first free slot of its probe
 * sequence, or else the sequence's first slot (to be replaced). */
#define PROBES 8
static struct public_entry *slot(js_server *s, const char *url, uint64_t h, bool *found)
{
    struct public_entry *free_one = NULL;
    for (size_t k = 0; k < PROBES; k++) {
        struct public_entry *e = &s->public_pages[(h + k) & (JS_SERVE_PUBLIC_PAGES - 1)];
        if (e->resp && e->hash == h && !strcmp(e->url, url)) {
            *found = true;
            return e;
        }
        if (!e->resp && !free_one)
            free_one = e;
    }
    *found = false;
    return free_one ? free_one : &s->public_pages[h & (JS_SERVE_PUBLIC_PAGES - 1)];
}

bool public_cache_send(js_server *s, struct MHD_Connection *c, const char *url, int64_t gen,
                       int *ret)
{
    if (gen < 0 || !s->public_pages)
        return false;
    uint64_t h = fnv1a(url);
    bool found;
    pthread_rwlock_rdlock(&s->public_lock);
    struct public_entry *e = slot(s, url, h, &found);
    if (found && e->gen == gen) {
        const char *want = e->not_modified ? MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match") : NULL;
        if (want && strstr(want, e->etag))
            *ret = (int)MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, e->not_modified);
        else
            *ret = (int)MHD_queue_response(c, e->status, e->resp);
    } else
        found = false;
    pthread_rwlock_unlock(&s->public_lock);
    return found;
}

void public_cache_etag(const void *data, size_t len, char out[24])
{
    unsigned char h[8];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    snprintf(out, 24, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
}

/* The 304 of a kept response: its tag and caching, no body. */
static struct MHD_Response *not_modified(const char *etag)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    if (r) {
        MHD_add_response_header(r, "ETag", etag);
        MHD_add_response_header(r, "Cache-Control", "public, max-age=300");
    }
    return r;
}

bool public_cache_put(js_server *s, const char *url, int64_t gen, unsigned status,
                      struct MHD_Response *resp, size_t bytes, const char *etag)
{
    if (gen < 0 || !s->public_pages || bytes > JS_SERVE_PUBLIC_BYTES / 8)
        return false;
    char *copy = strdup(url);
    if (!copy)
        return false;
    uint64_t h = fnv1a(url);
    bool found;
    pthread_rwlock_wrlock(&s->public_lock);
    struct public_entry *e = slot(s, url, h, &found);
    if (gen != atomic_load(&s->public_gen)) { /* made under an older generation */
        pthread_rwlock_unlock(&s->public_lock);
        free(copy);
        return false;
    }
    drop(s, e);
    /* over the bytes: drop entries from the slot on until it fits */
    for (size_t k = 1; s->public_bytes + bytes > JS_SERVE_PUBLIC_BYTES && k < JS_SERVE_PUBLIC_PAGES; k++)
        drop(s, &s->public_pages[((size_t)(e - s->public_pages) + k) & (JS_SERVE_PUBLIC_PAGES - 1)]);
    e->url = copy;
    e->hash = h;
    e->gen = gen;
    e->bytes = bytes;
    e->status = status;
    e->resp = resp; /* the caller's reference becomes the cache's */
    snprintf(e->etag, sizeof e->etag, "%s", etag);
    e->not_modified = not_modified(e->etag);
    s->public_bytes += bytes;
    pthread_rwlock_unlock(&s->public_lock);
    return true;
}
