/* Timing helper of the end-to-end suite (compiled at run time, not a guest program).
   usage: runone COUNT TIMEOUT_S STDIN STDOUT STDERR -- PROGRAM [ARGS...]
   Runs PROGRAM COUNT times one after the other (stdin/stdout/stderr redirected to the
   given files; stdout and stderr keep the last run) and prints on stdout:
     wall_seconds user_seconds sys_seconds status
   where the times are summed over the runs (user/sys from wait4's rusage, so they cover
   the child only) and status is the first non-zero exit status (128+signal if killed),
   or 0. A run exceeding TIMEOUT_S seconds is killed (status 128+SIGKILL). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static double tv(struct timeval t) { return t.tv_sec + t.tv_usec * 1e-6; }
static pid_t child;
static void on_alarm(int sig) { (void)sig; if (child > 0) kill(child, SIGKILL); }

int main(int argc, char **argv)
{
    if (argc < 8 || argv[6][0] != '-' || argv[6][1] != '-') { fprintf(stderr, "usage: runone COUNT TIMEOUT_S STDIN STDOUT STDERR -- PROGRAM [ARGS...]\n"); return 2; }
    int count = atoi(argv[1]), timeout = atoi(argv[2]), status = 0;
    double wall = 0, user = 0, sys = 0;
    signal(SIGALRM, on_alarm);
    for (int i = 0; i < count; i++) {
        double t0 = now();
        child = fork();
        if (child < 0) { perror("fork"); return 2; }
        if (child == 0) {
            int in = open(argv[3], O_RDONLY), out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC, 0644), err = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (in < 0 || out < 0 || err < 0) { perror("runone: open"); _exit(127); }
            dup2(in, 0); dup2(out, 1); dup2(err, 2);
            execv(argv[7], argv + 7);
            perror("runone: exec");
            _exit(127);
        }
        alarm(timeout > 0 ? (unsigned)timeout : 0);
        int st; struct rusage ru;
        while (wait4(child, &st, 0, &ru) < 0) if (errno != EINTR) { perror("wait4"); return 2; }
        alarm(0);
        child = 0;
        wall += now() - t0; user += tv(ru.ru_utime); sys += tv(ru.ru_stime);
        int s = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (s != 0 && status == 0) status = s;
    }
    printf("%.6f %.6f %.6f %d\n", wall, user, sys, status);
    return 0;
}
