/* Checking a report's narrative against its tables (see narrative_check.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "findings.h"
#include "narrative_check.h"
#include "printed.h"

/* A figure of the text: an amount in 万元 (in 分) or a percentage. */
typedef struct {
    size_t at, end;  /* byte span in the section text */
    int64_t v;       /* 分 for an amount; the digits for a percentage */
    int dec;         /* decimals as written */
    bool pct;
    int change;      /* +1 after 增加/增长, -1 after 减少/下降, 0 none */
} figure;

typedef struct {
    const js_printed *r;
    const js_view *v;
    const json_t *rd;
    const js_dict *dict;
    js_findings *out;
    size_t sec;
    const char *text;
    figure *fig;
    size_t nfig;
    bool nomem;
} ctx;

static bool at(const char *s, const char *w) { return !strncmp(s, w, strlen(w)); }

static bool ends_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && !memcmp(s + n - k, w, k);
}

/* Is the byte at s a sentence or clause delimiter (，。；：)? full = 。； only. */
static size_t delim(const char *s, bool full)
{
    static const char *const all[] = {"。", "；", "，", "：", ";", "、"};
    for (size_t i = 0; i < (full ? 2u : 6u); i++)
        if (at(s, all[i]))
            return strlen(all[i]);
    return 0;
}

/* The figures of a section's text, in order. */
static figure *scan(const char *t, size_t *n)
{
    size_t cap = 64;
    figure *f = malloc(sizeof *f * cap);
    *n = 0;
    if (!f)
        return NULL;
    for (size_t i = 0; t[i];) {
        if (!(t[i] >= '0' && t[i] <= '9') || (i > 0 && ((t[i - 1] >= '0' && t[i - 1] <= '9') || t[i - 1] == '.'))) {
            i++;
            continue;
        }
        size_t s = i;
        int64_t v = 0;
        int dec = -1;
        bool big = false;
        for (; (t[i] >= '0' && t[i] <= '9') || t[i] == '.' || t[i] == ','; i++) {
            if (t[i] == ',')
                continue;
            if (t[i] == '.') {
                if (dec >= 0 || !(t[i + 1] >= '0' && t[i + 1] <= '9'))
                    break;
                dec = 0;
                continue;
            }
            if (v > INT64_MAX / 100)
                big = true;
            else
                v = v * 10 + (t[i] - '0');
            if (dec >= 0)
                dec++;
        }
        if (dec < 0)
            dec = 0;
        bool wan = at(t + i, "万元"), pct = at(t + i, "%") || at(t + i, "％");
        if (big || dec > 6 || (!wan && !pct))
            continue;
        if (*n == cap) {
            figure *g = realloc(f, sizeof *f * (cap *= 2));
            if (!g) {
                free(f);
                return NULL;
            }
            f = g;
        }
        figure *x = &f[(*n)++];
        x->at = s;
        x->end = i + (wan ? strlen("万元") : at(t + i, "%") ? 1 : strlen("％"));
        x->pct = pct;
        x->dec = dec;
        x->v = v;
        if (wan)
            for (int k = dec; k < 6; k++)
                x->v *= 10;
        /* a change: 增加/减少/增长/下降 right before (可 "了") */
        size_t b = s;
        if (ends_with(t, b, "了"))
            b -= strlen("了");
        x->change = ends_with(t, b, "增加") || ends_with(t, b, "增长") ? 1
                    : ends_with(t, b, "减少") || ends_with(t, b, "下降") ? -1
                                                                       : 0;
    }
    return f;
}

/* The sentence around byte offset o (from after the previous 。 to the
 * next), cut to a readable length, into buf; returns its start in t. */
static size_t sentence(const char *t, size_t o, char *buf, size_t n)
{
    const size_t dl = strlen("。");
    size_t s = o, e = o;
    while (s > 0 && o - s < 300 && !(s >= dl && !memcmp(t + s - dl, "。", dl)))
        s--;
    while (t[e] && !at(t + e, "。") && e - o < 300)
        e++;
    while (s < o && ((unsigned char)t[s] & 0xC0) == 0x80)
        s++;
    size_t k = e - s;
    if (k >= n)
        k = n - 1;
    while (k > 0 && ((unsigned char)t[s + k] & 0xC0) == 0x80)
        k--;
    memcpy(buf, t + s, k);
    buf[k] = '\0';
    return s;
}

/* Half a unit of the last decimal written, in 分. */
static int64_t half_unit(int dec)
{
    int64_t h = 500000;
    for (int k = 0; k < dec && k < 6; k++)
        h /= 10;
    return h;
}

static void wan_str(int64_t fen, int dec, char *buf, size_t n)
{
    int64_t a = fen < 0 ? -fen : fen, unit = 1000000;
    int64_t scale = 1;
    for (int k = dec; k < 6; k++)
        scale *= 10;
    int64_t v = a / scale;
    int64_t p10 = 1;
    for (int k = 0; k < dec; k++)
        p10 *= 10;
    (void)unit;
    if (dec)
        snprintf(buf, n, "%s%lld.%0*lld", fen < 0 ? "-" : "", (long long)(v / p10), dec, (long long)(v % p10));
    else
        snprintf(buf, n, "%s%lld", fen < 0 ? "-" : "", (long long)v);
}

