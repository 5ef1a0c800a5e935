/* js_buf_html and js_buf_md: what each escapes, where (runs of plain text
 * are copied whole, so the bytes around and between the special ones are
 * the cases), and a buffer at its limit. */
#include "juesuan/buf.h"
#include "tap.h"

/* A buffer emptied for the next case (the last one freed at the end). */
static js_buf *fresh(void)
{
    static js_buf b;
    js_buf_release(&b);
    js_buf_init(&b, 1 << 20);
    return &b;
}

static const char *html(const char *s, bool br)
{
    js_buf *b = fresh();
    js_buf_html(b, s, br);
    return b->data ? b->data : "";
}

static const char *md(const char *s, js_md_place place)
{
    js_buf *b = fresh();
    js_buf_md(b, s, place);
    return b->data ? b->data : "";
}

int main(void)
{
    is_str(html("", false), "", "html: nothing");
    is_str(html("支出合计", false), "支出合计", "html: plain text as it is");
    is_str(html("<a href=\"x\">&</a>", false), "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;", "html: < > & \" escaped");
    is_str(html("甲\n乙\n", true), "甲<br>乙<br>", "html: line ends as <br> when asked");
    is_str(html("甲\n乙", false), "甲\n乙", "html: line ends kept otherwise");
    is_str(html("&&", false), "&amp;&amp;", "html: special bytes one after another");
    is_str(html("'单引号'", false), "'单引号'", "html: a single quote is not escaped");

    is_str(md("", JS_MD_PARA), "", "md: nothing");
    is_str(md("一般公共预算财政拨款", JS_MD_PARA), "一般公共预算财政拨款", "md: plain text as it is");
    is_str(md("a*b_c`d[e]f<g&h~i|j\\k", JS_MD_LINE), "a\\*b\\_c\\`d\\[e\\]f\\<g\\&h\\~i\\|j\\\\k",
           "md: the inline markers escaped mid-line");
    is_str(md("# 标题", JS_MD_PARA), "\\# 标题", "md: # at the start of a paragraph");
    is_str(md("x # y", JS_MD_PARA), "x # y", "md: # mid-line kept");
    is_str(md("甲\n> 乙\n+ 丙\n= 丁\n-- 戊\n- 己", JS_MD_PARA), "甲\n\\> 乙\n\\+ 丙\n\\= 丁\n\\-- 戊\n- 己",
           "md: # > + = -- at each line's start, a single - kept");
    is_str(md("甲\n  # 乙", JS_MD_PARA), "甲\n  \\# 乙", "md: spaces at a line's start, then the marker");
    is_str(md("# 标题", JS_MD_LINE), "# 标题", "md: a heading's text follows its marker: # kept");
    is_str(md("甲\r\n乙\n丙\r丁", JS_MD_CELL), "甲 乙 丙 丁", "md: a cell is one line (CR LF one space)");
    is_str(md("甲\r\n乙", JS_MD_PARA), "甲\r\n乙", "md: a paragraph keeps its line ends");
    is_str(md("50%|30%", JS_MD_CELL), "50%\\|30%", "md: | in a cell");

    js_buf small;
    js_buf_init(&small, 8);
    js_buf_html(&small, "0123456789", false);
    ok(!js_buf_ok(&small), "html: a buffer over its limit fails");
    js_buf_release(&small);
    js_buf_init(&small, 8);
    js_buf_md(&small, "0123*56789", JS_MD_LINE);
    ok(!js_buf_ok(&small), "md: a buffer over its limit fails");
    js_buf_release(&small);
    js_buf_release(fresh());
    return done_testing();
}
