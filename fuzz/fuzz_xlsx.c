/* Fuzz target: a worksheet's XML (as in an .xlsx) to CSV. */
#include <stdint.h>

#include "juesuan/limits.h"
#include "xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const shared[] = {"单位", "金额(元)", "1,234.00", "x\"y"};
    js_buf out;
    js_buf_init(&out, 1 << 22);
    js_diag d;
    js_xlsx_sheet_csv((const char *)data, size, shared, 4, &out, &d);
    js_buf_release(&out);
    return 0;
}
