// Family: syscall, cpuid (fixed virtual CPU), rdtsc, and instructions with no
// architectural effect for a user-mode guest: nop, endbr64, pause, fences, prefetches.
using System.Diagnostics;
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;

namespace Jitexec.Translator.Semantics.Platform;

internal static unsafe class SystemOps
{
    public static void Register(HandlerRegistry r)
    {
        r.Add(Mnemonic.Syscall, &Syscall);
        r.Add(Mnemonic.Cpuid, &Cpuid);
        r.Add(Mnemonic.Rdtsc, &Rdtsc);
        r.Add(&NoEffect, Mnemonic.Nop, Mnemonic.Endbr64, Mnemonic.Pause, Mnemonic.Lfence, Mnemonic.Mfence,
            Mnemonic.Sfence, Mnemonic.Prefetchnta, Mnemonic.Prefetcht0, Mnemonic.Prefetcht1, Mnemonic.Prefetcht2,
            Mnemonic.Prefetchw);
    }

    private static void NoEffect(Cpu c, ref Op op) { }

    private static void Syscall(Cpu c, ref Op op)
    {
        // The kernel clobbers rcx (return address) and r11 (rflags).
        c.R[Reg.Rcx] = op.NextIp;
        c.R[Reg.R11] = Flags.Get(c);
        c.Rip = op.NextIp;
        c.Sys.Syscall(c);
    }

    private static void Cpuid(Cpu c, ref Op op)
    {
        var (a, b, cx, d) = CpuProfile.Query((uint)c.R[Reg.Rax], (uint)c.R[Reg.Rcx]);
        c.R[Reg.Rax] = a; c.R[Reg.Rbx] = b; c.R[Reg.Rcx] = cx; c.R[Reg.Rdx] = d;
    }

    // A monotonically increasing cycle-like counter: host ticks scaled to a nominal 1 GHz.
    private static void Rdtsc(Cpu c, ref Op op)
    {
        ulong t = (ulong)(Stopwatch.GetTimestamp() * (1_000_000_000.0 / Stopwatch.Frequency));
        c.R[Reg.Rax] = (uint)t;
        c.R[Reg.Rdx] = t >> 32;
    }
}
