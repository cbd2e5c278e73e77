// The hot-code profile a run exports (JitTier.Export, saved in resident snapshots) names only
// the units still in use: a nested loop first compiles its inner loop, then the outer loop as
// a unit containing the inner one; the inner unit is then superseded and must not be exported
// (a restored run would compile it for nothing).
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public class ProfileExportTests
{
    private const ulong Code = 0x10000;

    [Fact]
    public void SupersededUnitsAreNotExported()
    {
        var mem = new GuestMemory();
        FlatGuest.Map(mem, Code, 0x1000);
        ulong end = FlatGuest.Load(mem, Code, a =>
        {
            var outer = a.CreateLabel();
            var inner = a.CreateLabel();
            a.mov(ecx, 400);
            a.Label(ref outer);
            a.mov(edx, 200);
            a.Label(ref inner);
            a.add(rax, rdx);
            a.dec(edx);
            a.jne(inner);
            a.add(rbx, rax);
            a.dec(ecx);
            a.jne(outer);
            a.syscall();
        });
        var sys = new FlatSystem(Code, end);
        var engine = new Engine(mem, sys);
        // Synchronous compilation: the inner loop's head gets hot first, the outer loop's later.
        Assert.True(engine.ConfigureJit(new JitOptions { Threshold = 100, WarmupInstructions = 0, Background = false, ThrowOnCompileError = true }));
        var cpu = new Cpu(mem, sys) { Rip = Code };
        engine.Run(cpu);
        Assert.Equal(400UL * (200 * 201 / 2), cpu.R[Reg.Rax]);

        var jit = engine.Jit!;
        Assert.True(jit.UnitsCompiled >= 2, $"{jit.UnitsCompiled} units: expected the inner loop, then the outer");
        var exported = jit.Export();
        Assert.NotEmpty(exported);
        Assert.True(exported.Count < jit.UnitsCompiled, $"all {jit.UnitsCompiled} units exported");
        foreach (var u in exported)
        {
            Assert.True(engine.Cache.TryGet(u[0].Address, out var head));
            Assert.True(head!.Unit != null && head.Unit.Members[0] == head, $"exported unit at {u[0].Address:x} no longer runs");
        }
    }
}
