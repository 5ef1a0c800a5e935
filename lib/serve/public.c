/* What anonymous visitors see: published versions only, at addresses that
 * never change: /年度/ (the departments), /年度/部门/ (the current 决算
 * version, its publication date and whether it was on time, the history,
 * and the 预算 vs 决算 comparison when both are published),
 * /年度/部门/budget/ (the current 预算 version, likewise), /年度/部门/vN/
 * (one version of either phase) and the outputs under each. */
#define _GNU_SOURCE /* memmem */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phase.h"
#include "score_portal.h"

static bool is_public(js_vstate st) { return st == JS_V_PUBLISHED || st == JS_V_CORRECTED; }

/* The publication date and, against the phase's period, "按时公开" or
 * "逾期公开" (a budget without its 批复 date: neither). */
static void timeliness(js_req *r, js_buf *b, const js_store_version *v, const js_store_dept *dept)
{
    ptime t;
    phase_timeliness(r->srv, v, dept, &t);
    bool budget = v->phase == JS_PHASE_BUDGET;
    if (!t.known) {
        tx(b, TXT(r), T_BPUB_NO_APPROVAL, t.published, t.period);
        return;
    }
    tx(b, TXT(r), budget ? T_BPUB_FACTS : T_PUB_FACTS, t.published, t.start, t.period);
    tx(b, TXT(r), t.on_time ? T_PUB_ON_TIME : T_PUB_LATE);
    if (t.days == 0)
        tx(b, TXT(r), budget ? T_BPUB_SAME_DAY : T_PUB_SAME_DAY);
    else
        tx(b, TXT(r), budget ? T_BPUB_DAY_N : T_PUB_DAY_N, (long long)t.days);
    js_buf_puts(b, "</dd></dl>");
}

static bool dept_param(js_req *r, js_store_dept *dept, int *year)
{
    js_diag d = {0};
    *year = atoi(r->param[0]);
    if (js_store_dept_get(r->store, r->param[1], dept, &d) != JS_OK) {
        page_fail_text(r, 404, T_PUB_NO_DEPT);
        return false;
    }
    return true;
}

/* The department of the address (false, 404 sent, when none) and its
 * versions of the address's year, newest first (none when they cannot be
 * listed); the caller frees both. */
static bool dept_versions(js_req *r, js_store_dept *dept, js_store_version **v, size_t *n)
{
    int year;
    if (!dept_param(r, dept, &year))
        return false;
    js_diag d = {0};
    *v = NULL;
    *n = 0;
    if (js_store_version_list(r->store, dept->id, year, v, n, &d) != JS_OK) {
        js_store_version_list_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return true;
}

/* Among the versions of a department-year (newest first), the current
 * published one of a phase (NULL when none). */
static const js_store_version *current(const js_store_version *v, size_t n, js_phase ph)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].state == JS_V_PUBLISHED && v[i].phase == ph)
            return &v[i];
    return NULL;
}

static const js_store_version *numbered(const js_store_version *v, size_t n, int number)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].number == number)
            return &v[i];
    return NULL;
}

void h_home(js_req *r)
{
    js_store_version *v = NULL;
    size_t n = 0;
    js_diag d = {0};
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_HOME_HEAD);
    if (js_store_version_list_state(r->store, JS_V_PUBLISHED, 0, &v, &n, &d) == JS_OK) {
        int years[64], counts[64], ny = 0;
        for (size_t i = 0; i < n; i++) {
            int k = 0;
            while (k < ny && years[k] != v[i].year)
                k++;
            if (k == ny && ny < 64) {
                years[ny] = v[i].year;
                counts[ny++] = 0;
            }
            /* departments: a department's other phase is not counted twice */
            bool seen = false;
            for (size_t j = 0; j < i; j++)
                seen |= v[j].year == v[i].year && v[j].dept_id == v[i].dept_id;
            if (k < ny && !seen)
                counts[k]++;
        }
        for (int i = 0; i < ny; i++) /* newest year first */
            for (int j = i + 1; j < ny; j++)
                if (years[j] > years[i]) {
                    int t = years[i]; years[i] = years[j]; years[j] = t;
                    t = counts[i]; counts[i] = counts[j]; counts[j] = t;
                }
        for (int i = 0; i < ny; i++)
            tx(&b, TXT(r), T_HOME_YEAR, years[i], counts[i]);
        if (!ny)
            tx(&b, TXT(r), T_HOME_NONE);
        js_store_version_list_free(v, n);
    }
    js_buf_puts(&b, "</ul>");
    r->cacheable = true;
    page_send(r, tx_str(TXT(r), T_HOME_TITLE), &b);
    js_buf_release(&b);
}

