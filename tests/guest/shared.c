/* Guest test: shared mappings. "file DIR": a file in DIR mapped MAP_SHARED read-write is
   written through the mapping in two phases with busy loops between (so a hand-off to the
   JIT build happens while it is mapped), then read back with read(2). "anon": a
   MAP_SHARED|MAP_ANONYMOUS region used the same way. Output has no addresses. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static unsigned long busy(unsigned char *p, int n)
{
    unsigned long h = 5381;
    for (int r = 0; r < 200; r++)
        for (int i = 0; i < n; i++) h = h * 33 + p[i] + r;
    return h;
}

int main(int argc, char **argv)
{
    const int size = 8192;
    unsigned char *m;
    int fd = -1;
    if (argc > 2 && strcmp(argv[1], "file") == 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/shared.bin", argv[2]);
        fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || ftruncate(fd, size) != 0) { perror("open"); return 1; }
        m = mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    } else {
        m = mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    }
    if (m == MAP_FAILED) { perror("mmap"); return 1; }
    for (int i = 0; i < size; i++) m[i] = (unsigned char)(i * 7);
    printf("phase 1: %lu\n", busy(m, size));
    for (int i = 0; i < size; i += 3) m[i] ^= 0x5a;
    printf("phase 2: %lu\n", busy(m, size));
    if (fd >= 0) {
        unsigned char back[8192];
        if (msync(m, size, MS_SYNC) != 0) perror("msync");
        if (pread(fd, back, size, 0) != size) { perror("pread"); return 1; }
        printf("file matches mapping: %s, file hash %lu\n", memcmp(back, m, size) == 0 ? "yes" : "no", busy(back, 64));
        close(fd);
    }
    munmap(m, size);
    return 0;
}
