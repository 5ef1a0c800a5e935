/* Strict CSV reader (see csv.h). */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "beside.h"
#include "juesuan/limits.h"
#include "utf8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define PARALLEL_CHECK ((size_t)8 << 20) /* input checked by two threads from this size */

struct js_csv {
    const char *name;
    const char *p;   /* input */
    size_t len;
    size_t pos;
    long line;       /* line of the next byte */
    long rec_line;   /* line where the current record starts */
    char *owned;     /* converted input, if any */
    bool gb18030;
    char *buf;       /* field bytes of the current record, NUL-separated */
    size_t buflen, bufcap;
    size_t offs[JS_MAX_COLUMNS];
    size_t lens[JS_MAX_COLUMNS];
    size_t nf;
};

static long line_of(const char *p, size_t off)
{
    long line = 1;
    for (size_t i = 0; i < off; i++)
        if (p[i] == '\n')
            line++;
    return line;
}

/* UTF-8 check of the second half of a big input, on its own thread. */
typedef struct {
    const char *p;
    size_t len, bad;
} check_job;

static void *check_half(void *arg)
{
    check_job *j = arg;
    j->bad = js_utf8_text_invalid_at(j->p, j->len);
    return NULL;
}

/* js_utf8_text_invalid_at, by two threads for a big input: each half from
 * a character start. */
static size_t invalid_at(const char *data, size_t len)
{
    if (len < PARALLEL_CHECK || !js_beside_halves_on())
        return js_utf8_text_invalid_at(data, len);
    size_t mid = len / 2;
    while (mid < len && ((unsigned char)data[mid] & 0xc0) == 0x80)
        mid++;
    check_job j = {data + mid, len - mid, len - mid};
    js_beside b;
    js_beside_start(&b, check_half, &j, true);
    size_t bad = js_utf8_text_invalid_at(data, mid);
    js_beside_finish(&b);
    return bad != mid ? bad : mid + j.bad;
}

js_csv *js_csv_open(const char *name, const char *data, size_t len, js_diag *d)
{
    if ((long)len > JS_MAX_SHEET_BYTES) {
        js_diag_set(d, JS_E_LIMIT, name, 0, 0, NULL, "文件超过 %ld 字节的上限",
                    (long)JS_MAX_SHEET_BYTES);
        return NULL;
    }
    js_csv *c = calloc(1, sizeof *c);
    if (!c) {
        js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
        return NULL;
    }
    c->name = name;
    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
        if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
            js_diag_set(d, JS_E_INPUT, name, 1, 0, NULL,
                        "文件开头有两个字节顺序标记（BOM）：文件被两次另存为带 BOM 的 UTF-8，请删去一个");
            free(c);
            return NULL;
        }
    }
    /* One pass finds the first byte that is not UTF-8 text: a NUL, or else
     * the input may be GB18030 (then converted, and looked at again). */
    size_t bad = invalid_at(data, len);
    if (bad != len && data[bad] != '\0') {
        size_t outlen;
        if (!js_gb18030_to_utf8(data, len, &c->owned, &outlen)) {
            js_diag_set(d, JS_E_INPUT, name, line_of(data, bad), 0, NULL,
                        "文件编码无法识别：既不是UTF-8，也不是GB18030（请另存为UTF-8编码的CSV）");
            free(c);
            return NULL;
        }
        c->gb18030 = true;
        data = c->owned;
        len = outlen;
        const char *nul = memchr(data, '\0', len);
        bad = nul ? (size_t)(nul - data) : len;
    }
    if (bad != len) { /* a NUL */
        js_diag_set(d, JS_E_INPUT, name, line_of(data, bad), 0, NULL,
                    "文件含有空字符（不是文本文件）");
        js_csv_free(c);
        return NULL;
    }
    c->p = data;
    c->len = len;
    c->line = 1;
    return c;
}

/* Bytes that end an unquoted field, or may not appear in one. */
static const bool k_special[256] = {[','] = true, ['\n'] = true, ['\r'] = true, ['"'] = true};

#define ONES 0x0101010101010101ULL

/* The bytes of w equal to b, as their high bits (exact for the lowest). */
static uint64_t bytes_equal(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ (b * ONES);
    return (x - ONES) & ~x & (ONES << 7);
}

/* The first special byte (k_special) at or after from, or len: eight bytes
 * at a time where the byte order allows it. */
static size_t special_at(const char *p, size_t from, size_t len)
{
    size_t i = from;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        uint64_t m = bytes_equal(w, ',') | bytes_equal(w, '\n') | bytes_equal(w, '\r') | bytes_equal(w, '"');
        if (m)
            return i + (size_t)(__builtin_ctzll(m) >> 3);
    }
#endif
    while (i < len && !k_special[(unsigned char)p[i]])
        i++;
    return i;
}

/* Room for n more bytes and a NUL in buf. */
static bool reserve(js_csv *c, size_t n)
{
    if (c->buflen + n + 1 >= c->bufcap) {
        size_t cap = c->bufcap ? c->bufcap * 2 : 1024;
        while (cap <= c->buflen + n + 1)
            cap *= 2;
        char *b = realloc(c->buf, cap);
        if (!b)
            return false;
        c->buf = b;
        c->bufcap = cap;
    }
    return true;
}

