/* Strict CSV reader (see csv.h). */
#include "csv.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beside.h"
#include "fileio.h"
#include "huge.h"
#include "juesuan/limits.h"
#include "utf8.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define PARALLEL_CHECK ((size_t)8 << 20) /* input checked by two threads from this size */

/* How reading a streamed input can fail, besides an errno. */
enum { BROKEN_CHANGED = -1, BROKEN_TEXT = -2, BROKEN_GROWING = -3, BROKEN_CANCELLED = -4 };

/* A streamed input (js_csv_open_stream) is read a window at a time. */
#define WINDOW_BYTES ((size_t)2 << 20)
/* A plain line is no longer than a cell (js_csv_plain): with this much
 * left in the window, or the input's end in it, a line in it is whole. */
#define PLAIN_ROOM ((size_t)JS_MAX_CELL_BYTES + 1)

struct js_csv {
    const char *name;
    const char *p;   /* input, or the window on it: input bytes base .. base + len */
    size_t len;
    size_t pos;
    size_t base;     /* input offset of p[0] (0 unless streamed) */
    size_t end;      /* input bytes in all (len unless streamed) */
    /* streamed: */
    int fd;          /* -1: the whole input is in p */
    size_t skip;     /* file offset of the input's first byte (past a BOM) */
    char *win;       /* the window (owned), wcap bytes */
    size_t wcap;
    size_t window;   /* a window's first size */
    size_t checked;  /* window bytes checked as UTF-8 text: p[0..checked) */
    int broken;      /* reading on failed: errno, or one of BROKEN_* */
    size_t bad;      /* BROKEN_TEXT: the window offset of the byte */
    /* js_csv_split of a streamed input is tried before the first half is
     * read: when that half opens a quoted field (which may hold a line
     * break across the cut), the split is given up (voided) and the first
     * half's reader reads on to the end; the second half's stops. */
    size_t whole_end;       /* the end before a split */
    bool split;             /* this reader was cut by js_csv_split */
    atomic_bool voided;     /* of the first half: the split given up */
    atomic_bool *cancel;    /* of the second half: its first half's voided */
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
    c->len = c->end = c->whole_end = len;
    c->fd = -1;
    c->line = 1;
    return c;
}

/* The end of the last whole UTF-8 character in p[from..n) (the bytes of
 * one cut by a window's end are checked with the next window). */
static size_t whole_chars(const char *p, size_t from, size_t n)
{
    size_t v = n;
    while (v > from && n - v < 3 && ((unsigned char)p[v - 1] & 0xc0) == 0x80)
        v--;
    /* a lead byte: its character may go on in the next bytes; else (ASCII,
     * or continuation bytes without a lead) the bytes are checked as they are */
    return v > from && (unsigned char)p[v - 1] >= 0xc0 ? v - 1 : n;
}

/* Reads want bytes at file offset off into buf: false on an error or a
 * short read (errno, or 0 for a file cut short). */
static bool read_at(int fd, char *buf, size_t want, size_t off, int *err)
{
    while (want) {
        ssize_t r = pread(fd, buf, want, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            *err = r < 0 ? errno : -1;
            return false;
        }
        buf += r;
        want -= (size_t)r;
        off += (size_t)r;
    }
    return true;
}

/* Moves the window past the bytes before pos and reads more of the input
 * into it (a record longer than the window doubles it), each new byte
 * checked as UTF-8 text: false at the input's end, or when reading on
 * failed (c->broken). */
