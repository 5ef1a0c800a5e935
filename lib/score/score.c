/* Scoring a department-year against the items of score.json: one function
 * per kind of check, each deciding pass, fail or unknown and saying why. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_internal.h"
#include "workbook_schema.h"

const char *const js_score_result_names[JS_SCORE_RESULT_COUNT] = {"pass", "fail", "unknown"};
const char *const js_score_result_labels[JS_SCORE_RESULT_COUNT] = {"通过", "未通过", "无法判断"};

void js_score_context_init(js_score_context *c)
{
    *c = (js_score_context){.approved = NULL, .published = NULL, .explained = -1, .machine_readable = -1,
                            .is_explained = NULL, .explained_arg = NULL};
}

/* The reason an item gets, built up in a fixed buffer. */
typedef struct {
    char text[1024];
    size_t len;
} why_buf;

static void why(why_buf *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void why(why_buf *w, const char *fmt, ...)
{
    if (w->len >= sizeof w->text - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->text + w->len, sizeof w->text - w->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof w->text - w->len) {
        w->len += (size_t)n;
        return;
    }
    /* cut at a character boundary and mark the cut */
    size_t end = sizeof w->text - 4;
    while (end > 0 && ((unsigned char)w->text[end] & 0xC0) == 0x80)
        end--;
    memcpy(w->text + end, "\xe2\x80\xa6", 4); /* … and the NUL */
    w->len = sizeof w->text - 1;
}

/* Gaps listed by name in a reason; the rest are counted. */
#define JS_SCORE_SHOWN 3

static const char *const k_no_workbook = "只有公开表（tables.json），没有工作簿，无法判断";

/* ---- 及时性 --------------------------------------------------------- */

/* Days since 0000-03-01 of a YYYY-MM-DD date; false when it is not one. */
static bool day_number(const char *s, long *out)
{
    int y, m, d;
    char tail;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
        return false;
    /* days from civil (Howard Hinnant's algorithm) */
    long yy = m <= 2 ? y - 1 : y;
    long era = yy / 400, yoe = yy - era * 400;
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    *out = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return true;
}

static js_score_result published_within(const js_score_input *in, why_buf *w)
{
    const js_score_context *c = in->ctx;
    const char *published = c && c->published ? c->published
                            : in->wb              ? js_workbook_text(in->wb, "department.csv", "公开日期")
                                                  : NULL;
    const char *approved = c ? c->approved : NULL;
    if (published && !*published)
        published = NULL;
    if (!published || !approved) {
        why(w, "未给出%s%s%s，无法判断", approved ? "" : "财政批复日期", !approved && !published ? "和" : "",
            published ? "" : "公开日期");
        return JS_SCORE_UNKNOWN;
    }
    long p, a;
    if (!day_number(published, &p) || !day_number(approved, &a)) {
        why(w, "日期无效（批复 %s，公开 %s），无法判断", approved, published);
        return JS_SCORE_UNKNOWN;
    }
    int days = js_profile_publication_days(in->profile);
    if (p < a) {
        why(w, "公开日期 %s 早于批复日期 %s，日期有误，无法判断", published, approved);
        return JS_SCORE_UNKNOWN;
    }
    why(w, "%s 批复，%s 公开，相隔 %ld 日（时限 %d 日）", approved, published, p - a, days);
    return p - a <= days ? JS_SCORE_PASS : JS_SCORE_FAIL;
}

/* ---- 完整性 ---------------------------------------------------------- */

static bool vtable_has_data(const js_vtable *t)
{
    for (int r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++)
            if (t->cols[c].block == t->rows[r].block && t->rows[r].val[c] != 0)
                return true;
    return false;
}

static js_score_result tables_complete(const js_score_input *in, why_buf *w)
{
    size_t missing = 0, unexplained = 0;
    size_t n = js_profile_ntables(in->profile);
    for (size_t i = 0; i < n; i++) {
        const js_tabledef *def = js_profile_table(in->profile, i);
        size_t k = 0;
        while (k < js_view_count(in->view) && strcmp(js_view_table(in->view, k)->id, def->id))
            k++;
        if (k == js_view_count(in->view)) {
            why(w, "%s缺少%s", missing + unexplained ? "；" : "", def->number);
            missing++;
        } else if (!vtable_has_data(js_view_table(in->view, k)) && !(in->empty_texts && in->empty_texts[k])) {
            why(w, "%s%s是空表但没有空表说明", missing + unexplained ? "；" : "", def->number);
            unexplained++;
        }
    }
    if (missing + unexplained == 0) {
        size_t empty = 0;
        for (size_t k = 0; k < js_view_count(in->view); k++)
            empty += !vtable_has_data(js_view_table(in->view, k));
        why(w, "%zu 张表齐全", n);
        if (empty)
            why(w, "，其中 %zu 张空表均有说明", empty);
        return JS_SCORE_PASS;
    }
    return JS_SCORE_FAIL;
}

/* The section a gap finding names: the text between （用于“ and ”）. */
static bool gap_section(const char *message, const char **start, size_t *len)
{
    const char *open = "（用于“";
    const char *s = strstr(message, open);
    if (!s)
        return false;
    s += strlen(open);
    const char *e = strstr(s, "”）");
    const char *last = NULL;
    while (e) {
        last = e;
        e = strstr(e + 1, "”）");
    }
    if (!last)
        return false;
    *start = s;
    *len = (size_t)(last - s);
    return true;
}

static bool is_gap_rule(json_t *gap_rules, const char *rule)
{
    for (size_t i = 0; i < json_array_size(gap_rules); i++)
        if (!strcmp(json_string_value(json_array_get(gap_rules, i)), rule))
            return true;
    return false;
}

/* Whether the section title sec (len bytes) contains one of list ("*":
 * any, when star). */
static bool title_has(json_t *list, const char *sec, size_t len, bool star)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *want = json_string_value(json_array_get(list, i));
        if (star && !strcmp(want, "*"))
            return true;
        size_t wl = strlen(want);
        for (size_t o = 0; wl <= len && o + wl <= len; o++)
            if (!memcmp(sec + o, want, wl))
                return true;
    }
    return false;
}

