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
    static const bool date_style[] = {false, true, false};
    const js_xlsx_dates dates = {date_style, 3, size > 0 && data[0] == ' '};
    js_xlsx_sheet_csv((const char *)data, size, shared, 4, &dates, &out, &d);
    js_buf_release(&out);
    return 0;
}
