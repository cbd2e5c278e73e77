// Self-modifying code: writes machine code into memory, runs it, rewrites it and runs it
// again, in hot loops (so a JIT compiles it first) and with a W^X mprotect flip. The output
// must be identical natively and under jitexec, whatever tier runs the code.
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

typedef int (*fn_t)(int);

// lea eax, [rdi + imm32]; ret
static void emit_add(unsigned char *p, int32_t k)
{
    p[0] = 0x8d; p[1] = 0x87;
    memcpy(p + 2, &k, 4);
    p[6] = 0xc3;
    __builtin___clear_cache((char *)p, (char *)p + 7);
}

// A loop in generated code: eax = sum of (i * k) for i < edi.
//   xor eax,eax; xor ecx,ecx; L: cmp ecx,edi; jge E; imul edx,ecx,k; add eax,edx; inc ecx; jmp L; E: ret
static void emit_loop(unsigned char *p, int32_t k)
{
    unsigned char code[] = {
        0x31, 0xc0, 0x31, 0xc9,
        0x39, 0xf9, 0x7d, 0x0c,
        0x69, 0xd1, 0, 0, 0, 0,
        0x01, 0xd0, 0xff, 0xc1, 0xeb, 0xf0,
        0xc3,
    };
    memcpy(code + 10, &k, 4);
    memcpy(p, code, sizeof code);
    __builtin___clear_cache((char *)p, (char *)p + sizeof code);
}

int main(void)
{
    unsigned char *rwx = mmap(0, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rwx == MAP_FAILED) { perror("mmap"); return 1; }
    fn_t f = (fn_t)rwx;

    // 1. Rewrite a hot function every 1000 calls.
    long sum = 0;
    for (int i = 0; i < 20000; i++) {
        if (i % 1000 == 0) emit_add(rwx, i / 1000 + 1);
        sum += f(i);
    }
    printf("rewrite every 1000: %ld\n", sum);

    // 2. Rewrite on every call (the write hits code translated by the previous call).
    sum = 0;
    for (int i = 0; i < 3000; i++) {
        emit_add(rwx, i);
        sum += f(1);
    }
    printf("rewrite every call: %ld\n", sum);

    // 3. A generated loop, rewritten between runs.
    fn_t g = (fn_t)(rwx + 64);
    for (int k = 1; k <= 5; k++) {
        emit_loop(rwx + 64, k * 7);
        printf("loop k=%d: %d %d\n", k * 7, g(100), g(5000));
    }

    // 4. Data written next to hot code on the same page.
    volatile int *data = (volatile int *)(rwx + 2048);
    emit_add(rwx, 3);
    sum = 0;
    for (int i = 0; i < 5000; i++) { data[i & 63] = i; sum += f(data[(i * 7) & 63]); }
    printf("data on code page: %ld\n", sum);

    // 5. W^X: RW to write, RX to run.
    unsigned char *wx = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fn_t h = (fn_t)wx;
    sum = 0;
    for (int k = 0; k < 50; k++) {
        mprotect(wx, 4096, PROT_READ | PROT_WRITE);
        emit_add(wx, k * 3);
        mprotect(wx, 4096, PROT_READ | PROT_EXEC);
        for (int i = 0; i < 100; i++) sum += h(i);
    }
    printf("w^x flips: %ld\n", sum);
    return 0;
}
