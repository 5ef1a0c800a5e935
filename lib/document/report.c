/* The disclosure document: expands the narrative, splits it into blocks
 * (headings, paragraphs, tables, charts) and renders Markdown and HTML. */
#include "juesuan/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "charts.h"
#include "cnnum.h"
#include "fileio.h"
#include "grid.h"
#include "juesuan/perf.h"
#include "narrative.h"
#include "report_model.h"
#include "vec.h"
#include "workbook_schema.h"

void js_report_free(js_report *r)
{
    if (!r)
        return;
    free(r->blocks);
    js_arena_release(&r->arena);
    free(r);
}

static block *add_block(js_report *r, block_kind k)
{
    /* a report has a few hundred blocks: room for them at once, not
     * doubled (and copied) from 16 */
    if (!js_vec_reserve(&r->blocks, &r->cap, r->n + 1 > 256 ? r->n + 1 : 256, sizeof *r->blocks))
        return NULL;
    block *b = &r->blocks[r->n++];
    memset(b, 0, sizeof *b);
    b->k = k;
    return b;
}

/* Finds a template file of the profile (or of its parents). */
static char *profile_file(const char *datadir, const js_profile *p, const char *file, char *path,
                          size_t n, js_diag *d)
{
    for (size_t i = 0; i < js_profile_lineage_count(p); i++) {
        snprintf(path, n, "%s/profiles/%s/%s", datadir, js_profile_lineage(p, i), file);
        char *text;
        size_t len;
        /* only a file that is not there falls back to the parent's: one
         * that cannot be read is an error */
        if (js_read_file_if_present(path, JS_MAX_JSON_BYTES, &text, &len, d) != JS_OK)
            return NULL;
        if (text)
            return text;
    }
    js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "配置 %s 没有 %s", js_profile_name(p), file);
    return NULL;
}

/* "@chart bar 标题 | 标签 = F | 标签 = F", each F the narrative's reference
 * to an exact amount of figs (JS_FIGURE_OPEN index JS_FIGURE_CLOSE). */
static js_status parse_chart(js_report *r, const char *line, const js_narrative_figures *figs, js_chart *c,
                             js_diag *d)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", line);
    char *save = NULL, *part = strtok_r(buf, "|", &save);
    if (!part)
        return js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL, "@chart 缺少内容");
    char kind[16] = "";
    int off = 0;
    sscanf(part, "%15s %n", kind, &off);
    c->kind = !strcmp(kind, "pie") ? JS_CHART_PIE : JS_CHART_BAR;
    c->percent_decimals = js_profile_percent_decimals(js_tableset_profile(r->ts));
    char *title = part + off;
    while (*title == ' ')
        title++;
    size_t tl = strlen(title);
    while (tl && title[tl - 1] == ' ')
        title[--tl] = '\0';
    c->title = js_arena_strdup(&r->arena, title);
    while ((part = strtok_r(NULL, "|", &save)) && c->n < JS_CHART_MAX) {
        char *eq = strrchr(part, '=');
        if (!eq)
            return js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL, "@chart 的每项应为“标签 = 金额”：%s", part);
        *eq = '\0';
        char *lab = part;
        while (*lab == ' ')
            lab++;
        size_t ll = strlen(lab);
        while (ll && lab[ll - 1] == ' ')
            lab[--ll] = '\0';
        char *v = eq + 1, *end = v;
        while (*v == ' ')
            v++;
        unsigned long k = *v == JS_FIGURE_OPEN ? strtoul(v + 1, &end, 10) : 0;
        if (*v != JS_FIGURE_OPEN || end == v + 1 || *end != JS_FIGURE_CLOSE || end[1 + strspn(end + 1, " ")] ||
            k >= figs->n)
            return js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL,
                               "@chart 的每项应为“标签 = {{金额}}”（金额来自表达式）：%s", lab);
        c->values[c->n] = figs->v[k];
        c->labels[c->n++] = js_arena_strdup(&r->arena, lab);
    }
    return JS_OK;
}

/* "s" and k (k > 0) into buf of n bytes, cut to fit: snprintf "s%d"
 * without its cost (every heading of every department has one). */
static void section_anchor(char *buf, size_t n, int k)
{
    char digits[16];
    size_t nd = 0;
    do
        digits[nd++] = (char)('0' + k % 10);
    while ((k /= 10) && nd < sizeof digits);
    size_t o = 0;
    if (o + 1 < n)
        buf[o++] = 's';
    while (nd && o + 1 < n)
        buf[o++] = digits[--nd];
    if (n)
        buf[o] = '\0';
}

