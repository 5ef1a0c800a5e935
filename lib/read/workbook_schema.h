/* The workbook schema: its sheets and their columns, in reading order.
 * docs/workbook.md documents the same schema for users; `juesuan template`
 * writes it out. */
#ifndef JS_WORKBOOK_SCHEMA_H
#define JS_WORKBOOK_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    JS_COL_TEXT,      /* free text */
    JS_COL_MONEY,     /* amount; the heading carries (元) or (万元) */
    JS_COL_FUNC,      /* 7-digit functional 项 code */
    JS_COL_ECON,      /* 5-digit economic 款 code */
    JS_COL_VOCAB,     /* one of a closed list */
    JS_COL_UNIT,      /* a unit named in units.csv */
    JS_COL_COUNT,     /* non-negative whole number */
    JS_COL_NUMBER,    /* a decimal number (up to 6 decimals), kept ×10^6 */
    JS_COL_DATE       /* a date (2025-11-05, 2025/11/5, 2025年11月5日, an Excel date cell), kept as YYYY-MM-DD */
} js_coltype;

typedef struct {
    const char *name;           /* heading without the unit suffix */
    js_coltype type;
    bool required;              /* the column must exist */
    bool cell_required;         /* cells may not be blank */
    const char *const *vocab;   /* JS_COL_VOCAB: allowed values */
    int nvocab;
    const char *doc;            /* meaning, for docs and the template */
    const char *example;        /* example value for the template */
} js_colspec;

typedef struct {
    const char *file;           /* e.g. "expenditure.csv" */
    const char *title;          /* Chinese sheet name */
    bool required;              /* the sheet must exist */
    bool keyed;                 /* key-value sheet: first column is a key */
    bool rows;                  /* kept as rows of text (non-keyed, e.g. indicators) */
    const js_colspec *cols;
    int ncols;
    const char *doc;
} js_sheetspec;

/* The columns of every sheet, one X-macro list per sheet in reading order:
 * the one definition from which workbook_schema.c builds each sheet's
 * js_colspec array and this header an enum of column ids (JS_EXP_AMOUNT …)
 * with the count last (JS_EXP_NCOLS). Code addresses a column by its id, so
 * a column inserted into a list moves the ids after it; tests/unit/
 * test_schema.c checks each id against its heading.
 *
 * Each entry is X(id, name, type, required, cell_required, vocab, doc,
 * example), the fields of js_colspec; vocab is JS_NO_VOCAB or
 * JS_VOCAB(array), the array named in workbook_schema.c or workbook.h (the
 * lists are only expanded with their vocabularies there). */
#define JS_COLUMN_ID(id, ...) id,

/* department.csv */
#define JS_DEPARTMENT_COLUMNS(X) \
    X(JS_DEPT_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_dept_keys), \
      "信息项：部门名称、年度（必填），配置（地区模板，默认 default）、分类科目版本（默认同年度）、公开日期、咨询电话、主要职责、机构设置、预算公开日期", "部门名称") \
    X(JS_DEPT_TEXT, "内容", JS_COL_TEXT, true, false, JS_NO_VOCAB, "信息内容", "某某区某某局")
enum { JS_DEPARTMENT_COLUMNS(JS_COLUMN_ID) JS_DEPT_NCOLS };

/* units.csv */
#define JS_UNITS_COLUMNS(X) \
    X(JS_UNITS_NAME, "单位名称", JS_COL_TEXT, true, true, JS_NO_VOCAB, \
      "纳入部门决算的单位全称，按公开顺序排列", "某某区某某局(本级)") \
    X(JS_UNITS_KIND, "单位性质", JS_COL_VOCAB, true, true, JS_VOCAB(js_unit_kind_names), \
      "行政、参公（参照公务员法管理）或事业", "行政")
enum { JS_UNITS_COLUMNS(JS_COLUMN_ID) JS_UNITS_NCOLS };

