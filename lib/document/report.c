/* The disclosure document: expands the narrative, splits it into blocks
 * (headings, paragraphs, tables, charts) and renders Markdown and HTML. */
#include "juesuan/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "charts.h"
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
    if (!js_vec_reserve(&r->blocks, &r->cap, r->n + 1, sizeof *r->blocks))
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
        js_status st = js_read_file(path, JS_MAX_JSON_BYTES, &text, &len, d);
        if (st == JS_OK)
            return text;
        if (st != JS_E_IO)
            return NULL;
    }
    js_diag_set(d, JS_E_INPUT, NULL, 0, 0, NULL, "配置 %s 没有 %s", js_profile_name(p), file);
    return NULL;
}

/* "@chart bar 标题 | 标签 = 6929.24 | 标签 = 37083.27" */
static js_status parse_chart(js_report *r, const char *line, js_chart *c, js_diag *d)
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
        const char *why;
        char *v = eq + 1;
        if (!js_money_parse(v, strlen(v), JS_UNIT_WAN, JS_MONEY_BLANK_ZERO, &c->values[c->n], &why))
            return js_diag_set(d, JS_E_INPUT, "report.tpl", 0, 0, NULL, "@chart 的金额无效：%s", v);
        c->labels[c->n++] = js_arena_strdup(&r->arena, lab);
    }
    return JS_OK;
}

/* Splits the expanded text into blocks. */
static js_status split(js_report *r, const char *text, js_diag *d)
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
            snprintf(b->anchor, sizeof b->anchor, "s%d", ++anchors);
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
            st = b ? parse_chart(r, line + 7, &b->chart, d) : JS_E_NOMEM;
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

js_report *js_report_build(const char *datadir, const js_tableset *ts, const js_perf *pf, bool draft,
                           js_findings *gaps, js_diag *d)
{
    const js_profile *p = js_tableset_profile(ts);
    char tpl_path[4096], vars_path[4096];
    char *tpl = profile_file(datadir, p, "report.tpl", tpl_path, sizeof tpl_path, d);
    char *vars = tpl ? profile_file(datadir, p, "report.vars", vars_path, sizeof vars_path, d) : NULL;
    js_report *r = vars ? calloc(1, sizeof *r) : NULL;
    if (!r) {
        if (vars)
            js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        free(tpl);
        free(vars);
        return NULL;
    }
    js_arena_init(&r->arena);
    r->ts = ts;
    r->perf = pf;
    js_narrative_options opt = {js_profile_percent_decimals(p), js_profile_strip_zeros(p), draft, pf};
    js_buf text;
    js_buf_init(&text, JS_MAX_OUTPUT_BYTES);
    js_status st = js_narrative_expand(tpl_path, tpl, vars_path, vars, ts, &opt, gaps, &text, d);
    if (st == JS_OK)
        st = split(r, text.data ? text.data : "", d);
    js_buf_release(&text);
    free(tpl);
    free(vars);
    if (st != JS_OK) {
        js_report_free(r);
        return NULL;
    }
    return r;
}

size_t js_report_chart_figures(const js_report *r, int n, const char **labels, js_fen *values, size_t max)
{
    int seen = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->blocks[i].k != B_CHART || ++seen != n)
            continue;
        const js_chart *c = &r->blocks[i].chart;
        size_t k;
        for (k = 0; k < c->n && k < max; k++) {
            labels[k] = c->labels[k];
            values[k] = c->values[k];
        }
        return k;
    }
    return 0;
}

/* ---- 绩效自评表 ------------------------------------------------------ */

static perf_row *prow(perf_tab *t, bool head)
{
    if (!js_vec_reserve(&t->rows, &t->cap, t->n + 1, sizeof *t->rows))
        return NULL;
    perf_row *r = &t->rows[t->n++];
    memset(r, 0, sizeof *r);
    r->head = head;
    return r;
}

