// Value-level binary64 arithmetic with x86 SSE semantics: add, sub, mul, div, sqrt.
// The host computes the round-to-nearest result (IEEE, portable); NaN results are rebuilt
// the x86 way (first NaN operand quieted, else the default NaN 0xFFF8...). When a flag may
// still need raising, the rounding mode is not nearest, or DAZ/FTZ is on, a slow path finds
// the exact rounding error's sign with error-free transformations (TwoSum, FMA remainders,
// done on operands scaled near 1 so nothing underflows) and derives the directed result and
// DE/ZE/OE/UE/PE exactly (tininess is detected after rounding, as Intel does).
using System.Runtime.CompilerServices;
using static Jitexec.Translator.Semantics.Sse.B64;

namespace Jitexec.Translator.Semantics.Sse;

public static class Fp64
{
    public const int Add = 0, Sub = 1, Mul = 2, Div = 3, Sqrt = 4;
    private const double TwoP1022 = 4.49423283715578976932326297697e307, TwoP1023 = 8.98846567431157953864652595395e307;

    public static ulong AddV(uint mx, ulong a, ulong b, ref uint fl) => Arith(mx, a, b, Add, ref fl);
    public static ulong SubV(uint mx, ulong a, ulong b, ref uint fl) => Arith(mx, a, b, Sub, ref fl);
    public static ulong MulV(uint mx, ulong a, ulong b, ref uint fl) => Arith(mx, a, b, Mul, ref fl);
    public static ulong DivV(uint mx, ulong a, ulong b, ref uint fl) => Arith(mx, a, b, Div, ref fl);
    public static ulong SqrtV(uint mx, ulong a, ref uint fl) => Arith(mx, a, 0, Sqrt, ref fl);

    /// <summary>Arith = TryFast, else General (which re-derives everything, flags included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Arith(uint mx, ulong a, ulong b, int kind, ref uint fl) =>
        TryFast(mx, a, b, kind, out ulong r) ? r : General(mx, a, b, kind, ref fl);

