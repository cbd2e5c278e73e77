// Syscall group: system information and randomness (uname, sysinfo, getrandom,
// scheduler queries).
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class InfoSyscalls
{
    public static IEnumerable<SyscallRow> Rows =>
    [
        new(63, "uname", (LinuxProcess p, SyscallArgs a) => Call(N.Uname, p.Host(a.A0, 390)), Arg.Ptr),
        new(99, "sysinfo", (LinuxProcess p, SyscallArgs a) => Call(N.Sysinfo, p.Host(a.A0, 112)), Arg.Ptr),
        new(318, "getrandom", (LinuxProcess p, SyscallArgs a) => Call(N.Getrandom, p.Host(a.A0, a.A1), (long)a.A1, (long)a.A2), Arg.OutBufHex, Arg.UInt, Arg.GrndFlags),
        new(204, "sched_getaffinity", (LinuxProcess p, SyscallArgs a) => Call(N.SchedGetaffinity, 0, (long)a.A1, p.Host(a.A2, a.A1)), Arg.Int, Arg.UInt, Arg.Ptr),
        new(24, "sched_yield", (LinuxProcess p, SyscallArgs a) => 0),
        new(309, "getcpu", (LinuxProcess p, SyscallArgs a) => GetCpu(p, a), Arg.Ptr, Arg.Ptr, Arg.Ptr),
    ];

    /// <summary>The guest runs on one virtual CPU and NUMA node: 0 and 0 (matching the rseq cpu_id).</summary>
    private static unsafe long GetCpu(LinuxProcess p, SyscallArgs a)
    {
        if (a.A0 != 0) *(uint*)p.Host(a.A0, 4) = 0;
        if (a.A1 != 0) *(uint*)p.Host(a.A1, 4) = 0;
        return 0;
    }
}
