/* The Fiscal Data Package of a department-year (docs/open-data.md): the
 * workbook's money lines summed by their dimensions into one long CSV
 * (fiscal-data.csv), and datapackage.json describing it as a Frictionless
 * tabular data resource with the fiscal columnTypes of FDP 1.0 and the
 * fiscal model (measures and dimensions) of FDP 0.3. Amounts are exact 元
 * (two decimals, from integer 分). Same workbook, same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "juesuan/cofog.h"
#include "juesuan/fdp.h"

/* How each source of a fact appears: its direction, phase and kind of
 * value; NULL phase: not in the package (三公 amounts are part of the
 * expenditure lines already). The budget phase's own lines (预算支出,
 * 预算收入, 上年结转) are the approved phase by unit, economic
 * classification, fund and type; the 决算's 年初预算 derived from them is
 * then left out, so that no approved amount counts twice. */
static const struct {
    const char *direction, *phase, *kind;
} k_sources[JS_SRC_COUNT] = {
    [JS_SRC_EXP] = {"expenditure", "executed", "flow"},
    [JS_SRC_REV] = {"revenue", "executed", "flow"},
    [JS_SRC_CARRY_OPEN] = {"", "executed", "carryover-opening"},
    [JS_SRC_CARRY_CLOSE] = {"", "executed", "carryover-closing"},
    [JS_SRC_SURPLUS_USE] = {"", "executed", "surplus-use"},
    [JS_SRC_SURPLUS_ALLOC] = {"", "executed", "balance-distribution"},
    [JS_SRC_BUDGET] = {"expenditure", "approved", "flow"},
    [JS_SRC_B_EXP] = {"expenditure", "approved", "flow"},
    [JS_SRC_B_REV] = {"revenue", "approved", "flow"},
    [JS_SRC_B_CARRY] = {"", "approved", "carryover-opening"},
};

/* The columns of fiscal-data.csv: name, type, FDP columnType ("" none),
 * title (Chinese) and description. */
static const struct {
    const char *name, *type, *column_type, *title, *description;
} k_fields[] = {
    {"year", "integer", "date:fiscal-year", "年度", "决算年度（公历年）"},
    {"department", "string", "administrative-classification:generic:level1:label", "部门", "部门名称"},
    {"unit", "string", "administrative-classification:generic:level2:label", "单位", "纳入部门决算的单位"},
    {"direction", "string", "direction", "收支", "expenditure 支出、revenue 收入；结转结余为空"},
    {"phase", "string", "phase:id", "阶段", "executed 决算数、approved 年初预算数"},
    {"value_kind", "string", "value-kind:code", "金额性质",
     "flow 本年收支；carryover-opening 年初结转和结余；carryover-closing 年末结转和结余；surplus-use 使用非财政拨款结余；"
     "balance-distribution 结余分配"},
    {"func_lei_code", "string", "functional-classification:generic:level1:code", "功能分类类级编码", ""},
    {"func_lei_name", "string", "functional-classification:generic:level1:label", "功能分类类级名称", ""},
    {"func_kuan_code", "string", "functional-classification:generic:level2:code", "功能分类款级编码", ""},
    {"func_kuan_name", "string", "functional-classification:generic:level2:label", "功能分类款级名称", ""},
    {"func_xiang_code", "string", "functional-classification:generic:level3:code", "功能分类项级编码", ""},
    {"func_xiang_name", "string", "functional-classification:generic:level3:label", "功能分类项级名称", ""},
    {"cofog_division", "string", "functional-classification:cofog:division:code", "COFOG 大类",
     "juesuan 的功能分类—COFOG 对照（非官方，data/cofog/），仅支出行"},
    {"cofog_division_name", "string", "functional-classification:cofog:division:label", "COFOG 大类名称", ""},
    {"cofog_group", "string", "functional-classification:cofog:group:code", "COFOG 中类", "对照只到大类时为空"},
    {"cofog_group_name", "string", "functional-classification:cofog:group:label", "COFOG 中类名称", ""},
    {"cofog_confidence", "string", "", "COFOG 对照可信度",
     "H 高、M 中、L 低；excluded：不属 COFOG 支出（如债务还本，GFSM 2014 §6.127）"},
    {"econ_lei_code", "string", "economic-classification:generic:level1:code", "经济分类类级编码", ""},
    {"econ_lei_name", "string", "economic-classification:generic:level1:label", "经济分类类级名称", ""},
    {"econ_kuan_code", "string", "economic-classification:generic:level2:code", "经济分类款级编码", ""},
    {"econ_kuan_name", "string", "economic-classification:generic:level2:label", "经济分类款级名称", ""},
    {"fund", "string", "fin-source:generic:level1:label", "资金来源", "资金来源或收入类型"},
    {"spending_type", "string", "expenditure-type:label", "支出类型", "基本支出、项目支出等"},
    {"amount", "number", "value", "金额（元）", "精确到分的元金额（由整数分换算，不经四舍五入）"},
    {"currency", "string", "value-currency:code", "币种", "CNY"},
};
#define NFIELDS (sizeof k_fields / sizeof k_fields[0])

