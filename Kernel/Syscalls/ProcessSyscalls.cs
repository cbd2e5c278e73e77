// Syscall group: process identity, exit, thread-area setup (arch_prctl, set_tid_address,
// robust lists, rseq), resource limits and usage, futex for a single-threaded guest.
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class ProcessSyscalls
{
    private const int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(60, "exit", (LinuxProcess p, SyscallArgs a) => Exit(p, (int)a.A0), Arg.Int),
        new(231, "exit_group", (LinuxProcess p, SyscallArgs a) => Exit(p, (int)a.A0), Arg.Int),
        new(39, "getpid", (LinuxProcess p, SyscallArgs a) => Environment.ProcessId),
        new(186, "gettid", (LinuxProcess p, SyscallArgs a) => p.ThreadId),
        new(110, "getppid", (LinuxProcess p, SyscallArgs a) => Call(N.Getppid)),
        new(102, "getuid", (LinuxProcess p, SyscallArgs a) => Call(N.Getuid)),
        new(104, "getgid", (LinuxProcess p, SyscallArgs a) => Call(N.Getgid)),
        new(107, "geteuid", (LinuxProcess p, SyscallArgs a) => Call(N.Geteuid)),
        new(108, "getegid", (LinuxProcess p, SyscallArgs a) => Call(N.Getegid)),
        new(111, "getpgrp", (LinuxProcess p, SyscallArgs a) => Call(N.Getpgrp)),
        new(121, "getpgid", (LinuxProcess p, SyscallArgs a) => Call(121, (long)a.A0), Arg.Int),
        new(124, "getsid", (LinuxProcess p, SyscallArgs a) => Call(124, (long)a.A0), Arg.Int),
        new(115, "getgroups", (LinuxProcess p, SyscallArgs a) => Call(N.Getgroups, (long)a.A0, a.A0 == 0 ? 0 : p.Host(a.A1, a.A0 * 4)), Arg.Int, Arg.Ptr),
        new(218, "set_tid_address", (LinuxProcess p, SyscallArgs a) => { p.ClearChildTid = a.A0; return p.ThreadId; }, Arg.Ptr),
        new(273, "set_robust_list", (LinuxProcess p, SyscallArgs a) => a.A1 == 24 ? 0 : -Errno.EINVAL, Arg.Ptr, Arg.UInt),
        new(334, "rseq", (LinuxProcess p, SyscallArgs a) => Rseq(p, a), Arg.Ptr, Arg.Hex, Arg.Hex, Arg.Hex),
        new(158, "arch_prctl", (LinuxProcess p, SyscallArgs a) => ArchPrctl(p, (int)a.A0, a.A1), Arg.ArchPrctlCode, Arg.Hex),
        new(302, "prlimit64", (LinuxProcess p, SyscallArgs a) => Prlimit(p, (int)a.A0, (int)a.A1, a.A2, a.A3), Arg.Int, Arg.Resource, Arg.RlimitIn, Arg.RlimitOut),
        new(97, "getrlimit", (LinuxProcess p, SyscallArgs a) => Prlimit(p, 0, (int)a.A0, 0, a.A1), Arg.Resource, Arg.RlimitOut),
        new(160, "setrlimit", (LinuxProcess p, SyscallArgs a) => Prlimit(p, 0, (int)a.A0, a.A1, 0), Arg.Resource, Arg.RlimitIn),
        new(98, "getrusage", (LinuxProcess p, SyscallArgs a) => Call(N.Getrusage, (long)a.A0, p.Host(a.A1, 144)), Arg.Int, Arg.Ptr),
        new(100, "times", (LinuxProcess p, SyscallArgs a) => Call(N.Times, p.HostOrNull(a.A0, 32)), Arg.Ptr),
        new(61, "wait4", (LinuxProcess p, SyscallArgs a) => -Errno.ECHILD, Arg.Int, Arg.Ptr, Arg.Hex, Arg.Ptr),
        new(202, "futex", (LinuxProcess p, SyscallArgs a) => Futex(p, a), Arg.Ptr, Arg.FutexOp, Arg.Int, Arg.Ptr, Arg.Ptr, Arg.Hex),
    ];

    private static long Exit(LinuxProcess p, int status)
    {
        p.ExitGroup(status);
        p.Trace?.Exited(status & 0xFF);
        return 0;
    }

    /// <summary>
    /// rseq registration: accepted like the kernel does, with cpu_id_start/cpu_id set to 0 (the guest runs on one
    /// virtual CPU and is never migrated, so they never change and no critical section is ever aborted).
    /// </summary>
    private static unsafe long Rseq(LinuxProcess p, SyscallArgs a)
    {
        const int Unregister = 1;
        uint len = (uint)a.A1;
        int flags = (int)a.A2;
        if ((flags & ~Unregister) != 0) return -Errno.EINVAL;
        if ((flags & Unregister) != 0)
        {
            if (p.RseqArea == 0) return -Errno.EINVAL;
            if (a.A0 != p.RseqArea || len != p.RseqLength) return -Errno.EINVAL;
            if ((uint)a.A3 != p.RseqSignature) return -Errno.EPERM;
            p.RseqArea = 0;
            return 0;
        }
        if (p.RseqArea != 0)
            return a.A0 == p.RseqArea && len == p.RseqLength ? ((uint)a.A3 == p.RseqSignature ? -Errno.EBUSY : -Errno.EPERM) : -Errno.EINVAL;
        if (len < 32 || (a.A0 & 31) != 0) return -Errno.EINVAL;
        var area = (uint*)p.Host(a.A0, 32);
        area[0] = 0; // cpu_id_start
        area[1] = 0; // cpu_id
        p.RseqArea = a.A0;
        p.RseqLength = len;
        p.RseqSignature = (uint)a.A3;
        return 0;
    }

    private static unsafe long ArchPrctl(LinuxProcess p, int code, ulong addr)
    {
        switch (code)
        {
            case ARCH_SET_FS: p.Cpu.FsBase = addr; return 0;
            case ARCH_SET_GS: p.Cpu.GsBase = addr; return 0;
            case ARCH_GET_FS: *(ulong*)p.Host(addr, 8) = p.Cpu.FsBase; return 0;
            case ARCH_GET_GS: *(ulong*)p.Host(addr, 8) = p.Cpu.GsBase; return 0;
            default: return -Errno.EINVAL;
        }
    }

    private static unsafe long Prlimit(LinuxProcess p, int pid, int resource, ulong newPtr, ulong oldPtr)
    {
        if (pid != 0 && pid != Environment.ProcessId) return -Errno.ESRCH;
        if ((uint)resource >= Resources.Count) return -Errno.EINVAL;
        var (soft, hard) = p.Limits.Get(resource);
        if (newPtr != 0)
        {
            var n = (ulong*)p.Host(newPtr, 16);
            if (n[0] > n[1]) return -Errno.EINVAL;
            if (n[1] > hard && Call(N.Geteuid) != 0) return -Errno.EPERM;
        }
        if (oldPtr != 0)
        {
            var o = (ulong*)p.Host(oldPtr, 16);
            o[0] = soft; o[1] = hard;
        }
        if (newPtr != 0)
        {
            var n = (ulong*)p.Host(newPtr, 16);
            p.Limits.Set(resource, n[0], n[1]);
        }
        return 0;
    }

    private static unsafe long Futex(LinuxProcess p, SyscallArgs a)
    {
        int op = (int)a.A1 & 0x7F & ~0x80;
        switch (op & 0xF)
        {
            case 0: case 9: // FUTEX_WAIT, FUTEX_WAIT_BITSET: with one thread nobody can wake us
                uint cur = *(uint*)p.Host(a.A0, 4);
                if (cur != (uint)a.A2) return -Errno.EAGAIN;
                return a.A3 != 0 ? -Errno.ETIMEDOUT : -Errno.EINTR;
            case 1: case 10: return 0; // FUTEX_WAKE(_BITSET): no waiters
            default: return -Errno.ENOSYS;
        }
    }
}
