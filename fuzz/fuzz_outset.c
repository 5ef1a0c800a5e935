/* Fuzz target: the output set's all-or-nothing commit under injected
 * faults (lib/base/outset.c through its seam, outset_sys.h).
 *
 * The input drives one output set over a folder that holds a previous set
 * (or nothing): files added, nested sets (a batch's departments), some
 * aborted (a department that failed), then commit or abort. One input-chosen step of the file system calls fails (or, with
 * the persistent flag, every call from it on, as a disk that went
 * read-only), with an input-chosen errno; RENAME_EXCHANGE may be made
 * unavailable, for the two-rename path. A caller that sees a failure
 * aborts, as the library's callers do.
 *
 * Afterwards the folder must hold exactly the new set when the commit
 * succeeded, else exactly the previous one (the same files, bytes and
 * nothing more), and its parent nothing but the folder: no temporary left.
 * The new set is what the same input gives with no fault, in a second
 * folder. One state is allowed besides, and only after two failures in a
 * row: the two-rename path moved the previous set aside, the second rename
 * failed and so did the rename back; the previous set then sits whole at
 * .NAME.old-PID, where the next run puts it back (tests/outset_kill.t).
 *
 * Input: byte 0 flags (FL_*), bytes 1-2 the failing step + 1 (little
 * endian; 0: none), byte 3 the errno, then records: a byte (low 3 bits:
 * the name, the others: the operation) and a length byte followed by that
 * many bytes of content. */
#define _GNU_SOURCE /* mkdtemp, nftw, RENAME_EXCHANGE */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "juesuan/buf.h"
#include "juesuan/output.h"
#include "outset_sys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    FL_OLD = 1,         /* a previous set exists */
    FL_WORKBOOK = 2,    /* js_outset_begin_workbook (no marker) */
    FL_NO_EXCHANGE = 4, /* renameat2 RENAME_EXCHANGE is not available */
    FL_PERSIST = 8,     /* every call from the failing step on fails */
    FL_ABORT = 16,      /* the caller aborts instead of committing */
};

enum { OP_ADD, OP_NESTED, OP_NESTED_ABORT, OP_COUNT };

static const char *const k_names[] = {"a.txt", "b.json", "report.html", "tables.xlsx",
                                      "x y.csv", "长名字.txt", "table-01.csv", "summary.txt", NULL};
static const int k_errnos[] = {EIO, ENOSPC, EACCES, EROFS, EDQUOT, EPERM, ENOENT, EBUSY};

/* ---- the faulty calls ------------------------------------------------ */

static int fail_at = -1, step;
static bool persist, no_exchange;
static int fail_errno;

static bool fails(void)
{
    int s = step++;
    if (fail_at < 0 || (persist ? s < fail_at : s != fail_at))
        return false;
    errno = fail_errno;
    return true;
}

static int f_open(const char *p, int flags, mode_t mode)
{
    return fails() ? -1 : js_outset_real_calls.open(p, flags, mode);
}
static ssize_t f_write(int fd, const void *data, size_t len)
{
    if (fails())
        return -1;
    /* a short write now and then: the caller must go on */
    return js_outset_real_calls.write(fd, data, len > 1 && step % 3 == 0 ? len / 2 : len);
}
static int f_close(int fd)
{
    bool f = fails();
    int r = js_outset_real_calls.close(fd); /* closed even when it fails */
    if (f)
        errno = fail_errno;
    return f ? -1 : r;
}
/* Flushing is only counted: the property is about names, not the disk,
 * and a real fsync per file would slow the fuzzer a hundredfold. */
static int f_fsync(int fd)
{
    (void)fd;
    return fails() ? -1 : 0;
}
static int f_syncfs(int fd)
{
    (void)fd;
    return fails() ? -1 : 0;
}
static int f_mkdir(const char *p, mode_t mode) { return fails() ? -1 : js_outset_real_calls.mkdir(p, mode); }
static int f_rename(const char *a, const char *b) { return fails() ? -1 : js_outset_real_calls.rename(a, b); }
static int f_rename2(const char *a, const char *b, unsigned flags)
{
    if (fails())
        return -1;
    if (no_exchange && (flags & RENAME_EXCHANGE)) {
        errno = EINVAL;
        return -1;
    }
    return js_outset_real_calls.rename2(a, b, flags);
}

