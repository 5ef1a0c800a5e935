/* The data of the browse and compare pages (browse.h): the region's
 * published department-years, a published version's tables read from its
 * stored tables.json (the exact amounts in 分 it holds beside the printed
 * 万元), figures of tables and of workbooks, and the downloads. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse.h"
#include "phase.h"
#include "jsonout.h"
#include "juesuan/limits.h"
#include "juesuan/workbook.h"

/* ---- the region ---- */

static int by_year_desc(const void *a, const void *b)
{
    const bdy *x = a, *y = b;
    if (x->dept != y->dept)
        return x->dept < y->dept ? -1 : 1; /* depts is one array: its order */
    return y->v->year - x->v->year;
}

bool bregion_load(js_req *r, bregion *g)
{
    memset(g, 0, sizeof *g);
    js_diag d = {0};
    if (js_store_dept_list(r->store, &g->depts, &g->ndepts, &d) != JS_OK ||
        js_store_version_list_state(r->store, JS_V_PUBLISHED, 0, &g->versions, &g->nversions, &d) != JS_OK ||
        !(g->items = calloc(g->nversions ? g->nversions : 1, sizeof *g->items))) {
        bregion_free(g);
        page_fail_text(r, 500, T_YEAR_UNREADABLE);
        return false;
    }
    for (size_t i = 0; i < g->nversions; i++) {
        const js_store_version *v = &g->versions[i];
        if (v->phase != JS_PHASE_FINAL) /* these pages are the 决算's tables */
            continue;
        for (size_t k = 0; k < g->ndepts; k++)
            if (g->depts[k].id == v->dept_id)
                g->items[g->n++] = (bdy){&g->depts[k], v};
        size_t y = 0;
        while (y < g->nyears && g->years[y] != v->year)
            y++;
        if (y == g->nyears && g->nyears < BROWSE_MAX_YEARS)
            g->years[g->nyears++] = v->year;
    }
    qsort(g->items, g->n, sizeof *g->items, by_year_desc);
    for (size_t i = 0; i < g->nyears; i++) /* newest first */
        for (size_t j = i + 1; j < g->nyears; j++)
            if (g->years[j] > g->years[i]) {
                int t = g->years[i];
                g->years[i] = g->years[j];
                g->years[j] = t;
            }
    return true;
}

void bregion_free(bregion *g)
{
    js_store_dept_list_free(g->depts, g->ndepts);
    js_store_version_list_free(g->versions, g->nversions);
    free(g->items);
    memset(g, 0, sizeof *g);
}

const bdy *bregion_find(const bregion *g, const char *code, int year)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->items[i].v->year == year && !strcmp(g->items[i].dept->code, code))
            return &g->items[i];
    return NULL;
}

bool bdy_on_time(js_req *r, const bdy *x)
{
    ptime t;
    phase_timeliness(r->srv, x->v, x->dept, &t);
    return t.on_time;
}

/* ---- a version's tables ---- */

static void heading_of(json_t *block, json_t *col, char *out, size_t cap)
{
    js_buf b;
    js_buf_init(&b, cap);
    const char *bh = json_string_value(json_object_get(block, "heading"));
    if (bh && *bh)
        js_buf_printf(&b, "%s/", bh);
    json_t *part;
    size_t i;
    json_array_foreach(json_object_get(col, "heading"), i, part)
        js_buf_printf(&b, "%s%s", i ? "/" : "", json_string_value(part) ? json_string_value(part) : "");
    snprintf(out, cap, "%.*s", (int)b.len, b.data ? b.data : "");
    js_buf_release(&b);
}

/* The row's key: its code, else its 行次, else "total" for the table's
 * total, else its place among the block's other label rows. */
static void row_key(json_t *row, int block, int *others, char *out, size_t cap)
{
    const char *code = json_string_value(json_object_get(row, "code"));
    const char *kind = json_string_value(json_object_get(row, "kind"));
    json_t *rowno = json_object_get(row, "row");
    char pre[16] = "";
    if (block > 0)
        snprintf(pre, sizeof pre, "b%d", block);
    if (code && *code)
        snprintf(out, cap, "%sk%s", pre, code);
    else if (json_is_integer(rowno))
        snprintf(out, cap, "%sr%lld", pre, (long long)json_integer_value(rowno));
    else if (kind && !strcmp(kind, "total"))
        snprintf(out, cap, "%stotal", pre);
    else
        snprintf(out, cap, "%sf%d", pre, ++*others);
}

