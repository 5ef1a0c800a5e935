/* Fuzz target: the score's definitions (score.json) and the COFOG
 * crosswalk, the two files of data this stage reads. The first byte
 * chooses: even, score.json; odd, a crosswalk (after a fixed list of COFOG
 * names). */
#include <stdint.h>
#include <string.h>

#include "juesuan/cofog.h"
#include "juesuan/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char names[] = "code,name\n01,General public services\n01.1,Executive\n04,Economic affairs\n"
                                "04.5,Transport\n10,Social protection\n";
    if (!size)
        return 0;
    js_diag d;
    const char *text = (const char *)data + 1;
    if (!(data[0] & 1)) {
        js_scoredef *def = js_scoredef_parse("score.json", text, size - 1, &d);
        if (def && !js_scoredef_version(def))
            __builtin_trap();
        js_scoredef_free(def);
        return 0;
    }
    js_cofog *c = js_cofog_parse("cofog.csv", names, strlen(names), "2024.csv", text, size - 1, &d);
    if (c) {
        size_t n;
        const js_cofog_map *rows = js_cofog_rows(c, &n);
        for (size_t i = 0; i < n; i++)
            if (js_cofog_find(c, rows[i].code, rows[i].digits) != &rows[i])
                __builtin_trap();
        js_cofog_free(c);
    }
    return 0;
}
