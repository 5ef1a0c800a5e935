/* Reading input files: regular files only, bounded before any byte is
 * read, a missing file told apart from one that cannot be read. */
#define _DEFAULT_SOURCE /* MAP_POPULATE */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "juesuan/output.h"

const char *js_errno_text(int err)
{
    switch (err) {
    case EACCES:
    case EPERM: return "没有权限";
    case ENOENT: return "文件或目录不存在";
    case ENOTDIR: return "路径中有一段不是目录";
    case EISDIR: return "这是一个目录";
    case ELOOP: return "符号链接层数过多";
    case ENAMETOOLONG: return "路径过长";
    case EIO: return "输入输出错误（磁盘或网络故障）";
    case ENOSPC: return "磁盘已满";
#ifdef EDQUOT
    case EDQUOT: return "超出磁盘配额";
#endif
    case EROFS: return "只读文件系统";
    case EMFILE:
    case ENFILE: return "打开的文件过多";
    case ENOMEM: return "内存不足";
    case EBUSY: return "设备或资源忙";
    case EEXIST: return "已存在";
    case ENXIO: return "设备不存在（或管道没有读取方）";
    case EFBIG: return "文件过大";
    case EXDEV: return "不能跨文件系统改名";
    case ENOTEMPTY: return "目录不是空的";
    case EINVAL: return "参数无效";
    default: return "系统错误";
    }
}

const char *js_file_kind_text(unsigned mode)
{
    return S_ISDIR(mode)    ? "目录"
           : S_ISFIFO(mode) ? "命名管道（FIFO）"
           : S_ISCHR(mode)  ? "字符设备"
           : S_ISBLK(mode)  ? "块设备"
           : S_ISSOCK(mode) ? "套接字"
           : S_ISLNK(mode)  ? "符号链接"
                            : "普通文件";
}

/* An IO failure on path: errno's reason in Chinese, and its number. */
static js_status io_error(js_diag *d, const char *path, const char *what, int err)
{
    return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "%s：%s（errno %d）", what, js_errno_text(err), err);
}

static js_status not_regular(js_diag *d, const char *path, unsigned mode)
{
    return js_diag_set(d, JS_E_INPUT, path, 0, 0, NULL, "这是%s，不是普通文件，无法作为输入读取", js_file_kind_text(mode));
}

js_status js_require_regular(const char *path, js_diag *d)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) ? not_regular(d, path, st.st_mode) : JS_OK;
}

js_status js_load_file(const char *path, const js_load_opts *o, char **data, size_t *len, bool *mapped,
                       js_diag *d)
{
    *mapped = false;
    *data = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
     * below like every file that is not regular. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    if (fd < 0) {
        int err = errno;
        if (o->missing_ok && err == ENOENT)
            return JS_OK;
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) /* a socket cannot be opened at all */
            return not_regular(d, path, st.st_mode);
        return io_error(d, path, "无法打开文件", err);
    }
    if (fstat(fd, &st) != 0) {
        int err = errno;
        close(fd);
        return io_error(d, path, "无法读取文件信息", err);
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(d, path, st.st_mode);
    }
    if (st.st_size > o->max)
        return close(fd), js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "文件有 %lld 字节，超过 %ld 字节的上限",
                                      (long long)st.st_size, o->max);
    size_t size = (size_t)st.st_size;
    if (size >= o->map_from && size > 0) {
        void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | (o->populate ? MAP_POPULATE : 0), fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            *data = p;
            *len = size;
            *mapped = true;
            return JS_OK;
        }
    }
    /* Read into a buffer of the file's size, plus the NUL and one byte to
     * see the end: a file that grows meanwhile is refused, not followed. */
    size_t cap = size + 2, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return close(fd), js_diag_set(d, JS_E_NOMEM, path, 0, 0, NULL, "内存不足");
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int err = errno;
            free(buf);
            close(fd);
            return io_error(d, path, "读取失败", err);
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap - 1) {
            free(buf);
            close(fd);
            return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "读取时文件仍在变大（另一个程序正在写入？）");
        }
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return JS_OK;
}

js_status js_read_file(const char *path, long max, char **data, size_t *len, js_diag *d)
{
    js_load_opts o = {.max = max, .map_from = SIZE_MAX};
    bool mapped;
    return js_load_file(path, &o, data, len, &mapped, d);
}

js_status js_read_file_if_present(const char *path, long max, char **data, size_t *len, js_diag *d)
{
    js_load_opts o = {.max = max, .map_from = SIZE_MAX, .missing_ok = true};
    bool mapped;
    return js_load_file(path, &o, data, len, &mapped, d);
}

void js_release_file(char *data, size_t len, bool mapped)
{
    if (mapped)
        munmap(data, len);
    else
        free(data);
}
