// Engine.RequestStop ends a guest that never leaves a compiled loop: compiled back-edges poll
// only the engine's attention word (not Cpu.Halted), so the request must set it — with and
// without a code-write guard — and the run loop must clear it again when the guard is absent.
using Iced.Intel;
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public unsafe class StopRequestTests
{
    private const ulong Code = 0x10000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StopEndsAnEndlessCompiledLoop(bool guard)
    {
        var mem = new GuestMemory();
        FlatGuest.Map(mem, Code, 0x1000);
        ulong end = FlatGuest.Load(mem, Code, a =>
        {
            var loop = a.CreateLabel();
            a.Label(ref loop);
            a.add(rax, 1);
            a.add(rbx, rax);
            a.jmp(loop);
        });
        var sys = new FlatSystem(Code, end);
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
