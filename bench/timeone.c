/* timeone: runs one command, its standard output to a file, and prints what
 * it cost: "WALL_S CPU_S PEAK_KIB EXIT USER_S SYS_S" -- wall seconds, the
 * child's user + system CPU seconds (wait4: every thread, microseconds),
 * its peak resident set (which counts this small program's own pages until
 * the exec: about 1 MiB), its exit status, then the user and the system
 * CPU seconds apart.
 *
 *   timeone OUTFILE COMMAND [ARG...]
 *
 * For bench/compare.sh: GNU time prints CPU seconds to 10 ms, too coarse for
 * a run of a few tens of milliseconds. */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval t) { return (double)t.tv_sec + (double)t.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: timeone OUTFILE COMMAND [ARG...]\n", stderr);
        return 2;
    }
    int out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out < 0) {
        perror(argv[1]);
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out, 1);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) {
        perror("timeone");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.6f %.6f %ld %d %.6f %.6f\n", wall, seconds(ru.ru_utime) + seconds(ru.ru_stime), ru.ru_maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), seconds(ru.ru_utime),
           seconds(ru.ru_stime));
    return 0;
}
