/* Perf guest: integer hashing (FNV-1a and a 64-bit mixer over a buffer). argv[1] scales the work. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static uint64_t mix(uint64_t x) { x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL; return x ^ (x >> 33); }

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    static unsigned char buf[1 << 14];
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 131 + 7);
    uint64_t acc = 0;
    for (int r = 0; r < 40 * scale; r++) {
        uint64_t h = 1469598103934665603ULL;
        for (size_t i = 0; i < sizeof buf; i++) { h ^= buf[i]; h *= 1099511628211ULL; }
        acc += mix(h + (uint64_t)r);
        buf[r & (sizeof buf - 1)] ^= (unsigned char)acc;
    }
    printf("%016llx\n", (unsigned long long)acc);
    return 0;
}