static bool refill(js_csv *c)
{
    if (c->fd < 0 || c->broken || c->base + c->len >= c->end)
        return false;
    if (c->cancel && atomic_load_explicit(c->cancel, memory_order_relaxed)) {
        c->broken = BROKEN_CANCELLED;
        return false;
    }
    /* kept: from pos, or from a character the window's end cut before it
     * was checked (a record read into its buffer may be past it) */
    size_t from = c->pos < c->checked ? c->pos : c->checked, keep = c->len - from;
    memmove(c->win, c->win + from, keep);
    c->base += from;
    c->checked -= from;
    c->pos -= from;
    c->len = keep;
    if (keep == c->wcap) {
        char *w = realloc(c->win, c->wcap * 2);
        if (!w) {
            c->broken = ENOMEM;
            return false;
        }
        c->win = w;
        c->wcap *= 2;
    }
    c->p = c->win;
    size_t want = c->wcap - keep, left = c->end - c->base - keep;
    if (want > left)
        want = left;
    if (!read_at(c->fd, c->win + keep, want, c->skip + c->base + keep, &c->broken))
        return false;
    c->len += want;
    bool last = c->base + c->len == c->end;
    char one;
    if (last && c->end == c->whole_end && pread(c->fd, &one, 1, (off_t)(c->skip + c->end)) != 0) {
        c->broken = BROKEN_GROWING; /* (or it cannot be read there: as js_load_file says) */
        return false;
    }
    size_t upto = last ? c->len : whole_chars(c->win, c->checked, c->len),
           ok = js_utf8_text_invalid_at(c->win + c->checked, upto - c->checked);
    if (ok != upto - c->checked) {
        c->bad = c->checked + ok;
        c->broken = BROKEN_TEXT;
        return false;
    }
    c->checked = upto;
    return true;
}

/* Whether there is a byte at pos, reading more when the window is used up. */
static inline bool have(js_csv *c)
{
    return c->pos < c->len || refill(c);
}

js_csv *js_csv_open_stream(const char *name, int fd, size_t size)
{
    return js_csv_open_stream_window(name, fd, size, WINDOW_BYTES);
}

js_csv *js_csv_open_stream_window(const char *name, int fd, size_t size, size_t window)
{
    if (window < 8)
        window = 8;
    js_csv *c = calloc(1, sizeof *c);
    char *w = js_huge_buffer(window); /* one huge page where there are */
    char head[6];
    if (!c || !w || size < sizeof head || pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head)
        goto fallback;
    size_t skip = memcmp(head, "\xef\xbb\xbf", 3) ? 0 : 3;
    if (skip && !memcmp(head + 3, "\xef\xbb\xbf", 3))
        goto fallback; /* two BOMs: js_csv_open says so */
    c->name = name;
    c->fd = fd;
    c->skip = skip;
    c->end = c->whole_end = size - skip;
    c->win = w;
    c->wcap = c->window = window;
    c->p = w;
    c->line = 1;
    /* The first window is UTF-8 text, or the whole input is read by
     * js_csv_open (GB18030 converted, or what is wrong said). Past it, a
     * byte that is not is an error at its line (js_csv_broken). */
    if (!refill(c))
        goto fallback;
    return c;
fallback:
    free(w);
    free(c);
    return NULL;
}