void h_year(js_req *r)
{
    int year = atoi(r->param[0]);
    js_store_version *v = NULL;
    js_store_dept *depts = NULL;
    size_t n = 0, nd = 0;
    js_diag d = {0};
    if (js_store_version_list_state(r->store, JS_V_PUBLISHED, year, &v, &n, &d) != JS_OK ||
        js_store_dept_list(r->store, &depts, &nd, &d) != JS_OK) {
        js_store_version_list_free(v, n);
        page_fail_text(r, 500, T_YEAR_UNREADABLE);
        return;
    }
    js_buf b;
    js_buf_init(&b, 1 << 24);
    tx(&b, TXT(r), T_YEAR_HEAD, year);
    if (!n)
        tx(&b, TXT(r), T_YEAR_NONE);
    else
        tx(&b, TXT(r), T_YEAR_TABLE);
    for (size_t k = 0; k < nd; k++) /* in the store's department order */
        for (size_t i = 0; i < n; i++) {
            if (v[i].dept_id != depts[k].id)
                continue;
            ptime t;
            phase_timeliness(r->srv, &v[i], &depts[k], &t);
            tx(&b, TXT(r), T_YEAR_ROW, year, depts[k].code, phase_path(v[i].phase), depts[k].name,
               phase_label(r, v[i].phase), t.published,
               tx_str(TXT(r), !t.known ? T_PHASE_YEAR_UNKNOWN : t.on_time ? T_YEAR_ON_TIME : T_YEAR_LATE));
        }
    if (n) {
        js_buf_puts(&b, "</tbody></table>");
        tx(&b, TXT(r), T_DASH_LINK, year);
        tx(&b, TXT(r), T_COFOG_LINK, year);
    }
    js_store_version_list_free(v, n);
    js_store_dept_list_free(depts, nd);
    r->cacheable = true;
    char title[256];
    tx_msg(title, sizeof title, TXT(r), T_YEAR_TITLE, year);
    page_send(r, title, &b);
    js_buf_release(&b);
}

static void downloads(js_req *r, js_buf *b, const js_store_version *v, const char *prefix)
{
    js_store_output *o = NULL;
    size_t n = 0;
    js_diag d = {0};
    if (js_store_output_list(r->store, v->id, &o, &n, &d) != JS_OK)
        return;
    tx(b, TXT(r), T_DOWNLOADS_HEAD);
    /* the report and the whole tables first, then each table and the audit */
    for (size_t pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < n; i++) {
        bool main_file = !strncmp(o[i].name, "report.", 7) || !strncmp(o[i].name, "tables", 6);
        if (main_file != (pass == 0))
            continue;
        char href[256], sha[17];
        snprintf(href, sizeof href, "%s%s", prefix, o[i].name);
        snprintf(sha, sizeof sha, "%.16s", o[i].sha256);
        tx(b, TXT(r), T_DOWNLOADS_ITEM, href, o[i].name, o[i].size, sha);
    }
    js_buf_puts(b, "</ul>");
    js_store_output_list_free(o, n);
}

