/* Guest test: string functions, qsort/bsearch, malloc/realloc/free over many sizes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void)
{
    char buf[256];
    strcpy(buf, "The quick brown fox");
    strcat(buf, " jumps over the lazy dog");
    printf("%zu '%s'\n", strlen(buf), buf);
    printf("strchr=%s strrchr=%s strstr=%s\n", strchr(buf, 'q'), strrchr(buf, 'o'), strstr(buf, "lazy"));
    printf("strcmp=%d strncmp=%d memcmp=%d\n", strcmp("abc", "abd") < 0, strncmp("abcdef", "abcxyz", 3), memcmp("\x01\x02", "\x01\x03", 2) < 0);
    char *tok, *save, copy[64];
    strcpy(copy, "a,b,,c;d");
    for (tok = strtok_r(copy, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) printf("[%s]", tok);
    printf("\n");
    for (char *p = buf; *p; p++) *p = toupper((unsigned char)*p);
    printf("%s\n", buf);
    printf("strtol=%ld strtoul=%lu atoi=%d strtod=%.6f\n", strtol("-0x1f", NULL, 16), strtoul("4294967295", NULL, 10), atoi("  42abc"), strtod("2.718281828", NULL));
    memset(buf, 'x', 100); buf[100] = 0;
    memmove(buf + 10, buf, 50);
    printf("%zu\n", strlen(buf));

    enum { N = 5000 };
    int *arr = malloc(N * sizeof *arr);
    unsigned seed = 12345;
    for (int i = 0; i < N; i++) { seed = seed * 1103515245 + 12345; arr[i] = (int)(seed >> 8) % 100000 - 50000; }
    qsort(arr, N, sizeof *arr, cmp_int);
    long sum = 0;
    for (int i = 0; i < N; i++) sum += (long)arr[i] * (i % 7);
    int key = arr[1234];
    int *found = bsearch(&key, arr, N, sizeof *arr, cmp_int);
    printf("sorted: first=%d last=%d sum=%ld found=%d\n", arr[0], arr[N - 1], sum, found && *found == key);
    free(arr);

    char *words[] = { "pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape" };
    qsort(words, 8, sizeof *words, cmp_str);
    for (int i = 0; i < 8; i++) printf("%s ", words[i]);
    printf("\n");

    void *blocks[512];
    size_t total = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 512; i++) {
            size_t sz = (size_t)((i * 7919 + round * 104729) % 70000) + 1;
            if (i % 97 == 0) sz *= 40; /* some large (mmap) allocations */
            blocks[i] = malloc(sz);
            memset(blocks[i], i & 0xff, sz);
            total += sz;
        }
        for (int i = 0; i < 512; i += 2) blocks[i] = realloc(blocks[i], 33 + i);
        unsigned check = 0;
        for (int i = 0; i < 512; i++) check = check * 31 + ((unsigned char *)blocks[i])[0];
        for (int i = 0; i < 512; i++) free(blocks[i]);
        printf("round %d check %u\n", round, check);
    }
    printf("total %zu\n", total);
    char *dup = strdup("duplicate me");
    printf("%s %zu\n", dup, strlen(dup));
    free(dup);
    return 0;
}
