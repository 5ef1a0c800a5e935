/* Fuzz target: a whole workbook file read through the workbook sheet
 * source, every sheet of the schema as CSV — an .xlsx (zip container,
 * workbook.xml, rels, sharedStrings, styles and sheets) or an .xls (compound
 * file and BIFF records read by libfreexl), told apart by content
 * (sheetbook.c), and the refusal of anything else. The input is written to
 * a temporary file, since both readers open paths.
 *
 * freexl runs in a child process (xls_read.c): its own memory errors on
 * damaged files (the stack-buffer-underflow kept in the corpus as
 * crash-freexl-iconv-underflow) end that child, which under ASan leaves a
 * crash-* artifact of the child behind while this process, our framing and
 * CSV conversion go on being fuzzed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_tmpfile.h"

#include "sheetbook.h"
#include "workbook_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/juesuan-fuzz-XXXXXX";
    if (!fuzz_tmpfile(path, data, size))
        return 0;
    js_diag d;
    js_sheetbook *b = js_sheetbook_open(path, &d);
    if (b) {
        js_sheet_source src = js_sheetbook_source(b);
        char found[512];
        src.found(src.ctx, found, sizeof found);
        for (int s = 0; s < js_nsheets; s++) {
            char *csv = NULL, display[512];
            size_t len = 0;
            src.get(src.ctx, js_sheets[s].file, &csv, &len, display, sizeof display, &d);
            free(csv);
        }
        js_sheetbook_close(b);
    }
    unlink(path);
    return 0;
}