/* Splits the expanded text into blocks. */
static js_status split(js_report *r, const char *text, const js_narrative_figures *figs, js_diag *d)
{
    js_buf para;
    js_buf_init(&para, JS_MAX_OUTPUT_BYTES);
    int anchors = 0;
    js_status st = JS_OK;
    for (const char *p = text; st == JS_OK;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = js_arena_strndup(&r->arena, p, len);
        if (!line) {
            st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            break;
        }
        bool blank = strspn(line, " \t") == len;
        bool special = line[0] == '#' || line[0] == '@';
        if ((blank || special || !nl) && para.len) {
            if (!blank && !special)
                js_buf_puts(&para, line);
            block *b = add_block(r, B_PARA);
            if (!b || !(b->text = js_arena_strdup(&r->arena, para.data)))
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            js_buf_reset(&para);
            if (!blank && !special) {
                if (!nl)
                    break;
                p = nl + 1;
                continue;
            }
        }
        if (line[0] == '#') {
            int level = (int)strspn(line, "#");
            block *b = add_block(r, B_HEADING);
            if (!b) {
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
                break;
            }
            b->level = level > 3 ? 3 : level;
            b->text = line + level + (line[level] == ' ');
            section_anchor(b->anchor, sizeof b->anchor, ++anchors);
            if (!r->title && level == 1)
                r->title = b->text;
        } else if (!strncmp(line, "@table ", 7)) {
            block *b = add_block(r, B_TABLE);
            const char *id = line + 7;
            for (size_t i = 0; b && i < js_tableset_count(r->ts); i++)
                if (!strcmp(js_tableset_table(r->ts, i)->def->id, id))
                    b->table = js_tableset_table(r->ts, i);
            if (!b || !b->table)
                st = js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL, "@table %s：配置中没有这张表", id);
            else
                snprintf(b->anchor, sizeof b->anchor, "t%s", id);
        } else if (!strcmp(line, "@tables")) {
            /* every table of the profile in its order, each under a
             * heading numbered 一、二、… with its title */
            for (size_t i = 0; st == JS_OK && i < js_tableset_count(r->ts); i++) {
                const js_table *t = js_tableset_table(r->ts, i);
                block *h = add_block(r, B_HEADING);
                char no[16];
                js_chinese_number((int)i + 1, no, sizeof no);
                block *b = h ? add_block(r, B_TABLE) : NULL;
                char heading[512];
                snprintf(heading, sizeof heading, "%s、%s", no, t->title);
                char *kept = b ? js_arena_strdup(&r->arena, heading) : NULL;
                if (!kept) {
                    st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
                    break;
                }
                h = &r->blocks[r->n - 2]; /* add_block may have moved it */
                h->level = 3;
                h->text = kept;
                section_anchor(h->anchor, sizeof h->anchor, ++anchors);
                b->table = t;
                snprintf(b->anchor, sizeof b->anchor, "t%s", t->def->id);
            }
        } else if (!strncmp(line, "@sheet ", 7)) {
            int ncols;
            block *b = add_block(r, B_SHEET);
            if (!b)
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            else if (js_workbook_sheet_size(js_tableset_workbook(r->ts), line + 7, &ncols), ncols == 0)
                st = js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL, "@sheet %s：没有这个工作表", line + 7);
            else
                b->sheet = line + 7;
        } else if (!strcmp(line, "@perf")) {
            if (!add_block(r, B_PERF))
                st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        } else if (!strncmp(line, "@chart ", 7)) {
            block *b = add_block(r, B_CHART);
            st = b ? parse_chart(r, line + 7, figs, &b->chart, d) : JS_E_NOMEM;
        } else if (!blank) {
            if (para.len)
                js_buf_putc(&para, '\n');
            js_buf_puts(&para, line);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    if (st == JS_OK && para.len) {
        block *b = add_block(r, B_PARA);
        if (!b || !(b->text = js_arena_strdup(&r->arena, para.data)))
            st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    js_buf_release(&para);
    return st;
}

static js_status check_perf_layout(js_report *r, const js_profile *p, js_diag *d);

struct js_report_template {
    const js_profile *p;
    js_narrative_tpl *tpl;
};

js_report_template *js_report_template_load(const char *datadir, const js_profile *p, js_diag *d)
{
    char tpl_path[4096], vars_path[4096];
    char *tpl = profile_file(datadir, p, "report.tpl", tpl_path, sizeof tpl_path, d);
    char *vars = tpl ? profile_file(datadir, p, "report.vars", vars_path, sizeof vars_path, d) : NULL;
    js_report_template *rt = vars ? calloc(1, sizeof *rt) : NULL;
    if (rt && !(rt->tpl = js_narrative_compile(tpl_path, tpl, vars_path, vars, p, d))) {
        free(rt);
        rt = NULL;
    } else if (!rt && vars) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    }
    if (rt)
        rt->p = p;
    free(tpl);
    free(vars);
    return rt;
}