static const js_outset_sys k_faulty = {f_open, f_write, f_close, f_fsync, f_syncfs, f_mkdir, f_rename, f_rename2};

/* ---- snapshots of a tree ----------------------------------------------- */

typedef struct {
    char **v;
    size_t n, cap;
} strings;

static void push(strings *l, char *s)
{
    if (!s || (l->n == l->cap && !(l->v = realloc(l->v, (l->cap = l->cap ? 2 * l->cap : 16) * sizeof *l->v))))
        abort();
    l->v[l->n++] = s;
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The strings sorted and joined, each followed by sep; frees them. */
static char *join_sorted(strings *l, char sep)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_text);
    js_buf b;
    js_buf_init(&b, 1L << 26);
    for (size_t i = 0; i < l->n; i++) {
        js_buf_puts(&b, l->v[i]);
        js_buf_putc(&b, sep);
        free(l->v[i]);
    }
    free(l->v);
    *l = (strings){0};
    if (!js_buf_ok(&b))
        abort();
    return b.data ? b.data : strdup("");
}

static strings *snap_list;
static size_t snap_skip;

/* One entry: its path under the root, and a file's bytes in hex (so that
 * an entry is one string without NUL). */
static int snap_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    js_buf b;
    js_buf_init(&b, 1L << 24);
    js_buf_puts(&b, path + snap_skip);
    if (flag == FTW_F && S_ISREG(sb->st_mode)) {
        char *data = NULL;
        size_t len = 0;
        if (js_read_file(path, 1L << 20, &data, &len, NULL) != JS_OK)
            abort();
        js_buf_putc(&b, '=');
        for (size_t i = 0; i < len; i++)
            js_buf_printf(&b, "%02x", (unsigned char)data[i]);
        free(data);
    } else if (flag != FTW_D) {
        js_buf_puts(&b, "<neither a file nor a folder>");
    }
    if (!js_buf_ok(&b))
        abort();
    push(snap_list, b.data ? b.data : strdup(""));
    return 0;
}

/* Every path under dir with its bytes, sorted; "" when dir is absent. */
static char *snapshot(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return strdup("");
    strings l = {0};
    snap_list = &l;
    snap_skip = strlen(dir);
    if (nftw(dir, snap_entry, 16, FTW_PHYS) != 0)
        abort();
    return join_sorted(&l, '\n');
}

/* The names in folder dir, sorted, each followed by '/'. */
static char *listing(const char *dir)
{
    strings l = {0};
    DIR *dp = opendir(dir);
    if (!dp)
        abort();
    for (struct dirent *e; (e = readdir(dp));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            push(&l, strdup(e->d_name));
    closedir(dp);
    return join_sorted(&l, '/');
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path) { nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS); }

static char root[64];

static void remove_root(void) { remove_tree(root); }

/* ---- one run of the input ---------------------------------------------- */

typedef struct {
    const uint8_t *p, *end;
} cursor;

/* Runs the records over dir; true when the set was committed. */
static bool run_set(const char *dir, uint8_t flags, cursor c)
{
    js_diag d;
    js_outset *o = flags & FL_WORKBOOK ? js_outset_begin_workbook(dir, k_names, &d) : js_outset_begin(dir, &d);
    bool good = o != NULL;
    int nested = 0;
    while (good && c.p + 2 <= c.end) {
        int op = (c.p[0] >> 3) % OP_COUNT;
        const char *name = k_names[c.p[0] & 7];
        size_t len = c.p[1];
        c.p += 2;
        if (len > (size_t)(c.end - c.p))
            len = (size_t)(c.end - c.p);
        const uint8_t *content = c.p;
        c.p += len;
        char sub[4096];
        if (op == OP_ADD) {
            good = js_outset_add(o, name, content, len, &d) == JS_OK;
        } else { /* a department's set, departments/N/name, committed or (it failed) aborted */
            snprintf(sub, sizeof sub, "%s/departments/%d", js_outset_dir(o), nested++);
            js_outset *in = js_outset_begin_nested(sub, &d);
            good = in && js_outset_add(in, name, content, len, &d) == JS_OK;
            if (good && op == OP_NESTED)
                good = js_outset_commit(in, &d) == JS_OK;
            else
                js_outset_abort(in);
        }
    }
    if (!good || (flags & FL_ABORT)) {
        js_outset_abort(o);
        return false;
    }
    return js_outset_commit(o, &d) == JS_OK;
}

