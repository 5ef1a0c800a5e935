/* The column ids of workbook_schema.h against the schema table: each id is
 * the index of its own heading in its own sheet, and the columns the code
 * reads by id carry the headings it means. */
#include "juesuan/workbook.h"
#include "tap.h"
#include "workbook_schema.h"

typedef struct {
    int id;
    const char *name;
} column;

/* Every entry of a list: its id and heading. */
#define ENTRY(id, name, ...) {id, name},

/* Whether the entries of a sheet's list (cols[0..n), in list order) are
 * the sheet's columns: each id its entry's index, each heading the
 * schema's at that index, count (the list's NCOLS) the sheet's columns. */
static void sheet_agrees(const char *file, const column *cols, int n, int count)
{
    int s = js_sheet_index(file);
    ok(s >= 0, "%s is a sheet of the schema", file);
    if (s < 0)
        return;
    const js_sheetspec *sp = &js_sheets[s];
    ok(sp->ncols == count && n == count, "%s has %d columns, as many as its ids (got %d)", file, count, sp->ncols);
    for (int k = 0; k < n; k++) {
        ok(cols[k].id == k, "%s: id of '%s' is %d (got %d)", file, cols[k].name, k, cols[k].id);
        if (cols[k].id >= 0 && cols[k].id < sp->ncols)
            is_str(sp->cols[cols[k].id].name, cols[k].name, "%s: column %d is '%s'", file, cols[k].id, cols[k].name);
        else
            ok(0, "%s: id %d of '%s' is out of range", file, cols[k].id, cols[k].name);
    }
}

#define AGREES(file, list, count)                                                \
    do {                                                                         \
        static const column cols[] = {list(ENTRY)};                              \
        sheet_agrees(file, cols, (int)(sizeof cols / sizeof cols[0]), count);    \
    } while (0)

/* The columns read by id in lib/ with the heading each use means, written
 * out here rather than taken from the lists: an id moved to another entry
 * fails here. */