/* The fiscal model (FDP 0.3): each dimension with its attributes (a
 * field, the attribute it labels, its parent attribute) and which of them
 * is its primary key. */
typedef struct {
    const char *name, *labelfor, *parent;
} model_attr;
static const struct {
    const char *name, *type, *key;
    model_attr attrs[6];
} k_dimensions[] = {
    {"date", "datetime", "year", {{"year", NULL, NULL}}},
    {"administrative", "entity", "unit", {{"department", NULL, NULL}, {"unit", NULL, "department"}}},
    {"direction", "other", "direction", {{"direction", NULL, NULL}}},
    {"phase", "other", "phase", {{"phase", NULL, NULL}}},
    {"value_kind", "other", "value_kind", {{"value_kind", NULL, NULL}}},
    {"functional", "classification", "func_xiang_code",
     {{"func_lei_code", NULL, NULL},
      {"func_lei_name", "func_lei_code", NULL},
      {"func_kuan_code", NULL, "func_lei_code"},
      {"func_kuan_name", "func_kuan_code", NULL},
      {"func_xiang_code", NULL, "func_kuan_code"},
      {"func_xiang_name", "func_xiang_code", NULL}}},
    {"cofog", "classification", "cofog_group",
     {{"cofog_division", NULL, NULL},
      {"cofog_division_name", "cofog_division", NULL},
      {"cofog_group", NULL, "cofog_division"},
      {"cofog_group_name", "cofog_group", NULL},
      {"cofog_confidence", NULL, NULL}}},
    {"economic", "classification", "econ_kuan_code",
     {{"econ_lei_code", NULL, NULL},
      {"econ_lei_name", "econ_lei_code", NULL},
      {"econ_kuan_code", NULL, "econ_lei_code"},
      {"econ_kuan_name", "econ_kuan_code", NULL}}},
    {"fund", "fact", "fund", {{"fund", NULL, NULL}}},
    {"spending_type", "fact", "spending_type", {{"spending_type", NULL, NULL}}},
};

static json_t *model(void)
{
    json_t *dims = json_object();
    for (size_t i = 0; dims && i < sizeof k_dimensions / sizeof k_dimensions[0]; i++) {
        json_t *attrs = json_object();
        for (size_t a = 0; attrs && a < 6 && k_dimensions[i].attrs[a].name; a++) {
            const model_attr *m = &k_dimensions[i].attrs[a];
            json_t *attr = json_pack("{s:s}", "source", m->name);
            if (attr && m->labelfor)
                json_object_set_new(attr, "labelfor", json_string(m->labelfor));
            if (attr && m->parent)
                json_object_set_new(attr, "parent", json_string(m->parent));
            json_object_set_new(attrs, m->name, attr);
        }
        json_object_set_new(dims, k_dimensions[i].name,
                            json_pack("{s:o, s:[s], s:s}", "attributes", attrs, "primaryKey", k_dimensions[i].key,
                                      "dimensionType", k_dimensions[i].type));
    }
    return json_pack("{s:{s:{s:s, s:s, s:i, s:s}}, s:o}", "measures", "amount", "source", "amount", "currency", "CNY",
                     "factor", 1, "title", "金额（元）", "dimensions", dims);
}

/* The package of one resource, fiscal-data at csv_path, for year; mark
 * (NULL: none) as the build's mark of a failed audit. */