static bool table_read(json_t *t, btable *out)
{
    memset(out, 0, sizeof *out);
    out->id = json_string_value(json_object_get(t, "id"));
    out->number = json_string_value(json_object_get(t, "number"));
    out->title = json_string_value(json_object_get(t, "title"));
    if (!out->id || !out->number || !out->title)
        return false;
    json_t *block, *col, *row;
    size_t bi, ci, ri;
    json_array_foreach(json_object_get(t, "blocks"), bi, block) json_array_foreach(json_object_get(block, "columns"), ci, col)
    {
        const char *kind = json_string_value(json_object_get(col, "kind"));
        const char *key = json_string_value(json_object_get(col, "key"));
        if (!kind || strcmp(kind, "amount") || !key || out->ncols == BROWSE_MAX_COLS)
            continue;
        bcol *c = &out->cols[out->ncols++];
        c->block = (int)bi;
        c->key = key;
        heading_of(block, col, c->heading, sizeof c->heading);
    }
    json_t *rows = json_object_get(t, "rows");
    if (!(out->rows = calloc(json_array_size(rows) + 1, sizeof *out->rows)))
        return false;
    int others[BROWSE_MAX_COLS] = {0};
    json_array_foreach(rows, ri, row) {
        brow *x = &out->rows[out->nrows];
        json_int_t b = json_integer_value(json_object_get(row, "block"));
        x->block = b >= 0 && b < BROWSE_MAX_COLS ? (int)b : 0;
        x->code = json_string_value(json_object_get(row, "code"));
        x->name = json_string_value(json_object_get(row, "name"));
        x->cells = json_object_get(row, "cells");
        if (!json_is_object(x->cells))
            continue;
        row_key(row, x->block, &others[x->block], x->key, sizeof x->key);
        out->nrows++;
    }
    return true;
}

bool btables_load(js_req *r, int64_t id, btables *out)
{
    memset(out, 0, sizeof *out);
    js_buf b;
    js_buf_init(&b, JS_MAX_OUTPUT_BYTES);
    bool found = output_cache_get(r->srv, id, "tables.json", &b);
    if (!found) {
        js_store_output o = {0};
        js_diag d = {0};
        if (js_store_output_get(r->store, id, "tables.json", &o, &d) == JS_OK) {
            found = js_buf_append(&b, o.data, o.size);
            output_cache_put(r->srv, id, "tables.json", o.data, o.size);
            js_store_output_free(&o);
        }
    }
    if (found)
        out->root = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES, NULL);
    js_buf_release(&b);
    json_t *t;
    size_t i;
    json_array_foreach(json_object_get(out->root, "tables"), i, t) {
        if (out->n == BROWSE_MAX_TABLES)
            break;
        if (table_read(t, &out->t[out->n]))
            out->n++;
        else
            free(out->t[out->n].rows);
    }
    return out->n > 0;
}

void btables_free(btables *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->t[i].rows);
    json_decref(b->root);
    memset(b, 0, sizeof *b);
}

const btable *btables_find(const btables *b, const char *id)
{
    for (size_t i = 0; b && i < b->n; i++)
        if (!strcmp(b->t[i].id, id))
            return &b->t[i];
    return NULL;
}

const brow *btable_row(const btable *t, const char *key)
{
    for (size_t i = 0; t && i < t->nrows; i++)
        if (!strcmp(t->rows[i].key, key))
            return &t->rows[i];
    return NULL;
}

int btable_col(const btable *t, int block, const char *key)
{
    for (int i = 0; t && i < t->ncols; i++)
        if (t->cols[i].block == block && !strcmp(t->cols[i].key, key))
            return i;
    return -1;
}

bool brow_cell(const brow *row, const bcol *col, js_fen *fen)
{
    if (!row || !col || row->block != col->block)
        return false;
    json_t *fen_v = json_object_get(json_object_get(row->cells, col->key), "fen");
    if (!json_is_integer(fen_v))
        return false;
    *fen = (js_fen)json_integer_value(fen_v);
    return true;
}

const char *btable_plain_title(const char *t)
{
    if (strlen(t) > 10 && t[0] >= '0' && t[0] <= '9' && !strncmp(t + 4, "年度", 6))
        return t + 10;
    return t;
}

void brow_label(const brow *row, char *buf, size_t n)
{
    snprintf(buf, n, "%s%s%s", row->code ? row->code : "", row->code && row->name && *row->name ? " " : "",
             row->name ? row->name : "");
}