static const struct {
    const char *file;
    int id;
    const char *heading;
} k_used[] = {
    {"units.csv", JS_UNITS_NAME, "单位名称"},
    {"units.csv", JS_UNITS_KIND, "单位性质"},
    {"expenditure.csv", JS_EXP_UNIT, "单位"},
    {"expenditure.csv", JS_EXP_FUNC, "功能分类科目编码"},
    {"expenditure.csv", JS_EXP_ECON, "经济分类科目编码"},
    {"expenditure.csv", JS_EXP_FUND, "资金来源"},
    {"expenditure.csv", JS_EXP_SPEND, "支出类型"},
    {"expenditure.csv", JS_EXP_PROJECT, "项目名称"},
    {"expenditure.csv", JS_EXP_AMOUNT, "金额"},
    {"expenditure.csv", JS_EXP_FUNC_NAME, "功能分类科目名称"},
    {"expenditure.csv", JS_EXP_ECON_NAME, "经济分类科目名称"},
    {"revenue.csv", JS_REV_UNIT, "单位"},
    {"revenue.csv", JS_REV_FUNC, "功能分类科目编码"},
    {"revenue.csv", JS_REV_FUND, "收入类型"},
    {"revenue.csv", JS_REV_AMOUNT, "金额"},
    {"revenue.csv", JS_REV_FUNC_NAME, "功能分类科目名称"},
    {"carryover.csv", JS_CARRY_UNIT, "单位"},
    {"carryover.csv", JS_CARRY_FUNC, "功能分类科目编码"},
    {"carryover.csv", JS_CARRY_FUND, "资金来源"},
    {"carryover.csv", JS_CARRY_OPEN, "年初结转和结余"},
    {"carryover.csv", JS_CARRY_CLOSE, "年末结转和结余"},
    {"carryover.csv", JS_CARRY_FUNC_NAME, "功能分类科目名称"},
    {"surplus.csv", JS_SURPLUS_UNIT, "单位"},
    {"surplus.csv", JS_SURPLUS_ITEM, "项目"},
    {"surplus.csv", JS_SURPLUS_AMOUNT, "金额"},
    {"budget.csv", JS_BUDGET_UNIT, "单位"},
    {"budget.csv", JS_BUDGET_FUNC, "功能分类科目编码"},
    {"budget.csv", JS_BUDGET_FUND, "资金来源"},
    {"budget.csv", JS_BUDGET_AMOUNT, "年初预算数"},
    {"budget.csv", JS_BUDGET_REASON, "差异原因"},
    {"budget.csv", JS_BUDGET_FUNC_NAME, "功能分类科目名称"},
    {"sangong.csv", JS_SANGONG_ITEM, "项目"},
    {"sangong.csv", JS_SANGONG_BUDGET, "预算数"},
    {"sangong.csv", JS_SANGONG_ACTUAL, "决算数"},
    {"text.csv", JS_TEXT_CONTENT, "内容"},
    {"perf_items.csv", JS_PERF_NAME, "项目名称"},
    {"perf_items.csv", JS_PERF_KIND, "类型"},
    {"perf_items.csv", JS_PERF_DEPT, "主管部门"},
    {"perf_items.csv", JS_PERF_UNIT, "实施单位"},
    {"perf_items.csv", JS_PERF_CATEGORY, "项目类别"},
    {"perf_items.csv", JS_PERF_ATTRIBUTE, "项目属性"},
    {"perf_items.csv", JS_PERF_TYPE, "项目类型"},
    {"perf_items.csv", JS_PERF_BUDGET, "预算数"},
    {"perf_items.csv", JS_PERF_EXECUTED, "执行数"},
    {"perf_items.csv", JS_PERF_DECIMALS, "执行率小数位"},
    {"perf_items.csv", JS_PERF_GOAL, "年度目标"},
    {"perf_items.csv", JS_PERF_REASON, "偏差原因"},
    {"perf_items.csv", JS_PERF_MEASURE, "改进措施"},
    {"perf_items.csv", JS_PERF_LINK, "关联项目名称"},
    {"perf_items.csv", JS_PERF_OUTPUT, "主要产出和效益"},
    {"perf_items.csv", JS_PERF_PROBLEM, "发现的问题及原因"},
    {"perf_items.csv", JS_PERF_NEXT, "下一步改进措施"},
    {"perf_items.csv", JS_PERF_TABLE_TITLE, "附件标题"},
    {"perf_items.csv", JS_PERF_TEXT_BUDGET, "情况说明预算数"},
    {"perf_items.csv", JS_PERF_TEXT_TITLE, "说明标题"},
    {"perf_items.csv", JS_PERF_ORDER, "说明顺序"},
    {"perf_indicators.csv", JS_IND_ITEM, "项目名称"},
    {"perf_indicators.csv", JS_IND_LEVEL1, "一级指标"},
    {"perf_indicators.csv", JS_IND_LEVEL2, "二级指标"},
    {"perf_indicators.csv", JS_IND_LEVEL3, "三级指标"},
    {"perf_indicators.csv", JS_IND_OP, "运算符"},
    {"perf_indicators.csv", JS_IND_TARGET_TEXT, "目标值"},
    {"perf_indicators.csv", JS_IND_TARGET, "目标数"},
    {"perf_indicators.csv", JS_IND_ACTUAL_TEXT, "实际值"},
    {"perf_indicators.csv", JS_IND_ACTUAL, "实际数"},
    {"perf_indicators.csv", JS_IND_WEIGHT, "权重"},
    {"perf_indicators.csv", JS_IND_APPLICABLE, "适用"},
    {"perf_indicators.csv", JS_IND_GRADE, "等级"},
    {"perf_indicators.csv", JS_IND_PRINTED, "得分"},
    {"budget_expenditure.csv", JS_BEXP_UNIT, "单位"},
    {"budget_expenditure.csv", JS_BEXP_FUNC, "功能分类科目编码"},
    {"budget_expenditure.csv", JS_BEXP_ECON, "经济分类科目编码"},
    {"budget_expenditure.csv", JS_BEXP_FUND, "资金来源"},
    {"budget_expenditure.csv", JS_BEXP_SPEND, "支出类型"},
    {"budget_expenditure.csv", JS_BEXP_PROJECT, "项目名称"},
    {"budget_expenditure.csv", JS_BEXP_AMOUNT, "预算数"},
    {"budget_expenditure.csv", JS_BEXP_PRIOR, "上年预算数"},
    {"budget_expenditure.csv", JS_BEXP_FUNC_NAME, "功能分类科目名称"},
    {"budget_expenditure.csv", JS_BEXP_ECON_NAME, "经济分类科目名称"},
    {"budget_revenue.csv", JS_BREV_UNIT, "单位"},
    {"budget_revenue.csv", JS_BREV_FUNC, "功能分类科目编码"},
    {"budget_revenue.csv", JS_BREV_FUND, "收入类型"},
    {"budget_revenue.csv", JS_BREV_AMOUNT, "预算数"},
    {"budget_revenue.csv", JS_BREV_PRIOR, "上年预算数"},
    {"budget_revenue.csv", JS_BREV_FUNC_NAME, "功能分类科目名称"},
    {"budget_carryover.csv", JS_BCARRY_UNIT, "单位"},
    {"budget_carryover.csv", JS_BCARRY_FUNC, "功能分类科目编码"},
    {"budget_carryover.csv", JS_BCARRY_FUND, "资金来源"},
    {"budget_carryover.csv", JS_BCARRY_AMOUNT, "上年结转"},
    {"budget_carryover.csv", JS_BCARRY_FUNC_NAME, "功能分类科目名称"},
    {"budget_sangong.csv", JS_BSG_ITEM, "项目"},
    {"budget_sangong.csv", JS_BSG_AMOUNT, "预算数"},
    {"budget_sangong.csv", JS_BSG_PRIOR, "上年预算数"},
    {"budget_figures.csv", JS_BFIG_ITEM, "项目"},
    {"budget_figures.csv", JS_BFIG_AMOUNT, "预算数"},
    {"budget_figures.csv", JS_BFIG_PRIOR, "上年预算数"},
    {"budget_procurement.csv", JS_BPROC_KIND, "类别"},
    {"budget_procurement.csv", JS_BPROC_AMOUNT, "预算数"},
    {"budget_procurement.csv", JS_BPROC_SME, "面向中小企业预留"},
    {"budget_procurement.csv", JS_BPROC_SMALL, "其中预留小微企业"},
    {"budget_targets.csv", JS_BTGT_PROJECT, "项目名称"},
    {"budget_targets.csv", JS_BTGT_GOAL, "年度目标"},
    {"budget_targets.csv", JS_BTGT_LEVEL1, "一级指标"},
    {"budget_targets.csv", JS_BTGT_LEVEL2, "二级指标"},
    {"budget_targets.csv", JS_BTGT_LEVEL3, "三级指标"},
    {"budget_targets.csv", JS_BTGT_VALUE, "指标值"},
};

