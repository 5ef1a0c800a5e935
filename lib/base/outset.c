/* All-or-nothing output (juesuan/output.h): a set of files is written into
 * a fresh sibling of its folder, flushed to disk, then swapped in with one
 * rename; single files go through a temporary sibling and one rename. */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE, nftw */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "juesuan/limits.h"
#include "juesuan/output.h"
#include "outset_sys.h"

const char js_outset_marker[] = ".juesuan-output";

static int real_open(const char *path, int flags, mode_t mode) { return open(path, flags, mode); }
static int real_rename2(const char *from, const char *to, unsigned flags)
{
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, flags);
}

const js_outset_sys js_outset_real_calls = {real_open, write, close, fsync, syncfs, mkdir, rename, real_rename2};
js_outset_sys js_outset_calls = {real_open, write, close, fsync, syncfs, mkdir, rename, real_rename2};
#define SYS js_outset_calls

struct js_outset {
    char *dir;    /* where the set goes, as given (for messages) */
    char *path;   /* the same resolved (symbolic links, "."): parent/NAME */
    char *parent; /* its folder */
    char *stage;  /* the fresh sibling being filled: parent/.NAME.tmp-PID */
    int nfiles;
    bool nested;  /* written in place inside an outer set's stage */
};

static js_status nomem(js_diag *d) { return js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足"); }

static js_status io_error(js_diag *d, const char *path, const char *what, int err)
{
    return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "%s：%s（errno %d）", what, js_errno_text(err), err);
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes path and everything under it (symbolic links are not followed). */
static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static bool fsync_path(const char *path, bool dir)
{
    int fd = SYS.open(path, (dir ? O_RDONLY | O_DIRECTORY : O_WRONLY) | O_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool ok = SYS.fsync(fd) == 0 || errno == EINVAL; /* a file system without fsync */
    return SYS.close(fd) == 0 && ok;
}

static int fsync_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_DP || S_ISREG(sb->st_mode))
        return fsync_path(path, flag == FTW_DP) ? 0 : -1;
    return 0;
}

/* Flushes every file and folder under path to disk: with the one syncfs
 * of the file system that holds it, or each in turn where that call is
 * refused (ENOSYS, or EPERM from a sandbox's filter).
 *
 * Why one syncfs is as crash-safe as an fsync of each file and folder:
 * syncfs writes back every dirty inode, page and metadata block of the
 * file system, waits for them and then flushes the device's cache, so
 * when it returns 0 the whole stage (a fresh folder on that file system,
 * no mount inside it) is on stable storage, which is all that the per-file
 * fsyncs gave; the commit then swaps the stage in with one rename and
 * flushes the parent, as before, so that a crash at any point leaves the
 * old set or the new one. Since Linux 5.8 syncfs also reports a writeback
 * error of the file system (EIO), which fails the commit with the old set
 * kept. It writes other programs' dirty data too, but one department's set
 * was 24 fsyncs, each writing the new folder again and flushing the disk:
 * on a shared machine where others wrote, one syncfs took 0.73 x the wall
 * time of the build with an fsync each, as fast as no flush at all (issue
 * 19, bench/README.md). A batch's thousands of files used syncfs already. */
static bool fsync_tree(const char *path)
{
    int fd = SYS.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool ok = SYS.syncfs(fd) == 0;
    int err = ok ? 0 : errno;
    SYS.close(fd);
    if (ok)
        return true;
    if (err != ENOSYS && err != EPERM) {
        errno = err;
        return false;
    }
    return nftw(path, fsync_entry, 16, FTW_DEPTH | FTW_PHYS) == 0;
}

static js_status mkdir_p(const char *dir, js_diag *d)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "路径过长");
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (SYS.mkdir(path, 0777) != 0 && errno != EEXIST)
                return io_error(d, path, "无法创建目录", errno);
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "已存在，但不是目录");
    return JS_OK;
}

/* The process id in a temporary's name "PREFIX<digits>", or 0. */
static long pid_after(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) || !name[n] || strspn(name + n, "0123456789") != strlen(name + n))
        return 0;
    return strtol(name + n, NULL, 10);
}

