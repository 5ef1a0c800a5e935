/* juesuan log verify|list: the portal's audit log. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "store_args.h"

static bool parse_count(const char *s, int64_t *v)
{
    char *end;
    long long x = s ? strtoll(s, &end, 10) : -1;
    if (!s || !*s || *end || x < 0)
        return false;
    *v = x;
    return true;
}

static int list(js_store *s, int64_t after, int64_t limit)
{
    js_store_event *v;
    size_t n;
    js_diag d;
    if (js_store_log_list(s, after, (size_t)limit, &v, &n, &d) != JS_OK)
        return cli_store_fail(&d);
    printf("序号\t时间\t操作者\t事件\t对象\t详情\t地址\n");
    for (size_t i = 0; i < n; i++) {
        char when[32];
        time_t t = (time_t)v[i].at;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%SZ", gmtime_r(&t, &tm));
        printf("%" PRId64 "\t%s\t%" PRId64 "\t%s\t%s\t%s\t%s\n", v[i].seq, when, v[i].actor,
               v[i].action, v[i].entity, v[i].detail, v[i].addr);
    }
    js_store_event_list_free(v, n);
    return EXIT_OK;
}

int cmd_log(int argc, char **argv)
{
    const char *db = NULL, *after = "0", *limit = "100", *pos[1];
    const cli_store_opt opts[] = {
        {"--db", &db, NULL},
        {"--after", &after, NULL},
        {"--limit", &limit, NULL},
        {NULL, NULL, NULL},
    };
    int npos, rc = cli_store_args("log", argc, argv, opts, pos, 1, &npos);
    if (rc != EXIT_OK)
        return rc;
    if (npos == 0)
        return cli_usage_error("log", "缺少子命令（verify、list）");
    bool verify = !strcmp(pos[0], "verify");
    if (!verify && strcmp(pos[0], "list") != 0)
        return cli_usage_error("log", "未知子命令 '%s'（verify、list）", pos[0]);
    int64_t a, l;
    if (!parse_count(after, &a) || !parse_count(limit, &l))
        return cli_usage_error("log", "--after、--limit 须为非负整数");
    js_store *s = cli_store_open(db, &rc);
    if (!s)
        return rc;
    if (verify) {
        int64_t count = 0;
        js_diag d;
        if (js_store_log_verify(s, &count, &d) == JS_OK) {
            printf("审计日志完整：共 %" PRId64 " 条，每条的哈希与内容和前一条相符\n", count);
        } else if (d.status == JS_E_INPUT) {
            fprintf(stderr, "juesuan: %s（此前 %" PRId64 " 条完整）\n", d.message, count);
            rc = EXIT_FINDINGS;
        } else {
            rc = cli_store_fail(&d);
        }
    } else {
        rc = list(s, a, l);
    }
    js_store_close(s);
    return rc;
}
