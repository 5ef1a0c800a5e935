/* The Markdown and HTML escapes of lib/base/buf.c, which copy the bytes
 * between two escapes as one run, give the bytes of the byte-at-a-time
 * definitions below (the escapes as they were written first) on texts
 * made of every byte that matters, at every position. */
#include <stdlib.h>
#include <string.h>

#include "juesuan/buf.h"
#include "tap.h"

/* The reference: one byte at a time. */
static void ref_html(js_buf *b, const char *s, bool br)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': js_buf_puts(b, "&lt;"); break;
        case '>': js_buf_puts(b, "&gt;"); break;
        case '&': js_buf_puts(b, "&amp;"); break;
        case '"': js_buf_puts(b, "&quot;"); break;
        case '\n': js_buf_puts(b, br ? "<br>" : "\n"); break;
        default: js_buf_putc(b, *s);
        }
    }
}

static void ref_md(js_buf *b, const char *s, js_md_place place)
{
    bool line_start = place == JS_MD_PARA;
    for (; *s; s++) {
        char c = *s;
        if (c == '\n' || c == '\r') {
            if (place != JS_MD_PARA) {
                if (!(c == '\r' && s[1] == '\n'))
                    js_buf_putc(b, ' ');
                continue;
            }
            js_buf_putc(b, c);
            line_start = true;
            continue;
        }
        if (line_start && (c == ' ' || c == '\t')) {
            js_buf_putc(b, c);
            continue;
        }
        bool esc = strchr("\\`*_[]<&~|", c) != NULL ||
                   (line_start && (strchr("#>+=", c) || (c == '-' && s[1] == '-')));
        if (esc)
            js_buf_putc(b, '\\');
        js_buf_putc(b, c);
        line_start = false;
    }
}

int main(void)
{
    /* every byte either escape treats apart, plain ASCII and a Chinese
     * character (three bytes) */
    static const char *const parts[] = {"<", ">", "&", "\"", "\n", "\r", " ", "\t", "\\", "`", "*", "_", "[",
                                        "]", "~", "|", "#", "+", "=", "-", "a", "1", "支", "。"};
    const size_t nparts = sizeof parts / sizeof parts[0];
    srand(19);
    size_t html_same = 0, md_same = 0, texts = 20000;
    for (size_t t = 0; t < texts; t++) {
        char text[256] = "";
        size_t len = (size_t)rand() % 24;
        for (size_t k = 0; k < len; k++)
            strcat(text, parts[(size_t)rand() % nparts]);
        bool br = t % 2;
        js_md_place place = (js_md_place)(t % 3 == 0 ? JS_MD_PARA : t % 3 == 1 ? JS_MD_LINE : JS_MD_CELL);
        js_buf a, b;
        js_buf_init(&a, 1 << 20);
        js_buf_init(&b, 1 << 20);
        js_buf_puts(&a, "x");
        js_buf_puts(&b, "x");
        js_buf_html(&a, text, br);
        ref_html(&b, text, br);
        html_same += a.len == b.len && !memcmp(a.data, b.data, a.len);
        js_buf_reset(&a);
        js_buf_reset(&b);
        js_buf_md(&a, text, place);
        ref_md(&b, text, place);
        md_same += a.len == b.len && !memcmp(a.data, b.data, a.len);
        js_buf_release(&a);
        js_buf_release(&b);
    }
    ok(html_same == texts, "js_buf_html gives the reference's bytes on %zu texts (%zu did)", texts, html_same);
    ok(md_same == texts, "js_buf_md gives the reference's bytes on %zu texts (%zu did)", texts, md_same);

    js_buf a;
    js_buf_init(&a, 1 << 20);
    js_buf_md(&a, "# 标题\n-- 一 -- 二 *三*", JS_MD_PARA);
    is_str(a.data, "\\# 标题\n\\-- 一 -- 二 \\*三\\*", "Markdown: a heading mark and a rule's dashes at a line's start, emphasis anywhere");
    js_buf_reset(&a);
    js_buf_html(&a, "a<b & \"c\"\nd", true);
    is_str(a.data, "a&lt;b &amp; &quot;c&quot;<br>d", "HTML: the four escapes and a line break");
    js_buf_release(&a);
    return done_testing();
}