static bool put(js_csv *c, char ch)
{
    if (!reserve(c, 1))
        return false;
    c->buf[c->buflen++] = ch;
    return true;
}

/* Reads one record into buf; returns 1, 0 at end, -1 on error. */
static int read_record(js_csv *c, js_diag *d)
{
    c->buflen = 0;
    c->nf = 0;
    if (c->pos >= c->len)
        return 0;
    c->rec_line = c->line;
    for (;;) {
        if (c->nf == JS_MAX_COLUMNS) {
            js_diag_set(d, JS_E_LIMIT, c->name, c->rec_line, 0, NULL,
                        "一行超过 %d 列", JS_MAX_COLUMNS);
            return -1;
        }
        size_t start = c->buflen;
        c->offs[c->nf] = start;
        if (c->pos < c->len && c->p[c->pos] == '"') {
            long qline = c->line;
            c->pos++;
            for (;;) {
                if (c->pos >= c->len) {
                    js_diag_set(d, JS_E_INPUT, c->name, qline, (int)c->nf + 1, NULL,
                                "引号没有闭合");
                    return -1;
                }
                char ch = c->p[c->pos++];
                if (ch == '"') {
                    if (c->pos < c->len && c->p[c->pos] == '"') {
                        c->pos++;
                    } else {
                        break;
                    }
                } else if (ch == '\n' || (ch == '\r' && (c->pos >= c->len || c->p[c->pos] != '\n'))) {
                    c->line++;
                }
                if (c->buflen - start == JS_MAX_CELL_BYTES) /* before the byte past the limit is kept */
                    goto too_long;
                if (!put(c, ch))
                    goto nomem;
            }
            if (c->pos < c->len && c->p[c->pos] != ',' && c->p[c->pos] != '\n' &&
                c->p[c->pos] != '\r') {
                js_diag_set(d, JS_E_INPUT, c->name, c->line, (int)c->nf + 1, NULL,
                            "引号后面有多余的字符");
                return -1;
            }
        } else {
            /* Unquoted: up to the next comma or line end, copied at once. */
            size_t end = special_at(c->p, c->pos, c->len);
            if (end < c->len && c->p[end] == '"') {
                js_diag_set(d, JS_E_INPUT, c->name, c->line, (int)c->nf + 1, NULL,
                            "未加引号的单元格中出现引号");
                return -1;
            }
            if (end - c->pos > JS_MAX_CELL_BYTES) /* before it is copied */
                goto too_long;
            if (!reserve(c, end - c->pos))
                goto nomem;
            memcpy(c->buf + c->buflen, c->p + c->pos, end - c->pos);
            c->buflen += end - c->pos;
            c->pos = end;
        }
        c->lens[c->nf] = c->buflen - start;
        if (!put(c, '\0'))
            goto nomem;
        c->nf++;
        if (c->pos >= c->len)
            return 1;
        char ch = c->p[c->pos];
        if (ch == ',') {
            c->pos++;
            continue;
        }
        /* LF, CRLF or a lone CR (old Mac files) ends the record. */
        c->pos++;
        if (ch == '\r' && c->pos < c->len && c->p[c->pos] == '\n')
            c->pos++;
        c->line++;
        return 1;
    }
nomem:
    js_diag_set(d, JS_E_NOMEM, c->name, c->rec_line, 0, NULL, "内存不足");
    return -1;
too_long:
    js_diag_set(d, JS_E_LIMIT, c->name, c->rec_line, (int)c->nf + 1, NULL, "单元格超过 %d 字节的上限",
                JS_MAX_CELL_BYTES);
    return -1;
}

int js_csv_next(js_csv *c, js_diag *d)
{
    for (;;) {
        int r = read_record(c, d);
        if (r <= 0)
            return r;
        for (size_t i = 0; i < c->nf; i++) {
            const char *f = c->buf + c->offs[i];
            if (strspn(f, " \t") != c->lens[i])
                return 1;
        }
    }
}

/* Adds the field p[*start..at) and moves *start past the comma at at;
 * false when there are already max fields. */
static inline bool plain_field(const char *p, size_t *start, size_t at, const char **field, size_t *len,
                               size_t *nf, size_t max)
{
    if (*nf == max || at - *start > JS_MAX_CELL_BYTES)
        return false;
    field[*nf] = p + *start;
    len[(*nf)++] = at - *start;
    *start = at + 1;
    return true;
}

#if defined(__x86_64__)
/* One block of js_csv_plain's scan, as bit masks of its commas, line
 * feeds and bytes that make a line not plain (bit k: byte i + k): 1 with
 * *end at the line feed, 0 to go on, -1 when the line is not plain. The
 * length of a cell is not checked here (see js_csv_plain). */
