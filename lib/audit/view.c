/* Views of tables for the audit: exact (compiled) or printed (tables.json). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json_read.h"
#include "juesuan/audit.h"
#include "juesuan/limits.h"
#include "printed.h"

struct js_view {
    js_arena arena;
    bool printed;
    js_vtable *tables;
    size_t n;
    const char *profile;
};

static js_view *view_new(size_t ntables, bool printed)
{
    js_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    js_arena_init(&v->arena);
    v->printed = printed;
    v->n = ntables;
    v->tables = js_arena_alloc(&v->arena, sizeof *v->tables * (ntables + 1));
    if (!v->tables) {
        js_view_free(v);
        return NULL;
    }
    return v;
}

void js_view_free(js_view *v)
{
    if (!v)
        return;
    js_arena_release(&v->arena);
    free(v);
}

bool js_view_printed(const js_view *v) { return v->printed; }
const char *js_view_profile(const js_view *v) { return v->profile ? v->profile : ""; }
size_t js_view_count(const js_view *v) { return v->n; }
js_vtable *js_view_table(const js_view *v, size_t i) { return &v->tables[i]; }

js_vtable *js_view_find(const js_view *v, const char *id)
{
    /* ids are a few bytes ("01", "07b"): the first byte is tested inline
     * (the rules look tables up tens of thousands of times a department) */
    for (size_t i = 0; i < v->n; i++)
        if (v->tables[i].id[0] == id[0] && !strcmp(v->tables[i].id, id))
            return &v->tables[i];
    return NULL;
}

/* A column's name: its heading's levels joined by "/", cut at 511 bytes
 * (as the 512-byte buffer of the printf it replaces did). A one-level
 * heading of the tables' own definitions is used in place (keep: it
 * outlives the view); otherwise the name is copied into the arena. Every
 * column of every table comes here twice a department. */
static const char *join_heading(js_arena *a, const char *const *h, int depth, bool keep)
{
    enum { CAP = 511 };
    if (depth == 1 && keep && strnlen(h[0], CAP + 1) <= CAP)
        return h[0];
    char buf[CAP + 1];
    size_t o = 0;
    for (int l = 0; l < depth && o < CAP; l++) {
        if (l)
            buf[o++] = '/';
        size_t n = strnlen(h[l], CAP - o);
        memcpy(buf + o, h[l], n);
        o += n;
    }
    return js_arena_strndup(a, buf, o);
}

static bool alloc_cells(js_view *v, js_vrow *r, int ncols)
{
    r->val = js_arena_alloc(&v->arena, sizeof *r->val * (size_t)(ncols + 1));
    r->blank = js_arena_alloc(&v->arena, sizeof *r->blank * (size_t)(ncols + 1));
    return r->val && r->blank;
}

js_view *js_view_from_tables(const js_tableset *ts, js_diag *d)
{
    js_view *v = view_new(js_tableset_count(ts), false);
    if (!v)
        goto nomem;
    for (size_t i = 0; i < v->n; i++) {
        const js_table *t = js_tableset_table(ts, i);
        js_vtable *vt = &v->tables[i];
        vt->id = t->def->id;
        vt->number = t->def->number;
        int ncols = 0, first[JS_MAX_BLOCKS];
        for (int b = 0; b < t->def->nblocks; b++) {
            first[b] = ncols;
            ncols += t->def->blocks[b].ncols;
        }
        vt->cols = js_arena_alloc(&v->arena, sizeof *vt->cols * (size_t)(ncols + 1));
        vt->rows = js_arena_alloc(&v->arena, sizeof *vt->rows * (t->nrows + 1));
        if (!vt->cols || !vt->rows)
            goto nomem;
        for (int b = 0; b < t->def->nblocks; b++) {
            const js_blockdef *bd = &t->def->blocks[b];
            for (int c = 0; c < bd->ncols; c++) {
                js_vcol *vc = &vt->cols[first[b] + c];
                vc->block = bd->cols[c].kind == JS_COLK_AMOUNT ? b : -1;
                vc->name = join_heading(&v->arena, bd->cols[c].heading, bd->cols[c].depth, true);
                if (!vc->name)
                    goto nomem;
            }
        }
        vt->ncols = ncols;
        for (size_t r = 0; r < t->nrows; r++) {
            const js_trow *tr = &t->rows[r];
            if (tr->kind == JS_TROW_BLANK)
                continue;
            js_vrow *vr = &vt->rows[vt->nrows++];
            vr->rowno = tr->rowno;
            vr->pos = tr->pos;
            vr->block = tr->block;
            vr->level = tr->level;
            memcpy(vr->code, tr->code, sizeof vr->code);
            vr->name = tr->name;
            if (!alloc_cells(v, vr, ncols))
                goto nomem;
            for (int c = 0; c < t->def->blocks[tr->block].ncols; c++) {
                vr->val[first[tr->block] + c] = tr->cells[c];
                vr->blank[first[tr->block] + c] = tr->cells[c] == 0;
            }
        }
    }
    return v;
nomem:
    js_view_free(v);
    js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    return NULL;
}