/* The page of one public version (current: the department's address). */
static void version_page(js_req *r, const js_store_dept *dept, const js_store_version *all, size_t n,
                         const js_store_version *v, bool current_page)
{
    js_buf b;
    js_buf_init(&b, 1 << 24);
    char prefix[160];
    bool budget = v->phase == JS_PHASE_BUDGET;
    if (current_page)
        snprintf(prefix, sizeof prefix, "/%d/%s/%s", v->year, dept->code, phase_path(v->phase));
    else
        snprintf(prefix, sizeof prefix, "/%d/%s/v%d/", v->year, dept->code, v->number);
    tx(&b, TXT(r), budget ? T_BPUB_HEAD : T_PUB_HEAD, dept->name, v->year);
    if (v->state == JS_V_CORRECTED) {
        const js_store_version *by = NULL;
        for (size_t i = 0; i < n; i++)
            if (all[i].id == v->corrected_by)
                by = &all[i];
        tx(&b, TXT(r), T_PUB_CORRECTED);
        if (by) {
            tx(&b, TXT(r), T_PUB_CORRECTED_BY, v->year, dept->code, by->number);
            if (by->reason)
                tx(&b, TXT(r), T_PUB_CORRECTED_REASON, by->reason);
        }
        tx(&b, TXT(r), T_PUB_CORRECTED_END);
    }
    tx(&b, TXT(r), T_PUB_NUMBER, v->number);
    if (v->corrects && v->reason)
        tx(&b, TXT(r), T_PUB_CORRECTION, v->reason);
    js_buf_puts(&b, "</p>");
    timeliness(r, &b, v, dept);
    /* the department-year's other phase, and on the 决算's page the
     * comparison of both (phase_compare.c) */
    const js_store_version *other = current(all, n, budget ? JS_PHASE_FINAL : JS_PHASE_BUDGET);
    if (other) {
        char pub[16];
        date_text(other->published_at, pub);
        tx(&b, TXT(r), budget ? T_PHASE_LINK_FINAL : T_PHASE_LINK_BUDGET, v->year, dept->code, pub);
    }
    tx(&b, TXT(r), budget ? T_BPUB_READ : T_PUB_READ, prefix);
    downloads(r, &b, v, prefix);
    if (!budget && current_page)
        phase_compare_section(r, &b, dept, v, other);
    if (budget)
        tx(&b, TXT(r), T_BPUB_SCORE_NOTE);
    else {
        char score_href[200];
        snprintf(score_href, sizeof score_href, "%sscore.json", prefix);
        score_section(r, &b, v, score_href);
    }
    tx(&b, TXT(r), T_PUB_VERSIONS);
    for (size_t i = 0; i < n; i++) {
        if ((!is_public(all[i].state) && all[i].state != JS_V_WITHDRAWN) || all[i].phase != v->phase)
            continue;
        char pub[16];
        date_text(all[i].published_at, pub);
        tx(&b, TXT(r), T_PUB_VERSION_ITEM, all[i].year, dept->code, all[i].number, phase_label(r, all[i].phase), pub,
           js_vstate_name(all[i].state));
        if (all[i].state == JS_V_WITHDRAWN && all[i].reason)
            tx(&b, TXT(r), T_PUB_WITHDRAWN_REASON, all[i].reason);
        js_buf_puts(&b, "</li>");
    }
    js_buf_puts(&b, "</ul>");
    r->cacheable = true;
    char title[512];
    tx_msg(title, sizeof title, TXT(r), budget ? T_BPUB_TITLE : T_PUB_TITLE, dept->name, v->year);
    page_send(r, title, &b);
    js_buf_release(&b);
}

/* The page of a department-year whose 决算 is not published but whose
 * 预算 is: only what is there. */
static void budget_only_page(js_req *r, const js_store_dept *dept, int year)
{
    js_buf b;
    js_buf_init(&b, 1 << 16);
    tx(&b, TXT(r), T_PUB_HEAD, dept->name, year);
    tx(&b, TXT(r), T_PHASE_ONLY_BUDGET, year, dept->code);
    r->cacheable = true;
    char title[512];
    tx_msg(title, sizeof title, TXT(r), T_PUB_TITLE, dept->name, year);
    page_send(r, title, &b);
    js_buf_release(&b);
}

