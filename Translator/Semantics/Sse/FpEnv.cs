// MXCSR layout and the helpers every SSE floating-point operation shares: exception flag
// accumulation, the default NaN, NaN quieting and rounding-direction adjustment.
// Invariants: value-level operations never write c.Mxcsr themselves; they OR the exception
// flags they raise into a caller-owned accumulator (`ref uint fl`), and the handler commits
// the accumulator once per instruction (Commit), which is where unmasked exceptions fault.
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Jitexec.Translator.Core;
using Jitexec.Translator.Decode;
using Jitexec.Translator.Exec;
using Jitexec.Translator.Host;

namespace Jitexec.Translator.Semantics.Sse;

public static class Mx
{
    public const uint IE = 1, DE = 2, ZE = 4, OE = 8, UE = 0x10, PE = 0x20, Flags = 0x3F;
    public const uint DAZ = 0x40, Masks = 0x1F80, UM = 0x800, RC = 0x6000, FTZ = 0x8000;
    public const int RcNearest = 0, RcDown = 1, RcUp = 2, RcZero = 3;
    /// <summary>MXCSR_MASK reported by fxsave (the host, an Intel core with DAZ, reports 0xFFFF).</summary>
    public const uint WritableMask = 0xFFFF;

    /// <summary>The fast paths apply when every exception is masked, PE is already set, RC is
    /// round-to-nearest and DAZ/FTZ are off: then only special operands or results need the slow path.</summary>
    public const uint FastMask = 0xFFE0, FastValue = 0x1FA0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rc(uint mx) => (int)(mx >> 13) & 3;

    /// <summary>Record the flags raised by one instruction; fault if any raised exception is unmasked.
    /// Must be called before the destination is written (an unmasked exception leaves it unchanged).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Commit(Cpu c, ref Op op, uint fl)
    {
        if (fl == 0) return;
        if (Record(c, fl)) Fault(c, ref op);
    }

    /// <summary>The first half of Commit (fl != 0): OR the raised flags into MXCSR; true when one
    /// of them is unmasked, i.e. the instruction must Fault. The JIT tier calls the two halves
    /// separately so it can write its cached guest registers back before faulting.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Record(Cpu c, uint fl)
    {
        uint mx = c.Mxcsr | fl;
        c.Mxcsr = mx;
        return (fl & ~(mx >> 7) & Flags) != 0;
    }

    /// <summary>Host-flags mode (FpHost): OR the exception flags the host FPU raised into MXCSR.
    /// Host ops run only in FpHost.Ready states (every exception masked, PE set), and PE is never
    /// cleared between a collect and the next (a fall-back that may clear it is preceded by a
    /// collect): so with PE clear no host op ran, and whatever the host flags hold came from the
    /// runtime's own code on this thread (a GC poll, say), and is not the guest's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    public static void CollectHost(ref uint mxcsr)
    {
        if ((mxcsr & PE) != 0) mxcsr |= HostMxcsr.Read() & Flags;
    }

    /// <summary>#XM for an unmasked SIMD floating-point exception: SIGFPE at the instruction.</summary>
    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    public static void Fault(Cpu c, ref Op op)
    {
        c.Rip = op.Ip;
        throw new GuestFault(GuestFault.SIGFPE, op.Ip, $"unmasked SIMD floating-point exception at 0x{op.Ip:x}");
    }

    /// <summary>sign(exact - rounded) applied to a rounded value: the neighbour the rounding
    /// direction asks for. Works for infinities (overflow) and zeros (underflow) too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Direct(double r, int err, int rc)
    {
        if (err == 0 || rc == RcNearest) return r;
        if (rc == RcDown) return err < 0 ? Math.BitDecrement(r) : r;
        if (rc == RcUp) return err > 0 ? Math.BitIncrement(r) : r;
        // toward zero: move only when the rounding went away from zero
        if (double.IsNegative(r)) return err > 0 ? Math.BitIncrement(r) : r;
        return err < 0 ? Math.BitDecrement(r) : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Direct(float r, int err, int rc)
    {
        if (err == 0 || rc == RcNearest) return r;
        if (rc == RcDown) return err < 0 ? MathF.BitDecrement(r) : r;
        if (rc == RcUp) return err > 0 ? MathF.BitIncrement(r) : r;
        if (float.IsNegative(r)) return err > 0 ? MathF.BitIncrement(r) : r;
        return err < 0 ? MathF.BitDecrement(r) : r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : 0;
}

/// <summary>Bit-level facts about binary64 values.</summary>
public static class B64
{
    public const ulong SignBit = 1UL << 63, ExpMask = 0x7FF0000000000000, FracMask = 0x000FFFFFFFFFFFFF;
    public const ulong QuietBit = 1UL << 51, DefaultNaN = 0xFFF8000000000000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static double D(ulong x) => BitConverter.UInt64BitsToDouble(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong U(double x) => BitConverter.DoubleToUInt64Bits(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsNaN(ulong x) => (x & ~SignBit) > ExpMask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsSNaN(ulong x) => IsNaN(x) && (x & QuietBit) == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsDenormal(ulong x) => (x & ExpMask) == 0 && (x & ~SignBit) != 0;
    /// <summary>Zero, denormal, infinity or NaN (exponent field all zeros or all ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsSpecial(ulong x) => ((x >> 52) + 1 & 0x7FF) <= 1;
    /// <summary>As IsSpecial, also counting the smallest normal exponent (a result there may be a rounded-up tiny one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsSpecialResult(ulong x) => ((x >> 52) + 1 & 0x7FF) <= 2;
    /// <summary>DAZ: a denormal input reads as a zero of the same sign.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static ulong Daz(ulong x) => IsDenormal(x) ? x & SignBit : x;

    /// <summary>The result of an operation with a NaN input: the first NaN operand, quieted. IE for an SNaN.</summary>
    public static ulong PropagateNaN(ulong a, ulong b, ref uint fl)
    {
        if (IsSNaN(a) || IsSNaN(b)) fl |= Mx.IE;
        return (IsNaN(a) ? a : b) | QuietBit;
    }
}

/// <summary>Bit-level facts about binary32 values.</summary>
public static class B32
{
    public const uint SignBit = 1u << 31, ExpMask = 0x7F800000, FracMask = 0x007FFFFF;
    public const uint QuietBit = 1u << 22, DefaultNaN = 0xFFC00000;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float F(uint x) => BitConverter.UInt32BitsToSingle(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint U(float x) => BitConverter.SingleToUInt32Bits(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsNaN(uint x) => (x & ~SignBit) > ExpMask;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsSNaN(uint x) => IsNaN(x) && (x & QuietBit) == 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool IsDenormal(uint x) => (x & ExpMask) == 0 && (x & ~SignBit) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static uint Daz(uint x) => IsDenormal(x) ? x & SignBit : x;

    public static uint PropagateNaN(uint a, uint b, ref uint fl)
    {
        if (IsSNaN(a) || IsSNaN(b)) fl |= Mx.IE;
        return (IsNaN(a) ? a : b) | QuietBit;
    }
}
