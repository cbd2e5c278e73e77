// A synchronous fault raised while executing a guest instruction. Carries the Linux
// signal the kernel would send and a one-line diagnostic.
namespace Jitexec.Translator.Exec;

public sealed class GuestFault : Exception
{
    public const int SIGILL = 4, SIGTRAP = 5, SIGBUS = 7, SIGFPE = 8, SIGSEGV = 11;

    public int Signal { get; }
    public ulong Rip { get; }
    /// <summary>si_code / fault address for later signal delivery.</summary>
    public ulong Address { get; }

    public GuestFault(int signal, ulong rip, string message, ulong address = 0) : base(message)
    {
        Signal = signal;
        Rip = rip;
        Address = address;
    }
}
