/* The workbook schema (see workbook_schema.h). */
#include "workbook_schema.h"

#include <string.h>

#include "juesuan/workbook.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const k_dept_keys[] = {
    "部门名称", "年度", "配置", "分类科目版本", "公开日期", "咨询电话", "主要职责", "机构设置",
};
static const char *const k_prior_keys[] = {
    "收支总计", "收入合计", "支出合计", "基本支出", "项目支出", "财政拨款收支总计",
    "一般公共预算财政拨款支出", "政府性基金预算财政拨款支出", "国有资本经营预算财政拨款支出",
    "一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入",
    "三公经费", "机关运行经费",
};
static const char *const k_figure_keys[] = {"机关运行经费", "机关运行经费预算数"};
static const char *const k_surplus_items[] = {"使用非财政拨款结余", "结余分配"};
static const char *const k_proc_kinds[] = {"货物", "工程", "服务"};
static const char *const k_asset_keys[] = {
    "车辆合计", "副部(省)级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车",
    "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车",
    "单价100万元(含)以上设备",
};

#define FUNDS js_fund_names, JS_FUND_COUNT

static const js_colspec k_department[] = {
    {"项目", JS_COL_VOCAB, true, true, k_dept_keys, N(k_dept_keys),
     "信息项：部门名称、年度（必填），配置（地区模板，默认 default）、分类科目版本（默认同年度）、公开日期、咨询电话、主要职责、机构设置",
     "部门名称"},
    {"内容", JS_COL_TEXT, true, false, NULL, 0, "信息内容", "某某区某某局"},
};
static const js_colspec k_units[] = {
    {"单位名称", JS_COL_TEXT, true, true, NULL, 0, "纳入部门决算的单位全称，按公开顺序排列", "某某区某某局(本级)"},
    {"单位性质", JS_COL_VOCAB, true, true, js_unit_kind_names, JS_UNIT_KIND_COUNT,
     "行政、参公（参照公务员法管理）或事业", "行政"},
};
static const js_colspec k_expenditure[] = {
    {"单位", JS_COL_UNIT, true, true, NULL, 0, "支出所属单位（须在单位表中）", "某某区某某局(本级)"},
    {"功能分类科目编码", JS_COL_FUNC, true, true, NULL, 0, "支出功能分类项级科目（7位）", "2010101"},
    {"经济分类科目编码", JS_COL_ECON, true, false, NULL, 0,
     "部门预算支出经济分类款级科目（5位）；基本支出必填", "30101"},
    {"资金来源", JS_COL_VOCAB, true, true, FUNDS, "支出的资金来源", "一般公共预算财政拨款"},
    {"支出类型", JS_COL_VOCAB, true, true, js_spend_names, JS_SPEND_COUNT, "支出类型", "基本支出"},
    {"项目名称", JS_COL_TEXT, false, false, NULL, 0, "项目支出的项目名称（基本支出可空）", ""},
    {"金额", JS_COL_MONEY, true, true, NULL, 0, "支出金额；更正可用负数", "10000.00"},
    {"功能分类科目名称", JS_COL_TEXT, false, false, NULL, 0, "功能分类科目名称（可选；填写时须与科目表一致）", ""},
    {"经济分类科目名称", JS_COL_TEXT, false, false, NULL, 0, "经济分类科目名称（可选；填写时须与科目表一致）", ""},
};
static const js_colspec k_revenue[] = {
    {"单位", JS_COL_UNIT, true, true, NULL, 0, "收入所属单位", "某某区某某局(本级)"},
    {"功能分类科目编码", JS_COL_FUNC, true, true, NULL, 0, "收入对应的支出功能分类项级科目（7位）", "2010101"},
    {"收入类型", JS_COL_VOCAB, true, true, FUNDS, "收入类型", "一般公共预算财政拨款"},
    {"金额", JS_COL_MONEY, true, true, NULL, 0, "收入金额", "10000.00"},
    {"功能分类科目名称", JS_COL_TEXT, false, false, NULL, 0, "功能分类科目名称（可选；填写时须与科目表一致）", ""},
};
static const js_colspec k_carryover[] = {
    {"单位", JS_COL_UNIT, true, true, NULL, 0, "单位", "某某区某某局(本级)"},
    {"功能分类科目编码", JS_COL_FUNC, true, true, NULL, 0, "功能分类项级科目（7位）", "2010101"},
    {"资金来源", JS_COL_VOCAB, true, true, FUNDS, "结转结余的资金来源", "一般公共预算财政拨款"},
    {"年初结转和结余", JS_COL_MONEY, true, false, NULL, 0, "年初结转和结余（空为0）", "0.00"},
    {"年末结转和结余", JS_COL_MONEY, true, false, NULL, 0, "年末结转和结余（空为0）", "0.00"},
    {"功能分类科目名称", JS_COL_TEXT, false, false, NULL, 0, "功能分类科目名称（可选；填写时须与科目表一致）", ""},
};
static const js_colspec k_surplus[] = {
    {"单位", JS_COL_UNIT, true, true, NULL, 0, "单位", "某某区某某局(本级)"},
    {"项目", JS_COL_VOCAB, true, true, k_surplus_items, N(k_surplus_items),
     "使用非财政拨款结余 或 结余分配", "结余分配"},
    {"金额", JS_COL_MONEY, true, true, NULL, 0, "金额", "0.00"},
};
static const js_colspec k_budget[] = {
    {"单位", JS_COL_UNIT, false, false, NULL, 0, "单位（可空：部门汇总）", ""},
    {"功能分类科目编码", JS_COL_FUNC, true, true, NULL, 0, "功能分类项级科目（7位）", "2010101"},
    {"资金来源", JS_COL_VOCAB, true, true, FUNDS, "资金来源", "一般公共预算财政拨款"},
    {"年初预算数", JS_COL_MONEY, true, false, NULL, 0, "年初预算数（空为0）", "10000.00"},
    {"差异原因", JS_COL_TEXT, false, false, NULL, 0, "决算数与年初预算数差异的主要原因（供情况说明）", ""},
    {"功能分类科目名称", JS_COL_TEXT, false, false, NULL, 0, "功能分类科目名称（可选；填写时须与科目表一致）", ""},
};
static const js_colspec k_prior[] = {
    {"项目", JS_COL_VOCAB, true, true, k_prior_keys, N(k_prior_keys), "上年决算数的项目", "收支总计"},
    {"金额", JS_COL_MONEY, true, false, NULL, 0, "上年决算数", "0.00"},
};
static const js_colspec k_figures[] = {
    {"项目", JS_COL_VOCAB, true, true, k_figure_keys, N(k_figure_keys), "项目", "机关运行经费预算数"},
    {"金额", JS_COL_MONEY, true, false, NULL, 0, "金额", "0.00"},
};
static const js_colspec k_sangong[] = {
    {"项目", JS_COL_VOCAB, true, true, js_sg_item_names, JS_SG_COUNT, "“三公”经费及相关项目", "公务接待费"},
    {"预算数", JS_COL_MONEY, true, false, NULL, 0, "财政拨款全年预算数（调整后）", "0.00"},
    {"决算数", JS_COL_MONEY, true, false, NULL, 0, "财政拨款决算数", "0.00"},
    {"上年决算数", JS_COL_MONEY, false, false, NULL, 0, "上年财政拨款决算数", "0.00"},
    {"数量", JS_COL_COUNT, false, false, NULL, 0,
     "出国团组数、接待批次；公务用车购置费填购置辆数，运行维护费填年末保有辆数", "0"},
    {"人次", JS_COL_COUNT, false, false, NULL, 0, "出国或接待人次", "0"},
};
static const js_colspec k_procurement[] = {
    {"类别", JS_COL_VOCAB, true, true, k_proc_kinds, N(k_proc_kinds), "货物、工程或服务", "货物"},
    {"采购金额", JS_COL_MONEY, true, false, NULL, 0, "政府采购支出", "0.00"},
    {"授予中小企业合同金额", JS_COL_MONEY, true, false, NULL, 0, "其中授予中小企业", "0.00"},
    {"授予小微企业合同金额", JS_COL_MONEY, true, false, NULL, 0, "其中授予小微企业", "0.00"},
};
static const js_colspec k_assets[] = {
    {"项目", JS_COL_VOCAB, true, true, k_asset_keys, N(k_asset_keys), "车辆类别或大型设备", "车辆合计"},
    {"数量", JS_COL_COUNT, true, false, NULL, 0, "截至年末的数量（辆、台/套）", "0"},
};
static const js_colspec k_keywork[] = {
    {"序号", JS_COL_TEXT, true, true, NULL, 0, "序号", "1"},
    {"重要事项", JS_COL_TEXT, true, false, NULL, 0, "重点工作事项", ""},
    {"工作内容及目标", JS_COL_TEXT, true, false, NULL, 0, "年初确定的工作内容和目标", ""},
    {"完成情况", JS_COL_TEXT, true, false, NULL, 0, "完成情况", ""},
};
static const char *const k_perf_kinds[] = {"部门整体", "项目"};
static const char *const k_perf_ops[] = {"≥", "≤", "=", "定性"};
static const char *const k_yes_no[] = {"是", "否"};
static const char *const k_grades[] = {"达成", "部分达成", "未达成"};
static const js_colspec k_perf_items[] = {
    {"项目名称", JS_COL_TEXT, true, true, NULL, 0, "绩效自评对象：部门整体或项目名称", "部门整体"},
    {"类型", JS_COL_VOCAB, true, true, k_perf_kinds, N(k_perf_kinds), "部门整体 或 项目", "部门整体"},
    {"主管部门", JS_COL_TEXT, false, false, NULL, 0, "主管部门（部门整体填部门名称）", ""},
    {"实施单位", JS_COL_TEXT, false, false, NULL, 0, "项目实施单位", ""},
    {"项目类别", JS_COL_TEXT, false, false, NULL, 0, "项目类别，为配置中的选项之一（default：部门预算项目、区级专项、上级转移支付项目）", ""},
    {"项目属性", JS_COL_TEXT, false, false, NULL, 0, "项目属性，为配置中的选项之一（default：持续性项目、新增性项目）", ""},
    {"项目类型", JS_COL_TEXT, false, false, NULL, 0, "项目类型，为配置中的选项之一（default：常年性项目、延续性项目、一次性项目）", ""},
    {"预算数", JS_COL_MONEY, true, false, NULL, 0, "全年预算数（A）", "0"},
    {"执行数", JS_COL_MONEY, true, false, NULL, 0, "全年执行数（B）", "0"},
    {"执行率小数位", JS_COL_COUNT, false, false, NULL, 0, "执行率显示的小数位数（可空：取配置）", ""},
    {"年度目标", JS_COL_TEXT, false, false, NULL, 0, "年度绩效目标", ""},
    {"偏差原因", JS_COL_TEXT, false, false, NULL, 0, "偏差大或目标未完成原因分析", ""},
    {"改进措施", JS_COL_TEXT, false, false, NULL, 0, "改进措施及结果应用方案", ""},
    {"关联项目名称", JS_COL_TEXT, false, false, NULL, 0, "支出明细中对应的项目名称（执行数据此核对）", ""},
    {"主要产出和效益", JS_COL_TEXT, false, false, NULL, 0, "情况说明十三用", ""},
    {"发现的问题及原因", JS_COL_TEXT, false, false, NULL, 0, "情况说明十三用", ""},
    {"下一步改进措施", JS_COL_TEXT, false, false, NULL, 0, "情况说明十三用", ""},
    {"填报日期", JS_COL_TEXT, false, false, NULL, 0, "自评表填报日期", ""},
    {"附件标题", JS_COL_TEXT, false, false, NULL, 0, "自评表标题", ""},
    {"情况说明预算数", JS_COL_MONEY, false, false, NULL, 0,
     "情况说明另行写出的预算数（可选；填写时须与预算数一致）", ""},
    {"说明标题", JS_COL_TEXT, false, false, NULL, 0, "情况说明十三中该项目的标题（可空：项目名称+项目绩效自评综述）", ""},
    {"说明顺序", JS_COL_COUNT, false, false, NULL, 0, "情况说明十三中的顺序（可空：按本表顺序）", ""},
};
static const js_colspec k_perf_indicators[] = {
    {"项目名称", JS_COL_TEXT, true, true, NULL, 0, "所属绩效自评对象（perf_items.csv 的项目名称）", "部门整体"},
    {"一级指标", JS_COL_TEXT, true, true, NULL, 0, "产出指标、效益指标、满意度指标等", "产出指标"},
    {"二级指标", JS_COL_TEXT, true, false, NULL, 0, "数量指标、质量指标等", "数量指标"},
    {"三级指标", JS_COL_TEXT, true, true, NULL, 0, "指标名称", "示例指标"},
    {"运算符", JS_COL_VOCAB, true, true, k_perf_ops, N(k_perf_ops), "≥、≤、= 或 定性", "≥"},
    {"目标值", JS_COL_TEXT, false, false, NULL, 0, "年初目标值（印刷文字）", "≥10家"},
    {"目标数", JS_COL_NUMBER, false, false, NULL, 0, "目标值的数字（定性指标可空）", "10"},
    {"实际值", JS_COL_TEXT, false, false, NULL, 0, "实际完成值（印刷文字）", "12家"},
    {"实际数", JS_COL_NUMBER, false, false, NULL, 0, "实际完成值的数字（定性指标可空）", "12"},
    {"权重", JS_COL_NUMBER, true, true, NULL, 0, "指标分值", "80"},
    {"适用", JS_COL_VOCAB, false, false, k_yes_no, N(k_yes_no), "是/否（不适用的指标不计分，其余按比例折算）", "是"},
    {"等级", JS_COL_VOCAB, false, false, k_grades, N(k_grades), "定性指标的完成等级", ""},
    {"得分", JS_COL_TEXT, false, false, NULL, 0, "报告中印刷的得分（仅供核对，不参与计算）", ""},
};
static const js_colspec k_text[] = {
    {"章节", JS_COL_TEXT, true, true, NULL, 0, "文字所属的章节或用途（见 docs/workbook.md）", "收支增减原因"},
    {"内容", JS_COL_TEXT, true, false, NULL, 0, "文字内容", ""},
};

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
};
const int js_nsheets = N(js_sheets);

int js_sheet_index(const char *file)
{
    for (int i = 0; i < js_nsheets; i++)
        if (strcmp(js_sheets[i].file, file) == 0)
            return i;
    return -1;
}

const char *js_sheet_file(const char *name)
{
    for (int i = 0; i < js_nsheets; i++)
        if (!strcmp(js_sheets[i].file, name) || !strcmp(js_sheets[i].title, name))
            return js_sheets[i].file;
    return NULL;
}

const char *js_sheet_title(const char *file)
{
    int i = js_sheet_index(file);
    return i >= 0 ? js_sheets[i].title : file;
}

_Static_assert(sizeof js_sheets / sizeof js_sheets[0] <= JS_MAX_SHEETS, "JS_MAX_SHEETS too small");
