/* Guest test: deaths by signal must look native (argv[1] selects how to die). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "segv";
    printf("about to die by %s\n", how);
    fflush(stdout);
    if (!strcmp(how, "segv")) { volatile int *p = (int *)16; *p = 1; }
    /* base register + negative displacement below address 0: compiled code adds the
       displacement after masking, so this lands in the guard below the guest range */
    if (!strcmp(how, "segv-below")) { char *volatile p = (char *)8; p[-16] = 1; }
    if (!strcmp(how, "abort")) abort();
    if (!strcmp(how, "raise")) raise(SIGTERM);
    if (!strcmp(how, "fpe")) { volatile int z = 0; printf("%d\n", 10 / z); }
    if (!strcmp(how, "exit")) exit(77);
    return 1;
}
