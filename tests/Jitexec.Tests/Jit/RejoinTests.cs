// A rarely taken branch of a loop body that leads back into the loop joins the loop's unit
// (RegionBuilder.RejoinSteps) although it ran far less often than the membership bar asks:
// otherwise every iteration that takes it leaves the unit for the interpreter, and once it
// gets hot on its own the whole loop around it is compiled again.
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public class RejoinTests
{
    private const ulong Code = 0x10000;

    private static (Cpu Cpu, Engine Engine) Run(JitOptions options) => FlatGuest.Run(Code, a =>
    {
        var loop = a.CreateLabel();
        var skip = a.CreateLabel();
        a.mov(ecx, 6400);
        a.Label(ref loop);               // Code + 5
        a.add(rax, 1);
        a.test(ecx, 63);
        a.jne(skip);
        a.add(rbx, 1);                   // 1 iteration in 64
        a.add(rbx, rax);
        a.Label(ref skip);
        a.dec(ecx);
        a.jne(loop);
        a.syscall();
    }, options);

    [Fact]
    public void RareBranchBackIntoTheLoopIsInItsUnit()
    {
        var (expected, _) = Run(JitOptions.Interpreter);
        var (actual, engine) = Run(new JitOptions { Threshold = 100, WarmupInstructions = 0, Background = false, ThrowOnCompileError = true });
        Assert.Equal(expected.R, actual.R);
        Assert.Equal(expected.InstructionsRetired, actual.InstructionsRetired);

        Assert.True(engine.Cache.TryGet(Code + 5, out var head));
        Assert.True(head!.Unit != null, "the loop was not compiled");
        Assert.Equal(3, head.Unit.Members.Length); // the loop's two blocks and the rare one
        Assert.Equal(1, engine.Jit!.UnitsCompiled);
        Assert.True(engine.UnitEntries <= 2, $"{engine.UnitEntries} unit entries: the rare branch left the unit");
    }
}
