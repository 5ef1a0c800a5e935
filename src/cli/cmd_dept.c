/* juesuan dept add|list: the portal's departments. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "store_args.h"

int cmd_dept(int argc, char **argv)
{
    const char *db = NULL, *profile = NULL, *pos[3];
    const cli_store_opt opts[] = {
        {"--db", &db, NULL},
        {"--profile", &profile, NULL},
        {NULL, NULL, NULL},
    };
    int npos, rc = cli_store_args("dept", argc, argv, opts, pos, 3, &npos);
    if (rc != EXIT_OK)
        return rc;
    if (npos == 0)
        return cli_usage_error("dept", "缺少子命令（add、list）");
    bool add = !strcmp(pos[0], "add");
    if (!add && strcmp(pos[0], "list") != 0)
        return cli_usage_error("dept", "未知子命令 '%s'（add、list）", pos[0]);
    if (add && npos != 3)
        return cli_usage_error("dept", "用法：juesuan dept add 代码 名称");
    if (!add && npos > 1)
        return cli_usage_error("dept", "多余的参数 '%s'", pos[1]);
    js_store *s = cli_store_open(db, &rc);
    if (!s)
        return rc;
    js_diag d;
    if (add) {
        int64_t id;
        if (js_store_dept_add(s, pos[1], pos[2], profile, &id, &d) == JS_OK)
            printf("已添加部门 %s（编号 %lld）\n", pos[1], (long long)id);
        else
            rc = cli_store_fail(&d);
    } else {
        js_store_dept *v;
        size_t n;
        if (js_store_dept_list(s, &v, &n, &d) == JS_OK) {
            printf("编号\t代码\t名称\t配置\n");
            for (size_t i = 0; i < n; i++)
                printf("%lld\t%s\t%s\t%s\n", (long long)v[i].id, v[i].code, v[i].name, v[i].profile);
            js_store_dept_list_free(v, n);
        } else {
            rc = cli_store_fail(&d);
        }
    }
    js_store_close(s);
    return rc;
}
