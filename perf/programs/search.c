/* Perf guest: string search (strstr, memchr and a naive byte loop over a text buffer). argv[1] scales the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int scale = argc > 1 ? atoi(argv[1]) : 1;
    static char text[1 << 16];
    for (size_t i = 0; i < sizeof text - 1; i++) text[i] = "the quick brown fox jumps over lazy dogs"[(i * 7 + i / 11) % 40];
    long hits = 0;
    for (int r = 0; r < 4 * scale; r++) {
        for (const char *p = text; (p = strstr(p, "fox j")); p++) hits++;
        for (const char *p = text; (p = memchr(p, 'z', (size_t)(text + sizeof text - 1 - p))); p++) hits++;
        for (size_t i = 0; i + 3 < sizeof text; i++) if (text[i] == 'o' && text[i + 2] == 'e') hits++;
        text[(r * 7919) % (sizeof text - 1)] = 'f';
    }
    printf("%ld\n", hits);
    return 0;
}
