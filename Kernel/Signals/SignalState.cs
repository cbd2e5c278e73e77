// Per-process signal dispositions and mask as the guest set them. Delivery of signals to
// guest handlers is not implemented yet; dispositions are recorded so rt_sigaction
// returns what the guest stored, and a fatal signal kills jitexec by the same signal.
namespace Jitexec.Kernel.Signals;

public sealed class SignalState
{
    public const int Count = 64;
    /// <summary>Raw struct kernel_sigaction per signal: handler, flags, restorer, mask.</summary>
    public readonly ulong[,] Actions = new ulong[Count + 1, 4];
    public ulong Mask;
    public ulong AltStackSp, AltStackFlags = 2 /* SS_DISABLE */, AltStackSize;

    public const ulong SIG_DFL = 0, SIG_IGN = 1;

    public bool IsIgnored(int sig) => sig is > 0 and <= Count && Actions[sig, 0] == SIG_IGN;
    public bool IsDefault(int sig) => sig is > 0 and <= Count && Actions[sig, 0] == SIG_DFL;
}
