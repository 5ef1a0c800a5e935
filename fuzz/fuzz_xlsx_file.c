/* Fuzz target: a whole .xlsx file (zip container, workbook.xml, rels,
 * sharedStrings and sheets) read through the workbook sheet source, every
 * sheet of the schema as CSV. The input is written to a temporary file,
 * since the reader opens paths. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "workbook_schema.h"
#include "xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/juesuan-fuzz-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    FILE *f = fdopen(fd, "wb");
    if (!f || fwrite(data, 1, size, f) != size) {
        if (f)
            fclose(f);
        unlink(path);
        return 0;
    }
    fclose(f);
    js_diag d;
    js_xlsx *x = js_xlsx_open(path, &d);
    if (x) {
        js_sheet_source src = js_xlsx_source(x);
        for (int s = 0; s < js_nsheets; s++) {
            char *csv = NULL, display[512];
            size_t len = 0;
            src.get(src.ctx, js_sheets[s].file, &csv, &len, display, sizeof display, &d);
            free(csv);
        }
        js_xlsx_close(x);
    }
    unlink(path);
    return 0;
}
