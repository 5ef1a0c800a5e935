/* For fuzz targets whose reader opens a path: the input written to a new
 * temporary file. */
#ifndef JUESUAN_FUZZ_TMPFILE_H
#define JUESUAN_FUZZ_TMPFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data into a new file named in path (a mkstemp template, changed
 * in place); false, and nothing left behind, when it cannot. The caller
 * unlinks path. */
static inline bool fuzz_tmpfile(char *path, const uint8_t *data, size_t size)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return false;
    FILE *f = fdopen(fd, "wb");
    if (!f || fwrite(data, 1, size, f) != size) {
        if (f)
            fclose(f);
        else
            close(fd);
        unlink(path);
        return false;
    }
    fclose(f);
    return true;
}

#endif
