/* Fuzz target: dictionary files, and the old names of an edition's items
 * (former.csv, parsed against a small dictionary) when the input starts
 * with that file's first heading. */
#include <stdint.h>
#include <string.h>

#include "juesuan/dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_dict *dict = js_dict_new(2024);
    js_diag d;
    if (dict && size >= strlen("分类") && !memcmp(data, "分类", strlen("分类"))) {
        static const char base[] = "编码,名称,说明\n210,卫生健康支出,\n21011,行政事业单位医疗,\n";
        if (js_dict_parse(dict, JS_DICT_FUNC, "base.csv", base, strlen(base), &d) == JS_OK &&
            js_dict_parse_former(dict, "former.csv", (const char *)data, size, &d) == JS_OK) {
            size_t n;
            const js_former_name *f = js_dict_former_names(dict, &n);
            for (size_t i = 0; i < n; i++)
                if (!js_dict_is_former(dict, f[i].kind, f[i].code, f[i].digits, f[i].name))
                    __builtin_trap();
        }
    } else if (dict && js_dict_parse(dict, size && (data[0] & 1) ? JS_DICT_ECON : JS_DICT_FUNC, "fuzz.csv",
                                     (const char *)data, size, &d) == JS_OK) {
        size_t n;
        const js_code *codes = js_dict_codes(dict, JS_DICT_FUNC, &n);
        for (size_t i = 0; i < n; i++)
            if (!js_dict_find(dict, JS_DICT_FUNC, codes[i].code, codes[i].digits))
                __builtin_trap();
    }
    js_dict_free(dict);
    return 0;
}
