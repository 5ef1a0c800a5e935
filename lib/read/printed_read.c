/* Reading a published report back (see include/juesuan/read.h): the
 * document's lines, the profile that fits, its tables, the narrative. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "juesuan/read.h"
#include "printed_normalise.h"
#include "printed_tables.h"
#include "vec.h"

typedef struct {
    js_psection s;
    size_t *off;  /* byte offset in text where each line starts */
    int *page;
    size_t n, cap;
} section;

struct js_printed {
    char *path;
    char *profile;
    js_rdoc *doc;
    json_t *tables;
    js_ptmeta meta;
    section *secs;
    size_t nsecs, seccap;
    js_arena arena;
};

void js_printed_free(js_printed *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsecs; i++) {
        free(r->secs[i].off);
        free(r->secs[i].page);
        free((char *)r->secs[i].s.text);
    }
    free(r->secs);
    json_decref(r->tables);
    js_rdoc_free(r->doc);
    js_arena_release(&r->arena);
    free(r->path);
    free(r->profile);
    free(r);
}

const char *js_printed_profile(const js_printed *r) { return r->profile; }
int js_printed_report_year(const js_printed *r) { return r->meta.year; }
const char *js_printed_path(const js_printed *r) { return r->path; }
int js_printed_pages(const js_printed *r) { return r->doc->npages; }
size_t js_printed_sections(const js_printed *r) { return r->nsecs; }
const js_psection *js_printed_section(const js_printed *r, size_t i) { return &r->secs[i].s; }

int js_printed_page_at(const js_printed *r, size_t i, size_t off)
{
    const section *s = &r->secs[i];
    int page = s->s.page;
    for (size_t k = 0; k < s->n && s->off[k] <= off; k++)
        page = s->page[k];
    return page;
}

/* A heading of the narrative: 第X部分, a short line numbered 一、… or
 * （一）, or a title the layout names (reading.json "headings": a short
 * line ending with one, such as 部门预算编制说明 of 2025年部门预算编制说明). */
static bool is_heading(const char *s, const json_t *titles)
{
    static const char *const nums[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    size_t len = strlen(s);
    if (len > 120)
        return false;
    /* a numbered sentence giving an amount ((一）因公出国（境）费839万元，…。)
     * is text of its section */
    if (strstr(s, "万元") && len >= strlen("。") && !strcmp(s + len - strlen("。"), "。"))
        return false;
    size_t t;
    json_t *v;
    json_array_foreach(titles, t, v) {
        size_t k = json_string_length(v);
        if (json_is_string(v) && k && len >= k && !strcmp(s + len - k, json_string_value(v)))
            return true;
    }
    if (!strncmp(s, "第", 3) && strstr(s, "部分"))
        return true;
    const char *p = s;
    bool paren = !strncmp(p, "（", 3);
    if (paren)
        p += 3;
    size_t k = 0;
    for (bool more = true; more;) {
        more = false;
        for (size_t i = 0; i < 10; i++)
            if (!strncmp(p, nums[i], 3)) {
                p += 3, k++, more = true;
                break;
            }
    }
    if (!k)
        return false;
    return paren ? !strncmp(p, "）", 3) : !strncmp(p, "、", 3);
}

static bool add_section(js_printed *r, const char *heading, int page)
{
    if (!js_vec_reserve(&r->secs, &r->seccap, r->nsecs + 1, sizeof *r->secs))
        return false;
    section *s = &r->secs[r->nsecs++];
    memset(s, 0, sizeof *s);
    s->s.heading = js_arena_strdup(&r->arena, heading);
    s->s.page = page;
    s->s.text = calloc(1, 1);
    return s->s.heading && s->s.text;
}

static bool add_text(section *s, const char *t, int page)
{
    size_t have = strlen(s->s.text), k = strlen(t);
    char *n = realloc((char *)s->s.text, have + k + 1);
    if (!n)
        return false;
    memcpy(n + have, t, k + 1);
    s->s.text = n;
    size_t cap = s->cap;
    if (!js_vec_reserve(&s->off, &cap, s->n + 1, sizeof *s->off))
        return false;
    cap = s->cap;
    if (!js_vec_reserve(&s->page, &cap, s->n + 1, sizeof *s->page))
        return false;
    s->cap = cap;
    s->off[s->n] = have;
    s->page[s->n++] = page;
    return true;
}

/* The narrative: every line outside the tables, by section (titles: the
 * layout's headings, or NULL). */
static bool narrative(js_printed *r, const bool *in_table, const json_t *titles)
{
    if (!add_section(r, "", 1))
        return false;
    for (size_t i = 0; i < r->doc->nlines; i++) {
        const js_rline *l = &r->doc->lines[i];
        if (in_table[i])
            continue;
        char *t = js_pn_squeeze(&r->arena, l->joined);
        if (!t)
            return false;
        if (is_heading(t, titles)) {
            if (!add_section(r, t, l->page))
                return false;
            continue;
        }
        if (!add_text(&r->secs[r->nsecs - 1], t, l->page))
            return false;
    }
    return true;
}

/* The profiles of datadir, sorted by name. */
static size_t list_profiles(const char *datadir, char names[][64], size_t max)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/profiles", datadir);
    DIR *dp = opendir(dir);
    size_t n = 0;
    if (!dp)
        return 0;
    struct dirent *de;
    while ((de = readdir(dp)) && n < max)
        if (de->d_name[0] != '.' && strlen(de->d_name) < 64)
            snprintf(names[n++], 64, "%s", de->d_name);
    closedir(dp);
    qsort(names, n, 64, (int (*)(const void *, const void *))strcmp);
    return n;
}