static bool dead(long pid)
{
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Temporaries of runs killed while writing base in parent: a staging folder
 * or file (.tmp-PID) is removed; a set moved aside (.old-PID) by a run
 * killed between its two renames is put back when nothing replaced it. */
static void clean_stale(const char *parent, const char *base, bool hidden)
{
    char tmp[NAME_MAX + 1], old[NAME_MAX + 1];
    if (snprintf(tmp, sizeof tmp, "%s%s.tmp-", hidden ? "." : "", base) >= (int)sizeof tmp ||
        snprintf(old, sizeof old, "%s%s.old-", hidden ? "." : "", base) >= (int)sizeof old)
        return;
    DIR *dp = opendir(parent);
    if (!dp)
        return;
    char *back = NULL;
    for (struct dirent *e; (e = readdir(dp));) {
        long tpid = pid_after(e->d_name, tmp), opid = pid_after(e->d_name, old);
        char *path = (dead(tpid) || dead(opid)) ? join(parent, e->d_name) : NULL;
        if (path && dead(opid) && !back)
            back = path; /* after the listing: renames change it */
        else if (path) {
            remove_tree(path);
            free(path);
        }
    }
    closedir(dp);
    if (back) {
        char *dir = join(parent, base);
        struct stat st;
        if (dir && lstat(dir, &st) != 0 && errno == ENOENT)
            SYS.rename(back, dir);
        else
            remove_tree(back);
        free(dir);
        free(back);
    }
}

static bool listed(const char *name, const char *const *names)
{
    for (; names && *names; names++)
        if (!strcmp(name, *names))
            return true;
    return false;
}

/* May the folder dir be replaced whole? When it is empty, holds a set
 * written before (the marker, when marked) or only entries of names;
 * *foreign names an entry that is none of these. */
static bool replaceable(const char *dir, bool marked_set, const char *const *names, char *foreign, size_t n)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return false;
    bool marked = false, empty = true;
    for (struct dirent *e; (e = readdir(dp));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (marked_set && !strcmp(e->d_name, js_outset_marker))
            marked = true;
        else if (!listed(e->d_name, names) && !*foreign)
            snprintf(foreign, n, "%s", e->d_name);
        empty = false;
    }
    closedir(dp);
    return marked || empty || !*foreign;
}

/* Splits the folder path into its parent and name: both malloc'd. The
 * path is resolved first when it exists (".", "..", symbolic links). */
static js_status split_dir(const char *dir, char **parent, char **base, js_diag *d)
{
    char *real = realpath(dir, NULL);
    char *p = real ? real : strdup(dir);
    if (!p)
        return nomem(d);
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    char *slash = strrchr(p, '/');
    const char *name = slash ? slash + 1 : p;
    if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        free(p);
        return js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "不能用作输出目录（请给出一个子目录）");
    }
    *base = strdup(name);
    if (slash == p)
        *parent = strdup("/");
    else if (slash) {
        *slash = '\0';
        *parent = strdup(p);
    } else {
        *parent = strdup(".");
    }
    free(p);
    if (!*base || !*parent) {
        free(*base);
        free(*parent);
        return nomem(d);
    }
    return JS_OK;
}

/* Files from this size on start their writeback when written (below). A
 * start is a request to the disk's queue (on a virtual machine, an exit
 * to the host: 5% of a batch build's time when each of a department's 20
 * files asked); a department's 6 files of 16 KB and more are three
 * quarters of its bytes. */
#define START_FROM (16 * 1024)

/* Writes the len bytes at data to fd and closes it: 0, or the errno of the
 * first failure (of a write or of the close). With start, the disk starts
 * writing a file of START_FROM bytes or more at once (Linux; errors come
 * with the flush): a batch writes gigabytes, and a commit that found them
 * all still in memory would wait for all of it at the end, after the
 * work, instead of while it goes on. */
static int write_close(int fd, const void *data, size_t len, bool start)
{
    const char *p = data;
    int err = 0;
    for (size_t done = 0; done < len && !err;) {
        ssize_t w = SYS.write(fd, p + done, len - done);
        if (w < 0 && errno != EINTR)
            err = errno;
        else if (w > 0)
            done += (size_t)w;
    }
#ifdef SYNC_FILE_RANGE_WRITE
    if (start && !err && len >= START_FROM)
        sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)start;
#endif
    if (SYS.close(fd) != 0 && !err)
        err = errno;
    return err;
}

/* Writes data to the new file path (flushed to disk by the commit);
 * messages name shown. */
static js_status write_new(const char *path, const char *shown, const void *data, size_t len, js_diag *d)
{
    int fd = SYS.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return io_error(d, shown, "无法写入", errno);
    int err = write_close(fd, data, len, true);
    if (err) {
        unlink(path);
        return io_error(d, shown, "写入失败", err);
    }
    return JS_OK;
}

/* Is the working directory path or inside it? Replacing it would leave
 * the user's shell in a removed folder. */
