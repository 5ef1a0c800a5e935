/* 预算 vs 决算 of a department-year (docs/portal.md, "预算与决算"): the key
 * figures of data/portal/phases.json in its published budget and its
 * published 决算, with the difference (决算 − 预算) and the completion
 * (决算 ÷ 预算, as a percentage), both from exact amounts in 分; 万元 by
 * 四舍五入 from them. A figure a phase's report does not have is absent,
 * never zero, and gets no difference; a budget of 0 gets no percentage.
 * Shown on the 决算's page when both phases are published, and downloaded
 * as /年度/部门/budget-vs-final.csv and .json. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "phase.h"

/* One figure in both phases. */
typedef struct {
    bool has[JS_PHASE_COUNT];
    js_fen v[JS_PHASE_COUNT];
    bool has_diff;
    js_fen diff;
    char rate[64]; /* "" when none */
} pc_row;

/* The figures of both published versions (ver[phase]) into rows. */
static void compare_load(js_req *r, const js_store_version *const ver[JS_PHASE_COUNT], pc_row *rows)
{
    const phase_conf *c = r->srv->phases;
    for (int ph = 0; ph < JS_PHASE_COUNT; ph++) {
        btables t;
        bool loaded = btables_load(r, ver[ph]->id, &t);
        for (size_t i = 0; i < c->nfig; i++)
            rows[i].has[ph] = bfigure_value(r, &c->fig[i].f[ph], ver[ph], loaded ? &t : NULL, &rows[i].v[ph]);
        btables_free(&t);
    }
    for (size_t i = 0; i < c->nfig; i++) {
        pc_row *w = &rows[i];
        w->rate[0] = '\0';
        w->has_diff = w->has[0] && w->has[1] && js_fen_sub(w->v[JS_PHASE_FINAL], w->v[JS_PHASE_BUDGET], &w->diff);
        if (w->has_diff && !js_money_percent(w->v[JS_PHASE_FINAL], w->v[JS_PHASE_BUDGET], BROWSE_PERCENT_DECIMALS,
                                             w->rate, sizeof w->rate))
            w->rate[0] = '\0';
    }
}

void phase_compare_section(js_req *r, js_buf *b, const js_store_dept *dept, const js_store_version *final,
                           const js_store_version *budget)
{
    if (!budget) {
        tx(b, TXT(r), T_PHASE_NO_COMPARE);
        return;
    }
    const js_store_version *ver[JS_PHASE_COUNT] = {final, budget};
    pc_row rows[PHASE_MAX_FIGURES];
    compare_load(r, ver, rows);
    const char *absent = tx_str(TXT(r), T_PC_ABSENT);
    tx(b, TXT(r), T_PC_HEAD, final->year, dept->code);
    for (size_t i = 0; i < r->srv->phases->nfig; i++) {
        const pc_row *w = &rows[i];
        char text[JS_PHASE_COUNT][40], diff[40];
        for (int ph = 0; ph < JS_PHASE_COUNT; ph++)
            if (w->has[ph])
                js_money_format_wan(w->v[ph], true, text[ph], sizeof text[ph]);
        if (w->has_diff)
            js_money_format_wan(w->diff, true, diff, sizeof diff);
        char rate[72];
        snprintf(rate, sizeof rate, "%s%s", w->rate[0] ? w->rate : absent, w->rate[0] ? "%" : "");
        tx(b, TXT(r), T_PC_ROW, r->srv->phases->fig[i].label, w->has[JS_PHASE_BUDGET] ? text[JS_PHASE_BUDGET] : absent,
           w->has[JS_PHASE_FINAL] ? text[JS_PHASE_FINAL] : absent, w->has_diff ? diff : absent, rate);
    }
    tx(b, TXT(r), T_PC_TAIL);
}

/* A money value as JSON: its exact 元 and its 万元, as strings; null when
 * absent. */
static json_t *money_json(bool has, js_fen v)
{
    if (!has)
        return json_null();
    char wan[40], yuan[40];
    bwan_text(v, wan);
    byuan_text(v, yuan);
    return json_pack("{s:s,s:s}", "yuan", yuan, "wan", wan);
}

