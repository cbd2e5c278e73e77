// Minimal harness for the data-family sanity tests: assembles a routine at a fixed guest
// address, maps code, a data buffer and a stack, and runs it under the interpreter until
// the trailing syscall. Expected values in the tests come from the same sequences run
// natively (probe programs), not from the interpreter's own reasoning.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;

namespace Jitexec.Tests.Data;

internal sealed unsafe class GuestRunner : IDisposable
{
    public const ulong Code = 0x10000, Buf = 0x30000, Stack = 0x40000, StackTop = Stack + 0x1000;

    // GuestMemory reserves 1 TiB of address space and never releases it: share one
    // instance across all tests (callers lock Gate).
    public static readonly GuestRunner Shared = new();
    public static readonly object Gate = new();

    public readonly GuestMemory Mem = new();
    private readonly FlatSystem _sys = new(Code, Code + 0x1000);

    private GuestRunner()
    {
        if (Libc.mprotect((nint)Mem.Ptr(Code), 0x31000, Libc.PROT_READ | Libc.PROT_WRITE) != 0)
            throw new InvalidOperationException("mprotect");
    }

    public Span<byte> Buffer(int length = 256) => Mem.Span(Buf, length);

    /// <summary>Run the routine built by <paramref name="build"/> (a syscall is appended).</summary>
    public Cpu Run(Action<Assembler> build, Action<Cpu>? init = null)
    {
        FlatGuest.Load(Mem, Code, a => { build(a); a.syscall(); });
        var cpu = new Cpu(Mem, _sys) { Rip = Code };
        cpu.R[Reg.Rsp] = StackTop;
        init?.Invoke(cpu);
        new Engine(Mem, _sys).Run(cpu);
        return cpu;
    }

    public void Dispose() => Mem.Dispose();
}
