/* Perf guest: sorting (libc qsort with a comparison callback, plus an in-place merge of runs). argv[1] scales the work. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static int cmp(const void *a, const void *b) { uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b; return (x > y) - (x < y); }

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    enum { N = 20000 };
    static uint32_t a[N];
    uint32_t x = 88172645u, check = 0;
    for (int r = 0; r < 2 * scale; r++) {
        for (int i = 0; i < N; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = x % 1000003u; }
        qsort(a, N, sizeof a[0], cmp);
        for (int i = 1; i < N; i++) if (a[i - 1] > a[i]) return 1;
        check += a[N / 2] ^ a[N - 1];
    }
    printf("%u\n", check);
    return 0;
}
