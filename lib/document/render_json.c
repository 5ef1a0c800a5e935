/* The JSON form of the tables (docs/formats.md). */
#include <jansson.h>
#include <stdlib.h>

#include "grid.h"
#include "json_columns.h"
#include "json_write.h"
#include "jsonout.h"
#include "juesuan/render.h"

static const char *const k_colkind[] = {"amount", "label", "code", "rowno"};
static const char *const k_rowkind[] = {"item", "blank", "sum", "total", "code", "footer"};

static json_t *str_or_null(const char *s) { return s && *s ? json_string(s) : json_null(); }

json_t *js_json_columns(const js_blockdef *b)
{
    json_t *cols = json_array();
    for (int c = 0; c < b->ncols; c++) {
        const js_coldef *col = &b->cols[c];
        json_t *h = json_array();
        for (int l = 0; l < col->depth; l++)
            json_array_append_new(h, json_string(col->heading[l]));
        json_array_append_new(cols, json_pack("{s:s, s:s, s:o, s:o}", "key", col->key, "kind",
                                              k_colkind[col->kind], "heading", h, "no",
                                              str_or_null(col->no)));
    }
    return cols;
}

/* A row as row_json of earlier versions built it in jansson, written
 * straight (json_write.h: the same text). */
static void row_json(js_jw *w, const js_profile *p, const js_blockdef *b, const js_trow *r)
{
    js_jw_object(w);
    js_jw_kint(w, "block", r->block);
    js_jw_key(w, "row");
    if (r->rowno)
        js_jw_int(w, r->rowno);
    else
        js_jw_null(w);
    js_jw_kint(w, "pos", r->pos);
    js_jw_kstring(w, "kind", k_rowkind[r->kind]);
    js_jw_kstring_or_null(w, "code", r->code);
    js_jw_kstring(w, "name", r->name);
    js_jw_kint(w, "level", r->level);
    js_jw_key(w, "cells");
    js_jw_object(w);
    for (int c = 0; c < b->ncols; c++) {
        if (b->cols[c].kind != JS_COLK_AMOUNT)
            continue;
        char wan[48];
        js_format_amount(p, NULL, r->cells[c], false, wan, sizeof wan); /* always 万元 */
        js_jw_key(w, b->cols[c].key);
        js_jw_object(w);
        js_jw_kstring_or_null(w, "wan", wan);
        js_jw_kint(w, "fen", r->cells[c]);
        js_jw_end_object(w);
    }
    js_jw_end_object(w);
    js_jw_end_object(w);
}

static void columns_json(js_jw *w, const js_blockdef *b)
{
    js_jw_array(w);
    for (int c = 0; c < b->ncols; c++) {
        const js_coldef *col = &b->cols[c];
        js_jw_object(w);
        js_jw_kstring(w, "key", col->key);
        js_jw_kstring(w, "kind", k_colkind[col->kind]);
        js_jw_key(w, "heading");
        js_jw_array(w);
        for (int l = 0; l < col->depth; l++)
            js_jw_string(w, col->heading[l]);
        js_jw_end_array(w);
        js_jw_kstring_or_null(w, "no", col->no);
        js_jw_end_object(w);
    }
    js_jw_end_array(w);
}

js_status js_render_json(const js_tableset *ts, js_buf *out)
{
    const js_workbook *wb = js_tableset_workbook(ts);
    const js_profile *p = js_tableset_profile(ts);
    js_jw w;
    js_jw_init(&w, out);
    js_jw_object(&w);
    js_jw_kstring(&w, "format", "juesuan-tables");
    js_jw_kint(&w, "version", 1);
    js_jw_kstring(&w, "department", js_workbook_department(wb));
    js_jw_kstring(&w, "entity", js_tableset_entity(ts));
    js_jw_kint(&w, "year", js_workbook_year(wb));
    js_jw_kstring(&w, "profile", js_profile_name(p));
    js_jw_kstring(&w, "amount_unit", "万元");
    js_jw_key(&w, "tables");
    js_jw_array(&w);
    for (size_t i = 0; i < js_tableset_count(ts); i++) {
        const js_table *t = js_tableset_table(ts, i);
        js_jw_object(&w);
        js_jw_kstring(&w, "id", t->def->id);
        js_jw_kstring(&w, "number", t->def->number);
        js_jw_kstring(&w, "title", t->title);
        js_jw_kstring(&w, "unit_label", t->def->unit_label);
        js_jw_kstring_or_null(&w, "note", t->def->note);
        js_jw_kstring_or_null(&w, "empty_text", t->empty_text);
        js_jw_kstring_or_null(&w, "remark", t->remark);
        js_jw_key(&w, "blocks");
        js_jw_array(&w);
        for (int b = 0; b < t->def->nblocks; b++) {
            js_jw_object(&w);
            js_jw_kstring(&w, "heading", t->def->blocks[b].heading);
            js_jw_key(&w, "columns");
            columns_json(&w, &t->def->blocks[b]);
            js_jw_end_object(&w);
        }
        js_jw_end_array(&w);
        js_jw_key(&w, "rows");
        js_jw_array(&w);
        for (size_t r = 0; r < t->nrows; r++)
            if (t->rows[r].kind != JS_TROW_BLANK)
                row_json(&w, p, &t->def->blocks[t->rows[r].block], &t->rows[r]);
        js_jw_end_array(&w);
        /* a table printed in 元 says so; its cells' "wan" stay 万元 */
        if (t->def->yuan)
            js_jw_kstring(&w, "amount_unit", "元");
        js_jw_end_object(&w);
    }
    js_jw_end_array(&w);
    if (js_tableset_mark(ts)) {
        js_jw_kstring(&w, "mark", js_tableset_mark(ts));
    }
    js_jw_end_object(&w);
    return js_jw_finish(&w);
}
