// Value-level SSE conversions: integer <-> binary64/binary32 and binary64 <-> binary32, with
// MXCSR rounding (RC, or truncation for the cvtt forms), DAZ, and the x86 results for the
// invalid cases: NaN or out-of-range float -> integer gives the "integer indefinite"
// (0x80000000 / 0x8000000000000000) and IE. Precision loss raises PE.
using System.Runtime.CompilerServices;

namespace Jitexec.Translator.Semantics.Sse;

public static class FpConvertOps
{
    // ---- integer -> float ----
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong IntToF64(uint mx, long v, ref uint fl) =>
        TryIntToF64(v, out ulong r) ? r : IntToF64General(mx, v, ref fl);

    /// <summary>The fast path: |v| <= 2^53 converts exactly, raising nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryIntToF64(long v, out ulong r)
    {
        r = B64.U(v);
        return (ulong)(v + (1L << 53)) <= 1UL << 54;
    }

    /// <summary>IntToF64 for any v.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong IntToF64General(uint mx, long v, ref uint fl)
    {
        double d = v;
        int err = Cmp(v, d);
        return err == 0 ? B64.U(d) : Inexact(mx, d, err, ref fl);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint IntToF32(uint mx, long v, ref uint fl) =>
        TryIntToF32(v, out uint r) ? r : IntToF32General(mx, v, ref fl);

    /// <summary>The fast path: |v| <= 2^24 converts exactly, raising nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryIntToF32(long v, out uint r)
    {
        r = B32.U(v);
        return (ulong)(v + (1L << 24)) <= 1UL << 25;
    }

    /// <summary>IntToF32 for any v.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static uint IntToF32General(uint mx, long v, ref uint fl)
    {
        float f = v;
        int err = Cmp(v, f);
        return err == 0 ? B32.U(f) : Inexact(mx, f, err, ref fl);
    }

    private static ulong Inexact(uint mx, double d, int err, ref uint fl)
    {
        fl |= Mx.PE;
        return B64.U(Mx.Direct(d, err, Mx.Rc(mx)));
    }

    private static uint Inexact(uint mx, float f, int err, ref uint fl)
    {
        fl |= Mx.PE;
        return B32.U(Mx.Direct(f, err, Mx.Rc(mx)));
    }

    /// <summary>sign(v - r) exactly, for r = v rounded to a double (or float): r is an integer in
    /// [-2^63, 2^63], so converting it back is exact except for 2^63 itself, which exceeds every v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Cmp(long v, double r) => r >= 9223372036854775808.0 ? -1 : v.CompareTo((long)r);

    // ---- float -> integer ----
    /// <summary>cvt(t)sd2si: size 4 or 8 bytes; truncate ignores RC. Result zero-extended to 64 bits for size 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F64ToInt(uint mx, ulong a, int size, bool truncate, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) a = B64.Daz(a);
        return ToInt(mx, B64.D(a), B64.IsNaN(a), size, truncate, ref fl);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong F32ToInt(uint mx, uint a, int size, bool truncate, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) a = B32.Daz(a);
        return ToInt(mx, B32.F(a), B32.IsNaN(a), size, truncate, ref fl);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToInt(uint mx, double x, bool nan, int size, bool truncate, ref uint fl)
    {
        double r = truncate ? Math.Truncate(x) : Mx.Rc(mx) switch
        {
            Mx.RcNearest => Math.Round(x, MidpointRounding.ToEven),
            Mx.RcDown => Math.Floor(x),
            Mx.RcUp => Math.Ceiling(x),
            _ => Math.Truncate(x),
        };
        bool ok = size == 8
            ? r >= -9223372036854775808.0 && r < 9223372036854775808.0
            : r >= -2147483648.0 && r <= 2147483647.0;
        if (nan || !ok)
        {
            fl |= Mx.IE;
            return size == 8 ? 0x8000000000000000UL : 0x80000000UL;
        }
        if (r != x) fl |= Mx.PE;
        long v = (long)r;
        return size == 8 ? (ulong)v : (uint)(int)v;
    }

    // ---- float <-> float ----
    public static uint F64ToF32(uint mx, ulong a, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) a = B64.Daz(a);
        if (B64.IsNaN(a))
        {
            if (B64.IsSNaN(a)) fl |= Mx.IE;
            return (uint)(a >> 32) & B32.SignBit | 0x7FC00000u | (uint)((a & B64.FracMask) >> 29);
        }
        double d = B64.D(a);
        if (B64.IsDenormal(a)) fl |= Mx.DE;
        if (d == 0 || double.IsInfinity(d)) return B32.U((float)d);
        return Fp32.RoundFromDouble(mx, d, 0, ref fl);
    }

    public static ulong F32ToF64(uint mx, uint a, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) a = B32.Daz(a);
        if (B32.IsNaN(a))
        {
            if (B32.IsSNaN(a)) fl |= Mx.IE;
            return (ulong)(a & B32.SignBit) << 32 | 0x7FF8000000000000UL | (ulong)(a & B32.FracMask) << 29;
        }
        if (B32.IsDenormal(a)) fl |= Mx.DE;
        return B64.U(B32.F(a));
    }
}
