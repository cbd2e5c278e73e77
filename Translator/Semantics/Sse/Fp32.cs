// Value-level binary32 arithmetic with x86 SSE semantics: add, sub, mul, div, sqrt, and the
// shared "round a double to binary32" step (also used by cvtsd2ss/cvtpd2ps).
// Method: compute in binary64 (exact for mul; for add/div/sqrt the double result plus the
// sign of its error, from TwoSum/FMA), then round that to binary32 in the MXCSR rounding
// mode. Rounding twice to nearest is innocuous here (53 >= 2*24+2), and the carried error
// sign settles ties and directed modes exactly. Tininess is detected after rounding.
using System.Runtime.CompilerServices;
using static Jitexec.Translator.Semantics.Sse.B32;

namespace Jitexec.Translator.Semantics.Sse;

public static class Fp32
{
    public static uint AddV(uint mx, uint a, uint b, ref uint fl) => Arith(mx, a, b, Fp64.Add, ref fl);
    public static uint SubV(uint mx, uint a, uint b, ref uint fl) => Arith(mx, a, b, Fp64.Sub, ref fl);
    public static uint MulV(uint mx, uint a, uint b, ref uint fl) => Arith(mx, a, b, Fp64.Mul, ref fl);
    public static uint DivV(uint mx, uint a, uint b, ref uint fl) => Arith(mx, a, b, Fp64.Div, ref fl);
    public static uint SqrtV(uint mx, uint a, ref uint fl) => Arith(mx, a, 0, Fp64.Sqrt, ref fl);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpecial(uint x) => ((x >> 23) + 1 & 0xFF) <= 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSpecialResult(uint x) => ((x >> 23) + 1 & 0xFF) <= 2;

    /// <summary>Arith = TryFast, else General (which re-derives everything, flags included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Arith(uint mx, uint a, uint b, int kind, ref uint fl) =>
        TryFast(mx, a, b, kind, out uint r) ? r : General(mx, a, b, kind, ref fl);

