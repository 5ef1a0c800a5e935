/* Auditing a published report read back: the printed-mode rules over its
 * tables and the checks of its narrative against them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "findings.h"
#include "juesuan/limits.h"
#include "juesuan/read.h"
#include "narrative_check.h"
#include "printed_layout.h"
#include "run_internal.h"

/* The table definition of profile p with this id, or NULL. */
static const js_tabledef *table_def(const js_profile *p, const char *id)
{
    for (size_t i = 0; id && i < js_profile_ntables(p); i++)
        if (!strcmp(js_profile_table(p, i)->id, id))
            return js_profile_table(p, i);
    return NULL;
}

/* A table printed with its 空表说明 that holds figures (T-009); with the
 * layout's "empty_needs_text" (reading.json), a table the profile gives a
 * 空表说明 printed without figures and without it (T-012). */
static js_status marked_empty(const js_printed *r, const js_view *v, const js_profile *p, const json_t *reading,
                              const char *json, size_t len, js_findings *f)
{
    json_t *root = json_loadb(json, len, 0, NULL);
    bool needs_text = json_is_true(json_object_get(reading, "empty_needs_text"));
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(root, "tables"), i, t) {
        const char *empty = json_string_value(json_object_get(t, "empty_text"));
        const char *id = json_string_value(json_object_get(t, "id"));
        js_vtable *vt = js_view_find(v, id ? id : "");
        bool data = false;
        for (int r2 = 0; vt && r2 < vt->nrows && !data; r2++)
            for (int k = 0; k < vt->ncols && !data; k++)
                data = vt->cols[k].block == vt->rows[r2].block && !vt->rows[r2].blank[k];
        const js_tabledef *def = table_def(p, id);
        js_finding *x;
        if (!empty && !data && needs_text && vt && def && *def->empty_text)
            x = js_findings_add(f, "T-012", JS_SEV_ERROR, "%s没有数据，但没有说明为空表的原因（空表说明）", vt->number);
        else if (empty && data)
            x = js_findings_add(f, "T-009", JS_SEV_ERROR, "%s标注“%s”，但表中有数据", vt->number, empty);
        else
            continue;
        if (!x) {
            json_decref(root);
            return JS_E_NOMEM;
        }
        snprintf(x->table, sizeof x->table, "%s", vt->id);
        snprintf(x->file, sizeof x->file, "%s 第%lld页", js_printed_path(r),
                 (long long)json_integer_value(json_object_get(t, "page")));
    }
    json_decref(root);
    return JS_OK;
}

js_status js_check_report(js_run_shared *s, const char *path, const char *profile, js_findings *f, js_diag *d)
{
    return js_check_report_tables(s, path, profile, f, NULL, d);
}

js_status js_check_report_tables(js_run_shared *s, const char *path, const char *profile, js_findings *f,
                                 js_buf *tables, js_diag *d)
{
    const char *datadir = js_run_shared_datadir(s);
    js_printed *r = js_printed_read(datadir, path, profile, d);
    if (!r)
        return d && d->status ? d->status : JS_E_INPUT;
    js_buf json;
    js_buf_init(&json, JS_MAX_OUTPUT_BYTES);
    js_status st = js_printed_json(r, false, &json);
    js_view *v = NULL;
    js_profile *p = NULL;
    js_playout l = {NULL};
    if (st == JS_OK)
        st = js_check_tables_text(s, path, json.data, json.len, js_printed_profile(r), f, d);
    if (st == JS_OK && !(v = js_view_from_json(path, json.data, json.len, d)))
        st = d && d->status ? d->status : JS_E_INTERNAL;
    if (st == JS_OK && !(p = js_profile_load(datadir, js_printed_profile(r), d)))
        st = d && d->status ? d->status : JS_E_INTERNAL;
    if (st == JS_OK)
        st = js_playout_load(datadir, p, &l, d);
    if (st == JS_OK)
        st = marked_empty(r, v, p, l.root, json.data, json.len, f);
    /* the edition of the report's year, for its old item names (none
     * shipped for that year: not checked) */
    js_dict *dict = st == JS_OK && js_printed_report_year(r) ? js_dict_load(datadir, js_printed_report_year(r), NULL)
                                                             : NULL;
    if (st == JS_OK)
        st = js_narrative_check(r, v, l.root, dict, f, d);
    js_dict_free(dict);
    if (st == JS_OK && tables)
        st = js_printed_json(r, true, tables);
    if (st == JS_E_NOMEM)
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
    js_playout_release(&l);
    js_profile_free(p);
    js_view_free(v);
    js_buf_release(&json);
    js_printed_free(r);
    return st;
}

bool js_is_pdf_file(const char *path)
{
    /* a regular file only: a FIFO would block the read below */
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    size_t n = strlen(path);
    if (n > 4 && (!strcmp(path + n - 4, ".pdf") || !strcmp(path + n - 4, ".PDF")))
        return true;
    FILE *fp = fopen(path, "rb");
    char head[5] = {0};
    bool pdf = fp && fread(head, 1, 5, fp) == 5 && !memcmp(head, "%PDF-", 5);
    if (fp)
        fclose(fp);
    return pdf;
}

bool js_is_report_file(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && (!strcmp(path + n - 4, ".txt") || !strcmp(path + n - 4, ".tsv")))
        return true;
    return js_is_pdf_file(path);
}
