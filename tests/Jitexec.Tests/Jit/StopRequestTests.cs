// Engine.RequestStop ends a guest that never leaves a compiled loop: compiled back-edges poll
// only the engine's attention word (not Cpu.Halted), so the request must set it — with and
// without a code-write guard — and the run loop must clear it again when the guard is absent.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public unsafe class StopRequestTests
{
    private const ulong Code = 0x10000;

    private sealed class FlatSystem(ulong start, ulong end) : IGuestSystem
    {
        public void Syscall(Cpu cpu) => cpu.Halted = true;
        public ulong ExecutableLimit(ulong addr) => addr >= start && addr < end ? end : 0;
        public void Fault(Cpu cpu, GuestFault fault) => throw fault;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StopEndsAnEndlessCompiledLoop(bool guard)
    {
        var a = new Assembler(64);
        var loop = a.CreateLabel();
        a.Label(ref loop);
        a.add(rax, 1);
        a.add(rbx, rax);
        a.jmp(loop);
        var w = new MemoryStream();
        a.Assemble(new StreamCodeWriter(w), Code);
        byte[] bytes = w.ToArray();

        var mem = new GuestMemory();
        Assert.Equal(0, Libc.mprotect((nint)mem.Ptr(Code), 0x1000, Libc.PROT_READ | Libc.PROT_WRITE));
        bytes.CopyTo(mem.Span(Code, bytes.Length));
        var sys = new FlatSystem(Code, Code + (ulong)bytes.Length);
        var engine = new Engine(mem, sys);
        if (guard) engine.EnableCodeWriteGuard(new CodeWriteGuard(mem), _ => false);
        Assert.True(engine.ConfigureJit(JitOptions.AlwaysCompile));
        var cpu = new Cpu(mem, sys) { Rip = Code };

        var run = new Thread(() => engine.Run(cpu)) { IsBackground = true };
        run.Start();
        // Stop only once the loop runs as compiled code (entered once, never left).
        SpinWait.SpinUntil(() => engine.UnitEntries > 0 && engine.Jit!.UnitsCompiled > 0, 30_000);
        Assert.True(engine.UnitEntries > 0, "the loop was never compiled");
        engine.RequestStop(cpu);
        Assert.True(run.Join(30_000), "the compiled loop ignored the stop request");
        Assert.True(cpu.Halted);
        Assert.True(cpu.R[Reg.Rax] > 0);
    }
}