int main(void)
{
    AGREES("department.csv", JS_DEPARTMENT_COLUMNS, JS_DEPT_NCOLS);
    AGREES("units.csv", JS_UNITS_COLUMNS, JS_UNITS_NCOLS);
    AGREES("expenditure.csv", JS_EXPENDITURE_COLUMNS, JS_EXP_NCOLS);
    AGREES("revenue.csv", JS_REVENUE_COLUMNS, JS_REV_NCOLS);
    AGREES("carryover.csv", JS_CARRYOVER_COLUMNS, JS_CARRY_NCOLS);
    AGREES("surplus.csv", JS_SURPLUS_COLUMNS, JS_SURPLUS_NCOLS);
    AGREES("budget.csv", JS_BUDGET_COLUMNS, JS_BUDGET_NCOLS);
    AGREES("prior_year.csv", JS_PRIOR_YEAR_COLUMNS, JS_PRIOR_NCOLS);
    AGREES("figures.csv", JS_FIGURES_COLUMNS, JS_FIGURES_NCOLS);
    AGREES("sangong.csv", JS_SANGONG_COLUMNS, JS_SANGONG_NCOLS);
    AGREES("procurement.csv", JS_PROCUREMENT_COLUMNS, JS_PROC_NCOLS);
    AGREES("assets.csv", JS_ASSETS_COLUMNS, JS_ASSETS_NCOLS);
    AGREES("text.csv", JS_TEXT_COLUMNS, JS_TEXT_NCOLS);
    AGREES("keywork.csv", JS_KEYWORK_COLUMNS, JS_KEYWORK_NCOLS);
    AGREES("perf_items.csv", JS_PERF_ITEMS_COLUMNS, JS_PERF_NCOLS);
    AGREES("perf_indicators.csv", JS_PERF_INDICATORS_COLUMNS, JS_IND_NCOLS);
    AGREES("budget_expenditure.csv", JS_BUDGET_EXPENDITURE_COLUMNS, JS_BEXP_NCOLS);
    AGREES("budget_revenue.csv", JS_BUDGET_REVENUE_COLUMNS, JS_BREV_NCOLS);
    AGREES("budget_carryover.csv", JS_BUDGET_CARRYOVER_COLUMNS, JS_BCARRY_NCOLS);
    AGREES("budget_sangong.csv", JS_BUDGET_SANGONG_COLUMNS, JS_BSG_NCOLS);
    AGREES("budget_figures.csv", JS_BUDGET_FIGURES_COLUMNS, JS_BFIG_NCOLS);
    AGREES("budget_procurement.csv", JS_BUDGET_PROCUREMENT_COLUMNS, JS_BPROC_NCOLS);
    AGREES("budget_targets.csv", JS_BUDGET_TARGETS_COLUMNS, JS_BTGT_NCOLS);
    ok(js_nsheets == 23, "the schema has 23 sheets, each checked above (got %d)", js_nsheets);
    /* The files a workbook folder may hold (replaced by template --force):
     * every sheet's, in order, then the guide. */
    int nf = 0;
    while (js_workbook_file_names[nf])
        nf++;
    ok(nf == js_nsheets + 1 && !strcmp(js_workbook_file_names[js_nsheets], JS_GUIDE_FILE),
       "the workbook's file names are the %d sheets and the guide (got %d)", js_nsheets, nf);
    for (int s = 0; s < js_nsheets && s < nf; s++)
        is_str(js_workbook_file_names[s], js_sheets[s].file, "workbook file %d is sheet %s", s, js_sheets[s].file);

    for (size_t i = 0; i < sizeof k_used / sizeof k_used[0]; i++)
        is_str(js_workbook_sheet_heading(k_used[i].file, k_used[i].id), k_used[i].heading, "%s column %d is '%s'",
               k_used[i].file, k_used[i].id, k_used[i].heading);

    /* Keyed sheets: a key and at least one value column. */
    for (int s = 0; s < js_nsheets; s++)
        if (js_sheets[s].keyed)
            ok(js_sheets[s].ncols > JS_VALUE_COL, "%s (keyed) has a key column and a value column",
               js_sheets[s].file);
    return done_testing();
}