void js_report_template_free(js_report_template *rt)
{
    if (!rt)
        return;
    js_narrative_tpl_free(rt->tpl);
    free(rt);
}

js_report *js_report_build_from(const js_report_template *rt, const js_tableset *ts, const js_perf *pf, bool draft,
                                js_findings *gaps, js_diag *d)
{
    return js_report_build_viewed(rt, ts, pf, draft, NULL, gaps, d);
}

js_report *js_report_build_viewed(const js_report_template *rt, const js_tableset *ts, const js_perf *pf,
                                  bool draft, const js_view *view, js_findings *gaps, js_diag *d)
{
    const js_profile *p = js_tableset_profile(ts);
    js_report *r = calloc(1, sizeof *r);
    if (!r) {
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    js_arena_init(&r->arena);
    r->ts = ts;
    r->perf = pf;
    if (check_perf_layout(r, p, d) != JS_OK) {
        js_report_free(r);
        return NULL;
    }
    js_narrative_options opt = {js_profile_percent_decimals(p), js_profile_strip_zeros(p), draft, pf, view};
    js_buf text;
    js_buf_init(&text, JS_MAX_OUTPUT_BYTES);
    js_narrative_figures figs = {0};
    js_status st = js_narrative_run(rt->tpl, ts, &opt, gaps, &text, &figs, d);
    if (st == JS_OK)
        st = split(r, text.data ? text.data : "", &figs, d);
    free(figs.v);
    js_buf_release(&text);
    if (st != JS_OK) {
        js_report_free(r);
        return NULL;
    }
    return r;
}

js_report *js_report_build(const char *datadir, const js_tableset *ts, const js_perf *pf, bool draft,
                           js_findings *gaps, js_diag *d)
{
    js_report_template *rt = js_report_template_load(datadir, js_tableset_profile(ts), d);
    js_report *r = rt ? js_report_build_from(rt, ts, pf, draft, gaps, d) : NULL;
    js_report_template_free(rt);
    return r;
}

/* ---- 绩效自评表 ------------------------------------------------------ */

/* "1、部门预算项目 ☑　2、区级专项 □　…": the profile's options for key with
 * the chosen one ticked (the chosen text alone when the profile has none). */
static const char *boxes(js_arena *a, const js_profile *p, const char *key, const char *chosen)
{
    const char *opts[JS_PERF_MAX_OPTIONS];
    size_t n = js_profile_perf_labels(p, key, opts, JS_PERF_MAX_OPTIONS);
    if (!n)
        return chosen;
    char buf[512] = "";
    for (size_t k = 0; k < n; k++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%zu、%s %s", k ? "　" : "", k + 1, opts[k],
                 !strcmp(chosen, opts[k]) ? "☑" : "□");
    return js_arena_strdup(a, buf);
}

/* The fields a cell of the 自评表's layout can print (docs/profiles.md):
 * an evaluation's, then an indicator's (only on rows printed per
 * indicator). */
typedef enum {
    F_NAME, F_DEPT, F_UNIT, F_CATEGORY, F_ATTRIBUTE, F_TYPE, F_BUDGET, F_EXECUTED, F_RATE, F_RATE_SCORE, F_GOAL,
    F_TOTAL, F_REASON, F_MEASURE, F_WEIGHT,
    F_LEVEL1, F_LEVEL2, F_LEVEL3, F_TARGET, F_ACTUAL, F_SCORE
} perf_field;
static const char *const k_perf_fields[] = {
    "项目名称", "主管部门", "项目实施单位", "项目类别", "项目属性", "项目类型", "预算数", "执行数", "执行率", "执行得分",
    "年度目标", "总分", "偏差原因", "改进措施", "权重", "一级指标", "二级指标", "三级指标", "年初目标值", "实际完成值", "得分"};

static int perf_field_of(const char *name)
{
    for (int f = 0; f < (int)(sizeof k_perf_fields / sizeof k_perf_fields[0]); f++)
        if (!strcmp(k_perf_fields[f], name))
            return f;
    return -1;
}

/* Field f of item it (x: the indicator of the row, NULL on other rows). */
static const char *perf_value(js_arena *a, const js_workbook *wb, const js_perf_item *it,
                              const js_perf_indicator *x, int f)
{
    static const int cols[] = {[F_DEPT] = JS_PERF_DEPT, [F_UNIT] = JS_PERF_UNIT, [F_CATEGORY] = JS_PERF_CATEGORY,
                               [F_ATTRIBUTE] = JS_PERF_ATTRIBUTE, [F_TYPE] = JS_PERF_TYPE, [F_GOAL] = JS_PERF_GOAL,
                               [F_REASON] = JS_PERF_REASON, [F_MEASURE] = JS_PERF_MEASURE};
    char buf[64];
    switch (f) {
    case F_NAME:
        return it->name;
    case F_DEPT: case F_UNIT: case F_CATEGORY: case F_ATTRIBUTE: case F_TYPE: case F_GOAL: case F_REASON:
    case F_MEASURE:
        return js_workbook_sheet_cell(wb, "perf_items.csv", it->row, cols[f]);
    case F_BUDGET:
    case F_EXECUTED:
        js_perf_wan(f == F_BUDGET ? it->budget : it->executed, buf, sizeof buf);
        break;
    case F_RATE:
        js_perf_rate(it, buf, sizeof buf);
        break;
    case F_RATE_SCORE:
    case F_TOTAL:
        js_perf_points(f == F_TOTAL ? it->total : it->exec_score, buf, sizeof buf);
        break;
    case F_WEIGHT:
        snprintf(buf, sizeof buf, "%lld", (long long)it->exec_weight);
        break;
    case F_LEVEL1: return x ? x->level1 : "";
    case F_LEVEL2: return x ? x->level2 : "";
    case F_LEVEL3: return x ? x->level3 : "";
    case F_TARGET: return x ? x->target_text : "";
    case F_ACTUAL: return x ? x->actual_text : "";
    case F_SCORE:
        if (!x)
            return "";
        js_perf_points(x->score, buf, sizeof buf);
        break;
    default:
        return "";
    }
    return js_arena_strdup(a, buf);
}

/* A text of the layout with {权重} filled in. */
static const char *perf_text(js_arena *a, const char *text, const js_perf_item *it)
{
    const char *at = strstr(text, "{权重}");
    if (!at)
        return text;
    char buf[512];
    snprintf(buf, sizeof buf, "%.*s%lld%s", (int)(at - text), text, (long long)it->exec_weight,
             at + strlen("{权重}"));
    return perf_text(a, js_arena_strdup(a, buf), it);
}

/* Row r of the layout for it (indicator k of it on a row per indicator). */
static void perf_layout_row(const js_report *r, size_t ri, const js_perf_row *lr, const js_perf_item *it, size_t k,
                            perf_tab *t)
{
    js_arena *a = &t->arena;
    const js_workbook *wb = js_tableset_workbook(r->ts);
    const js_perf_indicator *x = lr->each_indicator ? &it->ind[k] : NULL;
    const js_perf_indicator *above = x && k ? &it->ind[k - 1] : NULL;
    if (!js_vec_reserve(&t->rows, &t->cap, t->n + 1, sizeof *t->rows))
        return;
    perf_row *row = &t->rows[t->n++];
    memset(row, 0, sizeof *row);
    row->head = lr->head;
    bool same = above != NULL; /* every merged cell so far equals the row above's */
    int c = 0;
    for (size_t i = 0; i < lr->ncells && c < PERF_COLS; i++) {
        const js_perf_cell *cell = &lr->cells[i];
        const char *text;
        if (cell->text) {
            text = perf_text(a, cell->text, it);
        } else {
            int f = r->perf_fields[ri][i];
            text = perf_value(a, wb, it, x, f);
            if (cell->merge) {
                same = same && !strcmp(text, perf_value(a, wb, it, above, f));
                if (same)
                    text = "";
            }
            if (cell->not_applicable && x && !x->applicable)
                text = cell->not_applicable;
            else if (cell->options)
                text = boxes(a, js_tableset_profile(r->ts), cell->options, text);
            else if (cell->blank && !text[0])
                text = cell->blank;
        }
        row->text[c] = text ? text : "";
        row->span[c] = cell->span;
        c += cell->span;
    }
}

void js_report_perf_table(const js_report *r, const js_perf_item *it, perf_tab *t)
{
    const js_perf_row *rows;
    size_t n = js_profile_perf_table(js_tableset_profile(r->ts), &rows);
    const js_workbook *wb = js_tableset_workbook(r->ts);
    for (size_t i = 0; i < n; i++) {
        const js_perf_row *lr = &rows[i];
        if ((lr->only == JS_PERF_FOR_WHOLE && !it->whole) || (lr->only == JS_PERF_FOR_PROJECT && it->whole) ||
            (lr->when && !perf_value(&t->arena, wb, it, NULL, r->perf_fields[i][lr->ncells])[0]))
            continue;
        for (size_t k = 0; k < (lr->each_indicator ? it->nind : 1); k++)
            perf_layout_row(r, i, lr, it, k, t);
    }
}

/* Every field the profile's 自评表 layout names is one the table knows (an
 * indicator's only on a row per indicator); their numbers into
 * r->perf_fields. */
static js_status check_perf_layout(js_report *r, const js_profile *p, js_diag *d)
{
    const js_perf_row *rows;
    size_t n = js_profile_perf_table(p, &rows);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k <= rows[i].ncells; k++) {
            const char *f = k < rows[i].ncells ? rows[i].cells[k].field : rows[i].when;
            int id = f ? perf_field_of(f) : 0;
            if (i < JS_PERF_TABLE_ROWS && k <= JS_PERF_TABLE_COLS)
                r->perf_fields[i][k] = (signed char)id;
            if (id < 0 || (id >= F_LEVEL1 && (!rows[i].each_indicator || k == rows[i].ncells)))
                return js_diag_set(d, JS_E_INPUT, "profile.json", 0, 0, NULL,
                                   "perf_table 第 %zu 行的字段「%s」不是绩效自评表的字段%s", i + 1, f,
                                   id < 0 ? "" : "（指标的字段只用于 \"each\": \"indicator\" 的行）");
        }
    return JS_OK;
}

