// A unit is enterable only where control can arrive from outside it (UnitEntries.cs). The
// prediction uses the predecessors seen so far, so code first run later can branch into a
// member without an entry: the run loop then interprets until it reaches an entry, and a
// unit missed often enough is recompiled with its entries predicted again.
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public class UnitEntryTests
{
    private const ulong Code = 0x10000;

    /// <summary>An inner loop (top, mid) run 400 times by an outer loop. The first 200 outer
    /// iterations start it at top; the last 200 go through a block first run then (enter_mid),
    /// which jumps straight to mid.</summary>
    private static (Cpu Cpu, Engine Engine) Run(JitOptions options) => FlatGuest.Run(Code, a =>
    {
        var outer = a.CreateLabel();
        var top = a.CreateLabel();
        var mid = a.CreateLabel();
        var enterMid = a.CreateLabel();
        a.mov(edi, 400);
        a.Label(ref outer);
        a.mov(ecx, 20);
        a.cmp(edi, 200);
        a.jbe(enterMid);
        a.jmp(top);
        a.Label(ref top);
        a.add(rax, rcx);
        a.test(ecx, 3);
        a.jne(mid);
        a.add(rbx, 1);
        a.Label(ref mid);
        a.add(rdx, rax);
        a.dec(ecx);
        a.jne(top);
        a.dec(edi);
        a.jne(outer);
        a.syscall();
        a.Label(ref enterMid);
        a.add(rsi, 1);
        a.jmp(mid);
    }, options);

    private static JitOptions Threshold(int t) => new() { Threshold = t, WarmupInstructions = 0, Background = false, ThrowOnCompileError = true };

    [Fact]
    public void MissedEntriesAreInterpretedThenCompiledIn()
    {
        var (expected, _) = Run(JitOptions.Interpreter);
        var (actual, engine) = Run(Threshold(100));
        Assert.Equal(expected.R, actual.R);
        Assert.Equal(expected.InstructionsRetired, actual.InstructionsRetired);

        var jit = engine.Jit!;
        Assert.True(engine.UnitEntriesMissed >= 100, $"{engine.UnitEntriesMissed} misses: enter_mid should have reached mid without an entry");
        Assert.True(jit.EntryRecompiles >= 1, "the unit was not recompiled for its missed entry");
        Assert.True(engine.UnitEntriesMissed < 200, $"{engine.UnitEntriesMissed} misses: the recompiled unit still has no entry at mid");
        var (enterMid, midBlock) = Mid(engine);
        // Either mid became an entry, or enter_mid got hot too and heads a unit that contains mid.
        Assert.True(midBlock.Unit != null && (midBlock.UnitEntry >= 0 || Array.IndexOf(midBlock.Unit.Members, enterMid) >= 0),
            "mid has no entry, and its unit does not contain enter_mid");
    }

    [Fact]
    public void EveryModeAgreesWithTheInterpreter()
    {
        var (expected, _) = Run(JitOptions.Interpreter);
        foreach (var options in new[] { Threshold(1), Threshold(7), Threshold(150), new JitOptions { Mode = JitMode.Always, Background = false, ThrowOnCompileError = true } })
        {
            var (actual, _) = Run(options);
            Assert.Equal(expected.R, actual.R);
            Assert.Equal(expected.InstructionsRetired, actual.InstructionsRetired);
        }
    }

    /// <summary>enter_mid (the block that starts with add rsi) and the block at mid, where it jumps.</summary>
    private static (Block EnterMid, Block Mid) Mid(Engine engine)
    {
        for (ulong a = Code; a < Code + 0x100; a++)
        {
            if (!engine.Cache.TryGet(a, out var b) || b.Ops[0].Insn.Mnemonic != Iced.Intel.Mnemonic.Add || b.Ops[0].R0 != Reg.Rsi) continue;
            Assert.True(engine.Cache.TryGet(b.Ops[^1].Imm, out var mid));
            return (b, mid);
        }
        throw new Xunit.Sdk.XunitException("enter_mid never ran");
    }

    [Fact]
    public void PredictionMarksMembersReachedFromOutside()
    {
        Block B(ulong start) => new(start, start + 1, []);
        var head = B(1); var inner = B(2); var fromOutside = B(3); var afterSyscall = B(4); var fromDropped = B(5);
        var outsider = B(10);
        var dropped = B(11);
        dropped.Valid = false;
        inner.Preds = [head, fromOutside];
        fromOutside.Preds = [inner, outsider];
        afterSyscall.Preds = [Block.Anywhere];
        fromDropped.Preds = [dropped, inner];
        var entries = UnitEntries.Predict([head, inner, fromOutside, afterSyscall, fromDropped]);
        Assert.Equal([true, false, true, true, false], entries);
    }
}
