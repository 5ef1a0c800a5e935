/* Benchmark: the `juesuan tables` command on the example, as a user runs it.
 * Spawns the binary (env JUESUAN, default build/juesuan) N times and prints
 * the mean and best wall time and the peak resident memory. */
#define _DEFAULT_SOURCE /* wait4 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs bin with args reps times; prints mean/best time and peak RSS. */
static void measure(const char *bin, char *const *args, int reps)
{
    char *argv[8] = {(char *)bin};
    char label[256] = "juesuan";
    for (int i = 0; args[i] && i < 6; i++) {
        argv[i + 1] = args[i];
        snprintf(label + strlen(label), sizeof label - strlen(label), " %s", args[i]);
    }
    double sum = 0, best = 1e9;
    long maxrss = 0;
    for (int r = 0; r < reps; r++) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        pid_t pid;
        double t0 = now();
        if (posix_spawn(&pid, bin, &fa, NULL, argv, environ) != 0) {
            perror("spawn");
            exit(1);
        }
        int status;
        struct rusage ru;
        wait4(pid, &status, 0, &ru);
        double t = now() - t0;
        posix_spawn_file_actions_destroy(&fa);
        if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) {
            fprintf(stderr, "bench: juesuan failed\n");
            exit(1);
        }
        sum += t;
        if (t < best)
            best = t;
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    printf("%-58s %d runs: mean %.2f ms, best %.2f ms, peak RSS %ld KiB\n", label, reps,
           sum / reps * 1e3, best * 1e3, maxrss);
}

int main(void)
{
    const char *bin = getenv("JUESUAN") ? getenv("JUESUAN") : "build/juesuan";
    static char *const runs[][7] = {
        {"tables", "examples/qingshan-2024", "--format", "text", NULL},
        {"tables", "examples/qingshan-2024", "--format", "json", NULL},
        {"tables", "examples/qingshan-2024", "--format", "long", NULL},
        {"check", "examples/qingshan-2024", NULL},
        {"check", "build/bench/qingshan-tables.json", NULL},
        {"tables", "examples/qingshan-2024.xlsx", "--format", "json", NULL},
        {"build", "examples/qingshan-2024", "-o", "build/bench/out", "--only", "xlsx"},
        {"build", "examples/qingshan-2024", "-o", "build/bench/out", "--only", "pdf"},
        /* every output but the PDF */
        {"build", "examples/qingshan-2024", "-o", "build/bench/out", "--only",
         "json,txt,long,csv,md,html,xlsx,performance,audit", NULL},
        {"build", "examples/qingshan-2024", "-o", "build/bench/out", NULL},
    };
    /* The printed tables for the last run. */
    if (system("build/juesuan tables examples/qingshan-2024 --format json > build/bench/qingshan-tables.json") != 0)
        return 1;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        measure(bin, runs[i], strcmp(runs[i][0], "build") ? 50 : 10);
    return 0;
}