/* Reads doc's tables with profile name; the number found into *found,
 * the layout's narrative headings (a new reference, or NULL) into *titles. */
static json_t *try_profile(const char *datadir, const char *name, const js_rdoc *doc, js_ptmeta *meta,
                           bool *in_table, json_t **titles, js_diag *d)
{
    js_profile *p = js_profile_load(datadir, name, d);
    if (!p)
        return NULL;
    js_playout l;
    if (js_playout_load(datadir, p, &l, d) != JS_OK) {
        js_profile_free(p);
        return NULL;
    }
    memset(meta, 0, sizeof *meta);
    int year = js_printed_year(doc, p, &l);
    /* the edition of the report's year, else the latest before it (a
     * budget is published before its year's edition may be shipped) */
    js_dict *dict = NULL;
    for (int y = year; y && y > year - 5 && !dict; y--)
        dict = js_dict_load(datadir, y, NULL);
    json_t *t = js_printed_tables(doc, p, &l, dict, meta, in_table);
    if (!meta->year)
        meta->year = year;
    *titles = json_incref(js_playout_list(&l, NULL, "headings"));
    js_dict_free(dict);
    js_playout_release(&l);
    js_profile_free(p);
    if (!t)
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    return t;
}

js_printed *js_printed_read(const char *datadir, const char *path, const char *profile, js_diag *d)
{
    js_printed *r = calloc(1, sizeof *r);
    if (!r) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    js_arena_init(&r->arena);
    r->path = strdup(path);
    if (!r->path || !(r->doc = js_rdoc_load(path, d)))
        goto fail;
    bool *best_in = calloc(r->doc->nlines + 1, sizeof *best_in);
    if (!best_in) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        goto fail;
    }
    char names[32][64];
    size_t n = profile ? 1 : list_profiles(datadir, names, 32);
    if (profile)
        snprintf(names[0], 64, "%s", profile);
    /* the layout: the profile whose titles the report holds most of */
    size_t best = 0, most = 0;
    for (size_t i = 0; i < n && n > 1; i++) {
        js_profile *p = js_profile_load(datadir, names[i], NULL);
        js_playout l = {NULL};
        if (p && js_playout_load(datadir, p, &l, NULL) == JS_OK) {
            size_t k = js_printed_titles(r->doc, p, &l);
            if (k > most)
                most = k, best = i;
        }
        js_playout_release(&l);
        js_profile_free(p);
    }
    js_ptmeta meta;
    json_t *titles = NULL;
    json_t *t = try_profile(datadir, names[best], r->doc, &meta, best_in, &titles, d);
    if (!t)
        goto fail_free;
    r->tables = t;
    r->meta = meta;
    r->profile = strdup(names[best]);
    if (r->meta.ntables == 0) {
        free(best_in);
        json_decref(titles);
        bool report = false;
        for (size_t i = 0; i < r->doc->nlines && !report; i++)
            report = strstr(r->doc->lines[i].joined, "决算") || strstr(r->doc->lines[i].joined, "预算");
        js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                    report ? "报告的版式未知：找不到任何已知的决算或预算公开表（按各配置的表名查找）；请用 --profile "
                             "指定版式，或为它新增一个配置（docs/reading.md）"
                           : "不是部门决算公开报告（也不是部门预算公开报告）：其中没有“决算”“预算”字样，也没有公开表");
        goto fail;
    }
    bool ok = narrative(r, best_in, titles);
    json_decref(titles);
    free(best_in);
    if (!ok || !r->profile) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        goto fail;
    }
    return r;
fail_free:
    free(best_in);
fail:
    js_printed_free(r);
    return NULL;
}

js_status js_printed_json(const js_printed *r, bool with_text, js_buf *out)
{
    const char *dept = r->meta.department;
    json_t *root = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:O}", "format", "juesuan-tables", "version",
                             1, "department", dept, "entity", dept, "year", r->meta.year, "profile", r->profile,
                             "amount_unit", "万元", "tables", r->tables);
    if (!root)
        return JS_E_NOMEM;
    json_object_set_new(root, "source", json_pack("{s:s, s:i}", "file", r->path, "pages", r->doc->npages));
    if (with_text) {
        json_t *secs = json_array();
        for (size_t i = 0; i < r->nsecs; i++)
            if (*r->secs[i].s.heading || *r->secs[i].s.text)
                json_array_append_new(secs, json_pack("{s:s, s:i, s:s}", "heading", r->secs[i].s.heading, "page",
                                                      r->secs[i].s.page, "text", r->secs[i].s.text));
        json_object_set_new(root, "narrative", secs);
    }
    return js_json_out(root, out);
}