static bool holds_cwd(const char *path)
{
    char cwd[PATH_MAX];
    size_t n = strlen(path);
    return getcwd(cwd, sizeof cwd) && !strncmp(cwd, path, n) && (cwd[n] == '/' || cwd[n] == '\0');
}

/* Every set holds the marker that lets the next run replace it. */
static js_status write_marker(js_outset *o, js_diag *d)
{
    static const char note[] = "juesuan: 本目录由 juesuan 整体写出，下次写出时整体替换\n";
    char *m = join(o->stage, js_outset_marker);
    js_status s = m ? write_new(m, o->dir, note, sizeof note - 1, d) : nomem(d);
    free(m);
    return s;
}

static js_outset *begin(const char *dir, bool marked, const char *const *names, js_diag *d)
{
    js_outset *o = calloc(1, sizeof *o);
    if (!o) {
        nomem(d);
        return NULL;
    }
    char foreign[NAME_MAX + 1] = "";
    struct stat st;
    js_status s = split_dir(dir, &o->parent, &o->stage, d); /* stage holds the name for now */
    char *base = o->stage;
    o->stage = NULL;
    if (s == JS_OK && (!(o->dir = strdup(dir)) || !(o->path = join(o->parent, base))))
        s = nomem(d);
    if (s == JS_OK && holds_cwd(o->path))
        s = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "不能写入当前所在的目录（输出目录会被整体替换）：请给出一个子目录");
    if (s == JS_OK)
        s = mkdir_p(o->parent, d);
    if (s == JS_OK)
        clean_stale(o->parent, base, true);
    if (s == JS_OK && lstat(o->path, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            s = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "已存在，但不是目录");
        else if (!replaceable(o->path, marked, names, foreign, sizeof foreign))
            s = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL,
                            "输出目录中已有不是 juesuan 写出的内容（%s），为免误删，未写入：请换一个新目录或先清空它",
                            foreign);
    }
    char name[NAME_MAX + 1];
    if (s == JS_OK && snprintf(name, sizeof name, ".%s.tmp-%ld", base, (long)getpid()) >= (int)sizeof name)
        s = js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "目录名过长");
    if (s == JS_OK && !(o->stage = join(o->parent, name)))
        s = nomem(d);
    if (s == JS_OK) {
        remove_tree(o->stage); /* our own, left by an earlier set of this process */
        if (SYS.mkdir(o->stage, 0777) != 0)
            s = io_error(d, dir, "无法创建输出目录", errno);
    }
    free(base);
    if (s == JS_OK && marked)
        s = write_marker(o, d);
    if (s != JS_OK) {
        js_outset_abort(o);
        return NULL;
    }
    return o;
}

js_outset *js_outset_begin(const char *dir, js_diag *d) { return begin(dir, true, NULL, d); }

js_outset *js_outset_begin_workbook(const char *dir, const char *const *names, js_diag *d)
{
    return begin(dir, false, names, d);
}

js_outset *js_outset_begin_nested(const char *dir, js_diag *d)
{
    js_outset *o = calloc(1, sizeof *o);
    if (!o) {
        nomem(d);
        return NULL;
    }
    o->nested = true;
    js_status s = (o->dir = strdup(dir)) && (o->stage = strdup(dir)) ? mkdir_p(dir, d) : nomem(d);
    if (s == JS_OK)
        s = write_marker(o, d);
    if (s != JS_OK) {
        free(o->stage);
        o->stage = NULL; /* not ours to remove */
        js_outset_abort(o);
        return NULL;
    }
    return o;
}

const char *js_outset_dir(const js_outset *o) { return o->stage; }

js_status js_outset_add(js_outset *o, const char *name, const void *data, size_t len, js_diag *d)
{
    if (o->nfiles == JS_MAX_OUTPUT_FILES)
        return js_diag_set(d, JS_E_LIMIT, name, 0, 0, NULL, "输出文件超过 %d 个", JS_MAX_OUTPUT_FILES);
    char *path = join(o->stage, name), *shown = join(o->dir, name);
    js_status st = path && shown ? write_new(path, shown, data, len, d) : nomem(d);
    free(path);
    free(shown);
    o->nfiles += st == JS_OK;
    return st;
}

static void outset_free(js_outset *o)
{
    free(o->dir);
    free(o->path);
    free(o->parent);
    free(o->stage);
    free(o);
}

/* Puts the staged set in place of dir, which exists: one exchange where
 * the file system has it, else two renames (a kill between them leaves
 * the old set at .NAME.old-PID, put back by the next run). *old is where
 * the previous set now is. */
