/* A published report's text as pages of lines of cells (see report_text.h). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "juesuan/buf.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "printed_normalise.h"
#include "report_text.h"
#include "vec.h"

extern char **environ;

typedef struct {
    int page;
    double x0, x1, top, h;
    const char *text;
} word;

static js_rdoc *doc_new(bool pdf)
{
    js_rdoc *doc = calloc(1, sizeof *doc);
    if (doc) {
        js_arena_init(&doc->arena);
        doc->pdf = pdf;
    }
    return doc;
}

void js_rdoc_free(js_rdoc *doc)
{
    if (!doc)
        return;
    js_arena_release(&doc->arena);
    free(doc->lines);
    free(doc);
}

static void *nomem(js_rdoc *doc, js_diag *d, const char *name)
{
    js_rdoc_free(doc);
    js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
    return NULL;
}

/* Appends a line of ncells cells (copied into the arena). */
static bool add_line(js_rdoc *doc, size_t *cap, int page, double y, double mid, const js_rcell *cells,
                     int ncells)
{
    if (!js_vec_reserve(&doc->lines, cap, doc->nlines + 1, sizeof *doc->lines))
        return false;
    js_rline *l = &doc->lines[doc->nlines];
    l->page = page;
    l->y = y;
    l->mid = mid;
    l->ncells = ncells;
    l->cells = js_arena_alloc(&doc->arena, sizeof *l->cells * (size_t)(ncells + 1));
    size_t len = 1;
    for (int i = 0; i < ncells; i++)
        len += strlen(cells[i].text) + 1;
    char *j = js_arena_alloc(&doc->arena, len);
    if (!l->cells || !j)
        return false;
    memcpy(l->cells, cells, sizeof *cells * (size_t)ncells);
    size_t o = 0;
    for (int i = 0; i < ncells; i++) {
        size_t k = strlen(cells[i].text);
        if (i && o)
            j[o++] = ' ';
        memcpy(j + o, cells[i].text, k);
        o += k;
    }
    j[o] = '\0';
    l->joined = j;
    if (page > doc->npages)
        doc->npages = page;
    doc->nlines++;
    return true;
}

js_rdoc *js_rdoc_from_text(const char *name, const char *text, size_t len, js_diag *d)
{
    js_rdoc *doc = doc_new(false);
    if (!doc)
        return nomem(doc, d, name);
    size_t cap = 0;
    int page = 1;
    long lineno = 0;
    js_rcell cells[JS_MAX_REPORT_CELLS];
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && text[e] != '\n' && text[e] != '\f')
            e++;
        lineno++;
        int n = 0;
        bool any = false;
        for (size_t c = i; c <= e && n < JS_MAX_REPORT_CELLS;) {
            size_t ce = c;
            while (ce < e && text[ce] != '\t')
                ce++;
            char *t = js_pn_fold(&doc->arena, text + c, ce - c);
            if (!t)
                return nomem(doc, d, name);
            cells[n].text = t;
            cells[n].x0 = n;
            cells[n].x1 = n + 0.5;
            any |= *t != '\0';
            n++;
            c = ce + 1;
        }
        if (any && !add_line(doc, &cap, page, (double)lineno, (double)lineno, cells, n))
            return nomem(doc, d, name);
        if (e < len && text[e] == '\f')
            page++;
        i = e + 1;
    }
    if (doc->npages == 0)
        doc->npages = page;
    return doc;
}

static int word_cmp(const void *a, const void *b)
{
    const word *x = a, *y = b;
    if (x->page != y->page)
        return x->page < y->page ? -1 : 1;
    double cx = x->top + x->h / 2, cy = y->top + y->h / 2;
    if (cx != cy)
        return cx < cy ? -1 : 1;
    return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static int x_cmp(const void *a, const void *b)
{
    const word *x = a, *y = b;
    return x->x0 < y->x0 ? -1 : x->x0 > y->x0;
}

static bool numeric_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789.,-", s[i]))
            return false;
    return n > 0;
}

/* Whether a word close to the cell so far continues it: not a figure
 * next to words (a label and its amount in adjacent columns), and not a
 * figure after one that has its two decimals already (adjacent amounts). */
