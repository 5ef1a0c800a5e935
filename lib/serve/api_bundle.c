/* The bundle download of a region-year, /api/v1/years/:year/bundle.zip
 * (built by bundle.c, stored), with its SHA-256 in the Repr-Digest header
 * and beside it as bundle.zip.sha256 (the format of sha256sum); and the
 * region-year's Fiscal Data Package read out of it. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "juesuan/fdp.h"
#include "zip_read.h"

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

/* A member of the year's bundle (the region-year's Fiscal Data Package:
 * datapackage.json and the fiscal-data.csv it describes, at addresses
 * beside each other so that the package's relative path resolves). */
static void bundle_member(js_req *r, const char *name, const char *ctype)
{
    js_store_bundle b;
    if (!bundle_of(r, true, &b))
        return;
    js_zipr *z = js_zipr_open_memory(b.data, b.size);
    char *data = NULL;
    size_t len = 0;
    int got = z ? js_zipr_read(z, name, &data, &len) : -1;
    if (got == 1) {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[65];
        crypto_hash_sha256(h, (const unsigned char *)data, len);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        api_send_bytes(r, data, len, ctype, hex, API_CACHE_LIST);
        if (strstr(ctype, "csv"))
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"juesuan-%d-%s\"", b.year, name);
    } else
        api_fail_text(r, got == 0 ? 404 : 500, got == 0 ? T_API_NO_FILE : T_API_BUNDLE_FAILED);
    free(data);
    js_zipr_close(z);
    js_store_bundle_free(&b);
}

void h_api_region_package(js_req *r) { bundle_member(r, JS_FDP_PACKAGE, "application/json; charset=utf-8"); }

void h_api_region_csv(js_req *r) { bundle_member(r, JS_FDP_CSV, "text/csv; charset=utf-8"); }
