/* Perf guest: the smallest useful static program, for process start-up overhead. */
#include <stdio.h>

int main(void)
{
    puts("hello");
    return 0;
}