bool js_csv_broken(const js_csv *c, js_diag *d)
{
    switch (c->broken) {
    case 0:
        return false;
    case BROKEN_CANCELLED: /* a second half whose split was given up: nothing it read is kept */
        js_diag_set(d, JS_E_INTERNAL, c->name, c->line, 0, NULL, "分成两半读取已放弃");
        return true;
    case ENOMEM:
        js_diag_set(d, JS_E_NOMEM, c->name, c->line, 0, NULL, "内存不足");
        return true;
    case BROKEN_CHANGED:
        js_diag_set(d, JS_E_IO, c->name, c->line, 0, NULL, "读取过程中文件变短了（另一个程序正在写入？），请在文件写完后再运行");
        return true;
    case BROKEN_GROWING:
        js_diag_set(d, JS_E_IO, c->name, 0, 0, NULL, "读取时文件仍在变大（另一个程序正在写入？）");
        return true;
    case BROKEN_TEXT: {
        long line = c->line;
        for (size_t i = c->pos; i < c->bad; i++)
            line += c->p[i] == '\n';
        if (c->p[c->bad] == '\0')
            js_diag_set(d, JS_E_INPUT, c->name, line, 0, NULL, "文件含有空字符（不是文本文件）");
        else
            js_diag_set(d, JS_E_INPUT, c->name, line, 0, NULL,
                        "文件编码无法识别：这一行不是UTF-8编码（文件开头是UTF-8；请整个另存为UTF-8编码的CSV）");
        return true;
    }
    default:
        js_diag_set(d, JS_E_IO, c->name, c->line, 0, NULL, "读取失败：%s（errno %d）", js_errno_text(c->broken),
                    c->broken);
        return true;
    }
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

static void void_split(js_csv *c);

/* Reads one record into buf; returns 1, 0 at end, -1 on error. A streamed
 * input is read on (have) wherever the window ends. */
static int read_record(js_csv *c, js_diag *d)
{
    c->buflen = 0;
    c->nf = 0;
    if (!have(c))
        return js_csv_broken(c, d) ? -1 : 0;
    c->rec_line = c->line;
    for (;;) {
        if (c->nf == JS_MAX_COLUMNS) {
            js_diag_set(d, JS_E_LIMIT, c->name, c->rec_line, 0, NULL,
                        "一行超过 %d 列", JS_MAX_COLUMNS);
            return -1;
        }
        size_t start = c->buflen;
        c->offs[c->nf] = start;
        if (have(c) && c->p[c->pos] == '"') {
            if (c->split)
                void_split(c);
            long qline = c->line;
            c->pos++;
            for (;;) {
                if (!have(c)) {
                    if (js_csv_broken(c, d))
                        return -1;
                    js_diag_set(d, JS_E_INPUT, c->name, qline, (int)c->nf + 1, NULL,
                                "引号没有闭合");
                    return -1;
                }
                char ch = c->p[c->pos++];
                if (ch == '"') {
                    if (have(c) && c->p[c->pos] == '"') {
                        c->pos++;
                    } else {
                        break;
                    }
                } else if (ch == '\n' || (ch == '\r' && (!have(c) || c->p[c->pos] != '\n'))) {
                    c->line++;
                }
                if (c->buflen - start == JS_MAX_CELL_BYTES) /* before the byte past the limit is kept */
                    goto too_long;
                if (!put(c, ch))
                    goto nomem;
            }
            if (have(c) && c->p[c->pos] != ',' && c->p[c->pos] != '\n' &&
                c->p[c->pos] != '\r') {
                js_diag_set(d, JS_E_INPUT, c->name, c->line, (int)c->nf + 1, NULL,
                            "引号后面有多余的字符");
                return -1;
            }
        } else {
            /* Unquoted: up to the next comma or line end, copied at once
             * (a window at a time). */
            for (;;) {
                size_t end = special_at(c->p, c->pos, c->len);
                if (end < c->len && c->p[end] == '"') {
                    js_diag_set(d, JS_E_INPUT, c->name, c->line, (int)c->nf + 1, NULL,
                                "未加引号的单元格中出现引号");
                    return -1;
                }
                if (c->buflen - start + (end - c->pos) > JS_MAX_CELL_BYTES) /* before it is copied */
                    goto too_long;
                if (!reserve(c, end - c->pos))
                    goto nomem;
                memcpy(c->buf + c->buflen, c->p + c->pos, end - c->pos);
                c->buflen += end - c->pos;
                c->pos = end;
                if (end < c->len || !have(c))
                    break;
            }
        }
        if (js_csv_broken(c, d))
            return -1;
        c->lens[c->nf] = c->buflen - start;
        if (!put(c, '\0'))
            goto nomem;
        c->nf++;
        if (!have(c))
            return js_csv_broken(c, d) ? -1 : 1;
        char ch = c->p[c->pos];
        if (ch == ',') {
            c->pos++;
            continue;
        }
        /* LF, CRLF or a lone CR (old Mac files) ends the record. */
        c->pos++;
        if (ch == '\r' && have(c) && c->p[c->pos] == '\n')
            c->pos++;
        if (js_csv_broken(c, d))
            return -1;
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

/* js_csv_plain; may_read: the window may move (no span of an earlier
 * line is held) to read on. */
static size_t plain(js_csv *c, const char **field, size_t *len, size_t max, bool may_read)
{
    if (c->len - c->pos < PLAIN_ROOM && c->base + c->len < c->end && may_read)
        refill(c); /* (a failure is js_csv_next's to tell) */
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
    if (end == n && c->base + c->len < c->end)
        return 0; /* the line may go on past the window: js_csv_next reads it */
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

size_t js_csv_plain(js_csv *c, const char **field, size_t *len, size_t max)
{
    return plain(c, field, len, max, true);
}

size_t js_csv_plain_ahead(js_csv *c, const char **field, size_t *len, size_t max)
{
    return plain(c, field, len, max, false);
}

size_t js_csv_left(const js_csv *c) { return c->end - c->base - c->pos; }

js_csv_mark js_csv_tell(const js_csv *c) { return (js_csv_mark){c->base + c->pos, c->line}; }

void js_csv_seek(js_csv *c, js_csv_mark m)
{
    c->pos = m.pos - c->base; /* in the window: it has not moved past a mark since (js_csv_plain_ahead) */
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

/* js_csv_split of a streamed input: the cut found by reading at the
 * middle, tried unless the window holds a quote (a quoted file: its first
 * half would give the split up at once); given up later when the first
 * half opens a quoted field (void_split). */
static bool split_stream(js_csv *c, size_t min, js_csv **second)
{
    size_t at = c->base + c->pos, n = c->end - at;
    if (n < min || c->split || memchr(c->p + c->pos, '"', c->len - c->pos))
        return false;
    size_t cut = SIZE_MAX;
    char block[65536];
    for (size_t off = at + n / 2; cut == SIZE_MAX && off < c->end;) {
        size_t want = c->end - off < sizeof block ? c->end - off : sizeof block;
        int err;
        if (!read_at(c->fd, block, want, c->skip + off, &err))
            return false;
        const char *nl = memchr(block, '\n', want);
        if (nl)
            cut = off + (size_t)(nl - block) + 1;
        off += want;
    }
    if (cut >= c->end)
        return false;
    js_csv *b = calloc(1, sizeof *b);
    char *w = js_huge_buffer(c->window);
    if (!b || !w) {
        free(b);
        free(w);
        return false;
    }
    b->name = c->name;
    b->p = b->win = w;
    b->base = cut;
    b->end = b->whole_end = c->end;
    b->fd = c->fd;
    b->skip = c->skip;
    b->wcap = b->window = c->window;
    b->line = 1;
    b->cancel = &c->voided;
    c->end = cut;
    c->split = true;
    if (c->base + c->len > cut) { /* the window read past the cut */
        c->len = cut - c->base;
        if (c->checked > c->len)
            c->checked = c->len;
    }
    *second = b;
    return true;
}

/* The first half opens a quoted field: the split is given up, this half
 * reads on to the end. */
static void void_split(js_csv *c)
{
    c->end = c->whole_end;
    c->split = false;
    atomic_store_explicit(&c->voided, true, memory_order_relaxed);
}

bool js_csv_split_voided(const js_csv *c) { return atomic_load_explicit(&c->voided, memory_order_relaxed); }

bool js_csv_split(js_csv *c, size_t min, js_csv **second)
{
    if (c->fd >= 0)
        return split_stream(c, min, second);
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
    b->len = b->end = c->len;
    b->fd = -1;
    b->line = 1;
    b->gb18030 = c->gb18030;
    c->len = c->end = cut;
    *second = b;
    return true;
}

void js_csv_free(js_csv *c)
{
    if (!c)
        return;
    free(c->win);
    free(c->owned);
    free(c->buf);
    free(c);
}