void js_report_perf_table_free(perf_tab *t)
{
    free(t->rows);
    js_arena_release(&t->arena);
}

const char *js_report_perf_title(const js_report *r, const js_perf_item *it)
{
    const char *t = js_workbook_sheet_cell(js_tableset_workbook(r->ts), "perf_items.csv", it->row, JS_PERF_TABLE_TITLE);
    return t[0] ? t : it->name;
}

static void perf_md(const js_report *r, js_buf *out)
{
    for (size_t i = 0; r->perf && i < js_perf_count(r->perf); i++) {
        const js_perf_item *it = js_perf_item_at(r->perf, i);
        perf_tab t = {0};
        js_report_perf_table(r, it, &t);
        js_buf_puts(out, "### ");
        js_buf_md(out, js_report_perf_title(r, it), JS_MD_LINE);
        js_buf_puts(out, "\n\n");
        for (size_t k = 0; k < t.n; k++) {
            js_buf_puts(out, "|");
            for (int c = 0; c < PERF_COLS; c++) {
                if (!t.rows[k].text[c])
                    continue;
                js_buf_putc(out, ' ');
                js_buf_md(out, t.rows[k].text[c], JS_MD_CELL);
                js_buf_puts(out, " |");
                for (int s2 = 1; s2 < t.rows[k].span[c]; s2++)
                    js_buf_puts(out, " |");
            }
            js_buf_putc(out, '\n');
            if (k == 0) {
                js_buf_puts(out, "|");
                for (int c = 0; c < PERF_COLS; c++)
                    js_buf_puts(out, " --- |");
                js_buf_putc(out, '\n');
            }
        }
        js_buf_putc(out, '\n');
        js_report_perf_table_free(&t);
    }
}