static inline int plain_block(const char *p, size_t i, uint32_t comma, uint32_t lf, uint32_t odd, size_t *start,
                              const char **field, size_t *len, size_t *nf, size_t max, size_t *end)
{
    if (lf) {
        uint32_t before = (lf & -lf) - 1;
        comma &= before;
        odd &= before;
    }
    if (odd)
        return -1;
    for (; comma; comma &= comma - 1) {
        size_t at = i + (size_t)__builtin_ctz(comma);
        if (*nf == max)
            return -1;
        field[*nf] = p + *start;
        len[(*nf)++] = at - *start;
        *start = at + 1;
    }
    if (!lf)
        return 0;
    *end = i + (size_t)__builtin_ctz(lf);
    return 1;
}

/* The scan thirty-two bytes at a time (AVX2), from *i while a whole block
 * is left: plain_block's result, *i at the last block when 0. */
__attribute__((target("avx2"))) static int plain_blocks32(const char *p, size_t n, size_t *pi, size_t *pstart,
                                                          const char **field, size_t *len, size_t *pnf, size_t max,
                                                          size_t *end)
{
    size_t i = *pi, start = *pstart, nf = *pnf; /* in registers */
    int found = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
        found = plain_block(
            p, i, (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(','))),
            (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n'))),
            (uint32_t)_mm256_movemask_epi8(
                _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')), _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\r')))),
            &start, field, len, &nf, max, end);
        if (found)
            break;
    }
    *pi = i;
    *pstart = start;
    *pnf = nf;
    return found;
}
#endif

size_t js_csv_plain(js_csv *c, const char **field, size_t *len, size_t max)
{
    const char *p = c->p + c->pos;
    size_t n = c->len - c->pos, nf = 0, start = 0, i = 0, end;
    if (n == 0)
        return 0;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) {
        int found = plain_blocks32(p, n, &i, &start, field, len, &nf, max, &end);
        if (found < 0)
            return 0;
        if (found)
            goto line_end;
    }
    /* sixteen bytes at a time (SSE2) */
    for (int found = 0; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        found = plain_block(
            p, i, (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(','))),
            (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
            (uint32_t)_mm_movemask_epi8(
                _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')))),
            &start, field, len, &nf, max, &end);
        if (found < 0)
            return 0;
        if (found)
            goto line_end;
    }
#endif
    for (; i < n; i++) {
        if (p[i] == '\n')
            break;
        if (p[i] == '"' || p[i] == '\r')
            return 0;
        if (p[i] == ',' && !plain_field(p, &start, i, field, len, &nf, max))
            return 0;
    }
    end = i;
#if defined(__x86_64__)
line_end:
#endif
    if (end > JS_MAX_CELL_BYTES) /* a line that long: its cells' lengths checked by js_csv_next */
        return 0;
    if (!plain_field(p, &start, end, field, len, &nf, max))
        return 0;
    c->rec_line = c->line;
    c->pos += end < n ? end + 1 : end;
    c->line++;
    c->nf = 0; /* the fields are the caller's spans, not the record's */
    return nf;
}

size_t js_csv_left(const js_csv *c) { return c->len - c->pos; }

js_csv_mark js_csv_tell(const js_csv *c) { return (js_csv_mark){c->pos, c->line}; }

void js_csv_seek(js_csv *c, js_csv_mark m)
{
    c->pos = m.pos;
    c->line = m.line;
}

size_t js_csv_nfields(const js_csv *c) { return c->nf; }

const char *js_csv_field(const js_csv *c, size_t i)
{
    return i < c->nf ? c->buf + c->offs[i] : "";
}

size_t js_csv_field_len(const js_csv *c, size_t i) { return i < c->nf ? c->lens[i] : 0; }

char *js_csv_field_edit(js_csv *c, size_t i) { return i < c->nf ? c->buf + c->offs[i] : NULL; }

long js_csv_line(const js_csv *c) { return c->rec_line; }

long js_csv_next_line(const js_csv *c) { return c->line; }

bool js_csv_was_gb18030(const js_csv *c) { return c->gb18030; }

bool js_csv_split(js_csv *c, size_t min, js_csv **second)
{
    const char *rest = c->p + c->pos;
    size_t n = c->len - c->pos;
    if (n < min)
        return false;
    const char *nl = memchr(rest + n / 2, '\n', n - n / 2);
    if (!nl || nl + 1 == c->p + c->len)
        return false;
    size_t cut = (size_t)(nl + 1 - c->p);
    /* a record starts at the cut unless a quoted field before it holds a
     * line break: no quote before it, none could (one after it is the
     * second reader's, read as usual) */
    if (memchr(rest, '"', cut - c->pos))
        return false;
    js_csv *b = calloc(1, sizeof *b);
    if (!b)
        return false;
    b->name = c->name;
    b->p = c->p;
    b->pos = cut;
    b->len = c->len;
    b->line = 1;
    b->gb18030 = c->gb18030;
    c->len = cut;
    *second = b;
    return true;
}

void js_csv_free(js_csv *c)
{
    if (!c)
        return;
    free(c->owned);
    free(c->buf);
    free(c);
}
