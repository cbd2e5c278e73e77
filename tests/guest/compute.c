/* Guest test and benchmark: integer hashing, sorting, string search and double
   arithmetic. argv[1] scales the work (default 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t fnv(const unsigned char *p, size_t n) { uint64_t h = 1469598103934665603ULL; while (n--) { h ^= *p++; h *= 1099511628211ULL; } return h; }

static void isort(uint32_t *a, int n) { for (int i = 1; i < n; i++) { uint32_t v = a[i]; int j = i - 1; while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; } a[j + 1] = v; } }

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    uint64_t h = 0;
    unsigned char block[4096];
    for (int i = 0; i < 4096; i++) block[i] = (unsigned char)(i * 37 + 11);
    for (int r = 0; r < 200 * scale; r++) { block[r % 4096] ^= (unsigned char)r; h ^= fnv(block, sizeof block) + (uint64_t)r; }
    printf("hash %016llx\n", (unsigned long long)h);

    enum { N = 3000 };
    static uint32_t a[N];
    uint32_t x = 2463534242u, sum = 0;
    for (int r = 0; r < scale; r++) {
        for (int i = 0; i < N; i++) { x ^= x << 13; x ^= x >> 17; x ^= x << 5; a[i] = x; }
        isort(a, N);
        for (int i = 0; i < N; i += 100) sum += a[i] >> 7;
    }
    printf("sort %u %u %u\n", a[0], a[N - 1], sum);

    static char text[1 << 16];
    for (size_t i = 0; i < sizeof text - 1; i++) text[i] = "abcdefghij klmnop"[(i * 7 + i / 13) % 17];
    int hits = 0;
    for (int r = 0; r < 20 * scale; r++) { const char *p = text; while ((p = strstr(p, "jklm"))) { hits++; p++; } text[r * 97 % (sizeof text - 1)] = 'j'; }
    printf("search %d\n", hits);

    double acc = 0, v = 1.0;
    for (int i = 1; i < 200000 * scale; i++) { v = v * 1.0000001 + 1.0 / i; acc += v / (i + 0.5) - (double)(i % 3) * 0.25; }
    printf("double %.10e\n", acc);
    return 0;
}
