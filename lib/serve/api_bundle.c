/* The bundle download of a region-year, /api/v1/years/:year/bundle.zip
 * (built by bundle.c, stored), with its SHA-256 in the Repr-Digest header
 * and beside it as bundle.zip.sha256 (the format of sha256sum). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

/* The year's current bundle (with data when asked); else an error sent. */
static bool bundle_of(js_req *r, bool with_data, js_store_bundle *b)
{
    static const char *const allowed[] = {NULL};
    if (!api_query_ok(r, allowed))
        return false;
    js_diag d = {0};
    int rc = bundle_current(r->store, atoi(r->param[0]), with_data, b, &d);
    if (rc == JS_OK)
        return true;
    api_fail(r, rc == JS_STORE_NOT_FOUND ? 404 : 500,
             tx_str(TXT(r), rc == JS_STORE_NOT_FOUND ? T_API_BUNDLE_NONE : T_API_BUNDLE_FAILED));
    return false;
}

void h_api_bundle(js_req *r)
{
    js_store_bundle b;
    if (!bundle_of(r, true, &b))
        return;
    unsigned char bin[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    size_t binlen = 0;
    if (!sodium_hex2bin(bin, sizeof bin, b.sha256, strlen(b.sha256), NULL, &binlen, NULL) && binlen == sizeof bin) {
        sodium_bin2base64(b64, sizeof b64, bin, sizeof bin, sodium_base64_VARIANT_ORIGINAL);
        api_header(r, "Repr-Digest", "sha-256=:%s:", b64);
    }
    api_send_bytes(r, b.data, b.size, "application/zip", b.sha256, API_CACHE_LIST);
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"juesuan-%d.zip\"", b.year);
    js_store_bundle_free(&b);
}

void h_api_bundle_sum(js_req *r)
{
    js_store_bundle b;
    if (!bundle_of(r, false, &b))
        return;
    char line[128];
    int n = snprintf(line, sizeof line, "%s  juesuan-%d.zip\n", b.sha256, b.year);
    api_send_bytes(r, line, (size_t)n, "text/plain; charset=utf-8", b.sha256, API_CACHE_LIST);
    js_store_bundle_free(&b);
}
