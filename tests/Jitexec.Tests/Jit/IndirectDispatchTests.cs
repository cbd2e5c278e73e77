// An indirect call with many targets inside one unit (an interpreter's dispatch loop) is
// compiled as a jump table over a hash of the address (UnitCompiler.Dispatch.cs). The loop
// below calls five functions through a table until they are all observed and compiled into
// the loop's unit, then also a sixth the unit has never seen (the miss path must leave the
// unit for it). Compiled and interpreted runs must end in the same state.
using Jitexec.Translator.Core;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Jit;
using Jitexec.Translator.Memory;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Jit;

public class IndirectDispatchTests
{
    private const ulong Code = 0x10000, Table = 0x20000;
    private const int Iterations = 20000;

    private static (Cpu Cpu, Engine Engine, GuestMemory Mem) Run(JitOptions options)
    {
        var mem = new GuestMemory();
        FlatGuest.Map(mem, Code, 0x1000);
        FlatGuest.Map(mem, Table, 0x1000);
        var f = new Iced.Intel.Label[6];
        ulong end = FlatGuest.Load(mem, Code, a =>
        {
            for (int k = 0; k < f.Length; k++) f[k] = a.CreateLabel();
            var loop = a.CreateLabel();
            var call = a.CreateLabel();
            for (int k = 0; k < f.Length; k++)
            {
                a.lea(rax, __[f[k]]);
                a.mov(__qword_ptr[Table + 8 * (ulong)k], rax);
            }
            a.xor(ecx, ecx);
            a.mov(ebx, 7);
            a.Label(ref loop);
            a.mov(eax, ecx);
            a.xor(edx, edx);
            a.mov(r8d, 5);
            a.div(r8d);                      // edx = i % 5
            a.cmp(ecx, Iterations / 2);
            a.jb(call);
            a.test(ecx, 63);
            a.jne(call);
            a.mov(edx, 5);                   // second half: every 64th call goes to f5
            a.Label(ref call);
            a.mov(rax, __qword_ptr[rdx * 8 + (int)Table]);
            a.call(rax);
            a.inc(ecx);
            a.cmp(ecx, Iterations);
            a.jne(loop);
            a.syscall();
            a.Label(ref f[0]); a.add(rbx, 1); a.ret();
            a.Label(ref f[1]); a.imul(rbx, rbx, 3); a.ret();
            a.Label(ref f[2]); a.xor(rbx, 0x55); a.ret();
            a.Label(ref f[3]); a.sub(rbx, rcx); a.ret();
            a.Label(ref f[4]); a.rol(rbx, 5); a.ret();
            a.Label(ref f[5]); a.add(rbx, rcx); a.add(r9, 1); a.ret();
        });
        var sys = new FlatSystem(Code, end);
        var engine = new Engine(mem, sys);
        Assert.Equal(options.Mode != JitMode.Off, engine.ConfigureJit(options));
        var cpu = new Cpu(mem, sys) { Rip = Code, R = { [Reg.Rsp] = Table + 0x1000 } };
        engine.Run(cpu);
        return (cpu, engine, mem);
    }

    [Fact]
    public void CompiledDispatchMatchesTheInterpreter()
    {
        var (expected, _, _) = Run(JitOptions.Interpreter);
        var (actual, engine, mem) = Run(new JitOptions { Threshold = 200, WarmupInstructions = 0, Background = false, ThrowOnCompileError = true });
        Assert.Equal(expected.R, actual.R);
        Assert.Equal(expected.InstructionsRetired, actual.InstructionsRetired);
        Assert.Equal((ulong)(Iterations / 2 / 64), actual.R[Reg.R9]);

        // One unit holds the loop and all five first targets (so it dispatched through the table).
        var table = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(mem.Span(Table, 48));
        JitUnit? unit = null;
        for (int k = 0; k < 5; k++)
        {
            Assert.True(engine.Cache.TryGet(table[k], out var target), $"f{k} never ran");
            Assert.True(target!.Unit != null, $"f{k} was not compiled");
            Assert.True(unit == null || unit == target.Unit, $"f{k} is in another unit");
            unit = target.Unit;
        }
        Assert.True(unit!.Members.Length > 5);
        // Calls to the five stay inside the unit once they are all in it (a few thousand
        // iterations in); then only the unseen sixth target's misses leave it. Without the
        // dispatch every call would leave and enter it again (2 entries per iteration).
        Assert.InRange(engine.UnitEntries, 1UL, (ulong)Iterations / 4);
    }

    [Theory]
    [InlineData(new ulong[] { 0x401000, 0x401010, 0x401020, 0x401030 }, 4)]
    [InlineData(new ulong[] { 0x555566f060, 0x555566eff0, 0x5555678dd0, 0x5555675800, 0x555569d4d0, 0x555569ddb0, 0x5555670dc0, 0x555566f750 }, 8)]
    public void SlotHashGivesEveryTargetItsOwnSlot(ulong[] targets, int minSize)
    {
        Assert.True(UnitCompiler.FindSlotHash([.. targets], out int shift, out int size));
        Assert.InRange(size, minSize, 4 * minSize);
        Assert.Equal(targets.Length, targets.Select(t => (t >> shift) & (ulong)(size - 1)).Distinct().Count());
    }
}
