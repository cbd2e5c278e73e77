/* Guest test: formatted output of integers, doubles and strings; argv and exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>

int main(int argc, char **argv)
{
    printf("hello from %s with %d args\n", strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0], argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] = '%s'\n", i, argv[i]);
    printf("%d %u %ld %lx %llo %+05d %-6d|\n", -42, 4000000000u, -1234567890123L, 0xdeadbeefcafeUL, 0777ULL, 7, 3);
    printf("%" PRId64 " %" PRIu64 " %#" PRIx64 "\n", INT64_MIN, UINT64_MAX, (uint64_t)0x123456789abcdefULL);
    double vals[] = { 0.0, -0.0, 1.0, -2.5, 3.14159265358979, 1e-300, 1.7976931348623157e308, 6.02214076e23, 1.0 / 3.0, 123456.789 };
    for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++)
        printf("%g %.17g %e %f %a\n", vals[i], vals[i], vals[i], vals[i], vals[i]);
    printf("%s|%10s|%-10s|%.3s\n", "str", "right", "left", "truncate");
    printf("%c%c%c %5.1f%%\n", 'a', 'b', 'c', 99.44);
    fprintf(stderr, "this goes to stderr: %d\n", 12345);
    long double ld = 1.0L / 7.0L;
    printf("%.20Lg\n", ld);
    return argc > 3 ? 0 : 7;
}