static void html_esc(js_buf *out, const char *s);

static void perf_html(const js_report *r, js_buf *out)
{
    for (size_t i = 0; r->perf && i < js_perf_count(r->perf); i++) {
        const js_perf_item *it = js_perf_item_at(r->perf, i);
        perf_tab t = {0};
        js_report_perf_table(r, it, &t);
        /* the caption outside the scroll box: on a phone it stays in view */
        js_buf_printf(out, "<p class=\"cap\" id=\"perf%zu-cap\">", i + 1);
        html_esc(out, js_report_perf_title(r, it));
        js_buf_printf(out, "</p><div class=\"tbl\" role=\"region\" aria-labelledby=\"perf%zu-cap\" tabindex=\"0\">"
                           "<table class=\"text perf\" aria-labelledby=\"perf%zu-cap\">\n<tbody>\n", i + 1, i + 1);
        for (size_t k = 0; k < t.n; k++) {
            js_buf_puts(out, "<tr>");
            for (int c = 0; c < PERF_COLS; c++) {
                const perf_row *row = &t.rows[k];
                if (!row->text[c])
                    continue;
                const char *tag = row->head || c == 0 ? "th" : "td";
                js_buf_printf(out, "<%s", tag);
                if (row->span[c] > 1)
                    js_buf_printf(out, " colspan=\"%d\"", row->span[c]);
                js_buf_putc(out, '>');
                html_esc(out, row->text[c] ? row->text[c] : "");
                js_buf_printf(out, "</%s>", tag);
            }
            js_buf_puts(out, "</tr>\n");
        }
        js_buf_puts(out, "</tbody></table></div>\n");
        js_report_perf_table_free(&t);
    }
}

/* ---- Markdown -------------------------------------------------------- */

