/* What the store's commands (user, dept, log) share: their options, the
 * store named by --db, passwords read without echo, and store failures as
 * exit codes. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "store_args.h"

int cli_store_args(const char *cmd, int argc, char **argv, const cli_store_opt *opts,
                   const char **pos, int maxpos, int *npos)
{
    *npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) {
            if (*npos >= maxpos)
                return cli_usage_error(cmd, "多余的参数 '%s'", a);
            pos[(*npos)++] = a;
            continue;
        }
        const cli_store_opt *o = opts;
        size_t ll = 0;
        for (; o->name; o++) {
            ll = strlen(o->name);
            if (!strncmp(a, o->name, ll) && (a[ll] == '\0' || (a[ll] == '=' && o->value)))
                break;
        }
        if (!o->name)
            return cli_usage_error(cmd, "未知选项 '%s'", a);
        if (o->flag) {
            *o->flag = true;
        } else if (a[ll] == '=') {
            *o->value = a + ll + 1;
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return cli_usage_error(cmd, "选项 %s 缺少参数", a);
        }
    }
    return EXIT_OK;
}

int cli_store_fail(const js_diag *d)
{
    int st = (int)d->status;
    if (st == JS_STORE_CONFLICT || st == JS_STORE_NOT_FOUND || st == JS_STORE_DENIED) {
        fprintf(stderr, "juesuan: %s\n", d->message);
        return EXIT_BADINPUT;
    }
    return cli_fail(d);
}

js_store *cli_store_open(const char *url, int *exit_code)
{
    js_diag d;
    js_store *s = js_store_open(url ? url : CLI_DEFAULT_DB, &d);
    if (!s)
        *exit_code = cli_store_fail(&d);
    return s;
}

/* Reads one line into buf (without its line end); false at end of input
 * or when the line does not fit. */
static bool read_line(FILE *f, char *buf, size_t n)
{
    if (!fgets(buf, (int)n, f))
        return false;
    size_t len = strlen(buf);
    if (len == n - 1 && buf[len - 1] != '\n')
        return false;
    buf[strcspn(buf, "\r\n")] = '\0';
    return true;
}

/* Prompts on the terminal and reads a line with echo off. */
static bool prompt(FILE *tty, const char *text, char *buf, size_t n)
{
    struct termios old, quiet;
    int fd = fileno(tty);
    /* Echo goes off before the prompt shows: what is typed after it is
     * never echoed. */
    bool echo_off = tcgetattr(fd, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    fputs(text, tty);
    fflush(tty);
    bool got = read_line(tty, buf, n);
    if (echo_off)
        tcsetattr(fd, TCSAFLUSH, &old);
    fputc('\n', tty);
    return got;
}

int cli_read_password(const char *cmd, bool from_stdin, bool confirm, char *buf, size_t n)
{
    if (from_stdin) {
        if (!read_line(stdin, buf, n) || !*buf)
            return cli_usage_error(cmd, "未能从标准输入读到密码（一行，最长 %zu 字节）", n - 2);
        return EXIT_OK;
    }
    FILE *tty = fopen("/dev/tty", "r+");
    if (!tty)
        return cli_usage_error(cmd, "没有终端可以输入密码；请用 --password-stdin 从标准输入读取");
    char again[CLI_PASSWORD_MAX];
    int rc = EXIT_OK;
    if (!prompt(tty, "密码：", buf, n) || !*buf)
        rc = cli_usage_error(cmd, "没有输入密码");
    else if (confirm && (!prompt(tty, "再次输入密码：", again, sizeof again) || strcmp(buf, again) != 0))
        rc = cli_usage_error(cmd, "两次输入的密码不一致");
    sodium_memzero(again, sizeof again);
    fclose(tty);
    return rc;
}