    /// <summary>The fast path (inlined into callers; the JIT tier calls General on a cold path): in
    /// the common MXCSR state (Mx.FastValue: nearest, all masked, PE already set, no DAZ/FTZ), the
    /// host's result is exact x86 and raises nothing new when
    /// (a) no operand is zero or denormal, and the result is not infinite or NaN for add/sub (a sum
    ///     that is tiny is exact, so never an underflow), or normal and above the smallest exponent
    ///     for mul/div/sqrt (an infinite or NaN operand always gives an infinite, zero or NaN result,
    ///     so the operands need checking only against zero); or
    /// (b) an operand is a true zero and the others are zeros or normal numbers, except x/0.
    /// False: nothing is known, use General.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryFast(uint mx, ulong a, ulong b, int kind, out ulong r)
    {
        double x = D(a), y = D(b);
        r = U(kind switch { Add => x + y, Sub => x - y, Mul => x * y, Div => x / y, _ => Math.Sqrt(x) });
        if ((mx & Mx.FastMask) != Mx.FastValue) return false;
        if ((a & ExpMask) != 0 && (kind == Sqrt || (b & ExpMask) != 0))
            return kind is Add or Sub ? (r & ExpMask) != ExpMask : ((r >> 52) & 0x7FF) - 2 < 0x7FD;
        if (kind == Sqrt) return a << 1 == 0;
        if (kind == Div && b << 1 == 0) return false;
        return (a << 1 == 0 || b << 1 == 0) && ZeroOrNormal(a) && ZeroOrNormal(b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ZeroOrNormal(ulong x) => x << 1 == 0 || ((x >> 52) + 1 & 0x7FF) > 1;

    /// <summary>Arith when TryFast declined (correct for any input, just slower).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong General(uint mx, ulong a, ulong b, int kind, ref uint fl)
    {
        if ((mx & Mx.DAZ) != 0) { a = Daz(a); b = Daz(b); }
        double x = D(a), y = D(b);
        double r = kind switch { Add => x + y, Sub => x - y, Mul => x * y, Div => x / y, _ => Math.Sqrt(x) };
        ulong rb = U(r);
        if (IsNaN(rb)) return NaNResult(a, b, kind, ref fl);
        if ((mx & Mx.FastMask) == Mx.FastValue && !IsSpecial(a) && (kind == Sqrt || !IsSpecial(b)) && !IsSpecialResult(rb))
            return rb;
        return Slow(mx, a, b, kind, r, ref fl);
    }

    private static ulong NaNResult(ulong a, ulong b, int kind, ref uint fl)
    {
        if (IsNaN(a) || (kind != Sqrt && IsNaN(b))) return PropagateNaN(a, kind == Sqrt ? a : b, ref fl);
        fl |= Mx.IE; // inf-inf, 0*inf, 0/0, inf/inf, sqrt(negative)
        return DefaultNaN;
    }

    private static ulong Slow(uint mx, ulong a, ulong b, int kind, double r, ref uint fl)
    {
        double x = D(a), y = D(b);
        int rc = Mx.Rc(mx);
        if (kind == Div && y == 0 && double.IsFinite(x))
        {
            fl |= Mx.ZE; // x/0 with x finite nonzero (0/0 took the NaN path); DE is not reported
            return U(r);
        }
        if (IsDenormal(a) || (kind != Sqrt && IsDenormal(b))) fl |= Mx.DE;
        bool finiteIn = double.IsFinite(x) && (kind == Sqrt || double.IsFinite(y));
        if (!finiteIn || kind == Mul && (x == 0 || y == 0) || kind == Div && x == 0)
            return U(r); // infinities and zero products/quotients are exact
        if (kind == Sqrt)
        {
            if (x == 0) return U(r);
            int err = SqrtErr(x, r);
            if (err != 0) fl |= Mx.PE;
            return U(Mx.Direct(r, err, rc));
        }
        if (kind is Add or Sub)
        {
            if (kind == Sub) y = -y;
            int err = AddErr(x, y, r);
            double res = Mx.Direct(r, err, rc);
            if (res == 0 && err == 0 && rc == Mx.RcDown && !(x == 0 && y == 0 && double.IsNegative(x) == double.IsNegative(y)))
                res = -0.0; // an exact zero sum of opposite-signed operands is -0 when rounding down
            if (err != 0) fl |= Mx.PE;
            if (err != 0 && AddOverflows(x, y, rc)) fl |= Mx.OE;
            // A sum is a multiple of the smallest denormal: a tiny sum is exact, never an underflow,
            // except that FTZ flushes it.
            if (U(res) << 1 >> 53 == 0 && res != 0 && (mx & Mx.FTZ) != 0 && (mx & Mx.UM) != 0)
            {
                fl |= Mx.UE | Mx.PE;
                return U(res) & SignBit;
            }
            if (U(res) << 1 >> 53 == 0 && res != 0 && (mx & Mx.UM) == 0) fl |= Mx.UE;
            return U(res);
        }
        return MulDivSlow(mx, x, y, kind, r, rc, ref fl);
    }

    /// <summary>mul/div of finite nonzero operands: work on mantissas scaled to [1,2) so the
    /// remainder computations never underflow; the exponent sum says overflow/tininess.</summary>
    private static ulong MulDivSlow(uint mx, double x, double y, int kind, double r, int rc, ref uint fl)
    {
        bool neg = double.IsNegative(x) ^ double.IsNegative(y);
        x = Math.Abs(x); y = Math.Abs(y);
        int ex = Math.ILogB(x), ey = Math.ILogB(y);
        double mxv = Math.ScaleB(x, -ex), myv = Math.ScaleB(y, -ey);
        int e = kind == Mul ? ex + ey : ex - ey;
        // Unbounded-exponent result: t * 2^e with t rounded per rc.
        double t = kind == Mul ? mxv * myv : mxv / myv;
        int terr = kind == Mul ? Mx.Sign(Math.FusedMultiplyAdd(mxv, myv, -t)) : Mx.Sign(Math.FusedMultiplyAdd(-t, myv, mxv));
        double tr = Mx.Direct(neg ? -t : t, neg ? -terr : terr, rc);
        int ue = Math.ILogB(tr) + e;
        bool tiny = ue < -1022, overflow = ue > 1023;
        // Bounded result: the host's nearest result, compared with the exact value in the scaled domain.
        double ar = Math.Abs(r);
        int err;
        if (double.IsInfinity(ar)) err = -1;
        else
        {
            double q = Math.ScaleB(ar, -e);
            err = kind == Mul ? Mx.Sign(Math.FusedMultiplyAdd(mxv, myv, -q)) : Mx.Sign(Math.FusedMultiplyAdd(-q, myv, mxv));
        }
        double res = Mx.Direct(r, neg ? -err : err, rc);
        if (err != 0) fl |= Mx.PE;
        if (overflow) fl |= Mx.OE | Mx.PE;
        if (tiny)
        {
            if ((mx & Mx.UM) == 0) fl |= Mx.UE;
            else if ((mx & Mx.FTZ) != 0) { fl |= Mx.UE | Mx.PE; return neg ? SignBit : 0; }
            else if (err != 0) fl |= Mx.UE;
        }
        return U(res);
    }

    /// <summary>sign(exact x+y - r) by Fast2Sum on magnitude-ordered operands (r - x is then exact,
    /// so no intermediate overflows); on overflow the exact sum is finite.</summary>
    private static int AddErr(double x, double y, double r)
    {
        if (double.IsInfinity(r)) return r > 0 ? -1 : 1;
        if (Math.Abs(x) < Math.Abs(y)) (x, y) = (y, x);
        return Mx.Sign(y - (r - x));
    }

    /// <summary>Does the sum, rounded per rc with an unbounded exponent, exceed the largest finite value?</summary>
    private static bool AddOverflows(double x, double y, int rc)
    {
        double hx = x * 0.5, hy = y * 0.5, h = hx + hy; // halving huge operands is exact
        if (Math.Abs(h) < TwoP1022) return false;
        int err = AddErr(hx, hy, h);
        if (err == 0) err = Mx.Sign((x - 2 * hx) + (y - 2 * hy)); // a denormal operand's bit lost by halving
        double hr = Mx.Direct(h, err, rc);
        return Math.Abs(hr) >= TwoP1023;
    }

    private static int SqrtErr(double x, double r)
    {
        int e = Math.ILogB(x) & ~1;
        double m = Math.ScaleB(x, -e), q = Math.ScaleB(r, -e / 2);
        return Mx.Sign(Math.FusedMultiplyAdd(-q, q, m));
    }
}