static js_status package(const char *name, const char *title, const char *description, int year,
                         const char *csv_path, const char *mark, js_buf *out)
{
    json_t *fields = json_array();
    for (size_t i = 0; fields && i < NFIELDS; i++) {
        json_t *f = json_pack("{s:s, s:s, s:s}", "name", k_fields[i].name, "type", k_fields[i].type, "title",
                              k_fields[i].title);
        if (f && *k_fields[i].column_type)
            json_object_set_new(f, "columnType", json_string(k_fields[i].column_type));
        if (f && *k_fields[i].description)
            json_object_set_new(f, "description", json_string(k_fields[i].description));
        if (f && !strcmp(k_fields[i].name, "amount"))
            json_object_set_new(f, "unit", json_string("元"));
        json_array_append_new(fields, f);
    }
    char start[16], end[16], fy[8];
    snprintf(start, sizeof start, "%04d-01-01", year);
    snprintf(end, sizeof end, "%04d-12-31", year);
    snprintf(fy, sizeof fy, "%d", year);
    json_t *resource = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:o}}", "name", "fiscal-data",
                                 "path", csv_path, "profile", "tabular-data-resource", "format", "csv", "mediatype",
                                 "text/csv", "encoding", "utf-8", "currency", "CNY", "fiscalYear", fy, "granularity",
                                 "aggregated", "schema", "fields", fields);
    json_t *root = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:[o], s:o}", "profile", "fiscal-data-package",
                             "name", name, "title", title, "countryCode", "CN", "description", description,
                             "fiscalPeriod", "start", start, "end", end, "resources", resource, "model", model());
    if (root && mark)
        json_object_set_new(root, "mark", json_string(mark));
    return js_json_out(root, out);
}

js_status js_fdp_package(const js_tableset *ts, const char *csv_path, js_buf *out)
{
    int year = js_workbook_year(js_tableset_workbook(ts));
    char title[512];
    snprintf(title, sizeof title, "%s %d年度部门决算", js_tableset_entity(ts), year);
    return package("juesuan-department-year", title,
                   "部门决算的明细数据：按单位、功能分类（类、款、项）、COFOG、经济分类（类、款）、资金来源、"
                   "支出类型汇总的决算数和年初预算数，以及结转结余；由 juesuan 从部门的工作簿生成",
                   year, csv_path, js_tableset_mark(ts), out);
}

js_status js_fdp_region_package(const char *region, int year, size_t departments, const char *csv_path,
                                js_buf *out)
{
    char title[512];
    snprintf(title, sizeof title, "%s%s%d年度部门决算（%zu 个部门）", region ? region : "", region ? " " : "", year,
             departments);
    return package("juesuan-region-year", title,
                   "一个地区一年中各部门已公开决算的明细数据，每个部门的 fiscal-data.csv 依次相接（department "
                   "列区分部门）：按单位、功能分类（类、款、项）、COFOG、经济分类（类、款）、资金来源、支出类型汇总的"
                   "决算数和年初预算数，以及结转结余；由 juesuan 在发布时生成",
                   year, csv_path, NULL, out);
}

js_status js_fdp_csv_append(js_buf *out, const char *csv, size_t len)
{
    const char *nl = memchr(csv, '\n', len);
    if (!nl)
        return JS_E_INPUT;
    size_t head = (size_t)(nl - csv) + 1;
    if (!out->len)
        js_buf_append(out, csv, len);
    else if (out->len < head || memcmp(out->data, csv, head))
        return JS_E_INPUT; /* another header: not a fiscal-data.csv of this version */
    else
        js_buf_append(out, csv + head, len - head);
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}

/* ---- the long CSV ----------------------------------------------------- */

static int by_dimensions(const void *a, const void *b)
{
    const js_fact *x = a, *y = b;
#define CMP(f)              \
    if (x->f != y->f)       \
        return x->f < y->f ? -1 : 1;
    CMP(source) CMP(unit) CMP(func) CMP(econ) CMP(fund) CMP(spend)
#undef CMP
    return 0;
}

