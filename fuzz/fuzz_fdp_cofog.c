/* Fuzz target: a fiscal-data.csv read back and summed by COFOG division
 * (js_fdp_cofog_spending), then the COFOG names file over the result
 * (js_cofog_parse of the names alone, js_fdp_cofog_name_divisions). The first byte chooses: even, the input is the
 * package's CSV; odd, it is the names file, applied to a fixed CSV. The
 * parts must add up to the total whenever the sum succeeds. */
#include <stdint.h>
#include <string.h>

#include "juesuan/fdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const js_cofog_spending *s)
{
    js_fen sum = 0;
    const js_cofog_part *lists[3] = {s->divisions, s->excluded, s->unmapped};
    size_t ns[3] = {s->ndivisions, s->nexcluded, s->nunmapped};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < ns[k]; i++)
            if (__builtin_add_overflow(sum, lists[k][i].amount, &sum))
                return; /* the parts' order overflows where the lines' did not */
    if (sum != s->expenditure_total)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char fixed[] =
        "department,direction,phase,value_kind,func_lei_code,func_lei_name,func_kuan_code,func_kuan_name,"
        "cofog_division,cofog_division_name,cofog_confidence,amount\n"
        "甲,expenditure,executed,flow,206,科学技术支出,20601,管理事务,01,General public services,M,1.00\n"
        "甲,expenditure,executed,flow,212,城乡社区支出,21201,管理事务,06,Housing,M,2.00\n";
    if (!size)
        return 0;
    js_diag d;
    js_cofog_spending s;
    const char *text = (const char *)data + 1;
    if (!(data[0] & 1)) {
        if (js_fdp_cofog_spending("fiscal-data.csv", text, size - 1, &s, &d) == JS_OK)
            check(&s);
    } else if (js_fdp_cofog_spending("fiscal-data.csv", fixed, strlen(fixed), &s, &d) == JS_OK) {
        js_cofog *names = js_cofog_parse("cofog.csv", text, size - 1, NULL, NULL, 0, &d);
        if (names)
            js_fdp_cofog_name_divisions(&s, names);
        js_cofog_free(names);
        check(&s);
    }
    js_cofog_spending_release(&s);
    return 0;
}
