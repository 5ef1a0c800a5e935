/* File reading and all-or-nothing output. */
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

#include "errtext.h"

#include "juesuan/output.h"

/* js_load_file; min SIZE_MAX never maps. One open and one fstat either way. */
static js_status load(const char *path, long max, size_t min, char **data, size_t *len, bool *mapped, js_diag *d)
{
    *mapped = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法打开文件：%s", js_errno_text(errno));
    struct stat st;
    bool known = fstat(fd, &st) == 0;
    if (known && S_ISDIR(st.st_mode)) {
        close(fd);
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "这是一个目录，不是文件");
    }
    if (known && S_ISREG(st.st_mode) && (size_t)st.st_size >= min && st.st_size <= max) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (p != MAP_FAILED) {
            close(fd);
            *data = p;
            *len = (size_t)st.st_size;
            *mapped = true;
            return JS_OK;
        }
    }
    /* A regular file is read into a buffer of its size (plus the NUL, and
     * one byte to see the end); a pipe, or a file that grows meanwhile,
     * doubles it as it goes. */
    size_t cap = 65536, n = 0;
    if (known && S_ISREG(st.st_mode) && st.st_size >= 0 && st.st_size < max)
        cap = (size_t)st.st_size + 2;
    char *buf = malloc(cap);
    int err = 0;
    while (buf) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            err = errno;
            break;
        }
        n += (size_t)r;
        if ((long)n > max) {
            free(buf);
            close(fd);
            return js_diag_set(d, JS_E_LIMIT, path, 0, 0, NULL, "文件超过 %ld 字节的上限", max);
        }
        if (r == 0)
            break;
    }
    close(fd);
    if (!buf)
        return js_diag_set(d, JS_E_NOMEM, path, 0, 0, NULL, "内存不足");
    if (err) {
        free(buf);
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "读取失败：%s", js_errno_text(err));
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return JS_OK;
}

js_status js_read_file(const char *path, long max, char **data, size_t *len, js_diag *d)
{
    bool mapped;
    return load(path, max, SIZE_MAX, data, len, &mapped, d);
}

js_status js_load_file(const char *path, long max, size_t min, char **data, size_t *len, bool *mapped,
                       js_diag *d)
{
    return load(path, max, min, data, len, mapped, d);
}

void js_release_file(char *data, size_t len, bool mapped)
{
    if (mapped)
        munmap(data, len);
    else
        free(data);
}

#define MAX_OUT_FILES 256

struct js_outset {
    char *dir;
    char *tmp[MAX_OUT_FILES];
    char *final[MAX_OUT_FILES];
    int n;
};

static js_status mkdir_p(const char *dir, js_diag *d)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path)
        return js_diag_set(d, JS_E_IO, dir, 0, 0, NULL, "路径过长");
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST)
                return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法创建目录：%s",
                                   js_errno_text(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "不是目录");
    return JS_OK;
}

js_outset *js_outset_begin(const char *dir, js_diag *d)
{
    if (mkdir_p(dir, d) != JS_OK)
        return NULL;
    js_outset *o = calloc(1, sizeof *o);
    if (o)
        o->dir = strdup(dir);
    if (!o || !o->dir) {
        free(o);
        js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
        return NULL;
    }
    return o;
}

static js_status write_tmp(const char *final, const void *data, size_t len, char **tmpout,
                           js_diag *d)
{
    size_t n = strlen(final) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return js_diag_set(d, JS_E_NOMEM, final, 0, 0, NULL, "内存不足");
    snprintf(tmp, n, "%s.tmp-%ld", final, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        js_status st = js_diag_set(d, JS_E_IO, tmp, 0, 0, NULL, "无法写入：%s", js_errno_text(errno));
        free(tmp);
        return st;
    }
    bool ok = fwrite(data, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        remove(tmp);
        js_status st = js_diag_set(d, JS_E_IO, final, 0, 0, NULL, "写入失败（磁盘已满？）");
        free(tmp);
        return st;
    }
    *tmpout = tmp;
    return JS_OK;
}

