/* The workbook schema (see workbook_schema.h). */
#include "workbook_schema.h"

#include <stdio.h>
#include <string.h>

#include "juesuan/workbook.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const k_dept_keys[] = {
    "部门名称", "年度", "配置", "分类科目版本", "公开日期", "咨询电话", "主要职责", "机构设置", "预算公开日期",
    "预算批复日期",
};
static const char *const k_prior_keys[] = {
    "收支总计", "收入合计", "支出合计", "基本支出", "项目支出", "财政拨款收支总计",
    "一般公共预算财政拨款支出", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
    "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
    "三公经费", "机关运行经费",
};
static const char *const k_figure_keys[] = {"机关运行经费", "机关运行经费预算数"};
static const char *const k_budget_figure_keys[] = {"机关运行经费"};
static const char *const k_surplus_items[] = {"使用非财政拨款结余", "结余分配"};
static const char *const k_proc_kinds[] = {"货物", "工程", "服务"};
static const char *const k_asset_keys[] = {
    "车辆合计", "副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车",
    "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车",
    "单价100万元(含)以上设备",
};

static const char *const k_perf_kinds[] = {"部门整体", "项目"};
static const char *const k_perf_ops[] = {"≥", "≤", "=", "定性"};
static const char *const k_yes_no[] = {"是", "否"};
static const char *const k_grades[] = {"达成", "部分达成", "未达成"};

/* Each sheet's columns from its list in workbook_schema.h; the count of
 * entries is that of the list's ids. A vocabulary is one argument of X,
 * (names, count) in parentheses, unwrapped by UNPAREN. */
#define JS_NO_VOCAB (NULL, 0)
#define JS_VOCAB(array) (array, N(array))
#define UNPAREN(...) __VA_ARGS__
#define COLSPEC(id, name, type, required, cell_required, vocab, doc, example) \
    {name, type, required, cell_required, UNPAREN vocab, doc, example},
