// Checks of the harness itself: the native stub round-trips state, and a wrong guest
// result is actually detected (so a green differential run means something).
using Iced.Intel;
using Xunit;
using static Iced.Intel.AssemblerRegisters;

namespace Jitexec.Tests.Differential;

public class HarnessSelfTests
{
    [Fact]
    public void NativeStubRoundTripsState()
    {
        var s = RandomState.Make(new FastRandom(1), randomMxcsr: true, x87Depth: 5);
        var asm = Assembled.Create(new DiffCase(a => a.nop()));
        lock (DiffRunner.Gate)
        {
            NativeRunner.LoadCode(asm.Bytes, asm.Address);
            var o = NativeRunner.Run(s);
            Assert.Empty(StateDiff.Compare(s, o, StateDiff.ComparedFlags));
        }
    }

    [Fact]
    public void NativeRunSeesTestCode()
    {
        var s = RandomState.Make(new FastRandom(2), false);
        var asm = Assembled.Create(new DiffCase(a => { a.lea(rax, __[rbx + rcx * 2 + 5]); a.push(rax); a.mov(__qword_ptr[r15 + 8], rsp); }));
        lock (DiffRunner.Gate)
        {
            NativeRunner.LoadCode(asm.Bytes, asm.Address);
            var o = NativeRunner.Run(s);
            ulong rax = s.Gpr[3] + s.Gpr[1] * 2 + 5;
            Assert.Equal(rax, o.Gpr[0]);
            Assert.Equal(Sandbox.StackTop - 8, o.Gpr[4]);
            Assert.Equal(rax, BitConverter.ToUInt64(o.Stack, Sandbox.StackWindowHalf - 8));
            Assert.Equal(Sandbox.StackTop - 8, BitConverter.ToUInt64(o.Buffer, 8));
        }
    }

    [Fact]
    public void NativeX87StateIsLoadedAndStored()
    {
        var s = RandomState.Make(new FastRandom(4), false, x87Depth: 2);
        var asm = Assembled.Create(new DiffCase(a => { a.fld1(); a.fstp(__qword_ptr[r15]); a.fld1(); }));
        lock (DiffRunner.Gate)
        {
            NativeRunner.LoadCode(asm.Bytes, asm.Address);
            var o = NativeRunner.Run(s);
            Assert.Equal((s.FpuTop + 7) & 7, o.FpuTop);
            Assert.Equal(0x3FFF, o.StExp[0]);
            Assert.Equal(0x8000000000000000UL, o.StMant[0]);
            Assert.Equal(s.StMant[0], o.StMant[1]);
            Assert.Equal(1.0, BitConverter.ToDouble(o.Buffer, 0));
            Assert.Equal(s.Ftw | 1 << o.FpuTop, o.Ftw);
        }
    }

    [Fact]
    public void F80EdgesConvertExactly()
    {
        Assert.Equal(((ushort)0x3FFF, 0x8000000000000000UL), EdgeValues.FromDouble(0x3FF0000000000000));
        Assert.Equal(((ushort)(0x3C01 - 52), 0x8000000000000000UL), EdgeValues.FromDouble(1));    // 2^-1074
        Assert.Equal(((ushort)0xFFFF, 0xC000000000000000UL), EdgeValues.FromDouble(0xFFF8000000000000));
    }

    [Fact]
    public void DetectsDifferences()
    {
        var a = RandomState.Make(new FastRandom(3), false);
        var b = a.Clone();
        b.Gpr[5] ^= 1; b.Rflags ^= 1; b.Xmm[3] ^= 4; b.Buffer[200] ^= 1; b.Stack[0] ^= 1;
        var d = StateDiff.Compare(a, b, StateDiff.ComparedFlags);
        Assert.Equal(5, d.Count);
        Assert.DoesNotContain(StateDiff.Compare(a, b, 0), l => l.StartsWith("rflags"));
    }

    [Theory, MemberData(nameof(Tiers.Data), MemberType = typeof(Tiers))]
    public void GuestFaultIsReported(Tier tier) =>
        DiffRunner.AssertFaults(tier, a => { a.mov(eax, 1); a.ud2(); }, _ => { }, Jitexec.Translator.Exec.GuestFault.SIGILL);

    // A one-off case outside a CaseSet, using AssemblerRegisters directly as edge slots.
    [Theory, MemberData(nameof(Tiers.Data), MemberType = typeof(Tiers))]
    public void OneOffCase(Tier tier) =>
        DiffRunner.Run(new DiffCase(a => { a.sub(rax, rbx); a.sbb(cl, dl); }).In(rax, cl).Iter(50), tier);
}