js_status js_outset_add(js_outset *o, const char *name, const void *data, size_t len,
                        js_diag *d)
{
    if (o->n == MAX_OUT_FILES)
        return js_diag_set(d, JS_E_LIMIT, name, 0, 0, NULL, "输出文件过多");
    size_t n = strlen(o->dir) + strlen(name) + 2;
    char *final = malloc(n);
    if (!final)
        return js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
    snprintf(final, n, "%s/%s", o->dir, name);
    char *tmp;
    js_status st = write_tmp(final, data, len, &tmp, d);
    if (st != JS_OK) {
        free(final);
        return st;
    }
    o->tmp[o->n] = tmp;
    o->final[o->n] = final;
    o->n++;
    return JS_OK;
}

js_status js_outset_reserve(js_outset *o, const char *name, const char **tmp_path, js_diag *d)
{
    if (o->n == MAX_OUT_FILES)
        return js_diag_set(d, JS_E_LIMIT, name, 0, 0, NULL, "输出文件过多");
    size_t n = strlen(o->dir) + strlen(name) + 2;
    char *final = malloc(n), *tmp = malloc(n + 32);
    if (!final || !tmp) {
        free(final);
        free(tmp);
        return js_diag_set(d, JS_E_NOMEM, name, 0, 0, NULL, "内存不足");
    }
    snprintf(final, n, "%s/%s", o->dir, name);
    snprintf(tmp, n + 32, "%s.tmp-%ld", final, (long)getpid());
    o->tmp[o->n] = tmp;
    o->final[o->n] = final;
    o->n++;
    *tmp_path = tmp;
    return JS_OK;
}

static void outset_free(js_outset *o)
{
    for (int i = 0; i < o->n; i++) {
        free(o->tmp[i]);
        free(o->final[i]);
    }
    free(o->dir);
    free(o);
}

/* Moves every temporary file into place, all or nothing: existing files are
 * first moved aside, and put back if any step fails. */
js_status js_outset_commit(js_outset *o, js_diag *d)
{
    js_status st = JS_OK;
    char *old[MAX_OUT_FILES] = {0};
    int placed = 0, aside = 0;
    for (; aside < o->n && st == JS_OK; aside++) {
        struct stat sb;
        if (lstat(o->final[aside], &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            st = js_diag_set(d, JS_E_IO, o->final[aside], 0, 0, NULL, "已有同名目录，无法写入");
            break;
        }
        size_t n = strlen(o->final[aside]) + 32;
        old[aside] = malloc(n);
        if (!old[aside]) {
            st = js_diag_set(d, JS_E_NOMEM, NULL, 0, 0, NULL, "内存不足");
            break;
        }
        snprintf(old[aside], n, "%s.old-%ld", o->final[aside], (long)getpid());
        if (rename(o->final[aside], old[aside]) != 0) {
            st = js_diag_set(d, JS_E_IO, o->final[aside], 0, 0, NULL, "无法替换：%s", js_errno_text(errno));
            free(old[aside]);
            old[aside] = NULL;
            break;
        }
    }
    for (; placed < o->n && st == JS_OK; placed++)
        if (rename(o->tmp[placed], o->final[placed]) != 0) {
            st = js_diag_set(d, JS_E_IO, o->final[placed], 0, 0, NULL, "无法写入：%s", js_errno_text(errno));
            break;
        }
    for (int i = 0; i < o->n; i++) {
        if (st != JS_OK) {
            if (i < placed)
                remove(o->final[i]);
            else
                remove(o->tmp[i]);
            if (old[i])
                rename(old[i], o->final[i]);
        } else if (old[i]) {
            remove(old[i]);
        }
        free(old[i]);
    }
    outset_free(o);
    return st;
}

void js_outset_abort(js_outset *o)
{
    if (!o)
        return;
    for (int i = 0; i < o->n; i++)
        remove(o->tmp[i]);
    outset_free(o);
}

js_status js_write_file_atomic(const char *path, const void *data, size_t len, js_diag *d)
{
    char *tmp;
    js_status st = write_tmp(path, data, len, &tmp, d);
    if (st != JS_OK)
        return st;
    if (rename(tmp, path) != 0) {
        st = js_diag_set(d, JS_E_IO, path, 0, 0, NULL, "无法写入：%s", js_errno_text(errno));
        remove(tmp);
    }
    free(tmp);
    return st;
}
