/* The JSON writer gives the text jansson's json_dumps gives for the same
 * value (the writer stands in for it where a batch writes a file
 * thousands of times): nesting, empty containers, escapes, integers,
 * booleans. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"
#include "jsonout.h"
#include "tap.h"

/* One document, written straight. */
static void write_doc(js_jw *w, const char *text)
{
    js_jw_object(w);
    js_jw_key(w, "text");
    js_jw_string(w, text);
    js_jw_key(w, "empty object");
    js_jw_object(w);
    js_jw_end_object(w);
    js_jw_key(w, "empty array");
    js_jw_array(w);
    js_jw_end_array(w);
    js_jw_key(w, "numbers");
    js_jw_array(w);
    js_jw_int(w, 0);
    js_jw_int(w, -1);
    js_jw_int(w, INT64_MAX);
    js_jw_int(w, INT64_MIN);
    js_jw_end_array(w);
    js_jw_key(w, "nested");
    js_jw_array(w);
    js_jw_object(w);
    js_jw_key(w, "a");
    js_jw_null(w);
    js_jw_kbool(w, "yes", true);
    js_jw_kbool(w, "no", false);
    js_jw_key(w, "b");
    js_jw_string_or_null(w, "");
    js_jw_key(w, "c");
    js_jw_array(w);
    js_jw_array(w);
    js_jw_end_array(w);
    js_jw_end_array(w);
    js_jw_end_object(w);
    js_jw_end_array(w);
    js_jw_end_object(w);
}

static json_t *jansson_doc(const char *text)
{
    json_t *nested = json_pack("[{s:n, s:b, s:b, s:n, s:[[]]}]", "a", "yes", 1, "no", 0, "b", "c");
    return json_pack("{s:s, s:{}, s:[], s:[I, I, I, I], s:o}", "text", text, "empty object", "empty array", "numbers",
                     (json_int_t)0, (json_int_t)-1, (json_int_t)INT64_MAX, (json_int_t)INT64_MIN, "nested", nested);
}

static void same(const char *text, const char *what)
{
    js_buf a, b;
    js_buf_init(&a, 1 << 20);
    js_buf_init(&b, 1 << 20);
    js_jw w;
    js_jw_init(&w, &a);
    write_doc(&w, text);
    js_status sa = js_jw_finish(&w), sb = js_json_out(jansson_doc(text), &b);
    ok(sa == JS_OK && sb == JS_OK && a.len == b.len && !memcmp(a.data, b.data, a.len), "%s: the same text as jansson",
       what);
    js_buf_release(&a);
    js_buf_release(&b);
}

int main(void)
{
    same("plain", "ASCII");
    same("部门决算 万元（一）", "UTF-8 as it is");
    same("quote \" backslash \\ slash / tab \t newline \n return \r bell \a formfeed \f backspace \b unit \x1f del \x7f",
         "escapes");
    same("", "an empty text");
    js_buf a;
    js_buf_init(&a, 1 << 20);
    js_jw w;
    js_jw_init(&w, &a);
    write_doc(&w, "bad \xff\xfe");
    ok(js_jw_finish(&w) == JS_E_NOMEM && !json_string("bad \xff\xfe"),
       "a text not valid UTF-8 fails as jansson fails to take it");
    js_buf_release(&a);
    js_jw_init(&w, &a);
    js_jw_object(&w);
    ok(js_jw_finish(&w) != JS_OK, "an object left open fails");
    js_buf_release(&a);
    return done_testing();
}
