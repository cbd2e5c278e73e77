/* Guest test: executes ud2 (via __builtin_trap), which must raise SIGILL with a diagnostic. */
#include <stdio.h>
int main(void) { printf("before trap\n"); fflush(stdout); __builtin_trap(); }