#define COLUMNS(array, list, count)                           \
    static const js_colspec array[] = {list(COLSPEC)};        \
    _Static_assert(N(array) == (count), #list " and its ids disagree")

COLUMNS(k_department, JS_DEPARTMENT_COLUMNS, JS_DEPT_NCOLS);
COLUMNS(k_units, JS_UNITS_COLUMNS, JS_UNITS_NCOLS);
COLUMNS(k_expenditure, JS_EXPENDITURE_COLUMNS, JS_EXP_NCOLS);
COLUMNS(k_revenue, JS_REVENUE_COLUMNS, JS_REV_NCOLS);
COLUMNS(k_carryover, JS_CARRYOVER_COLUMNS, JS_CARRY_NCOLS);
COLUMNS(k_surplus, JS_SURPLUS_COLUMNS, JS_SURPLUS_NCOLS);
COLUMNS(k_budget, JS_BUDGET_COLUMNS, JS_BUDGET_NCOLS);
COLUMNS(k_prior, JS_PRIOR_YEAR_COLUMNS, JS_PRIOR_NCOLS);
COLUMNS(k_figures, JS_FIGURES_COLUMNS, JS_FIGURES_NCOLS);
COLUMNS(k_sangong, JS_SANGONG_COLUMNS, JS_SANGONG_NCOLS);
COLUMNS(k_procurement, JS_PROCUREMENT_COLUMNS, JS_PROC_NCOLS);
COLUMNS(k_assets, JS_ASSETS_COLUMNS, JS_ASSETS_NCOLS);
COLUMNS(k_text, JS_TEXT_COLUMNS, JS_TEXT_NCOLS);
COLUMNS(k_keywork, JS_KEYWORK_COLUMNS, JS_KEYWORK_NCOLS);
COLUMNS(k_perf_items, JS_PERF_ITEMS_COLUMNS, JS_PERF_NCOLS);
COLUMNS(k_perf_indicators, JS_PERF_INDICATORS_COLUMNS, JS_IND_NCOLS);
COLUMNS(k_budget_expenditure, JS_BUDGET_EXPENDITURE_COLUMNS, JS_BEXP_NCOLS);
COLUMNS(k_budget_revenue, JS_BUDGET_REVENUE_COLUMNS, JS_BREV_NCOLS);
COLUMNS(k_budget_carryover, JS_BUDGET_CARRYOVER_COLUMNS, JS_BCARRY_NCOLS);
COLUMNS(k_budget_sangong, JS_BUDGET_SANGONG_COLUMNS, JS_BSG_NCOLS);
COLUMNS(k_budget_figures, JS_BUDGET_FIGURES_COLUMNS, JS_BFIG_NCOLS);
COLUMNS(k_budget_procurement, JS_BUDGET_PROCUREMENT_COLUMNS, JS_BPROC_NCOLS);
COLUMNS(k_budget_targets, JS_BUDGET_TARGETS_COLUMNS, JS_BTGT_NCOLS);

#define SHEET(file, title, req, keyed, cols, doc) {file, title, req, keyed, false, cols, N(cols), doc}
#define ROWS(file, title, cols, doc) {file, title, false, false, true, cols, N(cols), doc}

const js_sheetspec js_sheets[] = {
    SHEET("department.csv", "部门信息", true, true, k_department, "部门名称、年度等基本信息"),
    SHEET("units.csv", "单位", true, false, k_units, "纳入部门决算的单位"),
    SHEET("expenditure.csv", "支出", true, false, k_expenditure, "支出明细"),
    SHEET("revenue.csv", "收入", true, false, k_revenue, "收入明细"),
    SHEET("carryover.csv", "结转结余", false, false, k_carryover, "年初、年末结转和结余"),
    SHEET("surplus.csv", "结余使用和分配", false, false, k_surplus, "使用非财政拨款结余、结余分配"),
    SHEET("budget.csv", "年初预算", false, false, k_budget, "年初预算数及差异原因"),
    SHEET("prior_year.csv", "上年数", false, true, k_prior, "上年决算数"),
    SHEET("figures.csv", "其他金额", false, true, k_figures, "机关运行经费等"),
    SHEET("sangong.csv", "三公经费", false, true, k_sangong, "“三公”经费预算、决算和数量"),
    SHEET("procurement.csv", "政府采购", false, true, k_procurement, "政府采购支出"),
    SHEET("assets.csv", "资产", false, true, k_assets, "车辆和大型设备"),
    SHEET("text.csv", "文本", false, true, k_text, "情况说明用的文字"),
    SHEET("keywork.csv", "重点工作", false, true, k_keywork, "重点工作完成情况表"),
    SHEET("perf_items.csv", "绩效自评", false, true, k_perf_items, "绩效自评对象（部门整体和项目）"),
    ROWS("perf_indicators.csv", "绩效指标", k_perf_indicators, "绩效自评指标"),
    SHEET("budget_expenditure.csv", "预算支出", false, false, k_budget_expenditure, "预算阶段：预算支出明细（含上年预算数）"),
    SHEET("budget_revenue.csv", "预算收入", false, false, k_budget_revenue, "预算阶段：收入预算"),
    SHEET("budget_carryover.csv", "上年结转", false, false, k_budget_carryover, "预算阶段：上年结转资金"),
    SHEET("budget_sangong.csv", "三公经费预算", false, true, k_budget_sangong, "预算阶段：“三公”经费预算"),
    SHEET("budget_figures.csv", "预算其他金额", false, true, k_budget_figures, "预算阶段：机关运行经费预算"),
    SHEET("budget_procurement.csv", "政府采购预算", false, true, k_budget_procurement, "预算阶段：政府采购预算"),
    ROWS("budget_targets.csv", "绩效目标", k_budget_targets, "预算阶段：项目绩效目标（只有目标，不评分）"),
};
const int js_nsheets = N(js_sheets);

const char *const js_workbook_file_names[] = {
    "department.csv", "units.csv", "expenditure.csv", "revenue.csv", "carryover.csv", "surplus.csv",
    "budget.csv", "prior_year.csv", "figures.csv", "sangong.csv", "procurement.csv", "assets.csv",
    "text.csv", "keywork.csv", "perf_items.csv", "perf_indicators.csv", "budget_expenditure.csv",
    "budget_revenue.csv", "budget_carryover.csv", "budget_sangong.csv", "budget_figures.csv",
    "budget_procurement.csv", "budget_targets.csv", JS_GUIDE_FILE, NULL,
};

int js_sheet_index(const char *file)
{
    /* a build looks sheets up thousands of times (every cell of the
     * 绩效 sheets): the first byte rules out most before a strcmp */
    for (int i = 0; i < js_nsheets; i++)
        if (js_sheets[i].file[0] == file[0] && strcmp(js_sheets[i].file, file) == 0)
            return i;
    return -1;
}

const char *js_sheet_file(const char *name)
{
    for (int i = 0; i < js_nsheets; i++)
        if ((js_sheets[i].file[0] == name[0] && !strcmp(js_sheets[i].file, name)) ||
            (js_sheets[i].title[0] == name[0] && !strcmp(js_sheets[i].title, name)))
            return js_sheets[i].file;
    return NULL;
}

const char *js_sheet_title(const char *file)
{
    int i = js_sheet_index(file);
    return i >= 0 ? js_sheets[i].title : file;
}

long js_sheet_in_book(const char *path, const char *sheet_file, const char *const *names, size_t n, char *display,
                      size_t len)
{
    int s = js_sheet_index(sheet_file);
    const char *title = s >= 0 ? js_sheets[s].title : sheet_file;
    snprintf(display, len, "%s!%s", path, title);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], title))
            return (long)i;
    return -1;
}

_Static_assert(sizeof js_sheets / sizeof js_sheets[0] <= JS_MAX_SHEETS, "JS_MAX_SHEETS too small");
