/* Benchmark: the portal's store, in process, one connection.
 *   bench_store          a temporary SQLite file
 *   bench_store URL      that database (bench/store_pg.py starts a
 *                        PostgreSQL and passes its URL; the database should
 *                        be empty)
 * Prints per operation the count, the wall time and operations per second:
 * password hashing (user add), login, session check, reading a published
 * output and the published list, uploads of 256 KiB, the whole path of a
 * version, log appends and log verification. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "juesuan/store.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, long n, double t)
{
    printf("  %-38s %7ld in %7.3f s  %10.0f/s  %8.3f ms each\n", what, n, t, (double)n / t,
           t * 1000 / (double)n);
}

static void must(int rc, const js_diag *d, const char *what)
{
    if (rc != JS_OK) {
        fprintf(stderr, "bench_store: %s: %s\n", what, d->message);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/juesuan-bench-store-XXXXXX", path[96];
    const char *url = argc > 1 ? argv[1] : NULL;
    if (!url) {
        if (!mkdtemp(dir))
            return 1;
        snprintf(path, sizeof path, "%s/bench.db", dir);
        url = path;
    }
    js_diag d;
    js_store *s = js_store_open(url, &d);
    if (!s) {
        fprintf(stderr, "bench_store: %s\n", d.message);
        return 1;
    }
    printf("bench_store: %s\n", js_store_backend(s));
    int64_t dept, users[10];
    must(js_store_dept_add(s, "bench", "基准测试部门", NULL, &dept, &d), &d, "dept");

    double t = now();
    for (int k = 0; k < 10; k++) {
        char login[16];
        snprintf(login, sizeof login, "user%d", k);
        must(js_store_user_add(s, 0, login, NULL, "bench password", k == 0 ? JS_ROLE_PREPARER : JS_ROLE_REVIEWER | JS_ROLE_PUBLISHER,
                               k == 0 ? dept : 0, &users[k], &d),
             &d, "user add");
    }
    report("user add (argon2id 19 MiB, t=2)", 10, now() - t);

    int64_t uid;
    t = now();
    for (int k = 0; k < 10; k++)
        must(js_store_login(s, "user1", "bench password", "127.0.0.1", 1700000000 + k, &uid, &d), &d, "login");
    report("login", 10, now() - t);

    js_store_session_new sn;
    must(js_store_session_create(s, users[1], "127.0.0.1", 1700000000, &sn, &d), &d, "session");
    char csrf[48];
    long n = 20000;
    t = now();
    for (long k = 0; k < n; k++)
        must(js_store_session_check(s, sn.token, 1700000000 + k / 100, 1800, 43200, &uid, csrf, &d), &d,
             "session check");
    report("session check (touches last_seen)", n, now() - t);

    static unsigned char blob[256 * 1024];
    n = 200;
    t = now();
    int64_t v = 0;
    for (long k = 0; k < n; k++) {
        blob[0] = (unsigned char)k;
        must(js_store_version_add(s, users[0], dept, 2000 + (int)k, "bench.xlsx", blob, sizeof blob, "[]", 0, 0,
                                  0, 0, NULL, 1700000000, &v, &d),
             &d, "version add");
    }
    report("upload of 256 KiB", n, now() - t);

    static char html[200 * 1024];
    memset(html, 'x', sizeof html);
    js_store_output_in out = {"report.html", "text/html; charset=utf-8", html, sizeof html};
    n = 100;
    t = now();
    for (long k = 0; k < n; k++) {
        int64_t id = v - k;
        must(js_store_submit(s, users[0], id, 1700000000, &d), &d, "submit");
        must(js_store_approve(s, users[1 + k % 9], id, 1700000000, &d), &d, "approve");
        must(js_store_publish(s, users[2], id, &out, 1, 1700000000, &d), &d, "publish");
    }
    report("submit + approve + publish (200 KiB)", n, now() - t);

    n = 20000;
    t = now();
    for (long k = 0; k < n; k++) {
        js_store_output o;
        must(js_store_output_get(s, v - k % 100, "report.html", &o, &d), &d, "output get");
        js_store_output_free(&o);
    }
    report("published output read (200 KiB)", n, now() - t);

    n = 2000;
    t = now();
    for (long k = 0; k < n; k++) {
        js_store_version *list;
        size_t count;
        must(js_store_version_list_state(s, JS_V_PUBLISHED, 0, &list, &count, &d), &d, "list");
        js_store_version_list_free(list, count);
    }
    report("list of 100 published versions", n, now() - t);

    n = 5000;
    t = now();
    for (long k = 0; k < n; k++)
        must(js_store_log(s, users[1], "bench", "version:1", "detail", "127.0.0.1", 1700000000, &d), &d, "log");
    report("audit log append", n, now() - t);

    int64_t count;
    t = now();
    must(js_store_log_verify(s, &count, &d), &d, "verify");
    report("audit log verify (entries)", (long)count, now() - t);

    js_store_close(s);
    if (url == path) {
        static const char *const sfx[] = {"", "-wal", "-shm"};
        for (size_t k = 0; k < 3; k++) {
            char f[128];
            snprintf(f, sizeof f, "%s%s", path, sfx[k]);
            unlink(f);
        }
        rmdir(dir);
    }
    return 0;
}
