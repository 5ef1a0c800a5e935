/* juesuan user add|passwd|disable|grant|list: the portal's accounts. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "store_args.h"

/* Separators between roles: a comma, or the Chinese comma or 顿号. */
static size_t separator(const char *p)
{
    if (*p == ',')
        return 1;
    if (!strncmp(p, "，", 3) || !strncmp(p, "、", 3))
        return 3;
    return 0;
}

/* "审核,发布" (or English names) as role bits; 0 after printing a usage
 * error. */
static unsigned parse_roles(const char *text)
{
    unsigned roles = 0;
    for (const char *p = text; p && *p;) {
        size_t n = 0;
        while (p[n] && !separator(p + n))
            n++;
        char tok[64];
        snprintf(tok, sizeof tok, "%.*s", (int)(n < sizeof tok ? n : sizeof tok - 1), p);
        js_role r = n ? js_role_parse(tok) : (js_role)0;
        if (n && !r) {
            cli_usage_error("user", "未知角色 '%s'（可用：填报、审核、发布、管理）", tok);
            return 0;
        }
        roles |= (unsigned)r;
        p += n;
        p += separator(p);
    }
    if (!roles)
        cli_usage_error("user", "缺少角色（--role 填报|审核|发布|管理，多个用逗号分隔）");
    return roles;
}

/* The department named by code (0 when code is NULL); -1 after printing
 * why not. */
static int64_t dept_id(js_store *s, const char *code)
{
    if (!code)
        return 0;
    js_store_dept x;
    js_diag d;
    if (js_store_dept_get(s, code, &x, &d) != JS_OK) {
        cli_store_fail(&d);
        return -1;
    }
    int64_t id = x.id;
    js_store_dept_free(&x);
    return id;
}

typedef struct {
    const char *db, *role, *dept, *display;
    bool password_stdin, enable;
} user_opts;

static int run(const char *sub, const char *login, const user_opts *o, js_store *s)
{
    js_diag d;
    int rc = JS_OK;
    char pw[CLI_PASSWORD_MAX];
    if (!strcmp(sub, "add") || !strcmp(sub, "grant")) {
        unsigned roles = parse_roles(o->role);
        if (!roles)
            return EXIT_USAGE;
        int64_t dept = dept_id(s, o->dept);
        if (dept < 0)
            return EXIT_BADINPUT;
        if (!strcmp(sub, "grant")) {
            rc = js_store_user_grant(s, 0, login, roles, dept, &d);
        } else {
            int e = cli_read_password("user", o->password_stdin, true, pw, sizeof pw);
            if (e != EXIT_OK)
                return e;
            int64_t id;
            rc = js_store_user_add(s, 0, login, o->display, pw, roles, dept, &id, &d);
            sodium_memzero(pw, sizeof pw);
            if (rc == JS_OK)
                printf("已添加用户 %s（编号 %lld）\n", login, (long long)id);
        }
    } else if (!strcmp(sub, "passwd")) {
        int e = cli_read_password("user", o->password_stdin, true, pw, sizeof pw);
        if (e != EXIT_OK)
            return e;
        rc = js_store_user_passwd(s, 0, login, pw, &d);
        sodium_memzero(pw, sizeof pw);
    } else {
        rc = js_store_user_disable(s, 0, login, !o->enable, &d);
    }
    return rc == JS_OK ? EXIT_OK : cli_store_fail(&d);
}

static int list(js_store *s)
{
    js_store_user *v;
    size_t n;
    js_diag d;
    if (js_store_user_list(s, &v, &n, &d) != JS_OK)
        return cli_store_fail(&d);
    js_store_dept *depts;
    size_t nd;
    if (js_store_dept_list(s, &depts, &nd, &d) != JS_OK) {
        js_store_user_list_free(v, n);
        return cli_store_fail(&d);
    }
    printf("编号\t用户名\t姓名\t角色\t部门\t状态\t创建时间\n");
    for (size_t i = 0; i < n; i++) {
        char roles[64] = "", when[32];
        for (unsigned bit = 1; bit <= JS_ROLE_ADMIN; bit <<= 1)
            if (v[i].roles & bit)
                snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s", roles[0] ? "," : "",
                         js_role_name((js_role)bit));
        const char *dept = "";
        for (size_t k = 0; k < nd; k++)
            if (depts[k].id == v[i].dept_id)
                dept = depts[k].code;
        time_t t = (time_t)v[i].created;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", gmtime_r(&t, &tm));
        printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)v[i].id, v[i].login, v[i].display, roles,
               dept, v[i].disabled ? "停用" : "启用", when);
    }
    js_store_dept_list_free(depts, nd);
    js_store_user_list_free(v, n);
    return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    user_opts o = {0};
    const cli_store_opt opts[] = {
        {"--db", &o.db, NULL},           {"--role", &o.role, NULL},
        {"--dept", &o.dept, NULL},       {"--display", &o.display, NULL},
        {"--password-stdin", NULL, &o.password_stdin}, {"--enable", NULL, &o.enable},
        {NULL, NULL, NULL},
    };
    const char *pos[2];
    int npos, rc = cli_store_args("user", argc, argv, opts, pos, 2, &npos);
    if (rc != EXIT_OK)
        return rc;
    if (npos == 0)
        return cli_usage_error("user", "缺少子命令（add、passwd、disable、grant、list）");
    const char *sub = pos[0];
    bool known = !strcmp(sub, "add") || !strcmp(sub, "passwd") || !strcmp(sub, "disable") ||
                 !strcmp(sub, "grant") || !strcmp(sub, "list");
    if (!known)
        return cli_usage_error("user", "未知子命令 '%s'（add、passwd、disable、grant、list）", sub);
    if (strcmp(sub, "list") != 0 && npos < 2)
        return cli_usage_error("user", "缺少用户名");
    if (!strcmp(sub, "list") && npos > 1)
        return cli_usage_error("user", "多余的参数 '%s'", pos[1]);
    if ((o.role || o.dept) && strcmp(sub, "add") != 0 && strcmp(sub, "grant") != 0)
        return cli_usage_error("user", "--role、--dept 只用于 add、grant");
    js_store *s = cli_store_open(o.db, &rc);
    if (!s)
        return rc;
    rc = !strcmp(sub, "list") ? list(s) : run(sub, pos[1], &o, s);
    js_store_close(s);
    return rc;
}