size_t btables_union_rows(const btables *sets, size_t nsets, const char *id, const brow ***rows)
{
    size_t cap = 0, n = 0;
    for (size_t k = 0; k < nsets; k++) {
        const btable *t = btables_find(&sets[k], id);
        cap += t ? t->nrows : 0;
    }
    *rows = malloc((cap ? cap : 1) * sizeof **rows);
    if (!*rows)
        return 0;
    for (size_t k = 0; k < nsets; k++) {
        const btable *t = btables_find(&sets[k], id);
        size_t at = 0;
        for (size_t i = 0; t && i < t->nrows; i++) {
            size_t j = 0;
            while (j < n && strcmp((*rows)[j]->key, t->rows[i].key))
                j++;
            if (j < n) {
                at = j + 1;
                continue;
            }
            memmove(*rows + at + 1, *rows + at, (n - at) * sizeof **rows);
            (*rows)[at++] = &t->rows[i];
            n++;
        }
    }
    return n;
}

/* ---- figures ---- */

bool bfigure_parse(json_t *x, bfigure *g)
{
    memset(g, 0, sizeof *g);
    const char *id = json_string_value(json_object_get(x, "id"));
    const char *label = json_string_value(json_object_get(x, "label"));
    const char *table = json_string_value(json_object_get(x, "table"));
    const char *row = json_string_value(json_object_get(x, "row"));
    const char *col = json_string_value(json_object_get(x, "column"));
    const char *sheet = json_string_value(json_object_get(x, "sheet"));
    const char *key = json_string_value(json_object_get(x, "key"));
    json_int_t block = json_integer_value(json_object_get(x, "block"));
    bool cell = table && row && col, given = sheet && key;
    if (!id || !label || cell == given || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(id) ||
        !*id || strlen(id) >= sizeof g->id)
        return false;
    snprintf(g->id, sizeof g->id, "%s", id);
    snprintf(g->label, sizeof g->label, "%s", label);
    if (cell) {
        snprintf(g->table, sizeof g->table, "%s", table);
        snprintf(g->row, sizeof g->row, "%s", row);
        snprintf(g->colkey, sizeof g->colkey, "%s", col);
        g->block = (int)block;
    } else {
        snprintf(g->sheet, sizeof g->sheet, "%s", sheet);
        snprintf(g->key, sizeof g->key, "%s", key);
    }
    return true;
}

int bfigures_key(js_server *s, bfigure *f, int max, js_diag *d)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/portal/figures.json", s->datadir);
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        js_diag_set(d, JS_E_INPUT, path, err.line, 0, NULL, "无法读取关键数据的定义：%s", err.text);
        return -1;
    }
    int n = 0;
    json_t *x;
    size_t i;
    json_array_foreach(json_object_get(root, "figures"), i, x) {
        if (n == max)
            break;
        if (!bfigure_parse(x, &f[n])) {
            json_decref(root);
            js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL,
                        "第 %zu 项关键数据应有 id（小写字母、数字和 -）、label，以及 table/row/column 或 sheet/key 之一",
                        i + 1);
            return -1;
        }
        n++;
    }
    json_decref(root);
    return n;
}

bool bfigure_find(const bfigure *keys, int nkeys, const char *id, bfigure *out)
{
    for (int i = 0; i < nkeys; i++)
        if (!strcmp(keys[i].id, id)) {
            *out = keys[i];
            return true;
        }
    /* <table>-<row key>-c<column> */
    memset(out, 0, sizeof *out);
    const char *a = strchr(id, '-'), *c = strrchr(id, '-');
    if (!a || a == c || c[1] != 'c' || (size_t)(a - id) >= sizeof out->table ||
        (size_t)(c - a - 1) >= sizeof out->row || c - a < 2)
        return false;
    char *end;
    long col = strtol(c + 2, &end, 10);
    if (*end || col < 1 || col > BROWSE_MAX_COLS || c[2] == '0')
        return false;
    snprintf(out->id, sizeof out->id, "%s", id);
    snprintf(out->table, sizeof out->table, "%.*s", (int)(a - id), id);
    snprintf(out->row, sizeof out->row, "%.*s", (int)(c - a - 1), a + 1);
    out->col = (int)col;
    return true;
}

void bfigure_of_cell(const btable *t, const brow *row, int col, bfigure *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->table, sizeof out->table, "%s", t->id);
    snprintf(out->row, sizeof out->row, "%s", row->key);
    out->col = col + 1;
    snprintf(out->id, sizeof out->id, "%s-%s-c%d", t->id, row->key, col + 1);
    char label[160];
    brow_label(row, label, sizeof label);
    snprintf(out->label, sizeof out->label, "%s%s · %s%s%s", t->number, btable_plain_title(t->title), label,
             *label ? " · " : "", t->cols[col].heading);
}

