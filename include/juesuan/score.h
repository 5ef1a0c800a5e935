/* The score of a disclosure (公开评分): how completely and how well a
 * department-year is disclosed, item by item, in the spirit of the
 * Ministry of Finance's inspection dimensions (及时性, 完整性, 真实性,
 * 细化程度, 公开形式). The items, their weights and sources are data
 * (data/profiles/<name>/score.json, docs/score.md); this engine knows a few
 * generic kinds of check and nothing of any one item.
 *
 * Every item ends pass, fail or unknown (无法判断): an item whose input is
 * not given (no approval date, a tables.json that holds no narrative) is
 * unknown, never a fail. The totals count the points of the items that
 * could be decided apart from those that could not. */
#ifndef JUESUAN_SCORE_H
#define JUESUAN_SCORE_H

#include <stdbool.h>
#include <stddef.h>

#include "juesuan/audit.h"
#include "juesuan/buf.h"
#include "juesuan/diag.h"
#include "juesuan/profile.h"
#include "juesuan/tables.h"
#include "juesuan/workbook.h"

typedef enum { JS_SCORE_PASS, JS_SCORE_FAIL, JS_SCORE_UNKNOWN, JS_SCORE_RESULT_COUNT } js_score_result;
extern const char *const js_score_result_names[JS_SCORE_RESULT_COUNT];  /* pass fail unknown */
extern const char *const js_score_result_labels[JS_SCORE_RESULT_COUNT]; /* 通过 未通过 无法判断 */

/* What the score needs that a workbook or a tables.json does not hold:
 * facts of the publication, known to the portal (or given on the command
 * line). js_score_context_init sets every one to "not known". */
typedef struct {
    const char *approved;  /* the finance bureau's approval (批复), YYYY-MM-DD; NULL: not known */
    const char *published; /* publication date, YYYY-MM-DD; NULL: the workbook's 公开日期 */
    int explained;         /* 核实 findings with a written explanation, leaving out those of the
                            * inputs the document lacks (score.json gap_rules); -1: not known */
    /* Or, when explained is -1, whether the 核实 finding f (the index-th
     * of the findings scored) has a written explanation: asked of each one
     * the item counts (the portal knows its stored explanations). */
    bool (*is_explained)(const js_finding *f, size_t index, void *arg);
    void *explained_arg;
    int machine_readable;  /* the data are downloadable in a machine-readable form: 1 yes, 0 no, -1 not known */
} js_score_context;
void js_score_context_init(js_score_context *c);

/* ---- the items (data) ---------------------------------------------- */

typedef struct js_scoredef js_scoredef;

/* Loads score.json of the profile p, or of the nearest profile it inherits
 * from that has one. NULL and d filled when none has one (JS_E_USAGE) or
 * the file is malformed (JS_E_INPUT, naming the file and the item). */
js_scoredef *js_scoredef_load(const char *datadir, const js_profile *p, js_diag *d);
/* Parses score.json text (name: for messages); for tests and fuzzing. */
js_scoredef *js_scoredef_parse(const char *name, const char *json, size_t len, js_diag *d);
void js_scoredef_free(js_scoredef *def);
/* The version string the file declares. */
const char *js_scoredef_version(const js_scoredef *def);

/* ---- scoring -------------------------------------------------------- */

/* What one department-year is scored on. view: its tables (exact or
 * printed); empty_texts: per table of the view (same order), its 空表说明
 * or NULL; wb: the workbook, NULL when scoring a tables.json (the items
 * that need it are then unknown); findings: its audit. All borrowed. */
typedef struct {
    const js_profile *profile;
    const js_view *view;
    const char *const *empty_texts;
    const js_workbook *wb;
    const js_findings *findings;
    const js_score_context *ctx; /* NULL: nothing known */
    const char *department;
    int year;
} js_score_input;

typedef struct {
    const char *id;
    const char *dimension;
    const char *name;
    const char *source;
    int weight;
    js_score_result result;
    const char *why; /* Chinese: what was found */
} js_score_item;

typedef struct js_score js_score;

/* Scores in against def. The result copies what it keeps (def and in may
 * be freed after); the caller frees it. NULL and d filled when out of
 * memory. */
js_score *js_score_compute(const js_scoredef *def, const js_score_input *in, js_diag *d);
void js_score_free(js_score *s);

size_t js_score_count(const js_score *s);
const js_score_item *js_score_at(const js_score *s, size_t i);
/* Points of the items passed, of the items decided (passed or failed) and
 * of all items. */
void js_score_totals(const js_score *s, int *earned, int *decided, int *total);
/* earned / decided as a percentage with one decimal, rounded half up from
 * the exact fraction ("87.5"); "" when nothing could be decided. buf needs
 * 16 bytes. */
void js_score_percent(const js_score *s, char *buf, size_t n);

/* Renders the score as text (Chinese, for a terminal) or JSON
 * (score.json, docs/score.md). */
js_status js_score_text(const js_score *s, js_buf *out);
js_status js_score_json(const js_score *s, js_buf *out);

#endif
