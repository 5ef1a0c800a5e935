/* Dictionaries: loading, lookup, hierarchy and messages. */
#include <stdlib.h>

#include "juesuan/dict.h"
#include "tap.h"

int main(void)
{
    const char *datadir = getenv("JUESUAN_DATA");
    js_diag d;
    js_dict *dict = js_dict_load(datadir ? datadir : "data", 2024, &d);
    ok(dict != NULL, "load the 2024 edition (%s)", dict ? "" : d.message);
    if (!dict)
        return done_testing();
    size_t n;
    const js_code *codes = js_dict_codes(dict, JS_DICT_FUNC, &n);
    int lei = 0;
    for (size_t i = 0; i < n; i++)
        lei += codes[i].digits == 3;
    ok(lei >= 26, "at least 26 类 (%d)", lei);
    ok(codes[0].code == 201 && codes[0].digits == 3, "the first 类 is 201");

    const js_code *c = js_dict_find(dict, JS_DICT_FUNC, 2101101, 7);
    ok(c != NULL, "2101101 found");
    if (c) {
        ok(strcmp(c->name, "行政运行") != 0, "2101101 is not 行政运行 (%s)", c->name);
        ok(c->note[0] != '\0', "2101101 has its 说明");
    }
    ok(js_code_parent(2101101, 7) == 21011 && js_code_parent(21011, 5) == 210 &&
           js_code_parent(210, 3) == 0, "parents from prefixes");
    char buf[8];
    js_code_str(20306, 5, buf);
    is_str(buf, "20306", "code to text");
    const js_code *e = js_dict_find(dict, JS_DICT_ECON, 30108, 5);
    ok(e && !strcmp(e->name, "机关事业单位基本养老保险缴费"), "economic 30108");

    char msg[256];
    uint32_t code;
    int digits;
    ok(js_dict_check(dict, JS_DICT_FUNC, "2060101", 7, &code, &digits, msg, sizeof msg) == NULL &&
           code == 2060101 && digits == 7, "a valid 项");
    const char *m = js_dict_check(dict, JS_DICT_FUNC, "206011", 7, &code, &digits, msg, sizeof msg);
    ok(m && strstr(m, "6 位") && strstr(m, "类3位"), "six digits: %s", m ? m : "");
    m = js_dict_check(dict, JS_DICT_FUNC, "20601", 7, &code, &digits, msg, sizeof msg);
    ok(m && strstr(m, "项级") && strstr(m, "款级"), "款 where 项 needed: %s", m ? m : "");
    m = js_dict_check(dict, JS_DICT_FUNC, "206", 7, &code, &digits, msg, sizeof msg);
    ok(m && strstr(m, "类级"), "类 where 项 needed: %s", m ? m : "");
    m = js_dict_check(dict, JS_DICT_FUNC, "2069998", 7, &code, &digits, msg, sizeof msg);
    ok(m && strstr(m, "不在 2024 年版"), "unknown code: %s", m ? m : "");
    m = js_dict_check(dict, JS_DICT_ECON, "3o101", 5, &code, &digits, msg, sizeof msg);
    ok(m && strstr(m, "不是数字"), "non-numeric code: %s", m ? m : "");
    js_dict_free(dict);

    /* Malformed dictionaries. */
    js_dict *t = js_dict_new(2000);
    const char *bad1 = "编码,名称,说明\n20601,x,\n";
    ok(js_dict_parse(t, JS_DICT_FUNC, "f.csv", bad1, strlen(bad1), &d) == JS_E_INPUT &&
           d.line == 2 && strstr(d.message, "上级"), "款 before its 类: %s", d.message);
    js_dict_free(t);
    t = js_dict_new(2000);
    const char *bad2 = "编码,名称,说明\n201,a,\n201,b,\n";
    ok(js_dict_parse(t, JS_DICT_FUNC, "f.csv", bad2, strlen(bad2), &d) == JS_E_INPUT &&
           strstr(d.message, "重复"), "duplicate code: %s", d.message);
    js_dict_free(t);
    ok(js_dict_load("/nonexistent", 2024, &d) == NULL && d.status == JS_E_IO, "missing edition");
    return done_testing();
}