/* A keyed figure of the version's stored workbook. */
static bool workbook_value(js_req *r, const bfigure *f, const js_store_version *v, js_fen *fen)
{
    void *data = NULL;
    size_t size = 0;
    char *tmp = NULL, *path = NULL;
    js_diag d = {0};
    bool found = false;
    if (js_store_version_file(r->store, v->id, &data, &size, &d) == JS_OK &&
        upload_stage(data, size, &tmp, &path, &d) == JS_OK) {
        js_run_options o = {0};
        int phase = (int)v->phase; /* the shared dictionaries, the version's phase */
        js_run *run = phase_run_open(r->srv->phases, r->srv->shared, &o, path, &phase, &d);
        const js_workbook *wb = run ? js_run_workbook(run) : NULL;
        const char *text = NULL;
        bool given = false;
        found = wb && js_workbook_value_given(wb, f->sheet, f->key, NULL, &text, fen, &given) == 1 && given;
        js_run_free(run);
    }
    free(data);
    if (tmp)
        rm_tree(tmp);
    free(tmp);
    free(path);
    return found;
}

bool bfigure_value(js_req *r, const bfigure *f, const js_store_version *v, const btables *t, js_fen *fen)
{
    if (f->key[0])
        return workbook_value(r, f, v, fen);
    const btable *tab = btables_find(t, f->table);
    const brow *row = btable_row(tab, f->row);
    if (!row)
        return false;
    int col = f->col > 0 ? f->col - 1 : btable_col(tab, f->block, f->colkey);
    return col >= 0 && col < tab->ncols && brow_cell(row, &tab->cols[col], fen);
}

/* ---- formatting and downloads ---- */

void bwan(js_buf *b, js_fen fen)
{
    char s[40];
    js_money_format_wan(fen, true, s, sizeof s);
    js_buf_puts(b, s);
}

void bwan_text(js_fen fen, char out[40]) { js_money_format_wan(fen, false, out, 40); }

void byuan_text(js_fen fen, char out[40]) { js_money_format_yuan(fen, out, 40); }

void bchange(js_buf *b, js_fen base, js_fen v)
{
    js_fen diff;
    if (!js_fen_sub(v, base, &diff))
        return;
    char w[40], pct[64];
    js_money_format_wan(diff, true, w, sizeof w);
    js_buf_printf(b, "%s%s", diff > 0 && strcmp(w, "0.00") ? "+" : "", w);
    js_fen mag = base < 0 ? -base : base;
    if (js_money_percent(diff, mag, BROWSE_PERCENT_DECIMALS, pct, sizeof pct))
        js_buf_printf(b, "（%s%s%%）", diff > 0 && pct[0] != '0' ? "+" : "", pct);
}

void bcsv_line(js_buf *b, size_t n, const char *const *fields)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            js_buf_putc(b, ',');
        js_buf_csv_field(b, fields[i] ? fields[i] : "");
    }
    js_buf_puts(b, "\r\n");
}

static void attach(js_req *r, const char *filename)
{
    snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", filename);
    r->status = 200;
    r->cacheable = !bquery(r, NULL);
}

void bsend_csv(js_req *r, js_buf *csv, const char *filename)
{
    js_buf_reset(&r->body);
    js_buf_puts(&r->body, "\xef\xbb\xbf");
    js_buf_append(&r->body, csv->data ? csv->data : "", csv->len);
    r->ctype = "text/csv; charset=utf-8";
    attach(r, filename);
}

void bsend_json(js_req *r, json_t *root, const char *filename)
{
    js_buf_reset(&r->body);
    if (js_json_out(root, &r->body) != JS_OK) {
        page_fail_text(r, 500, T_FAIL_STORE);
        return;
    }
    r->ctype = "application/json; charset=utf-8";
    attach(r, filename);
}

bool bfile_kind(const char *file, char *base, size_t cap, bool *json)
{
    const char *dot = strrchr(file, '.');
    if (!dot || (strcmp(dot, ".csv") && strcmp(dot, ".json")) || (size_t)(dot - file) >= cap)
        return false;
    *json = !strcmp(dot, ".json");
    snprintf(base, cap, "%.*s", (int)(dot - file), file);
    return true;
}

static enum MHD_Result count_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind, (void)key, (void)value;
    ++*(size_t *)cls;
    return MHD_YES;
}

const char *bquery(const js_req *r, const char *name)
{
    if (name)
        return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    size_t n = 0; /* NULL: any parameter at all ("" when some) */
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, count_arg, &n);
    return n ? "" : NULL;
}
