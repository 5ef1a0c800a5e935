/* errno values in Chinese (see errtext.h). */
#include "errtext.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

const char *js_errno_text(int err)
{
    static const struct {
        int err;
        const char *text;
    } k[] = {
        {ENOENT, "文件或目录不存在"},
        {EACCES, "没有权限"},
        {EPERM, "不允许的操作"},
        {ENOSPC, "磁盘空间不足"},
        {EDQUOT, "超出磁盘配额"},
        {EROFS, "文件系统是只读的"},
        {EEXIST, "已经存在"},
        {ENOTDIR, "路径中有一段不是目录"},
        {EISDIR, "这是一个目录"},
        {ENOTEMPTY, "目录不是空的"},
        {ENAMETOOLONG, "文件名过长"},
        {EMFILE, "打开的文件过多"},
        {ENFILE, "系统打开的文件过多"},
        {ENOMEM, "内存不足"},
        {EIO, "读写出错（设备故障）"},
        {EXDEV, "不能跨文件系统改名"},
        {EBUSY, "设备或资源正忙"},
        {ELOOP, "符号链接层数过多"},
        {EFBIG, "文件过大"},
        {EINVAL, "参数无效"},
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
        if (k[i].err == err)
            return k[i].text;
    static _Thread_local char buf[160];
    char sys[128];
    if (strerror_r(err, sys, sizeof sys) != 0)
        snprintf(sys, sizeof sys, "errno %d", err);
    snprintf(buf, sizeof buf, "系统错误“%s”", sys);
    return buf;
}