static void md_table(const js_report *r, const js_table *t, js_buf *out)
{
    js_grid g;
    if (!js_grid_build(r->ts, t, true, &g)) {
        out->failed = true;
        return;
    }
    js_buf_md(out, t->def->number, JS_MD_PARA);
    js_buf_puts(out, "　");
    js_buf_md(out, t->title, JS_MD_LINE);
    js_buf_puts(out, "\n\n");
    js_buf_md(out, js_tableset_entity_label(r->ts), JS_MD_PARA);
    js_buf_puts(out, "：");
    js_buf_md(out, js_tableset_entity(r->ts), JS_MD_LINE);
    js_buf_puts(out, "　　");
    js_buf_md(out, t->def->unit_label, JS_MD_LINE);
    js_buf_puts(out, "\n\n");
    /* One header row: each column's full heading path. */
    for (int l = 0; l < g.nlines; l++) {
        if (l == g.nhead - 1 || l >= g.nhead) {
            js_buf_puts(out, "|");
            for (int c = 0; c < g.ncols; c++) {
                const char *s = js_grid_at(&g, l, c)->text;
                char path[256] = "";
                if (l == g.nhead - 1) {
                    /* the heading path of column c: the nearest text above */
                    for (int h = 0; h < g.nhead; h++) {
                        int cc = c;
                        while (cc > 0 && js_grid_at(&g, h, cc)->span == 0)
                            cc--;
                        const char *ht = js_grid_at(&g, h, cc)->text;
                        if (*ht && !strstr(path, ht))
                            snprintf(path + strlen(path), sizeof path - strlen(path), "%s%s", *path ? "/" : "", ht);
                    }
                    s = path;
                }
                js_buf_putc(out, ' ');
                js_buf_md(out, s, JS_MD_CELL);
                js_buf_puts(out, " |");
            }
            js_buf_putc(out, '\n');
            if (l == g.nhead - 1) {
                js_buf_puts(out, "|");
                for (int c = 0; c < g.ncols; c++)
                    js_buf_puts(out, js_grid_at(&g, g.nhead, c)->align == JS_ALIGN_RIGHT ? " ---: |" : " --- |");
                js_buf_putc(out, '\n');
            }
        }
    }
    js_grid_release(&g);
    const char *tail[3];
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++) {
        js_buf_putc(out, '\n');
        js_buf_md(out, tail[k], JS_MD_PARA);
        js_buf_putc(out, '\n');
    }
    js_buf_putc(out, '\n');
}

