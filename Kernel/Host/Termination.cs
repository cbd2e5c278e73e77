// Ends the host process the way the guest's fate demands: by the same signal (so a shell
// sees "Segmentation fault", status 128+N) or with an exit status.
using Jitexec.Translator.Host;

namespace Jitexec.Kernel.Host;

public static unsafe class Termination
{
    /// <summary>Reset <paramref name="signal"/> to its default action, unblock it and send it to ourselves.</summary>
    public static void DieBySignal(int signal)
    {
        Diagnostics.Error.Flush();
        var act = stackalloc ulong[4]; // struct kernel_sigaction: handler, flags, restorer, mask
        act[0] = 0; act[1] = 0; act[2] = 0; act[3] = 0;
        Raw.Call(HostNr.RtSigaction, signal, (long)act, 0, 8);
        ulong set = 1UL << (signal - 1);
        Raw.Call(HostNr.RtSigprocmask, 1 /* SIG_UNBLOCK */, (long)&set, 0, 8);
        long pid = Raw.Call(HostNr.Getpid);
        long tid = Raw.Call(HostNr.Gettid);
        Raw.Call(HostNr.Tgkill, pid, tid, signal);
        // Signals whose default action is to ignore (SIGCHLD, SIGURG, SIGWINCH) or that stop the process land here.
        Raw.Call(HostNr.ExitGroup, 128 + signal);
    }

    public static void Exit(int status)
    {
        Diagnostics.Error.Flush();
        Raw.Call(HostNr.ExitGroup, status & 0xFF);
    }
}
