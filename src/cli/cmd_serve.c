/* juesuan serve: the portal (lib/serve). Parses the options, optionally
 * seeds a demo database, starts the server, prints its address (the line
 * scripts wait for) and runs until SIGINT or SIGTERM. */
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "juesuan/serve.h"

extern char **environ;

/* Runs the generator next to this program (bench/gen) into dir: a small
 * region of n departments of year, drawn from seed. false when there is
 * none or it fails. datadir: the data the workbooks are drawn from. */
static bool generate(const char *dir, int n, const char *seed, const char *year, const char *datadir)
{
    char exe[PATH_MAX], gen[PATH_MAX + 16], count[16];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return false;
    *slash = '\0';
    snprintf(gen, sizeof gen, "%s/bench/gen", exe);
    snprintf(count, sizeof count, "%d", n);
    char *argv[] = {gen, "-o", (char *)dir, "-n", count, "-l", "60", "-s", (char *)seed, "--year", (char *)year,
                    "-d", (char *)datadir, NULL};
    pid_t pid;
    int status;
    if (access(gen, X_OK) || posix_spawn(&pid, gen, NULL, NULL, argv, environ))
        return false;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int seed_demo(const char *db, const char *datadir)
{
    js_diag d = {0};
    js_store *st = js_store_open(db, &d);
    if (!st)
        return cli_fail(&d);
    js_run_shared *sh = js_run_shared_new(datadir);
    /* the examples (2024), a generated region of three departments in
     * 2024 and the same three in 2023 (other figures, from another seed) */
    char examples[2][PATH_MAX], gendir[2][32] = {"/tmp/juesuan-demo-XXXXXX", "/tmp/juesuan-demo-XXXXXX"};
    char gens[6][PATH_MAX];
    const char *paths[8], *codes[8] = {"qingshan", "synthetic"};
    static const char *const gen_codes[3] = {"gen-00001", "gen-00002", "gen-00003"};
    static const char *const gen_years[2][2] = {{"15", "2024"}, {"14", "2023"}};
    size_t n = 0;
    static const char *const names[] = {"qingshan-2024", "synthetic-2024"};
    for (int i = 0; i < 2; i++) {
        snprintf(examples[i], sizeof examples[i], "%s/../examples/%s", datadir, names[i]);
        if (access(examples[i], R_OK) == 0)
            paths[n++] = examples[i];
    }
    if (n < 2)
        fprintf(stderr, "juesuan: 找不到示例工作簿（%s/../examples），演示数据不完整\n", datadir);
    bool gen[2];
    for (int y = 0; y < 2; y++) {
        gen[y] = mkdtemp(gendir[y]) && generate(gendir[y], 3, gen_years[y][0], gen_years[y][1], datadir);
        for (int i = 0; gen[y] && i < 3; i++) {
            snprintf(gens[y * 3 + i], sizeof gens[0], "%s/departments/%05d", gendir[y], i + 1);
            codes[n] = gen_codes[i];
            paths[n++] = gens[y * 3 + i];
        }
    }
    if (!gen[0] || !gen[1])
        fprintf(stderr, "juesuan: 没有找到 bench/gen（make 会编译它），演示数据不含生成的地区\n");
    char pw[4][24];
    int rc = sh ? js_serve_demo_seed(st, sh, paths, codes, n, pw, &d) : JS_E_NOMEM;
    for (int y = 0; y < 2; y++)
        if (gen[y]) {
            pid_t pid;
            char *argv[] = {"rm", "-rf", gendir[y], NULL};
            if (!posix_spawnp(&pid, "rm", NULL, NULL, argv, environ))
                waitpid(pid, NULL, 0);
        }
    js_run_shared_free(sh);
    js_store_close(st);
    if (rc != JS_OK) {
        if (!d.message[0])
            snprintf(d.message, sizeof d.message, "演示数据写入失败");
        d.status = rc == JS_STORE_CONFLICT ? JS_E_USAGE : d.status ? d.status : JS_E_IO;
        return cli_fail(&d);
    }
    printf("演示数据已写入 %s：%zu 份部门决算。演示用户（每次 --demo 新生成的密码）：\n", db, n);
    static const char *const roles[] = {"填报", "审核", "发布", "管理"};
    for (int i = 0; i < 4; i++)
        printf("  %-15s 密码 %s  （%s）\n", js_serve_demo_logins[i], pw[i], roles[i]);
    fflush(stdout);
    return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
    js_serve_options o = {0};
    cli_opts co = {0};
    bool demo = false;
    char listen[64] = "127.0.0.1:8080", demo_db[64] = "";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--demo"))
            demo = true;
        else if (!strcmp(a, "--behind-https"))
            o.behind_https = true;
        else if (!strcmp(a, "--routes")) {
            for (size_t k = 0; k < js_serve_route_count(); k++) {
                const char *m, *p, *w;
                js_serve_route_info(k, &m, &p, &w);
                printf("%s\t%s\t%s\n", m, p, w);
            }
            return EXIT_OK;
        } else if (!v)
            return cli_usage_error("serve", "选项 %s 需要一个值", a);
        else if (!strcmp(a, "--db"))
            o.db = argv[++i];
        else if (!strcmp(a, "--listen"))
            snprintf(listen, sizeof listen, "%s", argv[++i]);
        else if (!strcmp(a, "--workers"))
            o.workers = (unsigned)atoi(argv[++i]);
        else if (!strcmp(a, "--trusted-proxy"))
            o.trusted_proxy = argv[++i];
        else if (!strcmp(a, "--max-upload"))
            o.max_upload = (size_t)atol(argv[++i]) << 20;
        else if (!strcmp(a, "--data"))
            co.datadir = argv[++i];
        else if (!strcmp(a, "--region"))
            o.region = argv[++i];
        else
            return cli_usage_error("serve", "未知选项 %s", a);
    }
    char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || atoi(colon + 1) < 0 || atoi(colon + 1) > 65535)
        return cli_usage_error("serve", "--listen 应为 地址:端口，例如 127.0.0.1:8080");
    *colon = '\0';
    o.addr = listen;
    o.port = (unsigned)atoi(colon + 1);
    if (o.workers > 256)
        return cli_usage_error("serve", "--workers 应在 1 到 256 之间");
    o.datadir = cli_datadir(&co);
    if (demo && !o.region)
        o.region = "演示地区";
    if (demo && !o.db) {
        snprintf(demo_db, sizeof demo_db, "/tmp/juesuan-demo-%ld.db", (long)getpid());
        o.db = demo_db;
    }
    if (!o.db)
        o.db = "juesuan.db";
    if (demo) {
        int rc = seed_demo(o.db, o.datadir);
        if (rc != EXIT_OK)
            return rc;
    }
    /* The workers inherit a mask without the stop signals; this thread waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    js_diag d = {0};
    js_server *s = js_serve_start(&o, &d);
    if (!s)
        return cli_fail(&d);
    printf("门户已启动：http://%s:%u/  （数据库 %s，Ctrl-C 停止）\n", o.addr, js_serve_port(s), o.db);
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig);
    js_serve_stop(s);
    return EXIT_OK;
}
