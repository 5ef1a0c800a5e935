/* Published outputs in memory: a version's outputs never change once
 * published (a correction is a new version), so the bytes of (version,
 * name) are kept after the first read, up to OUTPUT_CACHE_BYTES in all,
 * the oldest dropped first. Whether the version may still be shown is
 * asked of the store on every request; only the bytes (and their
 * SHA-256, for the read API's ETag) are cached. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "serve_internal.h"

#define OUTPUT_CACHE_BYTES (64L * 1024 * 1024)

void output_cache_init(js_server *s)
{
    s->cache = calloc(OUTPUT_CACHE_SLOTS, sizeof *s->cache);
}

void output_cache_free(js_server *s)
{
    if (!s->cache)
        return;
    for (size_t i = 0; i < OUTPUT_CACHE_SLOTS; i++)
        free(s->cache[i].data);
    free(s->cache);
}

bool output_cache_get_sha(js_server *s, int64_t version, const char *name, js_buf *out, char sha256[65])
{
    bool hit = false;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; s->cache && i < OUTPUT_CACHE_SLOTS && !hit; i++)
        if (s->cache[i].data && s->cache[i].version == version && !strcmp(s->cache[i].name, name)) {
            hit = js_buf_append(out, s->cache[i].data, s->cache[i].size);
            if (sha256)
                memcpy(sha256, s->cache[i].sha256, 65);
        }
    pthread_mutex_unlock(&s->lock);
    return hit;
}

bool output_cache_get(js_server *s, int64_t version, const char *name, js_buf *out)
{
    return output_cache_get_sha(s, version, name, out, NULL);
}

void output_cache_put(js_server *s, int64_t version, const char *name, const void *data, size_t size)
{
    if (!s->cache || size > OUTPUT_CACHE_BYTES / 8 || strlen(name) >= sizeof s->cache[0].name)
        return;
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return;
    memcpy(copy, data, size);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, data, size);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < OUTPUT_CACHE_SLOTS; i++)
        if (s->cache[i].data && s->cache[i].version == version && !strcmp(s->cache[i].name, name)) {
            pthread_mutex_unlock(&s->lock); /* another thread was first */
            free(copy);
            return;
        }
    while (s->cache_bytes + size > OUTPUT_CACHE_BYTES || s->cache[s->cache_next].data) {
        struct output_slot *old = &s->cache[s->cache_next];
        if (!old->data) { /* an empty slot, yet too many bytes: drop the next one */
            s->cache_next = (s->cache_next + 1) % OUTPUT_CACHE_SLOTS;
            continue;
        }
        s->cache_bytes -= old->size;
        free(old->data);
        old->data = NULL;
        if (s->cache_bytes + size <= OUTPUT_CACHE_BYTES)
            break;
        s->cache_next = (s->cache_next + 1) % OUTPUT_CACHE_SLOTS;
    }
    struct output_slot *slot = &s->cache[s->cache_next];
    slot->version = version;
    strcpy(slot->name, name);
    memcpy(slot->sha256, hex, sizeof hex);
    slot->data = copy;
    slot->size = size;
    s->cache_bytes += size;
    s->cache_next = (s->cache_next + 1) % OUTPUT_CACHE_SLOTS;
    pthread_mutex_unlock(&s->lock);
}

bool stored_output(js_req *r, int64_t version, const char *name, js_buf *out, char sha256[65])
{
    if (output_cache_get_sha(r->srv, version, name, out, sha256))
        return true;
    js_store_output o = {0};
    js_diag d = {0};
    if (js_store_output_get(r->store, version, name, &o, &d) != JS_OK)
        return false;
    bool ok = js_buf_append(out, o.data, o.size);
    memcpy(sha256, o.sha256, 65);
    output_cache_put(r->srv, version, name, o.data, o.size);
    js_store_output_free(&o);
    return ok;
}
