// Value-level x87 arithmetic on the 80-bit format: add/sub, mul, div, sqrt, frndint, fscale.
// Each op computes the exact result (or exact leading bits plus a sticky bit) in a UInt128,
// then RoundPack rounds it once per the control word: PC (24/53/64-bit significand, the
// extended exponent range is kept) and RC, with tininess detected after rounding and the
// masked responses (overflow -> inf or max finite, underflow -> denormal). Exceptions are
// reported as FSW bits in fl; `up` is C1 (magnitude rounded up). NaN operands follow the
// x87 rules: SNaN raises IE; a QNaN wins over an SNaN; two of a kind -> larger significand.
// Invalid operations and unsupported encodings give the real indefinite.
using System.Numerics;
using Jitexec.Translator.Core;
using static Jitexec.Translator.Semantics.X87.F80;

namespace Jitexec.Translator.Semantics.X87;

public static class F80Arith
{
    /// <summary>Significand precision for FCW.PC (bits 8-9): 00 -> 24, 10 -> 53, 11 and reserved 01 -> 64.</summary>
    public static int Precision(int cw) => ((cw >> 8) & 3) switch { 0 => 24, 2 => 53, _ => 64 };

    private static bool IsDenormal(in X87Reg r) => Exp(r) == 0 && r.Mantissa != 0;
    private static bool IsZero(in X87Reg r) => Exp(r) == 0 && r.Mantissa == 0;
    private static bool IsInf(in X87Reg r) => Exp(r) == 0x7FFF && r.Mantissa == IntBit;

    /// <summary>Normalized view: value = m * 2^(e - 63), bit 63 of m set (m != 0 required).</summary>
    private static void Norm(in X87Reg r, out int e, out ulong m)
    {
        m = r.Mantissa;
        e = Math.Max(Exp(r), 1) - 16383;
        int lz = BitOperations.LeadingZeroCount(m);
        m <<= lz;
        e -= lz;
    }

    /// <summary>NaN/unsupported screening for two operands: true with the result when it decides the op.</summary>
    private static bool Special2(in X87Reg a, in X87Reg b, ref ushort fl, out X87Reg res)
    {
        // Invalid operands take precedence over a denormal one (memory operands report DE early).
        if (IsUnsupported(a) || IsUnsupported(b)) { fl = (ushort)(fl & ~DE | IE); res = Indefinite; return true; }
        bool an = IsNaN(a), bn = IsNaN(b);
        if (!an && !bn)
        {
            if (IsDenormal(a) || IsDenormal(b)) fl |= DE;
            res = default;
            return false;
        }
        fl &= unchecked((ushort)~DE);
        bool asn = an && (a.Mantissa & QuietBit) == 0, bsn = bn && (b.Mantissa & QuietBit) == 0;
        if (asn || bsn) fl |= IE;
        if (an && bn)
        {
            if (asn != bsn) res = asn ? b : a;
            else if (a.Mantissa != b.Mantissa) res = a.Mantissa > b.Mantissa ? a : b;
            else res = a.SignExp <= b.SignExp ? a : b;
        }
        else res = an ? a : b;
        res.Mantissa |= QuietBit;
        return true;
    }

    private static X87Reg Inf(bool neg) => Make(neg, 0x7FFF, IntBit);
    private static X87Reg SignedZero(bool neg) => Make(neg, 0, 0);

    /// <summary>Rounds sig * 2^(E - 127) (bit 127 of sig set; sticky folded into bit 0) to the FCW's precision and RC.</summary>
    public static X87Reg RoundPack(bool neg, int e, UInt128 sig, int cw, ref ushort fl, out bool up)
    {
        int rc = (cw >> 10) & 3, p = Precision(cw);
        int be = e + 16383, shift = 128 - p;
        UInt128 q = RoundShift(sig, shift, rc, neg, out bool inexact, out up);
        int ber = be;
        if (q >> p != 0) { q >>= 1; ber++; }
        if (ber >= 0x7FFF)
        {
            fl |= OE | PE;
            bool toInf = rc == 0 || rc == 1 && neg || rc == 2 && !neg;
            up = toInf;
            return toInf ? Inf(neg) : Make(neg, 0x7FFE, ~0UL << (64 - p));
        }
        if (ber >= 1)
        {
            if (inexact) fl |= PE;
            return Make(neg, ber, (ulong)q << (64 - p));
        }
        // Tiny after rounding: denormalize, then round at the precision boundary.
        q = RoundShift(sig, shift + (1 - be), rc, neg, out inexact, out up);
        if (inexact) fl |= PE | UE;
        ulong mant = (ulong)q << (64 - p);
        return Make(neg, (int)(mant >> 63), mant);
    }

