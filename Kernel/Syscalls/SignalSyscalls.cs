// Syscall group: signal dispositions, masks, alternate stacks and sending signals.
// Handlers are recorded, not yet invoked: a signal sent to the process with its default
// action terminates jitexec by the same signal, as the kernel would.
using Jitexec.Kernel.Host;
using Jitexec.Kernel.Process;
using Jitexec.Kernel.Signals;

namespace Jitexec.Kernel.Syscalls;

internal static class SignalSyscalls
{
    private const int SIGKILL = 9, SIGSTOP = 19;

    public static IEnumerable<SyscallRow> Rows =>
    [
        new(13, "rt_sigaction", (LinuxProcess p, SyscallArgs a) => SigAction(p, a), Arg.Signal, Arg.SigActionIn, Arg.SigActionOut, Arg.UInt),
        new(14, "rt_sigprocmask", (LinuxProcess p, SyscallArgs a) => SigProcMask(p, a), Arg.SigHow, Arg.SigSetIn, Arg.SigSetOut, Arg.UInt),
        new(131, "sigaltstack", (LinuxProcess p, SyscallArgs a) => SigAltStack(p, a), Arg.Ptr, Arg.Ptr),
        new(62, "kill", (LinuxProcess p, SyscallArgs a) => Send(p, (int)a.A0 == Environment.ProcessId || (int)a.A0 == 0 ? Environment.ProcessId : (int)a.A0, (int)a.A1), Arg.Int, Arg.Signal),
        new(200, "tkill", (LinuxProcess p, SyscallArgs a) => Send(p, (int)a.A0, (int)a.A1), Arg.Int, Arg.Signal),
        new(234, "tgkill", (LinuxProcess p, SyscallArgs a) => Send(p, (int)a.A0, (int)a.A2), Arg.Int, Arg.Int, Arg.Signal),
    ];

    private static unsafe long SigAction(LinuxProcess p, SyscallArgs a)
    {
        int sig = (int)a.A0;
        if (sig < 1 || sig > SignalState.Count || a.A3 != 8) return -Errno.EINVAL;
        if (a.A1 != 0 && (sig == SIGKILL || sig == SIGSTOP)) return -Errno.EINVAL;
        var acts = p.Signals.Actions;
        if (a.A2 != 0)
        {
            var o = (ulong*)p.Host(a.A2, 32);
            for (int i = 0; i < 4; i++) o[i] = acts[sig, i];
        }
        if (a.A1 != 0)
        {
            var n = (ulong*)p.Host(a.A1, 32);
            for (int i = 0; i < 4; i++) acts[sig, i] = n[i];
        }
        return 0;
    }

    private static unsafe long SigProcMask(LinuxProcess p, SyscallArgs a)
    {
        if (a.A3 != 8) return -Errno.EINVAL;
        ulong old = p.Signals.Mask;
        if (a.A1 != 0)
        {
            ulong set = *(ulong*)p.Host(a.A1, 8) & ~((1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)));
            switch ((int)a.A0)
            {
                case 0: p.Signals.Mask |= set; break;
                case 1: p.Signals.Mask &= ~set; break;
                case 2: p.Signals.Mask = set; break;
                default: return -Errno.EINVAL;
            }
        }
        if (a.A2 != 0) *(ulong*)p.Host(a.A2, 8) = old;
        return 0;
    }

    private static unsafe long SigAltStack(LinuxProcess p, SyscallArgs a)
    {
        var s = p.Signals;
        if (a.A1 != 0)
        {
            var o = (ulong*)p.Host(a.A1, 24);
            o[0] = s.AltStackSp; o[1] = s.AltStackFlags; o[2] = s.AltStackSize;
        }
        if (a.A0 != 0)
        {
            var n = (ulong*)p.Host(a.A0, 24);
            s.AltStackSp = n[0]; s.AltStackFlags = n[1] & 2; s.AltStackSize = n[2];
        }
        return 0;
    }

    /// <summary>A signal sent to ourselves: ignored, or fatal with the default action. Others go to the host.</summary>
    private static long Send(LinuxProcess p, int target, int sig)
    {
        if (sig < 0 || sig > SignalState.Count) return -Errno.EINVAL;
        bool self = target == Environment.ProcessId || target == p.ThreadId;
        if (!self) return Raw.Call(HostNr.Kill, target, sig);
        if (sig == 0) return 0;
        if (p.Signals.IsIgnored(sig) || IsIgnoredByDefault(sig) && p.Signals.IsDefault(sig)) return 0;
        if (!p.Signals.IsDefault(sig) && sig != SIGKILL && sig != SIGSTOP)
        {
            Host.Diagnostics.Error.WriteLine($"jitexec: signal {sig} has a guest handler, but signal delivery is not implemented yet; terminating");
        }
        p.Trace?.Killed(sig);
        Termination.DieBySignal(sig);
        return 0;
    }

    private static bool IsIgnoredByDefault(int sig) => sig is 17 /* SIGCHLD */ or 23 /* SIGURG */ or 28 /* SIGWINCH */;
}