/* expenditure.csv */
#define JS_EXPENDITURE_COLUMNS(X) \
    X(JS_EXP_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "支出所属单位（须在单位表中）", "某某区某某局(本级)") \
    X(JS_EXP_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, "支出功能分类项级科目（7位）", "2010101") \
    X(JS_EXP_ECON, "经济分类科目编码", JS_COL_ECON, true, false, JS_NO_VOCAB, \
      "部门预算支出经济分类款级科目（5位）；基本支出必填", "30101") \
    X(JS_EXP_FUND, "资金来源", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), \
      "支出的资金来源", "一般公共预算财政拨款") \
    X(JS_EXP_SPEND, "支出类型", JS_COL_VOCAB, true, true, JS_VOCAB(js_spend_names), "支出类型", "基本支出") \
    X(JS_EXP_PROJECT, "项目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, "项目支出的项目名称（基本支出可空）", "") \
    X(JS_EXP_AMOUNT, "金额", JS_COL_MONEY, true, true, JS_NO_VOCAB, "支出金额；更正可用负数", "10000.00") \
    X(JS_EXP_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "") \
    X(JS_EXP_ECON_NAME, "经济分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "经济分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_EXPENDITURE_COLUMNS(JS_COLUMN_ID) JS_EXP_NCOLS };

/* revenue.csv */
#define JS_REVENUE_COLUMNS(X) \
    X(JS_REV_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "收入所属单位", "某某区某某局(本级)") \
    X(JS_REV_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, \
      "收入对应的支出功能分类项级科目（7位）", "2010101") \
    X(JS_REV_FUND, "收入类型", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), "收入类型", "一般公共预算财政拨款") \
    X(JS_REV_AMOUNT, "金额", JS_COL_MONEY, true, true, JS_NO_VOCAB, "收入金额", "10000.00") \
    X(JS_REV_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_REVENUE_COLUMNS(JS_COLUMN_ID) JS_REV_NCOLS };

/* carryover.csv */
#define JS_CARRYOVER_COLUMNS(X) \
    X(JS_CARRY_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "单位", "某某区某某局(本级)") \
    X(JS_CARRY_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, "功能分类项级科目（7位）", "2010101") \
    X(JS_CARRY_FUND, "资金来源", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), \
      "结转结余的资金来源", "一般公共预算财政拨款") \
    X(JS_CARRY_OPEN, "年初结转和结余", JS_COL_MONEY, true, false, JS_NO_VOCAB, "年初结转和结余（空为0）", "0.00") \
    X(JS_CARRY_CLOSE, "年末结转和结余", JS_COL_MONEY, true, false, JS_NO_VOCAB, "年末结转和结余（空为0）", "0.00") \
    X(JS_CARRY_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_CARRYOVER_COLUMNS(JS_COLUMN_ID) JS_CARRY_NCOLS };

/* surplus.csv */
#define JS_SURPLUS_COLUMNS(X) \
    X(JS_SURPLUS_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "单位", "某某区某某局(本级)") \
    X(JS_SURPLUS_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_surplus_items), \
      "使用非财政拨款结余 或 结余分配", "结余分配") \
    X(JS_SURPLUS_AMOUNT, "金额", JS_COL_MONEY, true, true, JS_NO_VOCAB, "金额", "0.00")
enum { JS_SURPLUS_COLUMNS(JS_COLUMN_ID) JS_SURPLUS_NCOLS };

