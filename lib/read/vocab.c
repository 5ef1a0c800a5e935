/* The closed vocabularies of the workbook, as users write them. */
#include <string.h>

#include "juesuan/workbook.h"

const char *const js_fund_names[JS_FUND_COUNT] = {
    "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款",
    "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入",
};

const char *const js_spend_names[JS_SPEND_COUNT] = {
    "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出",
};

const char *const js_unit_kind_names[JS_UNIT_KIND_COUNT] = {"行政", "参公", "事业"};

const char *const js_sg_item_names[JS_SG_COUNT] = {
    "因公出国(境)费", "公务用车购置费", "公务用车运行维护费", "公务接待费", "会议费", "培训费",
};

const char *const js_source_names[JS_SRC_COUNT] = {
    "支出", "收入", "年初结转和结余", "年末结转和结余", "使用非财政拨款结余",
    "结余分配", "年初预算", "三公预算", "三公决算",
    "预算支出", "上年预算支出", "预算收入", "上年预算收入", "上年结转",
    "预算三公", "上年预算三公", "预算机关运行经费", "上年预算机关运行经费", "年初预算填报",
};

int js_vocab_find(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}