/* Whether a gap in section sec counts for a check: it names the section
 * and does not except it. */
static bool gap_in(json_t *chk, const char *sec, size_t len)
{
    return title_has(json_object_get(chk, "sections"), sec, len, true) &&
           !title_has(json_object_get(chk, "except"), sec, len, false);
}

static js_score_result inputs(const js_scoredef *def, json_t *chk, const js_score_input *in, why_buf *w)
{
    if (!in->wb) {
        why(w, "%s", k_no_workbook);
        return JS_SCORE_UNKNOWN;
    }
    json_t *list = json_object_get(chk, "inputs");
    size_t absent = 0;
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *x = json_array_get(list, i);
        const char *sheet = json_string_value(json_object_get(x, "sheet"));
        const char *key = json_string_value(json_object_get(x, "key"));
        const char *col = json_string_value(json_object_get(x, "column"));
        const char *label = json_string_value(json_object_get(x, "label"));
        bool given;
        if (key || col) {
            const char *text;
            js_fen number;
            int type = js_workbook_value_given(in->wb, sheet, key, col, &text, &number, &given);
            given = given && (type == 1 || (text && *text)); /* a blank amount is 0; a blank count is not given */
        } else {
            given = js_workbook_has_sheet(in->wb, sheet);
        }
        if (given)
            continue;
        if (absent++ == 0)
            why(w, "未填报：");
        else
            why(w, "、");
        if (label)
            why(w, "%s", label);
        else
            why(w, "%s「%s」%s", js_sheet_title(sheet), key ? key : "", col ? col : "");
    }
    /* the sentences of the named sections the document could not write */
    json_t *sections = json_object_get(chk, "sections"), *gap_rules = json_object_get(def->root, "gap_rules");
    size_t gaps = 0;
    for (size_t i = 0; in->findings && json_array_size(sections) && i < js_findings_count(in->findings); i++) {
        const js_finding *f = js_findings_at(in->findings, i);
        const char *sec;
        size_t len;
        if (!is_gap_rule(gap_rules, f->rule) || !gap_section(f->message, &sec, &len) || !gap_in(chk, sec, len))
            continue;
        if (gaps++ == 0)
            why(w, "%s说明缺少：", absent ? "；" : "");
        else if (gaps <= JS_SCORE_SHOWN)
            why(w, "；");
        if (gaps > JS_SCORE_SHOWN)
            continue;
        const char *what = strstr(f->message, "：");
        size_t wl = what ? (size_t)(sec - strlen("（用于“") - (what + strlen("："))) : 0;
        why(w, "%.*s（%.*s）", (int)wl, what ? what + strlen("：") : "", (int)len, sec);
    }
    if (gaps > JS_SCORE_SHOWN)
        why(w, " 等 %zu 处", gaps);
    if (absent + gaps)
        return JS_SCORE_FAIL;
    if (json_array_size(list))
        why(w, "已填报%s", json_array_size(sections) ? "，说明完整" : "");
    else
        why(w, "说明完整");
    return JS_SCORE_PASS;
}

/* ---- 真实性 ---------------------------------------------------------- */

/* Errors of the audit, but for the inputs the document lacks (gap_rules:
 * the completeness items score those). */
