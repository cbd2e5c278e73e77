// Makes guest memory faults end the process like a native fault (killed by SIGSEGV or
// SIGBUS, no .NET crash report), while every other fault still reaches the .NET runtime
// (NullReferenceException keeps working).
//
// A C# signal handler cannot do this (re-entering the runtime inside the signal kills the
// process when it chains), so the handler is ~15 instructions of machine code
// (FaultHandlerCode.cs) placed in an executable page at start-up: if si_addr lies in the
// guest reservation (guards included) and on a page the CodeWriteGuard write-protected (translated code),
// it records the page, makes it writable again and returns (the store completes; the run
// loop drops the stale translations); any other guest fault resets the signal to SIG_DFL
// with a raw rt_sigaction and returns, so the re-executed access kills the process
// natively; a fault elsewhere jumps to the runtime's previous handler with the argument
// registers untouched.
using System.Runtime.InteropServices;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Kernel.Host;

public static unsafe class NativeFaultHandler
{
    private const int SIGBUS = 7, SIGSEGV = 11;
    private static bool _installed;

    /// <summary>Install without self-modifying-code detection (a guard nobody protects pages with).</summary>
    public static void Install(GuestMemory mem) => Install(mem, new CodeWriteGuard(mem));

    public static void Install(GuestMemory mem, CodeWriteGuard guard)
    {
        if (_installed) return;
        _installed = true;
        if (guard.Memory != mem || CodeWriteGuard.Capacity != FaultHandlerCode.TableCapacity)
            throw new ArgumentException("the code write guard does not match the guest memory", nameof(guard));
        foreach (int sig in new[] { SIGSEGV, SIGBUS })
            InstallFor(sig, mem.ReservationStart, GuestMemory.ReservationSize, (ulong)guard.Bitmap, (ulong)guard.Table);
    }

    private static void InstallFor(int sig, ulong rangeBase, ulong rangeSize, ulong bitmap, ulong table)
    {
        // Data page: [0] previous handler, [8..40) an all-zero kernel_sigaction (SIG_DFL).
        nint page = Libc.mmap(0, 4096, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (page == Libc.MAP_FAILED) throw new InvalidOperationException("cannot allocate the fault handler");
        ulong* data = (ulong*)page;
        var old = stackalloc ulong[4];
        if (Raw.Call(HostNr.RtSigaction, sig, 0, (long)old, 8) != 0) throw new InvalidOperationException("rt_sigaction failed");
        data[0] = old[0];
        ulong dfl = (ulong)page + 8;

        nint code = (nint)((ulong)page + 2048);
        byte[] bytes = FaultHandlerCode.Build(rangeBase, rangeSize, (uint)GuestMemory.GuardSize, bitmap, table, dfl, (ulong)page);
        Marshal.Copy(bytes, 0, code, bytes.Length);
        if (Libc.mprotect(page, 4096, Libc.PROT_READ | Libc.PROT_EXEC) != 0)
            throw new InvalidOperationException("cannot make the fault handler executable");

        var act = stackalloc ulong[4];
        act[0] = (ulong)code;
        act[1] = old[1] | 0x4 /* SA_SIGINFO */;
        act[2] = old[2];
        act[3] = old[3];
        if (Raw.Call(HostNr.RtSigaction, sig, (long)act, 0, 8) != 0) throw new InvalidOperationException("rt_sigaction failed");
    }
}
