/* Fuzz target: dictionary files. */
#include <stdint.h>

#include "juesuan/dict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    js_dict *dict = js_dict_new(2024);
    js_diag d;
    if (dict && js_dict_parse(dict, size && (data[0] & 1) ? JS_DICT_ECON : JS_DICT_FUNC, "fuzz.csv",
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
