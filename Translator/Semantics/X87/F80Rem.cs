// Value-level fprem (truncating quotient) and fprem1 (IEEE, nearest-even quotient) on the
// 80-bit format. The remainder is exact. When the exponent difference D is below 64 the
// reduction completes (C2=0; C0,C3,C1 = quotient bits 2,1,0); otherwise it is partial:
// the dividend is reduced by a truncated quotient scaled so that the exponent drops by
// D - N with N = 32 + (D mod 32), and C2=1 asks the program to loop.
using System.Numerics;
using Jitexec.Translator.Core;
using static Jitexec.Translator.Semantics.X87.F80;

namespace Jitexec.Translator.Semantics.X87;

public static class F80Rem
{
    /// <summary>Condition bits in the result: C0 = 1, C1 = 2, C2 = 4, C3 = 8.</summary>
    public const int CC0 = 1, CC1 = 2, CC2 = 4, CC3 = 8;

    /// <summary>a rem b; cc receives C0-C3 (left at -1 for invalid/NaN results: the caller keeps C0,C3 and clears C1,C2).</summary>
    public static X87Reg Rem(in X87Reg a, in X87Reg b, bool nearest, int cw, ref ushort fl, out int cc)
    {
        cc = -1;
        if (IsUnsupported(a) || IsUnsupported(b)) { fl |= IE; return Indefinite; }
        if (IsNaN(a) || IsNaN(b)) return F80Arith.Add(a, b, false, cw, ref fl, out _); // NaN propagation only
        bool ia = Exp(a) == 0x7FFF, ib = Exp(b) == 0x7FFF;
        bool za = Exp(a) == 0 && a.Mantissa == 0, zb = Exp(b) == 0 && b.Mantissa == 0;
        if (ia || zb) { fl |= IE; return Indefinite; }
        if (Exp(a) == 0 && !za || Exp(b) == 0 && !zb) fl |= DE;
        cc = 0;
        if (za) return a;
        if (ib) return Canon(a);
        Norm(a, out int ea, out ulong ma);
        Norm(b, out int eb, out ulong mb);
        bool neg = Neg(a);
        int d = ea - eb;
        if (d < -1) return Canon(a);
        if (d >= 64)
        {
            int n = (d & 31) | 32;
            eb += d - n; // reduce against b * 2^(d-n): truncated quotient, exact remainder
            UInt128 q = ((UInt128)ma << n) / mb;
            UInt128 r = ((UInt128)ma << n) - q * mb;
            cc = CC2;
            return Pack(neg, eb - 63, r, cw, ref fl);
        }
        int u = Math.Min(ea, eb);
        UInt128 A = (UInt128)ma << (ea - u), B = (UInt128)mb << (eb - u);
        UInt128 qq = A / B, rr = A - qq * B;
        if (nearest && rr != 0)
        {
            UInt128 twice = rr << 1;
            if (twice > B || twice == B && (qq & 1) != 0) { rr = B - rr; qq++; neg = !neg; }
        }
        cc = ((qq & 4) != 0 ? CC0 : 0) | ((qq & 2) != 0 ? CC3 : 0) | ((qq & 1) != 0 ? CC1 : 0);
        if (rr == 0) return Make(Neg(a), 0, 0);
        return Pack(neg, u - 63, rr, cw, ref fl);
    }

    /// <summary>Exact r * 2^scale (r < 2^65, nonzero) packed; only tiny results can round (to a denormal).</summary>
    private static X87Reg Pack(bool neg, int scale, UInt128 r, int cw, ref ushort fl)
    {
        if (r == 0) return Make(neg, 0, 0);
        int lz = (int)UInt128.LeadingZeroCount(r);
        // r * 2^scale = (r << lz) * 2^(E - 127) with E = scale + 127 - lz
        return F80Arith.RoundPack(neg, scale + 127 - lz, r << lz, cw | 0x300, ref fl, out _);
    }

    /// <summary>An unchanged dividend still goes through the datapath: a pseudo-denormal comes out normal (measured).</summary>
    private static X87Reg Canon(in X87Reg a) => Exp(a) == 0 && (a.Mantissa & IntBit) != 0 ? Make(Neg(a), 1, a.Mantissa) : a;

    private static void Norm(in X87Reg r, out int e, out ulong m)
    {
        m = r.Mantissa;
        e = Math.Max(Exp(r), 1) - 16383;
        int lz = BitOperations.LeadingZeroCount(m);
        m <<= lz;
        e -= lz;
    }
}