/* The previous set in dir: every name of the pool, written without faults. */
static void make_old(const char *dir, uint8_t flags)
{
    js_diag d;
    js_outset *o = flags & FL_WORKBOOK ? js_outset_begin_workbook(dir, k_names, &d) : js_outset_begin(dir, &d);
    for (int i = 0; o && k_names[i]; i++)
        if (js_outset_add(o, k_names[i], "old", 3, &d) != JS_OK)
            abort();
    if (!o || js_outset_commit(o, &d) != JS_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    if (!root[0]) {
        snprintf(root, sizeof root, "/tmp/juesuan-fuzz-outset-XXXXXX");
        if (!mkdtemp(root))
            abort();
        atexit(remove_root);
    }
    uint8_t flags = data[0];
    cursor c = {data + 4, data + size};
    char fparent[80], cparent[80], faulty[96], clean[96];
    snprintf(fparent, sizeof fparent, "%s/f", root);
    snprintf(cparent, sizeof cparent, "%s/c", root);
    snprintf(faulty, sizeof faulty, "%s/out", fparent);
    snprintf(clean, sizeof clean, "%s/out", cparent);
    remove_tree(fparent);
    remove_tree(cparent);
    if (mkdir(fparent, 0777) != 0 || mkdir(cparent, 0777) != 0)
        abort();

    /* what the input gives with no fault (through the same table: no
     * fsync there either) */
    js_outset_calls = k_faulty;
    fail_at = -1;
    no_exchange = false;
    bool clean_ok = run_set(clean, flags, c);
    char *want_new = clean_ok ? snapshot(clean) : NULL;

    if (flags & FL_OLD)
        make_old(faulty, flags);
    char *old = snapshot(faulty);
    fail_at = (data[1] | data[2] << 8) - 1;
    fail_errno = k_errnos[data[3] % (sizeof k_errnos / sizeof *k_errnos)];
    persist = flags & FL_PERSIST;
    no_exchange = flags & FL_NO_EXCHANGE;
    step = 0;
    bool ok = run_set(faulty, flags, c);
    js_outset_calls = js_outset_real_calls;

    char *got = snapshot(faulty), *names = listing(fparent);
    char aside[64];
    snprintf(aside, sizeof aside, ".out.old-%ld", (long)getpid());
    bool set_aside = false;
    if (ok) {
        if (!clean_ok || strcmp(got, want_new))
            abort(); /* committed, but not the new set */
    } else if (strcmp(got, old)) {
        /* the one state allowed besides: two failures on the two-rename
         * path left the previous set whole beside the folder */
        char moved[192];
        snprintf(moved, sizeof moved, "%s/%s", fparent, aside);
        char *kept = snapshot(moved);
        set_aside = no_exchange && persist && !got[0] && old[0] && !strcmp(kept, old);
        free(kept);
        if (!set_aside)
            abort(); /* failed, and the previous set is not there whole */
    }
    /* nothing but the folder beside it: no temporary left behind */
    char want_names[80];
    snprintf(want_names, sizeof want_names, "%s", set_aside ? aside : got[0] ? "out" : "");
    if (want_names[0])
        strcat(want_names, "/");
    if (strcmp(names, want_names))
        abort();
    free(names);
    free(got);
    free(old);
    free(want_new);
    return 0;
}