static bool joins(const char *cell, size_t o, const char *next)
{
    size_t s = o;
    while (s > 0 && cell[s - 1] != ' ')
        s--;
    bool prev_num = numeric_word(cell + s, o - s), next_num = numeric_word(next, strlen(next));
    if (prev_num != next_num)
        return false;
    if (prev_num) {
        /* digits after the cell's point: 36716. 36 joins; 918.08 302 does not */
        const char *dot = memchr(cell, '.', o);
        int after = 0;
        for (const char *q = dot ? dot + 1 : cell + o; q < cell + o; q++)
            after += *q >= '0' && *q <= '9';
        if (after >= 2)
            return false;
    }
    return true;
}

/* One visual line of words (sorted by x) as cells: words closer than half
 * their height join one cell. */
static bool line_of_words(js_rdoc *doc, size_t *cap, word *w, size_t n)
{
    qsort(w, n, sizeof *w, x_cmp);
    js_rcell cells[JS_MAX_REPORT_CELLS];
    int nc = 0;
    char buf[4096] = "";
    size_t o = 0;
    double x0 = 0, x1 = 0, top = w[0].top;
    for (size_t i = 0; i <= n; i++) {
        bool brk = i == n || (o > 0 && (w[i].x0 - x1 > 0.5 * w[i].h || !joins(buf, o, w[i].text)));
        if (brk && o > 0 && nc < JS_MAX_REPORT_CELLS) {
            char *t = js_pn_fold(&doc->arena, buf, o);
            if (!t)
                return false;
            cells[nc++] = (js_rcell){t, x0, x1};
            o = 0;
        }
        if (i == n)
            break;
        size_t k = strlen(w[i].text);
        if (o + k + 2 >= sizeof buf)
            continue;
        if (o == 0)
            x0 = w[i].x0;
        else
            buf[o++] = ' ';
        memcpy(buf + o, w[i].text, k);
        o += k;
        x1 = w[i].x1;
        if (w[i].top < top)
            top = w[i].top;
    }
    double mid = 0;
    for (size_t i = 0; i < n; i++)
        mid += w[i].top + w[i].h / 2;
    return add_line(doc, cap, w[0].page, top, mid / (double)n, cells, nc);
}

js_rdoc *js_rdoc_from_tsv(const char *name, const char *tsv, size_t len, js_diag *d)
{
    js_rdoc *doc = doc_new(true);
    word *w = NULL;
    size_t nw = 0, wcap = 0, cap = 0;
    if (!doc)
        return nomem(doc, d, name);
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && tsv[e] != '\n')
            e++;
        /* level page par block line word left top width height conf text */
        const char *f[12];
        size_t fl[12];
        int nf = 0;
        for (size_t c = i; c <= e && nf < 12;) {
            size_t ce = c;
            while (ce < e && (tsv[ce] != '\t' || nf == 11))
                ce++;
            f[nf] = tsv + c;
            fl[nf++] = ce - c;
            c = ce + 1;
        }
        i = e + 1;
        if (nf < 12 || fl[0] != 1 || f[0][0] != '5' || fl[11] == 0)
            continue;
        char num[5][32];
        int k;
        for (k = 0; k < 5; k++) {
            const size_t idx[5] = {1, 6, 7, 8, 9};
            size_t m = fl[idx[k]] < 31 ? fl[idx[k]] : 31;
            memcpy(num[k], f[idx[k]], m);
            num[k][m] = '\0';
        }
        char *end;
        long page = strtol(num[0], &end, 10);
        double v[4];
        bool ok = *end == '\0' && page > 0 && page < 100000;
        for (k = 0; k < 4 && ok; k++) {
            v[k] = strtod(num[k + 1], &end);
            ok = *end == '\0' && isfinite(v[k]) && fabs(v[k]) < 1e6;
        }
        if (!ok)
            continue;
        if (!js_vec_reserve(&w, &wcap, nw + 1, sizeof *w)) {
            free(w);
            return nomem(doc, d, name);
        }
        char *t = js_arena_strndup(&doc->arena, f[11], fl[11]);
        if (!t) {
            free(w);
            return nomem(doc, d, name);
        }
        w[nw++] = (word){(int)page, v[0], v[0] + v[2], v[1], v[3] > 0 ? v[3] : 1, t};
    }
    doc->nwords = nw;
    if (nw)
        qsort(w, nw, sizeof *w, word_cmp);
    for (size_t s = 0; s < nw;) {
        size_t e = s + 1;
        double mid = w[s].top + w[s].h / 2;
        /* same line: centres closer than half the taller word (fonts with
         * odd boxes give figures and labels of one row different heights) */
        while (e < nw && w[e].page == w[s].page &&
               w[e].top + w[e].h / 2 - mid < 0.5 * (w[s].h > w[e].h ? w[s].h : w[e].h))
            e++;
        if (!line_of_words(doc, &cap, w + s, e - s)) {
            free(w);
            return nomem(doc, d, name);
        }
        s = e;
    }
    free(w);
    return doc;
}