/* A row of label + value cells; spans given in pairs (text, span)... */
static void prow_cells(perf_tab *t, bool head, const char *const *texts, const int *spans, int n)
{
    perf_row *r = prow(t, head);
    if (!r)
        return;
    int c = 0;
    for (int k = 0; k < n && c < PERF_COLS; k++) {
        r->text[c] = texts[k] ? texts[k] : "";
        r->span[c] = spans[k];
        c += spans[k] > 0 ? spans[k] : 1;
    }
}

static const char *fmt(js_arena *a, const char *f, const char *x)
{
    char buf[512];
    snprintf(buf, sizeof buf, f, x);
    return js_arena_strdup(a, buf);
}

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

void js_report_perf_table(const js_report *r, const js_perf_item *it, perf_tab *t)
{
    const js_workbook *wb = js_tableset_workbook(r->ts);
    js_arena *a = &t->arena;
#define CELL(col) js_workbook_sheet_cell(wb, "perf_items.csv", it->row, col)
    char b[32], e[32], rate[32], score[32], w[32];
    js_perf_wan(it->budget, b, sizeof b);
    js_perf_wan(it->executed, e, sizeof e);
    js_perf_rate(it, rate, sizeof rate);
    js_perf_points(it->exec_score, score, sizeof score);
    snprintf(w, sizeof w, "%lld", (long long)it->exec_weight);
    if (it->whole) {
        prow_cells(t, false, (const char *[]){"部门名称", CELL(JS_PERF_DEPT)}, (int[]){1, 6}, 2);
    } else {
        prow_cells(t, false, (const char *[]){"项目名称", it->name}, (int[]){1, 6}, 2);
        prow_cells(t, false, (const char *[]){"主管部门", CELL(JS_PERF_DEPT), "项目实施单位", CELL(JS_PERF_UNIT)}, (int[]){1, 2, 1, 3}, 4);
        const js_profile *p = js_tableset_profile(r->ts);
        prow_cells(t, false, (const char *[]){"项目类别", boxes(a, p, "project_categories", CELL(JS_PERF_CATEGORY))}, (int[]){1, 6}, 2);
        prow_cells(t, false, (const char *[]){"项目属性", boxes(a, p, "project_attributes", CELL(JS_PERF_ATTRIBUTE))}, (int[]){1, 6}, 2);
        prow_cells(t, false, (const char *[]){"项目类型", boxes(a, p, "project_types", CELL(JS_PERF_TYPE))}, (int[]){1, 6}, 2);
    }
    const char *exec_head = fmt(a, "预算执行情况（万元）（%s分）", w);
    prow_cells(t, true, (const char *[]){exec_head, "", "预算数（A）", "执行数（B）", "执行率（B/A）",
                                         fmt(a, "得分（%s分×执行率）", w)},
               (int[]){1, 2, 1, 1, 1, 1}, 6);
    prow_cells(t, false, (const char *[]){"", it->whole ? "部门整体支出总额" : "年度财政资金总额",
                                          js_arena_strdup(a, b), js_arena_strdup(a, e), js_arena_strdup(a, rate),
                                          js_arena_strdup(a, score)},
               (int[]){1, 2, 1, 1, 1, 1}, 6);
    if (CELL(JS_PERF_GOAL)[0])
        prow_cells(t, false, (const char *[]){"年度目标", CELL(JS_PERF_GOAL)}, (int[]){1, 6}, 2);
    prow_cells(t, true, (const char *[]){"一级指标", "二级指标", "三级指标", "年初目标值（A）", "实际完成值（B）", "得分"},
               (int[]){1, 1, 2, 1, 1, 1}, 6);
    for (size_t k = 0; k < it->nind; k++) {
        const js_perf_indicator *x = &it->ind[k];
        char s[32];
        if (x->applicable)
            js_perf_points(x->score, s, sizeof s);
        else
            snprintf(s, sizeof s, "不适用");
        bool same1 = k && !strcmp(it->ind[k - 1].level1, x->level1);
        bool same2 = same1 && !strcmp(it->ind[k - 1].level2, x->level2);
        prow_cells(t, false, (const char *[]){same1 ? "" : x->level1, same2 ? "" : x->level2, x->level3,
                                              x->target_text, x->actual_text, js_arena_strdup(a, s)},
                   (int[]){1, 1, 2, 1, 1, 1}, 6);
    }
    char total[32];
    js_perf_points(it->total, total, sizeof total);
    prow_cells(t, false, (const char *[]){"总分", js_arena_strdup(a, total)}, (int[]){1, 6}, 2);
    prow_cells(t, false, (const char *[]){"偏差大或目标未完成原因分析", CELL(JS_PERF_REASON)[0] ? CELL(JS_PERF_REASON) : "无"}, (int[]){1, 6}, 2);
    prow_cells(t, false, (const char *[]){"改进措施及结果应用方案", CELL(JS_PERF_MEASURE)[0] ? CELL(JS_PERF_MEASURE) : "无"}, (int[]){1, 6}, 2);
#undef CELL
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
        js_buf_printf(out, "### %s\n\n", js_report_perf_title(r, it));
        for (size_t k = 0; k < t.n; k++) {
            js_buf_puts(out, "|");
            for (int c = 0; c < PERF_COLS; c++) {
                if (!t.rows[k].text[c])
                    continue;
                char *cell = js_arena_strdup(&t.arena, t.rows[k].text[c] ? t.rows[k].text[c] : "");
                for (char *q = cell; q && *q; q++)
                    if (*q == '\n' || *q == '|')
                        *q = ' ';
                js_buf_printf(out, " %s |", cell ? cell : "");
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
    js_buf_printf(out, "%s　%s\n\n%s：%s　　%s\n\n", t->def->number, t->title,
                  js_tableset_entity_label(r->ts), js_tableset_entity(r->ts), t->def->unit_label);
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
                js_buf_printf(out, " %s |", s);
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
    for (int k = 0, n = js_table_tail(t, tail); k < n; k++)
        js_buf_printf(out, "\n%s\n", tail[k]);
    js_buf_putc(out, '\n');
}

js_status js_report_markdown(const js_report *r, js_buf *out)
{
    if (js_tableset_mark(r->ts))
        js_buf_printf(out, "**【%s】**\n\n", js_tableset_mark(r->ts));
    for (size_t i = 0; i < r->n; i++) {
        const block *b = &r->blocks[i];
        switch (b->k) {
        case B_HEADING:
            js_buf_printf(out, "%.*s %s\n\n", b->level, "###", b->text);
            break;
        case B_PARA:
            js_buf_printf(out, "%s\n\n", b->text);
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
            for (int c = 0; c < nc; c++)
                js_buf_printf(out, "| %s ", js_workbook_sheet_heading(b->sheet, c));
            js_buf_puts(out, "|\n");
            for (int c = 0; c < nc; c++)
                js_buf_puts(out, "| --- ");
            js_buf_puts(out, "|\n");
            for (size_t row = 0; row < nr; row++) {
                for (int c = 0; c < nc; c++)
                    js_buf_printf(out, "| %s ", js_workbook_sheet_cell(wb, b->sheet, row, c));
                js_buf_puts(out, "|\n");
            }
            js_buf_putc(out, '\n');
            break;
        }
        case B_CHART:
            js_buf_printf(out, "%s\n\n", b->chart.title);
            for (size_t k = 0; k < b->chart.n; k++) {
                char v[32];
                js_money_format_wan(b->chart.values[k], false, v, sizeof v);
                js_buf_printf(out, "- %s：%s万元\n", b->chart.labels[k], v);
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
            js_buf_printf(out, "<%s", tag);
            if (x->span > 1)
                js_buf_printf(out, " colspan=\"%d\"", x->span);
            if (down > 1)
                js_buf_printf(out, " rowspan=\"%d\"", down);
            if (l < g.nhead)
                js_buf_puts(out, " scope=\"col\"");
            else if (x->align == JS_ALIGN_RIGHT)
                js_buf_puts(out, " class=\"n\"");
            js_buf_putc(out, '>');
            html_esc(out, x->text);
            js_buf_printf(out, "</%s>", tag);
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