/* Findings of severity sev: *n of the audit's rules, *gaps of gap_rules. */
static void count_findings(json_t *gap_rules, const js_findings *f, js_severity sev, size_t *n, size_t *gaps)
{
    *n = *gaps = 0;
    for (size_t i = 0; i < js_findings_count(f); i++) {
        const js_finding *x = js_findings_at(f, i);
        if (x->severity == sev)
            *(is_gap_rule(gap_rules, x->rule) ? gaps : n) += 1;
    }
}

static js_score_result audit_errors(const js_scoredef *def, const js_score_input *in, why_buf *w)
{
    json_t *gap_rules = json_object_get(def->root, "gap_rules");
    size_t n, gaps;
    count_findings(gap_rules, in->findings, JS_SEV_ERROR, &n, &gaps);
    if (!n) {
        why(w, "审核无错误");
        if (gaps)
            why(w, "（另有 %zu 个缺少数据的错误，计入完整性各项）", gaps);
        return JS_SCORE_PASS;
    }
    why(w, "审核有 %zu 个错误：", n);
    size_t shown = 0;
    for (size_t i = 0; i < js_findings_count(in->findings) && shown < 5; i++) {
        const js_finding *f = js_findings_at(in->findings, i);
        if (f->severity == JS_SEV_ERROR && !is_gap_rule(gap_rules, f->rule))
            why(w, "%s%s", shown++ ? "、" : "", f->rule);
    }
    if (n > shown)
        why(w, " 等");
    return JS_SCORE_FAIL;
}

/* 核实 findings, but for the inputs the document lacks (as audit_errors). */
static js_score_result verify_explained(const js_scoredef *def, const js_score_input *in, why_buf *w)
{
    size_t n, gaps;
    count_findings(json_object_get(def->root, "gap_rules"), in->findings, JS_SEV_VERIFY, &n, &gaps);
    int explained = in->ctx ? in->ctx->explained : -1;
    if (explained < 0 && in->ctx && in->ctx->is_explained) {
        json_t *gap_rules = json_object_get(def->root, "gap_rules");
        explained = 0;
        for (size_t i = 0; i < js_findings_count(in->findings); i++) {
            const js_finding *f = js_findings_at(in->findings, i);
            if (f->severity == JS_SEV_VERIFY && !is_gap_rule(gap_rules, f->rule) &&
                in->ctx->is_explained(f, i, in->ctx->explained_arg))
                explained++;
        }
    }
    if (!n) {
        why(w, "没有需核实的问题");
        if (gaps)
            why(w, "（另有 %zu 个缺少数据的问题，计入完整性各项）", gaps);
        return JS_SCORE_PASS;
    }
    if (explained < 0) {
        why(w, "有 %zu 个需核实的问题，未给出其书面说明的情况（门户审核时填写），无法判断", n);
        return JS_SCORE_UNKNOWN;
    }
    if ((size_t)explained >= n) {
        why(w, "%zu 个需核实的问题均有书面说明", n);
        return JS_SCORE_PASS;
    }
    why(w, "%zu 个需核实的问题中 %zu 个没有书面说明", n, n - (size_t)explained);
    return JS_SCORE_FAIL;
}

/* ---- 细化程度 -------------------------------------------------------- */

/* Whether row r of t is a leaf: no later code row extends its code. */
static bool is_leaf(const js_vtable *t, int r)
{
    size_t len = strlen(t->rows[r].code);
    for (int k = 0; k < t->nrows; k++)
        if (k != r && strlen(t->rows[k].code) > len && !strncmp(t->rows[k].code, t->rows[r].code, len))
            return false;
    return true;
}

static bool row_has_data(const js_vtable *t, int r)
{
    for (int c = 0; c < t->ncols; c++)
        if (t->cols[c].block == t->rows[r].block && t->rows[r].val[c] != 0)
            return true;
    return false;
}

static js_score_result code_depth(json_t *chk, const js_score_input *in, why_buf *w)
{
    const char *id = json_string_value(json_object_get(chk, "table"));
    int digits = (int)json_integer_value(json_object_get(chk, "digits"));
    static const char *const level_names[] = {"", "", "", "类", "", "款", "", "项"};
    const js_vtable *t = js_view_find(in->view, id);
    if (!t) {
        why(w, "没有第 %s 表，无法判断", id);
        return JS_SCORE_UNKNOWN;
    }
    size_t leaves = 0, shallow = 0;
    for (int r = 0; r < t->nrows; r++) {
        if (!t->rows[r].code[0] || !row_has_data(t, r) || !is_leaf(t, r))
            continue;
        leaves++;
        if ((int)strlen(t->rows[r].code) < digits && shallow++ < 3)
            why(w, "%s%s %s", shallow > 1 ? "、" : "只列到上级科目：", t->rows[r].code, t->rows[r].name);
    }
    if (shallow) {
        if (shallow > 3)
            why(w, " 等 %zu 个", shallow);
        return JS_SCORE_FAIL;
    }
    if (!leaves)
        why(w, "%s没有数据行，无需细化", t->number);
    else
        why(w, "%s的 %zu 个末级科目均列到%s级", t->number, leaves, level_names[digits]);
    return JS_SCORE_PASS;
}