/* Runs pdftotext -tsv on path; its standard output into *out. */
static js_status run_pdftotext(const char *path, char **out, size_t *outlen, int *status, js_diag *d)
{
    int fd[2];
    if (pipe(fd) != 0)
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法创建管道：%s", strerror(errno));
    /* children spawned by other threads must not hold this pipe open */
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"pdftotext", "-tsv", "-enc", "UTF-8", (char *)path, "-", NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "pdftotext", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL,
                           "无法运行 pdftotext（请安装 poppler-utils）：%s", strerror(rc));
    }
    js_buf b;
    js_buf_init(&b, (size_t)JS_MAX_REPORT_TEXT);
    char chunk[65536];
    ssize_t k;
    while ((k = read(fd[0], chunk, sizeof chunk)) != 0) {
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 || !js_buf_append(&b, chunk, (size_t)k))
            break;
    }
    close(fd[0]);
    bool over = !js_buf_ok(&b);
    if (over)
        kill(pid, SIGKILL);
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (over) {
        js_buf_release(&b);
        return js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "报告文字超过上限 %ld 字节",
                           (long)JS_MAX_REPORT_TEXT);
    }
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128;
    *out = b.data;
    *outlen = b.len;
    return JS_OK;
}

js_rdoc *js_rdoc_load(const char *path, js_diag *d)
{
    char *data;
    size_t len;
    if (js_read_file(path, JS_MAX_REPORT_BYTES, &data, &len, d) != JS_OK)
        return NULL;
    static const char tsv_head[] = "level\tpage_num\t";
    if (len >= sizeof tsv_head - 1 && !memcmp(data, tsv_head, sizeof tsv_head - 1)) {
        /* pdftotext -tsv output saved earlier */
        js_rdoc *doc = js_rdoc_from_tsv(path, data, len, d);
        free(data);
        return doc;
    }
    if (len < 5 || memcmp(data, "%PDF-", 5) != 0) {
        js_rdoc *doc = NULL;
        if (memchr(data, '\0', len))
            js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "不是 PDF，也不是文本文件：无法作为决算报告读取");
        else
            doc = js_rdoc_from_text(path, data, len, d);
        free(data);
        return doc;
    }
    /* An encrypted PDF names an /Encrypt dictionary in its trailer. */
    bool encrypted = false;
    for (size_t i = 0; i + 8 <= len && !encrypted; i++)
        encrypted = data[i] == '/' && !memcmp(data + i, "/Encrypt", 8);
    free(data);
    char *tsv = NULL;
    size_t tlen = 0;
    int status = 0;
    if (run_pdftotext(path, &tsv, &tlen, &status, d) != JS_OK)
        return NULL;
    js_rdoc *doc = NULL;
    if (status != 0)
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                    encrypted ? "PDF 已加密（需要密码或禁止复制文字），无法读取其中的表格"
                              : "PDF 文件已损坏或无法打开（pdftotext 退出码 %d）",
                    status);
    else
        doc = js_rdoc_from_tsv(path, tsv ? tsv : "", tlen, d);
    free(tsv);
    if (doc && doc->nwords == 0) {
        js_rdoc_free(doc);
        doc = NULL;
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                    "PDF 中没有文字层（可能是扫描图像）：juesuan 不做文字识别（OCR），无法读取");
    }
    return doc;
}