    /// <summary>sig >> shift (shift >= 1, any size) rounded per rc; inexact and "magnitude rounded up" reported.</summary>
    private static UInt128 RoundShift(UInt128 sig, int shift, int rc, bool neg, out bool inexact, out bool up)
    {
        UInt128 q;
        int cmp; // remainder vs half: -1, 0, 1
        if (shift > 128) { q = 0; inexact = sig != 0; cmp = -1; }
        else if (shift == 128) { q = 0; inexact = sig != 0; UInt128 h = UInt128.One << 127; cmp = sig.CompareTo(h); }
        else
        {
            q = sig >> shift;
            UInt128 rem = sig & ((UInt128.One << shift) - 1);
            inexact = rem != 0;
            cmp = rem.CompareTo(UInt128.One << (shift - 1));
        }
        up = inexact && rc switch
        {
            0 => cmp > 0 || cmp == 0 && (q & 1) != 0,
            1 => neg,
            2 => !neg,
            _ => false,
        };
        return up ? q + 1 : q;
    }

    // ---- add / sub ----
    /// <summary>a + b, or a - b when negB (fsub/fsubr pass their operands in value order).</summary>
    public static X87Reg Add(in X87Reg a, in X87Reg b, bool negB, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, b, ref fl, out X87Reg res)) return res;
        bool na = Neg(a), nb = Neg(b) ^ negB;
        bool ia = IsInf(a), ib = IsInf(b);
        if (ia || ib)
        {
            if (ia && ib && na != nb) { fl |= IE; return Indefinite; }
            return Inf(ia ? na : nb);
        }
        bool za = IsZero(a), zb = IsZero(b);
        int rc = (cw >> 10) & 3;
        if (za && zb) return SignedZero(na == nb ? na : rc == 1);
        if (za) { Norm(b, out int eb0, out ulong mb0); return RoundPack(nb, eb0, (UInt128)mb0 << 64, cw, ref fl, out up); }
        if (zb) { Norm(a, out int ea0, out ulong ma0); return RoundPack(na, ea0, (UInt128)ma0 << 64, cw, ref fl, out up); }
        Norm(a, out int ea, out ulong ma);
        Norm(b, out int eb, out ulong mb);
        if (ea < eb || ea == eb && ma < mb) { (ea, eb) = (eb, ea); (ma, mb) = (mb, ma); (na, nb) = (nb, na); }
        // value = A * 2^(ea - 125) with the integer bit at 125; B aligned with a sticky bit.
        UInt128 A = (UInt128)ma << 62, B = (UInt128)mb << 62;
        int d = ea - eb;
        if (d >= 126) B = 1;
        else if (d > 0) B = B >> d | ((B & ((UInt128.One << d) - 1)) != 0 ? 1u : 0u);
        UInt128 s = na == nb ? A + B : A - B;
        if (s == 0) return SignedZero(rc == 1);
        int lz = (int)UInt128.LeadingZeroCount(s);
        return RoundPack(na, ea + 2 - lz, s << lz, cw, ref fl, out up);
    }

    // ---- mul ----
    public static X87Reg Mul(in X87Reg a, in X87Reg b, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, b, ref fl, out X87Reg res)) return res;
        bool neg = Neg(a) ^ Neg(b);
        bool ia = IsInf(a), ib = IsInf(b), za = IsZero(a), zb = IsZero(b);
        if (ia || ib)
        {
            if (za || zb) { fl |= IE; return Indefinite; }
            return Inf(neg);
        }
        if (za || zb) return SignedZero(neg);
        Norm(a, out int ea, out ulong ma);
        Norm(b, out int eb, out ulong mb);
        UInt128 pr = (UInt128)ma * mb;
        int lz = (int)UInt128.LeadingZeroCount(pr);
        return RoundPack(neg, ea + eb + 1 - lz, pr << lz, cw, ref fl, out up);
    }

    // ---- div ----
    /// <summary>a / b.</summary>
    public static X87Reg Div(in X87Reg a, in X87Reg b, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, b, ref fl, out X87Reg res)) return res;
        bool neg = Neg(a) ^ Neg(b);
        bool ia = IsInf(a), ib = IsInf(b), za = IsZero(a), zb = IsZero(b);
        if (ia) { if (ib) { fl |= IE; return Indefinite; } return Inf(neg); }
        if (ib) return SignedZero(neg);
        if (zb)
        {
            if (za) { fl |= IE; return Indefinite; }
            fl = (ushort)(fl & ~DE | ZE); // a zero divisor is detected before a denormal dividend
            return Inf(neg);
        }
        if (za) return SignedZero(neg);
        Norm(a, out int ea, out ulong ma);
        Norm(b, out int eb, out ulong mb);
        UInt128 n1 = (UInt128)ma << 63;
        ulong q1 = (ulong)(n1 / mb), r1 = (ulong)(n1 % mb);
        UInt128 n2 = (UInt128)r1 << 64;
        ulong q2 = (ulong)(n2 / mb);
        bool sticky = n2 % mb != 0;
        UInt128 q = (UInt128)q1 << 64 | q2;
        int lz = (int)UInt128.LeadingZeroCount(q);
        q = q << lz | (sticky ? 1u : 0u);
        return RoundPack(neg, ea - eb - lz, q, cw, ref fl, out up);
    }

    // ---- sqrt ----
    public static X87Reg Sqrt(in X87Reg a, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, a, ref fl, out X87Reg res)) return res;
        if (IsZero(a)) return a;
        if (Neg(a)) { fl = (ushort)(fl & ~DE | IE); return Indefinite; } // IE wins over DE (measured)
        if (IsInf(a)) return a;
        Norm(a, out int e, out ulong m);
        int s = ((e - 63 - 63) & 1) == 0 ? 63 : 64;
        UInt128 n = (UInt128)m << s;
        ulong r = ISqrt(n);
        UInt128 rem = n - (UInt128)r * r;
        bool guard = rem > r;
        bool sticky = guard || rem != 0; // with the guard set the remainder 4rem - 4r - 1 is odd, never 0
        UInt128 sig = (UInt128)r << 64 | (guard ? UInt128.One << 63 : 0) | (sticky ? 1u : 0u);
        return RoundPack(false, (e - 63 - s) / 2 + 63, sig, cw, ref fl, out up);
    }

    /// <summary>floor(sqrt(n)) for n in [2^126, 2^128).</summary>
    private static ulong ISqrt(UInt128 n)
    {
        UInt128 x = (UInt128)Math.Sqrt((double)n) + 4096;
        if (x > ulong.MaxValue) x = ulong.MaxValue;
        while (true)
        {
            UInt128 y = (x + n / x) >> 1;
            if (y >= x) break;
            x = y;
        }
        while (x * x > n) x--;
        while (x < ulong.MaxValue && (x + 1) * (x + 1) <= n) x++;
        return (ulong)x;
    }

    // ---- frndint ----
    /// <summary>Round to an integral value per RC (PC does not apply).</summary>
    public static X87Reg RoundInt(in X87Reg a, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, a, ref fl, out X87Reg res)) return res;
        if (IsZero(a) || IsInf(a)) return a;
        Norm(a, out int e, out ulong m);
        if (e >= 63) return Make(Neg(a), e + 16383, m);
        bool neg = Neg(a);
        UInt128 q = RoundShift(m, 63 - e, (cw >> 10) & 3, neg, out bool inexact, out up);
        if (inexact) fl |= PE;
        if (q == 0) return SignedZero(neg);
        int lz = (int)UInt128.LeadingZeroCount(q) - 64;
        return Make(neg, 16383 + 63 - lz, (ulong)q << lz);
    }

    // ---- fscale ----
    /// <summary>a * 2^trunc(b), rounded per RC at full 64-bit precision (PC does not apply).</summary>
    public static X87Reg Scale(in X87Reg a, in X87Reg b, int cw, ref ushort fl, out bool up)
    {
        up = false;
        if (Special2(a, b, ref fl, out X87Reg res)) return res;
        bool na = Neg(a), nb = Neg(b);
        bool ia = IsInf(a), ib = IsInf(b), za = IsZero(a);
        if (ib)
        {
            if (za && !nb || ia && nb) { fl |= IE; return Indefinite; }
            return nb ? SignedZero(na) : za ? a : Inf(na);
        }
        if (ia || za) return a;
        int n = 0;
        if (!IsZero(b))
        {
            Norm(b, out int eb, out ulong mb);
            n = eb < 0 ? 0 : eb > 30 ? 1 << 30 : (int)(mb >> (63 - eb));
            if (nb) n = -n;
        }
        Norm(a, out int ea, out ulong ma);
        long e = Math.Clamp((long)ea + n, -100000, 100000);
        return RoundPack(na, (int)e, (UInt128)ma << 64, cw | 0x300, ref fl, out up);
    }
}