/* budget.csv */
#define JS_BUDGET_COLUMNS(X) \
    X(JS_BUDGET_UNIT, "单位", JS_COL_UNIT, false, false, JS_NO_VOCAB, "单位（可空：部门汇总）", "") \
    X(JS_BUDGET_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, "功能分类项级科目（7位）", "2010101") \
    X(JS_BUDGET_FUND, "资金来源", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), \
      "资金来源", "一般公共预算财政拨款") \
    X(JS_BUDGET_AMOUNT, "年初预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, \
      "年初预算数（空为0；工作簿有预算阶段的「预算支出」时可不要此列，年初预算取自预算支出）", "10000.00") \
    X(JS_BUDGET_REASON, "差异原因", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "决算数与年初预算数差异的主要原因（供情况说明）", "") \
    X(JS_BUDGET_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_BUDGET_COLUMNS(JS_COLUMN_ID) JS_BUDGET_NCOLS };

/* prior_year.csv */
#define JS_PRIOR_YEAR_COLUMNS(X) \
    X(JS_PRIOR_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_prior_keys), "上年决算数的项目", "收支总计") \
    X(JS_PRIOR_AMOUNT, "金额", JS_COL_MONEY, true, false, JS_NO_VOCAB, "上年决算数", "0.00")
enum { JS_PRIOR_YEAR_COLUMNS(JS_COLUMN_ID) JS_PRIOR_NCOLS };

/* figures.csv */
#define JS_FIGURES_COLUMNS(X) \
    X(JS_FIGURES_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_figure_keys), "项目", "机关运行经费预算数") \
    X(JS_FIGURES_AMOUNT, "金额", JS_COL_MONEY, true, false, JS_NO_VOCAB, "金额", "0.00")
enum { JS_FIGURES_COLUMNS(JS_COLUMN_ID) JS_FIGURES_NCOLS };

/* sangong.csv */
#define JS_SANGONG_COLUMNS(X) \
    X(JS_SANGONG_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(js_sg_item_names), \
      "“三公”经费及相关项目", "公务接待费") \
    X(JS_SANGONG_BUDGET, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "财政拨款全年预算数（调整后）", "0.00") \
    X(JS_SANGONG_ACTUAL, "决算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "财政拨款决算数", "0.00") \
    X(JS_SANGONG_PRIOR, "上年决算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, "上年财政拨款决算数", "0.00") \
    X(JS_SANGONG_QUANTITY, "数量", JS_COL_COUNT, false, false, JS_NO_VOCAB, \
      "出国团组数、接待批次；公务用车购置费填购置辆数，运行维护费填年末保有辆数", "0") \
    X(JS_SANGONG_PERSONS, "人次", JS_COL_COUNT, false, false, JS_NO_VOCAB, "出国或接待人次", "0")
enum { JS_SANGONG_COLUMNS(JS_COLUMN_ID) JS_SANGONG_NCOLS };

/* procurement.csv */
#define JS_PROCUREMENT_COLUMNS(X) \
    X(JS_PROC_KIND, "类别", JS_COL_VOCAB, true, true, JS_VOCAB(k_proc_kinds), "货物、工程或服务", "货物") \
    X(JS_PROC_AMOUNT, "采购金额", JS_COL_MONEY, true, false, JS_NO_VOCAB, "政府采购支出", "0.00") \
    X(JS_PROC_SME, "授予中小企业合同金额", JS_COL_MONEY, true, false, JS_NO_VOCAB, "其中授予中小企业", "0.00") \
    X(JS_PROC_SMALL, "授予小微企业合同金额", JS_COL_MONEY, true, false, JS_NO_VOCAB, "其中授予小微企业", "0.00")
enum { JS_PROCUREMENT_COLUMNS(JS_COLUMN_ID) JS_PROC_NCOLS };

/* assets.csv */
#define JS_ASSETS_COLUMNS(X) \
    X(JS_ASSETS_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_asset_keys), "车辆类别或大型设备", "车辆合计") \
    X(JS_ASSETS_QUANTITY, "数量", JS_COL_COUNT, true, false, JS_NO_VOCAB, "截至年末的数量（辆、台/套）", "0")
enum { JS_ASSETS_COLUMNS(JS_COLUMN_ID) JS_ASSETS_NCOLS };

/* text.csv */
#define JS_TEXT_COLUMNS(X) \
    X(JS_TEXT_SECTION, "章节", JS_COL_TEXT, true, true, JS_NO_VOCAB, \
      "文字所属的章节或用途（见 docs/workbook.md）", "收支增减原因") \
    X(JS_TEXT_CONTENT, "内容", JS_COL_TEXT, true, false, JS_NO_VOCAB, "文字内容", "")
