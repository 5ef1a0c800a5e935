/* Spending by COFOG division read back from a fiscal-data.csv
 * (js_fdp_cofog_spending): what counts, where the excluded and unmapped
 * lines go, exact sums, the Chinese names, and the messages on bad input. */
#include <stdlib.h>

#include "juesuan/fdp.h"
#include "tap.h"

/* Columns in another order than the package's, with one it does not have:
 * found by name. */
static const char csv[] =
    "amount,department,extra,direction,phase,value_kind,func_lei_code,func_lei_name,func_kuan_code,func_kuan_name,"
    "cofog_division,cofog_division_name,cofog_confidence\n"
    "100.10,甲局,x,expenditure,executed,flow,206,科学技术支出,20601,科学技术管理事务,01,General public services,M\n"
    "0.01,甲局,x,expenditure,executed,flow,206,科学技术支出,20604,技术研究与开发,01,General public services,L\n"
    "5000.00,甲局,x,revenue,executed,flow,206,科学技术支出,20601,科学技术管理事务,,,\n"
    "7000.00,甲局,x,expenditure,approved,flow,206,科学技术支出,20601,科学技术管理事务,01,General public services,M\n"
    "300.00,甲局,x,,executed,carryover-closing,206,科学技术支出,20601,科学技术管理事务,,,\n"
    "42.50,乙局,x,expenditure,executed,flow,231,债务还本支出,23103,地方政府一般债务还本支出,,,excluded\n"
    "0.50,乙局,x,expenditure,executed,flow,231,债务还本支出,23103,地方政府一般债务还本支出,,,excluded\n"
    "-1.00,乙局,x,expenditure,executed,flow,212,城乡社区支出,21201,城乡社区管理事务,06,Housing,M\n"
    "9.99,乙局,x,expenditure,executed,flow,,,,,,,\n"
    "1.00,甲局,x,expenditure,executed,flow,299,其他支出,,,,,\n";

static const char names[] = "code,name,名称\n01,General public services,一般公共服务\n06,Housing,住房和社区设施\n";

static void bad(const char *text, const char *want, const char *label)
{
    js_cofog_spending s;
    js_diag d;
    js_diag_clear(&d);
    js_status st = js_fdp_cofog_spending("f.csv", text, strlen(text), &s, &d);
    char msg[512];
    js_diag_format(&d, msg, sizeof msg);
    ok(st == JS_E_INPUT && strstr(msg, want), "%s: %s", label, msg);
    js_cofog_spending_release(&s);
}

/* csv's header line, then lines, into buf */
static const char *with_header(char *buf, size_t n, const char *lines)
{
    snprintf(buf, n, "%.*s%s", (int)(strchr(csv, '\n') - csv + 1), csv, lines);
    return buf;
}

int main(void)
{
    js_cofog_spending s;
    js_diag d;
    js_diag_clear(&d);
    ok(js_fdp_cofog_spending("f.csv", csv, strlen(csv), &s, &d) == JS_OK, "reads the CSV (%s)", d.message);
    ok(s.ndivisions == 2 && !strcmp(s.divisions[0].code, "01") && !strcmp(s.divisions[1].code, "06"),
       "two divisions, by code");
    ok(s.divisions[0].amount == 10011 && s.divisions[0].lines == 2,
       "01: only executed expenditure flows, exact: 100.10 + 0.01 元 = 10011 分 from 2 lines (got %lld)",
       (long long)s.divisions[0].amount);
    ok(s.divisions[1].amount == -100 && s.cofog_total == 9911, "06: a negative line stays negative; total 9911 分");
    ok(s.nexcluded == 1 && !strcmp(s.excluded[0].code, "23103") && s.excluded[0].amount == 4300 &&
           !strcmp(s.excluded[0].name, "地方政府一般债务还本支出") && s.excluded_total == 4300,
       "excluded: by 款, 42.50 + 0.50 元");
    ok(s.nunmapped == 2 && !strcmp(s.unmapped[0].code, "") && s.unmapped[0].amount == 999 &&
           !strcmp(s.unmapped[1].code, "299") && !strcmp(s.unmapped[1].name, "其他支出") && s.unmapped_total == 1099,
       "unmapped: a line without a code, a 类 without a 款");
    ok(s.expenditure_total == 9911 + 4300 + 1099, "the total is the three parts'");
    ok(s.departments == 2, "two departments (甲局 seen again after 乙局 counts once)");
    js_cofog *zh = js_cofog_parse("cofog.csv", names, strlen(names), NULL, NULL, 0, &d);
    if (zh)
        js_fdp_cofog_name_divisions(&s, zh);
    js_cofog_free(zh);
    ok(zh && !strcmp(s.divisions[0].name_zh, "一般公共服务") && !strcmp(s.divisions[1].name_zh, "住房和社区设施") &&
           !strcmp(s.divisions[0].name, "General public services"),
       "the Chinese names from the 名称 column; the CSV's name kept");
    js_cofog_spending_release(&s);

    bad("department,direction\n", "缺少列“phase”", "a missing column is named");
    bad("", "是空的", "an empty file");
    char text[2048];
    bad(with_header(text, sizeof text,
                    "12.345,甲局,x,expenditure,executed,flow,206,科学技术支出,20601,科学技术管理事务,01,G,M\n"),
        "f.csv:2:1", "an amount with three decimals: line and column");
    bad(with_header(text, sizeof text,
                    "1.00,甲局,x,expenditure,executed,flow,206,科学技术支出,20601,科学技术管理事务,1,G,M\n"),
        "不是两位数字的 COFOG 大类编码", "a division of one digit");
    bad(with_header(text, sizeof text,
                    "1.00,甲局,x,expenditure,executed,flow,206,科学技术支出,2060,科学技术管理事务,01,G,M\n"),
        "“2060”不是功能分类", "a 款 of four digits");
    bad(with_header(text, sizeof text,
                    "1.00,甲局,x,expenditure,executed,flow,231,债务还本支出,23103,x,01,G,excluded\n"),
        "不应有 COFOG 大类", "an excluded line with a division");
    with_header(text, sizeof text,
                "92233720368547758.07,甲局,x,expenditure,executed,flow,206,a,20601,b,01,G,M\n"
                "0.01,甲局,x,expenditure,executed,flow,206,a,20601,b,01,G,M\n");
    js_status st = js_fdp_cofog_spending("f.csv", text, strlen(text), &s, &d);
    ok(st == JS_E_LIMIT || st == JS_E_INPUT, "an overflowing sum is refused (%s)", d.message);
    js_cofog_spending_release(&s);
    return done_testing();
}
