/* The JSON form of the tables (docs/formats.md). */
#include <jansson.h>
#include <stdlib.h>

#include "grid.h"
#include "json_columns.h"
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

static json_t *row_json(const js_profile *p, const js_blockdef *b, const js_trow *r)
{
    json_t *cells = json_object();
    for (int c = 0; c < b->ncols; c++) {
        if (b->cols[c].kind != JS_COLK_AMOUNT)
            continue;
        char wan[48];
        js_format_amount(p, NULL, r->cells[c], false, wan, sizeof wan); /* always 万元 */
        json_object_set_new(cells, b->cols[c].key,
                            json_pack("{s:o, s:I}", "wan", str_or_null(wan), "fen",
                                      (json_int_t)r->cells[c]));
    }
    return json_pack("{s:i, s:o, s:i, s:s, s:o, s:s, s:i, s:o}", "block", r->block, "row",
                     r->rowno ? json_integer(r->rowno) : json_null(), "pos", r->pos, "kind",
                     k_rowkind[r->kind], "code", str_or_null(r->code), "name", r->name, "level",
                     r->level, "cells", cells);
}

js_status js_render_json(const js_tableset *ts, js_buf *out)
{
    const js_workbook *wb = js_tableset_workbook(ts);
    const js_profile *p = js_tableset_profile(ts);
    json_t *tables = json_array();
    for (size_t i = 0; i < js_tableset_count(ts); i++) {
        const js_table *t = js_tableset_table(ts, i);
        json_t *blocks = json_array(), *rows = json_array();
        for (int b = 0; b < t->def->nblocks; b++)
            json_array_append_new(blocks, json_pack("{s:s, s:o}", "heading", t->def->blocks[b].heading,
                                                    "columns", js_json_columns(&t->def->blocks[b])));
        for (size_t r = 0; r < t->nrows; r++)
            if (t->rows[r].kind != JS_TROW_BLANK)
                json_array_append_new(rows, row_json(p, &t->def->blocks[t->rows[r].block], &t->rows[r]));
        json_array_append_new(
            tables, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", t->def->id,
                              "number", t->def->number, "title", t->title, "unit_label",
                              t->def->unit_label, "note", str_or_null(t->def->note), "empty_text",
                              str_or_null(t->empty_text), "remark", str_or_null(t->remark), "blocks",
                              blocks, "rows", rows));
        /* a table printed in 元 says so; its cells' "wan" stay 万元 */
        if (t->def->yuan)
            json_object_set_new(json_array_get(tables, json_array_size(tables) - 1), "amount_unit",
                                json_string("元"));
    }
    json_t *root = json_pack("{s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:o}", "format", "juesuan-tables",
                             "version", 1, "department", js_workbook_department(wb), "entity",
                             js_tableset_entity(ts), "year", js_workbook_year(wb), "profile",
                             js_profile_name(p), "amount_unit", "万元", "tables", tables);
    if (root && js_tableset_mark(ts))
        json_object_set_new(root, "mark", json_string(js_tableset_mark(ts)));
    return js_json_out(root, out);
}