/* The current page of a phase: /年度/部门/ (决算) or /年度/部门/budget/. */
static void phase_page(js_req *r, js_phase ph)
{
    js_store_dept dept;
    js_store_version *v;
    size_t n;
    if (!dept_versions(r, &dept, &v, &n))
        return;
    const js_store_version *cur = current(v, n, ph);
    if (cur)
        version_page(r, &dept, v, n, cur, true);
    else if (ph == JS_PHASE_FINAL && current(v, n, JS_PHASE_BUDGET))
        budget_only_page(r, &dept, atoi(r->param[0]));
    else
        page_fail_text(r, 404, ph == JS_PHASE_BUDGET ? T_BPUB_NONE : T_PUB_NONE);
    js_store_version_list_free(v, n);
    js_store_dept_free(&dept);
}

void h_dept_public(js_req *r) { phase_page(r, JS_PHASE_FINAL); }

void h_budget_public(js_req *r) { phase_page(r, JS_PHASE_BUDGET); }

void h_version_public(js_req *r)
{
    js_store_dept dept;
    js_store_version *v;
    size_t n;
    if (!dept_versions(r, &dept, &v, &n))
        return;
    const js_store_version *one = numbered(v, n, atoi(r->param[2] + 1));
    if (one && is_public(one->state))
        version_page(r, &dept, v, n, one, false);
    else if (one && one->state == JS_V_WITHDRAWN) {
        js_buf b;
        js_buf_init(&b, 1 << 20);
        tx(&b, TXT(r), T_PUB_WITHDRAWN, one->number, one->reason);
        r->status = 410;
        page_send(r, tx_str(TXT(r), T_PUB_WITHDRAWN_TITLE), &b);
        js_buf_release(&b);
    } else
        page_fail_text(r, 404, T_PUB_NO_VERSION);
    js_store_version_list_free(v, n);
    js_store_dept_free(&dept);
}

/* CSP for a stored report.html: its one inline <style>, by hash. */
void report_style_hash(js_req *r, const char *data, size_t size)
{
    const char *a = memmem(data, size, "<style>", 7);
    if (!a)
        return;
    a += 7;
    const char *e = memmem(a, size - (size_t)(a - data), "</style>", 8);
    if (!e)
        return;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)a, (unsigned long long)(e - a));
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
    snprintf(r->style_hash, sizeof r->style_hash, "'sha256-%s'", b64);
}

/* An output of a version: /年度/部门/vN/FILE, or of the current version of
 * a phase: /年度/部门/FILE (决算), /年度/部门/budget/FILE. */
static void output_public(js_req *r, js_phase ph)
{
    js_store_dept dept;
    js_store_version *v;
    size_t n;
    if (!dept_versions(r, &dept, &v, &n))
        return;
    js_diag d = {0};
    const char *file = r->param[r->nparam - 1];
    const js_store_version *one = r->nparam == 4 ? numbered(v, n, atoi(r->param[2] + 1)) : current(v, n, ph);
    js_store_output o = {0};
    bool found = one && is_public(one->state);
    if (found && !output_cache_get(r->srv, one->id, file, &r->body)) {
        found = js_store_output_get(r->store, one->id, file, &o, &d) == JS_OK;
        if (found) {
            js_buf_append(&r->body, o.data, o.size);
            output_cache_put(r->srv, one->id, file, o.data, o.size);
            js_store_output_free(&o);
        }
    }
    if (!found) {
        page_fail_text(r, 404, T_PUB_NO_FILE);
    } else {
        r->status = 200;
        r->cacheable = true;
        if (!strcmp(file, "report.html"))
            report_style_hash(r, r->body.data, r->body.len);
        r->ctype = output_type(file);
        if (strstr(r->ctype, "sheet") || strstr(r->ctype, "csv") || !strcmp(r->ctype, "application/octet-stream"))
            snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", file);
    }
    js_store_version_list_free(v, n);
    js_store_dept_free(&dept);
}

void h_output_public(js_req *r) { output_public(r, JS_PHASE_FINAL); }

void h_budget_output(js_req *r) { output_public(r, JS_PHASE_BUDGET); }
