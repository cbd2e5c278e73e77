// The x87 register stack and status word as the handlers see them: ST(i) lives in physical
// register (FpuTop + i) & 7; FpuTagValid has one bit per physical register (set = non-empty);
// FpuStatus holds every FSW bit except TOP, which is FpuTop. Stack faults follow the
// masked responses (the default control word masks every exception): overflow or
// underflow raises IE|SF and produces the real indefinite. Unmasked x87 exceptions only set
// ES/B here; the deferred #MF delivery on the next waiting instruction is not modelled.
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;

namespace Jitexec.Translator.Semantics.X87;

public static class X87State
{
    public const ushort C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, ES = 0x80, Busy = 0x8000, TopMask = 0x3800;
    public const ushort ExceptionBits = 0x7F;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Phys(Cpu c, int i) => (c.FpuTop + i) & 7;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Valid(Cpu c, int i) => (c.FpuTagValid >> Phys(c, i) & 1) != 0;

    /// <summary>x87 rounding control (FCW bits 10-11): 0 nearest, 1 down, 2 up, 3 toward zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rc(Cpu c) => (c.FpuControl >> 10) & 3;

    /// <summary>The full status word with TOP in bits 11-13.</summary>
    public static ushort StatusWord(Cpu c) => (ushort)((c.FpuStatus & ~TopMask) | (c.FpuTop & 7) << 11);

    public static void SetStatusWord(Cpu c, ushort fsw)
    {
        c.FpuTop = (fsw >> 11) & 7;
        c.FpuStatus = (ushort)(fsw & ~TopMask);
    }

    /// <summary>Accumulate exception bits; ES and B summarise the unmasked ones.</summary>
    public static void Raise(Cpu c, ushort fl)
    {
        if (fl == 0) return;
        ushort s = (ushort)(c.FpuStatus | fl);
        if ((s & ~c.FpuControl & 0x3F) != 0) s |= ES | Busy;
        c.FpuStatus = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SetC1(Cpu c, bool v) => c.FpuStatus = (ushort)(v ? c.FpuStatus | C1 : c.FpuStatus & ~C1);

    public static void SetCc(Cpu c, bool c3, bool c2, bool c1, bool c0)
    {
        int s = c.FpuStatus & ~(C0 | C1 | C2 | C3);
        if (c3) s |= C3;
        if (c2) s |= C2;
        if (c1) s |= C1;
        if (c0) s |= C0;
        c.FpuStatus = (ushort)s;
    }

    /// <summary>ST(i), or the indefinite with a stack-underflow fault (IE|SF, C1=0) when empty.</summary>
    public static X87Reg Read(Cpu c, int i)
    {
        int p = Phys(c, i);
        if ((c.FpuTagValid >> p & 1) != 0) return c.St[p];
        SetC1(c, false);
        Raise(c, F80.IE | F80.SF);
        return F80.Indefinite;
    }

    public static void Write(Cpu c, int i, X87Reg v)
    {
        int p = Phys(c, i);
        c.St[p] = v;
        c.FpuTagValid |= (byte)(1 << p);
    }

    /// <summary>Push; on overflow (the new top is occupied) the indefinite is pushed with IE|SF and C1=1.</summary>
    public static void Push(Cpu c, X87Reg v)
    {
        int top = (c.FpuTop - 1) & 7;
        c.FpuTop = top;
        if ((c.FpuTagValid >> top & 1) != 0)
        {
            SetC1(c, true);
            Raise(c, F80.IE | F80.SF);
            v = F80.Indefinite;
        }
        c.St[top] = v;
        c.FpuTagValid |= (byte)(1 << top);
    }

    public static void Pop(Cpu c)
    {
        c.FpuTagValid &= (byte)~(1 << c.FpuTop);
        c.FpuTop = (c.FpuTop + 1) & 7;
    }

    public static void Init(Cpu c)
    {
        c.FpuControl = 0x037F;
        c.FpuStatus = 0;
        c.FpuTop = 0;
        c.FpuTagValid = 0;
    }
}
