/* Fuzz target: the rule language. Parses the input as a .rules file and
 * runs what parses over the printed tables of a small fixed tables.json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "juesuan/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char k_tables[] =
    "{\"tables\":[{\"id\":\"01\",\"number\":\"公开01表\",\"blocks\":[{\"heading\":\"收入\",\"columns\":["
    "{\"key\":\"amount\",\"kind\":\"amount\",\"heading\":[\"金额\"]}]}],\"rows\":["
    "{\"block\":0,\"row\":1,\"pos\":1,\"code\":null,\"name\":\"一\",\"level\":0,\"cells\":{\"amount\":{\"wan\":\"1.00\"}}},"
    "{\"block\":0,\"row\":2,\"pos\":2,\"code\":\"206\",\"name\":\"科学技术支出\",\"level\":3,\"cells\":{\"amount\":{\"wan\":\"2.00\"}}},"
    "{\"block\":0,\"row\":3,\"pos\":3,\"code\":\"20601\",\"name\":\"款\",\"level\":5,\"cells\":{\"amount\":{\"wan\":\"2.00\"}}},"
    "{\"block\":0,\"row\":27,\"pos\":4,\"code\":null,\"name\":\"合计\",\"level\":0,\"cells\":{\"amount\":{\"wan\":\"3.00\"}}}]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_view *view;
    js_diag d;
    if (!view && !(view = js_view_from_json("t.json", k_tables, strlen(k_tables), &d)))
        abort();
    js_ruleset *rs = js_rules_new();
    if (rs && js_rules_parse(rs, "fuzz.rules", (const char *)data, size, &d) == JS_OK) {
        js_findings *f = js_findings_new();
        if (f && js_rules_run(rs, view, f, &d) == JS_OK) {
            js_buf b;
            js_buf_init(&b, 1 << 22);
            js_findings_text(f, false, &b);
            js_findings_json(f, &b);
            js_findings_csv(f, &b);
            js_buf_release(&b);
        }
        js_findings_free(f);
    }
    js_rules_free(rs);
    return 0;
}
