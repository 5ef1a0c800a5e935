/* How an output set (outset.c) reaches the disk: one syncfs for the whole
 * staged folder, whatever its size, then the swap and one fsync of the
 * parent; an fsync of each file and folder only where syncfs is refused
 * (ENOSYS); and a failing syncfs fails the commit with the old set kept
 * (issue 19). The system calls are counted through outset_sys.h's seam. */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "juesuan/output.h"
#include "outset_sys.h"
#include "tap.h"

static int n_fsync, n_syncfs, syncfs_errno;

static int count_fsync(int fd)
{
    n_fsync++;
    return js_outset_real_calls.fsync(fd);
}

static int count_syncfs(int fd)
{
    n_syncfs++;
    if (syncfs_errno) {
        errno = syncfs_errno;
        return -1;
    }
    return js_outset_real_calls.syncfs(fd);
}

/* The text of dir/name, or "" (static). */
static const char *slurp(const char *dir, const char *name)
{
    static char text[256];
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    return text;
}

/* Writes a set of files named f00.txt… holding "TAG NN" into dir. */
static js_status write_set(const char *dir, int files, const char *tag)
{
    n_fsync = n_syncfs = 0;
    js_diag d;
    js_diag_clear(&d);
    js_outset *o = js_outset_begin(dir, &d);
    js_status st = o ? JS_OK : d.status;
    for (int i = 0; i < files && st == JS_OK; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "f%02d.txt", i);
        int n = snprintf(text, sizeof text, "%s %02d", tag, i);
        st = js_outset_add(o, name, text, (size_t)n, &d);
    }
    return st == JS_OK ? js_outset_commit(o, &d) : (js_outset_abort(o), st);
}

int main(void)
{
    char tmpl[] = "/tmp/juesuan-test-outset.XXXXXX";
    const char *tmp = mkdtemp(tmpl);
    if (!tmp)
        return 1;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/out", tmp);
    js_outset_calls.fsync = count_fsync;
    js_outset_calls.syncfs = count_syncfs;

    /* one department's size: 19 files and the marker */
    ok(write_set(dir, 19, "one") == JS_OK, "a set of 19 files is written");
    ok(n_syncfs == 1, "flushed by one syncfs (%d)", n_syncfs);
    ok(n_fsync == 1, "and one fsync, of the parent after the swap (%d)", n_fsync);
    is_str(slurp(dir, "f18.txt"), "one 18", "the last file holds its text");

    /* syncfs refused: each file, the folder, then the parent */
    syncfs_errno = ENOSYS;
    ok(write_set(dir, 19, "two") == JS_OK, "without syncfs the set is written all the same");
    ok(n_fsync == 19 + 1 + 1 + 1, "by an fsync of each file, the marker, the folder and the parent (%d)", n_fsync);
    is_str(slurp(dir, "f00.txt"), "two 00", "the new set is in place");

    /* a writeback error: the commit fails, the old set stays */
    syncfs_errno = EIO;
    ok(write_set(dir, 3, "three") == JS_E_IO, "a failing syncfs fails the commit");
    ok(n_fsync == 0, "without falling back to fsyncs that would not see the error (%d)", n_fsync);
    is_str(slurp(dir, "f00.txt"), "two 00", "the old set is kept");
    is_str(slurp(dir, "f18.txt"), "two 18", "whole");

    js_outset_calls = js_outset_real_calls;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        ok(0, "temporary removed");
    return done_testing();
}