static js_status bad(js_diag *d, const char *name, const char *what, const char *where)
{
    return js_diag_set(d, JS_E_INPUT, name, 0, 0, NULL, "不是 juesuan 表格 JSON：%s%s%s", what,
                       where ? "（" : "", where ? where : "");
}

static const char *str(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reads one table of a tables.json. */
static js_status read_table(js_view *v, const char *name, json_t *t, js_vtable *vt, js_diag *d)
{
    const char *id = str(t, "id");
    json_t *blocks = json_object_get(t, "blocks"), *rows = json_object_get(t, "rows");
    if (!id || !json_is_array(blocks) || !json_is_array(rows) || json_array_size(blocks) == 0 ||
        json_array_size(blocks) > JS_MAX_BLOCKS)
        return bad(d, name, "表缺少 id、blocks 或 rows", id);
    vt->id = js_arena_strdup(&v->arena, id);
    vt->number = js_arena_strdup(&v->arena, str(t, "number") ? str(t, "number") : id);
    /* Columns: every column of every block; remember keys per block. */
    int ncols = 0;
    size_t bi;
    json_t *b;
    json_array_foreach(blocks, bi, b) {
        json_t *cols = json_object_get(b, "columns");
        if (!json_is_array(cols) || json_array_size(cols) > JS_MAX_TABLE_COLUMNS)
            return bad(d, name, "表块缺少 columns", id);
        ncols += (int)json_array_size(cols);
    }
    vt->cols = js_arena_alloc(&v->arena, sizeof *vt->cols * (size_t)(ncols + 1));
    const char **keys = js_arena_alloc(&v->arena, sizeof *keys * (size_t)(ncols + 1));
    vt->rows = js_arena_alloc(&v->arena, sizeof *vt->rows * (json_array_size(rows) + 1));
    if (!vt->cols || !keys || !vt->rows)
        return js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
    int k = 0;
    json_array_foreach(blocks, bi, b) {
        size_t ci;
        json_t *c;
        json_array_foreach(json_object_get(b, "columns"), ci, c) {
            json_t *h = json_object_get(c, "heading");
            const char *parts[JS_MAX_HEADING_DEPTH];
            int depth = 0;
            size_t hi;
            json_t *hv;
            if (!json_is_array(h) || json_array_size(h) == 0 || json_array_size(h) > JS_MAX_HEADING_DEPTH)
                return bad(d, name, "列缺少 heading", id);
            json_array_foreach(h, hi, hv) {
                if (!json_is_string(hv))
                    return bad(d, name, "列的 heading 应为字符串", id);
                parts[depth++] = json_string_value(hv);
            }
            const char *kind = str(c, "kind");
            vt->cols[k].name = join_heading(&v->arena, parts, depth, false);
            vt->cols[k].block = !kind || !strcmp(kind, "amount") ? (int)bi : -1;
            keys[k] = str(c, "key");
            if (!keys[k] || !vt->cols[k].name)
                return bad(d, name, "列缺少 key", id);
            k++;
        }
    }
    vt->ncols = ncols;
    /* figures printed in 万元 (under "wan") stand for an interval; a table
     * whose every figure is in 元 to the 分 (under "yuan") is exact */
    bool wan_seen = false;
    size_t ri;
    json_t *r;
    json_array_foreach(rows, ri, r) {
        json_t *blk = json_object_get(r, "block"), *cells = json_object_get(r, "cells");
        if (!json_is_integer(blk) || json_integer_value(blk) < 0 ||
            (size_t)json_integer_value(blk) >= json_array_size(blocks) || !json_is_object(cells))
            return bad(d, name, "行缺少 block 或 cells", id);
        js_vrow *vr = &vt->rows[vt->nrows++];
        vr->block = (int)json_integer_value(blk);
        json_t *rowno = json_object_get(r, "row"), *pos = json_object_get(r, "pos"),
               *level = json_object_get(r, "level");
        vr->rowno = json_is_integer(rowno) ? (int)json_integer_value(rowno) : 0;
        vr->pos = json_is_integer(pos) ? (int)json_integer_value(pos) : (int)ri + 1;
        vr->level = json_is_integer(level) ? (int)json_integer_value(level) : 0;
        const char *code = str(r, "code");
        snprintf(vr->code, sizeof vr->code, "%s", code && strlen(code) < 8 ? code : "");
        vr->name = js_arena_strdup(&v->arena, str(r, "name") ? str(r, "name") : "");
        if (!vr->name || !alloc_cells(v, vr, ncols))
            return js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
        for (int c = 0; c < ncols; c++) {
            vr->blank[c] = true;
            if (vt->cols[c].block != vr->block)
                continue;
            json_t *cell = json_object_get(cells, keys[c]);
            if (!cell)
                continue;
            json_t *yuan = json_is_object(cell) ? json_object_get(cell, "yuan") : NULL;
            json_t *w = yuan ? yuan : json_is_object(cell) ? json_object_get(cell, "wan") : cell;
            if (json_is_null(w))
                continue;
            const char *why;
            if (!json_is_string(w) ||
                !js_money_parse(json_string_value(w), strlen(json_string_value(w)), yuan ? JS_UNIT_YUAN : JS_UNIT_WAN,
                                JS_MONEY_BLANK_ZERO, &vr->val[c], &why))
                return js_diag_set(d, JS_E_INPUT, name, 0, 0, NULL, "表%s %s %s 的金额无效", id,
                                   vr->code[0] ? vr->code : vr->name, vt->cols[c].name);
            /* A printed 0.00 is a rounded figure like any other (its true
             * value may be up to ±0.005); only an empty cell is exactly 0. */
            const char *ws = json_string_value(w);
            vr->blank[c] = !ws[strspn(ws, " \t")] || !strcmp(ws, "-");
            wan_seen |= !yuan && !vr->blank[c];
        }
    }
    const char *unit = str(t, "amount_unit");
    vt->half = wan_seen || !unit || strcmp(unit, "元") ? JS_PRINTED_HALF : 0;
    return JS_OK;
}

js_view *js_view_from_json(const char *name, const char *text, size_t len, js_diag *d)
{
    json_error_t err;
    json_t *root = js_json_read(text, len, &err);
    if (!root) {
        js_diag_set(d, JS_E_INPUT, name, err.line, err.column, NULL, "JSON 格式错误（jansson 报告“%s”）", err.text);
        return NULL;
    }
    json_t *tables = json_object_get(root, "tables");
    js_view *v = NULL;
    if (!json_is_array(tables) || json_array_size(tables) > JS_MAX_TABLES) {
        bad(d, name, "缺少 tables", NULL);
        goto out;
    }
    v = view_new(json_array_size(tables), true);
    if (!v) {
        js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
        goto out;
    }
    const char *prof = str(root, "profile");
    v->profile = prof ? js_arena_strdup(&v->arena, prof) : NULL;
    for (size_t i = 0; i < v->n; i++) {
        if (read_table(v, name, json_array_get(tables, i), &v->tables[i], d) != JS_OK) {
            js_view_free(v);
            v = NULL;
            goto out;
        }
    }
out:
    json_decref(root);
    return v;
}
