// The seam between the CPU (Translator) and the operating-system personality (Kernel).
// Translator knows nothing about Linux: it asks this interface to perform syscalls, to say
// where executable memory is, and what to do with a guest fault.
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Exec;

public interface IGuestSystem
{
    /// <summary>Perform the syscall described by the guest registers (rax, rdi, rsi, rdx, r10, r8, r9).</summary>
    void Syscall(Cpu cpu);

    /// <summary>End (exclusive) of the executable mapping containing <paramref name="addr"/>, or 0 when not executable.</summary>
    ulong ExecutableLimit(ulong addr);

    /// <summary>A synchronous guest fault (illegal instruction, divide error, fetch fault). Either delivers it or ends the process; sets cpu.Halted if the guest cannot continue.</summary>
    void Fault(Cpu cpu, GuestFault fault);
}
