/* The .xlsx writer: an archive every member of which reads back with its
 * checksum (zip_read.c verifies it), cells in order with the last write kept,
 * text escaped for XML and for Excel's _xHHHH_, numbers stored as written,
 * formats shared, widths in Excel's units, print titles quoted. */
#include <stdlib.h>
#include <unistd.h>

#include "juesuan/diag.h"
#include "tap.h"
#include "xlsx_book.h"
#include "zip_read.h"

/* Member name of the archive at path, NUL-terminated (caller frees), read
 * with the zip reader (which checks its CRC). */
static char *member(const char *path, const char *name)
{
    js_zipr *z = js_zipr_open(path, NULL);
    char *text = NULL;
    size_t len;
    if (z && js_zipr_read(z, name, &text, &len) != 1)
        text = NULL;
    js_zipr_close(z);
    return text;
}

static void has(const char *xml, const char *want, const char *what)
{
    ok(xml && strstr(xml, want), "%s: %s", what, want);
    if (xml && !strstr(xml, want))
        printf("#   in %.400s\n", xml);
}

int main(void)
{
    char path[] = "/tmp/juesuan-xbook-XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0, "temporary file");
    close(fd);

    js_xbook *b = js_xbook_new();
    int bold = js_xbook_style(b, &(js_xstyle){.bold = true, .size = 14, .align = JS_XALIGN_CENTER});
    int money = js_xbook_style(b, &(js_xstyle){.border = true, .numfmt = "#,##0.00"});
    ok(js_xbook_style(b, &(js_xstyle){.bold = true, .size = 14, .align = JS_XALIGN_CENTER}) == bold && bold == 1 &&
           money == 2 && js_xbook_style(b, &(js_xstyle){0}) == 0,
       "equal formats share an index, 0 is the default");
    js_xsheet *s = js_xbook_sheet(b, "Bob's 表");
    js_xsheet_text(s, 2, 1, "later", 0);
    js_xsheet_text(s, 0, 0, "a & b < c", 0);
    js_xsheet_text(s, 2, 1, "last", 0); /* the second write wins */
    js_xsheet_number(s, 1, 0, "-1234.50", money);
    js_xsheet_number(s, 1, 1, "12%", money); /* not a plain decimal: text */
    js_xsheet_text(s, 3, 27, " lead\x01_x0041_", 0);
    js_xsheet_text(s, 3, 28, "a\r\nb \xef\xbf\xbe", 0);
    js_xsheet_merge(s, 4, 0, 4, 2, "merged", bold);
    js_xsheet_width(s, 0, 0, 34, 0);
    js_xsheet_freeze(s, 2);
    js_xsheet_page(s, 9, true, false);
    js_xsheet_height(s, 4, 30.5);
    js_xsheet_repeat_rows(s, 1, 2);
    js_xsheet_text(js_xbook_sheet(b, "second"), 0, 0, "a & b < c", 0);
    js_diag d = {0};
    ok(js_xbook_save(b, path, "标题 & co", 1970, 1, 2, &d) == JS_OK, "saved");
    js_xbook_free(b);

    char *sheet = member(path, "xl/worksheets/sheet1.xml");
    has(sheet, "<dimension ref=\"A1:AC5\"/>", "dimension");
    has(sheet, "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\" s=\"2\"><v>-1234.50</v></c>"
               "<c r=\"B2\" s=\"2\" t=\"s\"><v>", "cells in order, the number as written, 12% as text");
    has(sheet, "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>2</v></c></row>", "a cell written twice keeps the last text");
    has(sheet, "<c r=\"AB4\" t=\"s\">", "column 27 is AB");
    has(sheet, "<c r=\"A5\" s=\"1\" t=\"s\"><v>6</v></c><c r=\"B5\" s=\"1\"/><c r=\"C5\" s=\"1\"/>",
        "a merged range: text first, formatted blanks after");
    has(sheet, "<mergeCell ref=\"A5:C5\"/>", "the merge");
    has(sheet, "<col min=\"1\" max=\"1\" width=\"34.7109375\" customWidth=\"1\"/>", "width in Excel's units");
    has(sheet, "<pane ySplit=\"2\" topLeftCell=\"A3\" activePane=\"bottomLeft\" state=\"frozen\"/>", "frozen rows");
    has(sheet, "<pageSetup paperSize=\"9\" fitToWidth=\"1\" fitToHeight=\"0\" orientation=\"landscape\"/>",
        "A4 landscape, one page wide");
    has(sheet, "<row r=\"5\" ht=\"30.5\" customHeight=\"1\">", "a row's height");
    char *strings = member(path, "xl/sharedStrings.xml");
    has(strings, "count=\"8\" uniqueCount=\"7\"", "shared strings counted, repeated text once");
    ok(strings && strstr(strings, "<t>a_x000D_\nb _xFFFE_</t>"),
       "a carriage return and U+FFFE escaped (XML cannot hold them), the line feed kept");
    has(strings, "<si><t>a &amp; b &lt; c</t></si>", "XML escapes");
    has(strings, "<t xml:space=\"preserve\"> lead_x0001__x005F_x0041_</t>", "control character and _x escapes");
    char *book = member(path, "xl/workbook.xml");
    has(book, "<sheet name=\"Bob's 表\" sheetId=\"1\" r:id=\"rId1\"/>", "sheet name");
    has(book, "localSheetId=\"0\">'Bob''s 表'!$2:$3</definedName>", "print titles quote the sheet name");
    char *core = member(path, "docProps/core.xml");
    has(core, "<dc:title>标题 &amp; co</dc:title>", "title");
    has(core, "1970-01-02T00:00:00Z</dcterms:created>", "fixed creation date");
    char *styles = member(path, "xl/styles.xml");
    has(styles, "<numFmt numFmtId=\"164\" formatCode=\"#,##0.00\"/>", "number format");
    has(styles, "<cellXfs count=\"3\">", "three formats");
    char *types = member(path, "[Content_Types].xml"), *second = member(path, "xl/worksheets/sheet2.xml");
    ok(types && second, "every part is there");
    free(types);
    free(second);
    free(sheet);
    free(strings);
    free(book);
    free(core);
    free(styles);

    /* names Excel refuses: the save fails, naming the sheet */
    static const char *const bad_names[] = {"'quoted", "quoted'", "a/b", "", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", "second"};
    for (size_t i = 0; i < sizeof bad_names / sizeof *bad_names; i++) {
        b = js_xbook_new();
        js_xbook_sheet(b, "Second");
        js_xsheet *x = js_xbook_sheet(b, bad_names[i]);
        js_diag e = {0};
        char msg[1024];
        js_status st = js_xbook_save(b, path, "t", 2024, 1, 1, &e);
        js_diag_format(&e, msg, sizeof msg);
        ok(!x && st != JS_OK && strstr(msg, "工作表名称无效"), "sheet name '%s' refused: %s", bad_names[i], msg);
        js_xbook_free(b);
    }
    /* a creation date out of W3CDTF's years: 2000-01-01 */
    b = js_xbook_new();
    js_xbook_sheet(b, "x");
    ok(js_xbook_save(b, path, "t", -248, 1, 1, &d) == JS_OK, "saved with a date before year 0");
    js_xbook_free(b);
    core = member(path, "docProps/core.xml");
    has(core, ">2000-01-01T00:00:00Z</dcterms:created>", "out-of-range date");
    free(core);

    /* a path that cannot be written: an error naming it, nothing left */
    b = js_xbook_new();
    js_xbook_sheet(b, "x");
    js_diag e = {0};
    js_status st = js_xbook_save(b, "/nonexistent-dir/t.xlsx", "t", 2024, 1, 1, &e);
    char msg[1024];
    js_diag_format(&e, msg, sizeof msg);
    ok(st == JS_E_IO && strstr(msg, "/nonexistent-dir/t.xlsx"), "unwritable path: %s", msg);
    js_xbook_free(b);
    unlink(path);
    return done_testing();
}