js_status js_report_markdown(const js_report *r, js_buf *out)
{
    if (js_tableset_mark(r->ts)) {
        js_buf_puts(out, "**【");
        js_buf_md(out, js_tableset_mark(r->ts), JS_MD_LINE);
        js_buf_puts(out, "】**\n\n");
    }
    for (size_t i = 0; i < r->n; i++) {
        const block *b = &r->blocks[i];
        switch (b->k) {
        case B_HEADING:
            js_buf_printf(out, "%.*s ", b->level, "###");
            js_buf_md(out, b->text, JS_MD_LINE);
            js_buf_puts(out, "\n\n");
            break;
        case B_PARA:
            js_buf_md(out, b->text, JS_MD_PARA);
            js_buf_puts(out, "\n\n");
            break;
        case B_TABLE:
            md_table(r, b->table, out);
            break;
        case B_PERF:
            perf_md(r, out);
            break;
        case B_SHEET: {
            const js_workbook *wb = js_tableset_workbook(r->ts);
            int nc;
            size_t nr = js_workbook_sheet_size(wb, b->sheet, &nc);
            if (!nr)
                break;
            for (int c = 0; c < nc; c++) {
                js_buf_puts(out, "| ");
                js_buf_md(out, js_workbook_sheet_heading(b->sheet, c), JS_MD_CELL);
                js_buf_putc(out, ' ');
            }
            js_buf_puts(out, "|\n");
            for (int c = 0; c < nc; c++)
                js_buf_puts(out, "| --- ");
            js_buf_puts(out, "|\n");
            for (size_t row = 0; row < nr; row++) {
                for (int c = 0; c < nc; c++) {
                    js_buf_puts(out, "| ");
                    js_buf_md(out, js_workbook_sheet_cell(wb, b->sheet, row, c), JS_MD_CELL);
                    js_buf_putc(out, ' ');
                }
                js_buf_puts(out, "|\n");
            }
            js_buf_putc(out, '\n');
            break;
        }
        case B_CHART:
            js_buf_md(out, b->chart.title, JS_MD_PARA);
            js_buf_puts(out, "\n\n");
            for (size_t k = 0; k < b->chart.n; k++) {
                char v[32];
                js_money_format_wan(b->chart.values[k], false, v, sizeof v);
                js_buf_puts(out, "- ");
                js_buf_md(out, b->chart.labels[k], JS_MD_LINE);
                js_buf_printf(out, "：%s万元\n", v);
            }
            js_buf_putc(out, '\n');
            break;
        }
    }
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

/* ---- HTML ------------------------------------------------------------ */

static void html_esc(js_buf *out, const char *s) { js_buf_html(out, s, true); }

static const char k_css[] =
    "body{font-family:\"Noto Serif CJK SC\",\"Source Han Serif SC\",\"Songti SC\",serif;line-height:1.8;"
    "margin:0;padding:0 1rem;color:#1a1a1a;background:#fff}"
    "main{max-width:60rem;margin:0 auto}"
    "h1{font-size:1.6rem;text-align:center;margin:2rem 0 1rem}h2{font-size:1.3rem;margin-top:2.5rem}"
    "h3{font-size:1.1rem}p{text-indent:2em;margin:.6rem 0;overflow-wrap:anywhere}"
    "h1,h2,h3,.cap,figcaption{text-wrap:balance}h2,h3,.cap{break-after:avoid}" /* no character alone on a line; headings keep with what follows */
    "nav ol{padding-left:1.2rem}nav a{text-decoration:none}"
    ".tbl{overflow-x:auto;margin:1rem 0;border:1px solid #ccc}"
    ".tbl table{border-collapse:collapse;font-size:.85rem;width:100%}"
    ".cap{font-weight:bold;padding:.4rem;margin:1rem 0 0;text-align:center;text-indent:0}.cap+.tbl{margin-top:0}"
    ".tbl .meta{display:flex;justify-content:space-between;padding:0 .4rem;font-size:.85rem}"
    "th,td{border:1px solid #999;padding:.2rem .4rem;white-space:nowrap}th{background:#f2f2f2}"
    ".text td{white-space:normal;min-width:8em}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;font-family:\"Noto Sans CJK SC\",sans-serif}"
    ".note{font-size:.85rem;text-indent:0}.lines{text-indent:0;padding-left:2em}.date{text-align:center;text-indent:0}.chart{max-width:100%;height:auto;display:block;margin:1rem auto}"
    "figure{margin:1rem 0}figcaption{text-align:center;font-size:.9rem}"
    ".chart text{font-size:14px;fill:#222}.chart .v{font-size:13px}.mark{color:#b00;font-weight:bold;text-align:center}"
    "@media print{@page{size:A4;margin:12mm}body{padding:0}h2{break-before:page}.tbl{overflow:visible;border:0}"
    ".tbl table{font-size:7.5pt}th,td{white-space:normal;padding:.1rem .2rem}"
    ".cap{font-size:11pt}.cap small{font-size:9pt}"
    "thead{display:table-header-group}tr{break-inside:avoid}nav{break-after:page}}";

static void html_table(const js_report *r, const js_table *t, const char *anchor, js_buf *out)
{
    js_grid g;
    if (!js_grid_build(r->ts, t, true, &g)) {
        out->failed = true;
        return;
    }
    /* the caption outside the scroll box: on a phone it stays in view */
    js_buf_printf(out, "<p class=\"cap\" id=\"%s\">", anchor);
    html_esc(out, t->title);
    js_buf_puts(out, "<br><small>");
    html_esc(out, t->def->number);
    js_buf_puts(out, "　");
    html_esc(out, js_tableset_entity_label(r->ts));
    js_buf_puts(out, "：");
    html_esc(out, js_tableset_entity(r->ts));
    js_buf_puts(out, "　");
    html_esc(out, t->def->unit_label);
    js_buf_printf(out, "</small></p><div class=\"tbl\" role=\"region\" aria-labelledby=\"%s\" tabindex=\"0\">"
                       "<table aria-labelledby=\"%s\">\n<thead>\n", anchor, anchor);
    /* merged headings: rowspan and colspan as the template prints them */
    size_t nh = (size_t)(g.nhead > 0 ? g.nhead : 1) * (size_t)g.ncols;
    int *rows = calloc(nh, sizeof *rows), *from = calloc(nh, sizeof *from);
    if (!rows || !from)
        out->failed = true;
    else
        js_grid_head_merge(&g, rows, from);
    for (int l = 0; l < g.nlines; l++) {
        if (l == g.nhead)
            js_buf_puts(out, "</thead>\n<tbody>\n");
        js_buf_puts(out, "<tr>");
        for (int c = 0; c < g.ncols; c++) {
            const js_gcell *x = js_grid_at(&g, l, c);
            bool head = l < g.nhead;
            int down = head && rows ? rows[l * g.ncols + c] : 1;
            if (x->span == 0 || down == 0)
                continue;
            if (head && from)
                x = js_grid_at(&g, from[l * g.ncols + c], c);
            const char *tag = head ? "th" : "td";
            js_buf_putc(out, '<'); /* puts and js_buf_int: every cell of every table comes here */
            js_buf_puts(out, tag);
            if (x->span > 1) {
                js_buf_puts(out, " colspan=\"");
                js_buf_int(out, x->span);
                js_buf_putc(out, '"');
            }
            if (down > 1) {
                js_buf_puts(out, " rowspan=\"");
                js_buf_int(out, down);
                js_buf_putc(out, '"');
            }
            if (l < g.nhead)
                js_buf_puts(out, " scope=\"col\"");
            else if (x->align == JS_ALIGN_RIGHT)
                js_buf_puts(out, " class=\"n\"");
            js_buf_putc(out, '>');
            html_esc(out, x->text);
            js_buf_puts(out, "</");
            js_buf_puts(out, tag);
            js_buf_putc(out, '>');
        }
        js_buf_puts(out, "</tr>\n");
    }
    js_buf_puts(out, g.nlines > g.nhead ? "</tbody></table></div>\n" : "</thead></table></div>\n");
    free(rows);
    free(from);
    js_grid_release(&g);
    const char *tail[3];
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++) {
        js_buf_puts(out, "<p class=\"note\">");
        html_esc(out, tail[k]);
        js_buf_puts(out, "</p>\n");
    }
}

