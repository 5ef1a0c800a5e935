/* Amount parser and 万元 formatter. */
#include "juesuan/money.h"
#include "tap.h"

static void parses(const char *s, js_money_unit unit, int flags, js_fen want)
{
    js_fen v = -999;
    const char *why = NULL;
    bool r = js_money_parse(s, strlen(s), unit, flags, &v, &why);
    ok(r && v == want, "parse '%s' -> %lld (got %lld%s%s)", s, (long long)want, (long long)v,
       why ? ", " : "", why ? why : "");
}

static void rejects(const char *s, js_money_unit unit, int flags, const char *msg_part)
{
    js_fen v = 0;
    const char *why = NULL;
    bool r = js_money_parse(s, strlen(s), unit, flags, &v, &why);
    ok(!r && why && strstr(why, msg_part), "reject '%s' with '%s' (got %s)", s, msg_part,
       why ? why : "accepted");
}

static void wan(js_fen fen, bool thousands, const char *want)
{
    char buf[64];
    js_money_format_wan(fen, thousands, buf, sizeof buf);
    is_str(buf, want, "format %lld fen -> %s", (long long)fen, want);
}

int main(void)
{
    const js_money_unit Y = JS_UNIT_YUAN, W = JS_UNIT_WAN;
    parses("1234.56", Y, 0, 123456);
    parses("1,234.56", Y, 0, 123456);
    parses("12,345,678.9", Y, 0, 1234567890);
    parses("  42 ", Y, 0, 4200);
    parses("-12.30", Y, 0, -1230);
    parses("\xef\xbc\x8d" "5.00", Y, 0, -500);           /* －5.00 */
    parses("\xe2\x88\x92" "5", Y, 0, -500);              /* −5 */
    parses("(1,234.00)", Y, 0, -123400);
    parses("\xef\xbc\x88" "7.5\xef\xbc\x89", Y, 0, -750); /* （7.5） */
    parses("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x8e\xef\xbc\x95", Y, 0, 1250); /* １２．５ */
    parses("\xef\xbc\x91\xef\xbc\x8c\xef\xbc\x90\xef\xbc\x90\xef\xbc\x90", Y, 0, 100000); /* １，０００ */
    parses("22.105", W, 0, 22105000);
    parses("0.000001", W, 0, 1);
    parses("3万元", Y, 0, 3000000);
    parses("3元", W, 0, 300);
    parses("", Y, JS_MONEY_BLANK_ZERO, 0);
    parses("-", Y, JS_MONEY_BLANK_ZERO, 0);
    parses("\xe2\x80\x94", Y, JS_MONEY_BLANK_ZERO, 0);   /* — */
    parses("92233720368547758.07", Y, 0, INT64_MAX);

    rejects("", Y, 0, "为空");
    rejects("-", Y, 0, "-");
    rejects("1.234", Y, 0, "两位小数");
    rejects("1.0000001", W, 0, "六位小数");
    rejects("12a", Y, 0, "不是有效");
    rejects("1,23", Y, 0, "千分位");
    rejects("1234,567", Y, 0, "千分位");
    rejects("1.234,56", Y, 0, "不是有效");
    rejects("92233720368547758.08", Y, 0, "超出范围");
    rejects("99999999999999999999", Y, 0, "超出范围");
    rejects("-(5)", Y, 0, "不是有效");
    rejects("(5", Y, 0, "括号");
    rejects("1.", Y, 0, "小数点");
    rejects(".5", Y, 0, "整数部分");
    rejects("１２x", Y, 0, "不是有效");
    rejects("\xe2\x80\x94" "13700.00", Y, 0, "不是有效");   /* —13700.00: a dash is no minus */
    rejects("\xe2\x80\x93" "5", Y, JS_MONEY_BLANK_ZERO, "不是有效");
    rejects("\xe2\x80\x94", Y, 0, "-");

    /* The reference report's traps: exact sums, half away from zero. */
    wan(22105000, false, "22.11");   /* 22.1050 万元: a double prints 22.10 */
    wan(107895000, false, "107.90");
    wan(430455000, false, "430.46");
    wan(-22105000, false, "-22.11");
    wan(22104999, false, "22.10");
    wan(4999, false, "0.00");
    wan(5000, false, "0.01");
    wan(-5000, false, "-0.01");
    wan(-4999, false, "0.00");
    wan(37083270000, true, "37,083.27");
    wan(37083270000, false, "37083.27");
    wan(100000000000, true, "100,000.00");
    wan(INT64_MAX, false, "9223372036854.78");
    wan(INT64_MIN, false, "-9223372036854.78");

    /* the word-at-a-time path of "digits.dd" in yuan, against the value
     * digit by digit: every length of whole part, a non-digit at every
     * place, lengths read exactly (the cell is not NUL-terminated) */
    {
        unsigned seed = 12345;
        size_t wrong = 0, tried = 0;
        for (size_t n = 1; n <= 16; n++)
            for (int round = 0; round < 400; round++) {
                char cell[32];
                size_t len = n + 3;
                for (size_t i = 0; i < n; i++)
                    cell[i] = (char)('0' + (seed = seed * 1103515245u + 12345u) % 10);
                cell[n] = '.';
                cell[n + 1] = (char)('0' + (seed = seed * 1103515245u + 12345u) % 10);
                cell[n + 2] = (char)('0' + (seed = seed * 1103515245u + 12345u) % 10);
                int bad = round % 3 == 0 ? (int)((seed >> 8) % len) : -1; /* a place made a non-digit */
                if (bad >= 0 && (size_t)bad != n)
                    cell[bad] = "/:a x,-"[(seed >> 4) % 7];
                cell[len] = '7'; /* past the cell: never read as part of it */
                js_fen want = 0, got = -1;
                bool digits = true;
                for (size_t i = 0; i < len; i++)
                    if (i != n) {
                        digits = digits && cell[i] >= '0' && cell[i] <= '9';
                        want = want * 10 + (cell[i] - '0');
                    }
                const char *why;
                bool parsed = js_money_parse(cell, len, JS_UNIT_YUAN, 0, &got, &why);
                wrong += digits ? !parsed || got != want : parsed && n <= 15 && got == want;
                tried++;
            }
        ok(wrong == 0, "%zu amounts \"d….dd\" of 1 to 16 whole digits parsed as digit by digit (%zu differ)", tried,
           wrong);
    }

    char buf[32];
    js_money_format_yuan(123405, buf, sizeof buf);
    is_str(buf, "1234.05", "format yuan");

    js_fen s;
    ok(!js_fen_add(INT64_MAX, 1, &s), "add overflow detected");
    ok(js_fen_add(1, 2, &s) && s == 3, "add");
    ok(!js_fen_sub(INT64_MIN, 1, &s), "sub overflow detected");

    /* percentages from exact quotients, half away from zero */
    ok(js_money_percent(1, 8, 1, buf, sizeof buf) && !strcmp(buf, "12.5"), "1/8 = 12.5%% (got %s)", buf);
    ok(js_money_percent(1, 16, 1, buf, sizeof buf) && !strcmp(buf, "6.3"), "1/16 = 6.25%% -> 6.3 (got %s)", buf);
    ok(js_money_percent(-1, 16, 1, buf, sizeof buf) && !strcmp(buf, "-6.3"), "-1/16 -> -6.3 (got %s)", buf);
    ok(js_money_percent(1, -3, 2, buf, sizeof buf) && !strcmp(buf, "-33.33"), "1/-3 -> -33.33 (got %s)", buf);
    ok(js_money_percent(-1, 100000, 1, buf, sizeof buf) && !strcmp(buf, "0.0"), "a tiny negative rounds to 0.0, unsigned (got %s)", buf);
    ok(js_money_percent(2, 1, 0, buf, sizeof buf) && !strcmp(buf, "200"), "2/1 = 200 (got %s)", buf);
    ok(js_money_percent(INT64_MAX, 1, 2, buf, sizeof buf) && !strcmp(buf, "922337203685477580700.00"),
       "no overflow at INT64_MAX (got %s)", buf);
    ok(!js_money_percent(5, 0, 1, buf, sizeof buf) && !buf[0], "no percentage of a zero base");
    return done_testing();
}
