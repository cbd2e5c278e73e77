// Syscall group: clocks and sleeping (no vDSO: glibc falls back to these syscalls).
using Jitexec.Kernel.Process;
using static Jitexec.Kernel.Syscalls.Forward;
using N = Jitexec.Kernel.Host.HostNr;

namespace Jitexec.Kernel.Syscalls;

internal static class TimeSyscalls
{
    public static IEnumerable<SyscallRow> Rows =>
    [
        new(228, "clock_gettime", (LinuxProcess p, SyscallArgs a) => Call(N.ClockGettime, (long)a.A0, p.Host(a.A1, 16)), Arg.ClockId, Arg.TimespecOut),
        new(229, "clock_getres", (LinuxProcess p, SyscallArgs a) => Call(N.ClockGetres, (long)a.A0, p.HostOrNull(a.A1, 16)), Arg.ClockId, Arg.TimespecOut),
        new(96, "gettimeofday", (LinuxProcess p, SyscallArgs a) => Call(N.Gettimeofday, p.HostOrNull(a.A0, 16), p.HostOrNull(a.A1, 8)), Arg.Ptr, Arg.Ptr),
        new(201, "time", (LinuxProcess p, SyscallArgs a) => Call(N.Time, p.HostOrNull(a.A0, 8)), Arg.Ptr),
        new(35, "nanosleep", (LinuxProcess p, SyscallArgs a) => Call(N.Nanosleep, p.Host(a.A0, 16), p.HostOrNull(a.A1, 16)), Arg.TimespecIn, Arg.TimespecOut),
        new(230, "clock_nanosleep", (LinuxProcess p, SyscallArgs a) => Call(N.ClockNanosleep, (long)a.A0, (long)a.A1, p.Host(a.A2, 16), p.HostOrNull(a.A3, 16)), Arg.ClockId, Arg.Hex, Arg.TimespecIn, Arg.TimespecOut),
    ];
}