js_status js_report_html(const js_report *r, js_buf *out)
{
    js_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    html_esc(out, r->title ? r->title : js_tableset_entity(r->ts));
    js_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<main>\n", k_css);
    if (js_tableset_mark(r->ts)) {
        js_buf_puts(out, "<p class=\"mark\">【");
        html_esc(out, js_tableset_mark(r->ts));
        js_buf_puts(out, "】</p>\n");
    }
    /* The first heading is the title; the contents (the level-2 headings)
     * follow the title's own paragraphs (the date). */
    bool nav = false, title = false;
    for (size_t i = 0; i < r->n; i++) {
        const block *b = &r->blocks[i];
        if (b->k == B_HEADING && b->level == 1 && !title) {
            js_buf_printf(out, "<h1 id=\"%s\">", b->anchor);
            html_esc(out, b->text);
            js_buf_puts(out, "</h1>\n");
            title = true;
            continue;
        }
        if (title && !nav && b->k != B_PARA) {
            js_buf_puts(out, "<nav aria-label=\"目录\"><h2>目录</h2><ol>\n");
            for (size_t k = i; k < r->n; k++)
                if (r->blocks[k].k == B_HEADING && r->blocks[k].level == 2) {
                    js_buf_printf(out, "<li><a href=\"#%s\">", r->blocks[k].anchor);
                    html_esc(out, r->blocks[k].text);
                    js_buf_puts(out, "</a></li>\n");
                }
            js_buf_puts(out, "</ol></nav>\n");
            nav = true;
        }
        switch (b->k) {
        case B_HEADING:
            js_buf_printf(out, "<h%d id=\"%s\">", b->level, b->anchor);
            html_esc(out, b->text);
            js_buf_printf(out, "</h%d>\n", b->level);
            break;
        case B_PARA:
            /* Several lines (a numbered list) keep their breaks, unindented. */
            js_buf_puts(out, strchr(b->text, '\n') ? "<p class=\"lines\">" : title && !nav ? "<p class=\"date\">" : "<p>");
            html_esc(out, b->text);
            js_buf_puts(out, "</p>\n");
            break;
        case B_TABLE:
            html_table(r, b->table, b->anchor, out);
            break;
        case B_PERF:
            perf_html(r, out);
            break;
        case B_SHEET: {
            const js_workbook *wb = js_tableset_workbook(r->ts);
            int nc;
            size_t nr = js_workbook_sheet_size(wb, b->sheet, &nc);
            if (!nr)
                break;
            js_buf_puts(out, "<div class=\"tbl\"><table class=\"text\"><thead><tr>");
            for (int c = 0; c < nc; c++) {
                js_buf_puts(out, "<th scope=\"col\">");
                html_esc(out, js_workbook_sheet_heading(b->sheet, c));
                js_buf_puts(out, "</th>");
            }
            js_buf_puts(out, "</tr></thead>\n<tbody>\n");
            for (size_t row = 0; row < nr; row++) {
                js_buf_puts(out, "<tr>");
                for (int c = 0; c < nc; c++) {
                    js_buf_puts(out, "<td>");
                    html_esc(out, js_workbook_sheet_cell(wb, b->sheet, row, c));
                    js_buf_puts(out, "</td>");
                }
                js_buf_puts(out, "</tr>\n");
            }
            js_buf_puts(out, "</tbody></table></div>\n");
            break;
        }
        case B_CHART:
            js_buf_puts(out, "<figure>");
            js_chart_svg(&b->chart, out);
            js_buf_puts(out, "<figcaption>");
            html_esc(out, b->chart.title);
            js_buf_puts(out, "</figcaption></figure>\n");
            break;
        }
    }
    js_buf_puts(out, "</main>\n</body>\n</html>\n");
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}
