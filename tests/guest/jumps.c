/* Guest test: setjmp/longjmp (pointer-mangled jmp_buf), atexit handlers, recursion. */
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>

static jmp_buf env;
static int depth;

static void dive(int n) { depth = n; if (n == 0) longjmp(env, 42); dive(n - 1); }
static void bye1(void) { printf("atexit 1\n"); }
static void bye2(void) { printf("atexit 2 (runs first)\n"); }
static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    atexit(bye1);
    atexit(bye2);
    int r = setjmp(env);
    if (r == 0) { dive(100); printf("not reached\n"); }
    printf("longjmp returned %d at depth %d\n", r, depth);
    volatile int count = 0;
    jmp_buf again;
    if (setjmp(again) < 3) { count++; if (count < 3) longjmp(again, count); }
    printf("count %d fib(25) %ld\n", count, fib(25));
    exit(5);
}
