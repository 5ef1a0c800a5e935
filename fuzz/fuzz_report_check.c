/* Fuzz target: a report checked end to end (read as extracted text, the
 * printed rules, the narrative checks against the tables), through a
 * temporary file as the command line would read it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "juesuan/run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static js_run_shared *s;
    static char path[64];
    if (!s) {
        s = js_run_shared_new(getenv("JUESUAN_DATA") ? getenv("JUESUAN_DATA") : "data");
        snprintf(path, sizeof path, "/tmp/juesuan-fuzz-%ld.txt", (long)getpid());
        if (!s)
            abort();
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    js_findings *out = js_findings_new();
    js_diag d;
    if (out)
        (void)js_check_report(s, path, NULL, out, &d);
    js_findings_free(out);
    unlink(path);
    return 0;
}