enum { JS_TEXT_COLUMNS(JS_COLUMN_ID) JS_TEXT_NCOLS };

/* keywork.csv */
#define JS_KEYWORK_COLUMNS(X) \
    X(JS_KEYWORK_NO, "序号", JS_COL_TEXT, true, true, JS_NO_VOCAB, "序号", "1") \
    X(JS_KEYWORK_ITEM, "重要事项", JS_COL_TEXT, true, false, JS_NO_VOCAB, "重点工作事项", "") \
    X(JS_KEYWORK_GOAL, "工作内容及目标", JS_COL_TEXT, true, false, JS_NO_VOCAB, "年初确定的工作内容和目标", "") \
    X(JS_KEYWORK_DONE, "完成情况", JS_COL_TEXT, true, false, JS_NO_VOCAB, "完成情况", "")
enum { JS_KEYWORK_COLUMNS(JS_COLUMN_ID) JS_KEYWORK_NCOLS };

/* perf_items.csv */
#define JS_PERF_ITEMS_COLUMNS(X) \
    X(JS_PERF_NAME, "项目名称", JS_COL_TEXT, true, true, JS_NO_VOCAB, "绩效自评对象：部门整体或项目名称", "部门整体") \
    X(JS_PERF_KIND, "类型", JS_COL_VOCAB, true, true, JS_VOCAB(k_perf_kinds), "部门整体 或 项目", "部门整体") \
    X(JS_PERF_DEPT, "主管部门", JS_COL_TEXT, false, false, JS_NO_VOCAB, "主管部门（部门整体填部门名称）", "") \
    X(JS_PERF_UNIT, "实施单位", JS_COL_TEXT, false, false, JS_NO_VOCAB, "项目实施单位", "") \
    X(JS_PERF_CATEGORY, "项目类别", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "项目类别，为配置中的选项之一（default：部门预算项目、区级专项、上级转移支付项目）", "") \
    X(JS_PERF_ATTRIBUTE, "项目属性", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "项目属性，为配置中的选项之一（default：持续性项目、新增性项目）", "") \
    X(JS_PERF_TYPE, "项目类型", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "项目类型，为配置中的选项之一（default：常年性项目、延续性项目、一次性项目）", "") \
    X(JS_PERF_BUDGET, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "全年预算数（A）", "0") \
    X(JS_PERF_EXECUTED, "执行数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "全年执行数（B）", "0") \
    X(JS_PERF_DECIMALS, "执行率小数位", JS_COL_COUNT, false, false, JS_NO_VOCAB, \
      "执行率显示的小数位数（可空：取配置）", "") \
    X(JS_PERF_GOAL, "年度目标", JS_COL_TEXT, false, false, JS_NO_VOCAB, "年度绩效目标", "") \
    X(JS_PERF_REASON, "偏差原因", JS_COL_TEXT, false, false, JS_NO_VOCAB, "偏差大或目标未完成原因分析", "") \
    X(JS_PERF_MEASURE, "改进措施", JS_COL_TEXT, false, false, JS_NO_VOCAB, "改进措施及结果应用方案", "") \
    X(JS_PERF_LINK, "关联项目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "支出明细中对应的项目名称（执行数据此核对）", "") \
    X(JS_PERF_OUTPUT, "主要产出和效益", JS_COL_TEXT, false, false, JS_NO_VOCAB, "情况说明十三用", "") \
    X(JS_PERF_PROBLEM, "发现的问题及原因", JS_COL_TEXT, false, false, JS_NO_VOCAB, "情况说明十三用", "") \
    X(JS_PERF_NEXT, "下一步改进措施", JS_COL_TEXT, false, false, JS_NO_VOCAB, "情况说明十三用", "") \
    X(JS_PERF_DATE, "填报日期", JS_COL_DATE, false, false, JS_NO_VOCAB, "自评表填报日期", "") \
    X(JS_PERF_TABLE_TITLE, "附件标题", JS_COL_TEXT, false, false, JS_NO_VOCAB, "自评表标题", "") \
    X(JS_PERF_TEXT_BUDGET, "情况说明预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, \
      "情况说明另行写出的预算数（可选；填写时须与预算数一致）", "") \
    X(JS_PERF_TEXT_TITLE, "说明标题", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "情况说明十三中该项目的标题（可空：项目名称+项目绩效自评综述）", "") \
    X(JS_PERF_ORDER, "说明顺序", JS_COL_COUNT, false, false, JS_NO_VOCAB, \
      "情况说明十三中的顺序（可空：按本表顺序）", "")
enum { JS_PERF_ITEMS_COLUMNS(JS_COLUMN_ID) JS_PERF_NCOLS };

/* perf_indicators.csv */
#define JS_PERF_INDICATORS_COLUMNS(X) \
    X(JS_IND_ITEM, "项目名称", JS_COL_TEXT, true, true, JS_NO_VOCAB, \
      "所属绩效自评对象（perf_items.csv 的项目名称）", "部门整体") \
    X(JS_IND_LEVEL1, "一级指标", JS_COL_TEXT, true, true, JS_NO_VOCAB, "产出指标、效益指标、满意度指标等", "产出指标") \
    X(JS_IND_LEVEL2, "二级指标", JS_COL_TEXT, true, false, JS_NO_VOCAB, "数量指标、质量指标等", "数量指标") \
    X(JS_IND_LEVEL3, "三级指标", JS_COL_TEXT, true, true, JS_NO_VOCAB, "指标名称", "示例指标") \
    X(JS_IND_OP, "运算符", JS_COL_VOCAB, true, true, JS_VOCAB(k_perf_ops), "≥、≤、= 或 定性", "≥") \
    X(JS_IND_TARGET_TEXT, "目标值", JS_COL_TEXT, false, false, JS_NO_VOCAB, "年初目标值（印刷文字）", "≥10家") \
    X(JS_IND_TARGET, "目标数", JS_COL_NUMBER, false, false, JS_NO_VOCAB, "目标值的数字（定性指标可空）", "10") \
    X(JS_IND_ACTUAL_TEXT, "实际值", JS_COL_TEXT, false, false, JS_NO_VOCAB, "实际完成值（印刷文字）", "12家") \
    X(JS_IND_ACTUAL, "实际数", JS_COL_NUMBER, false, false, JS_NO_VOCAB, "实际完成值的数字（定性指标可空）", "12") \
    X(JS_IND_WEIGHT, "权重", JS_COL_NUMBER, true, true, JS_NO_VOCAB, "指标分值", "80") \
    X(JS_IND_APPLICABLE, "适用", JS_COL_VOCAB, false, false, JS_VOCAB(k_yes_no), \
      "是/否（不适用的指标不计分，其余按比例折算）", "是") \
    X(JS_IND_GRADE, "等级", JS_COL_VOCAB, false, false, JS_VOCAB(k_grades), "定性指标的完成等级", "") \
    X(JS_IND_PRINTED, "得分", JS_COL_TEXT, false, false, JS_NO_VOCAB, "报告中印刷的得分（仅供核对，不参与计算）", "")
enum { JS_PERF_INDICATORS_COLUMNS(JS_COLUMN_ID) JS_IND_NCOLS };

/* The budget phase (docs/budget.md). budget_expenditure.csv keeps the
 * first six columns of expenditure.csv in the same places, so that the
 * reading of a line is shared (the static assertion in workbook.c). */
#define JS_BUDGET_EXPENDITURE_COLUMNS(X) \
    X(JS_BEXP_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "预算支出所属单位（须在单位表中）", "某某区某某局(本级)") \
    X(JS_BEXP_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, "支出功能分类项级科目（7位）", "2010101") \
    X(JS_BEXP_ECON, "经济分类科目编码", JS_COL_ECON, true, false, JS_NO_VOCAB, \
      "部门预算支出经济分类款级科目（5位）；基本支出必填", "30101") \
    X(JS_BEXP_FUND, "资金来源", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), "预算支出的资金来源", \
      "一般公共预算财政拨款") \
    X(JS_BEXP_SPEND, "支出类型", JS_COL_VOCAB, true, true, JS_VOCAB(js_spend_names), "支出类型", "基本支出") \
    X(JS_BEXP_PROJECT, "项目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "项目支出的项目名称（基本支出可空；绩效目标按此对应）", "") \
    X(JS_BEXP_AMOUNT, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "本年预算数（空为0）", "10000.00") \
    X(JS_BEXP_PRIOR, "上年预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, \
      "上年预算数，供比较（可选列；空为0）", "0.00") \
    X(JS_BEXP_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "") \
    X(JS_BEXP_ECON_NAME, "经济分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "经济分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_BUDGET_EXPENDITURE_COLUMNS(JS_COLUMN_ID) JS_BEXP_NCOLS };