/* A finding on the sentence around off, concerning its bytes [off, off +
 * len). */
static js_finding *report(ctx *c, const char *rule, js_severity sev, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static js_finding *report(ctx *c, const char *rule, js_severity sev, size_t off, size_t len, const char *fmt, ...)
{
    char msg[1024], sent[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t start = sentence(c->text, off, sent, sizeof sent);
    const js_psection *s = js_printed_section(c->r, c->sec);
    const char *heading = *s->heading ? s->heading : "正文";
    js_finding *x = js_findings_add(c->out, rule, sev, "%s（%s：“%s”）", msg, heading, sent);
    int page = js_printed_page_at(c->r, c->sec, off);
    if (x)
        snprintf(x->file, sizeof x->file, "%s 第%d页", js_printed_path(c->r), page);
    size_t mark = off - start, slen = strlen(sent);
    if (mark > slen)
        mark = slen;
    if (len > slen - mark)
        len = slen - mark;
    if (x && !js_finding_quote(c->out, x, page, heading, sent, mark, len))
        c->nomem = true;
    return x;
}

/* The cell [table, row, column] of the view, and half the unit of its
 * last printed digit (0: printed to the 分, exact); false when absent. */
static bool cell(const js_view *v, const json_t *spec, int64_t *val, int64_t *half, bool *blank, char *where,
                 size_t wn, js_addend *a)
{
    if (!json_is_array(spec) || json_array_size(spec) != 3)
        return false;
    const char *tid = json_string_value(json_array_get(spec, 0)), *row = json_string_value(json_array_get(spec, 1)),
               *col = json_string_value(json_array_get(spec, 2));
    js_vtable *t = tid ? js_view_find(v, tid) : NULL;
    if (!t || !row || !col)
        return false;
    for (int r = 0; r < t->nrows; r++) {
        const js_vrow *vr = &t->rows[r];
        bool hit = row[0] == '#'            ? vr->rowno == atoi(row + 1)
                   : !strcmp(row, "first")  ? r == 0
                   : !strncmp(row, "code:", 5) ? !strcmp(vr->code, row + 5)
                                              : !strcmp(vr->name, row);
        if (!hit)
            continue;
        for (int k = 0; k < t->ncols; k++)
            if (t->cols[k].block == vr->block && !strcmp(t->cols[k].name, col)) {
                *val = vr->val[k];
                *half = t->half;
                *blank = vr->blank[k];
                snprintf(where, wn, "%s %s「%s」", t->number, *vr->name ? vr->name : "合计", col);
                if (a)
                    js_addend_of(t, vr, k, col, 'R', a);
                return true;
            }
    }
    return false;
}

static bool section_applies(const json_t *rule, const char *heading)
{
    const char *in = json_string_value(json_object_get(rule, "in"));
    return !in || strstr(heading, in);
}

/* Whether text [a, b) holds a delimiter. */
static bool crosses(const char *t, size_t a, size_t b, bool full)
{
    for (size_t i = a; i < b; i++)
        if (delim(t + i, full))
            return true;
    return false;
}

static size_t find_figure_after(const ctx *c, size_t from, bool pct, bool change_ok)
{
    for (size_t k = 0; k < c->nfig; k++)
        if (c->fig[k].at >= from && c->fig[k].pct == pct && (change_ok || !c->fig[k].change))
            return k;
    return c->nfig;
}

/* 1: amount as printed; 0: different. */
static void compare_amount(ctx *c, const figure *f, const json_t *spec)
{
    int64_t val, cell_half;
    bool blank;
    char where[300], got[48], want[48];
    js_addend a;
    if (!cell(c->v, spec, &val, &cell_half, &blank, where, sizeof where, &a))
        return;
    if (f->v == val)
        return;
    if (!cell_half) {
        /* a cell in 元 to the 分: the text's 万元 is right when it is the
         * cell rounded half away from zero to the decimals it shows */
        int64_t lo, hi;
        js_printed_interval(f->v, half_unit(f->dec), &lo, &hi);
        if (val >= lo && val <= hi)
            return;
        wan_str(f->v, f->dec, got, sizeof got);
        js_money_format_yuan(val, want, sizeof want);
        js_finding *x = report(c, "T-001", JS_SEV_ERROR, f->at, f->end - f->at, "文字说 %s 万元，%s为 %s 元", got,
                               where, blank ? "空（0）" : want);
        if (x && !js_finding_addend(c->out, x, &a))
            c->nomem = true;
        return;
    }
    int64_t half = 5;
    for (int k = f->dec; k < 5; k++)
        half *= 10;
    int64_t diff = f->v > val ? f->v - val : val - f->v;
    wan_str(f->v, f->dec, got, sizeof got);
    wan_str(val, 2, want, sizeof want);
    js_finding *x;
    if (f->dec < 2 && diff <= half)
        x = report(c, "T-001", JS_SEV_INFO, f->at, f->end - f->at, "文字中的 %s 万元是%s %s 万元取整后的数", got, where,
                   want);
    else
        x = report(c, "T-001", JS_SEV_ERROR, f->at, f->end - f->at, "文字说 %s 万元，%s为 %s 万元", got, where,
                   blank ? "空" : want);
    if (x && !js_finding_addend(c->out, x, &a))
        c->nomem = true;
}

/* Amounts the text gives for table cells. */
static void claims(ctx *c, const char *heading)
{
    const json_t *list = json_object_get(c->rd, "claims");
    size_t i;
    const json_t *rule;
    /* every occurrence of every phrase; a shorter one inside a longer drops */
    typedef struct {
        size_t s, e;
        const json_t *rule;
    } occ;
    occ *o = NULL;
    size_t n = 0, cap = 0;
    json_array_foreach(list, i, rule) {
        const char *ph = json_string_value(json_object_get(rule, "phrase"));
        if (!ph || !*ph || !section_applies(rule, heading))
            continue;
        for (const char *p = strstr(c->text, ph); p; p = strstr(p + 1, ph)) {
            if (n == cap) {
                occ *g = realloc(o, sizeof *o * (cap = cap ? cap * 2 : 32));
                if (!g)
                    break;
                o = g;
            }
            o[n++] = (occ){(size_t)(p - c->text), (size_t)(p - c->text) + strlen(ph), rule};
        }
    }
    for (size_t a = 0; a < n; a++) {
        bool inside = false;
        for (size_t b = 0; b < n && !inside; b++)
            inside = b != a && o[b].s <= o[a].s && o[b].e >= o[a].e && o[b].e - o[b].s > o[a].e - o[a].s;
        if (inside)
            continue;
        const json_t *cells = json_object_get(o[a].rule, "cells");
        json_int_t gap = json_integer_value(json_object_get(o[a].rule, "gap"));
        if (!gap)
            gap = 6;
        size_t from = o[a].e;
        for (size_t k = 0; k < json_array_size(cells); k++) {
            size_t f = find_figure_after(c, from, false, false);
            if (f == c->nfig || crosses(c->text, from, c->fig[f].at, k == 0 ? false : true))
                break;
            /* the first figure follows the phrase closely (为, 是 …) */
            if (k == 0 && c->fig[f].at - o[a].e > (size_t)gap)
                break;
            /* a change between the phrase and it: the phrase was about the change */
            bool changed = false;
            for (size_t g = 0; g < c->nfig; g++)
                changed |= c->fig[g].change && c->fig[g].at >= from && c->fig[g].at < c->fig[f].at;
            if (changed && k == 0)
                break;
            compare_amount(c, &c->fig[f], json_array_get(cells, k));
            from = c->fig[f].end;
        }
    }
    free(o);
}

/* Whether percentage p is num ÷ den (each ± its half unit hn, hd, in 分)
 * rounded to p's decimals; else a finding (truncated, or wrong). */
static js_finding *pct_check(ctx *c, const figure *p, int64_t num, int64_t hn, int nd, int64_t den, int64_t hd, int dd,
                           const char *what)
{
    if (den - hd <= 0 || num < 0)
        return NULL;
    __int128 scale = 1;
    for (int k = 0; k < p->dec; k++)
        scale *= 10;
    __int128 P = p->v;
    /* rounded: P - ½ ≤ 100 r ≤ P + ½ for some r in [(n-hn)/(d+hd), (n+hn)/(d-hd)] */
    bool round_ok = (__int128)200 * (num + hn) * scale >= (2 * P - 1) * (den - hd) &&
                    (__int128)200 * (num - hn) * scale <= (2 * P + 1) * (den + hd);
    if (round_ok)
        return NULL;
    bool trunc_ok = (__int128)100 * (num + hn) * scale >= P * (den - hd) &&
                    (__int128)100 * (num - hn) * scale < (P + 1) * (den + hd);
    double exact = den ? 100.0 * (double)num / (double)den : 0; /* for the message only */
    char ps[32];
    snprintf(ps, sizeof ps, "%lld", (long long)(p->v / (int64_t)scale));
    if (p->dec)
        snprintf(ps + strlen(ps), sizeof ps - strlen(ps), ".%0*lld", p->dec, (long long)(p->v % (int64_t)scale));
    char ns[48], ds[48];
    wan_str(num, nd, ns, sizeof ns);
    wan_str(den, dd, ds, sizeof ds);
    if (trunc_ok)
        return report(c, "T-003", JS_SEV_VERIFY, p->at, p->end - p->at, "%s %s%% 是截断而非四舍五入：%s ÷ %s = %.*f%%", what, ps, ns, ds,
               p->dec + 2, exact);
    return report(c, "T-002", JS_SEV_ERROR, p->at, p->end - p->at, "%s %s%% 与数字不符：%s ÷ %s = %.*f%%", what, ps, ns, ds, p->dec + 2,
               exact);
}

/* The last amount before figure k in the same sentence (not a change). */
static size_t amount_before(const ctx *c, size_t k, bool same_sentence, bool change)
{
    for (size_t j = k; j-- > 0;) {
        if (same_sentence && crosses(c->text, c->fig[j].end, c->fig[k].at, true))
            return c->nfig;
        if (!c->fig[j].pct && (change ? c->fig[j].change != 0 : c->fig[j].change == 0))
            return j;
    }
    return c->nfig;
}

/* Percentages: shares of a table figure, ratios of two figures, changes. */
static void percentages(ctx *c, const char *heading)
{
    for (size_t k = 0; k < c->nfig; k++) {
        const figure *p = &c->fig[k];
        if (!p->pct)
            continue;
        /* a change: 增加 D 万元，增长 P% against the figure before it */
        if (p->change) {
            size_t d = amount_before(c, k, true, true);
            if (d == c->nfig)
                continue;
            if (c->fig[d].change != p->change) {
                report(c, "T-004", JS_SEV_ERROR, p->at, p->end - p->at, "增减方向不一致：金额%s而百分比%s",
                       c->fig[d].change > 0 ? "增加" : "减少", p->change > 0 ? "增长" : "下降");
                continue;
            }
            size_t cur = amount_before(c, d, false, false);
            if (cur == c->nfig)
                continue;
            int64_t prior = c->fig[d].change > 0 ? c->fig[cur].v - c->fig[d].v : c->fig[cur].v + c->fig[d].v;
            int dd = c->fig[cur].dec > c->fig[d].dec ? c->fig[cur].dec : c->fig[d].dec;
            /* the prior year's figure is exact to the two half units */
            pct_check(c, p, c->fig[d].v, half_unit(c->fig[d].dec), c->fig[d].dec, prior,
                      half_unit(c->fig[cur].dec) + half_unit(c->fig[d].dec), dd, "变动率");
            continue;
        }
        size_t before = p->at;
        /* ratios: 完成年初预算的 P% of two amounts named in the sentence */
        size_t i;
        const json_t *rule;
        bool done = false;
        json_array_foreach(json_object_get(c->rd, "ratios"), i, rule) {
            const char *ph = json_string_value(json_object_get(rule, "phrase"));
            if (done || !ph || !section_applies(rule, heading) || !ends_with(c->text, before, ph))
                continue;
            const char *nph = json_string_value(json_object_get(rule, "numerator")),
                       *dph = json_string_value(json_object_get(rule, "denominator"));
            size_t nf = c->nfig, df = c->nfig;
            for (size_t j = k; j-- > 0 && !crosses(c->text, c->fig[j].end, p->at, true);) {
                if (c->fig[j].pct)
                    continue;
                if (nf == c->nfig && nph && ends_with(c->text, c->fig[j].at, nph))
                    nf = j;
                if (df == c->nfig && dph && ends_with(c->text, c->fig[j].at, dph))
                    df = j;
            }
            if (nf < c->nfig && df < c->nfig)
                pct_check(c, p, c->fig[nf].v, half_unit(c->fig[nf].dec), c->fig[nf].dec, c->fig[df].v,
                          half_unit(c->fig[df].dec), c->fig[df].dec, ph);
            done = true;
        }
        /* shares: 占本年收入 P% of the amount before it */
        json_array_foreach(json_object_get(c->rd, "shares"), i, rule) {
            const char *ph = json_string_value(json_object_get(rule, "phrase"));
            if (done || !ph || !section_applies(rule, heading))
                continue;
            size_t b = before;
            if (ends_with(c->text, b, "的"))
                b -= strlen("的");
            if (!ends_with(c->text, b, ph))
                continue;
            size_t a = amount_before(c, k, true, false);
            int64_t base, base_half;
            bool blank;
            char where[300];
            js_addend cellof;
            if (a < c->nfig &&
                cell(c->v, json_object_get(rule, "base"), &base, &base_half, &blank, where, sizeof where, &cellof) &&
                !blank) {
                js_finding *x =
                    pct_check(c, p, c->fig[a].v, half_unit(c->fig[a].dec), c->fig[a].dec, base, base_half, 2, ph);
                if (x && !js_finding_addend(c->out, x, &cellof))
                    c->nomem = true;
            }
            done = true;
        }
    }
}

/* Whether byte o lies in a list of items (after 包括, before the next ；
 * or 。) that begins after byte from. */
static bool in_list(const char *t, size_t from, size_t o)
{
    const char *best = NULL;
    for (const char *p = strstr(t + from, "包括"); p && (size_t)(p - t) < o; p = strstr(p + 1, "包括"))
        best = p;
    return best && !crosses(t, (size_t)(best - t), o, true);
}

/* 其中：parts add up to the total before them. */
static void parts(ctx *c)
{
    for (const char *q = strstr(c->text, "其中："); q; q = strstr(q + 1, "其中：")) {
        size_t off = (size_t)(q - c->text);
        /* the parts are listed in the sentence of 其中 */
        const char *next = strstr(q + 1, "其中："), *stop = strstr(q, "。");
        size_t limit = next ? (size_t)(next - c->text) : (size_t)-1;
        if (stop && (size_t)(stop - c->text) < limit)
            limit = (size_t)(stop - c->text);
        size_t k = 0;
        while (k < c->nfig && c->fig[k].at < off)
            k++;
        size_t tot = amount_before(c, k < c->nfig ? k : c->nfig, false, false);
        if (k == 0 || tot == c->nfig)
            continue;
        /* the total: the last plain amount before 其中 (a ratio's or a
         * share's amount is not) */
        int64_t sum = 0, tol = 0;
        int nparts = 0;
        bool matched = false;
        size_t last = off;
        for (size_t j = k; j < c->nfig; j++) {
            const figure *f = &c->fig[j];
            if (f->pct || f->change)
                continue;
            /* a part starts its clause: no other amount since the delimiter */
            if (!crosses(c->text, last, f->at, false) && nparts > 0)
                continue;
            /* an item of a list (主要包括：A 1万元、B 2万元) is not a part */
            if (in_list(c->text, off, f->at))
                continue;
            if (f->at >= limit)
                break;
            sum += f->v;
            tol += half_unit(f->dec);
            nparts++;
            last = f->end;
            int64_t diff = sum - c->fig[tot].v;
            int64_t slack = tol + half_unit(c->fig[tot].dec);
            if (diff >= -slack && diff <= slack) {
                matched = true;
                break;
            }
            if (diff > slack)
                break;
        }
        if (!matched && nparts >= 2 && sum > c->fig[tot].v) {
            char s[48], t[48];
            wan_str(sum, 2, s, sizeof s);
            wan_str(c->fig[tot].v, c->fig[tot].dec, t, sizeof t);
            report(c, "T-005", JS_SEV_ERROR, off, strlen("其中："), "“其中”所列各项合计 %s 万元，超过前面所说的 %s 万元", s, t);
        }
    }
}

/* Phrases saying a table is empty, against the table; template residue. */
static void phrases(ctx *c, const char *heading)
{
    size_t i;
    const json_t *rule;
    json_array_foreach(json_object_get(c->rd, "empty"), i, rule) {
        const char *ph = json_string_value(json_object_get(rule, "phrase")),
                   *tid = json_string_value(json_object_get(rule, "table"));
        const char *p = ph && *ph && section_applies(rule, heading) ? strstr(c->text, ph) : NULL;
        js_vtable *t = p && tid ? js_view_find(c->v, tid) : NULL;
        if (!t)
            continue;
        bool data = false;
        for (int r = 0; r < t->nrows && !data; r++)
            for (int k = 0; k < t->ncols && !data; k++)
                data = t->cols[k].block == t->rows[r].block && !t->rows[r].blank[k] && t->rows[r].val[k] != 0;
        if (data)
            report(c, "T-006", JS_SEV_ERROR, (size_t)(p - c->text), strlen(ph), "文字说“%s”，但%s有数据", ph, t->number);
    }
    json_array_foreach(json_object_get(c->rd, "residue"), i, rule) {
        const char *ph = json_string_value(rule);
        for (const char *p = ph && *ph ? strstr(c->text, ph) : NULL; p; p = strstr(p + strlen(ph), ph))
            report(c, "T-007", JS_SEV_ERROR, (size_t)(p - c->text), strlen(ph), "模板文字未替换：“%s”", ph);
    }
    /* 占 … 92.2 without % */
    for (const char *p = strstr(c->text, "占"); p; p = strstr(p + 1, "占")) {
        const char *q = p + strlen("占");
        int n = 0;
        while (*q && n < 12 && !(*q >= '0' && *q <= '9') && !delim(q, false))
            q++, n++;
        if (!(*q >= '0' && *q <= '9'))
            continue;
        const char *e = q;
        while ((*e >= '0' && *e <= '9') || *e == '.')
            e++;
        if (memchr(q, '.', (size_t)(e - q)) && (delim(e, false) || !*e))
            report(c, "T-008", JS_SEV_ERROR, (size_t)(q - c->text), (size_t)(e - q), "百分比缺少“%%”：“%.*s”", (int)(e - q), q);
    }
}

/* Whether a and b name the same item: equal but for the width of
 * parentheses. */
static bool same_name(const char *a, size_t an, const char *b)
{
    static const char *const pairs[][2] = {{"（", "("}, {"）", ")"}};
    size_t bn = strlen(b), i = 0, j = 0;
    while (i < an && j < bn) {
        bool moved = false;
        for (size_t k = 0; k < 2 && !moved; k++)
            for (int x = 0; x < 2 && !moved; x++)
                for (int y = 0; y < 2 && !moved; y++)
                    if (!strncmp(a + i, pairs[k][x], strlen(pairs[k][x])) &&
                        !strncmp(b + j, pairs[k][y], strlen(pairs[k][y]))) {
                        i += strlen(pairs[k][x]);
                        j += strlen(pairs[k][y]);
                        moved = true;
                    }
        if (moved)
            continue;
        if (a[i] != b[j])
            return false;
        i++, j++;
    }
    return i == an && j == bn;
}

/* Whether a row's code falls under one of the codes of the rule. */
static bool under(const json_t *codes, const char *code)
{
    size_t i;
    const json_t *c;
    json_array_foreach(codes, i, c) {
        const char *p = json_string_value(c);
        if (p && *p && !strncmp(code, p, strlen(p)))
            return true;
    }
    return false;
}

/* The amount column named col of row vr; -1 when the table has none. */
static int column_of(const js_vtable *t, const js_vrow *vr, const char *col)
{
    for (int k = 0; k < t->ncols; k++)
        if (t->cols[k].block == vr->block && !strcmp(t->cols[k].name, col))
            return k;
    return -1;
}

/* One list of items after a phrase ("人员经费…主要包括：A、B、C。"),
 * against the rows of the table under the rule's codes at its level. */
static void one_list(ctx *c, const json_t *rule, size_t from, size_t to)
{
    const js_vtable *t = js_view_find(c->v, json_string_value(json_object_get(rule, "table")));
    const json_t *codes = json_object_get(rule, "codes");
    const char *col = json_string_value(json_object_get(rule, "column")),
               *what = json_string_value(json_object_get(rule, "phrase"));
    int level = (int)json_integer_value(json_object_get(rule, "level"));
    if (!t || !col)
        return;
    bool *listed = calloc((size_t)t->nrows + 1, sizeof *listed);
    if (!listed) {
        c->nomem = true;
        return;
    }
    bool open = false; /* the list ends in 等: not every item is named */
    for (size_t a = from; a < to;) {
        size_t b = a;
        while (b < to && !at(c->text + b, "、"))
            b++;
        size_t e = b;
        /* an amount after the name (基本工资262.33万元) */
        size_t num = a;
        while (num < e && !(c->text[num] >= '0' && c->text[num] <= '9'))
            num++;
        size_t name_end = num;
        if (name_end >= a + strlen("等") && !memcmp(c->text + name_end - strlen("等"), "等", strlen("等")) && b == to) {
            name_end -= strlen("等");
            open = true;
        }
        while (name_end > a && (c->text[name_end - 1] == ' '))
            name_end--;
        if (name_end > a) {
            int hit = -1;
            for (int r = 0; r < t->nrows && hit < 0; r++)
                if (t->rows[r].code[0] && same_name(c->text + a, name_end - a, t->rows[r].name))
                    hit = r;
            const js_vrow *vr = hit >= 0 ? &t->rows[hit] : NULL;
            int k = vr ? column_of(t, vr, col) : -1;
            char nm[256];
            snprintf(nm, sizeof nm, "%.*s", (int)(name_end - a < 255 ? name_end - a : 255), c->text + a);
            if (!vr || k < 0 || !under(codes, vr->code)) {
                js_finding *x = report(c, "T-011", JS_SEV_ERROR, a, name_end - a, "%s所列“%s”不是%s中%s的项目", what, nm,
                                       t->number, what);
                if (x && vr && k >= 0) {
                    js_addend ad;
                    js_addend_of(t, vr, k, col, 'R', &ad);
                    if (!js_finding_addend(c->out, x, &ad))
                        c->nomem = true;
                }
            } else {
                listed[hit] = true;
                /* a 类 listed covers its 款 */
                for (int r = 0; r < t->nrows; r++)
                    if ((int)strlen(vr->code) < (int)strlen(t->rows[r].code) &&
                        !strncmp(t->rows[r].code, vr->code, strlen(vr->code)))
                        listed[r] = true;
                js_addend ad;
                js_addend_of(t, vr, k, col, 'R', &ad);
                js_finding *x = NULL;
                if (vr->blank[k])
                    x = report(c, "T-011", JS_SEV_ERROR, a, name_end - a, "%s所列“%s”在%s中为空（%s）", what, nm,
                               t->number, vr->code);
                for (size_t g = 0; !x && g < c->nfig; g++)
                    if (c->fig[g].at == num && num < e && !c->fig[g].pct && c->fig[g].v != vr->val[k]) {
                        char got[48], want[48];
                        wan_str(c->fig[g].v, c->fig[g].dec, got, sizeof got);
                        wan_str(vr->val[k], 2, want, sizeof want);
                        x = report(c, "T-011", JS_SEV_ERROR, num, c->fig[g].end - num, "%s所列“%s”%s 万元，%s为 %s 万元",
                                   what, nm, got, t->number, want);
                    }
                if (x && !js_finding_addend(c->out, x, &ad))
                    c->nomem = true;
            }
        }
        a = b < to ? b + strlen("、") : to;
    }
    /* rows with figures the list leaves out */
    for (int r = 0; r < t->nrows && !open; r++) {
        const js_vrow *vr = &t->rows[r];
        int k = column_of(t, vr, col);
        if (listed[r] || k < 0 || vr->blank[k] || vr->val[k] == 0 || !vr->code[0] || !under(codes, vr->code) ||
            (level && (int)strlen(vr->code) != level))
            continue;
        char want[48];
        wan_str(vr->val[k], 2, want, sizeof want);
        js_finding *x = report(c, "T-011", JS_SEV_VERIFY, from, to - from, "%s有“%s”%s 万元（%s），%s所列项目中没有",
                               t->number, vr->name, want, vr->code, what);
        js_addend ad;
        js_addend_of(t, vr, k, col, 'R', &ad);
        if (x && !js_finding_addend(c->out, x, &ad))
            c->nomem = true;
    }
    free(listed);
}

/* Lists of items the text gives (reading.json "lists"): after phrase,
 * within the clause, intro (主要包括：), then names separated by 、 up to
 * ；or 。. */
static void lists(ctx *c, const char *heading)
{
    size_t i;
    const json_t *rule;
    json_array_foreach(json_object_get(c->rd, "lists"), i, rule) {
        const char *ph = json_string_value(json_object_get(rule, "phrase")),
                   *intro = json_string_value(json_object_get(rule, "intro"));
        if (!ph || !*ph || !intro || !*intro || !section_applies(rule, heading))
            continue;
        for (const char *p = strstr(c->text, ph); p; p = strstr(p + strlen(ph), ph)) {
            const char *q = strstr(p + strlen(ph), intro);
            size_t from = (size_t)(p - c->text) + strlen(ph);
            /* the intro follows in the same clause group (no 。 or ；) */
            if (!q || q - p > 80 || crosses(c->text, from, (size_t)(q - c->text), true))
                continue;
            from = (size_t)(q - c->text) + strlen(intro);
            size_t to = from;
            while (c->text[to] && !delim(c->text + to, true))
                to++;
            if (to > from)
                one_list(c, rule, from, to);
        }
    }
}

/* Whether name is the current name of some item of dict. */
static bool current_name(const js_dict *dict, const char *name)
{
    for (int k = 0; k < 2; k++) {
        size_t n;
        const js_code *c = js_dict_codes(dict, (js_dict_kind)k, &n);
        for (size_t i = 0; i < n; i++)
            if (!strcmp(c[i].name, name))
                return true;
    }
    return false;
}

/* Whether the text at s names an item: a level mark ((类), （款）…), an
 * amount or 科目 follows. */
static bool item_follows(const char *s)
{
    static const char *const marks[] = {"(类)", "(款)", "(项)", "（类）", "（款）", "（项）", "科目"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (at(s, marks[i]))
            return true;
    return *s >= '0' && *s <= '9';
}

/* An item name of an older edition of the classification in the text,
 * where it names an item (item_follows), unless some item still has it. */
static void former_in_text(ctx *c)
{
    size_t n;
    const js_former_name *f = c->dict ? js_dict_former_names(c->dict, &n) : NULL;
    for (size_t i = 0; f && i < n; i++) {
        const js_code *cur = js_dict_find(c->dict, f[i].kind, f[i].code, f[i].digits);
        size_t fl = strlen(f[i].name);
        if (!cur || !strstr(c->text, f[i].name) || current_name(c->dict, f[i].name))
            continue;
        for (const char *p = strstr(c->text, f[i].name); p; p = strstr(p + fl, f[i].name)) {
            char code[8];
            js_code_str(f[i].code, f[i].digits, code);
            if (item_follows(p + fl))
                report(c, "T-010", JS_SEV_ERROR, (size_t)(p - c->text), fl, "“%s”是旧版科目名称：%s 自 %d 年起为“%s”",
                       f[i].name, code, f[i].since, cur->name);
        }
    }
}

/* Table rows printed with an item name of an older edition: a coded row
 * under its code's old name, a numbered row (八、…) under any 类's. */
static js_status former_in_tables(const js_view *v, const js_dict *dict, js_findings *out)
{
    size_t n;
    const js_former_name *f = dict ? js_dict_former_names(dict, &n) : NULL;
    for (size_t t = 0; f && t < js_view_count(v); t++) {
        const js_vtable *vt = js_view_table(v, t);
        for (int r = 0; r < vt->nrows; r++) {
            const js_vrow *vr = &vt->rows[r];
            const char *dun = strstr(vr->name, "、");
            const char *bare = dun && dun - vr->name <= 12 ? dun + strlen("、") : vr->name;
            for (size_t i = 0; i < n; i++) {
                char code[8];
                js_code_str(f[i].code, f[i].digits, code);
                bool hit = !strcmp(bare, f[i].name) && (vr->code[0] ? !strcmp(vr->code, code) : f[i].digits == 3);
                const js_code *cur = hit ? js_dict_find(dict, f[i].kind, f[i].code, f[i].digits) : NULL;
                if (!cur)
                    continue;
                js_finding *x = js_findings_add(out, "T-010", JS_SEV_ERROR, "%s「%s」是旧版科目名称：%s 自 %d 年起为“%s”",
                                                vt->number, vr->name, code, f[i].since, cur->name);
                if (!x)
                    return JS_E_NOMEM;
                snprintf(x->table, sizeof x->table, "%s", vt->id);
                js_vrow_key(vr, x->row, sizeof x->row);
                snprintf(x->row_name, sizeof x->row_name, "%s", vr->name);
            }
        }
    }
    return JS_OK;
}

/* The row of t whose names from its 类 down are the n names of path (类,
 * 款, 项: the rows of its code's prefixes), or NULL. */
static const js_vrow *row_by_path(const js_vtable *t, const char *const *path, const size_t *len, size_t n)
{
    for (int r = 0; r < t->nrows; r++) {
        const js_vrow *vr = &t->rows[r];
        if (vr->level != (int)(3 + 2 * (n - 1)) || !same_name(path[n - 1], len[n - 1], vr->name))
            continue;
        size_t ok = 1;
        for (size_t k = 0; k + 1 < n; k++)
            for (int q = 0; q < t->nrows; q++)
                if (t->rows[q].level == (int)(3 + 2 * k) && !strncmp(t->rows[q].code, vr->code, 3 + 2 * k) &&
                    same_name(path[k], len[k], t->rows[q].name)) {
                    ok++;
                    break;
                }
        if (ok == n)
            return vr;
    }
    return NULL;
}

/* The parts the sentence gives after an item's amount (其中基本支出384.83万元、
 * 项目支出0.17万元): each {phrase: column} of parts, the figure right after
 * the phrase in the rest of the sentence, against that column of the row. */
static void item_parts(ctx *c, const json_t *table, const json_t *parts, const char *row, size_t from)
{
    const char *stop = strstr(c->text + from, "。");
    size_t end = stop ? (size_t)(stop - c->text) : strlen(c->text);
    const char *ph;
    const json_t *col;
    json_object_foreach((json_t *)parts, ph, col) {
        const char *at_ph = strstr(c->text + from, ph);
        if (!at_ph || (size_t)(at_ph - c->text) >= end || !json_is_string(col))
            continue;
        size_t after = (size_t)(at_ph - c->text) + strlen(ph);
        size_t f = find_figure_after(c, after, false, false);
        if (f == c->nfig || c->fig[f].at - after > 6 || c->fig[f].at >= end)
            continue;
        json_t *one = json_pack("[O, s, O]", table, row, col);
        if (!one) {
            c->nomem = true;
            return;
        }
        compare_amount(c, &c->fig[f], one);
        json_decref(one);
    }
}

/* Items the text names by their classification path with an amount
 * (reading.json "items": “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”
 * 科目1,202.95万元): the amount against the row with those names in the
 * first of the rule's tables that has it (T-001); a path no table has is
 * reported to be verified (T-013). */
static void items(ctx *c, const char *heading)
{
    size_t i;
    const json_t *rule;
    json_array_foreach(json_object_get(c->rd, "items"), i, rule) {
        const char *after = json_string_value(json_object_get(rule, "after"));
        const json_t *cells = json_object_get(rule, "cells");
        if (!after || !section_applies(rule, heading))
            continue;
        for (const char *q = strstr(c->text, "“"); q; q = strstr(q + 1, "“")) {
            const char *s = q + strlen("“"), *e = strstr(s, "”");
            if (!e || e - s > 300)
                continue;
            const char *tail = e + strlen("”");
            if (strncmp(tail, after, strlen(after)))
                continue;
            size_t from = (size_t)(tail - c->text) + strlen(after);
            size_t f = find_figure_after(c, from, false, false);
            if (f == c->nfig || c->fig[f].at - from > 6 || crosses(c->text, from, c->fig[f].at, false))
                continue;
            /* the names, separated by - */
            const char *path[3];
            size_t len[3], n = 0;
            const char *p = s;
            for (; n < 3; n++) {
                const char *dash = memchr(p, '-', (size_t)(e - p));
                path[n] = p;
                len[n] = (size_t)((dash ? dash : e) - p);
                if (!dash) {
                    n++;
                    break;
                }
                p = dash + 1;
            }
            if (p < e && n == 3 && memchr(p, '-', (size_t)(e - p)))
                continue; /* more than 类-款-项: not a classification path */
            const js_vrow *vr = NULL;
            const json_t *spec = NULL;
            size_t k;
            json_array_foreach(cells, k, spec) {
                const js_vtable *t = js_view_find(c->v, json_string_value(json_array_get(spec, 0)));
                if (t && (vr = row_by_path(t, path, len, n)))
                    break;
            }
            if (!vr) {
                report(c, "T-013", JS_SEV_VERIFY, (size_t)(q - c->text), (size_t)(tail - q),
                       "文字所列科目“%.*s”在表中找不到，请核实名称或金额", (int)(e - s), s);
                continue;
            }
            char code[16];
            snprintf(code, sizeof code, "code:%s", vr->code);
            json_t *one = json_pack("[O, s, O]", json_array_get(spec, 0), code, json_array_get(spec, 1));
            if (!one) {
                c->nomem = true;
                return;
            }
            compare_amount(c, &c->fig[f], one);
            json_decref(one);
            item_parts(c, json_array_get(spec, 0), json_array_get(spec, 2), code, c->fig[f].end);
            if (c->nomem)
                return;
        }
    }
}

js_status js_narrative_check(const js_printed *r, const js_view *v, const json_t *reading, const js_dict *dict,
                             js_findings *out, js_diag *d)
{
    if (former_in_tables(v, dict, out) != JS_OK)
        return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    for (size_t i = 0; i < js_printed_sections(r); i++) {
        const js_psection *s = js_printed_section(r, i);
        ctx c = {r, v, reading, dict, out, i, s->text, NULL, 0, false};
        c.fig = scan(s->text, &c.nfig);
        if (!c.fig)
            return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        claims(&c, s->heading);
        percentages(&c, s->heading);
        parts(&c);
        phrases(&c, s->heading);
        lists(&c, s->heading);
        items(&c, s->heading);
        former_in_text(&c);
        free(c.fig);
        if (c.nomem)
            return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    return JS_OK;
}