    /// <summary>The fast path, as Fp64.TryFast (same cases, binary32 fields; a tiny binary32 sum is
    /// exact in binary64 and then in binary32, being a multiple of the smallest denormal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFast(uint mx, uint a, uint b, int kind, out uint r)
    {
        double x = F(a), y = F(b);
        r = U((float)(kind switch
        {
            Fp64.Add => x + y, Fp64.Sub => x - y, Fp64.Mul => x * y, Fp64.Div => x / y, _ => Math.Sqrt(x),
        }));
        if ((mx & Mx.FastMask) != Mx.FastValue) return false;
        if ((a & ExpMask) != 0 && (kind == Fp64.Sqrt || (b & ExpMask) != 0))
            return kind is Fp64.Add or Fp64.Sub ? (r & ExpMask) != ExpMask : ((r >> 23) & 0xFF) - 2 < 0xFD;
        if (kind == Fp64.Sqrt) return a << 1 == 0;
        if (kind == Fp64.Div && b << 1 == 0) return false;
        return (a << 1 == 0 || b << 1 == 0) && ZeroOrNormal(a) && ZeroOrNormal(b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ZeroOrNormal(uint x) => x << 1 == 0 || !IsSpecial(x);

    /// <summary>Arith when TryFast declined (correct for any input, just slower).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static uint General(uint mx, uint a, uint b, int kind, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = Daz(a); b = Daz(b); }
        double x = F(a), y = F(b);
        double r = kind switch
        {
            Fp64.Add => x + y, Fp64.Sub => x - y, Fp64.Mul => x * y, Fp64.Div => x / y, _ => Math.Sqrt(x),
        };
        if (double.IsNaN(r)) return NaNResult(a, b, kind, ref fl);
        if ((mx & Mx.FastMask) == Mx.FastValue && !IsSpecial(a) && (kind == Fp64.Sqrt || !IsSpecial(b)))
        {
            uint f = U((float)r);
            if (!IsSpecialResult(f)) return f;
        }
        return Slow(mx, a, b, kind, r, ref fl);
    }

    private static uint NaNResult(uint a, uint b, int kind, ref uint fl)
    {
        if (IsNaN(a) || (kind != Fp64.Sqrt && IsNaN(b))) return PropagateNaN(a, kind == Fp64.Sqrt ? a : b, ref fl);
        fl |= Mx.IE;
        return DefaultNaN;
    }

    private static uint Slow(uint mx, uint a, uint b, int kind, double r, ref uint fl)
    {
        double x = F(a), y = F(b);
        if (kind == Fp64.Div && y == 0 && double.IsFinite(x))
        {
            fl |= Mx.ZE;
            return U((float)r);
        }
        if (IsDenormal(a) || (kind != Fp64.Sqrt && IsDenormal(b))) fl |= Mx.DE;
        if (double.IsInfinity(r) || r == 0 && kind != Fp64.Add && kind != Fp64.Sub)
            return U((float)r); // infinite operands; zero products, quotients, roots: exact
        int err = kind switch
        {
            Fp64.Add => AddErr(x, y, r),
            Fp64.Sub => AddErr(x, -y, r),
            Fp64.Mul => 0,
            Fp64.Div => Mx.Sign(Math.FusedMultiplyAdd(-r, y, x)) * Mx.Sign(y),
            _ => Mx.Sign(Math.FusedMultiplyAdd(-r, r, x)),
        };
        if (r == 0)
        {
            // exact zero sum: -0 when rounding down unless both operands are +0
            if (Mx.Rc(mx) == Mx.RcDown && (kind == Fp64.Add ? (a | b) != 0 : (a | (b ^ SignBit)) != 0)) return SignBit;
            return U((float)r);
        }
        return RoundFromDouble(mx, r, err, ref fl);
    }

    private static int AddErr(double x, double y, double r)
    {
        double bb = r - x;
        return Mx.Sign((x - (r - bb)) + (y - bb));
    }

    /// <summary>Round v (finite, nonzero; the exact value lies on the err side of v, err = sign(exact - v))
    /// to binary32 per MXCSR, raising PE/OE/UE and applying FTZ.</summary>
    public static uint RoundFromDouble(uint mx, double v, int err, ref uint fl)
    {
        bool neg = v < 0;
        double av = Math.Abs(v);
        int aerr = neg ? -err : err;
        int rc = Mx.Rc(mx);
        // Rounding direction on magnitudes: 0 nearest, 1 toward zero, 2 away from zero.
        int mode = rc switch { Mx.RcNearest => 0, Mx.RcZero => 1, Mx.RcDown => neg ? 2 : 1, _ => neg ? 1 : 2 };
        float f = RoundMagnitude(av, aerr, mode, out int ferr);
        // The same rounding with an unbounded exponent decides tininess and overflow.
        int e = Math.ILogB(av);
        float s = RoundMagnitude(Math.ScaleB(av, -e), aerr, mode, out _);
        int ue = e + MathF.ILogB(s);
        if (ferr != 0) fl |= Mx.PE;
        if (ue > 127) fl |= Mx.OE | Mx.PE;
        else if (ue < -126)
        {
            if ((mx & Mx.UM) == 0) fl |= Mx.UE;
            else if ((mx & Mx.FTZ) != 0) { fl |= Mx.UE | Mx.PE; return neg ? SignBit : 0; }
            else if (ferr != 0) fl |= Mx.UE;
        }
        uint bits = U(f);
        return neg ? bits | SignBit : bits;
    }

    /// <summary>Round a positive double to binary32 (bounded range) in a magnitude mode; ferr = sign(exact - result).</summary>
    private static float RoundMagnitude(double av, int aerr, int mode, out int ferr)
    {
        const double Limit = 340282366920938463463374607431768211456.0; // 2^128
        if (av >= Limit)
        {
            // nearest and away go to infinity; toward zero stops at the largest finite value
            if (mode == 1) { ferr = 1; return float.MaxValue; }
            ferr = -1;
            return float.PositiveInfinity;
        }
        float f = (float)av;
        if ((double)f == av) { ferr = aerr; return aerr == 0 ? f : Adjust(f, aerr, mode, out ferr); }
        float lower = (double)f < av ? f : MathF.BitDecrement(f);
        double lo = lower;
        double ulp = lower < 1.17549435e-38f ? float.Epsilon : Math.ScaleB(1.0, MathF.ILogB(lower) - 23);
        double mid = lo + ulp * 0.5;
        bool up = mode switch
        {
            1 => false,
            2 => true,
            _ => av > mid || av == mid && (aerr > 0 || aerr == 0 && (BitConverter.SingleToUInt32Bits(lower) & 1) != 0),
        };
        float res = up ? (float)(lo + ulp) : lower;
        ferr = up ? -1 : 1;
        return res;
    }

    /// <summary>f is the exact double value; the true value is just beyond it on the aerr side.</summary>
    private static float Adjust(float f, int aerr, int mode, out int ferr)
    {
        if (mode == 0) { ferr = aerr; return f; }
        if (aerr > 0 && mode == 2) { ferr = -1; return f == float.MaxValue ? float.PositiveInfinity : MathF.BitIncrement(f); }
        if (aerr < 0 && mode == 1) { ferr = 1; return f == 0 ? 0 : MathF.BitDecrement(f); }
        ferr = aerr;
        return f;
    }
}