/* budget_revenue.csv */
#define JS_BUDGET_REVENUE_COLUMNS(X) \
    X(JS_BREV_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "预算收入所属单位", "某某区某某局(本级)") \
    X(JS_BREV_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, \
      "收入对应的支出功能分类项级科目（7位）", "2010101") \
    X(JS_BREV_FUND, "收入类型", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), "收入类型", "一般公共预算财政拨款") \
    X(JS_BREV_AMOUNT, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "本年收入预算数（空为0）", "10000.00") \
    X(JS_BREV_PRIOR, "上年预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, "上年收入预算数（可选列；空为0）", "0.00") \
    X(JS_BREV_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_BUDGET_REVENUE_COLUMNS(JS_COLUMN_ID) JS_BREV_NCOLS };

/* budget_carryover.csv */
#define JS_BUDGET_CARRYOVER_COLUMNS(X) \
    X(JS_BCARRY_UNIT, "单位", JS_COL_UNIT, true, true, JS_NO_VOCAB, "单位", "某某区某某局(本级)") \
    X(JS_BCARRY_FUNC, "功能分类科目编码", JS_COL_FUNC, true, true, JS_NO_VOCAB, "功能分类项级科目（7位）", "2010101") \
    X(JS_BCARRY_FUND, "资金来源", JS_COL_VOCAB, true, true, JS_VOCAB(js_fund_names), "上年结转的资金来源", \
      "一般公共预算财政拨款") \
    X(JS_BCARRY_AMOUNT, "上年结转", JS_COL_MONEY, true, false, JS_NO_VOCAB, "上年结转资金，本年安排支出（空为0）", "0.00") \
    X(JS_BCARRY_FUNC_NAME, "功能分类科目名称", JS_COL_TEXT, false, false, JS_NO_VOCAB, \
      "功能分类科目名称（可选；填写时须与科目表一致）", "")
enum { JS_BUDGET_CARRYOVER_COLUMNS(JS_COLUMN_ID) JS_BCARRY_NCOLS };

/* budget_sangong.csv */
#define JS_BUDGET_SANGONG_COLUMNS(X) \
    X(JS_BSG_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(js_sg_item_names), "“三公”经费及相关项目", \
      "公务接待费") \
    X(JS_BSG_AMOUNT, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "本年财政拨款预算数（年初）", "0.00") \
    X(JS_BSG_PRIOR, "上年预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, "上年财政拨款预算数（可选列）", "0.00")
enum { JS_BUDGET_SANGONG_COLUMNS(JS_COLUMN_ID) JS_BSG_NCOLS };

/* budget_figures.csv */
#define JS_BUDGET_FIGURES_COLUMNS(X) \
    X(JS_BFIG_ITEM, "项目", JS_COL_VOCAB, true, true, JS_VOCAB(k_budget_figure_keys), "项目", "机关运行经费") \
    X(JS_BFIG_AMOUNT, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "本年预算数", "0.00") \
    X(JS_BFIG_PRIOR, "上年预算数", JS_COL_MONEY, false, false, JS_NO_VOCAB, "上年预算数（可选列）", "0.00")
enum { JS_BUDGET_FIGURES_COLUMNS(JS_COLUMN_ID) JS_BFIG_NCOLS };

/* budget_procurement.csv */
#define JS_BUDGET_PROCUREMENT_COLUMNS(X) \
    X(JS_BPROC_KIND, "类别", JS_COL_VOCAB, true, true, JS_VOCAB(k_proc_kinds), "货物、工程或服务", "货物") \
    X(JS_BPROC_AMOUNT, "预算数", JS_COL_MONEY, true, false, JS_NO_VOCAB, "政府采购预算", "0.00") \
    X(JS_BPROC_SME, "面向中小企业预留", JS_COL_MONEY, false, false, JS_NO_VOCAB, \
      "其中面向中小企业预留的预算（可选列）", "0.00") \
    X(JS_BPROC_SMALL, "其中预留小微企业", JS_COL_MONEY, false, false, JS_NO_VOCAB, \
      "其中预留给小型和微型企业的预算（可选列）", "0.00")
enum { JS_BUDGET_PROCUREMENT_COLUMNS(JS_COLUMN_ID) JS_BPROC_NCOLS };

/* budget_targets.csv */
#define JS_BUDGET_TARGETS_COLUMNS(X) \
    X(JS_BTGT_PROJECT, "项目名称", JS_COL_TEXT, true, true, JS_NO_VOCAB, "项目名称（与预算支出的项目名称一致）", \
      "示例项目") \
    X(JS_BTGT_GOAL, "年度目标", JS_COL_TEXT, false, false, JS_NO_VOCAB, "项目年度绩效目标", "") \
    X(JS_BTGT_LEVEL1, "一级指标", JS_COL_TEXT, true, true, JS_NO_VOCAB, "产出指标、效益指标、满意度指标等", "产出指标") \
    X(JS_BTGT_LEVEL2, "二级指标", JS_COL_TEXT, true, false, JS_NO_VOCAB, "数量指标、质量指标等", "数量指标") \
    X(JS_BTGT_LEVEL3, "三级指标", JS_COL_TEXT, true, true, JS_NO_VOCAB, "指标名称", "示例指标") \
    X(JS_BTGT_VALUE, "指标值", JS_COL_TEXT, true, false, JS_NO_VOCAB, "目标值（印刷文字）", "≥10家")
enum { JS_BUDGET_TARGETS_COLUMNS(JS_COLUMN_ID) JS_BTGT_NCOLS };

/* Keyed sheets (js_sheetspec.keyed) hold the key in their first column and
 * its value in the second (js_workbook_text; js_workbook_value's default);
 * sheets kept as rows also keep their first column as the row's key. */
enum { JS_KEY_COL = 0, JS_VALUE_COL = 1 };

#define JS_MAX_SHEETS 32 /* room for every sheet of the schema */

extern const js_sheetspec js_sheets[];
extern const int js_nsheets;
#define JS_GUIDE_FILE "填写说明.txt" /* the template's guide */
/* The files a workbook folder holds: every sheet's and the guide
 * (填写说明.txt), NULL-terminated. */
extern const char *const js_workbook_file_names[];

/* Index of the sheet with this file name, or -1. */
int js_sheet_index(const char *file);
/* The file name of the sheet called name (its Chinese name or file name),
 * NULL when none. */
const char *js_sheet_file(const char *name);
/* The Chinese name of the sheet with this file name (file itself when none). */
const char *js_sheet_title(const char *file);
/* The index among a workbook file's sheet names[0..n) of the sheet that
 * holds sheet_file (named by its Chinese title), -1 when none; writes the
 * name messages use, "path!title", to display (len bytes). */
long js_sheet_in_book(const char *path, const char *sheet_file, const char *const *names, size_t n, char *display,
                      size_t len);

#endif
