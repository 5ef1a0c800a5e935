/* For fuzz targets that read a workbook: the input split into CSV sheets
 * at lines "===" (the first part is names[0], the next names[1], …), given
 * to the workbook reader as a sheet source. An empty part is an absent
 * sheet; a sheet the input does not reach is its default: a small valid
 * sheet for the four the tables need, absent for the others. */
#ifndef JUESUAN_FUZZ_SHEETS_H
#define JUESUAN_FUZZ_SHEETS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/juesuan.h"

#define FUZZ_MAX_SHEETS 32

typedef struct {
    const char *name[FUZZ_MAX_SHEETS];
    const char *part[FUZZ_MAX_SHEETS]; /* NULL: absent */
    size_t len[FUZZ_MAX_SHEETS];
    int n;
} fuzz_sheets;

static const char *const fuzz_default_sheet[][2] = {
    {"department.csv", "项目,内容\n部门名称,测试局\n年度,2024\n"},
    {"units.csv", "单位名称,单位性质\n甲,行政\n"},
    {"expenditure.csv", "单位,功能分类科目编码,经济分类科目编码,资金来源,支出类型,金额(元)\n"
                        "甲,2060101,30101,一般公共预算财政拨款,基本支出,100.00\n"},
    {"revenue.csv", "单位,功能分类科目编码,收入类型,金额(元)\n甲,2060101,一般公共预算财政拨款,100.00\n"},
};

/* Splits data over the n sheets names (at most FUZZ_MAX_SHEETS). */
static inline void fuzz_sheets_split(fuzz_sheets *s, const char *const *names, int n, const uint8_t *data,
                                     size_t size)
{
    s->n = n < FUZZ_MAX_SHEETS ? n : FUZZ_MAX_SHEETS;
    for (int i = 0; i < s->n; i++) {
        s->name[i] = names[i];
        s->part[i] = NULL;
        s->len[i] = 0;
        for (size_t k = 0; k < sizeof fuzz_default_sheet / sizeof *fuzz_default_sheet; k++)
            if (!strcmp(names[i], fuzz_default_sheet[k][0])) {
                s->part[i] = fuzz_default_sheet[k][1];
                s->len[i] = strlen(s->part[i]);
            }
    }
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < s->n && p <= end; i++) {
        const char *sep = NULL;
        for (const char *q = p; q + 5 <= end; q++)
            if (!memcmp(q, "\n===\n", 5)) {
                sep = q;
                break;
            }
        s->len[i] = (size_t)((sep ? sep : end) - p);
        s->part[i] = s->len[i] ? p : NULL;
        if (!sep)
            break;
        p = sep + 5;
    }
}

/* The js_sheet_source get of a fuzz_sheets. */
static inline js_status fuzz_sheets_get(void *ctx, const char *file, char **data, size_t *len, char *display,
                                        size_t display_len, js_diag *d)
{
    const fuzz_sheets *s = ctx;
    (void)d;
    snprintf(display, display_len, "%s", file);
    *data = NULL;
    for (int i = 0; i < s->n; i++)
        if (!strcmp(file, s->name[i]) && s->part[i]) {
            if (!(*data = malloc(s->len[i] + 1)))
                return JS_E_NOMEM;
            memcpy(*data, s->part[i], s->len[i]);
            (*data)[s->len[i]] = '\0';
            *len = s->len[i];
            return JS_OK;
        }
    return JS_OK; /* absent */
}

static inline const char *fuzz_datadir(void)
{
    const char *e = getenv("JUESUAN_DATA");
    return e ? e : "data";
}

#endif
