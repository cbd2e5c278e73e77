/* Guest test: file create/write/read/seek/stat/rename/unlink in a directory given as argv[1]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <errno.h>
#include <dirent.h>

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: files DIR\n"); return 2; }
    char path[512], path2[512];
    snprintf(path, sizeof path, "%s/data.txt", argv[1]);
    snprintf(path2, sizeof path2, "%s/renamed.txt", argv[1]);
    FILE *f = fopen(path, "w");
    if (!f) { perror("fopen"); return 1; }
    for (int i = 0; i < 1000; i++) fprintf(f, "line %d: %d\n", i, i * i);
    fclose(f);
    struct stat st;
    if (stat(path, &st) != 0) { perror("stat"); return 1; }
    printf("size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    int fd = open(path, O_RDONLY);
    char buf[64];
    lseek(fd, 100, SEEK_SET);
    ssize_t n = read(fd, buf, 20);
    buf[n] = 0;
    printf("read %zd: '%s'\n", n, buf);
    n = pread(fd, buf, 10, 0);
    buf[n] = 0;
    printf("pread %zd: '%s'\n", n, buf);
    close(fd);
    f = fopen(path, "r");
    long total = 0; char line[128]; int lines = 0;
    while (fgets(line, sizeof line, f)) { lines++; total += strlen(line); }
    fclose(f);
    printf("lines %d bytes %ld\n", lines, total);
    if (rename(path, path2) != 0) { perror("rename"); return 1; }
    printf("old exists: %d, errno %s\n", access(path, F_OK) == 0, strerror(errno));
    DIR *d = opendir(argv[1]);
    struct dirent *e; int count = 0;
    while ((e = readdir(d))) if (e->d_name[0] != '.') { count++; printf("entry %s\n", e->d_name); }
    closedir(d);
    printf("entries %d\n", count);
    fd = open("/nonexistent/file", O_RDONLY);
    printf("open missing: %d %s\n", fd, strerror(errno));
    unlink(path2);
    printf("after unlink: %d\n", access(path2, F_OK));
    int p[2];
    if (pipe(p) == 0) {
        write(p[1], "through a pipe", 14);
        n = read(p[0], buf, sizeof buf - 1);
        buf[n] = 0;
        printf("pipe: %s\n", buf);
    }
    return 0;
}
