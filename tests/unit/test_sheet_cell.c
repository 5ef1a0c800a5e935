/* Spreadsheet cells as text: numbers, date serials in both systems, date
 * formats, typed dates and codes (sheet_cell.h). */
#include "sheet_cell.h"
#include "tap.h"

static void serial(double v, bool d1904, const char *want)
{
    char buf[16] = "";
    bool r = js_cell_serial_date(v, d1904, buf, sizeof buf);
    if (want)
        is_str(r ? buf : NULL, want, "serial %g (%s system) is %s", v, d1904 ? "1904" : "1900", want);
    else
        ok(!r, "serial %g (%s system) is no date", v, d1904 ? "1904" : "1900");
}

static void date(const char *text, const char *want)
{
    char buf[16] = "";
    bool r = js_cell_date(text, strlen(text), buf, sizeof buf);
    if (want)
        is_str(r ? buf : NULL, want, "date '%s' reads as %s", text, want);
    else
        ok(!r, "date '%s' is refused", text);
}

static void code(const char *text, const char *want)
{
    char buf[32];
    bool r = js_cell_code_digits(text, strlen(text), buf, sizeof buf);
    if (want)
        is_str(r ? buf : NULL, want, "code '%s' reads as %s", text, want);
    else
        ok(!r, "code '%s' is not a number", text);
}

static void number(const char *v, const char *want)
{
    char buf[64];
    js_cell_number_text(v, buf, sizeof buf);
    is_str(buf, want, "number %s shows as %s", v, want);
}

int main(void)
{
    serial(45966, false, "2025-11-05");
    serial(44504, true, "2025-11-05");
    serial(45966.75, false, "2025-11-05");
    serial(1, false, "1900-01-01");
    serial(59, false, "1900-02-28");
    serial(60, false, "1900-02-28"); /* Lotus's 1900-02-29 */
    serial(61, false, "1900-03-01");
    serial(0, true, "1904-01-01");
    serial(2958465, false, "9999-12-31");
    serial(2958466, false, NULL);
    serial(0, false, NULL);
    serial(-1, true, NULL);

    ok(js_cell_format_is_date(14, NULL), "built-in format 14 is a date");
    ok(js_cell_format_is_date(57, NULL), "built-in format 57 (CJK) is a date");
    ok(!js_cell_format_is_date(4, NULL), "built-in format 4 (#,##0.00) is not a date");
    ok(js_cell_format_is_date(176, "yyyy\"年\"m\"月\"d\"日\""), "yyyy\"年\"m\"月\"d\"日\" is a date");
    ok(js_cell_format_is_date(177, "[$-804]yyyy/m/d;@"), "[$-804]yyyy/m/d is a date");
    ok(js_cell_format_is_date(178, "[h]:mm"), "[h]:mm is a time");
    ok(!js_cell_format_is_date(179, "[Red]#,##0.00"), "[Red]#,##0.00 is not a date");
    ok(!js_cell_format_is_date(180, "\"day \"0"), "a quoted d is not a date");
    ok(!js_cell_format_is_date(181, "#,##0.00_);\\(#,##0.00\\)"), "an accounting format is not a date");

    date("2025-11-05", "2025-11-05");
    date("2025/11/5", "2025-11-05");
    date("2025.1.5", "2025-01-05");
    date("2025年11月5日", "2025-11-05");
    date("\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x95-11-05", "2025-11-05"); /* full-width year */
    date(" 2024-02-29 ", "2024-02-29");
    date("2025-02-29", NULL);
    date("2025-13-01", NULL);
    date("2025-11", NULL);
    date("2025-11/05", NULL);
    date("garbage", NULL);
    date("45966", NULL);
    date("1899-12-31", NULL);

    code("30101", "30101");
    code("30101.0", "30101");
    code("2060101.00", "2060101");
    code("\xef\xbc\x93\xef\xbc\x90\xef\xbc\x91\xef\xbc\x90\xef\xbc\x91", "30101");
    code(" 30101 ", "30101");
    code("30101.5", NULL);
    code("3010a", NULL);
    code("-30101", NULL);
    code("30101.", NULL);

    number("814900", "814900");
    number("814900.00000000012", "814900");
    number("1E-3", "0.001");
    number("1.5E+5", "150000");
    return done_testing();
}
