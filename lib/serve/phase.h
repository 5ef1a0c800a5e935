/* The two phases of a department-year in the portal (docs/portal.md,
 * "预算与决算"): the 决算 and the 预算 are each their own line of versions
 * (js_phase in the store). What differs between them is data,
 * data/portal/phases.json:
 *
 *   - which profile builds a phase: a 决算 profile's budget profile
 *     ("default" → "budget", "shanghai" → "shanghai-budget") and back;
 *   - where a phase's statutory period starts: the 决算's at the finance
 *     bureau's approval in the portal (审核通过), the 预算's at its 批复,
 *     a keyed value of the workbook (department.csv 预算批复日期), stored
 *     with the version at upload; the period's length is the phase
 *     profile's publication_days;
 *   - the key figures compared between the published 预算 and 决算 of a
 *     department-year (each a cell of the phase's tables.json or a keyed
 *     figure of its workbook, as data/portal/figures.json names them).
 *
 * Loaded once when the server starts (a wrong file stops the start). */
#ifndef JS_SERVE_PHASE_H
#define JS_SERVE_PHASE_H

#include "browse.h"

#define PHASE_MAX_MAP 16
#define PHASE_MAX_FIGURES 24

typedef struct phase_conf {
    struct { char from[64], to[64]; } map[JS_PHASE_COUNT][PHASE_MAX_MAP];
    size_t nmap[JS_PHASE_COUNT];
    char approval_sheet[48], approval_key[96];
    struct phase_figure {
        char id[64], label[256];
        bfigure f[JS_PHASE_COUNT]; /* the figure in each phase */
    } fig[PHASE_MAX_FIGURES];
    size_t nfig;
} phase_conf;

/* Loads datadir/portal/phases.json (malloc'd; free()); NULL and d filled,
 * naming the file, when it is missing or wrong. */
phase_conf *phase_conf_load(const char *datadir, js_diag *d);
/* The same into s->phases (false on failure), and its release. */
bool phase_load(js_server *s, js_diag *d);
void phase_free(js_server *s);

/* The profile that builds phase ph of a workbook whose profile (its 配置,
 * or a department's) is profile: profile itself when it is already of
 * that phase, else its mapping, else the mapping of "*". */
const char *phase_profile(const phase_conf *c, const char *profile, js_phase ph);

/* Opens the run of the workbook at path for phase *ph (-1: the phase the
 * workbook holds; holding both, the phase of its 配置, "default" a 决算),
 * with the phase's profile; *ph is set to the phase opened. NULL and d
 * filled on error. */
js_run *phase_run_open(const phase_conf *c, js_run_shared *sh, const js_run_options *o, const char *path,
                       int *ph, js_diag *d);

/* A budget workbook's 批复 date (YYYY-MM-DD) into out; "" when not given. */
void phase_approval_date(const phase_conf *c, const js_workbook *wb, char out[11]);

/* Whether published version v was on time. known: the period's start is
 * given (a 决算: always; a 预算: its 批复 date); start and published as
 * YYYY-MM-DD (UTC+8), days from one to the other, period the phase
 * profile's publication_days. */
typedef struct {
    bool known;
    char start[16], published[16];
    long days;
    int period;
    bool on_time;
} ptime;
void phase_timeliness(js_server *s, const js_store_version *v, const js_store_dept *dept, ptime *out);

/* "决算" or "预算" (text.json). */
const char *phase_label(const js_req *r, js_phase ph);
/* The address part of a phase's public pages under /年度/部门/: "" for the
 * 决算 (its addresses are the portal's first ones), "budget/" for the 预算. */
const char *phase_path(js_phase ph);

/* ---- 预算 vs 决算 (phase_compare.c) ---- */
/* On the page of published 决算 final: the comparison with the published
 * budget of its department-year, or (budget NULL) a note that there is
 * none. */
void phase_compare_section(js_req *r, js_buf *b, const js_store_dept *dept, const js_store_version *final,
                           const js_store_version *budget);

/* ---- handlers (routes.c) ---- */
void h_budget_public(js_req *r);       /* /:year/:dept/budget/ (public.c) */
void h_budget_output(js_req *r);       /* /:year/:dept/budget/:file */
void h_phase_compare_data(js_req *r);  /* /:year/:dept/budget-vs-final.csv|.json */

#endif