/* ---- 公开形式 -------------------------------------------------------- */

static js_score_result machine_readable(const js_score_input *in, why_buf *w)
{
    int m = in->ctx ? in->ctx->machine_readable : -1;
    if (m < 0) {
        why(w, "未给出是否提供可机读的数据下载，无法判断");
        return JS_SCORE_UNKNOWN;
    }
    why(w, "%s", m ? "提供 tables.json、tables-long.csv 和财政数据包（datapackage.json）下载" : "未提供可机读的数据下载");
    return m ? JS_SCORE_PASS : JS_SCORE_FAIL;
}

/* ---- the score ------------------------------------------------------- */

static char *dup(const char *s) { return strdup(s ? s : ""); }

void js_score_free(js_score *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nitems; i++) {
        free((char *)s->items[i].id);
        free((char *)s->items[i].dimension);
        free((char *)s->items[i].name);
        free((char *)s->items[i].source);
        free((char *)s->items[i].why);
    }
    free(s->items);
    free(s->title);
    free(s->version);
    free(s->department);
    free(s->profile);
    free(s);
}

js_score *js_score_compute(const js_scoredef *def, const js_score_input *in, js_diag *d)
{
    json_t *items = json_object_get(def->root, "items");
    js_score *s = calloc(1, sizeof *s);
    if (s)
        s->items = calloc(json_array_size(items), sizeof *s->items);
    bool okay = s && s->items;
    if (okay) {
        s->title = dup(json_string_value(json_object_get(def->root, "title")));
        s->version = dup(js_scoredef_version(def));
        s->department = dup(in->department);
        s->profile = dup(js_profile_name(in->profile));
        s->year = in->year;
        s->from_tables = !in->wb;
        okay = s->title && s->version && s->department && s->profile;
    }
    for (size_t i = 0; okay && i < json_array_size(items); i++) {
        json_t *it = json_array_get(items, i), *chk = json_object_get(it, "check");
        why_buf w = {.len = 0};
        w.text[0] = '\0';
        js_score_result r = JS_SCORE_UNKNOWN;
        switch ((js_score_kind_id)js_score_kind(chk)) {
        case JS_SCORE_PUBLISHED_WITHIN: r = published_within(in, &w); break;
        case JS_SCORE_TABLES_COMPLETE: r = tables_complete(in, &w); break;
        case JS_SCORE_INPUTS: r = inputs(def, chk, in, &w); break;
        case JS_SCORE_AUDIT_ERRORS: r = audit_errors(def, in, &w); break;
        case JS_SCORE_VERIFY_EXPLAINED: r = verify_explained(def, in, &w); break;
        case JS_SCORE_CODE_DEPTH: r = code_depth(chk, in, &w); break;
        case JS_SCORE_MACHINE_READABLE: r = machine_readable(in, &w); break;
        case JS_SCORE_KIND_COUNT: break;
        }
        js_score_item *x = &s->items[s->nitems++];
        x->id = dup(json_string_value(json_object_get(it, "id")));
        x->dimension = dup(json_string_value(json_object_get(it, "dimension")));
        x->name = dup(json_string_value(json_object_get(it, "name")));
        x->source = dup(json_string_value(json_object_get(it, "source")));
        x->why = dup(w.text);
        x->weight = (int)json_integer_value(json_object_get(it, "weight"));
        x->result = r;
        okay = x->id && x->dimension && x->name && x->source && x->why;
    }
    if (!okay) {
        js_score_free(s);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    return s;
}

size_t js_score_count(const js_score *s) { return s->nitems; }
const js_score_item *js_score_at(const js_score *s, size_t i) { return &s->items[i]; }

void js_score_totals(const js_score *s, int *earned, int *decided, int *total)
{
    *earned = *decided = *total = 0;
    for (size_t i = 0; i < s->nitems; i++) {
        *total += s->items[i].weight;
        if (s->items[i].result != JS_SCORE_UNKNOWN)
            *decided += s->items[i].weight;
        if (s->items[i].result == JS_SCORE_PASS)
            *earned += s->items[i].weight;
    }
}

void js_score_percent(const js_score *s, char *buf, size_t n)
{
    int earned, decided, total;
    js_score_totals(s, &earned, &decided, &total);
    if (!decided) {
        snprintf(buf, n, "%s", "");
        return;
    }
    /* tenths of a percent, half up, from the exact fraction */
    long tenths = (2000L * earned + decided) / (2L * decided);
    snprintf(buf, n, "%ld.%ld", tenths / 10, tenths % 10);
}
