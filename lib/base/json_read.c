/* Reading JSON into jansson values (see json_read.h). The text is checked
 * for UTF-8 once, in blocks; then a recursive descent builds the values
 * straight from the bytes. Whatever it does not take on it leaves to
 * json_loadb, which then reads the whole text again. */
#include "json_read.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Deep enough for any profile; a deeper text goes to jansson, whose limit
 * (JSON_PARSER_MAX_DEPTH, 2048) then decides. */
#define MAX_DEPTH 256
/* Digits of an integer read here: any 18 fit in a json_int_t (long long). */
#define MAX_DIGITS 18

typedef struct {
    const char *p, *end;
    int depth;
    char *scratch; /* a string with escapes, unescaped */
    size_t cap;
} reader;

static void skip_space(reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
        r->p++;
}

/* The string at r->p (after its opening quote) in *s, *n: in place when it
 * has no escape, else unescaped into the scratch buffer. False for what
 * jansson must judge: a \u escape, a bad escape, a control character, no
 * closing quote. */
static bool string(reader *r, const char **s, size_t *n)
{
    const char *start = r->p;
    while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
        r->p++;
    if (r->p == r->end || (unsigned char)*r->p < 0x20)
        return false;
    if (*r->p == '"') {
        *s = start;
        *n = (size_t)(r->p++ - start);
        return true;
    }
    size_t len = 0;
    const char *run = start;
    for (;;) {
        while (r->p < r->end && *r->p != '"' && *r->p != '\\' && (unsigned char)*r->p >= 0x20)
            r->p++;
        if (r->p == r->end || (unsigned char)*r->p < 0x20)
            return false;
        size_t part = (size_t)(r->p - run);
        if (len + part + 1 > r->cap) {
            size_t cap = 2 * (len + part + 1) + 64;
            char *b = realloc(r->scratch, cap);
            if (!b)
                return false;
            r->scratch = b;
            r->cap = cap;
        }
        memcpy(r->scratch + len, run, part);
        len += part;
        if (*r->p == '"') {
            r->p++;
            *s = r->scratch;
            *n = len;
            return true;
        }
        if (r->end - r->p < 2)
            return false;
        char c;
        switch (r->p[1]) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        default: return false; /* \u, or not an escape */
        }
        r->scratch[len++] = c;
        r->p += 2;
        run = r->p;
    }
}

/* An integer: -?(0|[1-9][0-9]*), at most MAX_DIGITS digits, not followed
 * by a fraction or an exponent. */
static json_t *integer(reader *r)
{
    bool neg = *r->p == '-';
    if (neg)
        r->p++;
    const char *digits = r->p;
    long long v = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (r->p - digits == MAX_DIGITS) /* more: jansson's (v would overflow) */
            return NULL;
        v = v * 10 + (*r->p++ - '0');
    }
    size_t n = (size_t)(r->p - digits);
    if (n == 0 || n > MAX_DIGITS || (n > 1 && *digits == '0') ||
        (r->p < r->end && (*r->p == '.' || *r->p == 'e' || *r->p == 'E')))
        return NULL;
    return json_integer(neg ? -v : v);
}

/* One of the words true, false and null, when no letter follows it (jansson
 * reads a word whole). */
static bool word(reader *r, const char *w, size_t n)
{
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n))
        return false;
    r->p += n;
    return r->p == r->end || !((*r->p >= 'a' && *r->p <= 'z') || (*r->p >= 'A' && *r->p <= 'Z'));
}

static json_t *value(reader *r);

/* Past the opening character of an object or array: true when it is
 * empty (its closing character read too). */
static bool empty_container(reader *r, char close)
{
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return true;
    }
    return false;
}

/* After a member or an element: 1 at a comma (another follows), 0 at the
 * closing character (read past it), -1 at anything else. */
static int after_item(reader *r, char close)
{
    skip_space(r);
    if (r->p < r->end && *r->p == ',') {
        r->p++;
        skip_space(r);
        return 1;
    }
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return 0;
    }
    return -1;
}

static json_t *object(reader *r)
{
    json_t *o = json_object();
    if (!o || empty_container(r, '}'))
        return o;
    int more = 1;
    while (more > 0) {
        const char *key;
        size_t n;
        json_t *v;
        if (r->p == r->end || *r->p != '"')
            break;
        r->p++;
        /* the key is in the scratch buffer when it had an escape: the
         * value's strings would overwrite it, so such a key is jansson's */
        if (!string(r, &key, &n) || key == r->scratch)
            break;
        skip_space(r);
        if (r->p == r->end || *r->p != ':')
            break;
        r->p++;
        skip_space(r);
        /* a key seen before replaces its value and leaves the size as it
         * was: a duplicate, for jansson to refuse */
        size_t size = json_object_size(o);
        if (!(v = value(r)) || json_object_setn_new_nocheck(o, key, n, v) || json_object_size(o) == size)
            break;
        more = after_item(r, '}');
    }
    if (more == 0)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *array(reader *r)
{
    json_t *a = json_array();
    if (!a || empty_container(r, ']'))
        return a;
    int more = 1;
    while (more > 0) {
        json_t *v = value(r);
        if (!v || json_array_append_new(a, v))
            break;
        more = after_item(r, ']');
    }
    if (more == 0)
        return a;
    json_decref(a);
    return NULL;
}

/* The value at r->p (no space before it), or NULL: one for jansson. */
static json_t *value(reader *r)
{
    if (r->p == r->end)
        return NULL;
    json_t *v = NULL;
    const char *s;
    size_t n;
    if (++r->depth > MAX_DEPTH)
        return NULL;
    switch (*r->p) {
    case '{': v = object(r); break;
    case '[': v = array(r); break;
    case '"':
        r->p++;
        v = string(r, &s, &n) ? json_stringn_nocheck(s, n) : NULL;
        break;
    case 't': v = word(r, "true", 4) ? json_true() : NULL; break;
    case 'f': v = word(r, "false", 5) ? json_false() : NULL; break;
    case 'n': v = word(r, "null", 4) ? json_null() : NULL; break;
    default:
        if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9'))
            v = integer(r);
    }
    r->depth--;
    return v;
}

json_t *js_json_read_plain(const char *data, size_t len)
{
    reader r = {data, data + len, 0, NULL, 0};
    if (js_utf8_invalid_at(data, len) != len)
        return NULL;
    skip_space(&r);
    /* jansson's reader without JSON_DECODE_ANY: an object or an array */
    json_t *v = r.p < r.end && (*r.p == '{' || *r.p == '[') ? value(&r) : NULL;
    free(r.scratch);
    skip_space(&r);
    if (v && r.p != r.end) {
        json_decref(v);
        v = NULL;
    }
    return v;
}

json_t *js_json_read(const char *data, size_t len, json_error_t *err)
{
    json_t *v = js_json_read_plain(data, len);
    if (!v)
        return json_loadb(data, len, JSON_REJECT_DUPLICATES, err);
    if (err) { /* as jansson leaves it after a value */
        memset(err, 0, sizeof *err);
        err->line = err->column = -1;
        strcpy(err->source, "<buffer>");
    }
    return v;
}