static int swap_in(const js_outset *o, char **old)
{
    *old = NULL;
    if (SYS.rename2(o->stage, o->path, RENAME_EXCHANGE) == 0) {
        *old = strdup(o->stage);
        return *old ? 0 : ENOMEM;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return errno;
    size_t n = strlen(o->stage) + 1;
    char *aside = malloc(n);
    if (!aside)
        return ENOMEM;
    memcpy(aside, o->stage, n);
    char suffix[32];
    int k = snprintf(suffix, sizeof suffix, ".tmp-%ld", (long)getpid());
    memcpy(aside + n - 1 - (size_t)k, ".old-", 5); /* the stage's name ends with suffix */
    if (SYS.rename(o->path, aside) != 0) {
        int err = errno;
        free(aside);
        return err;
    }
    if (SYS.rename(o->stage, o->path) != 0) {
        int err = errno;
        SYS.rename(aside, o->path);
        free(aside);
        return err;
    }
    *old = aside;
    return 0;
}

js_status js_outset_commit(js_outset *o, js_diag *d)
{
    js_status st = JS_OK;
    if (o->nested) { /* flushed and swapped in with the outer set */
        outset_free(o);
        return JS_OK;
    }
    if (!fsync_tree(o->stage))
        st = io_error(d, o->dir, "无法写入", errno);
    char *old = NULL;
    struct stat sb;
    if (st == JS_OK) {
        int err = lstat(o->path, &sb) == 0 ? swap_in(o, &old) : SYS.rename(o->stage, o->path) == 0 ? 0 : errno;
        if (err)
            st = io_error(d, o->dir, "无法放入输出目录", err);
    }
    if (st == JS_OK)
        fsync_path(o->parent, true);
    if (st != JS_OK) {
        js_outset_abort(o);
        return st;
    }
    if (old)
        remove_tree(old);
    free(old);
    outset_free(o);
    return JS_OK;
}

void js_outset_abort(js_outset *o)
{
    if (!o)
        return;
    if (o->stage)
        remove_tree(o->stage);
    outset_free(o);
}

/* Writes into the existing device or FIFO path. */
static js_status write_into(const char *path, const void *data, size_t len, js_diag *d)
{
    int fd = SYS.open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC, 0);
    if (fd < 0)
        return io_error(d, path, "无法写入", errno);
    int err = write_close(fd, data, len, false);
    return err ? io_error(d, path, "写入失败", err) : JS_OK;
}

/* Replacing the one file path: refuses an existing path that is not a
 * regular file, removes temporaries of dead runs and gives the temporary
 * sibling to write (*tmp, malloc'd). */
static js_status replace_begin(const char *path, char **tmp, js_diag *d)
{
    *tmp = NULL;
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "已存在，是%s，不是普通文件：未写入（为免替换它）",
                           js_file_kind_text(st.st_mode));
    const char *slash = strrchr(path, '/');
    char *parent = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    size_t n = strlen(path) + 32;
    *tmp = parent ? malloc(n) : NULL;
    if (!*tmp) {
        free(parent);
        return nomem(d);
    }
    clean_stale(parent, slash ? slash + 1 : path, false);
    free(parent);
    snprintf(*tmp, n, "%s.tmp-%ld", path, (long)getpid());
    unlink(*tmp);
    return JS_OK;
}

/* Given how writing tmp went (st), flushes it and renames it over path,
 * or removes it; frees tmp. */
static js_status replace_commit(const char *path, char *tmp, js_status st, js_diag *d)
{
    if (st == JS_OK && !fsync_path(tmp, false))
        st = io_error(d, path, "写入失败", errno);
    if (st == JS_OK && SYS.rename(tmp, path) != 0)
        st = io_error(d, path, "无法写入", errno);
    if (st != JS_OK) {
        unlink(tmp);
    } else {
        const char *slash = strrchr(path, '/');
        char *parent = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
        if (parent)
            fsync_path(parent, true);
        free(parent);
    }
    free(tmp);
    return st;
}

js_status js_write_file_atomic(const char *path, const void *data, size_t len, js_diag *d)
{
    struct stat st;
    /* A device or a FIFO is written into, never replaced. */
    if (lstat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
        return write_into(path, data, len, d);
    char *tmp;
    js_status s = replace_begin(path, &tmp, d);
    if (s != JS_OK)
        return s;
    return replace_commit(path, tmp, write_new(tmp, path, data, len, d), d);
}
