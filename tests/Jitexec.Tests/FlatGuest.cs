// Hand-assembled guest code for engine-level tests: a flat guest system (a syscall halts the
// guest, a fault is thrown, code is executable in one address range) and Iced-assembled code
// copied into guest memory.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Memory;
using Xunit;

namespace Jitexec.Tests;

/// <summary>Syscall halts, faults throw, [start, end) is the executable code.</summary>
public sealed class FlatSystem(ulong start, ulong end) : IGuestSystem
{
    public void Syscall(Cpu cpu) => cpu.Halted = true;
    public ulong ExecutableLimit(ulong addr) => addr >= start && addr < end ? end : 0;
    public void Fault(Cpu cpu, GuestFault fault) => throw fault;
}

public static unsafe class FlatGuest
{
    /// <summary>Make [at, at + length) of guest memory readable and writable.</summary>
    public static void Map(GuestMemory mem, ulong at, ulong length)
        => Assert.Equal(0, Libc.mprotect((nint)mem.Ptr(at), (nuint)length, Libc.PROT_READ | Libc.PROT_WRITE));

    /// <summary>Assemble <paramref name="body"/> for address <paramref name="at"/> into guest memory (mapped); returns its end.</summary>
    public static ulong Load(GuestMemory mem, ulong at, Action<Assembler> body)
    {
        var a = new Assembler(64);
        body(a);
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), at);
        w.ToArray().CopyTo(mem.Span(at, (int)w.Length));
        return at + (ulong)w.Length;
    }

    /// <summary>Assemble <paramref name="body"/> at <paramref name="at"/> (one mapped page) and run it
    /// from there with the JIT configured by <paramref name="options"/> until its syscall.</summary>
    public static (Cpu Cpu, Engine Engine) Run(ulong at, Action<Assembler> body, Jitexec.Translator.Jit.JitOptions options)
    {
        var mem = new GuestMemory();
        Map(mem, at, 0x1000);
        ulong end = Load(mem, at, body);
        var sys = new FlatSystem(at, end);
        var engine = new Engine(mem, sys);
        Assert.Equal(options.Mode != Jitexec.Translator.Jit.JitMode.Off, engine.ConfigureJit(options));
        var cpu = new Cpu(mem, sys) { Rip = at };
        engine.Run(cpu);
        return (cpu, engine);
    }
}