void h_phase_compare_data(js_req *r)
{
    js_store_dept dept;
    js_store_version *v = NULL;
    size_t n = 0;
    js_diag d = {0};
    int year = atoi(r->param[0]);
    bool json = strstr(r->url, ".json") != NULL;
    if (js_store_dept_get(r->store, r->param[1], &dept, &d) != JS_OK) {
        page_fail_text(r, 404, T_PUB_NO_DEPT);
        return;
    }
    const js_store_version *ver[JS_PHASE_COUNT] = {NULL, NULL};
    if (js_store_version_list(r->store, dept.id, year, &v, &n, &d) == JS_OK)
        for (size_t i = 0; i < n; i++)
            if (v[i].state == JS_V_PUBLISHED && !ver[v[i].phase])
                ver[v[i].phase] = &v[i];
    if (!ver[0] || !ver[1]) {
        page_fail_text(r, 404, T_PC_NOT_BOTH);
        js_store_version_list_free(v, n);
        js_store_dept_free(&dept);
        return;
    }
    const phase_conf *c = r->srv->phases;
    pc_row rows[PHASE_MAX_FIGURES];
    compare_load(r, ver, rows);
    char filename[200];
    snprintf(filename, sizeof filename, "budget-vs-final-%d-%s.%s", year, dept.code, json ? "json" : "csv");
    if (json) {
        json_t *list = json_array();
        for (size_t i = 0; i < c->nfig; i++) {
            const pc_row *w = &rows[i];
            json_array_append_new(
                list, json_pack("{s:s,s:s,s:o,s:o,s:o,s:o}", "id", c->fig[i].id, "label", c->fig[i].label, "budget",
                                money_json(w->has[JS_PHASE_BUDGET], w->v[JS_PHASE_BUDGET]), "final",
                                money_json(w->has[JS_PHASE_FINAL], w->v[JS_PHASE_FINAL]), "difference",
                                money_json(w->has_diff, w->diff), "completion_percent",
                                w->rate[0] ? json_string(w->rate) : json_null()));
        }
        json_t *versions = json_object();
        for (int ph = 0; ph < JS_PHASE_COUNT; ph++) {
            char page[200];
            snprintf(page, sizeof page, "/%d/%s/v%d/", year, dept.code, ver[ph]->number);
            json_object_set_new(versions, js_phase_id((js_phase)ph),
                                json_pack("{s:i,s:s}", "number", ver[ph]->number, "page", page));
        }
        bsend_json(r,
                   json_pack("{s:i,s:{s:s,s:s},s:o,s:s,s:o}", "year", year, "department", "code", dept.code, "name",
                             dept.name, "versions", versions, "unit", "万元", "figures", list),
                   filename);
    } else {
        js_buf csv;
        js_buf_init(&csv, 1 << 20);
        js_buf_puts(&csv, tx_str(TXT(r), T_PC_CSV_HEADER));
        js_buf_puts(&csv, "\r\n");
        for (size_t i = 0; i < c->nfig; i++) {
            const pc_row *w = &rows[i];
            char f[8][40] = {{0}};
            if (w->has[JS_PHASE_BUDGET]) {
                bwan_text(w->v[JS_PHASE_BUDGET], f[0]);
                byuan_text(w->v[JS_PHASE_BUDGET], f[4]);
            }
            if (w->has[JS_PHASE_FINAL]) {
                bwan_text(w->v[JS_PHASE_FINAL], f[1]);
                byuan_text(w->v[JS_PHASE_FINAL], f[5]);
            }
            if (w->has_diff) {
                bwan_text(w->diff, f[2]);
                byuan_text(w->diff, f[6]);
            }
            snprintf(f[3], sizeof f[3], "%s", w->rate);
            const char *fields[] = {c->fig[i].id, c->fig[i].label, f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
            bcsv_line(&csv, sizeof fields / sizeof fields[0], fields);
        }
        bsend_csv(r, &csv, filename);
        js_buf_release(&csv);
    }
    js_store_version_list_free(v, n);
    js_store_dept_free(&dept);
}