static void code_cells(js_buf *out, const js_dict *dict, js_dict_kind kind, uint32_t code, int from, int to)
{
    for (int digits = 3; digits <= 7; digits += 2) {
        if (digits < from || digits > to)
            continue;
        uint32_t c = code;
        for (int k = to; k > digits; k -= 2)
            c /= 100;
        char s[8] = "";
        const js_code *named = code ? js_dict_find(dict, kind, c, digits) : NULL;
        if (code)
            js_code_str(c, digits, s);
        js_buf_putc(out, ',');
        js_buf_csv_field(out, s);
        js_buf_putc(out, ',');
        js_buf_csv_field(out, named ? named->name : "");
    }
}

js_status js_fdp_csv(const js_tableset *ts, int unit, const js_cofog *cw, js_buf *out)
{
    const js_workbook *wb = js_tableset_workbook(ts);
    const js_dict *dict = js_workbook_dict(wb);
    size_t n, nunits;
    const js_fact *facts = js_workbook_facts(wb, &n);
    const js_unit *units = js_workbook_units(wb, &nunits);
    js_fact *lines = malloc((n ? n : 1) * sizeof *lines);
    if (!lines)
        return JS_E_NOMEM;
    size_t m = 0;
    bool budget_phase = js_workbook_has_budget_phase(wb);
    for (size_t i = 0; i < n; i++)
        if (facts[i].source < JS_SRC_COUNT && k_sources[facts[i].source].phase && facts[i].amount &&
            !(budget_phase && facts[i].source == JS_SRC_BUDGET) && (unit < 0 || facts[i].unit == (uint32_t)unit))
            lines[m++] = facts[i];
    qsort(lines, m, sizeof *lines, by_dimensions);
    for (size_t k = 0; k < NFIELDS; k++)
        js_buf_printf(out, "%s%s", k ? "," : "", k_fields[k].name);
    js_buf_putc(out, '\n');
    js_status st = JS_OK;
    for (size_t i = 0; i < m && st == JS_OK;) {
        js_fen sum = 0;
        size_t j = i;
        for (; j < m && by_dimensions(&lines[i], &lines[j]) == 0; j++)
            if (!js_fen_add(sum, lines[j].amount, &sum))
                st = JS_E_LIMIT;
        const js_fact *x = &lines[i];
        i = j;
        if (!sum)
            continue;
        js_buf_printf(out, "%d,", js_workbook_year(wb));
        js_buf_csv_field(out, js_workbook_department(wb));
        js_buf_putc(out, ',');
        js_buf_csv_field(out, x->unit < nunits ? units[x->unit].name : "");
        js_buf_printf(out, ",%s,%s,%s", k_sources[x->source].direction, k_sources[x->source].phase,
                      k_sources[x->source].kind);
        code_cells(out, dict, JS_DICT_FUNC, x->func, 3, 7);
        const js_cofog_map *c = x->func && cw && !strcmp(k_sources[x->source].direction, "expenditure")
                                    ? js_cofog_find(cw, x->func, 7)
                                    : NULL;
        js_buf_putc(out, ',');
        js_buf_csv_field(out, c ? c->division : "");
        js_buf_putc(out, ',');
        js_buf_csv_field(out, c ? c->division_name : "");
        js_buf_putc(out, ',');
        js_buf_csv_field(out, c ? c->group : "");
        js_buf_putc(out, ',');
        js_buf_csv_field(out, c ? c->group_name : "");
        js_buf_printf(out, ",%s", !c ? "" : !*c->cofog ? "excluded" : c->confidence == 'H' ? "H" : c->confidence == 'M' ? "M" : "L");
        code_cells(out, dict, JS_DICT_ECON, x->econ, 3, 5);
        js_buf_putc(out, ',');
        js_buf_csv_field(out, x->fund < JS_FUND_COUNT ? js_fund_names[x->fund] : "");
        js_buf_putc(out, ',');
        js_buf_csv_field(out, x->spend < JS_SPEND_COUNT ? js_spend_names[x->spend] : "");
        char yuan[32];
        js_money_format_yuan(sum, yuan, sizeof yuan);
        js_buf_printf(out, ",%s,CNY\n", yuan);
    }
    free(lines);
    if (st != JS_OK)
        return st;
    return js_buf_ok(out) ? JS_OK : JS_E_LIMIT;
}
