/* Guest test: syscall semantics that must match Linux (results and errnos printed, no
   addresses): unknown syscalls, mremap, madvise, mprotect, sysinfo, affinity, xattrs,
   AF_UNIX connect, ioctls on non-terminals, pipes, fcntl, poll, dup, /proc/self/fd. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, long r) { printf("%-28s %ld %s\n", what, r, r < 0 ? strerror(errno) : ""); errno = 0; }

int main(void)
{
    show("unknown syscall 400", syscall(400, 1, 2, 3));
    show("unknown syscall 1000", syscall(1000));

    long pg = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(m, 'x', 4 * pg);
    char *g = mremap(m, 4 * pg, 64 * pg, MREMAP_MAYMOVE);
    printf("mremap grow keeps data: %d %d\n", g != MAP_FAILED && g[4 * pg - 1] == 'x', g != MAP_FAILED && g[40 * pg] == 0);
    show("mremap shrink in place", mremap(g, 64 * pg, 2 * pg, 0) == g);
    show("mremap no-move grow", (long)mremap(g, 2 * pg, 1 << 30, 0));
    show("mremap bad flags", (long)mremap(g, 2 * pg, 4 * pg, 8));
    g[0] = 'y';
    show("madvise dontneed", madvise(g, 2 * pg, MADV_DONTNEED));
    printf("zero after dontneed: %d\n", g[0] == 0);
    show("madvise bad advice", madvise(g, pg, 12345));
    show("mprotect read-only", mprotect(g, pg, PROT_READ));
    show("mprotect unaligned", mprotect(g + 1, pg, PROT_READ));
    show("munmap", munmap(g, 2 * pg));
    show("munmap unaligned", munmap(g + 1, pg));
    show("msync unmapped", msync(g, pg, MS_SYNC));

    struct sysinfo si;
    show("sysinfo", sysinfo(&si));
    printf("sysinfo sane: %d %d\n", si.totalram > 0 && si.mem_unit >= 1, si.procs > 0);
    cpu_set_t set;
    show("sched_getaffinity", sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) >= 1);
    show("sched_getaffinity small", syscall(SYS_sched_getaffinity, 0, 1, &set));

    char val[64];
    show("getxattr", getxattr("/etc/passwd", "user.jitexec.none", val, sizeof val));
    show("lgetxattr", lgetxattr("/etc/passwd", "user.jitexec.none", val, sizeof val));
    show("getxattr missing file", getxattr("/nonexistent", "user.x", val, sizeof val));

    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    strcpy(sun.sun_path, "/nonexistent/jitexec-socket");
    show("socket AF_UNIX", s >= 3);
    show("connect missing socket", connect(s, (struct sockaddr *)&sun, sizeof sun));
    struct sockaddr_un peer; socklen_t plen = sizeof peer;
    show("getpeername unconnected", getpeername(s, (struct sockaddr *)&peer, &plen));
    show("getpeername non-socket", getpeername(0, (struct sockaddr *)&peer, &plen));
    close(s);

    int p[2];
    show("pipe2", pipe2(p, O_CLOEXEC));
    struct termios t; struct winsize ws; pid_t pg2; int avail = -1;
    show("TCGETS on pipe", ioctl(p[0], TCGETS, &t));
    show("TIOCGWINSZ on pipe", ioctl(p[0], TIOCGWINSZ, &ws));
    show("TIOCGPGRP on pipe", ioctl(p[0], TIOCGPGRP, &pg2));
    write(p[1], "12345", 5);
    show("FIONREAD", ioctl(p[0], FIONREAD, &avail));
    printf("FIONREAD bytes: %d\n", avail);
    show("unknown ioctl", ioctl(p[0], 0x7777, 0));
    show("F_GETFD cloexec", fcntl(p[0], F_GETFD));
    show("F_SETFD 0", fcntl(p[0], F_SETFD, 0));
    show("F_GETFD after", fcntl(p[0], F_GETFD));
    show("F_GETFL", fcntl(p[1], F_GETFL));
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { 999, POLLIN, 0 } };
    show("poll", poll(pf, 2, 0));
    printf("revents: %d %d\n", pf[0].revents, pf[1].revents);
    int d = dup2(p[0], 50);
    show("dup2 to 50", d);
    show("dup3 same fd", dup3(50, 50, 0));
    show("fcntl F_DUPFD min 40", fcntl(p[0], F_DUPFD, 40));
    char link[64] = { 0 };
    readlink("/proc/self/fd/50", link, sizeof link - 1);
    printf("fd 50 link starts with pipe: %d\n", strncmp(link, "pipe:[", 6) == 0);
    show("readlink closed fd", readlink("/proc/self/fd/49", link, sizeof link));
    show("close 50", close(50));
    show("close 50 again", close(50));
    show("close runtime-like fd 200", close(200));

    struct rlimit rl;
    show("getrlimit NOFILE", getrlimit(RLIMIT_NOFILE, &rl));
    show("prlimit bad resource", prlimit(0, 99, NULL, &rl));
    show("umask", umask(022));
    show("umask again", umask(022));
    return 0;
}
